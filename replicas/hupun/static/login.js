(function () {
  var $ = function (s) { return document.querySelector(s); };
  var qr = $('#qr-panel'), account = $('#account-panel'), error = $('.login-error span');
  var mask = $('.slide-verify-mask'), knob = $('.slide-verify-slider-mask-item'), track = $('.slide-verify-slider');
  var ticket = '';
  document.querySelectorAll('.switch-btn').forEach(function (b) {
    b.addEventListener('click', function () {
      var toAccount = !b.classList.contains('back');
      qr.style.display = toAccount ? 'none' : '';
      account.style.display = toAccount ? '' : 'none';
    });
  });
  function submit() {
    error.textContent = '';
    var body = { username: $('input[name=username]').value.trim(), password: $('#input-password').value, ticket: ticket };
    ticket = '';
    fetch('/login.d', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (r) { if (!r.ok) { throw new Error('服务器繁忙（' + r.status + '）'); } return r.json(); })
      .then(function (j) {
        if (j.code === 0) { location.href = j.data.redirect; return; }
        if (j.code === 10002) { mask.style.display = 'flex'; return; }
        error.textContent = j.message;
      })
      .catch(function (e) { error.textContent = e.message || '网络异常，请重试'; });
  }
  account.querySelector('.el-button--primary').addEventListener('click', submit);
  $('#input-password').addEventListener('keydown', function (e) { if (e.key === 'Enter') { submit(); } });
  // The slider: a person drags the knob to the end of the track; then the login is sent again.
  var startX = null;
  knob.addEventListener('mousedown', function (e) { startX = e.clientX; e.preventDefault(); });
  document.addEventListener('mousemove', function (e) {
    if (startX === null) { return; }
    var max = track.clientWidth - knob.offsetWidth;
    knob.style.left = Math.max(0, Math.min(max, e.clientX - startX)) + 'px';
  });
  document.addEventListener('mouseup', function () {
    if (startX === null) { return; }
    startX = null;
    var body = { distance: parseFloat(knob.style.left || '0'), width: track.clientWidth - knob.offsetWidth };
    fetch('/captcha/slide/check.d', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (r) { return r.json(); })
      .then(function (j) {
        knob.style.left = '0px';
        if (j.code !== 0) { $('.slide-tip').textContent = '验证失败，请重试'; return; }
        ticket = j.data.ticket;
        mask.style.display = 'none';
        submit();
      });
  });
})();
