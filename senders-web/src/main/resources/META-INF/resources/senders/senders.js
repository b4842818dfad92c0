/*
 * The Senders page: list, add (two steps: address, then DNS records), show DNS records, delete.
 * Plain DOM, no framework. Server data is untrusted: it only ever reaches the page through textContent and
 * attributes, never through innerHTML.
 */
'use strict';
(() => {
  const PAGE_SIZE = 20;
  const EMAIL_PATTERN = /^[^\s@"<>()\[\],;:\\]+@[^\s@"<>()\[\],;:\\]+\.[^\s@"<>()\[\],;:\\.]{2,}$/u;
  const STATUS = {
    verified: 'Verified',
    pending: 'Pending',
    verifying: 'Verifying',
    failed: 'Failed'
  };

  const $ = (id) => document.getElementById(id);

  /** Creates an element. props: class, text, attributes (strings), dataset via data-*; children: nodes or text. */
  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  function announce(message) {
    const region = $('sr-status');
    region.textContent = '';
    // a fresh text node, so that the same message is announced again
    requestAnimationFrame(() => { region.textContent = message; });
  }

  // ---------------------------------------------------------------------------------------------------- API

  class ApiError extends Error {
    constructor(status, problem) {
      super(problem.detail || problem.title || ('The request failed (HTTP ' + status + ').'));
      this.status = status;
      this.problem = problem;
    }
  }

  /** The login page wants a path inside the application (it adds the context path itself). */
  function redirectToLogin() {
    const path = location.pathname;
    const at = path.lastIndexOf('/senders/');
    const next = (at >= 0 ? path.substring(at) : '/senders/') + location.search;
    location.assign('../login.html?next=' + encodeURIComponent(next));
  }

  async function api(path, options = {}) {
    const headers = {'Accept': 'application/json, application/problem+json', 'X-Requested-With': 'XMLHttpRequest'};
    const init = {method: options.method || 'GET', credentials: 'same-origin', cache: 'no-store', headers};
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }
    let response;
    try {
      response = await fetch('../api/' + path, init);
    } catch (e) {
      throw new ApiError(0, {detail: 'The server could not be reached. Check your connection and try again.'});
    }
    if (response.status === 401) {
      redirectToLogin();
      throw new ApiError(401, {detail: 'Your session has ended. Please sign in again.'});
    }
    let data = null;
    if (response.status !== 204 && (response.headers.get('Content-Type') || '').includes('json')) {
      try {
        data = await response.json();
      } catch (e) {
        data = null;
      }
    }
    if (!response.ok) {
      throw new ApiError(response.status, data && typeof data === 'object' ? data : {});
    }
    return data;
  }

  // ----------------------------------------------------------------------------------------- formatting

  const relativeFormat = new Intl.RelativeTimeFormat('en', {numeric: 'always'});
  const exactFormat = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium', timeStyle: 'long'});
  const UNITS = [
    ['year', 365 * 24 * 3600], ['month', 30 * 24 * 3600], ['week', 7 * 24 * 3600],
    ['day', 24 * 3600], ['hour', 3600], ['minute', 60]
  ];

  function relativeTime(date, now = Date.now()) {
    const seconds = Math.round((now - date.getTime()) / 1000);
    if (seconds < 45) return 'just now';
    for (const [unit, size] of UNITS) {
      if (seconds >= size) return relativeFormat.format(-Math.floor(seconds / size), unit);
    }
    return relativeFormat.format(-1, 'minute');
  }

  function timeElement(iso) {
    const date = iso ? new Date(iso) : null;
    if (!date || Number.isNaN(date.getTime())) return el('span', {class: 'muted', text: '—'});
    return el('time', {datetime: date.toISOString(), title: exactFormat.format(date), 'data-relative': ''},
      relativeTime(date));
  }

  function refreshRelativeTimes() {
    const now = Date.now();
    for (const node of document.querySelectorAll('time[data-relative]')) {
      node.textContent = relativeTime(new Date(node.getAttribute('datetime')), now);
    }
  }

  function statusBadge(status, error) {
    const known = Object.prototype.hasOwnProperty.call(STATUS, status);
    return el('span', {class: 'badge badge-' + (known ? status : 'unknown'), title: error || null},
      el('span', {class: 'badge-dot', 'aria-hidden': 'true'}),
      known ? STATUS[status] : String(status || 'Unknown'));
  }

  // ------------------------------------------------------------------------------------------ focus

  const FOCUSABLE = 'button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])';

  function focusablesIn(container) {
    return [...container.querySelectorAll(FOCUSABLE)]
      .filter((node) => !node.disabled && !node.closest('[hidden]') && node.getClientRects().length > 0);
  }

  /** Keeps Tab and Shift+Tab inside the container. */
  function trapFocus(container) {
    container.addEventListener('keydown', (event) => {
      if (event.key !== 'Tab') return;
      const items = focusablesIn(container);
      if (items.length === 0) {
        event.preventDefault();
        return;
      }
      const active = document.activeElement;
      const first = items[0];
      const last = items[items.length - 1];
      if (!container.contains(active)) {
        event.preventDefault();
        (event.shiftKey ? last : first).focus();
        return;
      }
      const before = items.filter((n) => n !== active && (n.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_FOLLOWING));
      const after = items.filter((n) => n !== active && (n.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_PRECEDING));
      if (event.shiftKey && before.length === 0) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && after.length === 0) {
        event.preventDefault();
        first.focus();
      }
    });
  }

  /** Focus back to the opener; if the table was redrawn meanwhile, to its replacement; else to "+ Add sender". */
  function restoreFocus(opener) {
    let target = opener;
    if (target && !target.isConnected && target.dataset.focusKey) {
      target = document.querySelector('[data-focus-key="' + CSS.escape(target.dataset.focusKey) + '"]');
    }
    if (!target || !target.isConnected) target = $('add-sender');
    target.focus();
  }

  // ------------------------------------------------------------------------------------------ table

  let currentPage = 1;

  function showPageError(message) {
    const box = $('page-error');
    box.textContent = message;
    box.hidden = !message;
  }

  async function loadPage(page) {
    $('table-card').setAttribute('aria-busy', 'true');
    try {
      let data = await api('senders?page=' + encodeURIComponent(page) + '&size=' + PAGE_SIZE);
      const size = data.size || PAGE_SIZE;
      const pages = Math.max(1, Math.ceil(data.total / size));
      if (data.items.length === 0 && data.total > 0 && page > 1) {
        data = await api('senders?page=' + Math.min(page - 1, pages) + '&size=' + PAGE_SIZE);
      }
      showPageError('');
      render(data);
    } catch (e) {
      if (e.status !== 401) showPageError('Could not load senders. ' + e.message);
    } finally {
      $('loading').hidden = true;
      $('table-card').setAttribute('aria-busy', 'false');
    }
  }

  function render(data) {
    const size = data.size || PAGE_SIZE;
    const total = Number(data.total) || 0;
    const pages = Math.max(1, Math.ceil(total / size));
    currentPage = data.page || 1;

    const rows = $('sender-rows');
    rows.replaceChildren(...data.items.map(row));
    $('senders-table').hidden = total === 0;
    $('empty').hidden = total !== 0;

    $('pager-text').textContent = 'Page ' + currentPage + ' - ' + pages + ' of ' + total + ' senders';
    $('pager-buttons').hidden = pages <= 1;
    $('prev-page').disabled = currentPage <= 1;
    $('next-page').disabled = currentPage >= pages;
  }

  function row(sender) {
    const email = el('button', {
      type: 'button', class: 'email-link', 'data-focus-key': 'email-' + sender.id,
      'aria-describedby': 'show-records-hint'
    }, sender.emailAddress);
    email.addEventListener('click', () => showRecords(sender.id, email));

    const actions = el('button', {
      type: 'button', class: 'btn-icon row-actions', 'aria-label': 'Actions for ' + sender.emailAddress,
      'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': 'row-menu',
      'data-focus-key': 'actions-' + sender.id
    }, el('span', {'aria-hidden': 'true', text: '⋮'}));
    actions.addEventListener('click', () => toggleMenu(actions, sender));

    const emailCell = el('td', {}, el('div', {class: 'cell-email'},
      globeIcon(), email,
      sender.isDefault ? el('span', {class: 'pill', text: 'Default'}) : null));

    return el('tr', {'data-sender-id': sender.id},
      emailCell,
      el('td', {}, statusBadge(sender.verificationStatus, sender.verificationError)),
      el('td', {class: 'cell-created'}, timeElement(sender.createdAt)),
      el('td', {class: 'col-actions'}, actions));
  }

  function globeIcon() {
    const NS = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('fill', 'none');
    svg.setAttribute('stroke', 'currentColor');
    svg.setAttribute('stroke-width', '1.6');
    for (const [tag, attrs] of [
      ['circle', {cx: 12, cy: 12, r: 9}],
      ['ellipse', {cx: 12, cy: 12, rx: 4, ry: 9}],
      ['path', {d: 'M3 12h18'}]]) {
      const shape = document.createElementNS(NS, tag);
      for (const [k, v] of Object.entries(attrs)) shape.setAttribute(k, String(v));
      svg.append(shape);
    }
    return el('span', {class: 'globe', 'aria-hidden': 'true'}, svg);
  }

  // ------------------------------------------------------------------------------------------- ⋮ menu

  const menu = $('row-menu');
  let menuOpener = null;
  let menuSender = null;

  function menuItems() {
    return [...menu.querySelectorAll('[role="menuitem"]')];
  }

  function toggleMenu(button, sender) {
    if (!menu.hidden && menuOpener === button) {
      closeMenu(true);
      return;
    }
    closeMenu(false);
    menuOpener = button;
    menuSender = sender;
    button.setAttribute('aria-expanded', 'true');
    menu.hidden = false;
    const rect = button.getBoundingClientRect();
    const width = menu.offsetWidth;
    menu.style.top = Math.round(rect.bottom + 4) + 'px';
    menu.style.left = Math.round(Math.max(8, rect.right - width)) + 'px';
    menuItems()[0].focus();
  }

  function closeMenu(returnFocus) {
    if (menu.hidden) return;
    menu.hidden = true;
    if (menuOpener) {
      menuOpener.setAttribute('aria-expanded', 'false');
      if (returnFocus) menuOpener.focus();
    }
  }

  menu.addEventListener('keydown', (event) => {
    const items = menuItems();
    const index = items.indexOf(document.activeElement);
    switch (event.key) {
      case 'Escape':
        event.preventDefault();
        closeMenu(true);
        break;
      case 'Tab':
        event.preventDefault();
        closeMenu(true);
        break;
      case 'ArrowDown':
        event.preventDefault();
        items[(index + 1) % items.length].focus();
        break;
      case 'ArrowUp':
        event.preventDefault();
        items[(index - 1 + items.length) % items.length].focus();
        break;
      case 'Home':
        event.preventDefault();
        items[0].focus();
        break;
      case 'End':
        event.preventDefault();
        items[items.length - 1].focus();
        break;
      default:
    }
  });

  document.addEventListener('pointerdown', (event) => {
    if (!menu.hidden && !menu.contains(event.target) && !(menuOpener && menuOpener.contains(event.target))) {
      closeMenu(false);
    }
  });
  window.addEventListener('resize', () => closeMenu(false));
  window.addEventListener('scroll', () => closeMenu(false), true);

  $('menu-delete').addEventListener('click', () => {
    const opener = menuOpener;
    const sender = menuSender;
    closeMenu(false);
    openConfirm(sender, opener);
  });

  // ---------------------------------------------------------------------------------- delete confirmation

  const confirmDialog = $('confirm-dialog');
  let confirmOpener = null;
  let confirmSender = null;
  trapFocus(confirmDialog);

  function openConfirm(sender, opener) {
    confirmSender = sender;
    confirmOpener = opener;
    $('confirm-email').textContent = sender.emailAddress;
    $('confirm-error').hidden = true;
    $('confirm-error').textContent = '';
    setDeleting(false);
    confirmDialog.showModal();
    $('confirm-cancel').focus();
  }

  function setDeleting(busy) {
    const button = $('confirm-delete');
    button.disabled = busy;
    button.textContent = busy ? 'Deleting…' : 'Delete';
    confirmDialog.setAttribute('aria-busy', String(busy));
  }

  $('confirm-cancel').addEventListener('click', () => confirmDialog.close());
  confirmDialog.addEventListener('close', () => restoreFocus(confirmOpener));

  $('confirm-delete').addEventListener('click', async () => {
    const sender = confirmSender;
    setDeleting(true);
    try {
      await api('senders/' + encodeURIComponent(sender.id), {method: 'DELETE'});
    } catch (e) {
      if (e.status !== 404) {
        setDeleting(false);
        const box = $('confirm-error');
        box.textContent = e.message;
        box.hidden = false;
        $('confirm-delete').focus();
        return;
      }
    }
    const row = document.querySelector('tr[data-sender-id="' + CSS.escape(String(sender.id)) + '"]');
    const sibling = row && (row.nextElementSibling || row.previousElementSibling);
    if (row) row.remove();
    confirmOpener = sibling ? sibling.querySelector('.row-actions') : $('add-sender');
    confirmDialog.close();
    announce('Sender ' + sender.emailAddress + ' deleted');
    await loadPage(currentPage);
    if (confirmOpener && !confirmOpener.isConnected) restoreFocus(confirmOpener);
  });

  // ------------------------------------------------------------------------------- add sender / records

  const dialog = $('sender-dialog');
  const emailInput = $('email-input');
  let dialogOpener = null;
  let tableIsStale = false;
  trapFocus(dialog);

  function showStep(step) {
    $('step-email').hidden = step !== 'email';
    $('step-dns').hidden = step !== 'dns';
    dialog.setAttribute('aria-labelledby', step === 'email' ? 'step-email-title' : 'step-dns-title');
  }

  function setEmailError(message) {
    const error = $('email-error');
    error.textContent = message || '';
    error.hidden = !message;
    if (message) {
      emailInput.setAttribute('aria-invalid', 'true');
      emailInput.setAttribute('aria-describedby', 'email-error email-hint');
    } else {
      emailInput.removeAttribute('aria-invalid');
      emailInput.setAttribute('aria-describedby', 'email-hint');
    }
  }

  function validateEmail(value) {
    if (value === '') return 'Enter an email address.';
    if (value.length > 320 || !EMAIL_PATTERN.test(value)) {
      return 'Enter a valid email address, like news@yourdomain.com.';
    }
    return '';
  }

  function setSubmitting(busy) {
    const button = $('email-submit');
    button.disabled = busy;
    button.textContent = busy ? 'Adding…' : 'Add Sender';
    emailInput.readOnly = busy;
    dialog.setAttribute('aria-busy', String(busy));
  }

  function openAddDialog(opener) {
    dialogOpener = opener;
    $('email-form').reset();
    setEmailError('');
    setSubmitting(false);
    showStep('email');
    dialog.showModal();
    emailInput.focus();
  }

  emailInput.addEventListener('blur', () => {
    const value = emailInput.value.trim();
    if (value !== '') setEmailError(validateEmail(value));
  });
  emailInput.addEventListener('input', () => {
    // once an error is shown, it follows the typing; a valid address clears it at once
    if (emailInput.getAttribute('aria-invalid') === 'true') setEmailError(validateEmail(emailInput.value.trim()));
  });

  $('email-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    if ($('email-submit').disabled) return;
    const value = emailInput.value.trim();
    const problem = validateEmail(value);
    setEmailError(problem);
    if (problem) {
      emailInput.focus();
      return;
    }
    setSubmitting(true);
    try {
      const created = await api('senders', {method: 'POST', body: {emailAddress: value}});
      tableIsStale = true;
      showRecordsStep(created.sender, created.dnsRecords || []);
      announce('Sender ' + created.sender.emailAddress + ' added. Configure its DNS records.');
    } catch (e) {
      if (e.status !== 401) {
        setEmailError(e.message);
        emailInput.focus();
      }
    } finally {
      setSubmitting(false);
    }
  });

  async function showRecords(id, opener) {
    try {
      const data = await api('senders/' + encodeURIComponent(id));
      const sender = data.sender || data;
      dialogOpener = opener;
      showRecordsStep(sender, data.dnsRecords || []);
      if (!dialog.open) dialog.showModal();
      $('step-dns-title').focus();
    } catch (e) {
      if (e.status === 404) {
        showPageError('This sender no longer exists.');
        loadPage(currentPage);
      } else if (e.status !== 401) {
        showPageError('Could not load the DNS records. ' + e.message);
      }
    }
  }

  function showRecordsStep(sender, records) {
    const zone = (records.find((r) => r.zone) || {}).zone || sender.domainUnicode || sender.domain || '';
    $('dns-zone').textContent = zone ? '(' + zone + ')' : '';
    $('dns-sender').replaceChildren(
      el('span', {class: 'muted', text: 'Sender '}),
      el('strong', {text: sender.emailAddress}),
      ' ',
      statusBadge(sender.verificationStatus, sender.verificationError));
    $('dns-records').replaceChildren(recordsTable(records, zone));
    showStep('dns');
    $('step-dns-title').focus();
  }

  function recordsTable(records, zone) {
    if (records.length === 0) {
      return el('p', {class: 'empty', text: 'No DNS records are available for this sender.'});
    }
    const columns = el('colgroup', {}, el('col', {class: 'col-type'}), el('col', {class: 'col-name'}),
      el('col', {class: 'col-value'}), el('col', {class: 'col-required'}));
    const head = el('thead', {}, el('tr', {},
      el('th', {scope: 'col', text: 'Type'}),
      el('th', {scope: 'col', text: 'Name'}),
      el('th', {scope: 'col', text: 'Value'}),
      el('th', {scope: 'col'}, el('span', {class: 'visually-hidden', text: 'Required'}))));
    const body = el('tbody', {}, ...records.map(recordRow));
    return el('div', {class: 'table-scroll'},
      el('table', {class: 'dns', 'aria-label': 'DNS records' + (zone ? ' for ' + zone : '')}, columns, head, body));
  }

  function recordRow(record) {
    const relative = record.relativeName === undefined || record.relativeName === null
      ? record.name : (record.relativeName === '' ? '@' : record.relativeName);
    const purpose = record.purpose || '';
    return el('tr', {'data-purpose': purpose, 'data-type': record.type},
      el('td', {class: 'cell-type'},
        el('span', {class: 'rr-type', text: record.type}),
        purpose ? el('span', {class: 'purpose', text: purpose}) : null),
      el('td', {class: 'cell-name'},
        el('div', {class: 'copy-field'},
          el('code', {class: 'rr-name', title: record.name, text: relative}),
          copyButton('Copy name', relative)),
        record.name && record.name !== relative ? el('div', {class: 'fqdn', title: record.name, text: record.name}) : null),
      el('td', {class: 'cell-value'},
        el('div', {class: 'copy-field'},
          el('code', {class: 'rr-value', text: record.value}),
          copyButton('Copy value', record.value))),
      el('td', {class: 'cell-required'},
        el('span', {class: record.required === false ? 'pill pill-optional' : 'pill pill-required',
          text: record.required === false ? 'Recommended' : 'Required'})));
  }

  function copyButton(label, value) {
    const text = el('span', {class: 'copy-text', text: 'Copy'});
    const button = el('button', {type: 'button', class: 'btn-copy', 'aria-label': label}, text);
    let timer = null;
    button.addEventListener('click', async () => {
      const ok = await copyToClipboard(value, button);
      clearTimeout(timer);
      button.classList.toggle('copied', ok);
      text.textContent = ok ? 'Copied' : 'Copy failed';
      announce(ok ? 'Copied' : 'Copy failed: select the text and copy it yourself');
      timer = setTimeout(() => {
        button.classList.remove('copied');
        text.textContent = 'Copy';
      }, 2000);
    });
    return button;
  }

  async function copyToClipboard(value, button) {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(value);
        return true;
      } catch (e) {
        // no permission or no focus: the old way below
      }
    }
    const area = el('textarea', {class: 'clipboard-helper', readonly: true, 'aria-hidden': 'true', tabindex: '-1'});
    area.value = value;
    (button.closest('dialog') || document.body).append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch (e) {
      ok = false;
    }
    area.remove();
    button.focus();
    return ok;
  }

  function closeDialog() {
    if (dialog.open) dialog.close();
  }

  dialog.addEventListener('close', () => {
    restoreFocus(dialogOpener);
    if (tableIsStale) {
      tableIsStale = false;
      loadPage(1).then(() => restoreFocus(dialogOpener));
    }
  });
  for (const button of dialog.querySelectorAll('.dialog-close')) button.addEventListener('click', closeDialog);
  $('dns-done').addEventListener('click', closeDialog);

  // a click on the backdrop (outside the dialog box) closes it, like Escape
  for (const d of [dialog, confirmDialog]) {
    d.addEventListener('click', (event) => {
      if (event.target !== d) return;
      const r = d.getBoundingClientRect();
      const inside = event.clientX >= r.left && event.clientX <= r.right && event.clientY >= r.top && event.clientY <= r.bottom;
      if (!inside && d.getAttribute('aria-busy') !== 'true') d.close();
    });
  }

  // ------------------------------------------------------------------------------------------- start

  $('add-sender').addEventListener('click', (event) => openAddDialog(event.currentTarget));
  $('prev-page').addEventListener('click', () => loadPage(Math.max(1, currentPage - 1)));
  $('next-page').addEventListener('click', () => loadPage(currentPage + 1));
  document.body.append(el('span', {id: 'show-records-hint', hidden: true, text: 'Shows its DNS records'}));

  api('senders/account').then((account) => {
    if (account && account.localSandbox === true) $('sandbox-banner').hidden = false;
  }).catch(() => { /* the banner is optional */ });

  loadPage(1);
  setInterval(refreshRelativeTimes, 30000);
})();
