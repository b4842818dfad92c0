'use strict';
(function () {
  const api = (path, options) => fetch('../api/' + path, Object.assign({credentials: 'same-origin',
    headers: {'Accept': 'application/json'}}, options));

  api('senders/account').then(r => r.ok ? r.json() : null).then(account => {
    if (account && account.localSandbox) document.getElementById('sandbox-banner').hidden = false;
  });

  api('senders?page=1&size=20').then(r => r.json()).then(page => {
    const rows = document.getElementById('sender-rows');
    rows.textContent = '';
    for (const s of page.items) {
      const tr = document.createElement('tr');
      for (const text of [s.emailAddress, s.verificationStatus, s.createdAt, '']) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.appendChild(td);
      }
      rows.appendChild(tr);
    }
    document.getElementById('empty').hidden = page.total > 0;
    const pages = Math.max(1, Math.ceil(page.total / page.size));
    document.getElementById('pager').textContent =
      'Page ' + page.page + ' - ' + pages + ' of ' + page.total + ' senders';
  });
})();
