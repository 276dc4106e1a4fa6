// Shared set-up of the browser tests: a real excert-admin over a temporary store, the system's
// Chromium driven by playwright-core, and the two peers that check what the page did: the C ABI
// (through abi.c, built here against include/excert.h) and the cmdlets (pwsh).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import { seed } from './seed.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '../..');
const target = process.env.EXCERT_TARGET || join(root, 'target');
export const adminBinary = process.env.EXCERT_ADMIN || join(target, 'release', 'excert-admin');
const libDir = join(target, 'release');

export function chromiumPath() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(p)) return p;
  return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
}

let abiTool = null;
function buildAbi() {
  if (abiTool) return abiTool;
  const out = join(target, 'browser-tests');
  mkdirSync(out, { recursive: true });
  abiTool = join(out, 'abi');
  execFileSync('gcc', ['-std=c99', '-Wall', '-Wextra', '-Werror', `-I${join(root, 'include')}`, join(here, 'abi.c'),
    `-L${libDir}`, '-lexcert', `-Wl,-rpath,${libDir}`, '-o', abiTool]);
  return abiTool;
}

// Calls the C ABI on the store: returns the answer, or throws with the error JSON.
export function abi(store, fn, request, password) {
  const args = [fn, JSON.stringify({ StoreRoot: store, ...request })];
  if (password !== undefined) args.push(password);
  try {
    return JSON.parse(execFileSync(buildAbi(), args, { encoding: 'utf8', maxBuffer: 256 << 20 }));
  } catch (e) {
    if (e.status === 1) {
      const err = JSON.parse(e.stdout);
      const wrapped = new Error(`${err.Name}: ${err.Message}`);
      wrapped.code = err.Name;
      throw wrapped;
    }
    throw e;
  }
}

// Runs PowerShell with the module imported and EXCERT_STORE set; returns the script's output
// parsed from JSON (the script ends with ConvertTo-Json).
export function cmdlets(store, script) {
  const module = join(root, 'powershell', 'ExchangeCertificate');
  const text = execFileSync('pwsh', ['-NoProfile', '-NonInteractive', '-Command',
    `$ErrorActionPreference = 'Stop'; $WarningPreference = 'SilentlyContinue'; Import-Module '${module}'; ${script}`],
  { encoding: 'utf8', env: { ...process.env, EXCERT_STORE: store }, maxBuffer: 64 << 20 });
  return text.trim() ? JSON.parse(text) : null;
}

export function tempStore() {
  return mkdtempSync(join(tmpdir(), 'excert-browser-'));
}

// Starts excert-admin on a free loopback port; resolves with its sign-in URL.
export async function startAdmin(store, extra = []) {
  const proc = spawn(adminBinary, ['--store', store, '--listen', '127.0.0.1:0', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr = [];
  proc.stderr.on('data', (d) => stderr.push(d));
  const lines = createInterface({ input: proc.stdout });
  const first = await new Promise((resolveLine, reject) => {
    lines.once('line', resolveLine);
    proc.once('exit', (code) => reject(new Error(`excert-admin exited with ${code}: ${Buffer.concat(stderr)}`)));
  });
  const url = new URL(first);
  return {
    proc,
    signInUrl: first,
    origin: url.origin,
    token: url.searchParams.get('token'),
    stderr: () => Buffer.concat(stderr).toString(),
    stop: () => { proc.kill('SIGTERM'); },
  };
}

export async function launch() {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

// A new page signed in through the one-time URL, with the list loaded.
export async function signedInPage(browser, admin, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, acceptDownloads: true, viewport });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(new Error(m.text())); });
  await page.goto(admin.signInUrl);
  await page.waitForSelector('body[data-ready="true"]');
  page.errors = errors;
  return page;
}

// Runs axe-core on the page; returns the serious and critical violations.
export async function seriousViolations(page) {
  // Evaluated through the DevTools protocol: the page's CSP (no inline script) stays in force.
  await page.evaluate(readFileSync(join(here, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8'));
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

export const screenshots = join(root, 'target', 'browser-tests', 'screenshots');

export function cleanup(store) { rmSync(store, { recursive: true, force: true }); }

// The set-up of the tests that start from seed.mjs's certificates: a store with them,
// excert-admin on it, and Chromium signed in with the list loaded. `end()` stops and removes
// all of it (also what was started when the set-up fails half-way, which then throws).
export async function seededSession() {
  const session = { store: tempStore() };
  session.end = async () => {
    await session.browser?.close();
    session.admin?.stop();
    cleanup(session.store);
  };
  try {
    session.made = seed(session.store);
    session.admin = await startAdmin(session.store);
    session.browser = await launch();
    session.page = await signedInPage(session.browser, session.admin);
    mkdirSync(screenshots, { recursive: true });
  } catch (e) {
    await session.end();
    throw e;
  }
  return session;
}
