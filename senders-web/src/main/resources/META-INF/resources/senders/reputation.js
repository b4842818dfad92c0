/*
 * The Senders page's reputation panel (issue 17): the organization's state (ok, warning, paused), its bounce and
 * complaint rates per provider over the window against the thresholds, and the latest permanent bounces and complaints
 * behind them, from GET /api/senders/reputation. Kept apart from senders.js. Server data only ever reaches the page
 * through textContent and attributes, never through innerHTML.
 */
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const PROVIDER = {ses: 'Amazon SES', resend: 'Resend (platform domain)'};
  const RATE = {bounce: 'bounce rate', complaint: 'complaint rate'};
  const STATE = {ok: 'Good standing', warning: 'Warning', paused: 'Sending paused'};
  const percent = new Intl.NumberFormat(undefined, {style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2});
  const count = new Intl.NumberFormat();
  const when = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium', timeStyle: 'short'});

  const {el} = window.SendersCommon;

  const has = (object, key) => object !== null && Object.prototype.hasOwnProperty.call(object, key);
  const label = (map, key) => (has(map, key) ? map[key] : String(key));
  const pct = (value) => (typeof value === 'number' && Number.isFinite(value) ? percent.format(value) : '—');

  function timeText(iso) {
    const date = iso ? new Date(iso) : null;
    return date && !Number.isNaN(date.getTime()) ? when.format(date) : '';
  }

  function summary(data) {
    const cause = data.cause;
    const what = cause ? label(PROVIDER, cause.provider) + ' ' + label(RATE, cause.rate) + ' reached ' +
      pct(cause.value) + ' (threshold ' + pct(cause.threshold) + ')' : '';
    if (data.state === 'paused') {
      return 'Sending is paused' + (cause ? ': the ' + what : '') + '. New emails are not sent until a platform' +
        ' administrator resumes sending. Clean your list of the addresses below before you ask.';
    }
    if (data.state === 'warning') {
      return 'Warning' + (cause ? ': the ' + what : '') + '. Sending pauses at a ' +
        pct(data.thresholds.bounce.pause) + ' bounce rate or a ' + pct(data.thresholds.complaint.pause) +
        ' complaint rate.';
    }
    return 'Bounce and complaint rates are under their warning thresholds.';
  }

  function rateCell(value, warning, pause, counted, raw, noun) {
    const tone = !counted ? '' : value >= pause ? ' rate-paused' : value >= warning ? ' rate-warning' : '';
    return el('td', {},
      el('span', {class: 'rate' + tone, text: pct(value)}),
      el('span', {class: 'rate-threshold', text: count.format(raw) + ' ' + noun + (raw === 1 ? '' : 's') +
        ' · warning at ' + pct(warning) + ', pause at ' + pct(pause)}));
  }

  function providerRow(p, data) {
    const t = data.thresholds;
    return el('tr', {'data-provider': p.provider},
      el('th', {scope: 'row', text: label(PROVIDER, p.provider)}),
      el('td', {},
        el('span', {text: count.format(p.sends)}),
        p.minimumMet ? null : el('span', {class: 'rate-threshold',
          text: 'under ' + count.format(data.minSends) + ' sends: not counted yet'})),
      rateCell(p.bounceRate, t.bounce.warning, t.bounce.pause, p.minimumMet, p.permanentBounces, 'permanent bounce'),
      rateCell(p.complaintRate, t.complaint.warning, t.complaint.pause, p.minimumMet, p.complaints, 'complaint'));
  }

  function eventItem(e) {
    return el('li', {'data-rate': e.rate},
      el('span', {class: 'event-kind', text: e.rate === 'bounce' ? 'Bounce' : 'Complaint'}),
      el('span', {class: 'event-recipient', text: e.recipient || 'unknown recipient'}),
      el('span', {class: 'muted', text: label(PROVIDER, e.provider)}),
      e.campaignId ? el('span', {class: 'muted', text: 'campaign ' + e.campaignId}) : null,
      el('span', {class: 'muted', text: timeText(e.receivedAt)}),
      e.detail ? el('span', {class: 'event-detail', text: e.detail}) : null);
  }

  function render(data) {
    const state = has(STATE, data.state) ? data.state : 'ok';
    $('reputation-state').replaceChildren(el('span', {class: 'badge badge-' + state},
      el('span', {class: 'badge-dot', 'aria-hidden': 'true'}), STATE[state]));
    $('reputation-summary').textContent = summary(data);
    $('reputation-rows').replaceChildren(...(data.providers || []).map((p) => providerRow(p, data)));
    const since = data.window && data.window.countingSince ? ' (since sending was resumed)' : '';
    $('reputation-window').textContent = 'Permanent bounces and complaints per send from ' +
      timeText(data.window && data.window.start) + since + ' to now; rates count from ' +
      count.format(data.minSends) + ' sends through a provider.';
    const events = Array.isArray(data.events) ? data.events : [];
    $('reputation-events').replaceChildren(...events.map(eventItem));
    $('reputation-no-events').hidden = events.length > 0;
    $('reputation').hidden = false;
  }

  fetch('../api/senders/reputation', {
    credentials: 'same-origin', cache: 'no-store',
    headers: {'Accept': 'application/json', 'X-Requested-With': 'XMLHttpRequest'}
  }).then((response) => (response.ok ? response.json() : null))
    .then((data) => { if (data) render(data); })
    .catch(() => { /* the panel is optional: the page works without it */ });
})();
