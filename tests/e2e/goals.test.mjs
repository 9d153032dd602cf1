// Browser test of goals (issue 3, SPEC G-5, G-6, G-10): the employee creates an OKR with three
// key results aligned to a company goal (a request HR accepts) and submits it; the manager finds it in the inbox and
// the approval queue and approves it; progress on a key result rolls up and the goal map shows
// the company goal's progress change. Screenshots go to target/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { demoServer } from './harness.mjs';

const env = demoServer();
const { base, shots, signIn } = env;

/** The percentage a goal map node shows for a goal id. */
async function nodePercent(page, goalId) {
  const card = page.locator(`.node-card:has(a[href="/goals/${goalId}"])`).first();
  return parseFloat((await card.locator('.pct').first().innerText()).replace('%', ''));
}

test('an OKR with three key results is aligned, submitted, approved and rolls up on the goal map', async () => {
  const emp = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  let page = await signIn(emp, 'employee', '/goals');
  await page.getByRole('heading', { name: '我的目标' }).waitFor();
  await page.getByRole('link', { name: '+ 新建目标' }).click();

  // G-1/G-5: an OKR with three key results, aligned to a company goal.
  const companyOption = page.locator('#parent_id option', { hasText: '公司 · ' }).first();
  const companyId = await companyOption.getAttribute('value');
  const companyTitle = (await companyOption.innerText()).replace('公司 · ', '');
  await page.getByLabel('目标名称').fill('华东区续约率提升到 90%');
  await page.getByLabel('支撑的上级目标').selectOption(companyId);
  const krs = [['续约客户数', '0', '40'], ['大客户回访', '0', '20'], ['流失预警响应（小时）', '48', '12']];
  for (const [i, [title, start, target]] of krs.entries()) {
    await page.getByLabel(`关键结果 ${i + 1}`, { exact: true }).fill(title);
    await page.getByLabel(`起始值 ${i + 1}`, { exact: true }).fill(start);
    await page.getByLabel(`目标值 ${i + 1}`, { exact: true }).fill(target);
  }
  await page.screenshot({ path: join(shots, 'goals-1-new.png'), fullPage: true });
  await page.getByRole('button', { name: '创建目标（草稿）' }).click();
  await page.getByText('目标已创建（草稿）。').waitFor();
  const goalUrl = page.url().split('?')[0];
  const goalId = goalUrl.split('/').pop();
  assert.equal(await page.locator('table.krs tbody tr').count(), 3);
  await page.locator('.badges').getByText('草稿').waitFor();
  assert.ok(await page.getByRole('link', { name: companyTitle }).count() > 0, 'the goal shows what it supports');
  // The company goal is HR's: the alignment is a request, pending until HR accepts it (issue
  // 22, item 1).
  await page.locator('#requests-out').getByText(companyTitle).waitFor();
  const hrc = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const hr = await signIn(hrc, 'hr', `/goals/${companyId}`);
  const ask = hr.locator('#requests-in li', { hasText: '华东区续约率提升到 90%' });
  await ask.getByRole('button', { name: '接受' }).click();
  await hr.getByText('已接受：它从现在起计入本目标的进度。').waitFor();
  await hrc.close();
  await page.reload();
  assert.equal(await page.locator('#requests-out').count(), 0, 'accepted, nothing pending');

  // G-10: submitted, it waits at the manager.
  await page.getByLabel('给审批人的说明（可选）').fill('请审阅本季度续约目标');
  await page.getByRole('button', { name: '提交审批' }).click();
  await page.getByText('已提交，等待审批。').waitFor();
  await page.locator('.badges').getByText('审批中').waitFor();
  await page.locator('ol.steps li.current', { hasText: '主管审批' }).waitFor();
  await page.screenshot({ path: join(shots, 'goals-2-submitted.png'), fullPage: true });

  // The manager hears of it in the inbox and approves it from the queue.
  const mgr = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const mpage = await signIn(mgr, 'manager', '/');
  await mpage.locator('.usermenu .unread').waitFor();
  await mpage.getByRole('link', { name: /^消息/ }).click();
  await mpage.getByRole('button', { name: /提交了目标「华东区续约率提升到 90%」/ }).click();
  await mpage.waitForURL(/\/approvals$/);
  const card = mpage.locator('section.approval', { hasText: '华东区续约率提升到 90%' });
  await card.waitFor();
  await mpage.screenshot({ path: join(shots, 'goals-3-approvals.png'), fullPage: true });
  await card.getByLabel('审批意见').fill('目标清晰，同意');
  await card.getByRole('button', { name: '批准' }).click();
  await mpage.getByText('已通过。').waitFor();
  assert.equal(await mpage.locator('section.approval', { hasText: '华东区续约率提升到 90%' }).count(), 0);

  // Back on the goal: approved, waiting for HR filing; the history says who did what.
  await page.goto(goalUrl);
  await page.locator('.badges').getByText('已批准').waitFor();
  await page.locator('ol.steps li.current', { hasText: 'HR 备案' }).waitFor();
  await page.locator('table.history', { hasText: '目标清晰，同意' }).waitFor();

  // G-5/G-6: the company goal's map before and after progress on a key result.
  const map = await emp.newPage();
  await map.goto(`${base}/goals/${companyId}/map`);
  await map.getByRole('heading', { name: '目标地图' }).waitFor();
  const before = await nodePercent(map, goalId);
  const companyBefore = await nodePercent(map, companyId);
  assert.equal(before, 0);
  await page.getByLabel('新数值: 续约客户数').fill('40');
  await page.locator('tr', { hasText: '续约客户数' }).getByRole('button', { name: '保存' }).click();
  await page.getByText('进度已更新，并已汇总到上级目标。').waitFor();
  await map.reload();
  const after = await nodePercent(map, goalId);
  const companyAfter = await nodePercent(map, companyId);
  assert.ok(Math.abs(after - 33) <= 1, `one of three equal key results done: ${after}%`);
  assert.ok(companyAfter > companyBefore || companyBefore === 100, `the company goal rolls up: ${companyBefore}% → ${companyAfter}%`);
  // The alignment canvas (issue 23, item 4): drawn, with the same tree as the list below it.
  await map.locator('#map-canvas[data-ready="1"] canvas').waitFor();
  const drawn = JSON.parse(await map.locator('#map-data').textContent());
  const ids = [];
  (function walk(n) { ids.push(n.id); n.children.forEach(walk); })(drawn.tree);
  assert.ok(ids.includes(goalId) && ids[0] === companyId, 'the new goal is on the canvas under the company goal');
  await map.screenshot({ path: join(shots, 'goals-4-map.png'), fullPage: true });

  // An approved goal changes only with a reason (G-11).
  await page.locator('details.more summary', { hasText: '修改目标' }).click();
  await page.locator('details.more form[action$="/edit"]').getByLabel('目标名称').fill('华东区续约率提升到 92%');
  const reason = page.locator('details.more form[action$="/edit"]').getByLabel(/变更原因/);
  assert.equal(await reason.getAttribute('required'), '', 'an approved goal asks for a reason');
  await reason.fill('大客户提前续约');
  await page.locator('details.more form[action$="/edit"]').getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存。').waitFor();
  await page.locator('table.history', { hasText: '大客户提前续约' }).waitFor();
  // The history in sentences, by the person's name (issue 23, item 2).
  const history = page.locator('table.history');
  await history.getByText('标题：华东区续约率提升到 90% → 华东区续约率提升到 92%').waitFor();
  assert.ok(!/weight_bp|framework:|key_results/.test(await history.innerText()), 'no field keys in the history');

  // G-5 (issue 22, item 2): a contribution's weight changes in place, with its reason kept.
  const reweight = page.locator('details.inline-more', { hasText: '调整贡献权重' });
  await reweight.locator('summary').click();
  await reweight.getByLabel(/权重/).fill('60');
  await reweight.getByPlaceholder('变更原因').fill('华东是今年重点');
  await reweight.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存。').waitFor();
  await page.locator('ul.links', { hasText: '60%' }).waitFor();
  await page.locator('table.history', { hasText: '华东是今年重点' }).waitFor();
  await page.screenshot({ path: join(shots, 'goals-5-goal.png'), fullPage: true });
  await emp.close();
  await mgr.close();
});

test('the goal pages work on a phone and in English', async () => {
  const context = await env.browser.newContext({ locale: 'en-US', viewport: { width: 375, height: 800 }, isMobile: true });
  const page = await signIn(context, 'manager', '/goals/team', true);
  await page.getByRole('heading', { name: 'Team goals' }).waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  assert.equal(overflow, false, 'no sideways scrolling on a phone');
  await page.screenshot({ path: join(shots, 'goals-6-team-phone.png'), fullPage: true });
  await page.getByRole('link', { name: 'Break points' }).click();
  await page.getByRole('heading', { name: 'Individual goals aligned to nothing' }).waitFor();
  await context.close();
});
