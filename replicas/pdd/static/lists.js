/* mms replica: the four list pages (orders, after-sales, work orders, prescriptions). */
(function () {
  'use strict';
  var M = window.MMS;
  var el = M.el;
  var cfg = M.config;
  var loadedAt = Date.now();
  function serverNow() { return (cfg.now || Date.now() / 1000) + (Date.now() - loadedAt) / 1000; }
  function sub(text) { return el('div', { className: 'cell-sub', text: text }); }
  function isNum(v) { return typeof v === 'number' && isFinite(v); }
  function goods(name, spec, number) {
    return el('div', { className: 'goods-cell' },
      el('div', { className: 'goods-thumb', text: String(name || '药').charAt(0) }),
      el('div', {}, el('div', { text: name }), sub(spec + ' ×' + number)));
  }
  function left(deadline) {
    if (!isNum(deadline)) return null;
    var secs = deadline - serverNow();
    if (secs < 0) return el('div', { className: 'cell-sub danger', text: '已逾期' });
    var h = Math.floor(secs / 3600), m = Math.floor(secs % 3600 / 60);
    return el('div', { className: 'cell-sub' + (secs <= 12 * 3600 ? ' warn' : ''), text: '剩余' + h + '时' + m + '分' });
  }
  function mount() { return document.getElementById('list-table'); }

  /* After-sales countdowns tick once a second, from the remaining seconds the API sent. */
  function countdown(remain, action) {
    var node = el('div', { className: 'countdown' });
    node.setAttribute('data-deadline', String(Date.now() / 1000 + remain));
    node.setAttribute('data-action', action || '系统将自动退款');
    tick(node);
    return node;
  }
  function tick(node) {
    var secs = Number(node.getAttribute('data-deadline')) - Date.now() / 1000;
    node.textContent = M.span(secs) + '未处理，' + node.getAttribute('data-action');
  }
  setInterval(function () { document.querySelectorAll('.countdown[data-deadline]').forEach(tick); }, 1000);

  function orders() {
    var status = M.select([{ value: 0, label: '全部' }, { value: 1, label: '待发货' }, { value: 2, label: '已发货，待收货' },
      { value: 3, label: '已签收' }], cfg.tab === 1 ? 1 : 0);
    var after = M.select([{ value: -1, label: '全部' }, { value: 1, label: '无售后' }, { value: 2, label: '售后中' }], -1);
    document.getElementById('f-order-status').appendChild(status);
    document.getElementById('f-after-status').appendChild(after);
    var table = new M.Table(mount(), {
      pageSizes: [10, 20, 50], pageSize: 20,
      columns: [
        { title: '订单信息', width: '18%', render: function (o) {
          return el('div', {}, el('div', { text: '订单编号：' + o.order_sn }), sub('成交时间：' + M.time(o.order_time)));
        } },
        { title: '商品', width: '20%', render: function (o) { return goods(o.goods_name, o.spec, o.goods_number); } },
        { title: '订单状态', width: '12%', render: function (o) {
          return el('div', {}, el('div', { text: o.order_status_str }), o.risk_status === 1
            ? el('div', { className: 'risk-banner', text: '此订单需要平台人工审核，请暂时不要发货' }) : null);
        } },
        { title: '实收金额', width: '9%', render: function (o) {
          return el('div', {}, el('div', { text: M.yuan(o.order_amount) }), sub('含运费' + M.yuan(o.shipping_amount)));
        } },
        { title: '收货人', width: '11%', render: function (o) {
          return el('div', {}, el('div', { text: o.receive_name }), sub(o.receive_mobile),
            sub([o.province_name, o.city_name, o.district_name].join(' ')));
        } },
        { title: '承诺发货时间', width: '12%', render: function (o) {
          return el('div', {}, el('div', { text: M.time(o.promise_shipping_time) }), left(o.promise_shipping_time));
        } },
        { title: '买家留言', width: '10%', render: function (o) { return o.buyer_memo || '-'; } },
        { title: '操作', width: '9%', render: function (o) {
          return M.detailLink('/orders/detail?sn=' + encodeURIComponent(o.order_sn));
        } }
      ],
      fetch: function (page, size) {
        var now = Math.floor(serverNow());
        return M.listFetch('/mangkhut/mms/recentOrderList', {
          orderType: status.getValue(), afterSaleType: after.getValue(), remarkStatus: -1, urgeShippingStatus: -1,
          groupStartTime: now - 180 * 86400, groupEndTime: now + 86400, pageNumber: page, pageSize: size,
          sortType: 10, mobile: '', hideRegionBlackDelayShipping: false, mobileMarkSearch: false
        }, 'totalItemNum', 'pageItems');
      }
    });
    document.getElementById('btn-query').addEventListener('click', function () { table.load(1); });
  }

  function aftersales() {
    var quick = '';
    var tiles = document.getElementById('as-tiles');
    var cards = document.getElementById('as-cards');
    var search = document.getElementById('f-search');
    var table = new M.Table(mount(), {
      pageSizes: [10, 20, 50, 100], pageSize: 20,
      columns: [
        { title: '售后信息', width: '20%', render: function (c) {
          return el('div', {}, el('div', { text: '售后编号：' + c.id }), sub('订单编号：' + c.orderSn),
            sub('申请时间：' + M.time(c.createdAt)));
        } },
        { title: '商品', width: '22%', render: function (c) { return goods(c.goodsName, c.goodsSpec, c.goodsNumber); } },
        { title: '售后类型', width: '9%', render: function (c) { return c.afterSalesTypeName; } },
        { title: '退款金额', width: '10%', render: function (c) {
          return el('div', {}, el('div', { text: M.yuan(c.refundAmount) }), sub('订单金额' + M.yuan(c.orderAmount)));
        } },
        { title: '售后状态', width: '30%', render: function (c) {
          return el('div', {}, el('div', { text: c.afterSalesTitle }),
            isNum(c.expireRemainTime) ? countdown(c.expireRemainTime, c.expireActionDesc) : null);
        } },
        { title: '操作', width: '9%', render: function (c) {
          return M.detailLink('/aftersales-ssr/detail?id=' + encodeURIComponent(c.id));
        } }
      ],
      fetch: function (page, size) {
        return M.listFetch('/mercury/mms/afterSales/queryList', {
          pageNumber: page, pageSize: size, orderByCreatedAtDesc: true, startCreatedTime: 0, endCreatedTime: 0,
          searchText: search.value.trim(), operateType: -1, quickFilter: quick
        }, 'total', 'list');
      }
    });
    M.api('/mercury/mms/afterSales/queryCount', {}).then(function (data) {
      if (!data.success) return;
      var r = data.result;
      [['24小时内将逾期订单数', r.expireIn24HCount], ['24小时内待商家举证', r.waitMerchantProofIn24HCount],
        ['24小时内平台同意退款', r.platformAgreeRefundIn24HCount], ['24小时内将逾期工单数', r.workOrderExpireIn24HCount]]
        .forEach(function (t) {
          tiles.appendChild(el('div', { className: 'tile' }, el('div', { className: 'muted', text: t[0] }),
            el('div', { className: 'num', text: t[1] + '单' })));
        });
      r.cards.forEach(function (c) {
        var card = el('div', { cls: ['CAD_outerWrapper'], testid: 'beast-core-card', attrs: { 'data-type': c.type } },
          el('div', { className: 'muted', text: c.name }), el('div', { className: 'num', text: String(c.count) }));
        card.addEventListener('click', function () {
          quick = quick === c.type ? '' : c.type;
          cards.querySelectorAll('[data-type]').forEach(function (n) {
            n.className = M.cls.apply(null, n.getAttribute('data-type') === quick
              ? ['CAD_outerWrapper', 'CAD_beastCardChecked'] : ['CAD_outerWrapper']);
          });
          table.load(1);
        });
        cards.appendChild(card);
      });
    });
    document.getElementById('btn-query').addEventListener('click', function () { table.load(1); });
    var toggle = document.getElementById('toggle-advanced');
    toggle.addEventListener('click', function (e) {
      e.preventDefault();
      var box = document.getElementById('advanced');
      box.hidden = !box.hidden;
      toggle.textContent = box.hidden ? '展开高级查询' : '收起高级查询';
    });
  }

  function workOrders() {
    var status = 0;
    var tabs = document.getElementById('wo-tabs');
    var table = new M.Table(mount(), {
      pageSizes: [10, 20, 50], pageSize: 20,
      columns: [
        { title: '工单编号', width: '22%', render: function (w) {
          return el('div', {}, el('div', { text: w.workOrderSn }), sub('订单编号：' + w.orderSn));
        } },
        { title: '问题类型', width: '24%', render: function (w) { return w.problemTitle; } },
        { title: '状态', width: '10%', render: function (w) { return w.statusStr; } },
        { title: '创建时间', width: '16%', render: function (w) { return M.time(w.createdAt); } },
        { title: '处理时限', width: '18%', render: function (w) {
          return el('div', {}, el('div', { text: M.time(w.expireTime) }), w.status === 3 ? null : left(w.expireTime));
        } },
        { title: '操作', width: '10%', render: function (w) {
          return M.detailLink('/aftersales/work_order/detail?id=' + encodeURIComponent(w.instanceId));
        } }
      ],
      fetch: function (page, size) {
        return M.listFetch('/strickland/sop/mms/todoList', { pageNumber: page, pageSize: size, status: status },
          'total', 'list');
      }
    });
    M.api('/strickland/sop/mms/statusCount', {}).then(function (data) {
      if (!data.success) return;
      var r = data.result;
      [[0, '全部', r.total], [1, '待处理', r.waitHandleCount], [2, '处理中', r.handlingCount], [3, '已完结', r.finishedCount]]
        .forEach(function (t) {
          var tab = el('div', { cls: ['CAD_outerWrapper'], testid: 'beast-core-card', attrs: { 'data-status': String(t[0]) } },
            el('div', { className: 'muted', text: t[1] }), el('div', { className: 'num', text: String(t[2]) }));
          tab.addEventListener('click', function () { status = t[0]; table.load(1); });
          tabs.appendChild(tab);
        });
    });
  }

  function medicine() {
    var source = M.select([{ value: 0, label: '全部来源' }, { value: 1, label: '互联网医院' }, { value: 2, label: '线下处方' }], 0);
    var status = M.select([{ value: -1, label: '全部' }, { value: 0, label: '待审核' }, { value: 1, label: '已通过' },
      { value: 2, label: '已驳回' }], -1);
    document.getElementById('f-source').appendChild(source);
    document.getElementById('f-status').appendChild(status);
    var table = new M.Table(mount(), {
      pageSizes: [10, 20, 50], pageSize: 20, autoload: false, emptyText: '请选择条件后点击查询',
      columns: [
        { title: '订单编号', width: '20%', render: function (p) { return p.orderSn; } },
        { title: '药品', width: '22%', render: function (p) { return p.goodsName; } },
        { title: '患者', width: '9%', render: function (p) { return p.patientName; } },
        { title: '开方机构', width: '16%', render: function (p) { return p.hospitalName; } },
        { title: '提交时间', width: '14%', render: function (p) { return M.time(p.createdAt); } },
        { title: '审核状态', width: '9%', render: function (p) { return p.statusStr; } },
        { title: '操作', width: '10%', render: function (p) {
          return M.detailLink('/orders/medicine/detail?orderSn=' + encodeURIComponent(p.orderSn), true);
        } }
      ],
      fetch: function (page, size) {
        return M.listFetch('/mangkhut/mms/prescription/list',
          { status: status.getValue(), source: source.getValue(), pageNumber: page, pageSize: size }, 'total', 'list');
      }
    });
    document.getElementById('btn-query').addEventListener('click', function () { table.load(1); });
  }

  var pages = { orders: orders, aftersales: aftersales, work_orders: workOrders, medicine: medicine };
  if (pages[cfg.page]) pages[cfg.page]();
})();
