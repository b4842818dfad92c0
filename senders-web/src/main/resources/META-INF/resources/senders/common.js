/*
 * What the module's pages (Senders, Emails, Suppressions) share: building elements, calling the API (problem+json
 * errors, the login on 401), times, and email addresses as people read them (the domain in Unicode with its ASCII
 * form beside it, and line breaks only before the @ and after dots). Server data only ever reaches the page through
 * textContent and attributes, never through innerHTML.
 */
'use strict';
window.SendersCommon = (() => {
  const $ = (id) => document.getElementById(id);

  /** Creates an element. props: class, text, attributes (strings); children: nodes or text. */
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
    if (!region) return;
    region.textContent = '';
    requestAnimationFrame(() => { region.textContent = message; });
  }

  /** A failed request: its HTTP status, its problem+json, and Retry-After in seconds (0 without one). */
  class ApiError extends Error {
    constructor(status, problem, retryAfter = 0) {
      super(problem.detail || problem.title || ('The request failed (HTTP ' + status + ').'));
      this.status = status;
      this.problem = problem;
      this.retryAfter = retryAfter;
    }
  }

  /** Retry-After in seconds: a number of seconds or an HTTP date; 0 when absent or unreadable. */
  function retryAfterSeconds(header) {
    if (!header) return 0;
    const text = header.trim();
    if (/^\d+$/.test(text)) return Number(text);
    const date = Date.parse(text);
    return Number.isNaN(date) ? 0 : Math.max(0, Math.ceil((date - Date.now()) / 1000));
  }

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
      throw new ApiError(response.status, data && typeof data === 'object' ? data : {},
        retryAfterSeconds(response.headers.get('Retry-After')));
    }
    return data;
  }

  // ------------------------------------------------------------------------------------------ times

  const relativeFormat = new Intl.RelativeTimeFormat('en', {numeric: 'always'});
  const exactFormat = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium', timeStyle: 'long'});
  const shortFormat = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium', timeStyle: 'short'});
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

  function exactTime(iso) {
    const date = iso ? new Date(iso) : null;
    if (!date || Number.isNaN(date.getTime())) return el('span', {class: 'muted', text: '—'});
    return el('time', {datetime: date.toISOString(), title: exactFormat.format(date)}, shortFormat.format(date));
  }

  function refreshRelativeTimes() {
    const now = Date.now();
    for (const node of document.querySelectorAll('time[data-relative]')) {
      node.textContent = relativeTime(new Date(node.getAttribute('datetime')), now);
    }
  }

  // -------------------------------------------------------------------------------------- addresses

  /**
   * The text with a line-break opportunity (<wbr>) before each @ and after each dot, so that a long address wraps at
   * those points on a narrow screen rather than in the middle of a word.
   */
  function breakable(text) {
    const nodes = [];
    let part = '';
    for (const ch of String(text)) {
      if (ch === '@' && part !== '') {
        nodes.push(part, el('wbr'));
        part = '';
      }
      part += ch;
      if (ch === '.') {
        nodes.push(part, el('wbr'));
        part = '';
      }
    }
    if (part !== '') nodes.push(part);
    return nodes;
  }

  const domainOf = (address) => {
    const text = String(address || '');
    const at = text.lastIndexOf('@');
    return at < 0 ? text : text.substring(at + 1);
  };

  /**
   * An address as typed (its domain in Unicode), breakable at sensible points, and, when the domain is an IDN, its
   * ASCII (A-label) form beside it: what DNS and the providers use.
   *
   * @param ascii   the address as stored (A-labels)
   * @param unicode the same with the domain in Unicode (falls back to ascii)
   */
  function address(ascii, unicode, props = {}) {
    const shown = unicode || ascii || '';
    const node = el('span', Object.assign({class: 'addr'}, props));
    node.append(el('span', {class: 'addr-text'}, ...breakable(shown)));
    const asciiDomain = domainOf(ascii);
    if (ascii && unicode && ascii !== unicode) {
      node.append(' ', el('span', {class: 'addr-ascii', title: 'The domain in ASCII, as DNS needs it'},
        el('span', {class: 'visually-hidden', text: 'ASCII: '}), ...breakable(asciiDomain)));
    }
    return node;
  }

  /** A domain as typed, with its ASCII form beside it when they differ. */
  function domain(ascii, unicode) {
    const node = el('span', {class: 'addr'}, el('span', {class: 'addr-text'}, ...breakable(unicode || ascii || '')));
    if (ascii && unicode && ascii !== unicode) {
      node.append(' ', el('span', {class: 'addr-ascii', title: 'The domain in ASCII, as DNS needs it'},
        el('span', {class: 'visually-hidden', text: 'ASCII: '}), ...breakable(ascii)));
    }
    return node;
  }

  // ----------------------------------------------------------------------------------------- dialogs

  const FOCUSABLE = 'button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])';

  /** Keeps Tab and Shift+Tab inside the dialog. */
  function trapFocus(container) {
    container.addEventListener('keydown', (event) => {
      if (event.key !== 'Tab') return;
      const items = [...container.querySelectorAll(FOCUSABLE)]
        .filter((n) => !n.disabled && !n.closest('[hidden]') && n.getClientRects().length > 0);
      if (items.length === 0) {
        event.preventDefault();
        return;
      }
      const first = items[0];
      const last = items[items.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    });
  }

  /** A click on the backdrop (outside the dialog box) closes it, like Escape. */
  function closeOnBackdrop(dialog) {
    dialog.addEventListener('click', (event) => {
      if (event.target !== dialog) return;
      const r = dialog.getBoundingClientRect();
      const inside = event.clientX >= r.left && event.clientX <= r.right && event.clientY >= r.top
        && event.clientY <= r.bottom;
      if (!inside && dialog.getAttribute('aria-busy') !== 'true') dialog.close();
    });
  }

  /** The sandbox banner, as the Senders page shows it. */
  function sandboxBanner() {
    const banner = $('sandbox-banner');
    if (!banner) return;
    api('senders/account').then((account) => {
      if (!account || account.localSandbox !== true) return;
      const sesLocal = (account.ses || {}).local === true;
      const resendLocal = (account.resend || {}).local === true;
      banner.textContent = sesLocal && resendLocal ? 'Sandbox: no email leaves this machine'
        : sesLocal ? 'Sandbox: Amazon SES is local, Resend is real: email sent through Resend leaves this machine'
          : resendLocal ? 'Sandbox: Resend is local, Amazon SES is real: email sent through Amazon SES leaves this machine'
            : 'Sandbox: Amazon SES and Resend are both real: email sent through them leaves this machine';
      banner.hidden = false;
    }).catch(() => { /* optional */ });
  }

  setInterval(refreshRelativeTimes, 30000);

  return {$, el, announce, api, ApiError, relativeTime, timeElement, exactTime, exactFormat, breakable, address, domain,
    trapFocus, closeOnBackdrop, sandboxBanner};
})();
