// Reviews in the browser (V-1, V-3): HR finds the demo's quarterly cycle with its progress;
// the employee writes and submits their self review with their goals beside it; the manager
// writes the review of that report from the evidence shown beside the form and submits it;
// the score appears with how it was computed.
// Screenshots go to target/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { demoServer } from './harness.mjs';

const env = demoServer();
const { shots, signIn } = env;

/** Rates every item on the form `value` and writes a line in every text box. */
async function fill(page, value, words) {
  for (const set of await page.locator('#review-form fieldset:has(.scale)').all()) {
    await set.locator(`input[type=radio][value="${value}"]`).check();
  }
  for (const box of await page.locator('#review-form fieldset textarea').all()) {
    await box.fill(words);
  }
  await page.locator('#summary').fill(words);
}

test('self review, then the manager review beside the evidence, then the explained score', async () => {
  const h = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const hr = await signIn(h, 'hr', '/admin/reviews');
  await hr.locator('#cycles').getByRole('link', { name: '季度绩效考核' }).click();
  await hr.locator('#health').waitFor();
  await hr.screenshot({ path: join(shots, 'reviews-1-cycle-health.png'), fullPage: true });

  const e = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const me = await signIn(e, 'employee', '/reviews');
  await me.locator('#tasks tr', { hasText: '自评' }).getByRole('link').click();
  await me.locator('#evidence').getByText('目标与进展').waitFor();
  assert.ok(await me.locator('#evidence .evidence-goal').count() >= 1, 'the employee sees their goals');
  await fill(me, 4, '本季度按时交付了支付网关的两个里程碑。');
  await me.getByRole('button', { name: '提交' }).click();
  await me.getByText('已提交。').waitFor();
  await me.screenshot({ path: join(shots, 'reviews-2-self-submitted.png'), fullPage: true });

  const m = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const mgr = await signIn(m, 'manager', '/reviews');
  const report = env.demoName('employee');
  await mgr.locator('#tasks tr', { hasText: report }).filter({ hasText: '上级评价' }).getByRole('link').click();
  await mgr.locator('#evidence').waitFor();
  assert.ok(await mgr.locator('#evidence .evidence-goal').count() >= 1, 'the manager sees the goals beside the form');
  await mgr.screenshot({ path: join(shots, 'reviews-3-manager-form-evidence.png'), fullPage: true });
  // Submitting without the conclusion is refused and keeps what was typed.
  await fill(mgr, 5, '');
  await mgr.getByRole('button', { name: '提交' }).click();
  await mgr.getByRole('alert').getByText(/必填/).first().waitFor();
  await fill(mgr, 5, '两个里程碑按期交付，客户验收一次通过。');
  await mgr.getByRole('button', { name: '提交' }).click();
  await mgr.getByText('已提交。').waitFor();
  await mgr.getByRole('link', { name: '查看评分与计算过程' }).click();
  await mgr.locator('#explanation').getByText('0.6*goals + 0.4*competencies').waitFor();
  const score = await mgr.locator('#score strong').innerText();
  assert.match(score, /^\d+(\.\d+)?$/, `a number: ${score}`);
  await mgr.screenshot({ path: join(shots, 'reviews-4-explained-score.png'), fullPage: true });

  // Calibration (V-4): HR opens a session over the cycle, moves the report with a reason, locks.
  await hr.reload();
  await hr.locator('#new-session').getByLabel('名称').fill('季度校准会');
  await hr.locator('#new-session').getByRole('button', { name: '创建校准会' }).click();
  await hr.locator('#distribution').waitFor();
  const row = hr.locator('#people tr', { hasText: report });
  const before = await row.locator('td').nth(4).innerText();
  const target = before.trim().startsWith('B') ? 'C' : 'B';
  await row.locator('select[name=grade]').selectOption(target);
  await row.getByPlaceholder('调整理由（必填）').fill('与同级对比，交付范围较小');
  await row.getByRole('button', { name: '调整' }).click();
  await hr.getByText('已调整并记录理由。').waitFor();
  await hr.locator('#moves').getByText('与同级对比，交付范围较小').waitFor();
  await hr.getByRole('button', { name: '锁定校准结果' }).click();
  await hr.getByText('已锁定。').waitFor();
  assert.equal(await hr.locator('#people select[name=grade]').count(), 0, 'nothing moves once locked');
  await hr.screenshot({ path: join(shots, 'reviews-5-calibration-locked.png'), fullPage: true });
  await h.close();
  await e.close();
  await m.close();
});
