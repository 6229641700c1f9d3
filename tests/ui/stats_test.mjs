// The statistics page in a real browser (run_stats_ui_test.sh starts a real
// `credflow serve` with four commitments filed by the CLI: January,
// February and two in March 2025). An auditor signs in and opens 统计: each
// chart is drawn on a canvas, the page shows the numbers the API answered,
// a chart's CSV downloads with a BOM and Chinese headers, nothing scrolls
// sideways at 1366x768 and the CSP blocks nothing. Screenshot to
// $CREDFLOW_ARTEFACTS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';

const base = process.env.CREDFLOW_URL;
const artefacts = process.env.CREDFLOW_ARTEFACTS;
const charts = ['filings_by_month', 'repairs_by_outcome', 'overdue_tasks_by_department', 'verification_coverage', 'ledger'];

test('an auditor reads the statistics and downloads a chart as CSV', async (t) => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  t.after(() => browser.close());
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'UTC',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const cspErrors = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
  });

  await page.goto(base + '/');
  await page.locator('input[name=name]').fill('li');
  await page.locator('input[name=password]').fill('shenji-2025-li');
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('[data-test=who]').waitFor();

  const answered = page.waitForResponse((r) => r.url().includes('/v1/statistics'));
  await page.getByRole('menuitem', { name: '统计' }).click();
  const stats = await (await answered).json();
  // The API's numbers: the four filings in their Beijing months.
  const byMonth = {};
  for (const r of stats.filings_by_month) byMonth[r.month] = (byMonth[r.month] || 0) + r.count;
  assert.deepEqual(byMonth, { '2025-01': 1, '2025-02': 1, '2025-03': 2 });
  assert.equal(stats.year, 2025);
  assert.equal(stats.filings_by_month[0].item_name, '食品经营许可');
  // Food permits are verified in full (no draw); the policy's four grades
  // are listed with their ratios, none drawn.
  assert.equal(stats.verification_coverage.verified_in_full.cases, 4);
  assert.deepEqual(stats.verification_coverage.grades.map((g) => [g.grade, g.ratio, g.drawn]), [
    ['A', 0.05, 0], ['B', 0.2, 0], ['C', 0.6, 0], ['D', 0.8, 0],
  ]);

  for (const name of charts) {
    await page.locator(`[data-test=chart-${name}] canvas`).first().waitFor();
  }
  // The page shows the same numbers.
  assert.equal(await page.locator('[data-test=summary-filings_by_month]').innerText(), '全年承诺 4 件，涉及 1 个事项');
  assert.match(await page.locator('[data-test=summary-ledger]').innerText(), /2025-06-30 目标 80%/);
  assert.match(await page.locator('[data-test=summary-verification_coverage]').innerText(), /全数核查事项 4 件/);
  // Each canvas is drawn on: some pixel is not blank (ECharts draws on the
  // next animation frame, so wait for it).
  for (const name of charts) {
    await page.waitForFunction((n) => {
      const c = document.querySelector(`[data-test=chart-${n}] canvas`);
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
      return false;
    }, name);
  }
  await page.screenshot({ path: `${artefacts}/stats-01-statistics.png`, fullPage: true });
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(over <= 0, `the page scrolls sideways by ${over}px at 1366x768`);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('[data-test=csv-filings_by_month]').click(),
  ]);
  assert.equal(download.suggestedFilename(), 'statistics-2025-filings_by_month.csv');
  const bytes = await readFile(await download.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the CSV starts with a UTF-8 BOM');
  const lines = bytes.subarray(3).toString('utf8').split('\r\n');
  assert.equal(lines[0], '月份,承诺事项代码,承诺事项,承诺件数');
  assert.deepEqual(lines.slice(1, 4), [
    '2025-01,food_business_permit,食品经营许可,1',
    '2025-02,food_business_permit,食品经营许可,1',
    '2025-03,food_business_permit,食品经营许可,2',
  ]);

  assert.deepEqual(cspErrors, [], 'the Content-Security-Policy blocked nothing');
});
