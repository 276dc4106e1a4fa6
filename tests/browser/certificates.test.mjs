// EAC task 1 (Certificates page) and 10 (Notifications): the list, server picker, filter,
// sort, expiry highlighting, details pane, and the expiry notifications with their threshold.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { seededSession, startAdmin, signedInPage, abi, seriousViolations, screenshots } from './harness.mjs';

let session, store, browser, page, made;
before(async () => {
  session = await seededSession();
  ({ store, browser, page, made } = session);
});
after(() => session?.end());

const names = () => page.$$eval('#certificates tbody tr td:first-child', (tds) => tds.map((t) => t.textContent));

test('the list shows every certificate of every server, as the C ABI lists them', async () => {
  const listed = abi(store, 'list', { Server: '*' }).Certificates.map((c) => c.FriendlyName).sort();
  assert.deepEqual((await names()).sort(), listed);
  assert.ok(listed.includes('Contoso Mail') && listed.includes('Contoso Old'));
  const row = page.locator('#certificates tbody tr', { hasText: 'Contoso Mail' });
  assert.deepEqual(await row.locator('td').allTextContents(), ['Contoso Mail', 'EX01', 'Valid', made.mail.NotAfter.slice(0, 10), 'IIS, SMTP']);
  await page.screenshot({ path: join(screenshots, 'certificates.png') });
});

test('the server picker narrows the list to one server', async () => {
  const options = await page.$$eval('#server-picker option', (o) => o.map((x) => x.textContent));
  assert.equal(options[0], 'All servers');
  assert.ok(options.includes('EX01') && options.includes('EX02'));
  await page.selectOption('#server-picker', 'EX02');
  await page.waitForFunction(() => [...document.querySelectorAll('#certificates tbody tr td:nth-child(2)')].every((t) => t.textContent === 'EX02'));
  assert.deepEqual((await names()).sort(), ['Contoso Old', 'Contoso Soon']);
  await page.selectOption('#server-picker', '*');
  await page.waitForFunction(() => document.querySelectorAll('#certificates tbody tr').length >= 4);
});

test('the filter matches names, domains and thumbprints', async () => {
  await page.fill('#filter', 'soon.contoso');
  assert.deepEqual(await names(), ['Contoso Soon']);
  await page.fill('#filter', made.old.Thumbprint.toLowerCase());
  assert.deepEqual(await names(), ['Contoso Old']);
  assert.match(await page.textContent('#row-count'), /^1 of \d+ shown/);
  await page.fill('#filter', '');
});

test('sorting by a column, both ways, with aria-sort', async () => {
  await page.click('th button[data-sort="NotAfter"]');
  let shown = await names();
  assert.ok(shown.indexOf('Contoso Old') < shown.indexOf('Contoso Soon'));
  assert.ok(shown.indexOf('Contoso Soon') < shown.indexOf('Contoso Mail'));
  assert.equal(await page.getAttribute('th:nth-child(4)', 'aria-sort'), 'ascending');
  await page.click('th button[data-sort="NotAfter"]');
  shown = await names();
  assert.ok(shown.indexOf('Contoso Mail') < shown.indexOf('Contoso Old'));
  assert.equal(await page.getAttribute('th:nth-child(4)', 'aria-sort'), 'descending');
});

test('expired and soon-expiring certificates stand out, in words as well as colour', async () => {
  const old = page.locator('#certificates tbody tr', { hasText: 'Contoso Old' });
  const soon = page.locator('#certificates tbody tr', { hasText: 'Contoso Soon' });
  const mail = page.locator('#certificates tbody tr', { hasText: 'Contoso Mail' });
  assert.equal(await old.getAttribute('class'), 'expired');
  assert.match(await old.textContent(), /Expired/);
  assert.equal(await soon.getAttribute('class'), 'expiring');
  assert.match(await soon.textContent(), /Expires in (9|10) days/);
  assert.equal(await mail.getAttribute('class'), null);
  const colours = await Promise.all([old, soon, mail].map((r) => r.locator('td').first().evaluate((td) => getComputedStyle(td).backgroundColor)));
  assert.equal(new Set(colours).size, 3);
});

test('selecting a certificate, by mouse or keyboard, shows its details', async () => {
  await page.click('#certificates tbody tr:has-text("Contoso Mail")');
  const details = await page.$$eval('#details-list dt', (dts) => Object.fromEntries(dts.map((dt) => [dt.textContent, dt.nextElementSibling.textContent])));
  const c = abi(store, 'get', { Server: 'EX01', Thumbprint: made.mail.Thumbprint }).Certificate;
  assert.equal(details.Subject, c.Subject);
  assert.equal(details.Issuer, c.Issuer);
  assert.equal(details.Domains, c.CertificateDomains.join(', '));
  assert.equal(details.Status, 'Valid');
  assert.equal(details['Assigned to services'], 'IIS, SMTP');
  assert.equal(details.Thumbprint, c.Thumbprint);
  assert.equal(details.Key, 'ECDSA_P256 256 bits');
  assert.equal(details['Private key exportable'], 'Yes');
  assert.match(details['Expires on'], new RegExp(`^${c.NotAfter.slice(0, 10)}`));
  // Keyboard: Arrow down moves, Enter selects.
  await page.focus('#certificates tbody tr[aria-selected="true"]');
  const before = await page.textContent('#details-title');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForFunction((t) => document.getElementById('details-title').textContent !== t, before);
  const selected = await page.textContent('#certificates tbody tr[aria-selected="true"] td');
  assert.equal(await page.textContent('#details-title'), selected);
  await page.screenshot({ path: join(screenshots, 'details.png') });
});

test('the certificates page has no serious or critical accessibility violations', async () => {
  assert.deepEqual(await seriousViolations(page), []);
});

test('notifications: a count and a list of what expires within 30 days on any server', async () => {
  assert.equal(await page.textContent('#notification-count'), '2');
  await page.click('#nav-notifications');
  await page.waitForSelector('#page-notifications:not([hidden])');
  const items = await page.$$eval('#notifications li .what', (l) => l.map((x) => x.textContent));
  assert.equal(items.length, 2);
  assert.match(items[0], /^Contoso Old on EX02 .* expired on/);
  assert.match(items[1], /^Contoso Soon on EX02 .* expires on .* in (9|10) days/);
  // The same answer as the C ABI's filter.
  const abiList = abi(store, 'list', { Server: '*', ExpiringWithinDays: 30 }).Certificates.filter((c) => c.Status !== 'PendingRequest');
  assert.equal(abiList.length, 2);
  assert.equal(await page.locator('#notifications button', { hasText: 'Renew' }).count(), 2);
  await page.screenshot({ path: join(screenshots, 'notifications.png') });
  assert.deepEqual(await seriousViolations(page), []);
});

test('the notification threshold is settable', async () => {
  await page.fill('#threshold', '800');
  await page.click('#threshold-form button');
  await page.waitForFunction(() => document.getElementById('notification-count').textContent === '3');
  assert.equal(await page.locator('#notifications li').count(), 3);
  await page.fill('#threshold', '30');
  await page.click('#threshold-form button');
  await page.waitForFunction(() => document.getElementById('notification-count').textContent === '2');
});

test('renew from a notification makes the new certificate beside the soon-expiring one', async () => {
  await page.click('#notifications li:has-text("Contoso Soon") button');
  assert.match(await page.waitForFunction(() => /was renewed on EX02/.test(document.getElementById('status').textContent)).then(() => page.textContent('#status')), /the new certificate is [0-9A-F]{40}/);
  const ex02 = abi(store, 'list', { Server: 'EX02' }).Certificates.filter((c) => c.FriendlyName === 'Contoso Soon');
  assert.equal(ex02.length, 2, 'the renewed certificate is beside the old one');
  const renewed = ex02.find((c) => c.Thumbprint !== made.soon.Thumbprint);
  assert.ok(renewed.DaysUntilExpiry > 1000);
  assert.equal(renewed.Subject, made.soon.Subject);
});

test('the page works at phone width', async () => {
  const phone = await signedInPageAgain();
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.click('#certificates tbody tr:has-text("Contoso Mail")');
  assert.equal(await phone.isVisible('#details'), true);
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the window`);
  await phone.screenshot({ path: join(screenshots, 'phone.png'), fullPage: false });
});

// A second session needs a fresh sign-in URL: the first one is spent.
async function signedInPageAgain() {
  const second = await startAdmin(store);
  after(() => second.stop());
  return signedInPage(browser, second, { width: 390, height: 844 });
}
