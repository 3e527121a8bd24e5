/* mms replica: shared helpers (DOM, API with Anti-Content, BeastCore modal and select). */
(function () {
  'use strict';
  var root = document.documentElement;
  var S = root.getAttribute('data-build') || '';
  var DRIFT = root.getAttribute('data-drift') || '';
  var M = (window.MMS = {});
  var cfgNode = document.getElementById('page-config');
  M.config = cfgNode ? JSON.parse(cfgNode.textContent) : {};

  M.cls = function () {
    return Array.prototype.map.call(arguments, function (n) { return n + '_' + S; }).join(' ');
  };
  M.tid = function (id) { return id === DRIFT ? id + '-v2' : id; };

  /* el('div', {cls: 'a b', testid: 'x', text: 'y', on: {click: f}, attrs: {...}}, children...) */
  M.el = function (tag, opts) {
    var node = document.createElement(tag);
    opts = opts || {};
    if (opts.className) node.className = opts.className;
    if (opts.cls) node.className = (node.className ? node.className + ' ' : '') + M.cls.apply(null, opts.cls);
    if (opts.testid) node.setAttribute('data-testid', M.tid(opts.testid));
    if (opts.text !== undefined && opts.text !== null) node.textContent = String(opts.text);
    Object.keys(opts.attrs || {}).forEach(function (k) { node.setAttribute(k, opts.attrs[k]); });
    Object.keys(opts.on || {}).forEach(function (k) { node.addEventListener(k, opts.on[k]); });
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
    }
    return node;
  };

  M.antiContent = function () {
    var chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
    var out = '0ap';
    for (var i = 0; i < 160; i++) out += chars[Math.floor(Math.random() * chars.length)];
    return out;
  };

  M.toLogin = function () {
    location.href = '/login/?redirectUrl=' + encodeURIComponent(location.pathname + location.search);
  };

  /* POST JSON with an Anti-Content header; resolves to the envelope, rejects on HTTP errors. */
  M.api = function (path, body, opts) {
    return fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json;charset=UTF-8', 'Anti-Content': M.antiContent() },
      body: JSON.stringify(body || {})
    }).then(function (resp) {
      return resp.text().then(function (text) {
        var data = null;
        try { data = JSON.parse(text); } catch (e) { data = null; }
        if (!resp.ok || !data) throw new Error('系统繁忙，请稍后重试（' + resp.status + '）');
        if (!data.success && data.errorCode === 43001 && !(opts && opts.keepPage)) {
          M.toLogin();
          throw new Error(data.errorMsg);
        }
        return data;
      });
    });
  };

  M.yuan = function (fen) {
    return typeof fen === 'number' && isFinite(fen) ? '¥' + (fen / 100).toFixed(2) : String(fen);
  };
  M.time = function (sec) {
    if (typeof sec !== 'number' || !isFinite(sec)) return String(sec === null || sec === undefined ? '' : sec);
    if (sec <= 0) return '-';
    return new Date((sec + 8 * 3600) * 1000).toISOString().slice(0, 19).replace('T', ' ');
  };
  M.span = function (secs) {
    secs = Math.max(0, Math.floor(secs));
    var d = Math.floor(secs / 86400), h = Math.floor(secs % 86400 / 3600);
    var m = Math.floor(secs % 3600 / 60), s = secs % 60;
    return d + '天' + h + '时' + m + '分' + s + '秒';
  };
  M.toast = function (text) {
    var node = M.el('div', { className: 'toast', text: text });
    document.body.appendChild(node);
    setTimeout(function () { node.remove(); }, 2000);
  };

  M.button = function (text, primary, onClick) {
    var names = primary ? ['BTN_outerWrapper', 'BTN_primary'] : ['BTN_outerWrapper'];
    return M.el('button', { cls: names, testid: 'beast-core-button', text: text,
      attrs: { type: 'button' }, on: onClick ? { click: onClick } : {} });
  };

  /* A modal over a click-eating mask. Escape does nothing; only its buttons close it. */
  M.modal = function (title, bodyText, buttons) {
    var wrap = M.el('div', { cls: ['MDL_outerWrapper'] });
    var footer = M.el('div', { cls: ['MDL_footer'] });
    (buttons || [{ text: '我知道了', primary: true }]).forEach(function (b) {
      footer.appendChild(M.button(b.text, b.primary, function () { wrap.remove(); if (b.onClick) b.onClick(); }));
    });
    wrap.appendChild(M.el('div', { cls: ['MDL_mask'], testid: 'beast-core-modal-mask' }));
    wrap.appendChild(M.el('div', { cls: ['MDL_modal'], testid: 'beast-core-modal', attrs: { role: 'dialog' } },
      M.el('div', { cls: ['MDL_header'], text: title }),
      M.el('div', { cls: ['MDL_body'], text: bodyText }), footer));
    document.body.appendChild(wrap);
    return wrap;
  };

  /* Server-rendered modals close through a click listener bound in <head> (render.py). */

  /* BeastCore select: a div showing the chosen label; the option panel exists only while open. */
  var openPanel = null;
  function closePanel() { if (openPanel) { openPanel.remove(); openPanel = null; } }
  document.addEventListener('mousedown', function (e) {
    if (openPanel && !openPanel.contains(e.target) && !e.target.closest('[data-select-owner]')) closePanel();
  });
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') closePanel(); });
  M.select = function (options, value, onChange) {
    var current = value;
    var label = M.el('span', { cls: ['ST_selectValue'] });
    var box = M.el('div', { cls: ['ST_outerWrapper'], testid: 'beast-core-select',
      attrs: { 'data-select-owner': '1', tabindex: '0' } }, label, M.el('span', { cls: ['ST_arrow'], text: '▼' }));
    function show() {
      var found = options.filter(function (o) { return o.value === current; })[0];
      label.textContent = found ? found.label : '';
    }
    box.addEventListener('click', function () {
      var wasMine = openPanel && openPanel.owner === box;
      closePanel();
      if (wasMine) return;
      var list = M.el('ul', { attrs: { role: 'listbox' } });
      options.forEach(function (o) {
        var names = o.value === current ? ['ST_item', 'ST_itemSelected'] : ['ST_item'];
        list.appendChild(M.el('li', { cls: names, text: o.label,
          attrs: { role: 'option', 'aria-selected': String(o.value === current) },
          on: { click: function () { closePanel(); current = o.value; show(); if (onChange) onChange(o.value); } } }));
      });
      var panel = M.el('div', { cls: ['ST_dropdownPanel'] }, list);
      var rect = box.getBoundingClientRect();
      panel.style.left = (rect.left + window.scrollX) + 'px';
      panel.style.top = (rect.bottom + window.scrollY + 4) + 'px';
      panel.style.minWidth = rect.width + 'px';
      panel.owner = box;
      document.body.appendChild(panel);
      openPanel = panel;
    });
    show();
    box.getValue = function () { return current; };
    return box;
  };

  document.addEventListener('DOMContentLoaded', function () {
    var logout = document.querySelector('.logout-link');
    if (logout) logout.addEventListener('click', function (e) {
      e.preventDefault();
      M.api('/janus/api/logout', {}).then(function () { location.href = '/login/'; });
    });
  });
})();
