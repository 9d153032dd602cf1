// Behaviour shared by every page, here rather than in the markup: the Content-Security-Policy
// allows no inline script. A picker marked `data-autosubmit` submits its form when changed.
(function () {
  document.addEventListener('change', function (e) {
    var el = e.target;
    if (el && el.hasAttribute && el.hasAttribute('data-autosubmit') && el.form) el.form.submit();
  });
})();
