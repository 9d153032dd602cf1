// Browser test of the boards (issue 4, SPEC T-5): the employee's own board with their goals
// against the ideal pace; the manager's team board with each report's lights, last update and
// follow-up rate; the executive's strategy board of company goals two levels down, which an
// employee may not open. Screenshots go to target/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { demoServer } from './harness.mjs';

const env = demoServer();
const { base, shots, signIn } = env;

test('my board, the team board with follow-up, and the strategy board', async () => {
  const emp = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1200, height: 900 } });
  const page = await signIn(emp, 'employee', '/goals');
  const board = page.locator('section.my-board');
  await board.getByRole('heading', { name: '我的看板' }).waitFor();
  await page.locator('#my-goals-chart[data-ready="1"] svg').waitFor();
  const pace = parseFloat(await board.locator('.kpi', { hasText: '按时间应完成' }).locator('.kpi-value').innerText());
  assert.ok(pace > 0 && pace <= 100, `pace ${pace}`);
  // One bar per goal listed below.
  const rows = await page.locator('li.goal-row').count();
  const bars = await page.locator('#my-goals-chart svg path[fill="#38a169"], #my-goals-chart svg path[fill="#d69e2e"], #my-goals-chart svg path[fill="#e53e3e"], #my-goals-chart svg path[fill="#9ca3af"]').count();
  assert.ok(bars >= 1 && rows >= 1, `bars ${bars}, goals ${rows}`);
  await page.screenshot({ path: join(shots, 'boards-1-mine.png'), fullPage: true });
  assert.equal((await page.goto(base + '/tracking/executive')).status(), 403);
  await emp.close();

  const mgr = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1200, height: 900 } });
  const mpage = await signIn(mgr, 'manager', '/goals/team');
  const card = mpage.locator('section.card', { has: mpage.getByRole('heading', { name: env.demoName('employee') }) });
  assert.match(await card.locator('.lamps').innerText(), /本月跟进率 (\d+(\.\d)?%|—)/);
  await mpage.screenshot({ path: join(shots, 'boards-2-team.png'), fullPage: false });
  await mgr.close();

  const ceo = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1200, height: 900 } });
  const cpage = await signIn(ceo, 'executive', '/tracking/executive');
  await cpage.getByRole('heading', { name: '战略看板' }).waitFor();
  const strategic = cpage.locator('section.strategic');
  assert.ok(await strategic.count() > 0, 'the demo has company goals');
  await cpage.locator('#strategy-chart[data-ready="1"] svg').waitFor();
  assert.match(await strategic.first().locator('.lamps').innerText(), /\d+ 个支撑目标/);
  assert.ok(await cpage.locator('ul.strategy-tree > li').count() > 0, 'goals support the strategy');
  await cpage.screenshot({ path: join(shots, 'boards-3-strategy.png'), fullPage: true });
  await ceo.close();
});
