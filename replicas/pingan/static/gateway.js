/* The console's gateway client: signed form posts to /m.api, {stat, content} envelopes back. */
window.JK = (function () {
  'use strict';
  var CFG = window.__JK_CFG;

  function GatewayError(message, code, status) {
    var e = new Error(message);
    e.code = code; e.status = status; e.redirecting = false;
    return e;
  }
  function cookie(name) {
    var m = document.cookie.match(new RegExp('(?:^|; )' + name.replace(/[$()*+.?[\\\]^{|}]/g, '\\$&') + '=([^;]*)'));
    return m ? decodeURIComponent(m[1]) : '';
  }
  function token() { return cookie(CFG.tokenCookie) || localStorage.getItem(CFG.tokenCookie) || ''; }
  function sign(p) {
    return md5(Object.keys(p).sort().map(function (k) { return k + '=' + p[k]; }).join('') + CFG.salt);
  }
  var leaving = false;
  function toLogin(expired) {
    if (leaving) return;
    leaving = true;
    document.cookie = CFG.tokenCookie + '=; Max-Age=0; path=/';
    localStorage.removeItem(CFG.tokenCookie);
    var target = CFG.loginPath + '?redirect=' + encodeURIComponent(location.pathname + location.hash);
    if (!expired) { location.href = target; return; }
    // Like most Element consoles: say so, then leave for the login page a moment later.
    var m = document.createElement('div');
    m.className = 'el-message el-message--warning';
    m.setAttribute('role', 'alert');
    m.innerHTML = '<p class="el-message__content">登录状态已失效，请重新登录</p>';
    document.body.appendChild(m);
    setTimeout(function () { location.href = target + '&expired=1'; }, 1500);
  }
  async function call(mt, biz, opts) {
    var p = { _mt: mt, _sm: 'md5', _aid: CFG.aid, _wtk: token() };
    Object.keys(biz || {}).forEach(function (k) { p[k] = String(biz[k]); });
    p._sig = sign(p);
    var r;
    try {
      r = await fetch(CFG.gateway + '?_mt=' + encodeURIComponent(mt), {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' },
        body: new URLSearchParams(p).toString()
      });
    } catch (err) {
      throw GatewayError('网络异常，请检查网络后重试', -1, 0);
    }
    if (!r.ok) throw GatewayError('系统繁忙，请稍后再试（' + r.status + '）', -1, r.status);
    var j = await r.json();
    if (j.stat && j.stat.systime) api.systime = j.stat.systime;
    var code = j.stat ? j.stat.code : -1;
    if (CFG.tokenErrors.indexOf(code) >= 0 && !(opts && opts.anonymous)) {
      var e = GatewayError(j.stat.msg || '登录已失效', code, 200);
      e.redirecting = true;
      toLogin(true);
      throw e;
    }
    if (code !== 0) throw GatewayError(j.stat.msg || '系统繁忙，请稍后再试', code, 200);
    var st = j.stat.stateList[0] || { code: 0 };
    if (st.code !== 0) throw GatewayError(st.msg || '请求失败', st.code, 200);
    return j.content[0];
  }
  var api = { call: call, token: token, toLogin: toLogin, systime: 0 };
  return api;
})();
