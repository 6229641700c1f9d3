// The caseworker's window in a real browser: Debian's chromium driven by
// playwright-core against a real `credflow serve` (run_window_ui_test.sh
// starts it on 2025-03-03). A caseworker files a commitment through the form
// rendered from its XML definition (first with a mistake, whose error shows
// beside its field), records a verification report that finds it untrue,
// handles the false commitment until the decision is revoked, prints every
// document of the case from one button, and takes a repair application
// whose department tasks are listed. Each page: a screenshot in
// $CREDFLOW_ARTEFACTS, and no horizontal scroll at 1366x768.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const base = process.env.CREDFLOW_URL;
const artefacts = process.env.CREDFLOW_ARTEFACTS;
const viewport = { width: 1366, height: 768 };
const code = '91320500L968FMY61Q';

async function noHorizontalScroll(page) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(over <= 0, `the page scrolls sideways by ${over}px at 1366x768`);
}

async function shot(page, name) {
  await page.screenshot({ path: `${artefacts}/window-${name}.png`, fullPage: true });
  await noHorizontalScroll(page);
}

// The error Element Plus shows under a form item, by the field's name.
function fieldError(scope, name) {
  return scope.locator(`[data-field=${name}] .el-form-item__error`);
}

async function choose(page, trigger, option) {
  await trigger.click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click();
}

async function stateOf(page) {
  return page.locator('[data-test=state]').getAttribute('data-state');
}

async function waitForState(page, state) {
  await page.locator(`[data-test=state][data-state=${state}]`).waitFor();
}

// A parent learns its child's outcome from the scheduler (a delivery timer,
// fired within a second or so): the page is refreshed until the case shows
// the state, at most 40 times.
async function refreshUntilState(page, state) {
  for (let i = 0; i < 40; ++i) {
    if ((await stateOf(page)) === state) return;
    await page.waitForTimeout(250);
    await page.locator('[data-test=refresh]').click();
    await page.locator('[data-test=state]').waitFor();
  }
  assert.equal(await stateOf(page), state);
}

async function sendEvent(page, name, fill) {
  await page.locator(`[data-test=event-${name}]`).click();
  const dialog = page.locator('.el-dialog:visible');
  await dialog.waitFor();
  await fill(dialog);
  await dialog.locator('[data-test=event-submit]').click();
  await dialog.waitFor({ state: 'hidden' });
}

test('the caseworker window', async (t) => {
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

  // What the page sends: filings carry an Idempotency-Key, events If-Match.
  const posts = [];
  page.on('request', (r) => {
    if (r.method() === 'POST') posts.push({ path: new URL(r.url()).pathname, headers: r.headers() });
  });

  await page.goto(base + '/');
  await page.locator('input[name=name]').fill('wang');
  await page.locator('input[name=password]').fill('chuangkou-2025');
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('[data-test=who]').waitFor();

  let commitmentUrl = '';
  await t.test('a commitment is filed through its rendered form, a mistake shown beside its field', async () => {
    await page.getByRole('menuitem', { name: '办理信用承诺' }).click();
    await page.locator('input[name=subject]').fill(code);
    await choose(page, page.locator('[data-test=type]'), '食品经营许可');
    await page.locator('[data-test=form-title]').waitFor();
    assert.equal(await page.locator('[data-test=form-title]').innerText(), '食品经营许可告知承诺书');
    // The labels come from forms/definitions/food_business_permit.xml.
    for (const label of ['申请人名称', '法定代表人（负责人）', '经营场所', '经营项目', '签署日期']) {
      await page.locator('.el-form-item__label', { hasText: label }).first().waitFor();
    }
    await page.locator('input[name=applicant_name]').fill('苏州禾丰餐饮管理有限公司');
    await page.locator('input[name=legal_representative]').fill('张伟');
    await page.locator('[data-field=business_items] .el-checkbox', { hasText: '餐饮服务' }).click();
    await page.locator('input[name=signed_on]').fill('2025-03-01');
    // The mistake: no premises address. The API's 422 names the field.
    await page.locator('[data-test=submit]').click();
    await fieldError(page, 'premises_address').waitFor();
    assert.equal(await fieldError(page, 'premises_address').innerText(), '请填写经营场所');
    assert.equal(await fieldError(page, 'applicant_name').count(), 0, 'only the wrong field shows an error');
    await shot(page, '01-commitment-form-error');

    await page.locator('input[name=premises_address]').fill('苏州市姑苏区人民路100号');
    await page.locator('[data-test=submit]').click();
    await page.waitForURL(/#\/cases\//);
    await waitForState(page, 'UnderVerification');
    commitmentUrl = page.url();
    // Each filing carried an Idempotency-Key (a retry of the same letter is
    // applied once); the corrected letter got a new one.
    const filings = posts.filter((p) => p.path === '/v1/commitments');
    assert.equal(filings.length, 2);
    for (const f of filings) assert.match(f.headers['idempotency-key'] || '', /^console-[0-9a-f]{32}$/);
    assert.notEqual(filings[0].headers['idempotency-key'], filings[1].headers['idempotency-key']);
    await page.locator('[data-test=child-verification]').waitFor();
    await shot(page, '02-commitment-case');
  });

  await t.test('a verification report is recorded with its form', async () => {
    await page.locator('[data-test=child-verification]').click();
    await waitForState(page, 'Scheduled');
    // Deadlines are listed (the verification window).
    await page.locator('[data-test=deadlines] .el-table__row').first().waitFor();
    await sendEvent(page, 'VerificationStarted', (d) => d.locator('input[name=inspector]').fill('李明'));
    await waitForState(page, 'InProgress');
    await page.locator('[data-test=event-VerificationReported]').click();
    const dialog = page.locator('.el-dialog:visible');
    await dialog.locator('h4', { hasText: '告知承诺核查报告' }).waitFor();
    await choose(page, dialog.locator('[data-field=result] .el-select'), '与承诺不符');
    await dialog.locator('textarea[name=findings]').fill('经营场所未配备食品安全管理人员，与承诺不符。');
    await dialog.locator('input[name=verified_on]').fill('2025-03-03');
    await shot(page, '03-verification-report');
    await dialog.locator('[data-test=event-submit]').click();
    await dialog.waitFor({ state: 'hidden' });
    await waitForState(page, 'Nonconforming');
  });

  await t.test('the false commitment is handled until the decision is revoked', async () => {
    await page.locator('[data-test=parent]').click();
    await page.locator('[data-test=state]').waitFor();
    await refreshUntilState(page, 'RectificationOrdered');
    await page.locator('[data-test=child-false_commitment]').click();
    await waitForState(page, 'RectificationOrdered');
    // The rectification deadline, named in Chinese, counted from the order.
    await page.locator('[data-test=deadlines] .el-table__row', { hasText: '整改期限' }).waitFor();
    await shot(page, '04-false-commitment');
    await sendEvent(page, 'RectificationRefused', (d) =>
      d.locator('textarea[name=reason]').fill('承诺人书面表示不予整改'),
    );
    await waitForState(page, 'Revoked');
    assert.equal(await stateOf(page), 'Revoked');
    // Every event named the case version the user saw (If-Match).
    const events = posts.filter((p) => p.path.endsWith('/events'));
    assert.ok(events.length >= 2, `${events.length} events sent`);
    for (const e of events) assert.match(e.headers['if-match'] || '', /^"\d+"$/, e.path);
    await page.goto(commitmentUrl);
    await page.locator('[data-test=state]').waitFor();
    await refreshUntilState(page, 'Revoked');
  });

  await t.test('one button opens every document of the case, ready for A4', async () => {
    await page.locator('[data-test=print]').click();
    await page.waitForURL(/#\/print\//);
    await page.locator('[data-test=print-all]:not([disabled])').waitFor();
    const kinds = await page.locator('.sheet').evaluateAll((els) => els.map((e) => e.dataset.kind));
    for (const kind of [
      'notice',
      'commitment_letter',
      'verification_report',
      'rectification_order',
      'revocation_decision',
      'penalty_referral',
    ]) {
      assert.ok(kinds.includes(kind), `the print view has the ${kind} (it has ${kinds.join(', ')})`);
    }
    // Each document is there itself (its own article, numbered), not a link.
    assert.equal(await page.locator('article.document').count(), kinds.length);
    await page.locator('article.document[data-kind=revocation_decision]', { hasText: '撤销决定书' }).waitFor();
    await page.locator('article.document[data-kind=notice]', { hasText: '〔2025〕' }).waitFor();
    await shot(page, '05-print-view');
    // Printed: no toolbar, one sheet per page.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('[data-test=print-all]').isVisible(), false);
    const breaks = await page.locator('.sheet').first().evaluate((e) => getComputedStyle(e).breakAfter);
    assert.equal(breaks, 'page');
    await page.emulateMedia({ media: 'screen' });
  });

  await t.test('a repair application is taken and its department tasks are followed', async () => {
    await page.goto(base + '/#/repairs/new');
    await page.locator('input[name=subject]').fill(code);
    await page.locator('[data-test=load-records]').click();
    const rows = page.locator('[data-test=repair-records] .el-table__row', { hasText: '行政处罚' });
    await rows.first().waitFor();
    assert.equal(await rows.count(), 2);
    for (let i = 0; i < 2; ++i) await rows.nth(i).locator('.el-checkbox').click();
    for (const name of ['信用修复承诺书', '履行法定义务证明', '营业执照', '经办人身份证明']) {
      await page.locator('[data-test=repair-documents] .el-checkbox', { hasText: name }).click();
    }
    await page.locator('input[name=applicant_name]').fill('王芳');
    await shot(page, '06-repair-application');
    await page.locator('[data-test=repair-submit]').click();
    await page.waitForURL(/#\/repairs\/[0-9a-f-]+$/);
    const tasks = page.locator('[data-test=repair-tasks] .el-table__row');
    await tasks.first().waitFor();
    assert.equal(await tasks.count(), 2);
    const text = await page.locator('[data-test=repair-tasks]').innerText();
    assert.match(text, /税务部门/);
    assert.match(text, /市场监管部门/);
    assert.match(text, /审查中/);
    assert.match(text, /未决定/);
    assert.match(await page.locator('[data-test=task-summary]').innerText(), /共 2 个部门任务：已决定 0 个，逾期 0 个/);
    // 2025-03-03 plus ten working days: 2025-03-17.
    assert.match(text, /2025-03-17/);
    const left = await page.locator('[data-test=days-left]').allInnerTexts();
    assert.deepEqual(left, ['10', '10']);
    await shot(page, '07-repair-tasks');
  });

  assert.deepEqual(cspErrors, [], 'the Content-Security-Policy blocked nothing');
});
