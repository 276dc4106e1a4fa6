// Times the admin center's list page in Chromium, inside the page (performance.now()):
//   first_render   navigation start → the list of every certificate rendered (body[data-ready]);
//                  the page draws the rows in and near the view, spacers stand for the rest
//   api_list       of which: the /api/certificates answer (server side: the core's listing + JSON)
//   filter_*       typing a filter → the rows re-rendered and painted (two animation frames)
//   scroll_end     scrolling the list to its last row → those rows drawn and painted
// Medians of RUNS page loads. Usage: node bench/admin-center.mjs STORE RUNS
import { startAdmin, launch, signedInPage } from '../tests/browser/harness.mjs';

const [store, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const admin = await startAdmin(store);
const browser = await launch();
try {
  const page = await signedInPage(browser, admin);
  // Before any page script: note when the page marks itself ready.
  await page.context().addInitScript(() => {
    new MutationObserver((_, obs) => {
      if (document.body && document.body.dataset.ready) { window.readyAt = performance.now(); obs.disconnect(); }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
  });
  const listed = () => page.evaluate(() => Number(document.getElementById('certificates').getAttribute('aria-rowcount')) - 1);
  const rows = await listed();
  const results = { first_render: [], api_list: [], filter_server: [], filter_none: [], filter_clear: [], scroll_end: [] };
  const filter = (text) => page.evaluate(async (t) => {
    const input = document.getElementById('filter');
    const t0 = performance.now();
    input.value = t;
    input.dispatchEvent(new Event('input'));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return { ms: performance.now() - t0, shown: Number(document.getElementById('certificates').getAttribute('aria-rowcount')) - 1 };
  }, text);
  const scrollEnd = () => page.evaluate(async () => {
    const wrap = document.querySelector('.list-wrap');
    const t0 = performance.now();
    wrap.scrollTop = wrap.scrollHeight;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const last = Number(document.getElementById('certificates').getAttribute('aria-rowcount')) - 2;
    return { ms: performance.now() - t0, drawn: document.querySelector(`#certificates tbody tr[data-i="${last}"]`) !== null };
  });
  let counts = {};
  for (let i = 0; i < runs; i++) {
    await page.reload();
    await page.waitForFunction(() => window.readyAt !== undefined);
    results.first_render.push(await page.evaluate(() => window.readyAt));
    results.api_list.push(await page.evaluate(() => {
      const e = performance.getEntriesByType('resource').find((r) => r.name.includes('/api/certificates'));
      return e ? e.responseEnd - e.startTime : NaN;
    }));
    const a = await filter('EX07');
    const b = await filter('no-such-certificate');
    const c = await filter('');
    const d = await scrollEnd();
    if (!d.drawn) throw new Error('the last row was not drawn after scrolling to the end');
    results.scroll_end.push(d.ms);
    results.filter_server.push(a.ms);
    results.filter_none.push(b.ms);
    results.filter_clear.push(c.ms);
    counts = { server: a.shown, none: b.shown, clear: c.shown };
  }
  console.log(`rows listed                ${rows}`);
  for (const [k, v] of Object.entries(results)) console.log(`${k.padEnd(26)} ${median(v).toFixed(0).padStart(6)} ms   (runs: ${v.map((x) => x.toFixed(0)).join(' ')})`);
  console.log(`rows after filter          EX07: ${counts.server}, none: ${counts.none}, cleared: ${counts.clear}`);
  console.log(`budget                     1000 ms each; first_render ${median(results.first_render) <= 1000 ? 'within' : 'OVER'}, filters ${Math.max(median(results.filter_server), median(results.filter_none), median(results.filter_clear)) <= 1000 ? 'within' : 'OVER'}`);
  const os = await import('node:os');
  console.log(`load average               ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} (${os.cpus().length} cores)`);
} finally {
  await browser.close();
  admin.stop();
}
