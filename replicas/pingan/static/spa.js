/* The seller console SPA: hash routes under /sell/#/..., every view loaded through the gateway. */
(function () {
  'use strict';
  var CFG = window.__JK_CFG;
  var view = document.getElementById('view');
  var seq = 0;
  var serverOffset = 0;
  var SIZES = [10, 20, 50, 100];

  var LISTS = {
    '/order/list': {
      title: '订单管理', mt: 'seller.order.list', param: 'status', def: '20', detail: '/order/detail', id: 'orderId',
      tabs: [['10', '待接单'], ['20', '待发货'], ['30', '已发货'], ['40', '已完成'], ['50', '已取消']],
      cols: [['订单编号', function (r) { return link('/order/detail', 'orderId', r.orderId); }],
        ['商品信息', function (r) { return goods(r.items); }],
        ['实付金额', function (r) { return money(r.payAmount); }],
        ['收货人', function (r) { return esc(r.receiverName) + '<br><span class="muted">' + esc(r.receiverMobile) + '</span>'; }],
        ['下单时间', function (r) { return time(r.createTime); }],
        ['承诺发货时间', function (r) { return time(r.promiseDeliveryTime) + left(r.promiseDeliveryTime, r.orderStatus); }],
        ['订单状态', function (r) { return tag(r.orderStatusDesc) + (r.isRx === true ? ' <span class="el-tag el-tag--danger">处方药</span>' : ''); }],
        ['买家留言', function (r) { return esc(r.buyerMemo); }]]
    },
    '/aftersale/list': {
      title: '售后管理', mt: 'seller.refund.list', param: 'status', def: '10', detail: '/aftersale/detail', id: 'refundId',
      tabs: [['10', '待处理'], ['20', '退货中'], ['40', '退款成功'], ['50', '已关闭']],
      cols: [['售后单号', function (r) { return link('/aftersale/detail', 'refundId', r.refundId); }],
        ['订单编号', function (r) { return esc(r.orderId); }],
        ['售后类型', function (r) { return esc(r.refundTypeDesc); }],
        ['商品', function (r) { return esc(r.skuName); }],
        ['退款金额', function (r) { return money(r.refundAmount); }],
        ['申请原因', function (r) { return esc(r.reason); }],
        ['申请时间', function (r) { return time(r.applyTime); }],
        ['处理截止时间', function (r) { return time(r.handleDeadline) + left(r.handleDeadline, r.refundStatus === 10 ? 10 : 0); }],
        ['售后状态', function (r) { return tag(r.refundStatusDesc); }]]
    },
    '/rx/list': {
      title: '处方审核', mt: 'seller.rx.list', param: 'auditStatus', def: '0', detail: '/rx/detail', id: 'rxId',
      tabs: [['0', '待审核'], ['1', '已通过'], ['2', '已驳回']],
      cols: [['处方单号', function (r) { return link('/rx/detail', 'rxId', r.rxId); }],
        ['订单编号', function (r) { return esc(r.orderId); }],
        ['患者', function (r) { return esc(r.patientName) + ' ' + esc(r.patientGender) + ' ' + esc(r.patientAge) + '岁'; }],
        ['诊断', function (r) { return esc(r.diagnosis); }],
        ['药品', function (r) { return (r.drugs || []).map(function (d) { return esc(d.name) + ' ' + esc(d.spec); }).join('<br>'); }],
        ['开方医生', function (r) { return esc(r.doctorName); }],
        ['提交时间', function (r) { return time(r.submitTime); }],
        ['审核状态', function (r) { return tag(r.auditStatusDesc); }]]
    },
    '/complaint/list': {
      title: '投诉管理', mt: 'seller.complaint.list', param: 'status', def: '0', detail: '/complaint/detail', id: 'complaintId',
      tabs: [['0', '待处理'], ['1', '已处理']],
      cols: [['投诉单号', function (r) { return link('/complaint/detail', 'complaintId', r.complaintId); }],
        ['订单编号', function (r) { return esc(r.orderId); }],
        ['投诉类型', function (r) { return esc(r.complaintType); }],
        ['投诉内容', function (r) { return esc(r.content); }],
        ['投诉时间', function (r) { return time(r.createTime); }],
        ['处理截止时间', function (r) { return time(r.handleDeadline) + left(r.handleDeadline, r.status === 0 ? 10 : 0); }],
        ['状态', function (r) { return tag(r.statusDesc); }]]
    }
  };
  var DETAILS = {
    '/order/detail': ['订单详情', 'seller.order.detail', 'orderId'],
    '/aftersale/detail': ['售后详情', 'seller.refund.detail', 'refundId'],
    '/rx/detail': ['处方详情', 'seller.rx.detail', 'rxId'],
    '/complaint/detail': ['投诉详情', 'seller.complaint.detail', 'complaintId']
  };

  function esc(v) {
    return String(v === undefined || v === null ? '' : v).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  var FMT = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit',
    day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  function time(v) {
    if (typeof v !== 'number') return esc(v);
    var p = {};
    FMT.formatToParts(new Date(v)).forEach(function (x) { p[x.type] = x.value; });
    return p.year + '-' + p.month + '-' + p.day + ' ' + p.hour + ':' + p.minute + ':' + p.second;
  }
  function money(v) { return typeof v === 'number' ? '¥' + (v / 100).toFixed(2) : esc(v); }
  function tag(t) { return '<span class="el-tag">' + esc(t) + '</span>'; }
  function goods(items) {
    return (Array.isArray(items) ? items : []).map(function (i) {
      return esc(i.skuName) + ' <span class="muted">' + esc(i.spec) + ' ×' + esc(i.quantity) + '</span>';
    }).join('<br>');
  }
  function link(route, key, id) {
    return '<a class="el-link" href="#' + route + '?' + key + '=' + encodeURIComponent(id) + '">' + esc(id) + '</a>';
  }
  function left(deadline, status) {
    if (typeof deadline !== 'number' || (status !== 10 && status !== 20)) return '';
    var mins = Math.floor((deadline - (Date.now() + serverOffset)) / 60000);
    if (mins < 0) return '<div class="countdown is-over">已超时 ' + Math.floor(-mins / 60) + '小时' + (-mins % 60) + '分</div>';
    return '<div class="countdown">剩余 ' + Math.floor(mins / 60) + '小时' + (mins % 60) + '分</div>';
  }
  function message(text) {
    var m = document.createElement('div');
    m.className = 'el-message el-message--error';
    m.setAttribute('role', 'alert');
    m.innerHTML = '<p class="el-message__content">' + esc(text) + '</p>';
    document.body.appendChild(m);
    setTimeout(function () { m.remove(); }, 4000);
  }
  async function call(mt, params) {
    var res = await JK.call(mt, params);
    if (JK.systime) serverOffset = JK.systime - Date.now();
    return res;
  }
  function mask() {
    return '<div class="el-loading-mask"><div class="el-loading-spinner"><i class="spin"></i>' +
      '<p class="el-loading-text">加载中...</p></div></div>';
  }

  // --- home ----------------------------------------------------------------------------------
  function notice(n) {
    if (!n || localStorage.getItem('jk_notice_read') === n.noticeId || document.getElementById('notice-overlay')) return;
    var o = document.createElement('div');
    o.className = 'el-overlay';
    o.id = 'notice-overlay';
    o.innerHTML = '<div class="el-dialog" role="dialog" aria-modal="true" aria-labelledby="notice-title">' +
      '<header class="el-dialog__header"><span id="notice-title" class="el-dialog__title">' + esc(n.title) + '</span></header>' +
      '<div class="el-dialog__body">' + esc(n.content) + '</div><footer class="el-dialog__footer">' +
      '<button type="button" class="el-button el-button--primary">我知道了</button></footer></div>';
    o.querySelector('button').addEventListener('click', function () {
      localStorage.setItem('jk_notice_read', n.noticeId);
      o.remove();
    });
    document.body.appendChild(o);
  }
  async function home(gen) {
    view.innerHTML = '<div class="jk-card is-loading">' + mask() + '</div>';
    var c;
    try { c = await call('seller.dashboard.count', {}); } catch (e) {
      if (gen === seq && !e.redirecting) { message(e.message); view.innerHTML = '<div class="jk-card">' + esc(e.message) + '</div>'; }
      return;
    }
    if (gen !== seq) return;
    var todo = [['待接单', c.waitAcceptCount, '/order/list?status=10'], ['待发货', c.waitDeliverCount, '/order/list?status=20'],
      ['即将超时', c.soonTimeoutCount, '/order/list?status=20'], ['已超时', c.timeoutCount, '/order/list?status=20'],
      ['待处理售后', c.refundWaitCount, '/aftersale/list?status=10'], ['待审处方', c.rxWaitAuditCount, '/rx/list?auditStatus=0'],
      ['待处理投诉', c.complaintWaitCount, '/complaint/list?status=0']];
    notice(c.notice);
    view.innerHTML = '<section class="jk-card todo-card"><h3 class="jk-card__title">' +
      (CFG.drift === 'home' ? '工作台' : '待办事项') + '</h3><div class="todo-list">' +
      todo.map(function (t) {
        return '<a class="todo-item" href="#' + t[2] + '"><div class="todo-num">' + esc(t[1]) +
          '</div><div class="todo-label">' + t[0] + '</div></a>';
      }).join('') + '</div></section>';
  }

  // --- lists ---------------------------------------------------------------------------------
  function sizeLabel(n) { return CFG.drift === 'page_size' ? n + '/page' : n + '条/页'; }
  function pagerHtml(st) {
    var pages = Math.max(1, Math.ceil(st.total / st.pageSize));
    var nums = [];
    for (var i = 1; i <= pages; i++) {
      if (i === 1 || i === pages || Math.abs(i - st.pageNo) <= 2) nums.push(i);
      else if (nums[nums.length - 1] !== '…') nums.push('…');
    }
    var nextLabel = CFG.drift === 'pager' ? 'Go to next page' : '下一页';
    return '<span class="el-pagination__total">共 ' + st.total + ' 条</span>' +
      '<span class="el-pagination__sizes"><div class="el-select"><div class="el-select__wrapper" tabindex="0" ' +
      'role="combobox" aria-haspopup="listbox" aria-expanded="false"><span>' + sizeLabel(st.pageSize) +
      '</span><i class="el-select__caret">⌄</i></div></div></span>' +
      '<button type="button" class="btn-prev" aria-label="上一页"' + (st.pageNo <= 1 ? ' disabled' : '') + '>‹</button>' +
      '<ul class="el-pager">' + nums.map(function (n) {
        return n === '…' ? '<li class="more">…</li>' : '<li class="number' + (n === st.pageNo ? ' is-active" aria-current="true' : '') +
          '" data-page="' + n + '">' + n + '</li>';
      }).join('') + '</ul>' +
      '<button type="button" class="btn-next" aria-label="' + nextLabel + '"' + (st.pageNo >= pages ? ' disabled' : '') + '>›</button>' +
      '<span class="el-pagination__jump">前往<input class="el-input__inner" type="number" min="1" max="' + pages + '">页</span>';
  }
  function dropdownHtml(st) {
    return '<ul class="el-select-dropdown__list" role="listbox">' + SIZES.map(function (n) {
      return '<li class="el-select-dropdown__item' + (n === st.pageSize ? ' is-selected' : '') + '" role="option" ' +
        'aria-selected="' + (n === st.pageSize) + '" data-size="' + n + '">' + sizeLabel(n) + '</li>';
    }).join('') + '</ul>';
  }
  function tableHtml(cfg, st) {
    var head = '<table class="el-table__header"><thead><tr>' + cfg.cols.map(function (c) {
      return '<th class="el-table__cell"><div class="cell">' + c[0] + '</div></th>';
    }).join('') + '</tr></thead></table>';
    if (!st.rows.length) return head + '<div class="el-table__empty-block"><span class="el-table__empty-text">暂无数据</span></div>';
    return head + '<table class="el-table__body"><tbody>' + st.rows.map(function (r) {
      return '<tr class="el-table__row">' + cfg.cols.map(function (c) {
        return '<td class="el-table__cell"><div class="cell">' + c[1](r) + '</div></td>';
      }).join('') + '</tr>';
    }).join('') + '</tbody></table>';
  }
  function list(gen, cfg, q) {
    var st = { status: q[cfg.param] !== undefined ? q[cfg.param] : cfg.def, pageNo: 1, pageSize: 20, total: 0, rows: [], gen: gen };
    view.innerHTML = '<div class="jk-card"><h2 class="jk-page-title">' + cfg.title + '</h2>' +
      '<div class="el-tabs"><div class="el-tabs__nav" role="tablist">' + cfg.tabs.map(function (t) {
        var on = t[0] === String(st.status);
        return '<div class="el-tabs__item' + (on ? ' is-active' : '') + '" role="tab" aria-selected="' + on +
          '" data-status="' + t[0] + '" tabindex="' + (on ? 0 : -1) + '">' + t[1] + '</div>';
      }).join('') + '</div></div><div class="el-table"></div><div class="el-pagination"></div></div>';
    view.querySelectorAll('.el-tabs__item').forEach(function (el) {
      el.addEventListener('click', function () {
        location.hash = '#' + q.__path + '?' + cfg.param + '=' + el.dataset.status;
      });
    });
    load(cfg, st);
  }
  async function load(cfg, st) {
    var box = view.querySelector('.el-table');
    box.insertAdjacentHTML('beforeend', mask());
    var p = { pageNo: st.pageNo, pageSize: st.pageSize };
    p[cfg.param] = st.status;
    var page;
    try { page = await call(cfg.mt, p); } catch (e) {
      if (st.gen === seq && !e.redirecting) { message(e.message); box.querySelectorAll('.el-loading-mask').forEach(function (m) { m.remove(); }); }
      return;
    }
    if (st.gen !== seq) return;
    st.total = page.total; st.rows = page.list || []; st.pageNo = page.pageNo; st.pageSize = page.pageSize;
    box.innerHTML = tableHtml(cfg, st);
    renderPager(cfg, st);
    notice(page.notice);
  }
  function renderPager(cfg, st) {
    var pager = view.querySelector('.el-pagination');
    pager.innerHTML = pagerHtml(st);
    var drop = document.getElementById('size-dropdown');
    drop.innerHTML = dropdownHtml(st);
    drop.hidden = true;
    var go = function (n) { st.pageNo = n; load(cfg, st); };
    pager.querySelector('.btn-next').addEventListener('click', function () { go(st.pageNo + 1); });
    pager.querySelector('.btn-prev').addEventListener('click', function () { go(st.pageNo - 1); });
    pager.querySelectorAll('li.number').forEach(function (li) {
      li.addEventListener('click', function () { go(Number(li.dataset.page)); });
    });
    pager.querySelector('.el-pagination__jump input').addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && Number(e.target.value) >= 1) go(Number(e.target.value));
    });
    var sel = pager.querySelector('.el-select__wrapper');
    sel.addEventListener('click', function () {
      var r = sel.getBoundingClientRect();
      drop.style.left = r.left + 'px';
      drop.style.top = (r.top - 4 - SIZES.length * 34) + 'px';
      drop.hidden = !drop.hidden;
      sel.setAttribute('aria-expanded', String(!drop.hidden));
    });
    drop.querySelectorAll('li').forEach(function (li) {
      li.addEventListener('click', function () {
        drop.hidden = true;
        st.pageSize = Number(li.dataset.size);
        go(1);
      });
    });
  }

  // --- details, routing ----------------------------------------------------------------------
  async function detail(gen, d, q) {
    view.innerHTML = '<div class="jk-card is-loading">' + mask() + '</div>';
    var p = {};
    p[d[2]] = q[d[2]] || '';
    var rec;
    try { rec = await call(d[1], p); } catch (e) {
      if (gen === seq && !e.redirecting) view.innerHTML = '<div class="jk-card">' + esc(e.message) + '</div>';
      return;
    }
    if (gen !== seq) return;
    view.innerHTML = '<div class="jk-card"><h2 class="jk-page-title">' + d[0] + '</h2><table class="el-descriptions">' +
      Object.keys(rec).map(function (k) {
        var v = rec[k];
        var shown = /Time$|Deadline$/.test(k) ? time(v) : esc(typeof v === 'object' ? JSON.stringify(v) : v);
        return '<tr><th>' + esc(k) + '</th><td>' + shown + '</td></tr>';
      }).join('') + '</table></div>';
  }
  function route() {
    var h = location.hash.replace(/^#/, '');
    if (!h || h === '/') { location.replace('#/home'); return; }
    var at = h.indexOf('?');
    var path = at < 0 ? h : h.slice(0, at);
    var q = {};
    new URLSearchParams(at < 0 ? '' : h.slice(at + 1)).forEach(function (v, k) { q[k] = v; });
    q.__path = path;
    var gen = ++seq;
    document.getElementById('size-dropdown').hidden = true;
    document.querySelectorAll('.el-menu-item').forEach(function (li) {
      li.classList.toggle('is-active', path.indexOf(li.dataset.root) === 0);
    });
    if (path === '/home') home(gen);
    else if (LISTS[path]) list(gen, LISTS[path], q);
    else if (DETAILS[path]) detail(gen, DETAILS[path], q);
    else view.innerHTML = '<div class="jk-card">页面不存在</div>';
  }
  document.getElementById('logout').addEventListener('click', function (e) {
    e.preventDefault();
    JK.toLogin(false);
  });
  window.addEventListener('hashchange', route);
  call('kylin.getUserAndSellerInfo', {}).then(function (u) {
    document.getElementById('store-name').textContent = u.storeName;
    document.getElementById('user-nick').textContent = u.nick;
  }).catch(function (e) { if (!e.redirecting) message(e.message); });
  route();
})();
