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
  // Long work sent from a form marked `data-progress` (an import, a bulk assignment): the form
  // is sent in the background with a token, and while the server works the page shows its
  // step and how far it is (a browser does not deliver other answers to a page that is
  // navigating away); the answer then replaces the page, as a plain submission would.
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!form.hasAttribute || !form.hasAttribute('data-progress') || !form.elements.progress) return;
    if (!window.fetch || !window.FormData) return;
    e.preventDefault();
    var token = (window.crypto && crypto.randomUUID) ? crypto.randomUUID()
      : String(Date.now()) + '-' + Math.random().toString(36).slice(2);
    form.elements.progress.value = token;
    var data = new FormData(form);
    if (e.submitter && e.submitter.name) data.append(e.submitter.name, e.submitter.value);
    var line = form.querySelector('.progress-line');
    var done = false;
    var ask = function () {
      if (done || !line) return;
      fetch('/progress/' + token, { credentials: 'same-origin' }).then(function (r) {
        return r.ok ? r.json() : null;
      }).then(function (s) {
        if (done) return;
        if (s && s.step) {
          var bar = line.querySelector('progress'), text = line.querySelector('span');
          line.hidden = false;
          if (s.total > 0) { bar.max = s.total; bar.value = Math.min(s.done, s.total); text.textContent = s.step + ' ' + s.done + ' / ' + s.total; }
          else { bar.removeAttribute('value'); text.textContent = s.step; }
        }
        setTimeout(ask, 400);
      }).catch(function () { setTimeout(ask, 800); });
    };
    setTimeout(ask, 200);
    // Sent as the form would be: a file upload as multipart, anything else URL-encoded.
    var body = form.enctype === 'multipart/form-data' ? data : new URLSearchParams(data);
    fetch(form.action, { method: 'POST', body: body, credentials: 'same-origin' }).then(function (r) {
      return r.text().then(function (html) {
        done = true;
        if (r.redirected) { window.location.href = r.url; return; }
        document.open(); document.write(html); document.close();
      });
    }).catch(function () { done = true; form.submit(); });
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
