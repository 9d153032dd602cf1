// Probation 1-3-6 in the browser (V-8): HR adds a new hire who joined three weeks ago and starts
// their probation — a six-month contract allows one month (Labour Contract Law art. 19), so two
// are refused with the law named; the manager finds the conversion coming up on their home
// page, opens it and converts the person with the reasons.
// Screenshots go to target/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { demoServer } from './harness.mjs';

const env = demoServer();
const { shots, signIn } = env;

test('HR starts a probation within the legal cap; the manager sees the checkpoint at home and converts', async () => {
  const m = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const mgr = await signIn(m, 'manager', '/');
  // The manager's number and team, from their own line on the home page.
  const card = mgr.locator('#me-card');
  const managerNo = (await card.locator('.employee-no').innerText()).trim();
  const team = (await card.locator('.unit').innerText()).trim();

  const h = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const hr = await signIn(h, 'hr', '/people/new');
  const hired = new Date(Date.now() - 20 * 86400000).toISOString().slice(0, 10);
  await hr.locator('#employee_no').fill('E2E-0601');
  await hr.locator('#name').fill('试用新人');
  const units = await hr.locator('#unit_id option').allInnerTexts();
  const unit = units.find(u => u.trim().endsWith(team));
  assert.ok(unit, `the manager's team ${team} among ${units.length} units`);
  await hr.locator('#unit_id').selectOption({ label: unit.trim() });
  await hr.locator('#manager_no').fill(managerNo);
  await hr.locator('#hire_date').fill(hired);
  await hr.getByRole('button', { name: '保存' }).click();
  await hr.getByRole('link', { name: '试用期' }).first().click();
  await hr.locator('#start').waitFor();
  await hr.locator('#contract').selectOption('fixed');
  await hr.locator('#contract-months').fill('6');
  await hr.locator('#months').fill('2');
  await hr.locator('#start').getByRole('button', { name: '开始试用期' }).click();
  await hr.getByRole('alert').getByText('超过劳动合同法第十九条允许的试用期上限').waitFor();
  await hr.locator('#months').fill('1');
  await hr.locator('#start').getByRole('button', { name: '开始试用期' }).click();
  await hr.getByText('试用期已开始').waitFor();
  await hr.locator('#checkpoints').getByText('转正决定').waitFor();
  await hr.screenshot({ path: join(shots, 'probation-1-started.png'), fullPage: true });

  await mgr.reload();
  // A to-do on the home page: the checkpoint with its focus.
  const due = mgr.locator('#todos .todo-probation');
  await due.getByText('试用新人 的试用期检查点：转正决定').waitFor();
  await mgr.screenshot({ path: join(shots, 'probation-2-home-checkpoint.png'), fullPage: true });
  await due.getByRole('link', { name: /试用新人/ }).click();
  await mgr.locator('#decision').getByLabel('转正', { exact: true }).check();
  await mgr.locator('#decision-note').fill('适应快，第一个月独立完成两个需求，转正。');
  await mgr.locator('#decision').getByRole('button', { name: '作出转正决定' }).click();
  await mgr.getByText('决定已记录').waitFor();
  await mgr.locator('#summary').getByText('已转正').waitFor();
  await mgr.screenshot({ path: join(shots, 'probation-3-converted.png'), fullPage: true });
  // Decided: the checkpoint leaves the home page.
  await mgr.goto(`${env.base}/`);
  assert.equal(await mgr.locator('#todos .todo-probation', { hasText: '试用新人' }).count(), 0);
  await h.close();
  await m.close();
});
