// EAC tasks 2–9 and 11 through the page, each result checked through the C ABI or the cmdlets
// on the same store: create self-signed (several servers, the SMTP question), request and
// download, complete with the CA's answer, services, renew, export (PFX, wrong paths), import
// (PFX onto several servers, wrong password), delete (in use refused), and the audit history.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { seededSession, cleanup, abi, cmdlets, seriousViolations, screenshots } from './harness.mjs';

let session, store, admin, page, made, work;
before(async () => {
  session = await seededSession();
  ({ store, admin, page, made } = session);
  work = join(store, '..', `${store.split('/').pop()}-files`);
  mkdirSync(work, { recursive: true });
});
after(async () => {
  await session?.end();
  if (work) cleanup(work);
});

const status = () => page.textContent('#status');
async function waitStatus(re) {
  await page.waitForFunction((src) => new RegExp(src).test(document.getElementById('status').textContent), re.source);
  return status();
}
async function select(name, server) {
  await page.fill('#filter', '');
  const row = page.locator('#certificates tbody tr', { hasText: name }).filter({ hasText: server });
  await row.first().click();
  await page.waitForFunction((n) => document.getElementById('details-title').textContent === n, name);
}
const onServer = (server, name) => abi(store, 'list', { Server: server }).Certificates.filter((c) => c.FriendlyName === name);

const defaultSmtp = (server) => (readFileSync(join(store, 'servers', server, 'assignments'), 'utf8').match(/^DefaultSMTP=(\w+)$/m) || [])[1];

test('task 2: a self-signed certificate on several servers at once, with the SMTP question asked as Exchange asks it', async () => {
  await page.click('#add-self-signed');
  await page.fill('#ss-name', 'Fabrikam Web');
  await page.check('#ss-servers input[value="EX01"]');
  await page.check('#ss-servers input[value="EX02"]');
  await page.fill('#ss-new-server', 'EX03');
  await page.fill('#ss-domains', 'web.fabrikam.com, owa.fabrikam.com');
  for (const s of ['IMAP', 'POP']) await page.uncheck(`#ss-services input[value="${s}"]`);
  await page.screenshot({ path: join(screenshots, 'new-self-signed.png') });
  assert.deepEqual(await seriousViolations(page), []);
  await page.click('#ss-ok');
  // EX01's default SMTP certificate is Contoso Mail: Exchange asks before replacing it.
  await page.waitForSelector('#dlg-confirm[open]');
  assert.equal(await page.textContent('#dlg-confirm-title'), 'Overwrite the existing default SMTP certificate?');
  assert.match(await page.textContent('#cf-text'), new RegExp(made.mail.Thumbprint));
  // No: as Exchange, the certificate is still made and gets SMTP, the default stays.
  await page.click('#cf-no');
  await waitStatus(/Created on EX02, EX03, EX01\./);
  for (const server of ['EX01', 'EX02', 'EX03']) {
    const [c] = onServer(server, 'Fabrikam Web');
    assert.equal(c.Services, 'SMTP');
    // Exchange's default subject is CN=<server>, and the CN is always among the domains.
    assert.equal(c.Subject, `CN=${server}`);
    assert.deepEqual(c.CertificateDomains, [server, 'web.fabrikam.com', 'owa.fabrikam.com']);
    assert.equal(c.IsSelfSigned, true);
  }
  assert.equal(defaultSmtp('EX01'), made.mail.Thumbprint);
  assert.equal(defaultSmtp('EX02'), onServer('EX02', 'Fabrikam Web')[0].Thumbprint, 'EX02 had no default: no question');
  // Yes replaces EX01's default SMTP certificate.
  await page.click('#add-self-signed');
  await page.fill('#ss-name', 'Fabrikam Default');
  await page.check('#ss-servers input[value="EX01"]');
  await page.fill('#ss-domains', 'smtp.fabrikam.com');
  await page.click('#ss-ok');
  await page.waitForSelector('#dlg-confirm[open]');
  await page.click('#cf-yes');
  await waitStatus(/Created on EX01\./);
  const [ex01] = onServer('EX01', 'Fabrikam Default');
  assert.equal(ex01.Services, 'IMAP, POP, SMTP');
  assert.equal(defaultSmtp('EX01'), ex01.Thumbprint);
  const mail = abi(store, 'get', { Server: 'EX01', Thumbprint: made.mail.Thumbprint }).Certificate;
  assert.equal(mail.Services, 'IIS, SMTP', 'Contoso Mail still holds IIS; SMTP is shared');
});

let requestThumbprint;
test('task 3: a request for a CA (wildcard, organization, key) downloads as a file and is pending', async () => {
  await page.click('#add-request');
  await page.fill('#rq-name', 'Wildcard Contoso');
  await page.selectOption('#rq-server', 'EX02');
  await page.fill('#rq-domains', '*.contoso.com\ncontoso.com');
  await page.fill('#rq-o', 'Contoso Ltd');
  await page.fill('#rq-ou', 'IT');
  await page.fill('#rq-c', 'us');
  await page.fill('#rq-l', 'Redmond');
  await page.fill('#rq-st', 'Washington');
  await page.selectOption('#rq-key', 'RSA:3072');
  await page.check('#rq-exportable');
  assert.deepEqual(await seriousViolations(page), []);
  const download = page.waitForEvent('download');
  await page.click('#rq-ok');
  const file = join(work, 'wildcard.req');
  await (await download).saveAs(file);
  await waitStatus(/created on EX02 and downloaded/);
  const text = readFileSync(file, 'utf8');
  assert.match(text, /^-----BEGIN NEW CERTIFICATE REQUEST-----/);
  const parsed = execFileSync('openssl', ['req', '-in', file, '-noout', '-text', '-verify'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.match(parsed, /Subject: C ?= ?US, ST ?= ?Washington, L ?= ?Redmond, O ?= ?Contoso Ltd, OU ?= ?IT, CN ?= ?\*\.contoso\.com/);
  assert.match(parsed, /Public-Key: \(3072 bit\)/);
  assert.match(parsed, /DNS:\*\.contoso\.com, DNS:contoso\.com/);
  const [pending] = onServer('EX02', 'Wildcard Contoso');
  assert.equal(pending.Status, 'PendingRequest');
  requestThumbprint = pending.Thumbprint;
  assert.ok(await page.locator('#certificates tbody tr', { hasText: 'Wildcard Contoso' }).isVisible());
});

test('task 7 (request): a pending request exports as its PKCS#10', async () => {
  await select('Wildcard Contoso', 'EX02');
  const download = page.waitForEvent('download');
  await page.click('#do-export');
  const file = join(work, 'again.req');
  await (await download).saveAs(file);
  assert.equal(readFileSync(file, 'utf8'), readFileSync(join(work, 'wildcard.req'), 'utf8'));
});

test('task 4: completing the pending request with the CA\'s .p7b', async () => {
  // A private CA signs the downloaded request (openssl), and answers with a PKCS#7 chain.
  const ca = (f) => join(work, f);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', ca('ca.key'), '-out', ca('ca.pem'), '-subj', '/CN=Contoso Test Root', '-days', '30'], { stdio: 'ignore' });
  writeFileSync(ca('ext.cnf'), 'subjectAltName=DNS:*.contoso.com,DNS:contoso.com\nextendedKeyUsage=serverAuth\n');
  execFileSync('openssl', ['x509', '-req', '-in', ca('wildcard.req'), '-CA', ca('ca.pem'), '-CAkey', ca('ca.key'), '-CAcreateserial', '-days', '20', '-extfile', ca('ext.cnf'), '-out', ca('issued.pem')], { stdio: 'ignore' });
  execFileSync('openssl', ['crl2pkcs7', '-nocrl', '-certfile', ca('issued.pem'), '-certfile', ca('ca.pem'), '-outform', 'DER', '-out', ca('answer.p7b')], { stdio: 'ignore' });
  await select('Wildcard Contoso', 'EX02');
  assert.equal(await page.isEnabled('#do-complete'), true);
  await page.click('#do-complete');
  await page.setInputFiles('#cp-file', ca('answer.p7b'));
  await page.click('#cp-ok');
  await waitStatus(/Request completed on EX02/);
  const [done] = onServer('EX02', 'Wildcard Contoso');
  assert.notEqual(done.Status, 'PendingRequest');
  assert.equal(done.HasPrivateKey, true);
  assert.equal(done.Issuer, 'CN=Contoso Test Root');
  const expected = execFileSync('openssl', ['x509', '-in', ca('issued.pem'), '-noout', '-fingerprint', '-sha1'], { encoding: 'utf8' }).split('=')[1].trim().replaceAll(':', '');
  assert.equal(done.Thumbprint, expected);
  assert.equal(abi(store, 'list', { Server: 'EX02' }).Certificates.filter((c) => c.Thumbprint === requestThumbprint).length, 0);
});

test('task 4: a CA answer as a PEM chain or a DER .cer completes its request too', async () => {
  const f = (n) => join(work, n);
  for (const [name, form] of [['Chain Contoso', 'chain'], ['Der Contoso', 'der']]) {
    await page.click('#add-request');
    await page.fill('#rq-name', name);
    await page.selectOption('#rq-server', 'EX01');
    await page.fill('#rq-domains', `${form}.contoso.com`);
    const download = page.waitForEvent('download');
    await page.click('#rq-ok');
    await (await download).saveAs(f(`${form}.req`));
    await waitStatus(/created on EX01 and downloaded/);
    // The same private CA as the .p7b test signs it; the answer is the issued certificate with
    // the CA after it (PEM), or the issued certificate alone as DER.
    writeFileSync(f(`${form}.cnf`), `subjectAltName=DNS:${form}.contoso.com\nextendedKeyUsage=serverAuth\n`);
    execFileSync('openssl', ['x509', '-req', '-in', f(`${form}.req`), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '20', '-extfile', f(`${form}.cnf`), '-out', f(`${form}.pem`)], { stdio: 'ignore' });
    let answer;
    if (form === 'chain') {
      answer = f('chain-answer.pem');
      writeFileSync(answer, readFileSync(f('chain.pem'), 'utf8') + readFileSync(f('ca.pem'), 'utf8'));
    } else {
      answer = f('der-answer.cer');
      execFileSync('openssl', ['x509', '-in', f('der.pem'), '-outform', 'DER', '-out', answer], { stdio: 'ignore' });
    }
    await select(name, 'EX01');
    await page.click('#do-complete');
    await page.setInputFiles('#cp-file', answer);
    await page.click('#cp-ok');
    await waitStatus(/Request completed on EX01/);
    const [done] = onServer('EX01', name);
    assert.notEqual(done.Status, 'PendingRequest', form);
    assert.equal(done.HasPrivateKey, true, form);
    assert.equal(done.Issuer, 'CN=Contoso Test Root', form);
    const expected = execFileSync('openssl', ['x509', '-in', f(`${form}.pem`), '-noout', '-fingerprint', '-sha1'], { encoding: 'utf8' }).split('=')[1].trim().replaceAll(':', '');
    assert.equal(done.Thumbprint, expected, form);
  }
});

test('task 5: services are assigned with Exchange\'s rules and prompts', async () => {
  await select('Wildcard Contoso', 'EX02');
  await page.click('#do-services');
  // Already assigned services are shown checked and cannot be unchecked here.
  await page.check('#sv-services input[value="IIS"]');
  await page.check('#sv-services input[value="SMTP"]');
  assert.deepEqual(await seriousViolations(page), []);
  await page.click('#sv-ok');
  // EX02's default SMTP certificate is Fabrikam Web: the question comes first; Yes replaces it.
  await page.waitForSelector('#dlg-confirm[open]');
  assert.equal(await page.textContent('#dlg-confirm-title'), 'Overwrite the existing default SMTP certificate?');
  await page.click('#cf-yes');
  await waitStatus(/now serves IIS, SMTP/);
  assert.equal(defaultSmtp('EX02'), onServer('EX02', 'Wildcard Contoso')[0].Thumbprint);
  // SMTP is shared; the cmdlets see the same.
  const ex02 = cmdlets(store, "Get-ExchangeCertificate -Server EX02 | Select-Object FriendlyName, @{ n = 'Services'; e = { $_.Services.ToString() } } | ConvertTo-Json");
  const by = Object.fromEntries(ex02.filter((c) => c.FriendlyName !== 'Contoso Old' && c.FriendlyName !== 'Contoso Soon').map((c) => [c.FriendlyName, String(c.Services)]));
  assert.deepEqual(by, { 'Wildcard Contoso': 'IIS, SMTP', 'Fabrikam Web': 'SMTP' });
});

test('task 6: renewing a CA-issued certificate gives a new request to download', async () => {
  await select('Wildcard Contoso', 'EX02');
  const download = page.waitForEvent('download');
  await page.click('#do-renew');
  const file = join(work, 'renewal.req');
  await (await download).saveAs(file);
  await waitStatus(/renewal request .* downloaded/);
  const parsed = execFileSync('openssl', ['req', '-in', file, '-noout', '-subject'], { encoding: 'utf8' });
  assert.match(parsed, /CN ?= ?\*\.contoso\.com/);
  const list = onServer('EX02', 'Wildcard Contoso');
  assert.equal(list.filter((c) => c.Status === 'PendingRequest').length, 1);
});

test('task 6: renewing a self-signed certificate is one step', async () => {
  await select('Fabrikam Web', 'EX03');
  await page.click('#do-renew');
  // The old one is EX03's default SMTP certificate: the new one takes over after the question.
  await page.waitForSelector('#dlg-confirm[open]');
  await page.click('#cf-yes');
  await waitStatus(/was renewed on EX03/);
  const list = onServer('EX03', 'Fabrikam Web');
  assert.equal(list.length, 2);
  assert.ok(list.every((c) => c.Status === 'Valid'));
});

let pfx;
test('task 7: export with the password asked twice, Modern and Legacy profiles, a no-store download', async () => {
  await select('Contoso Mail', 'EX01');
  for (const profile of ['Modern', 'Legacy']) {
    await page.click('#do-export');
    await page.fill('#ex-password', 'Pa55 wörd!');
    await page.fill('#ex-password2', 'different');
    await page.click('#ex-ok');
    assert.equal(await page.isVisible('#dlg-export'), true, 'mismatched passwords keep the dialog open');
    await page.fill('#ex-password2', 'Pa55 wörd!');
    await page.selectOption('#ex-profile', profile);
    if (profile === 'Modern') assert.deepEqual(await seriousViolations(page), []);
    const response = page.waitForResponse((r) => r.url().endsWith('/api/export'));
    const download = page.waitForEvent('download');
    await page.click('#ex-ok');
    assert.equal((await response).headers()['cache-control'], 'no-store');
    const file = join(work, `mail-${profile}.pfx`);
    await (await download).saveAs(file);
    // openssl opens it with the password (no -legacy needed for either profile).
    const info = execFileSync('openssl', ['pkcs12', '-in', file, '-passin', 'pass:Pa55 wörd!', '-info', '-noout'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.ok(true, info);
    const dump = execFileSync('openssl', ['pkcs12', '-in', file, '-passin', 'pass:Pa55 wörd!', '-nodes'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.match(dump, /BEGIN PRIVATE KEY/);
    assert.match(dump, /subject=CN ?= ?mail\.contoso\.com/);
    const mac = execFileSync('openssl', ['pkcs12', '-in', file, '-passin', 'pass:Pa55 wörd!', '-info', '-noout'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) + '';
    void mac;
    pfx = pfx || file;
  }
  // The server log holds no password.
  assert.doesNotMatch(admin.stderr(), /Pa55/);
});

test('task 7: an expired certificate and a non-exportable key are not exported', async () => {
  await select('Contoso Old', 'EX02');
  await page.click('#do-export');
  assert.match(await waitStatus(/expired/), /expired on .* cannot be exported: renew it instead/);
  assert.equal(await page.isVisible('#dlg-export'), false);
  // The server refuses too, with the core's reason, when asked directly.
  const answer = await page.evaluate(async (t) => {
    const csrf = (await (await fetch('/api/session')).json()).Csrf;
    const res = await fetch('/api/export', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ Server: 'EX02', Thumbprint: t, Password: 'x' }) });
    return { status: res.status, body: await res.json() };
  }, made.old.Thumbprint);
  assert.equal(answer.status, 409);
  assert.equal(answer.body.Name, 'Expired');
  await select('Fabrikam Web', 'EX02');
  await page.click('#do-export');
  assert.match(await waitStatus(/not exportable/), /cannot be exported with its private key/);
});

test('task 8: a PFX onto several servers; a wrong password is refused and changes nothing', async () => {
  const before = abi(store, 'list', { Server: '*' }).Certificates.length;
  await page.click('#add-import');
  await page.setInputFiles('#im-file', pfx);
  await page.fill('#im-password', 'wrong password');
  await page.check('#im-servers input[value="EX02"]');
  await page.fill('#im-new-server', 'EX04');
  assert.deepEqual(await seriousViolations(page), []);
  await page.click('#im-ok');
  const text = await waitStatus(/password/i);
  assert.match(text, /EX02: .*password/i);
  assert.equal(abi(store, 'list', { Server: '*' }).Certificates.length, before);
  await page.click('#add-import');
  await page.setInputFiles('#im-file', pfx);
  await page.fill('#im-password', 'Pa55 wörd!');
  await page.check('#im-servers input[value="EX02"]');
  await page.fill('#im-new-server', 'EX04');
  await page.check('#im-exportable');
  await page.click('#im-ok');
  await waitStatus(/Imported on EX02, EX04\./);
  for (const server of ['EX02', 'EX04']) {
    const c = abi(store, 'get', { Server: server, Thumbprint: made.mail.Thumbprint }).Certificate;
    assert.equal(c.HasPrivateKey, true);
    assert.equal(c.PrivateKeyExportable, true);
  }
});

test('task 8: a certificate file without a key', async () => {
  await page.click('#add-import');
  await page.setInputFiles('#im-file', join(work, 'ca.pem'));
  await page.check('#im-servers input[value="EX01"]');
  await page.click('#im-ok');
  // The status line still shows the previous import (on EX02, EX04) until this one answers.
  await waitStatus(/Imported on EX01\./);
  const roots = abi(store, 'list', { Server: '*' }).Certificates.filter((c) => c.Subject === 'CN=Contoso Test Root');
  assert.equal(roots.length, 1);
  assert.equal(roots[0].HasPrivateKey, false);
});

test('task 9: delete asks first; a certificate in use is refused with the reason', async () => {
  // The completed certificate (its renewal request is beside it): the one serving IIS.
  await page.locator('#certificates tbody tr', { hasText: 'Wildcard Contoso' }).filter({ hasText: 'IIS, SMTP' }).click();
  await page.waitForFunction(() => document.getElementById('details-title').textContent === 'Wildcard Contoso');
  const thumbprint = await page.textContent('#details-list dt:text("Thumbprint") + dd');
  const current = onServer('EX02', 'Wildcard Contoso').find((c) => c.Thumbprint === thumbprint);
  assert.ok(current && current.Services.includes('IIS'));
  await page.click('#do-delete');
  await page.waitForSelector('#dlg-confirm[open]');
  assert.match(await page.textContent('#cf-text'), /Are you sure you want to delete/);
  assert.deepEqual(await seriousViolations(page), []);
  await page.click('#cf-yes');
  const text = await waitStatus(/was not deleted/);
  assert.match(text, /Assign its services to another certificate first/);
  assert.ok(abi(store, 'get', { Server: 'EX02', Thumbprint: thumbprint }));
  // Not in use: deleted, as the cmdlets see.
  await select('Contoso Old', 'EX02');
  await page.click('#do-delete');
  await page.click('#cf-no');
  assert.equal(onServer('EX02', 'Contoso Old').length, 1, 'No keeps it');
  await page.click('#do-delete');
  await page.click('#cf-yes');
  await waitStatus(/was deleted from EX02/);
  const left = cmdlets(store, `@(Get-ExchangeCertificate -Server EX02 | Where-Object Thumbprint -eq '${made.old.Thumbprint}').Count | ConvertTo-Json`);
  assert.equal(left, 0);
});

test('task 11: every change made here is in the store\'s audit trail, shown as the certificate\'s history', async () => {
  await select('Contoso Mail', 'EX01');
  // The history is fetched after the details are shown.
  await page.waitForFunction(() => /Export PFX \(Legacy\)/.test(document.getElementById('history').textContent));
  const items = await page.$$eval('#history li', (l) => l.map((x) => x.textContent));
  assert.equal(items.filter((t) => /Export PFX \(Legacy\)/.test(t)).length, 1);
  assert.equal(items.filter((t) => /Export PFX \(Modern\)/.test(t)).length, 1);
  // The account as the password database names it: the admin center and the cmdlets both record it.
  const user = execFileSync('id', ['-un'], { encoding: 'utf8' }).trim();
  assert.ok(items.every((t) => t.includes(`— ${user}: `)), items.join('\n'));
  const trail = readFileSync(join(store, 'servers', 'EX02', 'audit'), 'utf8');
  assert.match(trail, new RegExp(`\\t${user}\\tDelete\\t${made.old.Thumbprint}\\t`));
  assert.match(trail, /\tNew certificate request\t/);
  assert.match(trail, /\tAssign services\t.*\tIIS, SMTP\n/);
  assert.doesNotMatch(trail, /Pa55/);
  await page.screenshot({ path: join(screenshots, 'history.png') });
});

test('no script error happened on the page', () => {
  const real = page.errors.filter((e) => !/status of 40[139]/.test(e.message));
  assert.deepEqual(real.map((e) => e.message), []);
});
