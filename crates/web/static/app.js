// Behaviour shared by every page, here rather than in the markup: the Content-Security-Policy
// allows no inline script. A picker marked `data-autosubmit` submits its form when changed.
(function () {
  document.addEventListener('change', function (e) {
    var el = e.target;
    if (el && el.hasAttribute && el.hasAttribute('data-autosubmit') && el.form) el.form.submit();
  });
  // The phone menu: one button folds the modules in and out.
  document.addEventListener('click', function (e) {
    var b = e.target && e.target.closest ? e.target.closest('.menu-toggle') : null;
    if (!b) return;
    var open = b.getAttribute('aria-expanded') !== 'true';
    b.setAttribute('aria-expanded', open ? 'true' : 'false');
    b.parentElement.classList.toggle('menu-open', open);
  });
})();
