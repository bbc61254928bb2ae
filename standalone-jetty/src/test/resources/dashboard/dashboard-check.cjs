// Drives Sluice's dashboard in a real headless Chromium (DashboardBrowserTest starts Sluice and this
// script). Talks to the test by lines: it prints "@@ STOP" and waits for "STOPPED" on stdin (the test
// has stopped a backend), then "@@ BREAK" and waits for "BROKEN" (the test has written a configuration
// that is rejected). Every wait is bounded; any failure prints "FAIL <why>" and exits 1.
'use strict';

const path = require('path');
const readline = require('readline');
const { chromium } = require(process.env.PLAYWRIGHT_CORE);

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error('missing environment variable ' + name);
  return v;
};
const DASHBOARD = env('DASHBOARD_URL');
const SHOTS = env('SCREENSHOTS');
const ROUTERS = env('EXPECT_ROUTERS').split(',');
const STOP_SERVER = env('STOP_SERVER');
const EXPLAIN_URL = env('EXPLAIN_URL');
const EXPLAIN_HEADER = process.env.EXPLAIN_HEADER || '';
const EXPLAIN_ROUTER = env('EXPLAIN_ROUTER');
const OTHER_ORIGIN = env('OTHER_ORIGIN');
const REJECTED_PROBLEM = env('REJECTED_PROBLEM');
const RATED_SERVICE = env('RATED_SERVICE');
const WAIT = Number(process.env.WAIT_MS || '10000');

const lines = readline.createInterface({ input: process.stdin });
const queue = [];
const waiters = [];
lines.on('line', (l) => (waiters.length ? waiters.shift()(l) : queue.push(l)));

function ask(what, answer) {
  console.log('@@ ' + what);
  const next = queue.length ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiters.push(resolve));
  return Promise.race([next, new Promise((_, reject) => setTimeout(() => reject(new Error('no ' + answer + ' from the test')), 20000))])
    .then((line) => {
      if (line.trim() !== answer) throw new Error('expected ' + answer + ', got ' + line);
    });
}

const step = (name) => console.log('STEP ' + name);

(async () => {
  const browser = await chromium.launchPersistentContext(env('USER_DATA_DIR'), {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    timeout: 20000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 1000 },
  });
  browser.setDefaultTimeout(WAIT);
  const problems = [];
  try {
    const page = browser.pages()[0] || (await browser.newPage());
    page.on('pageerror', (e) => problems.push('page error: ' + e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push('console error: ' + m.text());
    });

    const response = await page.goto(DASHBOARD, { waitUntil: 'load' });
    if (response.status() !== 200) throw new Error('dashboard answered ' + response.status());
    await page.waitForFunction(() => Number(document.body.dataset.refreshed || 0) >= 1);
    for (const router of ROUTERS) {
      await page.locator('#http-routers tr[data-name="' + router + '"]').waitFor();
    }
    step('routers listed: ' + ROUTERS.join(', '));
    const server = page.locator('#http-services [data-server="' + STOP_SERVER + '"]');
    await server.locator('.status-UP').waitFor();
    step('server UP: ' + STOP_SERVER);
    // The test sent requests to app before: the rates table (from /metrics) counts them.
    await page.locator('#rates-body tr[data-name="' + RATED_SERVICE + '"]').waitFor();
    step('rates listed: ' + RATED_SERVICE);
    await page.screenshot({ path: path.join(SHOTS, '1-loaded.png'), fullPage: true });

    // The page may talk to its own origin only: a fetch elsewhere is refused by the CSP.
    const blocked = await page.evaluate((other) => new Promise((resolve) => {
      document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective), { once: true });
      fetch(other).then(() => resolve('fetched'), () => {});
      setTimeout(() => resolve('no violation reported'), 5000);
    }), OTHER_ORIGIN);
    if (blocked !== 'connect-src') throw new Error('a fetch to another origin was not refused by connect-src: ' + blocked);
    step('CSP refuses ' + OTHER_ORIGIN);
    const beforeCsp = problems.length;

    await ask('STOP', 'STOPPED');
    const stoppedAt = Date.now();
    await server.locator('.status-DOWN').waitFor();
    step('server DOWN after ' + (Date.now() - stoppedAt) + ' ms: ' + STOP_SERVER);
    await page.locator('#http-services').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, '2-server-down.png'), fullPage: true });

    await ask('BREAK', 'BROKEN');
    await page.locator('#reload-errors li.rejection', { hasText: REJECTED_PROBLEM }).waitFor();
    step('reload error shown');

    await page.fill('#explain-url', EXPLAIN_URL);
    await page.fill('#explain-headers', EXPLAIN_HEADER);
    await page.selectOption('#explain-method', 'GET');
    await page.click('#explain-submit');
    const winner = page.locator('#explain-result dd[data-router]').first();
    await winner.waitFor();
    const router = await winner.getAttribute('data-router');
    if (router !== EXPLAIN_ROUTER) throw new Error('explainer chose ' + router + ', expected ' + EXPLAIN_ROUTER);
    const lost = page.locator('#explain-result table.candidates tr', { hasText: 'is tried first' });
    if ((await lost.count()) < 1) throw new Error('the explainer does not say why the other router lost');
    step('explainer: ' + router);
    await page.locator('#explain').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, '3-explained.png'), fullPage: true });

    // The deliberate CSP probe logs a console error; anything else is the page's own fault.
    const own = problems.slice(beforeCsp).concat(problems.slice(0, beforeCsp).filter((p) => !p.includes(OTHER_ORIGIN)
      && !p.includes('Content Security Policy') && !p.includes('Failed to fetch')));
    if (own.length) throw new Error('the page reported errors: ' + own.join(' | '));
    console.log('PASS');
  } finally {
    await browser.close();
  }
})().then(() => process.exit(0), (e) => {
  console.log('FAIL ' + (e && e.stack ? e.stack : e));
  process.exit(1);
});
