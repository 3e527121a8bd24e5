(function () {
  var wrap = document.querySelector('.ad-dialog-wrap');
  function fill(data) {
    document.querySelectorAll('.todo-list strong[data-key]').forEach(function (el) {
      el.textContent = data[el.dataset.key];
    });
    document.querySelector('.update-time').textContent = '更新于 ' + data.updateTime;
  }
  function load(refresh) {
    return fetch('/o/home/counts.d?_calf=erp-web' + (refresh ? '&refresh=1' : ''), { headers: { 'X-Requested-With': 'XMLHttpRequest' } })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (j) {
        if (j.code === 10001) { location.href = '/login?redirect=' + encodeURIComponent(location.pathname); return; }
        fill(j.data);
      })
      .catch(function () { document.querySelector('.update-time').textContent = '加载失败，请刷新'; });
  }
  document.querySelector('.panel-head i').addEventListener('click', function () { load(true); });
  load(false);
  if (wrap) { wrap.querySelector('i').addEventListener('click', function () { wrap.remove(); }); }
})();
