// Revocation in the certificates list: a certificate its CA revoked stands out in the list, and
// its details give the reason, date and source, as the cmdlets' RevocationReason/Date/Source.
// The CA is real (tests/revocation_pki.sh: openssl CA, nginx serving the CRLs on 127.0.0.1).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAdmin, launch, signedInPage, tempStore, cleanup, abi, root } from './harness.mjs';

const pkiScript = join(root, 'tests', 'revocation_pki.sh');
let pki, store, admin, browser, page;
before(async () => {
  pki = mkdtempSync(join(tmpdir(), 'excert-pki-'));
  execFileSync('bash', [pkiScript, 'start', pki], { stdio: 'ignore' });
  store = tempStore();
  const b64 = (...files) => Buffer.concat(files.map((f) => readFileSync(join(pki, f)))).toString('base64');
  abi(store, 'import', { FileData: b64('root.der'), TrustedRoot: true });
  for (const leaf of ['crl-good', 'crl-revoked']) {
    abi(store, 'import', { Server: 'EX01', FileData: b64(`${leaf}.pem`, 'inter.pem'), FriendlyName: leaf });
  }
  admin = await startAdmin(store);
  browser = await launch();
  page = await signedInPage(browser, admin);
});
after(async () => {
  await browser?.close();
  admin?.stop();
  if (pki) execFileSync('bash', [pkiScript, 'stop', pki], { stdio: 'ignore' });
  cleanup(store);
  if (pki) cleanup(pki);
});

const row = (name) => page.locator('#certificates tbody tr', { hasText: name });

test('a revoked certificate stands out, and its details give the reason, date and source', async () => {
  const listed = abi(store, 'list', { Server: 'EX01' }).Certificates;
  const revoked = listed.find((c) => c.FriendlyName === 'crl-revoked');
  assert.equal(revoked.Status, 'Revoked');
  assert.equal(listed.find((c) => c.FriendlyName === 'crl-good').Status, 'Valid');

  await page.waitForSelector('#certificates tbody tr');
  assert.match(await row('crl-revoked').getAttribute('class'), /\brevoked\b/);
  assert.equal(await row('crl-revoked').locator('.badge.revoked').textContent(), 'Revoked');
  assert.doesNotMatch((await row('crl-good').getAttribute('class')) || '', /revoked/);
  assert.equal(await row('crl-good').locator('.badge').count(), 0);

  await row('crl-revoked').click();
  await page.waitForFunction(() => document.getElementById('details-title').textContent === 'crl-revoked');
  const details = await page.textContent('#details-list');
  assert.match(details, /StatusRevoked/);
  const when = revoked.RevocationDate.replace('T', ' ').replace('Z', ' UTC');
  assert.ok(details.includes(`Revoked${revoked.RevocationReason}, on ${when}, by ${revoked.RevocationSource}`), details);
  assert.equal(revoked.RevocationReason, 'KeyCompromise');
  assert.match(revoked.RevocationSource, /^CRL http:\/\/127\.0\.0\.1:\d+\/inter\.crl/);
});
