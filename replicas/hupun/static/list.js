// A business list page: query bar (+ "more"), an hp-pager, a vxe-style grid filled from JSON.
(function () {
  var P = window.HP_PAGE, esc = HP.esc;
  var S = { page: 1, size: P.defaultSize, applied: {} };
  var q = function (s) { return document.querySelector(s); };
  function tcm(flag) { return String(flag) === '1' ? '<span class="tag-tcm">中药</span>' : ''; }
  function text(key) { return function (r) { return esc(r[key]); }; }
  var COLUMNS = {
    remark: [['店铺', text('shopNick')], ['平台', text('platform')], ['线上单号', text('tid')], ['系统单号', text('tradeNo')],
      ['买家留言', text('buyerMessage')], ['卖家备注', text('sellerMemo')], ['订单类型', text('tradeType')],
      ['支付方式', text('payType')], ['快递公司', text('express')],
      ['商品', function (r) {
        return (Array.isArray(r.items) ? r.items : []).map(function (i) {
          return esc(i.itemName) + ' ' + esc(i.skuName) + ' ×' + esc(i.size) + tcm(i.tcmFlag);
        }).join('<br>');
      }],
      ['状态', text('status')], ['下单时间', text('created')]],
    wms: [['系统单号', text('tradeNo')], ['线上单号', text('tid')], ['平台', text('platformName')], ['店铺', text('shopName')],
      ['环节', function (r) { return '<span class="' + (r.exceptionReason ? 'tag-ex' : '') + '">' + esc(r.status) + '</span>'; }],
      ['异常原因', text('exceptionReason')], ['波次号', text('waveNo')], ['系统任务', text('taskNo')], ['快递公司', text('express')],
      ['商品', function (r) {
        return (Array.isArray(r.goods) ? r.goods : []).map(function (g) {
          return esc(g.name) + ' ' + esc(g.spec) + ' ×' + esc(g.qty);
        }).join('<br>');
      }],
      ['推送时间', text('pushTime')]]
  };
  var cols = COLUMNS[P.view], grid = q('.' + P.table), pager = q('.' + P.pager);
  var tbody = grid.querySelector('.vxe-table--body tbody'), empty = grid.querySelector('.vxe-table--empty-block');
  grid.querySelector('.vxe-table--header thead').innerHTML = '<tr>' + cols.map(function (c, i) {
    return '<th class="vxe-header--column col_' + (i + 3) + '" colid="col_' + (i + 3) + '">' + c[0] + '</th>';
  }).join('') + '</tr>';
  function form() {
    var values = {};
    document.querySelectorAll('.query-condition [data-prop]').forEach(function (el) {
      values[el.dataset.prop] = el.classList.contains('el-select') ? el.dataset.value : el.value.trim();
    });
    return values;
  }
  function rowHtml(r) {
    return '<tr class="vxe-body--row" rowid="' + esc(r.uid) + '">' + cols.map(function (c, i) {
      return '<td class="vxe-body--column col_' + (i + 3) + '" colid="col_' + (i + 3) + '"><div class="vxe-cell">' +
        c[1](r) + '</div></td>';
    }).join('') + '</tr>';
  }
  // vxe-table's vertical virtual scrolling: above `scroll-y.gt` rows (its default: 100) only the rows
  // in view, plus a buffer, are in the DOM, at a fixed row height; scrolling swaps them. So a page of
  // 1,000 rows holds a few dozen <tr>, and only the page's JSON has all of them.
  var VIRTUAL_GT = 100, ROW_PX = 36, BUFFER = 10, wrapper = grid, shown = [];
  function drawWindow() {
    var first = Math.max(0, Math.floor(wrapper.scrollTop / ROW_PX) - BUFFER);
    var count = Math.ceil(wrapper.clientHeight / ROW_PX) + 2 * BUFFER;
    var last = Math.min(shown.length, first + count);
    tbody.innerHTML = shown.slice(first, last).map(rowHtml).join('');
    grid.querySelector('.vxe-body--y-space').style.height = (shown.length * ROW_PX) + 'px';
    grid.querySelector('.vxe-table--body').style.marginTop = (first * ROW_PX) + 'px';
  }
  wrapper.addEventListener('scroll', function () { if (grid.classList.contains('is--virtual-y')) { drawWindow(); } });
  function render(data) {
    var rows = Array.isArray(data.list) ? data.list : [];
    shown = rows;
    var virtual = rows.length > VIRTUAL_GT;
    grid.classList.toggle('is--virtual-y', virtual);
    wrapper.scrollTop = 0;
    if (virtual) {
      drawWindow();
    } else {
      grid.querySelector('.vxe-body--y-space').style.height = '0';
      grid.querySelector('.vxe-table--body').style.marginTop = '0';
      tbody.innerHTML = rows.map(rowHtml).join('');
    }
    empty.style.display = rows.length ? 'none' : '';
    var total = parseInt(data.total, 10) || 0, pages = Math.max(1, Math.ceil(total / S.size));
    pager.querySelector('.pager-total b').textContent = total;
    pager.querySelector('.pager-current').textContent = S.page + ' / ' + pages;
    pager.querySelector('.btn-prev').classList.toggle('disabled', S.page <= 1);
    pager.querySelector('.btn-next').classList.toggle('disabled', S.page >= pages);
  }
  function load() {
    var body = Object.assign({}, S.applied, { page: S.page, limit: S.size });
    return fetch(P.api, {
      method: 'POST', body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest' }
    }).then(function (r) {
      if (!r.ok) { HP.message('服务器繁忙，请稍后重试（' + r.status + '）', 'error'); return null; }
      return r.json();
    }).then(function (j) {
      if (!j) { return; }
      if (j.code === 10001) { HP.notLogin(j.message); return; }
      if (j.code !== 0) { HP.message(j.message, 'error'); return; }
      render(j.data);
    }).catch(function () { HP.message('网络异常，请稍后重试', 'error'); });
  }
  q('.btn-box .el-button--primary').addEventListener('click', function () {
    S.applied = Object.assign(form(), P.initial); S.page = 1; load();
  });
  q('.btn-box .el-button--default').addEventListener('click', function () {
    document.querySelectorAll('.query-condition .el-select[data-prop]').forEach(function (el) { el.reset(); });
    document.querySelectorAll('.query-condition input[data-prop]').forEach(function (el) { el.value = ''; });
  });
  var more = q('.btn-box .' + P.more), moreBox = q('.query-box.more');
  more.addEventListener('click', function () {
    more.classList.toggle('opened');
    moreBox.classList.toggle('show-more', more.classList.contains('opened'));
  });
  pager.querySelector('.btn-next').addEventListener('click', function (e) {
    if (e.currentTarget.classList.contains('disabled')) { return; }
    S.page += 1; load();
  });
  pager.querySelector('.btn-prev').addEventListener('click', function (e) {
    if (e.currentTarget.classList.contains('disabled')) { return; }
    S.page -= 1; load();
  });
  // [I] A new page size applies to the next query (the public userscript picks 1000, then clicks 查询).
  pager.querySelector('.select-page-size').addEventListener('hp-change', function (e) {
    S.size = parseInt(e.detail, 10); S.page = 1;
  });
  S.applied = Object.assign(form(), P.initial);
  load();
})();
