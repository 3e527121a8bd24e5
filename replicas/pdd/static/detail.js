/* mms replica: detail pages (prescription audit buttons). */
(function () {
  'use strict';
  var M = window.MMS;
  var box = document.getElementById('mf-mms-orders-container');
  if (!box) return;
  box.querySelectorAll('.rx-audit').forEach(function (btn) {
    btn.addEventListener('click', function () {
      M.api('/mangkhut/mms/prescription/audit',
        { orderSn: box.getAttribute('data-order-sn'), auditResult: Number(btn.getAttribute('data-result')) })
        .then(function (data) {
          if (data.success) location.reload(); else M.toast(data.errorMsg);
        });
    });
  });
})();
