/*
 * The Senders page: list, add (two steps: address, then DNS records), show DNS records with their live status,
 * check verification again, restart a failed verification, set the default sender, delete.
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
  const STATUS_DESCRIPTION = {
    verified: 'Verified: the domain and DKIM are verified, so mail can be sent from this address.',
    pending: 'Pending: waiting for the DNS records.',
    verifying: 'Verifying: some checks passed, the others are still in progress.',
    failed: 'Failed: Amazon SES stopped verifying this domain; fix what the error says, then restart verification.'
  };
  /** SES statuses, in SES's spelling (TemporaryFailure) or ours (temporary_failure). */
  const SES_STATUS = {
    pending: 'Pending',
    success: 'Success',
    failed: 'Failed',
    temporaryfailure: 'Temporary failure',
    notstarted: 'Not started',
    notfound: 'Not found'
  };
  /** A record's live DNS status: label, icon. "unknown" means DNS could not be asked, not that it is missing. */
  const RECORD_STATUS = {
    found: ['Found', '✓'],
    missing: ['Missing', '○'],
    mismatch: ['Mismatch', '✕'],
    warning: ['Warning', '!'],
    unknown: ['Could not check', '?']
  };
  /** Seconds between two checks of one sender when the server does not say (it does on a 429 and on GET). */
  const DEFAULT_COOLDOWN_SECONDS = 30;

  const $ = (id) => document.getElementById(id);
  /** An address as typed (Unicode domain) with the ASCII form beside it for an IDN, breakable before @ and at dots. */
  const addressOf = (sender) => window.SendersCommon.address(sender.emailAddress, sender.emailAddressUnicode);
  const readable = (sender) => sender.emailAddressUnicode || sender.emailAddress;

  // the pages' shared helpers (common.js): elements, the API with its problem+json errors and the login on 401, times
  // (kept fresh by common.js)
  const {el, announce, api, timeElement, relativeTime, exactFormat} = window.SendersCommon;

  /** "Last checked" as relative time (kept fresh) and the exact time; "not yet" without one. */
  function checkedAt(iso) {
    const date = iso ? new Date(iso) : null;
    if (!date || Number.isNaN(date.getTime())) return [el('span', {class: 'not-yet', text: 'not yet'})];
    const exact = exactFormat.format(date);
    return [el('time', {datetime: date.toISOString(), title: exact, 'data-relative': ''}, relativeTime(date)),
      el('span', {class: 'exact', text: ' (' + exact + ')'})];
  }

  const has = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

  function sesLabel(value) {
    if (value === null || value === undefined || value === '') return 'Unknown';
    const key = String(value).replace(/[_\s-]/g, '').toLowerCase();
    return has(SES_STATUS, key) ? SES_STATUS[key] : String(value);
  }

  function sesTone(value) {
    const key = String(value || '').replace(/[_\s-]/g, '').toLowerCase();
    if (key === 'success') return 'ok';
    if (key === 'failed' || key === 'notfound') return 'bad';
    return 'wait';
  }

  function statusBadge(status) {
    const known = has(STATUS, status);
    return el('span', {class: 'badge badge-' + (known ? status : 'unknown')},
      el('span', {class: 'badge-dot', 'aria-hidden': 'true'}),
      known ? STATUS[status] : String(status || 'Unknown'));
  }

  // --------------------------------------------------------------------------------------- tooltips

  let tooltipCount = 0;
  let openTooltip = null; // {tip, hide}

  /**
   * The status badge with a tooltip of its details (WAI-ARIA tooltip pattern): shown while the pointer is over the
   * badge or the tooltip, or while the badge has keyboard focus; Escape hides it; the badge names it with
   * aria-describedby, so screen readers read the details after the status.
   */
  function statusWithTooltip(sender) {
    const id = 'status-tip-' + (++tooltipCount);
    const badge = statusBadge(sender.verificationStatus);
    badge.classList.add('has-tooltip');
    badge.tabIndex = 0;
    badge.setAttribute('aria-describedby', id);
    // spaces between the lines, so that the description reads as words, not "foundDKIM"
    const lines = tooltipContent(sender).flatMap((line, i) => (i === 0 ? [line] : [' ', line]));
    const tip = el('div', {id, role: 'tooltip', class: 'tooltip', hidden: true}, ...lines);
    const wrapper = el('span', {class: 'status-tip'}, badge, tip);
    let timer = null;

    const hide = () => {
      clearTimeout(timer);
      tip.hidden = true;
      if (openTooltip && openTooltip.tip === tip) openTooltip = null;
    };
    const show = () => {
      clearTimeout(timer);
      if (openTooltip && openTooltip.tip !== tip) openTooltip.hide();
      tip.hidden = false;
      openTooltip = {tip, hide};
      placeTooltip(badge, tip);
    };
    const hideSoon = () => {
      clearTimeout(timer);
      // a moment to move the pointer from the badge onto the tooltip (and to read it there)
      timer = setTimeout(() => {
        if (document.activeElement !== badge && !wrapper.matches(':hover')) hide();
      }, 150);
    };
    wrapper.addEventListener('mouseenter', show);
    wrapper.addEventListener('mouseleave', hideSoon);
    badge.addEventListener('focus', show);
    badge.addEventListener('blur', hideSoon);
    return wrapper;
  }

  function tooltipContent(sender) {
    const status = sender.verificationStatus;
    const lines = [
      el('p', {class: 'tip-title', text: has(STATUS_DESCRIPTION, status)
        ? STATUS_DESCRIPTION[status] : 'Status: ' + String(status || 'unknown')}),
      el('p', {}, el('span', {class: 'tip-label', text: 'DKIM: '}),
        sender.lastVerifiedAt ? sesLabel(sender.dkimStatus) : 'not checked yet'),
      el('p', {}, el('span', {class: 'tip-label', text: 'Last checked: '}), ...checkedAt(sender.lastVerifiedAt))
    ];
    if (sender.verificationError) {
      lines.push(el('p', {class: 'tip-error' + (status === 'failed' ? ' tip-error-failed' : '')},
        el('span', {class: 'tip-label', text: status === 'failed' ? 'Error: ' : 'Why: '}), sender.verificationError));
    }
    return lines;
  }

  /** Fixed position below the badge (above it when there is no room), so no scrolling container clips it. */
  function placeTooltip(anchor, tip) {
    const rect = anchor.getBoundingClientRect();
    tip.style.left = '0px';
    tip.style.top = '0px';
    const width = tip.offsetWidth;
    const height = tip.offsetHeight;
    let top = rect.bottom + 6;
    if (top + height > window.innerHeight - 8 && rect.top - 6 - height >= 8) top = rect.top - 6 - height;
    const left = Math.min(Math.max(8, rect.left), Math.max(8, window.innerWidth - width - 8));
    tip.style.left = Math.round(left) + 'px';
    tip.style.top = Math.round(top) + 'px';
  }

  // a fixed tooltip would stay behind when the page moves
  for (const type of ['scroll', 'resize']) {
    window.addEventListener(type, () => { if (openTooltip) openTooltip.hide(); }, true);
  }

  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && openTooltip) {
      openTooltip.hide();
      // Escape only hides the tooltip; a dialog is never open together with one
      if (!document.querySelector('dialog[open]')) event.preventDefault();
    }
  });

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
      // the senders deleted within the restore window, under the first page: "Deleted, restore"
      let deleted = [];
      if ((data.page || 1) === 1) {
        try {
          const gone = await api('senders?deleted=true');
          deleted = gone && Array.isArray(gone.items) ? gone.items : [];
        } catch (e) {
          if (e.status === 401) throw e;
        }
      }
      showPageError('');
      render(data, deleted);
    } catch (e) {
      if (e.status !== 401) showPageError('Could not load senders. ' + e.message);
    } finally {
      $('loading').hidden = true;
      $('table-card').setAttribute('aria-busy', 'false');
    }
  }

  function render(data, deleted = []) {
    const size = data.size || PAGE_SIZE;
    const total = Number(data.total) || 0;
    const pages = Math.max(1, Math.ceil(total / size));
    currentPage = data.page || 1;

    const rows = $('sender-rows');
    rows.replaceChildren(...data.items.map(row), ...deleted.map(deletedRow));
    $('senders-table').hidden = total === 0 && deleted.length === 0;
    $('empty').hidden = total !== 0 || deleted.length !== 0;

    $('pager-text').textContent = 'Page ' + currentPage + ' - ' + pages + ' of ' + total + ' senders';
    $('pager-buttons').hidden = pages <= 1;
    $('prev-page').disabled = currentPage <= 1;
    $('next-page').disabled = currentPage >= pages;
  }

  function row(sender) {
    const email = el('button', {
      type: 'button', class: 'email-link', 'data-focus-key': 'email-' + sender.id,
      'aria-describedby': 'show-records-hint'
    }, addressOf(sender));
    email.addEventListener('click', () => showRecords(sender, email));

    const actions = el('button', {
      type: 'button', class: 'btn-icon row-actions', 'aria-label': 'Actions for ' + readable(sender),
      'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': 'row-menu',
      'data-focus-key': 'actions-' + sender.id
    }, el('span', {'aria-hidden': 'true', text: '⋮'}));
    actions.addEventListener('click', () => toggleMenu(actions, sender));

    const emailCell = el('td', {}, el('div', {class: 'cell-email'},
      globeIcon(), email,
      sender.isDefault ? defaultPill() : null));

    return el('tr', {'data-sender-id': sender.id},
      emailCell,
      el('td', {class: 'cell-status'}, statusWithTooltip(sender)),
      el('td', {class: 'cell-created'}, timeElement(sender.createdAt)),
      el('td', {class: 'col-actions'}, actions));
  }

  /**
   * A sender deleted within the restore window: "Deleted", until when it can be restored, and Restore (no menu: the
   * one thing to do with it is in reach at once, on a phone too).
   */
  function deletedRow(sender) {
    const restore = el('button', {type: 'button', class: 'btn btn-secondary btn-small btn-restore',
      'aria-label': 'Restore ' + readable(sender), 'data-focus-key': 'restore-' + sender.id}, 'Restore');
    restore.addEventListener('click', () => restoreSender(sender, restore));
    const until = sender.restorableUntil ? new Date(sender.restorableUntil) : null;
    return el('tr', {class: 'deleted', 'data-deleted-sender-id': sender.id},
      el('td', {}, el('div', {class: 'cell-email'},
        el('span', {class: 'deleted-address'}, addressOf(sender)))),
      el('td', {class: 'cell-status'}, el('span', {class: 'badge badge-deleted'},
        el('span', {class: 'badge-dot', 'aria-hidden': 'true'}), 'Deleted')),
      el('td', {class: 'cell-created'}, until && !Number.isNaN(until.getTime())
        ? el('span', {class: 'restorable'}, 'Restorable until ',
          el('time', {datetime: until.toISOString(), title: exactFormat.format(until)},
            new Intl.DateTimeFormat(undefined, {dateStyle: 'medium'}).format(until)))
        : el('span', {class: 'restorable', text: 'Restorable'})),
      el('td', {class: 'col-actions'}, restore));
  }

  async function restoreSender(sender, button) {
    if (button.getAttribute('aria-disabled') === 'true') return;
    button.setAttribute('aria-disabled', 'true');
    button.textContent = 'Restoring…';
    let problem = '';
    try {
      await api('senders/' + encodeURIComponent(sender.id) + '/restore', {method: 'POST'});
      announce('Sender ' + readable(sender) + ' restored');
    } catch (e) {
      if (e.status === 401) return;
      problem = 'Could not restore ' + readable(sender) + '. ' + e.message;
    }
    await loadPage(currentPage);
    if (problem) {
      showPageError(problem);
      return;
    }
    const restored = document.querySelector('[data-focus-key="email-' + CSS.escape(String(sender.id)) + '"]');
    if (restored) restored.focus();
  }

  function defaultPill() {
    return el('span', {class: 'pill pill-default', text: 'Default'});
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
    return [...menu.querySelectorAll('[role="menuitem"]')].filter((item) => !item.hidden);
  }

  /** "Set as default" stays in the menu but is disabled, with its reason on show, until the sender is verified. */
  function configureMenu(sender) {
    const item = $('menu-default');
    const reason = $('menu-default-reason');
    let why = '';
    if (sender.isDefault) why = 'Already the default sender';
    else if (sender.isFullyVerified !== true) why = 'Verify this sender first';
    item.setAttribute('aria-disabled', String(why !== ''));
    reason.textContent = why;
    reason.hidden = why === '';
    if (why) item.setAttribute('aria-describedby', 'menu-default-reason');
    else item.removeAttribute('aria-describedby');
    $('menu-restart').hidden = sender.verificationStatus !== 'failed';
  }

  function toggleMenu(button, sender) {
    if (!menu.hidden && menuOpener === button) {
      closeMenu(true);
      return;
    }
    closeMenu(false);
    menuOpener = button;
    menuSender = sender;
    configureMenu(sender);
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

  $('menu-default').addEventListener('click', async () => {
    if ($('menu-default').getAttribute('aria-disabled') === 'true') {
      // stays open: the reason is on show in the item; say it too
      announce($('menu-default-reason').textContent);
      return;
    }
    const opener = menuOpener;
    const sender = menuSender;
    closeMenu(true);
    let problem = '';
    try {
      await api('senders/' + encodeURIComponent(sender.id) + '/set-default', {method: 'POST'});
      announce(sender.emailAddress + ' is now the default sender');
    } catch (e) {
      if (e.status === 401) return;
      problem = e.status === 404 ? 'This sender no longer exists.'
        : 'Could not set ' + sender.emailAddress + ' as the default sender. ' + e.message;
    }
    // the table shows the one default (and whatever changed meanwhile)
    await loadPage(currentPage);
    if (problem) showPageError(problem);
    restoreFocus(opener);
  });

  $('menu-restart').addEventListener('click', async () => {
    const opener = menuOpener;
    const sender = menuSender;
    closeMenu(true);
    try {
      const restarted = await api('senders/' + encodeURIComponent(sender.id) + '/restart-verification',
        {method: 'POST'});
      showPageError('');
      announce('Verification of ' + sender.emailAddress + ' restarted. Check its DNS records.');
      await loadPage(currentPage);
      // the records are what to look at next
      showRecords(restarted || sender, opener);
    } catch (e) {
      if (e.status === 401) return;
      await loadPage(currentPage);
      showPageError(e.status === 404 ? 'This sender no longer exists.'
        : 'Could not restart the verification of ' + sender.emailAddress + '. ' + e.message);
      restoreFocus(opener);
    }
  });

  // ---------------------------------------------------------------------------------- delete confirmation

  const confirmDialog = $('confirm-dialog');
  let confirmOpener = null;
  let confirmSender = null;
  trapFocus(confirmDialog);

  function openConfirm(sender, opener) {
    confirmSender = sender;
    confirmOpener = opener;
    $('confirm-email').replaceChildren(addressOf(sender));
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
    const active = (node) => (node && node.matches('tr[data-sender-id]') ? node : null);
    const sibling = row && (active(row.nextElementSibling) || active(row.previousElementSibling));
    if (row) row.remove();
    confirmOpener = sibling ? sibling.querySelector('.row-actions') : $('add-sender');
    confirmDialog.close();
    announce('Sender ' + readable(sender) + ' deleted. It can be restored from this page for a few days.');
    await loadPage(currentPage);
    if (confirmOpener && !confirmOpener.isConnected) restoreFocus(confirmOpener);
  });

  // ------------------------------------------------------------------------------- add sender / records

  const dialog = $('sender-dialog');
  const emailInput = $('email-input');
  let dialogOpener = null;
  /** The page of the table to reload when the dialog closes (1 after an add), or null. */
  let staleTablePage = null;

  function markStale(page) {
    staleTablePage = staleTablePage === null ? page : Math.min(staleTablePage, page);
  }
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
    view = null;
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
  /**
   * A line break inside pasted or dropped text is a header-injection attempt (an address, then "Bcc: ..."). An email
   * input removes line breaks before the script or the server sees the value, turning it into one word the server
   * would refuse for another reason ("not a group"), so the page refuses it here, with the server's words. Line breaks
   * only around the address (a copied line) are harmless and left to the browser.
   */
  const LINE_BREAK = /[\r\n\u0085\u2028\u2029]/;
  const LINE_BREAK_MESSAGE = "The email address can't contain line breaks";

  function refuseLineBreaks(event, text) {
    if (typeof text === 'string' && LINE_BREAK.test(text.trim())) {
      event.preventDefault();
      setEmailError(LINE_BREAK_MESSAGE);
      emailInput.focus();
    }
  }
  emailInput.addEventListener('paste', (event) => {
    refuseLineBreaks(event, event.clipboardData && event.clipboardData.getData('text/plain'));
  });
  emailInput.addEventListener('drop', (event) => {
    refuseLineBreaks(event, event.dataTransfer && event.dataTransfer.getData('text/plain'));
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
      markStale(1);
      const current = openView(created.sender, created.dnsRecords || []);
      $('step-dns-title').focus();
      announce('Sender ' + created.sender.emailAddress + ' added. Configure its DNS records.');
      // the live status of each record, without holding up the records themselves
      loadDetails(current);
    } catch (e) {
      if (e.status !== 401) {
        setEmailError(e.message);
        emailInput.focus();
      }
    } finally {
      setSubmitting(false);
    }
  });

  // ------------------------------------------------------------------ the records view and its checks

  /** What the records view shows: {sender, records, details, loading, checking, restarting}; null when closed. */
  let view = null;
  /** Per sender id: when "Check again" is allowed again (ms since the epoch). */
  const cooldowns = new Map();
  let countdownTimer = null;
  let lastSecondsLeft = 0;

  /** Opens the records view of a listed sender at once, then fills in the live status of each record. */
  async function showRecords(sender, opener) {
    dialogOpener = opener;
    const current = openView(sender, null);
    if (!dialog.open) dialog.showModal();
    $('step-dns-title').focus();
    await loadDetails(current);
  }

  function openView(sender, records) {
    view = {sender, records, details: null, loading: false, checking: false, restarting: false};
    showCheckError('');
    showStep('dns');
    drawView(view);
    return view;
  }

  /** The sender with each record's live DNS status (the server looks them up now) and the cooldown left. */
  async function loadDetails(current) {
    current.loading = true;
    drawView(current);
    try {
      const data = await api('senders/' + encodeURIComponent(current.sender.id));
      startCooldown(current.sender.id, Number(data.verifyCooldownSeconds) || 0);
      current.sender = data.sender || current.sender;
      current.records = Array.isArray(data.dnsRecords) ? data.dnsRecords : (current.records || []);
      current.readiness = data.readiness || null;
    } catch (e) {
      if (e.status === 404) {
        if (view === current) {
          view = null;
          closeDialog();
          loadPage(currentPage).then(() => showPageError('This sender no longer exists.'));
        }
      } else if (e.status !== 401 && view === current) {
        showCheckError('Could not load the DNS records. ' + e.message);
      }
    } finally {
      current.loading = false;
      drawView(current);
    }
  }

  function drawView(current) {
    if (!current || view !== current) return;
    const sender = current.sender;
    const records = current.records;
    const zone = ((records || []).find((r) => r.zone) || {}).zone || sender.domain || '';
    $('dns-zone').replaceChildren(...(zone ? ['(', window.SendersCommon.domain(zone, unicodeZone(sender, zone)), ')']
      : []));
    $('dns-sender').replaceChildren(
      el('span', {class: 'muted', text: 'Sender '}),
      el('strong', {}, addressOf(sender)),
      ' ',
      statusBadge(sender.verificationStatus),
      ...(sender.isDefault ? [defaultPill()] : []));
    drawVerification(current);
    const box = $('dns-records');
    if (records === null) {
      box.replaceChildren(el('p', {class: 'empty',
        text: current.loading ? 'Checking the DNS records…' : 'The DNS records could not be loaded.'}));
    } else {
      box.replaceChildren(recordsTable(records, zone, current.loading));
    }
    drawReadiness(current);
    setBusy(current);
  }

  /**
   * The zone in Unicode: the same number of last labels of the sender's Unicode domain (IDNA maps label to label).
   */
  function unicodeZone(sender, zone) {
    const ascii = String(sender.domain || '').split('.');
    const unicode = String(sender.domainUnicode || sender.domain || '').split('.');
    const n = String(zone).split('.').length;
    if (ascii.length !== unicode.length || ascii.slice(-n).join('.') !== String(zone).toLowerCase()) return zone;
    return unicode.slice(-n).join('.');
  }

  /** The checklist of what bulk mail needs (✓ or ✗, with what to do) and the alignment sentence. */
  function drawReadiness(current) {
    const readiness = current.readiness;
    const section = $('readiness');
    section.hidden = !readiness;
    if (!readiness) return;
    $('readiness-items').replaceChildren(...(readiness.items || []).map((item) => el('li', {
      class: 'check ' + (item.ok ? 'check-ok' : 'check-todo'), 'data-item': item.item},
      el('span', {class: 'check-mark', 'aria-hidden': 'true', text: item.ok ? '✓' : '✗'}),
      el('span', {class: 'visually-hidden', text: item.ok ? 'Done: ' : 'To do: '}),
      el('strong', {text: item.label}),
      ...(item.ok || !item.advice ? [] : [el('span', {class: 'check-advice', text: ' ' + item.advice})]))));
    $('alignment').textContent = readiness.alignment || '';
  }

  function setBusy(current) {
    if (view !== current) return;
    $('dns-records').setAttribute('aria-busy', String(current.loading || current.checking));
    $('verification').setAttribute('aria-busy', String(current.loading || current.checking || current.restarting));
    const restart = $('restart-verification');
    restart.setAttribute('aria-disabled', String(current.restarting));
    restart.textContent = current.restarting ? 'Restarting…' : 'Restart verification';
    updateCheckButton();
  }

  function drawVerification(current) {
    const sender = current.sender;
    const details = current.details;
    const failed = sender.verificationStatus === 'failed';
    $('verification-failed').hidden = !failed;
    $('verification-error').textContent = failed
      ? (sender.verificationError || 'Amazon SES could not verify the domain.') : '';
    const reason = $('verification-reason');
    reason.textContent = !failed && sender.verificationError ? sender.verificationError : '';
    reason.hidden = failed || !sender.verificationError;
    // before the first check nothing is known: say so rather than show stored defaults
    const checked = Boolean(details || sender.lastVerifiedAt);
    $('detail-domain').replaceChildren(sesStatus(details ? details.domainStatus
      : (checked ? domainStatusOf(current) : null)));
    $('detail-dkim').replaceChildren(sesStatus(details ? details.dkimStatus : (checked ? sender.dkimStatus : null)));
    $('detail-checked').replaceChildren(...checkedAt((details && details.lastCheckedAt) || sender.lastVerifiedAt));
  }

  /** SES's status of the domain before any check on this page: as the verification TXT record carries it. */
  function domainStatusOf(current) {
    const txt = (current.records || []).find((r) => r.purpose === 'Domain verification' && r.sesStatus);
    if (txt) return txt.sesStatus;
    return {pending: 'Pending', verified: 'Success', failed: 'Failed'}[current.sender.verificationStatus] || null;
  }

  function sesStatus(value) {
    if (value === null || value === undefined || value === '') {
      return el('span', {class: 'ses ses-none', text: 'Not checked yet'});
    }
    return el('span', {class: 'ses ses-' + sesTone(value), text: sesLabel(value)});
  }

  function showCheckError(message) {
    const box = $('check-error');
    box.textContent = message || '';
    box.hidden = !message;
  }

  function remainingSeconds(id) {
    const until = cooldowns.get(String(id)) || 0;
    return Math.max(0, Math.ceil((until - Date.now()) / 1000));
  }

  function startCooldown(id, seconds) {
    if (!(seconds > 0)) return;
    const key = String(id);
    cooldowns.set(key, Math.max(cooldowns.get(key) || 0, Date.now() + seconds * 1000));
    updateCheckButton();
  }

  /**
   * "Check again", or "Check again in 27 s" while the cooldown lasts. aria-disabled rather than disabled: the button
   * keeps the keyboard focus and stays readable while it waits.
   */
  function updateCheckButton() {
    const button = $('check-again');
    const left = view ? remainingSeconds(view.sender.id) : 0;
    if (view) {
      const text = view.checking ? 'Checking…' : (left > 0 ? 'Check again in ' + left + ' s' : 'Check again');
      if (button.textContent !== text) button.textContent = text;
      button.setAttribute('aria-disabled', String(view.checking || view.loading || left > 0));
      button.dataset.secondsLeft = String(left);
      if (lastSecondsLeft > 0 && left === 0 && document.activeElement === button && !view.loading) {
        announce('You can check again now');
      }
    }
    lastSecondsLeft = left;
    if (left > 0 && countdownTimer === null) {
      countdownTimer = setInterval(updateCheckButton, 250);
    } else if (left === 0 && countdownTimer !== null) {
      clearInterval(countdownTimer);
      countdownTimer = null;
    }
  }

  function checkSummary(current) {
    const records = current.records || [];
    const found = records.filter((r) => r.status === 'found').length;
    const d = current.details || {};
    return 'Checked: domain ' + sesLabel(d.domainStatus) + ', DKIM ' + sesLabel(d.dkimStatus) + '. ' + found
      + ' of ' + records.length + ' records found.'
      + (current.sender.verificationStatus === 'verified' ? ' The sender is verified.' : '');
  }

  $('check-again').addEventListener('click', async () => {
    const current = view;
    if (!current || current.checking || current.loading) return;
    const left = remainingSeconds(current.sender.id);
    if (left > 0) {
      announce('You can check again in ' + left + ' seconds');
      return;
    }
    current.checking = true;
    showCheckError('');
    setBusy(current);
    try {
      const data = await api('senders/' + encodeURIComponent(current.sender.id) + '/verify', {method: 'POST'});
      markStale(currentPage);
      startCooldown(current.sender.id, Number(data.verifyCooldownSeconds) || DEFAULT_COOLDOWN_SECONDS);
      current.sender = data.sender || current.sender;
      current.records = Array.isArray(data.dnsRecords) ? data.dnsRecords : current.records;
      current.details = data.verificationDetails || null;
      current.readiness = data.readiness || current.readiness;
      current.checking = false;
      drawView(current);
      if (view === current) announce(checkSummary(current));
    } catch (e) {
      if (e.status === 429) {
        startCooldown(current.sender.id, e.retryAfter || DEFAULT_COOLDOWN_SECONDS);
        if (view === current) announce(e.message);
      } else if (e.status === 404) {
        markStale(currentPage);
        if (view === current) showCheckError('This sender no longer exists.');
      } else if (e.status !== 401 && view === current) {
        showCheckError('Could not check the records. ' + e.message);
      }
    } finally {
      current.checking = false;
      setBusy(current);
    }
  });

  $('restart-verification').addEventListener('click', async () => {
    const current = view;
    if (!current || current.restarting) return;
    current.restarting = true;
    showCheckError('');
    setBusy(current);
    try {
      const sender = await api('senders/' + encodeURIComponent(current.sender.id) + '/restart-verification',
        {method: 'POST'});
      markStale(currentPage);
      current.sender = sender || current.sender;
      current.details = null;
      current.restarting = false;
      if (view !== current) return;
      // the button goes away with the failure: focus to the top of the view
      $('step-dns-title').focus();
      announce('Verification restarted. Amazon SES looks for the DNS records again, for up to 72 hours.');
      await loadDetails(current);
    } catch (e) {
      current.restarting = false;
      if (e.status === 409) {
        markStale(currentPage);
        if (view === current) {
          showCheckError(e.message);
          await loadDetails(current);
        }
      } else if (e.status === 404) {
        markStale(currentPage);
        if (view === current) showCheckError('This sender no longer exists.');
      } else if (e.status !== 401 && view === current) {
        showCheckError('Could not restart the verification. ' + e.message);
      }
    } finally {
      current.restarting = false;
      setBusy(current);
    }
  });

  function recordsTable(records, zone, loading) {
    if (records.length === 0) {
      return el('p', {class: 'empty', text: 'No DNS records are available for this sender.'});
    }
    const columns = el('colgroup', {}, el('col', {class: 'col-type'}), el('col', {class: 'col-name'}),
      el('col', {class: 'col-value'}), el('col', {class: 'col-status'}));
    const head = el('thead', {}, el('tr', {},
      el('th', {scope: 'col', text: 'Type'}),
      el('th', {scope: 'col', text: 'Name'}),
      el('th', {scope: 'col', text: 'Value'}),
      el('th', {scope: 'col', text: 'Status'})));
    const body = el('tbody', {}, ...records.flatMap((record) => recordRows(record, loading)));
    return el('div', {class: 'table-scroll'},
      el('table', {class: 'dns', 'aria-label': 'DNS records' + (zone ? ' for ' + zone : '')}, columns, head, body));
  }

  /** A record's row, and below it a row with the advice and what was found instead, when there is advice. */
  function recordRows(record, loading) {
    const relative = record.relativeName === undefined || record.relativeName === null
      ? record.name : (record.relativeName === '' ? '@' : record.relativeName);
    const purpose = record.purpose || '';
    const status = has(RECORD_STATUS, record.status) ? record.status : null;
    const advice = status && status !== 'found' && record.advice ? String(record.advice) : '';
    const row = el('tr', {class: 'record' + (advice ? ' has-advice' : ''), 'data-purpose': purpose,
      'data-type': record.type, 'data-status': status || 'none'},
      el('td', {class: 'cell-type'},
        el('span', {class: 'rr-type', text: record.type}),
        purpose ? el('span', {class: 'purpose', text: purpose}) : null,
        el('span', {class: 'cell-required pill ' + (record.required === false ? 'pill-optional' : 'pill-required'),
          text: record.required === false ? 'Recommended' : 'Required'})),
      el('td', {class: 'cell-name'},
        el('div', {class: 'copy-field'},
          el('code', {class: 'rr-name', title: record.name, text: relative}),
          copyButton('Copy name', relative)),
        record.name && record.name !== relative ? el('div', {class: 'fqdn', title: record.name, text: record.name}) : null),
      el('td', {class: 'cell-value'},
        el('div', {class: 'copy-field'},
          el('code', {class: 'rr-value', text: record.value}),
          copyButton('Copy value', record.value))),
      el('td', {class: 'cell-status'},
        recordStatus(status, loading),
        record.sesStatus ? el('span', {class: 'ses-status', text: 'Amazon SES: ' + sesLabel(record.sesStatus)}) : null));
    if (!advice) return [row];

    const found = (Array.isArray(record.found) ? record.found : []).filter((v) => v !== null && v !== undefined);
    const values = [];
    found.forEach((value, i) => {
      if (i > 0) values.push(', ');
      values.push(el('code', {class: 'found-value', text: String(value)}));
    });
    return [row, el('tr', {class: 'advice-row', 'data-advice-for': record.name || ''},
      el('td', {colspan: '4'},
        el('div', {class: 'advice advice-' + status},
          el('p', {class: 'advice-text'},
            el('span', {class: 'visually-hidden', text: record.type + ' ' + relative + ': '}), advice),
          found.length > 0
            ? el('p', {class: 'found-instead'}, el('span', {class: 'found-label', text: 'Found instead: '}), ...values)
            : null)))];
  }

  function recordStatus(status, loading) {
    if (!status) {
      return el('span', {class: 'rstatus rstatus-none'}, loading ? 'Checking…' : 'Not checked');
    }
    const [label, icon] = RECORD_STATUS[status];
    return el('span', {class: 'rstatus rstatus-' + status},
      el('span', {class: 'rstatus-icon', 'aria-hidden': 'true', text: icon}), label);
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
    view = null;
    updateCheckButton();
    restoreFocus(dialogOpener);
    if (staleTablePage !== null) {
      const page = staleTablePage;
      staleTablePage = null;
      loadPage(page).then(() => restoreFocus(dialogOpener));
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

  /**
   * The sandbox banner's text: which provider is a local stand-in on this machine and which is real (the demo with
   * only RESEND_API_KEY set has a local SES and the real Resend). Same words as the demo's welcome text.
   */
  function sandboxText(sesLocal, resendLocal) {
    if (sesLocal && resendLocal) return 'Sandbox: no email leaves this machine';
    if (sesLocal) return 'Sandbox: Amazon SES is local, Resend is real: email sent through Resend leaves this machine';
    if (resendLocal) {
      return 'Sandbox: Resend is local, Amazon SES is real: email sent through Amazon SES leaves this machine';
    }
    return 'Sandbox: Amazon SES and Resend are both real: email sent through them leaves this machine';
  }

  api('senders/account').then((account) => {
    if (!account) return;
    const ses = account.ses || {};
    const resend = account.resend || {};
    if (account.localSandbox === true) {
      $('sandbox-banner').textContent = sandboxText(ses.local === true, resend.local === true);
      $('sandbox-banner').hidden = false;
    }
    if (ses.sandbox === true) {
      // the account-wide quota is for platform admins only; an organization hears what it means for it
      const wide = account.accountWide && account.accountWide.ses;
      $('ses-sandbox-text').textContent = wide && wide.max24HourSend >= 0
        ? 'Your Amazon SES account is in the SES sandbox: at most ' + wide.max24HourSend + ' emails a day, ' +
          wide.maxSendRate + ' per second, and only to verified addresses. Request production access in the AWS' +
          ' console before sending campaigns.'
        : 'Amazon SES is in its sandbox on this platform: email sent through it goes only to verified addresses,' +
          ' and only a few a day. Ask the platform\'s administrators before sending campaigns.';
      $('ses-sandbox-banner').hidden = false;
    }
  }).catch(() => { /* the banners are optional */ });

  loadPage(1);
})();
