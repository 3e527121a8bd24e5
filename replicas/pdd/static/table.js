/* mms replica: the BeastCore table (separate header table, lazily rendered rows, pager, page size). */
(function () {
  'use strict';
  var M = window.MMS;
  var el = M.el;
  var CHUNK = 12;

  function colgroup(columns) {
    var group = el('colgroup');
    columns.forEach(function (c) { group.appendChild(el('col', { attrs: c.width ? { style: 'width:' + c.width } : {} })); });
    return group;
  }

  /* opts: columns [{title, width, render(row)}], fetch(page, size) -> Promise<{total, rows} | {error}>,
     pageSizes [10, 20, 50], pageSize, autoload, emptyText */
  M.Table = function (mount, opts) {
    var t = this;
    t.opts = opts;
    t.page = 1;
    t.pageSize = opts.pageSize || 20;
    t.total = 0;
    t.rows = [];
    t.rendered = 0;
    t.seq = 0;
    var headRow = el('tr');
    opts.columns.forEach(function (c) { headRow.appendChild(el('th', { text: c.title })); });
    t.tbody = el('tbody', { testid: 'beast-core-table-middle-tbody', cls: ['TB_tbody'] });
    t.wrap = el('div', { cls: ['TB_outerWrapper'], testid: 'beast-core-table' },
      el('div', { cls: ['TB_tableWrapper', 'TB_headerWrapper'] },
        el('table', { cls: ['TB_table'] }, colgroup(opts.columns), el('thead', { cls: ['TB_thead'] }, headRow))),
      el('div', { cls: ['TB_tableWrapper', 'TB_bodyWrapper'] },
        el('table', { cls: ['TB_table'] }, colgroup(opts.columns), t.tbody)));
    t.sentinel = el('div', { className: 'tb-sentinel', attrs: { style: 'height:1px' } });
    t.totalText = el('span', { cls: ['PGT_totalText'], text: '共 0 条' });
    t.pager = el('ul', { cls: ['PGT_pager'], testid: 'beast-core-pagination' });
    var sizes = (opts.pageSizes || [10, 20, 50]).map(function (n) { return { value: n, label: n + '条/页' }; });
    t.sizeSelect = M.select(sizes, t.pageSize, function (n) { t.pageSize = n; t.load(1); });
    mount.appendChild(t.wrap);
    mount.appendChild(t.sentinel);
    mount.appendChild(el('div', { cls: ['PGT_outerWrapper'] }, t.totalText, t.pager, t.sizeSelect));
    window.addEventListener('scroll', function () { t.fill(); }, { passive: true });
    window.addEventListener('resize', function () { t.fill(); });
    t.message(opts.emptyText || '暂无数据');
    t.renderPager();
    if (opts.autoload !== false) t.load(1);
  };

  M.Table.prototype.message = function (text) {
    this.tbody.textContent = '';
    this.tbody.appendChild(el('tr', { cls: ['TB_empty'] },
      el('td', { text: text, attrs: { colspan: String(this.opts.columns.length) } })));
  };

  M.Table.prototype.setLoading = function (on) {
    if (on && !this.loading) {
      this.loading = el('div', { cls: ['TB_loading'] }, el('div', { cls: ['TB_loadingInner'], text: '加载中' }));
      this.wrap.appendChild(this.loading);
    } else if (!on && this.loading) {
      this.loading.remove();
      this.loading = null;
    }
  };

  M.Table.prototype.load = function (page) {
    var t = this;
    var seq = ++t.seq;
    t.page = page;
    t.setLoading(true);
    return Promise.resolve(t.opts.fetch(page, t.pageSize)).then(function (res) {
      if (seq !== t.seq) return;
      if (res.error) {
        t.message(res.error);
      } else {
        t.total = res.total;
        t.rows = res.rows || [];
        t.tbody.textContent = '';
        t.rendered = 0;
        if (!t.rows.length) t.message(t.opts.emptyText || '暂无数据');
        else t.renderMore();
      }
      t.totalText.textContent = '共 ' + t.total + ' 条';
      t.renderPager();
      t.setLoading(false);
      t.fill();
    }).catch(function (err) {
      if (seq !== t.seq) return;
      t.message(err && err.message ? err.message : '系统繁忙，请稍后重试');
      t.setLoading(false);
    });
  };

  /* Rows beyond the first chunk are only put in the DOM as the page scrolls towards them. */
  M.Table.prototype.renderMore = function () {
    var t = this;
    var end = Math.min(t.rows.length, t.rendered + CHUNK);
    for (var i = t.rendered; i < end; i++) {
      var row = t.rows[i];
      var tr = el('tr', { cls: ['TB_tr'], testid: 'beast-core-table-body-tr', attrs: { 'data-row-index': String(i) } });
      t.opts.columns.forEach(function (c) {
        var value = c.render(row);
        var td = el('td', { cls: ['TB_td'] });
        if (value && typeof value === 'object') td.appendChild(value);
        else td.textContent = value === null || value === undefined ? '' : String(value);
        tr.appendChild(td);
      });
      t.tbody.appendChild(tr);
    }
    t.rendered = end;
  };

  M.Table.prototype.fill = function () {
    while (this.rendered > 0 && this.rendered < this.rows.length &&
           this.sentinel.getBoundingClientRect().top < window.innerHeight + 40) {
      this.renderMore();
    }
  };

  M.Table.prototype.renderPager = function () {
    var t = this;
    var pages = Math.max(1, Math.ceil(t.total / t.pageSize));
    t.pager.textContent = '';
    function item(label, target, extra, testid) {
      var names = ['PGT_pagerItem'].concat(extra || []);
      var disabled = names.indexOf('PGT_disabled') >= 0;
      t.pager.appendChild(el('li', { cls: names, text: label, testid: testid,
        attrs: { title: String(target) },
        on: { click: function () { if (!disabled && target !== t.page) t.load(target); } } }));
    }
    item('‹', t.page - 1, t.page <= 1 ? ['PGT_prev', 'PGT_disabled'] : ['PGT_prev'], 'beast-core-pagination-prev');
    var shown = [];
    for (var p = 1; p <= pages; p++) {
      if (p === 1 || p === pages || Math.abs(p - t.page) <= 2) shown.push(p);
    }
    var last = 0;
    shown.forEach(function (p) {
      if (p - last > 1) t.pager.appendChild(el('li', { cls: ['PGT_pagerItem', 'PGT_ellipsis'], text: '…' }));
      item(String(p), p, p === t.page ? ['PGT_pagerItemActive'] : []);
      last = p;
    });
    item('›', t.page + 1, t.page >= pages ? ['PGT_next', 'PGT_disabled'] : ['PGT_next'], 'beast-core-pagination-next');
  };

  /* Turn an API envelope into table rows. */
  M.listFetch = function (path, body, totalKey, itemsKey) {
    return M.api(path, body).then(function (data) {
      if (!data.success) return { error: data.errorMsg || '系统繁忙，请稍后重试' };
      var result = data.result || {};
      return { total: result[totalKey] || 0, rows: result[itemsKey] || [] };
    });
  };

  M.detailLink = function (href, newTab) {
    var attrs = { href: href };
    if (newTab) { attrs.target = '_blank'; attrs.rel = 'noopener'; }
    return el('a', { cls: ['BTN_outerWrapper', 'BTN_textPrimary'], testid: 'beast-core-button-link',
      text: '查看详情', attrs: attrs });
  };
})();
