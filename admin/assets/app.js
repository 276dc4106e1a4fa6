// The admin center's page: wires the list, the details pane, the task dialogs and the
// notifications to the API. No certificate logic: the server's operations decide.
import { ApiError, fileAsBase64, get, post, postEmpty, postForFile, saveFile, setCsrf } from './api.js';
import { CertificateTable, expiryClass, expiresText } from './table.js';

const $ = (id) => document.getElementById(id);
const SERVICES = ['IMAP', 'POP', 'IIS', 'SMTP', 'UM', 'UMCallRouter'];
const state = { servers: [], thisServer: '', threshold: Number(localStorage.getItem('excert.threshold')) || 30 };

function say(text, error = false) {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('error', error);
}

function fail(e) {
  if (e instanceof ApiError && e.name === 'SignedOut') { location.reload(); return; }
  say(e.message || String(e), true);
}

// ---- dialogs -------------------------------------------------------------------------
function ask(dialog) {
  return new Promise((resolve) => {
    dialog.returnValue = '';
    dialog.addEventListener('close', () => resolve(dialog.returnValue), { once: true });
    dialog.showModal();
  });
}

for (const b of document.querySelectorAll('dialog .cancel')) b.addEventListener('click', () => b.closest('dialog').close('cancel'));

async function confirmBox(title, text) {
  $('dlg-confirm-title').textContent = title;
  $('cf-text').textContent = text;
  return (await ask($('dlg-confirm'))) === 'yes';
}

function checkboxes(container, name, values, checked = [], disabled = []) {
  container.replaceChildren(...values.map((v) => {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.name = name;
    box.value = v;
    box.checked = checked.includes(v) || disabled.includes(v);
    box.disabled = disabled.includes(v);
    label.append(box, ` ${v}`);
    return label;
  }));
}

const checked = (container) => [...container.querySelectorAll('input:checked:not(:disabled)')].map((b) => b.value);
const listOf = (text) => text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);

function chosenServers(container, extra) {
  const list = checked(container);
  for (const s of listOf(extra.value)) if (!list.includes(s)) list.push(s);
  return list;
}

// ---- list and details ------------------------------------------------------------------
const table = new CertificateTable($('certificates'), showDetails);

function field(dl, name, value) {
  const dt = document.createElement('dt');
  dt.textContent = name;
  const dd = document.createElement('dd');
  dd.textContent = value;
  dl.append(dt, dd);
}

async function showDetails(c) {
  $('details').hidden = false;
  $('details-title').textContent = c.FriendlyName || c.Thumbprint;
  const dl = $('details-list');
  dl.replaceChildren();
  field(dl, 'Server', c.Server);
  field(dl, 'Subject', c.Subject);
  field(dl, 'Issuer', c.Issuer || '—');
  field(dl, 'Domains', c.CertificateDomains.join(', ') || '—');
  field(dl, 'Status', c.Status);
  if (c.RevocationReason) {
    field(dl, 'Revoked', `${c.RevocationReason}, on ${c.RevocationDate.replace('T', ' ').replace('Z', ' UTC')}, by ${c.RevocationSource}`);
  } else if (c.Status === 'RevocationCheckFailure') {
    field(dl, 'Revoked', 'Unknown: no current answer from the CA\'s CRL or OCSP server could be had');
  }
  const cls = expiryClass(c);
  field(dl, 'Expires on', expiresText(c) + (cls === 'expired' ? ' (expired)' : cls ? ` (in ${c.DaysUntilExpiry} days)` : ''));
  field(dl, 'Assigned to services', c.Services);
  field(dl, 'Thumbprint', c.Thumbprint);
  field(dl, 'Key', `${c.KeyAlgorithm} ${c.PublicKeySize} bits`);
  field(dl, 'Private key exportable', c.PrivateKeyExportable ? 'Yes' : 'No');
  field(dl, 'Self-signed', c.IsSelfSigned ? 'Yes' : 'No');
  const pending = c.Status === 'PendingRequest';
  $('do-complete').disabled = !pending;
  $('do-services').disabled = pending;
  $('do-renew').disabled = pending;
  $('do-export').disabled = false;
  $('do-delete').disabled = false;
  const history = $('history');
  history.replaceChildren();
  try {
    const h = await get(`/api/history?server=${encodeURIComponent(c.Server)}&thumbprint=${encodeURIComponent(c.Thumbprint)}`);
    for (const e of h.Events) {
      const li = document.createElement('li');
      li.textContent = `${e.Time.replace('T', ' ').replace('Z', ' UTC')} — ${e.Admin}: ${e.Action}${e.Detail ? ` (${e.Detail})` : ''}`;
      history.append(li);
    }
    if (!h.Events.length) history.append(Object.assign(document.createElement('li'), { textContent: 'No changes recorded here yet.' }));
  } catch (e) { fail(e); }
}

function renderCount(n) {
  $('row-count').textContent = `${n} of ${table.rows.length} shown.`;
}

async function loadList() {
  const server = $('server-picker').value;
  const answer = await get(`/api/certificates?server=${encodeURIComponent(server)}&warn=${state.threshold}`);
  table.set(answer.Certificates);
  renderCount(table.shown.length);
  const c = table.current();
  if (c) showDetails(c); else { $('details').hidden = true; for (const id of ['do-complete', 'do-services', 'do-renew', 'do-export', 'do-delete']) $(id).disabled = true; }
}

async function loadNotifications() {
  const n = await get(`/api/notifications?days=${state.threshold}`);
  const count = $('notification-count');
  count.textContent = String(n.Certificates.length);
  count.classList.toggle('has', n.Certificates.length > 0);
  $('nav-notifications').setAttribute('aria-label', `Notifications: ${n.Certificates.length} certificates expire within ${n.Days} days`);
  $('notifications-summary').textContent = n.Certificates.length
    ? `${n.Certificates.length} certificates expire within ${n.Days} days or have expired.`
    : `No certificate expires within ${n.Days} days.`;
  const list = $('notifications');
  list.replaceChildren(...n.Certificates.map((c) => {
    const li = document.createElement('li');
    if (c.DaysUntilExpiry < 0) li.className = 'expired';
    const what = document.createElement('span');
    what.className = 'what';
    what.textContent = `${c.FriendlyName} on ${c.Server} (${c.Subject}) ${c.DaysUntilExpiry < 0 ? `expired on ${c.NotAfter.slice(0, 10)}` : `expires on ${c.NotAfter.slice(0, 10)}, in ${c.DaysUntilExpiry} days`}.`;
    const renewButton = document.createElement('button');
    renewButton.type = 'button';
    renewButton.textContent = 'Renew';
    renewButton.setAttribute('aria-label', `Renew ${c.FriendlyName} on ${c.Server}`);
    renewButton.addEventListener('click', () => renew(c).catch(fail));
    li.append(what, renewButton);
    return li;
  }));
}

async function refresh() {
  await Promise.all([loadList(), loadNotifications()]);
}

// ---- tasks -----------------------------------------------------------------------------
function summarize(results, verb) {
  const good = results.filter((r) => r.Ok);
  const bad = results.filter((r) => !r.Ok);
  const parts = [];
  if (good.length) parts.push(`${verb} on ${good.map((r) => r.Server).join(', ')}.`);
  for (const r of good) for (const w of r.Warnings) parts.push(`${r.Server}: ${w}`);
  for (const r of bad) parts.push(`${r.Server}: ${r.Message}`);
  say(parts.join(' '), bad.length > 0);
}

// Exchange's question before the default SMTP certificate is replaced. Yes replaces it (Force);
// No keeps the default and still goes ahead, as Exchange does (KeepDefaultSMTP).
async function smtpAnswer(message) {
  const yes = await confirmBox('Overwrite the existing default SMTP certificate?', `${message.replace(/: confirm, or repeat with -Force.*$/, '')}. Replace it?`);
  return yes ? { Force: true } : { KeepDefaultSMTP: true };
}

async function createSelfSigned() {
  $('form-self-signed').reset();
  checkboxes($('ss-servers'), 'server', state.servers, [$('server-picker').value]);
  checkboxes($('ss-services'), 'service', SERVICES, ['IMAP', 'POP', 'SMTP']);
  if ((await ask($('dlg-self-signed'))) !== 'ok') return;
  const servers = chosenServers($('ss-servers'), $('ss-new-server'));
  const services = checked($('ss-services'));
  const body = {
    FriendlyName: $('ss-name').value,
    Servers: servers,
    DomainName: listOf($('ss-domains').value),
    Services: services.length ? services.join(', ') : 'None',
    PrivateKeyExportable: $('ss-exportable').checked,
  };
  say('Creating…');
  let { Results: results } = await post('/api/certificates', body);
  const asking = results.filter((r) => r.Name === 'ConfirmationRequired');
  if (asking.length) {
    const again = await post('/api/certificates', { ...body, Servers: asking.map((r) => r.Server), ...await smtpAnswer(asking[0].Message) });
    results = results.filter((r) => r.Name !== 'ConfirmationRequired').concat(again.Results);
  }
  await refresh();
  summarize(results, 'Created');
}

function subjectOf(domains) {
  const parts = [['C', $('rq-c').value.toUpperCase()], ['S', $('rq-st').value], ['L', $('rq-l').value], ['O', $('rq-o').value], ['OU', $('rq-ou').value]]
    .filter(([, v]) => v.trim()).map(([k, v]) => `${k}=${v.trim()}`);
  parts.push(`CN=${domains[0]}`);
  return parts.join(',');
}

async function createRequest() {
  $('form-request').reset();
  fillServerSelect($('rq-server'));
  if ((await ask($('dlg-request'))) !== 'ok') return;
  const domains = listOf($('rq-domains').value);
  const [alg, size] = $('rq-key').value.split(':');
  const answer = await post('/api/requests', {
    FriendlyName: $('rq-name').value,
    Server: $('rq-server').value,
    SubjectName: subjectOf(domains),
    DomainName: domains,
    KeyAlgorithm: alg,
    KeySize: size ? Number(size) : null,
    PrivateKeyExportable: $('rq-exportable').checked,
  });
  saveFile(answer.Request, `${safeName(answer.Certificate.FriendlyName)}.req`, 'application/pkcs10');
  await refresh();
  say(`Request ${answer.Certificate.Thumbprint} created on ${answer.Certificate.Server} and downloaded: send it to your certification authority, then Complete it with the answer.`);
}

function safeName(s) { return (s || 'certificate').replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60); }

function fillServerSelect(select) {
  select.replaceChildren(...state.servers.map((s) => new Option(s, s)));
  const picked = $('server-picker').value;
  select.value = picked !== '*' ? picked : state.thisServer;
}

async function importFile() {
  $('form-import').reset();
  checkboxes($('im-servers'), 'server', state.servers, [$('server-picker').value]);
  if ((await ask($('dlg-import'))) !== 'ok') return;
  const data = await fileAsBase64($('im-file'));
  const password = $('im-password').value;
  $('im-password').value = '';
  say('Importing…');
  const { Results: results } = await post('/api/import', {
    Servers: chosenServers($('im-servers'), $('im-new-server')),
    FileData: data,
    Password: password || null,
    PrivateKeyExportable: $('im-exportable').checked,
  });
  await refresh();
  summarize(results, 'Imported');
}

async function complete() {
  const c = table.current();
  if (!c) return;
  $('form-complete').reset();
  $('cp-what').textContent = `Pending request ${c.FriendlyName} (${c.Subject}) on ${c.Server}.`;
  if ((await ask($('dlg-complete'))) !== 'ok') return;
  const data = await fileAsBase64($('cp-file'));
  const { Results: results } = await post('/api/import', { Servers: [c.Server], FileData: data });
  await refresh();
  summarize(results, 'Request completed');
}

async function editServices() {
  const c = table.current();
  if (!c) return;
  const current = c.Services.split(',').map((s) => s.trim()).filter((s) => s && s !== 'None');
  $('sv-what').textContent = `${c.FriendlyName} on ${c.Server}.`;
  checkboxes($('sv-services'), 'service', SERVICES, [], current);
  if ((await ask($('dlg-services'))) !== 'ok') return;
  const add = checked($('sv-services'));
  if (!add.length) { say('No service was added.'); return; }
  const body = { Server: c.Server, Thumbprint: c.Thumbprint, Services: add.join(', ') };
  let answer;
  try {
    answer = await post('/api/enable', body);
  } catch (e) {
    if (!(e instanceof ApiError && e.name === 'ConfirmationRequired')) throw e;
    answer = await post('/api/enable', { ...body, ...await smtpAnswer(e.message) });
  }
  await refresh();
  say([`${answer.Certificate.FriendlyName} now serves ${answer.Certificate.Services}.`, ...answer.Warnings].join(' '));
}

async function renew(c) {
  const body = { Server: c.Server, Thumbprint: c.Thumbprint };
  let answer;
  try {
    answer = await post('/api/renew', body);
  } catch (e) {
    if (!(e instanceof ApiError && e.name === 'ConfirmationRequired')) throw e;
    answer = await post('/api/renew', { ...body, ...await smtpAnswer(e.message) });
  }
  if (answer.Request) {
    saveFile(answer.Request, `${safeName(answer.Certificate.FriendlyName)}-renewal.req`, 'application/pkcs10');
    say(`A renewal request for ${c.FriendlyName} was created on ${c.Server} and downloaded: send it to your certification authority, then Complete it.`);
  } else {
    say(`${c.FriendlyName} was renewed on ${c.Server}: the new certificate is ${answer.Certificate.Thumbprint}, expiring ${answer.Certificate.NotAfter.slice(0, 10)}.`);
  }
  await refresh();
}

async function exportSelected() {
  const c = table.current();
  if (!c) return;
  if (c.Status === 'PendingRequest') {
    const a = document.createElement('a');
    a.href = `/api/file?server=${encodeURIComponent(c.Server)}&thumbprint=${encodeURIComponent(c.Thumbprint)}`;
    a.download = `${safeName(c.FriendlyName)}.req`;
    document.body.append(a);
    a.click();
    a.remove();
    say(`The request ${c.FriendlyName} was downloaded.`);
    return;
  }
  if (!c.PrivateKeyExportable || !c.HasPrivateKey) {
    say(`${c.FriendlyName} cannot be exported with its private key: the key is not exportable.`, true);
    return;
  }
  if (c.DaysUntilExpiry < 0) {
    say(`${c.FriendlyName} expired on ${c.NotAfter.slice(0, 10)} and cannot be exported: renew it instead.`, true);
    return;
  }
  $('form-export').reset();
  $('ex-what').textContent = `${c.FriendlyName} on ${c.Server}, with its private key, as a PFX file.`;
  const p1 = $('ex-password');
  const p2 = $('ex-password2');
  p2.setCustomValidity('');
  p2.oninput = () => p2.setCustomValidity(p1.value === p2.value ? '' : 'The passwords do not match.');
  const answer = await ask($('dlg-export'));
  const password = p1.value;
  p1.value = '';
  p2.value = '';
  if (answer !== 'ok') return;
  const blob = await postForFile('/api/export', { Server: c.Server, Thumbprint: c.Thumbprint, Password: password, Encryption: $('ex-profile').value });
  saveFile(blob, `${safeName(c.FriendlyName)}.pfx`);
  say(`${c.FriendlyName} was exported (${$('ex-profile').value} encryption).`);
}

async function deleteSelected() {
  const c = table.current();
  if (!c) return;
  const what = c.Status === 'PendingRequest' ? 'pending request' : 'certificate';
  if (!await confirmBox('Delete', `Are you sure you want to delete the ${what} "${c.FriendlyName}" (${c.Thumbprint}) on ${c.Server}?`)) return;
  try {
    await post('/api/remove', { Server: c.Server, Thumbprint: c.Thumbprint });
  } catch (e) {
    if (e instanceof ApiError && e.name === 'InUse') {
      say(`${c.FriendlyName} was not deleted: ${e.message}. Assign its services to another certificate first.`, true);
      return;
    }
    throw e;
  }
  table.selected = null;
  await refresh();
  say(`The ${what} ${c.FriendlyName} was deleted from ${c.Server}.`);
}

// ---- pages and start -------------------------------------------------------------------
function showPage() {
  const page = location.hash === '#notifications' ? 'notifications' : 'certificates';
  $('page-certificates').hidden = page !== 'certificates';
  $('page-notifications').hidden = page !== 'notifications';
  $('nav-certificates').toggleAttribute('aria-current', page === 'certificates');
  $('nav-notifications').toggleAttribute('aria-current', page === 'notifications');
  if ($('nav-certificates').hasAttribute('aria-current')) $('nav-certificates').setAttribute('aria-current', 'page');
  if ($('nav-notifications').hasAttribute('aria-current')) $('nav-notifications').setAttribute('aria-current', 'page');
  document.title = `${page === 'notifications' ? 'Notifications' : 'Certificates'} — excert admin center`;
}

function guard(fn) { return () => fn().catch(fail); }

async function start() {
  const s = await get('/api/session');
  setCsrf(s.Csrf);
  state.servers = s.Servers;
  state.thisServer = s.ThisServer;
  $('admin-name').textContent = s.Admin;
  const picker = $('server-picker');
  for (const name of s.Servers) picker.append(new Option(name, name));
  $('threshold').value = String(state.threshold);
  picker.addEventListener('change', guard(loadList));
  $('filter').addEventListener('input', () => renderCount(table.setFilter($('filter').value) ?? table.shown.length));
  $('add-self-signed').addEventListener('click', guard(createSelfSigned));
  $('add-request').addEventListener('click', guard(createRequest));
  $('add-import').addEventListener('click', guard(importFile));
  $('do-complete').addEventListener('click', guard(complete));
  $('do-services').addEventListener('click', guard(editServices));
  $('do-renew').addEventListener('click', () => { const c = table.current(); if (c) renew(c).catch(fail); });
  $('do-export').addEventListener('click', guard(exportSelected));
  $('do-delete').addEventListener('click', guard(deleteSelected));
  $('do-refresh').addEventListener('click', guard(refresh));
  $('sign-out').addEventListener('click', () => postEmpty('/api/signout').finally(() => location.reload()));
  $('threshold-form').addEventListener('submit', (e) => {
    e.preventDefault();
    state.threshold = Number($('threshold').value);
    localStorage.setItem('excert.threshold', String(state.threshold));
    refresh().catch(fail);
  });
  window.addEventListener('hashchange', showPage);
  showPage();
  await refresh();
  document.body.dataset.ready = 'true';
}

start().catch(fail);
