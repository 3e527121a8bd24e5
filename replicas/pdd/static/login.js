/* mms replica: login page (QR tab, account tab, slider challenge, SMS step, lock modal). */
(function () {
  'use strict';
  var M = window.MMS;
  var el = M.el;
  var $ = function (sel) { return document.querySelector(sel); };
  var tabs = document.querySelectorAll('.tab-item');
  var qrPanel = $('.qr-panel'), accountPanel = $('.account-panel'), smsPanel = $('.sms-panel');
  var user = $('#usernameId'), pass = $('#passwordId'), errorText = $('span.info-error-text');
  var touch = { usernameKeydownCount: 0, passwordKeydownCount: 0, mouseClickCount: 0, firstInputAt: 0 };
  var qrToken = null, qrTimer = null, done = false;

  function showError(text) { errorText.textContent = text || ''; }
  function target() {
    var r = new URLSearchParams(location.search).get('redirectUrl');
    if (r) {
      try {
        var u = new URL(r, location.origin);
        if (u.origin === location.origin && u.pathname.indexOf('/login') !== 0) return u.pathname + u.search + u.hash;
      } catch (e) { /* not a URL: go home */ }
    }
    return '/home/';
  }
  function enter() { done = true; stopQr(); location.href = target(); }

  /* -- tabs and QR ------------------------------------------------------------------ */
  function selectTab(which) {
    tabs.forEach(function (t) { t.classList.toggle('active', t.getAttribute('data-tab') === which); });
    qrPanel.hidden = which !== 'qr';
    accountPanel.hidden = which !== 'account';
    showError('');
    if (which === 'qr') startQr(); else stopQr();
  }
  tabs.forEach(function (t) { t.addEventListener('click', function () { selectTab(t.getAttribute('data-tab')); }); });

  function drawQr(token) {
    var canvas = $('.qr-code canvas'), ctx = canvas.getContext('2d'), n = 25, cell = canvas.width / n;
    var seed = 0;
    for (var i = 0; i < token.length; i++) seed = (seed * 31 + token.charCodeAt(i)) >>> 0;
    function rnd() { seed = (seed * 1103515245 + 12345) >>> 0; return (seed >>> 16) / 65536; }
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, canvas.width, canvas.height); ctx.fillStyle = '#151516';
    for (var y = 0; y < n; y++) for (var x = 0; x < n; x++) if (rnd() < 0.45) ctx.fillRect(x * cell, y * cell, cell, cell);
    [[0, 0], [n - 7, 0], [0, n - 7]].forEach(function (p) {
      ctx.fillStyle = '#fff'; ctx.fillRect((p[0] - 0.5) * cell, (p[1] - 0.5) * cell, 8 * cell, 8 * cell);
      ctx.fillStyle = '#151516'; ctx.fillRect(p[0] * cell, p[1] * cell, 7 * cell, 7 * cell);
      ctx.fillStyle = '#fff'; ctx.fillRect((p[0] + 1) * cell, (p[1] + 1) * cell, 5 * cell, 5 * cell);
      ctx.fillStyle = '#151516'; ctx.fillRect((p[0] + 2) * cell, (p[1] + 2) * cell, 3 * cell, 3 * cell);
    });
  }
  function poll() {
    if (!qrToken || done) return;
    M.api('/janus/api/qrcode/query', { qrToken: qrToken }, { keepPage: true }).then(function (data) {
      if (done) return;
      if (!data.success) { qrToken = null; startQr(); return; }
      if (data.result.status === 1) $('.qr-scanned').hidden = false;
      if (data.result.status === 2) enter();
    }).catch(function () { /* keep polling */ });
  }
  function startQr() {
    if (qrTimer || done) return;
    qrTimer = setInterval(poll, 2000);
    if (!qrToken) {
      M.api('/janus/api/qrcode/gen', {}, { keepPage: true }).then(function (data) {
        if (data.success) { qrToken = data.result.qrToken; drawQr(qrToken); }
      });
    }
  }
  function stopQr() { if (qrTimer) { clearInterval(qrTimer); qrTimer = null; } }

  /* -- password login ---------------------------------------------------------------- */
  user.addEventListener('keydown', function () { touch.usernameKeydownCount++; touch.firstInputAt = touch.firstInputAt || Date.now(); });
  pass.addEventListener('keydown', function () { touch.passwordKeydownCount++; });
  document.addEventListener('click', function () { touch.mouseClickCount++; });

  function submit(extra) {
    extra = extra || {};
    var username = user.value.trim(), password = pass.value;
    if (!username || !password) { showError('请输入账号和密码'); return; }
    showError('');
    M.api('/janus/api/auth', {
      username: username, password: btoa(unescape(encodeURIComponent(password))), passwordEncrypt: true,
      verificationCode: extra.verificationCode || '', mobileVerifyCode: extra.mobileVerifyCode || '',
      sign: '', riskSign: '', touchevent: touch, timestamp: Date.now(), crawlerInfo: M.antiContent(),
      fingerprint: { screen: screen.width + 'x' + screen.height, language: navigator.language,
        timezone: new Date().getTimezoneOffset(), platform: navigator.platform }
    }, { keepPage: true }).then(function (data) {
      if (data.success) { enter(); return; }
      switch (data.errorCode) {
        case 54004: slider(data.result); break;
        case 54003: M.modal('账号安全提醒', '系统检测到您的账号异常，存在盗号风险，请修改密码后再登录。',
          [{ text: '修改密码' }, { text: '我知道了', primary: true }]); break;
        case 54007: smsStep(data.result); break;
        default: showError(data.errorMsg);
      }
    }).catch(function (err) { showError(err.message); });
  }
  $('.login-btn').addEventListener('click', function () { submit(); });
  pass.addEventListener('keydown', function (e) { if (e.key === 'Enter') submit(); });

  /* -- SMS step for a new device ----------------------------------------------------- */
  function smsStep(result) {
    $('.tab-box').hidden = true;
    accountPanel.hidden = true;
    smsPanel.hidden = false;
    $('.sms-mobile').textContent = result.mobile;
    showError('');
  }
  var sendBtn = $('.sms-send');
  sendBtn.addEventListener('click', function () {
    if (sendBtn.disabled) return;
    M.api('/janus/api/user/getLoginVerificationCode', { username: user.value.trim(), crawlerInfo: M.antiContent() },
      { keepPage: true }).then(function (data) {
      if (!data.success) { showError(data.errorMsg); return; }
      M.toast('短信已发送至 ' + data.result.mobile);
      var left = 60;
      sendBtn.disabled = true;
      sendBtn.textContent = left + '秒后重新获取';
      var timer = setInterval(function () {
        left--;
        sendBtn.textContent = left + '秒后重新获取';
        if (left <= 0) { clearInterval(timer); sendBtn.disabled = false; sendBtn.textContent = '获取验证码'; }
      }, 1000);
    });
  });
  $('.sms-ok').addEventListener('click', function () {
    var code = $('#mobileVerifyCode').value.trim();
    if (!/^\d{6}$/.test(code)) { showError('请输入6位短信码'); return; }
    submit({ mobileVerifyCode: code });
  });

  /* -- slider challenge: only a real (trusted) mouse drag past 80% of the track solves it -- */
  function slider(result) {
    var old = $('.captcha-mask');
    if (old) old.remove();
    var knob = el('div', { className: 'slider-knob', text: '→' });
    var fill = el('div', { className: 'slider-fill' });
    var track = el('div', { className: 'slider-track' }, fill, el('div', { className: 'slider-text', text: '请向右滑块完成拼图' }), knob);
    var msg = el('div', { className: 'captcha-msg' });
    var retry = el('a', { className: 'captcha-retry', text: '重试', attrs: { href: '#' } });
    retry.hidden = true;
    var canvas = el('canvas', { className: 'captcha-img', attrs: { width: '300', height: '150' } });
    var mask = el('div', { className: 'captcha-mask' }, el('div', { className: 'captcha-panel' },
      el('div', { className: 'captcha-title', text: '安全验证' }), canvas, track, msg, retry));
    document.body.appendChild(mask);
    var gap = 150 + Math.floor(Math.random() * 100);
    var ctx = canvas.getContext('2d');
    var grad = ctx.createLinearGradient(0, 0, 300, 150);
    grad.addColorStop(0, '#7fb2ff'); grad.addColorStop(1, '#ffd39b');
    ctx.fillStyle = grad; ctx.fillRect(0, 0, 300, 150);
    ctx.fillStyle = 'rgba(0,0,0,.45)'; ctx.fillRect(gap, 55, 40, 40);
    var expired = false, dragging = false, startX = 0, x = 0, points = [], t0 = 0;
    var timer = setTimeout(function () {
      expired = true; msg.textContent = '验证时间过长，请重试'; retry.hidden = false;
    }, (result.timeoutS || 120) * 1000);
    function maxX() { return track.clientWidth - knob.offsetWidth; }
    function place(v) { x = v; knob.style.left = v + 'px'; fill.style.width = (v + knob.offsetWidth / 2) + 'px'; }
    knob.addEventListener('mousedown', function (e) {
      if (!e.isTrusted || expired) return;
      dragging = true; startX = e.clientX; points = []; t0 = Date.now(); e.preventDefault();
    });
    document.addEventListener('mousemove', function (e) {
      if (!dragging || !e.isTrusted) return;
      place(Math.max(0, Math.min(maxX(), e.clientX - startX)));
      points.push([Math.round(x), e.clientY, Date.now() - t0]);
    });
    document.addEventListener('mouseup', function (e) {
      if (!dragging || !e.isTrusted) return;
      dragging = false;
      if (x < 0.8 * maxX()) { place(0); return; }
      M.api('/janus/api/captcha/verify', { challengeId: result.challengeId, distance: x, trackWidth: maxX(), track: points },
        { keepPage: true }).then(function (data) {
        if (data.success) { clearTimeout(timer); mask.remove(); submit({ verificationCode: data.result.verificationCode }); return; }
        msg.textContent = data.errorMsg; place(0);
        if (data.errorCode === 54006) { expired = true; retry.hidden = false; }
      });
    });
    retry.addEventListener('click', function (e) { e.preventDefault(); clearTimeout(timer); mask.remove(); submit(); });
  }

  selectTab('qr');
})();
