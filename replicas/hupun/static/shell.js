(function () {
  // A business page in the iframe (another origin) reports a lost login; the shell goes to log in.
  var biz = document.getElementById('app').dataset.biz;
  window.addEventListener('message', function (e) {
    if (e.origin !== biz || !e.data || e.data.type !== 'hp:not-login') { return; }
    location.href = '/login?redirect=' + encodeURIComponent(location.pathname + location.search);
  });
})();
