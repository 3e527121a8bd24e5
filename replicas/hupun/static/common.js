// Helpers of the business pages: escaping, Element-style messages and selects, the lost-login report.
var HP = (function () {
  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function message(text, type) {
    var box = document.createElement('div');
    box.className = 'el-message el-message--' + (type || 'info');
    box.setAttribute('role', 'alert');
    box.textContent = text;
    document.body.appendChild(box);
    setTimeout(function () { box.remove(); }, 3000);
  }
  var reported = false;
  function notLogin(text) {
    // The page cannot reach the top window's location (another origin): it tells the shell.
    message(text || '登录已失效，请重新登录', 'error');
    if (reported) { return; }
    reported = true;
    setTimeout(function () { window.parent.postMessage({ type: 'hp:not-login' }, '*'); }, 1200);
  }
  function closeAll() {
    document.querySelectorAll('.el-select-dropdown').forEach(function (d) { d.style.display = 'none'; });
    document.querySelectorAll('.el-select.is-focus').forEach(function (s) { s.classList.remove('is-focus'); });
  }
  function initSelect(el) {
    var options = JSON.parse(el.dataset.options), input = el.querySelector('input'), dropdown = null;
    function choose(value) {
      el.dataset.value = value;
      input.value = value;
      closeAll();
      el.dispatchEvent(new CustomEvent('hp-change', { detail: value }));
    }
    function open() {
      closeAll();
      if (!dropdown) {
        // Like Element UI, the dropdown is rendered at body level, away from its select.
        dropdown = document.createElement('div');
        dropdown.className = 'el-select-dropdown el-popper';
        dropdown.innerHTML = '<div class="el-scrollbar"><div class="el-select-dropdown__wrap el-scrollbar__wrap">' +
          '<ul class="el-scrollbar__view el-select-dropdown__list">' + options.map(function (o) {
            return '<li class="el-select-dropdown__item"><span>' + esc(o) + '</span></li>';
          }).join('') + '</ul></div></div>';
        dropdown.addEventListener('click', function (e) {
          var item = e.target.closest('li');
          if (item) { e.stopPropagation(); choose(item.textContent.trim()); }
        });
        document.body.appendChild(dropdown);
      }
      dropdown.querySelectorAll('li').forEach(function (li) {
        li.classList.toggle('selected', li.textContent.trim() === el.dataset.value);
      });
      var box = el.getBoundingClientRect();
      dropdown.style.left = (box.left + window.scrollX) + 'px';
      dropdown.style.top = (box.bottom + window.scrollY + 4) + 'px';
      dropdown.style.display = 'block';
      el.classList.add('is-focus');
    }
    el.addEventListener('click', function (e) {
      e.stopPropagation();
      if (dropdown && dropdown.style.display === 'block') { closeAll(); } else { open(); }
    });
    el.reset = function () { choose(el.dataset.initial); };
  }
  document.addEventListener('click', closeAll);
  document.querySelectorAll('.el-select[data-options]').forEach(initSelect);
  return { esc: esc, message: message, notLogin: notLogin };
})();
