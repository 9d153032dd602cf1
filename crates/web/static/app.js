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
  // The calibration board: a person dragged to another grade's column opens their move form
  // with that grade chosen and the cursor in the reason (a move always needs one). Without a
  // mouse, the same form opens from the card's own button.
  var dragged = null;
  document.addEventListener('dragstart', function (e) {
    var card = e.target && e.target.closest ? e.target.closest('.grade-board.movable .grade-card') : null;
    if (!card) return;
    dragged = card;
    card.classList.add('dragging');
    e.dataTransfer.effectAllowed = 'move';
    e.dataTransfer.setData('text/plain', card.getAttribute('data-participant'));
  });
  document.addEventListener('dragend', function () {
    if (dragged) dragged.classList.remove('dragging');
    dragged = null;
    document.querySelectorAll('.grade-col.drop-target').forEach(function (c) { c.classList.remove('drop-target'); });
  });
  document.addEventListener('dragover', function (e) {
    var col = dragged && e.target.closest ? e.target.closest('.grade-col') : null;
    if (!col) return;
    e.preventDefault();
    document.querySelectorAll('.grade-col.drop-target').forEach(function (c) { if (c !== col) c.classList.remove('drop-target'); });
    col.classList.add('drop-target');
  });
  document.addEventListener('drop', function (e) {
    var col = dragged && e.target.closest ? e.target.closest('.grade-col') : null;
    if (!col) return;
    e.preventDefault();
    var card = dragged;
    var details = card.querySelector('details.move');
    var select = card.querySelector('select[name=grade]');
    if (!details || !select) return;
    select.value = col.getAttribute('data-grade');
    details.open = true;
    var reason = card.querySelector('input[name=reason]');
    card.scrollIntoView({ block: 'nearest' });
    if (reason) reason.focus();
  });
})();
