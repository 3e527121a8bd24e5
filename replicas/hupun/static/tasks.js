// The 系统任务 panel of the WMS page: it polls the task list itself while a task is running.
(function () {
  var P = window.HP_PAGE, esc = HP.esc, panel = document.getElementById(P.taskPanel);
  if (!panel) { return; }
  var body = panel.querySelector('tbody'), stamp = panel.querySelector('.task-refreshed'), open = true;
  function render(list) {
    body.innerHTML = list.length ? list.map(function (t) {
      var running = t.status === '处理中';
      return '<tr class="task-row" data-task-no="' + esc(t.taskNo) + '"><td>' + esc(t.taskNo) + '</td><td>' + esc(t.taskName) +
        '</td><td><span class="task-status ' + (running ? 'running' : 'done') + '">' + esc(t.status) + '</span></td><td>' +
        esc(t.orderCount) + '</td><td>' + esc(t.created) + '</td><td>' + esc(t.finished) + '</td></tr>';
    }).join('') : '<tr><td colspan="6">暂无任务</td></tr>';
    stamp.textContent = '刷新于 ' + new Date().toLocaleTimeString('zh-CN', { hour12: false });
    stamp.style.display = '';
    return list.some(function (t) { return t.status === '处理中'; });
  }
  function poll() {
    fetch(P.taskApi, { headers: { 'X-Requested-With': 'XMLHttpRequest' } })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (j) {
        if (j.code === 10001) { HP.notLogin(j.message); return; }
        if (render(j.data.list || []) && open) { setTimeout(poll, P.taskPollMs); }
      })
      .catch(function () { if (open) { setTimeout(poll, P.taskPollMs * 3); } });
  }
  panel.querySelector('.task-panel__head > div:last-child').addEventListener('click', function () {
    open = false; panel.style.display = 'none';
  });
  poll();
})();
