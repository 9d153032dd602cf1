// Browser test of progress tracking (issue 4, SPEC T-1, T-3, T-4): the employee submits a goal
// and checks in on a key result with a confidence, a note and a picture; the goal page shows
// the status light with its reason, the chart against the ideal pace and the timeline with the
// attachment, which only readers of the goal can fetch; a refused file type is named; HR sets
// the thresholds. Screenshots go to target/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { demoServer } from './harness.mjs';

const env = demoServer();
const { base, shots, signIn } = env;

// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

test('a check-in with confidence, note and picture shows on the goal page with the status light and chart', async () => {
  const emp = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const page = await signIn(emp, 'employee', '/goals');
  await page.getByRole('link', { name: '+ 新建目标' }).click();
  await page.getByLabel('目标名称').fill('本季度新签客户 40 家');
  await page.getByLabel('关键结果 1', { exact: true }).fill('新签客户数');
  await page.getByLabel('起始值 1', { exact: true }).fill('0');
  await page.getByLabel('目标值 1', { exact: true }).fill('40');
  await page.getByRole('button', { name: '创建目标（草稿）' }).click();
  await page.getByText('目标已创建（草稿）。').waitFor();
  const goalUrl = page.url().split('?')[0];
  await page.getByText('目标提交后开始亮灯追踪。').waitFor();
  await page.getByRole('button', { name: '提交审批' }).click();
  await page.getByText('已提交，等待审批。').waitFor();

  // T-1: the form opens by itself while the goal has no check-ins.
  const krOption = await page.locator('#ci-target option', { hasText: '新签客户数' }).getAttribute('value');
  await page.getByLabel('更新哪一项').selectOption(krOption);
  await page.getByLabel('新的数值').fill('6');
  await page.getByLabel('有风险').check();
  await page.getByLabel('说明').fill('签下 6 家，两家大客户卡在法务审核');
  await page.getByLabel('附件').setInputFiles({ name: '签约清单.png', mimeType: 'image/png', buffer: PNG });
  await page.screenshot({ path: join(shots, 'tracking-1-form.png'), fullPage: true });
  await page.getByRole('button', { name: '提交进展' }).click();
  await page.getByText('进展已更新。').waitFor();

  // T-3: the light and its reason; the timeline; the chart drawn by ECharts.
  const light = page.locator('p.light');
  await light.waitFor();
  assert.match(await light.innerText(), /按时间进度应完成 [\d.]+%，实际完成 15%/);
  const entry = page.locator('ol.timeline li').first();
  assert.match(await entry.innerText(), /新签客户数: 6/);
  assert.match(await entry.innerText(), /两家大客户卡在法务审核/);
  await entry.getByText('有风险').waitFor();
  await page.locator('#progress-chart[data-ready="1"] svg').waitFor();
  await page.screenshot({ path: join(shots, 'tracking-2-checked-in.png'), fullPage: true });

  // The picture is served to the owner, with its type, and to nobody signed out.
  const link = entry.getByRole('link', { name: /签约清单\.png/ });
  const href = await link.getAttribute('href');
  const res = await page.request.get(base + href);
  assert.equal(res.status(), 200);
  assert.equal(res.headers()['content-type'], 'image/png');
  assert.equal(res.headers()['x-content-type-options'], 'nosniff');
  assert.equal((await fetch(base + href)).status, 401);

  // A program is refused, with the file named; nothing is added to the timeline.
  await page.locator('#check-in summary').click();
  await page.getByLabel('更新哪一项').selectOption({ label: '整个目标（只写信心和说明）' });
  await page.getByLabel('说明').fill('附上工具');
  await page.getByLabel('附件').setInputFiles({ name: 'tool.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') });
  await page.getByRole('button', { name: '提交进展' }).click();
  await page.getByRole('alert').getByText(/tool\.exe — 不接受这种文件类型/).waitFor();
  await page.goto(goalUrl);
  assert.equal(await page.locator('ol.timeline li').count(), 1);
  await emp.close();

  // T-5: the manager's team board shows each report's lights and last update; the new goal
  // is there with its light.
  const mgr = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const mpage = await signIn(mgr, 'manager', '/goals/team');
  const card = mpage.locator('section.card', { has: mpage.getByRole('heading', { name: env.demoName('employee') }) });
  await card.waitFor();
  assert.match(await card.locator('.lamps').innerText(), /最近更新 \d{4} 年 \d{1,2} 月 \d{1,2} 日/);
  const row = card.locator('li.goal-row', { hasText: '本季度新签客户 40 家' });
  await row.locator('.lamp').waitFor();
  assert.match(await row.innerText(), /最近更新/);
  await mpage.screenshot({ path: join(shots, 'tracking-4-team-board.png'), fullPage: false });
  await mgr.close();
});

test('HR sets the thresholds, a bad setting is named, and the sweep reports', async () => {
  const ctx = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1100, height: 800 } });
  const page = await signIn(ctx, 'hr', '/admin/tracking');
  await page.getByLabel('落后多少个百分点亮黄灯').fill('30');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByRole('alert').getByText('红灯阈值: 红灯阈值须大于黄灯阈值').waitFor();
  await page.getByLabel('落后多少个百分点亮黄灯').fill('8');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存。').waitFor();
  assert.equal(await page.getByLabel('落后多少个百分点亮黄灯').inputValue(), '8');
  await page.getByRole('button', { name: '立即评估全部目标' }).click();
  await page.getByText(/已评估 \d+ 个目标/).waitFor();
  await page.screenshot({ path: join(shots, 'tracking-3-settings.png'), fullPage: true });
  // T-5: the HR board of the whole organization, from the navigation.
  await page.getByRole('navigation', { name: /./ }).getByRole('link', { name: '追踪' }).click();
  await page.getByRole('heading', { name: /目标追踪看板/ }).waitFor();
  await page.locator('#lights-chart[data-ready="1"] svg').waitFor();
  assert.ok(await page.locator('table.board-units tbody tr').count() > 0, 'units with their lights');
  const abnormal = parseInt((await page.locator('.list-tools .muted').innerText()).replace(/\D/g, ''), 10);
  assert.ok(abnormal > 0, 'the demo has goals behind pace');
  await page.screenshot({ path: join(shots, 'tracking-5-hr-board.png'), fullPage: true });
  await page.getByRole('link', { name: /更新滞后/ }).click();
  await page.getByText(/天未更新/).first().waitFor();
  const csv = await page.request.get(base + (await page.getByRole('link', { name: '导出 CSV' }).getAttribute('href')));
  assert.equal(csv.status(), 200);
  assert.match(await csv.text(), /^\uFEFF目标,负责人,工号,部门/);
  // An employee is not let in.
  const emp = await env.browser.newContext({ locale: 'zh-CN' });
  const epage = await signIn(emp, 'employee', '/goals');
  const res = await epage.goto(base + '/admin/tracking');
  assert.equal(res.status(), 403);
  assert.equal((await epage.goto(base + '/tracking/hr')).status(), 403);
  await ctx.close();
  await emp.close();
});
