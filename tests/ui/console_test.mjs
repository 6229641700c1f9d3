// The console in a real browser: Debian's chromium (never a downloaded
// one) driven by playwright-core against a real `credflow serve`
// (run_ui_test.sh starts it). Journeys: a wrong password shows an error; a
// caseworker signs in, searches a subject, opens its page and sees its
// grade; a write with the cookie but without the CSRF token is refused;
// sign-out ends the session. Screenshots of each page go to
// $CREDFLOW_ARTEFACTS; the first page's load time and gzipped JS+CSS weight
// are printed (tests/bench/README.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const base = process.env.CREDFLOW_URL;
const artefacts = process.env.CREDFLOW_ARTEFACTS;
const viewport = { width: 1366, height: 768 };

async function noHorizontalScroll(page) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(over <= 0, `the page scrolls sideways by ${over}px at 1366x768`);
}

test('console journeys', async (t) => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  t.after(() => browser.close());
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'UTC' });
  const page = await context.newPage();
  const cspErrors = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
  });

  // First load: time to a usable sign-in form, and what it weighed.
  const transferred = { js: 0, css: 0 };
  page.on('response', async (r) => {
    const type = r.headers()['content-type'] || '';
    const size = Number((await r.allHeaders())['content-length'] || 0);
    if (type.startsWith('text/javascript')) transferred.js += size;
    if (type.startsWith('text/css')) transferred.css += size;
  });
  const started = Date.now();
  await page.goto(base + '/');
  await page.getByRole('button', { name: '登录' }).waitFor();
  const loadMs = Date.now() - started;
  console.log(`first page: usable after ${loadMs} ms; JS ${(transferred.js / 1024).toFixed(1)} KiB + CSS ${(transferred.css / 1024).toFixed(1)} KiB gzipped`);
  await page.screenshot({ path: `${artefacts}/01-signin.png` });
  await noHorizontalScroll(page);

  await t.test('a wrong password shows an error', async () => {
    await page.locator('input[name=name]').fill('wang');
    await page.locator('input[name=password]').fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('用户名或密码错误').waitFor();
    await page.screenshot({ path: `${artefacts}/02-signin-error.png` });
  });

  await t.test('a caseworker signs in, finds a subject and sees its grade', async () => {
    await page.locator('input[name=password]').fill('chuangkou-2025');
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('[data-test=who]').waitFor();
    assert.match(await page.locator('[data-test=who]').innerText(), /wang（窗口经办人）/);
    await page.screenshot({ path: `${artefacts}/03-home.png` });
    await noHorizontalScroll(page);

    await page.getByRole('menuitem', { name: '主体查询' }).click();
    await page.locator('input[name=q]').fill('禾丰');
    await page.getByRole('button', { name: '查询' }).click();
    const link = page.locator('[data-test=subject-link]');
    await link.first().waitFor();
    assert.equal(await link.count(), 1);
    assert.equal(await link.first().innerText(), '苏州禾丰餐饮管理有限公司');
    await page.screenshot({ path: `${artefacts}/04-subject-search.png` });
    await noHorizontalScroll(page);

    // The start of a code finds it too.
    await page.locator('input[name=q]').fill('91320500l968');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByText('91320500L968FMY61Q').waitFor();

    await link.first().click();
    await page.locator('[data-test=grade]').waitFor();
    assert.equal(await page.locator('[data-test=subject-name]').innerText(), '苏州禾丰餐饮管理有限公司');
    assert.equal((await page.locator('[data-test=grade]').innerText()).trim(), 'C');
    await page.locator('[data-test=records] .el-table__row').first().waitFor();
    await page.screenshot({ path: `${artefacts}/05-subject-page.png`, fullPage: true });
    await noHorizontalScroll(page);
  });

  await t.test('a write with the cookie but without the CSRF token is refused', async () => {
    const status = await page.evaluate(async () => {
      const r = await fetch('/v1/records', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
        credentials: 'same-origin',
      });
      return r.status;
    });
    assert.equal(status, 403);
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'credflow_session');
    assert.ok(session, 'the session cookie is set');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    const visible = await page.evaluate(() => document.cookie);
    assert.ok(!visible.includes('credflow_session'), 'scripts cannot read the session cookie');
  });

  await t.test('sign-out ends the session', async () => {
    await page.locator('[data-test=signout]').click();
    await page.getByRole('button', { name: '登录' }).waitFor();
    await page.screenshot({ path: `${artefacts}/06-signed-out.png` });
    const status = await page.evaluate(async () => (await fetch('/v1/session')).status);
    assert.equal(status, 401);
  });

  assert.deepEqual(cspErrors, [], 'the Content-Security-Policy blocked nothing');
});
