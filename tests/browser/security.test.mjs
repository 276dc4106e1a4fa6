// Sign-in, session and CSRF: what the admin center refuses, checked over real HTTPS in Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAdmin, launch, signedInPage, tempStore, cleanup, abi } from './harness.mjs';

let store, admin, browser;
before(async () => {
  store = tempStore();
  admin = await startAdmin(store);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  admin?.stop();
  cleanup(store);
});

test('the first line of standard output is an HTTPS sign-in URL on loopback', () => {
  assert.match(admin.signInUrl, /^https:\/\/localhost:\d+\/signin\?token=[0-9a-f]{64}$/);
});

test('the HTTPS certificate is our own self-signed one, kept in the store', async () => {
  const list = abi(store, 'list', { Server: '*' });
  const mine = list.Certificates.filter((c) => c.FriendlyName === 'excert admin center');
  assert.equal(mine.length, 1);
  assert.equal(mine[0].Services, 'None');
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const seen = new Promise((resolve) => cdp.on('Network.responseReceived', (e) => { if (e.response.securityDetails) resolve(e.response.securityDetails); }));
  await page.goto(`${admin.origin}/`);
  const details = await seen;
  assert.equal(details.subjectName, 'localhost');
  assert.ok(details.sanList.includes('localhost'));
  await context.close();
});

test('sign-in is refused without the token or with a wrong one, and the page says what to do', async () => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  let res = await page.goto(`${admin.origin}/`);
  assert.equal(res.status(), 401);
  assert.match(await page.textContent('main'), /sign-in URL/);
  res = await page.goto(`${admin.origin}/signin`);
  assert.equal(res.status(), 401);
  res = await page.goto(`${admin.origin}/signin?token=${'0'.repeat(64)}`);
  assert.equal(res.status(), 401);
  const api = await page.request.get(`${admin.origin}/api/certificates`);
  assert.equal(api.status(), 401);
  assert.equal((await context.cookies()).length, 0);
  await context.close();
});

test('the token signs in once: a session cookie that is HttpOnly, Secure and SameSite=Strict', async () => {
  const page = await signedInPage(browser, admin);
  const [cookie] = await page.context().cookies();
  assert.equal(cookie.name, 'excert_session');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.secure, true);
  assert.equal(cookie.sameSite, 'Strict');
  assert.equal(new URL(page.url()).search, '', 'the token leaves the address bar');
  assert.equal(await page.evaluate(() => document.cookie), '', 'scripts cannot read the cookie');
  // A second browser with the same URL gets nothing: the token was used.
  const other = await browser.newContext({ ignoreHTTPSErrors: true });
  const res = await (await other.newPage()).goto(admin.signInUrl);
  assert.equal(res.status(), 401);
  await other.close();
  page.signedIn = true;
  globalThis.signedPage = page;
});

test('every answer carries a strict Content-Security-Policy with no inline script', async () => {
  const page = globalThis.signedPage;
  const res = await page.request.get(`${admin.origin}/`);
  const csp = res.headers()['content-security-policy'];
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(res.headers()['x-content-type-options'], 'nosniff');
  // An inline script injected into the page does not run.
  const ran = await page.evaluate(async () => {
    window.injected = false;
    const s = document.createElement('script');
    s.textContent = 'window.injected = true';
    document.body.append(s);
    await new Promise((r) => setTimeout(r, 50));
    return window.injected;
  });
  assert.equal(ran, false);
});

test('a change without the CSRF token is refused and changes nothing', async () => {
  const page = globalThis.signedPage;
  const before = abi(store, 'list', { Server: '*' }).Certificates.length;
  const answer = await page.evaluate(async () => {
    const res = await fetch('/api/certificates', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Servers: ['EX01'], FriendlyName: 'csrf', DomainName: ['csrf.contoso.com'] }),
    });
    return { status: res.status, text: await res.text() };
  });
  assert.equal(answer.status, 403);
  assert.match(answer.text, /CSRF/);
  const wrong = await page.evaluate(async () => (await fetch('/api/remove', {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': 'f'.repeat(64) }, body: '{}',
  })).status);
  assert.equal(wrong, 403);
  assert.equal(abi(store, 'list', { Server: '*' }).Certificates.length, before);
});

test('text the core cannot take is refused with its reason (400) and changes nothing', async () => {
  const page = globalThis.signedPage;
  const before = abi(store, 'list', { Server: '*' }).Certificates.length;
  const answers = await page.evaluate(async () => {
    const csrf = (await (await fetch('/api/session')).json()).Csrf;
    const send = async (path, body) => {
      const res = await fetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify(body),
      });
      return { status: res.status, ...(await res.json()) };
    };
    return [
      await send('/api/certificates', { Servers: ['EX01'], DomainName: ['a.contoso.com'], Services: 'IIS, Web' }),
      await send('/api/certificates', { Servers: ['EX01'], DomainName: ['a.contoso.com'], KeyAlgorithm: 'DSA' }),
      await send('/api/requests', { Server: 'EX01', SubjectName: 'mail.contoso.com' }),
      await send('/api/import', { Servers: ['EX01'], FileData: '%%% not base64 %%%' }),
      await send('/api/export', { Server: 'EX01', Thumbprint: 'AB', Password: 'pw', Encryption: 'AES' }),
    ];
  });
  const expected = [/'Web' is not an Exchange service/, /'DSA' is not a key algorithm/, /no '='/, /choose the file again/, /use Modern .* or Legacy/];
  answers.forEach((a, i) => {
    assert.equal(a.status, 400, JSON.stringify(a));
    assert.equal(a.Name, 'InvalidArgument', JSON.stringify(a));
    assert.match(a.Message, expected[i]);
  });
  assert.equal(abi(store, 'list', { Server: '*' }).Certificates.length, before);
});

test('an upload over the size limit is refused', async () => {
  const page = globalThis.signedPage;
  const before = abi(store, 'list', { Server: '*' }).Certificates.length;
  const outcome = await page.evaluate(async () => {
    const csrf = (await (await fetch('/api/session')).json()).Csrf;
    try {
      const res = await fetch('/api/import', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ Servers: ['EX01'], FileData: 'A'.repeat(5 * 1024 * 1024) }),
      });
      return res.status;
    } catch {
      return 'closed';
    }
  });
  // The server answers 413 as soon as it sees the length and closes the connection; Chromium,
  // still sending, sometimes reports that as a network error instead of the 413.
  assert.ok(outcome === 413 || outcome === 'closed', String(outcome));
  assert.equal(abi(store, 'list', { Server: '*' }).Certificates.length, before);
  const still = await page.evaluate(async () => (await fetch('/api/session')).status);
  assert.equal(still, 200);
});

test('five wrong tokens burn the sign-in URL', async () => {
  const other = await startAdmin(store);
  try {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    for (let i = 0; i < 5; i++) await page.goto(`${other.origin}/signin?token=wrong${i}`);
    const res = await page.goto(other.signInUrl);
    assert.equal(res.status(), 401);
    assert.match(await page.textContent('body'), /Restart excert-admin/);
    await context.close();
  } finally {
    other.stop();
  }
});

test('signing out ends the session', async () => {
  const page = globalThis.signedPage;
  await page.click('#sign-out');
  await page.waitForSelector('main.signed-out');
  const res = await page.request.get(`${admin.origin}/api/certificates`);
  assert.equal(res.status(), 401);
});
