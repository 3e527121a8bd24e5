/* The seller login page: account + MD5-hashed password (+ image captcha when asked). */
(function () {
  'use strict';
  var CFG = window.__JK_CFG;
  var form = document.getElementById('login-form');
  var row = document.getElementById('captcha-row');
  var img = document.getElementById('captcha-img');
  var cap = document.getElementById('captcha');
  var err = document.getElementById('login-error');
  var btn = document.getElementById('login-submit');
  var capKey = '';

  function showError(text) { err.textContent = text || ''; err.hidden = !text; }
  async function refresh() {
    try {
      var c = await JK.call('kylin.requestCaptcha', {}, { anonymous: true });
      capKey = c.key;
      img.src = c.imgUrl;
    } catch (e) { showError(e.message); }
  }
  function target() {
    var wanted = new URLSearchParams(location.search).get('redirect') || '';
    return wanted.indexOf(CFG.home) === 0 ? wanted : CFG.home;
  }
  document.getElementById('captcha-refresh').addEventListener('click', function (e) {
    e.preventDefault();
    refresh();
  });
  form.addEventListener('submit', async function (e) {
    e.preventDefault();
    showError('');
    var name = document.getElementById('loginName').value.trim();
    var pwd = document.getElementById('password').value;
    if (!name || !pwd) { showError('请输入账号和密码'); return; }
    btn.disabled = true;
    var body = new URLSearchParams({
      loginName: name, password: md5(pwd), captcha: row.hidden ? '' : cap.value.trim(),
      _cap: row.hidden ? '' : capKey, appId: CFG.aid
    });
    var j;
    try {
      var r = await fetch(CFG.loginApi, { method: 'POST', body: body, credentials: 'same-origin' });
      j = await r.json();
    } catch (ex) {
      showError('网络异常，请稍后重试');
      btn.disabled = false;
      return;
    }
    if (j.success) {
      localStorage.setItem(CFG.tokenCookie, j.model._wtk);
      location.href = target();
      return;
    }
    btn.disabled = false;
    showError(j.errorMessage || '登录失败');
    if (j.errorCode === 'NEED_CAPTCHA' || j.errorCode === 'CAPTCHA_ERROR' || !row.hidden) {
      row.hidden = false;
      cap.value = '';
      refresh();
    }
  });
  if (new URLSearchParams(location.search).get('expired') === '1') showError('登录状态已失效，请重新登录');
  if (!row.hidden) refresh();
})();
