// 1:1s in the browser (F-1, F-8): the employee opens the next 1:1 with their manager (set up by
// the demo), adds a topic and a private note; the manager sees the topic but not the note, adds
// one of the suggested coaching questions and an action item; the previous 1:1 shows its notes
// and the action items carried forward; the ICS file downloads; the page fits a phone.
// Screenshots go to target/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { demoServer } from './harness.mjs';

const env = demoServer();
const { shots, signIn } = env;

test('a 1:1 prepared by both, with a private note each and a coaching question', async () => {
  const phone = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await signIn(phone, 'employee', '/one-on-ones');
  await page.getByRole('heading', { name: '一对一沟通' }).waitFor();
  const manager = env.demoName('manager');
  // The next 1:1 with the manager, from the demo's weekly cadence.
  await page.locator('#upcoming a').first().click();
  await page.waitURL?.(/\/one-on-ones\/[0-9a-f-]{36}/);
  await page.getByRole('heading', { name: `与 ${manager} 的一对一` }).waitFor();
  await page.getByText('想听听对我第一次客户工作坊的反馈').waitFor();
  await page.getByLabel('添加议题').fill('明年想多带新人');
  await page.locator('#agenda').getByRole('button', { name: '添加' }).click();
  await page.getByText('明年想多带新人').waitFor();
  await page.locator('#private textarea').fill('其实想聊聊调岗');
  await page.locator('#private').getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存。').waitFor();
  assert.equal(await page.locator('#private textarea').inputValue(), '其实想聊聊调岗');
  const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= inner, `page is ${scroll}px wide on a ${inner}px screen`);
  await page.screenshot({ path: join(shots, 'one-on-one-1-employee-phone.png'), fullPage: true });
  const meetingUrl = page.url().split('?')[0].split('#')[0];
  // The ICS file of this meeting.
  const ics = await page.request.get(meetingUrl + '/calendar.ics');
  assert.equal(ics.status(), 200);
  assert.match(ics.headers()['content-type'], /^text\/calendar/);
  assert.match(await ics.text(), /BEGIN:VEVENT[\s\S]*SUMMARY:一对一：/);
  await phone.close();

  const desk = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1200, height: 900 } });
  const mpage = await signIn(desk, 'manager', '/one-on-ones');
  await mpage.goto(meetingUrl);
  await mpage.getByText('明年想多带新人').waitFor();
  assert.equal(await mpage.getByText('其实想聊聊调岗').count(), 0, 'the report\'s private note is not the manager\'s to read');
  // A suggested question goes onto the agenda with one click.
  const prompts = mpage.locator('#prompts li');
  assert.equal(await prompts.count(), 3);
  const question = (await prompts.first().innerText()).replace('加入议程', '').trim();
  await prompts.first().getByRole('button', { name: '加入议程' }).click();
  await mpage.locator('#agenda ul.agenda').getByText(question).waitFor();
  await mpage.getByLabel('新的行动项').fill('一起定明年带新人的计划');
  await mpage.locator('#actions').getByRole('button', { name: '添加' }).click();
  await mpage.locator('#actions').getByText('一起定明年带新人的计划').waitFor();
  // Carried forward from the last 1:1: two open action items, the done one left behind.
  assert.equal(await mpage.locator('#actions li', { hasText: '之前会议带过来的' }).count(), 2);
  await mpage.screenshot({ path: join(shots, 'one-on-one-2-manager.png'), fullPage: true });
  // The previous 1:1: held, with its shared notes and the three action items agreed there.
  await mpage.getByRole('link', { name: '← 上一次' }).click();
  await mpage.getByText('已进行').first().waitFor();
  await mpage.locator('#notes textarea').waitFor();
  assert.match(await mpage.locator('#notes textarea').inputValue(), /续约客户/);
  await mpage.screenshot({ path: join(shots, 'one-on-one-3-previous.png'), fullPage: true });
  await desk.close();
});

test('a calendar subscription is made, shown once and turned off', async () => {
  const ctx = await env.browser.newContext({ locale: 'zh-CN' });
  const page = await signIn(ctx, 'employee', '/one-on-ones');
  await page.getByRole('button', { name: '生成订阅地址' }).click();
  const url = await page.locator('#feed input[readonly]').inputValue();
  assert.match(url, /\/calendar\/wmcal_[0-9a-f]{64}\.ics$/);
  const feed = await fetch(url.replace(/^https?:\/\/[^/]+/, env.base));
  assert.equal(feed.status, 200);
  assert.ok((await feed.text()).includes('BEGIN:VEVENT'));
  await page.goto(env.base + '/one-on-ones');
  assert.equal(await page.locator('#feed input[readonly]').count(), 0, 'the address is shown only once');
  await page.getByRole('button', { name: '停用订阅' }).click();
  await page.getByText('订阅已停用').waitFor();
  assert.equal((await fetch(url.replace(/^https?:\/\/[^/]+/, env.base))).status, 404);
  await ctx.close();
});
