/*
 * The Emails (activity) page: the organization's sends, newest first, 20 at a time (GET /api/emails, keyset pages:
 * "Older" follows the server's cursor, "Newer" goes back through the cursors already seen). Search by the start of
 * the recipient, filter by status, provider and campaign (kept in the address, so a filtered view can be linked to).
 * A row opens the email: provider, message id, routing warning, and its timeline (GET /api/emails/{id}).
 */
'use strict';
(() => {
  const {$, el, announce, api, timeElement, exactTime, address, trapFocus, closeOnBackdrop, sandboxBanner} =
    window.SendersCommon;
  const PAGE_SIZE = 20;
  const FILTERS = ['q', 'status', 'provider', 'campaign'];
  const PROVIDER = {ses: 'Amazon SES', resend: 'Resend'};
  /** The module's record of a send, and the provider's events: label, badge tone. */
  const STATE = {
    sending: ['Sending', 'verifying'],
    sent: ['Sent', 'verifying'],
    failed: ['Failed', 'failed'],
    suppressed: ['Suppressed', 'unknown'],
    paused: ['Paused', 'pending'],
    unknown: ['Unknown', 'pending'],
    queued: ['Queued', 'unknown'],
    delivered: ['Delivered', 'verified'],
    bounced: ['Bounced', 'failed'],
    complained: ['Complained', 'failed'],
    opened: ['Opened', 'verified'],
    clicked: ['Clicked', 'verified']
  };
  const has = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

  function badge(state) {
    const [label, tone] = has(STATE, state) ? STATE[state] : [String(state || 'Unknown'), 'unknown'];
    return el('span', {class: 'badge badge-' + tone, 'data-state': state || ''},
      el('span', {class: 'badge-dot', 'aria-hidden': 'true'}), label);
  }

  const providerName = (p) => (has(PROVIDER, p) ? PROVIDER[p] : String(p || ''));

  // ------------------------------------------------------------------------------------ the list

  /** cursors[i]: the cursor of page i + 1 (null for the first). */
  let cursors = [null];
  let pageIndex = 0;
  let next = null;
  let loading = 0;

  function filters() {
    const f = {};
    for (const name of FILTERS) {
      const value = $('filter-' + name).value.trim();
      if (value !== '') f[name] = value;
    }
    return f;
  }

  function showPageError(message) {
    $('page-error').textContent = message || '';
    $('page-error').hidden = !message;
  }

  async function load() {
    const mine = ++loading;
    $('table-card').setAttribute('aria-busy', 'true');
    const params = new URLSearchParams(filters());
    params.set('size', String(PAGE_SIZE));
    if (cursors[pageIndex]) params.set('cursor', cursors[pageIndex]);
    try {
      const data = await api('emails?' + params.toString());
      if (mine !== loading) return;
      showPageError('');
      render(data);
    } catch (e) {
      if (mine !== loading || e.status === 401) return;
      const field = e.problem && e.problem.field;
      showPageError('Could not load emails. ' + e.message);
      if (field && $('filter-' + field)) $('filter-' + field).setAttribute('aria-invalid', 'true');
    } finally {
      if (mine === loading) {
        $('loading').hidden = true;
        $('table-card').setAttribute('aria-busy', 'false');
      }
    }
  }

  function render(data) {
    const items = Array.isArray(data.items) ? data.items : [];
    next = data.next || null;
    $('email-rows').replaceChildren(...items.map(row));
    $('emails-table').hidden = items.length === 0;
    const filtered = Object.keys(filters()).length > 0;
    $('empty').textContent = filtered ? 'No emails match these filters.'
      : 'No emails yet. Emails your organization sends appear here.';
    $('empty').hidden = items.length !== 0;
    $('pager-text').textContent = items.length === 0 ? ''
      : 'Page ' + (pageIndex + 1) + ' · ' + items.length + (items.length === 1 ? ' email' : ' emails');
    $('newer-page').disabled = pageIndex === 0;
    $('older-page').disabled = next === null;
  }

  function row(email) {
    const open = el('button', {type: 'button', class: 'email-link', 'data-email-id': email.id,
      'aria-label': 'Email to ' + (email.recipientUnicode || email.recipient)}, address(email.recipient, email.recipientUnicode));
    open.addEventListener('click', () => openEmail(email.id, open));
    const state = email.lastEvent || email.status;
    return el('tr', {'data-email-id': email.id, 'data-status': email.status},
      el('td', {class: 'cell-to'}, open,
        email.warning ? el('span', {class: 'row-warning', title: email.warning, text: 'Routing warning'}) : null),
      el('td', {class: 'cell-status'}, badge(state)),
      el('td', {class: 'cell-provider', text: providerName(email.provider)}),
      el('td', {class: 'cell-campaign'}, email.campaignId ? el('code', {text: email.campaignId})
        : el('span', {class: 'muted', text: '—'})),
      el('td', {class: 'cell-created'}, timeElement(email.createdAt)));
  }

  function syncAddress() {
    const params = new URLSearchParams(filters());
    const query = params.toString();
    history.replaceState(null, '', location.pathname + (query ? '?' + query : ''));
  }

  function applyFilters() {
    for (const name of FILTERS) $('filter-' + name).removeAttribute('aria-invalid');
    cursors = [null];
    pageIndex = 0;
    syncAddress();
    load();
  }

  $('filters').addEventListener('submit', (event) => {
    event.preventDefault();
    applyFilters();
  });
  for (const name of ['status', 'provider']) $('filter-' + name).addEventListener('change', applyFilters);
  $('filter-clear').addEventListener('click', () => {
    for (const name of FILTERS) $('filter-' + name).value = '';
    applyFilters();
    $('filter-q').focus();
  });
  $('older-page').addEventListener('click', () => {
    if (!next) return;
    cursors[pageIndex + 1] = next;
    pageIndex += 1;
    load().then(() => announce('Page ' + (pageIndex + 1)));
  });
  $('newer-page').addEventListener('click', () => {
    if (pageIndex === 0) return;
    pageIndex -= 1;
    load().then(() => announce('Page ' + (pageIndex + 1)));
  });

  // ------------------------------------------------------------------------------------ one email

  const dialog = $('email-dialog');
  let opener = null;
  trapFocus(dialog);
  closeOnBackdrop(dialog);
  for (const button of dialog.querySelectorAll('.dialog-close')) button.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    if (opener && opener.isConnected) opener.focus();
  });

  function fact(label, ...value) {
    return el('div', {}, el('dt', {text: label}), el('dd', {}, ...value));
  }

  async function openEmail(id, from) {
    opener = from;
    $('email-title').textContent = 'Email';
    $('email-facts').replaceChildren();
    $('timeline').replaceChildren(el('li', {class: 'muted', text: 'Loading…'}));
    $('email-warning').hidden = true;
    $('email-failure').hidden = true;
    $('email-error').hidden = true;
    dialog.setAttribute('aria-busy', 'true');
    if (!dialog.open) dialog.showModal();
    $('email-title').focus();
    try {
      const data = await api('emails/' + encodeURIComponent(id));
      drawEmail(data);
    } catch (e) {
      if (e.status === 401) return;
      $('timeline').replaceChildren();
      $('email-error').textContent = e.status === 404 ? 'This email was not found.' : 'Could not load the email. '
        + e.message;
      $('email-error').hidden = false;
    } finally {
      dialog.setAttribute('aria-busy', 'false');
    }
  }

  function drawEmail(data) {
    const email = data.email;
    $('email-title').replaceChildren('Email to ', address(email.recipient, email.recipientUnicode));
    $('email-facts').replaceChildren(
      fact('Status', badge(email.lastEvent || email.status)),
      fact('From', address(email.from, email.fromUnicode)),
      fact('To', address(email.recipient, email.recipientUnicode)),
      fact('Provider', providerName(email.provider)),
      fact('Message id', email.messageId ? el('code', {class: 'message-id', text: email.messageId})
        : el('span', {class: 'muted', text: 'none (not accepted by a provider)'})),
      fact('Campaign', email.campaignId ? el('code', {text: email.campaignId}) : el('span', {class: 'muted', text: '—'})),
      fact('Created', exactTime(email.createdAt)));
    $('email-warning').textContent = email.warning ? 'Routing warning: ' + email.warning : '';
    $('email-warning').hidden = !email.warning;
    const failed = email.status !== 'sent' && email.status !== 'sending' && email.error;
    $('email-failure').textContent = failed ? email.error : '';
    $('email-failure').hidden = !failed;
    const steps = Array.isArray(data.timeline) ? data.timeline : [];
    $('timeline').replaceChildren(...steps.map((step) => el('li', {class: 'step step-' + step.type,
      'data-type': step.type, 'data-source': step.source},
      el('span', {class: 'step-mark', 'aria-hidden': 'true'}),
      el('div', {class: 'step-main'},
        badge(step.type),
        el('span', {class: 'step-source', text: step.source === 'module' ? 'Senders'
          : providerName(step.source)}),
        el('span', {class: 'step-time'}, exactTime(step.at))),
      step.detail ? el('p', {class: 'step-detail', text: step.detail}) : null)));
    announce('Email to ' + (email.recipientUnicode || email.recipient) + ': ' + steps.length + ' events');
  }

  // ------------------------------------------------------------------------------------------ start

  const initial = new URLSearchParams(location.search);
  for (const name of FILTERS) {
    const value = initial.get(name);
    if (value !== null) $('filter-' + name).value = value;
  }
  sandboxBanner();
  load();
})();
