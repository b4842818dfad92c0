(function () {
  const headers = {'Accept': 'application/json, application/problem+json', 'X-Requested-With': 'XMLHttpRequest'};

  async function call(path, body) {
    const init = {credentials: 'same-origin', cache: 'no-store', headers: Object.assign({}, headers)};
    if (body !== undefined) {
      init.method = 'POST';
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    const json = (response.headers.get('Content-Type') || '').includes('json') ? await response.json() : null;
    if (!response.ok) {
      throw new Error((json && json.detail) || ('The request failed (' + response.status + ')'));
    }
    return json;
  }

  function cell(row, text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }

  function render(campaigns) {
    const rows = document.getElementById('rows');
    rows.replaceChildren();
    if (!campaigns.length) {
      const tr = document.createElement('tr');
      cell(tr, 'No campaigns yet.').colSpan = 8;
      rows.appendChild(tr);
      return;
    }
    for (const c of campaigns) {
      const tr = document.createElement('tr');
      tr.dataset.campaignId = c.id;
      const name = cell(tr, c.name);
      if (c.warning) {
        const note = document.createElement('div');
        note.className = 'hint warning';
        note.textContent = c.warning;
        name.appendChild(note);
      }
      cell(tr, c.status, 'status');
      cell(tr, String(c.counts.sent), 'sent');
      cell(tr, String(c.counts.failed), 'failed');
      cell(tr, String(c.counts.suppressed), 'suppressed');
      cell(tr, String(c.counts.unknown || 0), 'unknown');
      cell(tr, String(c.counts.queued + c.counts.sending), 'waiting');
      const providers = Object.entries(c.providers).map(([p, n]) => (p === 'ses' ? 'SES' : p === 'resend' ? 'Resend' : p) + ' ' + n);
      cell(tr, providers.length ? providers.join(', ') : '—', 'provider');
      rows.appendChild(tr);
    }
  }

  let timer = null;
  async function refresh() {
    const error = document.getElementById('list-error');
    try {
      const answer = await call('host-api/campaigns');
      render(answer.campaigns);
      error.hidden = true;
      clearTimeout(timer);
      if (answer.campaigns.some(c => c.status === 'sending')) timer = setTimeout(refresh, 2000);
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
    }
  }

  document.getElementById('campaign-form').addEventListener('submit', async event => {
    event.preventDefault();
    const form = event.target;
    const message = document.getElementById('form-message');
    const submit = document.getElementById('c-submit');
    const value = name => form.elements[name].value;
    submit.disabled = true;
    message.className = '';
    message.textContent = 'Creating…';
    try {
      const created = await call('host-api/campaigns', {
        name: value('name'), senderEmail: value('senderEmail'), senderName: value('senderName') || null,
        subject: value('subject'), html: value('html'),
        recipients: value('recipients').split(/[\s,;]+/).filter(Boolean)
      });
      await call('host-api/campaigns/' + created.id + '/start', {});
      message.textContent = created.warning ? 'Sending. ' + created.warning : 'Sending.';
      form.reset();
      refresh();
    } catch (e) {
      message.className = 'error';
      message.textContent = e.message;
    } finally {
      submit.disabled = false;
    }
  });

  fetch('host-api/me', {headers}).then(r => r.ok ? r.json() : null).then(me => {
    if (me) document.getElementById('who').textContent = me.user + ' · ' + me.organizationId;
  });
  refresh();
})();
