// The key-event journal (F-5) and the anonymous light 360 (F-6) in the browser. The employee
// records a contribution on their journal and their manager a problem; then the employee asks
// three colleagues (their manager, HR and the chief executive) for a 360 on a finished
// project, each answers on their own page, the results stay hidden while it is open, and
// after the employee closes it they show means and sorted comments with no respondent named.
// Screenshots go to target/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { demoServer } from './harness.mjs';

const env = demoServer();
const { shots, signIn } = env;

test('key events by the employee and the manager, on the profile', async () => {
  const ctx = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const page = await signIn(ctx, 'employee', '/feedback');
  await page.getByRole('link', { name: '我的关键事件' }).click();
  await page.getByRole('heading', { name: '记录关键事件' }).waitFor();
  const journal = new URL(page.url()).pathname;
  assert.match(journal, /^\/people\/[0-9a-f-]{36}\/journal$/);
  // The demo's own events about the employee (their manager's, their own) are there already.
  const had = await page.locator('#entries li.journal-entry').count();
  await page.getByLabel('发生了什么（一句话）').fill('双十一大促零故障');
  await page.getByLabel('事实依据').fill('峰值 12 万 QPS，扩容脚本提前两天演练，无一次告警升级。');
  await page.getByLabel(/依据链接/).fill('https://git.example.cn/infra/merge_requests/42');
  await page.getByRole('button', { name: '记录', exact: true }).click();
  await page.getByText('已记录。').waitFor();
  await page.locator('#entries').getByText('双十一大促零故障').waitFor();
  // A link that is not a web address is refused with the field named, nothing written.
  await page.getByLabel('发生了什么（一句话）').fill('坏链接');
  await page.getByLabel('事实依据').fill('x');
  await page.getByLabel(/依据链接/).fill('javascript:alert(1)');
  await page.getByRole('button', { name: '记录', exact: true }).click();
  await page.getByRole('alert').getByText('不是 http 或 https 链接').waitFor();
  assert.equal(await page.locator('#entries li.journal-entry').count(), had + 1);
  await ctx.close();

  const m = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const mgr = await signIn(m, 'manager', '/feedback');
  await mgr.goto(env.base + journal);
  await mgr.getByLabel('问题').check();
  await mgr.getByLabel('发生了什么（一句话）').fill('周报连续两周未交');
  await mgr.getByLabel('事实依据').fill('11/13 与 11/20 两周的周报都没有提交，站会上也没有同步进展。');
  await mgr.getByRole('button', { name: '记录', exact: true }).click();
  await mgr.getByText('已记录。').waitFor();
  assert.equal(await mgr.locator('#entries li.journal-entry').count(), had + 2);
  // The manager may not change the employee's own entry: no change button on it.
  const own = mgr.locator('#entries li.journal-entry', { hasText: '双十一大促零故障' });
  assert.equal(await own.getByRole('link', { name: '修改' }).count(), 0);
  await mgr.screenshot({ path: join(shots, 'journal-1-manager.png'), fullPage: true });
  await m.close();
});

test('an anonymous light 360: invited, answered three times, results only when closed', async () => {
  const ctx = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const page = await signIn(ctx, 'employee', '/light360');
  await page.getByRole('link', { name: '发起 360 评价' }).click();
  await page.getByLabel('项目名称').fill('支付网关重构');
  const invitees = ['manager', 'hr', 'executive'].map(l => env.demoName(l));
  for (const name of invitees) {
    await page.getByLabel(/邀请合作者/).fill(name);
    await page.locator('#pick').getByText(name).first().click();
  }
  await page.getByRole('button', { name: '发起', exact: true }).click();
  await page.getByText('已发起，已通知被邀请的人。').waitFor();
  const survey = new URL(page.url()).pathname;
  await page.getByText('评价结束后才显示结果').waitFor();
  await page.screenshot({ path: join(shots, 'light360-1-created.png'), fullPage: true });

  const comments = { manager: '需求澄清很快', hr: '周会经常迟到', executive: '按时交付' };
  // The four default questions: 沟通效率, 专业支持, 协作态度, 交付质量.
  const ratings = { manager: [5, 4, 4, 5], hr: [2, 3, 3, 4], executive: [4, 5, 3, 4] };
  for (const login of ['manager', 'hr', 'executive']) {
    const c = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const p = await signIn(c, login, '/light360');
    await p.locator('#to-answer').getByRole('link', { name: '支付网关重构' }).click();
    await p.locator('#answer').waitFor();
    for (const [i, r] of ratings[login].entries()) await p.locator(`input[name=rating_${i}][value="${r}"]`).check();
    await p.locator('#comment_0').fill(comments[login]);
    if (login === 'manager') await p.screenshot({ path: join(shots, 'light360-2-answer-phone.png'), fullPage: true });
    await p.getByRole('button', { name: '提交匿名回答' }).click();
    await p.getByText('已提交，谢谢。你的回答是匿名的。').waitFor();
    // A second visit shows it answered, with no form.
    await p.goto(env.base + survey);
    await p.getByText('你已填写，谢谢。').waitFor();
    assert.equal(await p.locator('#answer').count(), 0);
    await c.close();
  }

  await page.goto(env.base + survey);
  // F-6 (issue 22, item 6): while open, only whether three have answered, never how many.
  await page.getByText('已有 3 人以上回答，关闭后可见结果').waitFor();
  assert.equal(await page.getByText('份回答').count(), 0, 'no count while open');
  await page.getByText('评价结束后才显示结果').waitFor();
  await page.getByRole('button', { name: '提前结束' }).click();
  await page.getByText('已结束。').waitFor();
  await page.getByText('3 / 3 份回答').waitFor();
  const results = page.locator('#results');
  // 沟通效率 5, 2, 4 → 11 / 3 = 3.67, shown to one decimal: 3.7.
  await results.getByRole('row', { name: /沟通效率/ }).getByText('3.7', { exact: true }).waitFor();
  const listed = await results.locator('ul.comments li').allTextContents();
  assert.deepEqual(listed, ['周会经常迟到', '按时交付', '需求澄清很快'], 'sorted by text, not by who or when');
  const text = await results.innerText();
  for (const name of invitees) assert.ok(!text.includes(name), `${name} named in the results`);
  await page.screenshot({ path: join(shots, 'light360-3-results.png'), fullPage: true });
  await ctx.close();
});
