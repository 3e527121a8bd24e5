/* mms replica: home dashboard counters from /janus/api/home/todoCount. */
(function () {
  'use strict';
  var M = window.MMS;
  var el = M.el;
  var box = document.getElementById('todo-list');
  var ITEMS = [
    ['waitPayNum', '待付款', '/orders/list?msfrom=mms_sidenav', false],
    ['unPrint', '待打印', '/orders/list?tab=1&msfrom=mms_sidenav', false],
    ['waitShipNum', '待发货', '/orders/list?tab=1&msfrom=mms_sidenav', false],
    ['unShip12H', '即将逾期发货', '/orders/list?tab=1&msfrom=mms_sidenav', true],
    ['waitFinishNum', '待收货', '/orders/list?msfrom=mms_sidenav', false],
    ['pendingOrder', '待处理工单', '/aftersales/work_order/list', true],
    ['aftersalesNew.totalWaitHandleCount', '退款/售后', '/aftersales/aftersale_list?msfrom=mms_sidenav', false],
    ['aftersalesNew.expireEarlyWarningCount', '售后过期预警', '/aftersales/aftersale_list?msfrom=mms_sidenav', true]
  ];
  function pick(obj, path) {
    return path.split('.').reduce(function (o, k) { return o && o[k] !== undefined ? o[k] : null; }, obj);
  }
  M.api('/janus/api/home/todoCount', {}).then(function (data) {
    box.textContent = '';
    if (!data.success) { box.textContent = data.errorMsg; return; }
    ITEMS.forEach(function (it) {
      var value = pick(data.result, it[0]);
      box.appendChild(el('a', { className: 'todo-item' + (it[3] && value ? ' alert' : ''),
        attrs: { href: it[2], 'data-key': it[0] } },
        el('div', { className: 'muted', text: it[1] }), el('div', { className: 'num', text: String(value) })));
    });
  }).catch(function (err) { box.textContent = err.message; });
})();
