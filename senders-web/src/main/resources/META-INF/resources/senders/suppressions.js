/*
 * The Suppressions page over the suppression list's API (GET /api/suppressions?page&size&q, DELETE
 * /api/suppressions/{id}): what the organization may see of it (its own entries, and platform-wide ones for
 * addresses it sent to or asks about exactly, as the server decides), search, and removal after a confirmation
 * (audited by the server; a platform-wide entry only by a platform administrator, whose refusal is shown as is).
 */
'use strict';
(() => {
  const {$, el, announce, api, timeElement, address, trapFocus, closeOnBackdrop, sandboxBanner} = window.SendersCommon;
  const PAGE_SIZE = 20;
  const TYPE = {bounce: 'Bounce', complaint: 'Complaint', unsubscribed: 'Unsubscribed'};
  const has = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

  let currentPage = 1;
  let query = '';
  let loading = 0;

  function showPageError(message) {
    $('page-error').textContent = message || '';
    $('page-error').hidden = !message;
  }

  async function load(page) {
    const mine = ++loading;
    $('table-card').setAttribute('aria-busy', 'true');
    const params = new URLSearchParams({page: String(page), size: String(PAGE_SIZE)});
    if (query) params.set('q', query);
    try {
      let data = await api('suppressions?' + params.toString());
      if (data.items.length === 0 && data.total > 0 && page > 1) {
        params.set('page', String(Math.max(1, Math.ceil(data.total / PAGE_SIZE))));
        data = await api('suppressions?' + params.toString());
      }
      if (mine !== loading) return;
      showPageError('');
      render(data);
    } catch (e) {
      if (mine === loading && e.status !== 401) showPageError('Could not load the suppression list. ' + e.message);
    } finally {
      if (mine === loading) {
        $('loading').hidden = true;
        $('table-card').setAttribute('aria-busy', 'false');
      }
    }
  }

  function render(data) {
    const total = Number(data.total) || 0;
    const size = data.size || PAGE_SIZE;
    const pages = Math.max(1, Math.ceil(total / size));
    currentPage = data.page || 1;
    $('suppression-rows').replaceChildren(...data.items.map(row));
    $('suppressions-table').hidden = total === 0;
    $('empty').textContent = query ? 'No suppressed address matches “' + query + '”.' : 'No suppressed addresses.';
    $('empty').hidden = total !== 0;
    $('pager-text').textContent = total === 0 ? '' : 'Page ' + currentPage + ' - ' + pages + ' of ' + total
      + (total === 1 ? ' address' : ' addresses');
    $('pager-buttons').hidden = pages <= 1;
    $('prev-page').disabled = currentPage <= 1;
    $('next-page').disabled = currentPage >= pages;
  }

  function row(s) {
    const remove = el('button', {type: 'button', class: 'btn btn-secondary btn-small row-remove',
      'aria-label': 'Remove ' + s.email, 'data-focus-key': 'remove-' + s.id}, 'Remove');
    remove.addEventListener('click', () => openRemove(s, remove));
    return el('tr', {'data-suppression-id': s.id, 'data-scope': s.scope},
      el('td', {class: 'cell-to'},
        el('span', {class: 'suppressed-address'}, address(s.email, null)),
        s.reason ? el('span', {class: 'row-reason', text: s.reason}) : null),
      el('td', {class: 'cell-type', text: has(TYPE, s.type) ? TYPE[s.type] : String(s.type)}),
      el('td', {class: 'cell-scope'}, el('span', {class: 'pill ' + (s.platformWide ? 'pill-required' : 'pill-optional'),
        text: s.platformWide ? 'Platform-wide' : 'Your organization'})),
      el('td', {class: 'cell-created'}, timeElement(s.createdAt)),
      el('td', {class: 'col-actions'}, remove));
  }

  $('search').addEventListener('submit', (event) => {
    event.preventDefault();
    query = $('search-q').value.trim();
    load(1);
  });
  $('search-clear').addEventListener('click', () => {
    $('search-q').value = '';
    query = '';
    load(1);
    $('search-q').focus();
  });
  $('prev-page').addEventListener('click', () => load(Math.max(1, currentPage - 1)));
  $('next-page').addEventListener('click', () => load(currentPage + 1));

  // ---------------------------------------------------------------------------------------- remove

  const dialog = $('remove-dialog');
  let target = null;
  let opener = null;
  trapFocus(dialog);
  closeOnBackdrop(dialog);

  function setBusy(busy) {
    $('remove-confirm').disabled = busy;
    $('remove-confirm').textContent = busy ? 'Removing…' : 'Remove';
    dialog.setAttribute('aria-busy', String(busy));
  }

  function openRemove(s, from) {
    target = s;
    opener = from;
    $('remove-email').replaceChildren(address(s.email, null));
    $('remove-error').hidden = true;
    setBusy(false);
    dialog.showModal();
    $('remove-cancel').focus();
  }

  $('remove-cancel').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    if (opener && opener.isConnected) opener.focus();
    else $('search-q').focus();
  });

  $('remove-confirm').addEventListener('click', async () => {
    const s = target;
    setBusy(true);
    try {
      await api('suppressions/' + encodeURIComponent(s.id), {method: 'DELETE'});
    } catch (e) {
      if (e.status !== 404) {
        setBusy(false);
        $('remove-error').textContent = e.message;
        $('remove-error').hidden = false;
        return;
      }
    }
    opener = null;
    dialog.close();
    announce(s.email + ' removed from the suppression list');
    await load(currentPage);
  });

  sandboxBanner();
  load(1);
})();
