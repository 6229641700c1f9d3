// The department inbox and the auditor's desk in a real browser: Debian's
// chromium driven by playwright-core against a real `credflow serve` that
// run_desk_ui_test.sh set up (a repair application with tasks for tax,
// market and ecology). Phase "decide": each department officer signs in and
// decides (tax approves, market denies with a reason code, ecology extends,
// is refused a second extension next to the field, then approves); a
// department cannot see or open another's task, in the page or by a direct
// fetch with its cookie; the auditor sees the outcome, a green chain, the
// workflow diagram with the current state highlighted, and a matching
// anchor. Phase "tampered" (one event edited in the SQLite file): the
// auditor's desk shows the chain red naming that event, the whole-store
// check names the case, and the anchor no longer matches. Phase "overdue"
// (two more tax tasks, the clock in January 2027): the inbox lists the
// overdue task first and the open deadline in 2027 marked provisional (its
// holidays are not yet published), and the task pages say so too. Screenshots go to
// $CREDFLOW_ARTEFACTS; every page is checked for horizontal scroll at
// 1366x768.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const base = process.env.CREDFLOW_URL;
const artefacts = process.env.CREDFLOW_ARTEFACTS;
const phase = process.env.CREDFLOW_PHASE;
const password = process.env.CREDFLOW_PASSWORD;
const application = process.env.CREDFLOW_APPLICATION;
const viewport = { width: 1366, height: 768 };

async function noHorizontalScroll(page) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(over <= 0, `the page scrolls sideways by ${over}px at 1366x768`);
}

async function signedIn(browser, name) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'UTC' });
  const page = await context.newPage();
  await page.goto(base + '/');
  await page.locator('input[name=name]').fill(name);
  await page.locator('input[name=password]').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('[data-test=who]').waitFor();
  return { context, page };
}

// The one open task in the officer's inbox, opened from the list.
async function openOwnTask(page, shot) {
  await page.getByRole('menuitem', { name: '部门任务' }).click();
  const link = page.locator('[data-test=task-link]');
  await link.first().waitFor();
  assert.equal(await link.count(), 1, 'one open task in the inbox');
  const id = (await link.first().innerText()).trim();
  await page.screenshot({ path: `${artefacts}/${shot}-inbox.png` });
  await noHorizontalScroll(page);
  await link.first().click();
  await page.locator('[data-test=submit-decision]').waitFor();
  assert.match(await page.locator('[data-test=documents]').innerText(), /信用修复承诺书/);
  return id;
}

async function decide(page, choice, reasonLabel) {
  await page.locator('[data-test=decision]').getByText(choice, { exact: true }).click();
  if (reasonLabel) {
    await page.locator('[data-test=reason]').click();
    await page.getByRole('option', { name: reasonLabel }).click();
  }
  await page.locator('[data-test=submit-decision]').click();
  await page.locator('[data-test=task-done]').waitFor();
}

async function fetchStatus(page, path) {
  return page.evaluate(async (p) => (await fetch(p, { credentials: 'same-origin' })).status, path);
}

test(`the department inbox and the auditor's desk (${phase})`, async (t) => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  t.after(() => browser.close());
  const cspErrors = [];
  const watch = (page) =>
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });

  if (phase === 'decide') {
    const tasks = {};
    await t.test('tax approves its task', async () => {
      const { context, page } = await signedIn(browser, 'shui');
      watch(page);
      assert.match(await page.locator('[data-test=who]').innerText(), /shui（部门办理人，税务部门）/);
      const menu = await page.getByRole('menuitem').allInnerTexts();
      assert.deepEqual(menu.map((m) => m.trim()), ['首页', '部门任务'], 'the menu offers only its own inbox');
      tasks.tax = await openOwnTask(page, '10-tax');
      await page.screenshot({ path: `${artefacts}/11-task.png`, fullPage: true });
      await noHorizontalScroll(page);
      await decide(page, '同意修复');
      assert.equal((await page.locator('[data-test=task-state]').innerText()).trim(), '已同意');
      // Its own history of decisions.
      await page.getByRole('menuitem', { name: '部门任务' }).click();
      await page.getByRole('tab', { name: '办理记录' }).click();
      await page.locator('[data-test=task-link]', { hasText: tasks.tax }).waitFor();
      await page.screenshot({ path: `${artefacts}/12-tax-history.png` });
      await context.close();
    });

    await t.test('market denies with a reason code', async () => {
      const { context, page } = await signedIn(browser, 'shi');
      watch(page);
      tasks.market = await openOwnTask(page, '13-market');
      // No reason: the form says so next to the field, nothing is sent.
      await page.locator('[data-test=decision]').getByText('不同意修复', { exact: true }).click();
      await page.locator('[data-test=submit-decision]').click();
      await page.getByText('请选择不同意的理由').waitFor();
      await decide(page, '不同意修复', '未履行行政处罚决定规定的义务');
      assert.equal((await page.locator('[data-test=task-state]').innerText()).trim(), '已不同意');
      // The record's decision date, not the department's (2025-03-03).
      assert.equal((await page.locator('[data-test=record-decided-on]').innerText()).trim(), '2024-06-03');
      await page.screenshot({ path: `${artefacts}/14-market-denied.png`, fullPage: true });

      // Another department's task: neither the page nor a fetch with the cookie.
      await page.goto(`${base}/#/tasks/${encodeURIComponent(tasks.tax)}`);
      await page.locator('[data-test=task-error]').waitFor();
      assert.match(await page.locator('[data-test=task-error]').innerText(), /其他部门/);
      await page.screenshot({ path: `${artefacts}/15-other-department.png` });
      assert.equal(await fetchStatus(page, `/v1/cases/${encodeURIComponent(tasks.tax)}`), 403);
      assert.equal(await fetchStatus(page, '/v1/departments/tax/tasks'), 403);
      assert.equal(await fetchStatus(page, `/v1/repairs/${encodeURIComponent(application)}`), 403);
      const decided = await page.evaluate(async (id) => {
        const s = await (await fetch('/v1/session')).json();
        const r = await fetch(`/v1/tasks/${encodeURIComponent(id)}/decision`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token },
          body: JSON.stringify({ decision: 'approve' }),
        });
        return r.status;
      }, tasks.tax);
      assert.equal(decided, 403);
      await context.close();
    });

    await t.test('ecology extends once, is refused a second time, then approves', async () => {
      const { context, page } = await signedIn(browser, 'huan');
      watch(page);
      tasks.ecology = await openOwnTask(page, '16-ecology');
      await page.locator('input[name=extend-reason]').fill('情况复杂，需调取执行记录');
      await page.locator('[data-test=submit-extension]').click();
      await page.getByText('DecisionExtended').waitFor();
      await page.locator('input[name=extend-reason]').fill('再次申请延期');
      await page.locator('[data-test=submit-extension]').click();
      const refusal = page.locator('[data-test=extend-field] .el-form-item__error');
      await refusal.waitFor();
      assert.match(await refusal.innerText(), /已延长过一次/);
      await page.screenshot({ path: `${artefacts}/17-extension-refused.png`, fullPage: true });
      await decide(page, '同意修复');
      await context.close();
    });

    await t.test('the auditor sees the outcome, a green chain and the diagram', async () => {
      const { context, page } = await signedIn(browser, 'shen');
      watch(page);
      await page.getByRole('menuitem', { name: '案件审计' }).click();
      await page.locator('input[name=case-id]').fill(application);
      await page.locator('[data-test=open-case]').click();
      // The departments' answers reach the application by the scheduler.
      const state = page.locator('[data-test=case-state]');
      for (let i = 0; i < 60; i++) {
        await state.waitFor();
        if ((await state.getAttribute('data-state')) === 'PartiallyRepaired') break;
        await page.waitForTimeout(500);
        await page.reload();
      }
      assert.equal(await state.getAttribute('data-state'), 'PartiallyRepaired');
      assert.equal((await state.innerText()).trim(), '部分修复', 'the state in Chinese');
      const chain = page.locator('[data-test=chain-status]');
      assert.equal(await chain.getAttribute('data-chain'), 'intact');
      assert.match(await page.locator('[data-test=replay-status]').innerText(), /重放一致/);
      const current = page.locator('[data-test=current-state]');
      assert.equal(await current.count(), 1);
      assert.equal(await current.getAttribute('data-state'), 'PartiallyRepaired');
      assert.ok((await page.locator('[data-test=taken-edge]').count()) >= 2, 'the path taken is highlighted');
      assert.ok((await page.locator('[data-test=event]').count()) >= 3, 'the timeline lists the events');
      await page.screenshot({ path: `${artefacts}/20-audit-case.png`, fullPage: true });
      await noHorizontalScroll(page);

      await page.getByRole('menuitem', { name: '全库核验' }).click();
      await page.locator('[data-test=verify-store]').click();
      await page.locator('[data-test=store-status]').waitFor();
      assert.equal(await page.locator('[data-test=store-status]').getAttribute('data-chain'), 'intact');
      await page.locator('[data-test=check-anchor]').first().click();
      await page.locator('[data-test=anchor-result]').first().waitFor();
      assert.equal((await page.locator('[data-test=anchor-result]').first().innerText()).trim(), '一致');
      await page.screenshot({ path: `${artefacts}/21-audit-store.png`, fullPage: true });
      await noHorizontalScroll(page);
      await context.close();
    });
  }

  if (phase === 'tampered') {
    await t.test('the auditor finds the tampered event', async () => {
      const { context, page } = await signedIn(browser, 'shen');
      watch(page);
      await page.goto(`${base}/#/audit/cases/${encodeURIComponent(application)}`);
      const chain = page.locator('[data-test=chain-status]');
      await chain.waitFor();
      assert.equal(await chain.getAttribute('data-chain'), 'broken');
      assert.match(await chain.innerText(), /第 2 个事件/);
      assert.equal(await page.locator('[data-test=broken-event]').count(), 1);
      assert.match(await page.locator('[data-test=broken-event]').innerText(), /#2 /);
      await page.screenshot({ path: `${artefacts}/30-audit-case-broken.png`, fullPage: true });
      await noHorizontalScroll(page);

      await page.getByRole('menuitem', { name: '全库核验' }).click();
      await page.locator('[data-test=verify-store]').click();
      const store = page.locator('[data-test=store-status]');
      await store.waitFor();
      assert.equal(await store.getAttribute('data-chain'), 'broken');
      assert.match(await store.innerText(), new RegExp(`案件 ${application} 第 2 个事件`));
      await page.locator('[data-test=check-anchor]').first().click();
      await page.locator('[data-test=anchor-result]').first().waitFor();
      assert.equal((await page.locator('[data-test=anchor-result]').first().innerText()).trim(), '不一致');
      await page.screenshot({ path: `${artefacts}/31-audit-store-broken.png`, fullPage: true });
      await context.close();
    });
  }

  if (phase === 'overdue') {
    await t.test('the inbox puts the overdue task first and marks provisional deadlines', async () => {
      const { context, page } = await signedIn(browser, 'shui');
      watch(page);
      await page.getByRole('menuitem', { name: '部门任务' }).click();
      const rows = page.locator('[data-test=tasks] .el-table__body tr');
      await page.locator('[data-test=task-link]').first().waitFor();
      assert.equal(await rows.count(), 2, 'two open tasks (the earlier one was approved)');
      const first = rows.nth(0);
      const second = rows.nth(1);
      assert.equal(await first.locator('[data-test=overdue]').count(), 1, 'the overdue task comes first');
      assert.equal(await second.locator('[data-test=overdue]').count(), 0);
      // The open deadline falls in 2027, whose holidays are not yet
      // published: provisional (it moves if the notice says otherwise). The
      // overdue one has passed and fired: nothing can move it any more.
      assert.equal(await first.locator('[data-test=provisional]').count(), 0);
      assert.equal(await second.locator('[data-test=provisional]').count(), 1);
      const left = Number((await first.locator('.late').innerText()).trim());
      assert.ok(left < 0, `an overdue task has negative working days left (${left})`);
      await page.screenshot({ path: `${artefacts}/40-tax-overdue-inbox.png` });
      await noHorizontalScroll(page);
      await first.locator('[data-test=task-link]').click();
      await page.locator('[data-test=submit-decision]').waitFor();
      assert.equal((await page.locator('[data-test=task-state]').innerText()).trim(), '已逾期');
      assert.equal(await page.locator('[data-test=task-record] [data-test=overdue]').count(), 1);
      await page.screenshot({ path: `${artefacts}/41-tax-overdue-task.png`, fullPage: true });
      await page.goBack();
      await page.locator('[data-test=task-link]').nth(1).click();
      await page.locator('[data-test=task-record] [data-test=provisional]').waitFor();
      assert.equal((await page.locator('[data-test=task-state]').innerText()).trim(), '审查中');
      await context.close();
    });
  }

  assert.deepEqual(cspErrors, [], 'the Content-Security-Policy blocked nothing');
});
