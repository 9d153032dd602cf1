// Browser test of the foundation (issue 2): sign in as HR in Chinese, open the org chart,
// expand a unit, search a person, open their profile, switch to English, and check the
// layout on a 375-px phone. Screenshots go to target/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { demoServer } from './harness.mjs';

const env = demoServer();
const { base, shots } = env;
const demoName = login => env.demoName(login);

test('HR signs in in Chinese, finds a person in the org chart and switches to English', async () => {
  const context = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  await page.goto(`${base}/org`);
  assert.match(page.url(), /\/login\?next=\/org$/);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  await page.getByLabel('用户名').fill('hr');
  await page.getByLabel('密码').fill('waymark-demo');
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(`${base}/org`);
  await page.getByRole('heading', { name: '组织架构' }).waitFor();

  // Expand the company: its business units load on demand.
  const company = page.locator('.tree details').first();
  await company.locator('summary').click();
  await company.locator('ul details').first().waitFor();
  await page.screenshot({ path: join(shots, 'org-chart-zh.png'), fullPage: true });

  // Search by name and open the profile.
  const name = demoName('employee');
  await page.getByLabel('搜索人员').fill(name);
  const hit = page.locator('#results a', { hasText: name }).first();
  await hit.waitFor();
  await hit.click();
  await page.getByRole('heading', { name }).waitFor();
  assert.ok(await page.getByText('汇报线').isVisible());
  assert.ok(await page.getByText('人事信息').first().isVisible());
  await page.screenshot({ path: join(shots, 'profile-zh.png'), fullPage: true });

  // The goals tab opens the person's goals; modules still to come say so honestly.
  await page.getByRole('link', { name: '目标' }).last().click();
  await page.waitForURL(/\/people\/[0-9a-f-]+\/goals$/);
  await page.getByRole('heading', { name: /的目标$/ }).first().waitFor();
  await page.goBack();
  // The feedback tab opens the person's key events (F-5) with the feedback about them.
  await page.getByRole('link', { name: '反馈' }).last().click();
  await page.waitForURL(/\/people\/[0-9a-f-]+\/journal$/);
  await page.getByRole('heading', { name: /关键事件$/ }).waitFor();
  await page.goBack();
  await page.getByRole('link', { name: '绩效回顾' }).last().click();
  await page.getByText('该模块尚未上线').waitFor();

  // Switch to English: the choice is remembered for the account.
  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForLoadState('load');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.getByRole('link', { name: 'Overview' }).click();
  await page.getByText('Reporting line').waitFor();
  await page.screenshot({ path: join(shots, 'profile-en.png'), fullPage: true });
  await page.goto(`${base}/org`);
  await page.getByRole('heading', { name: 'Organization chart' }).waitFor();
  await context.close();
});

test('the org chart and a profile fit a 375-px phone', async () => {
  const context = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel('用户名').fill('employee');
  await page.getByLabel('密码').fill('waymark-demo');
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(`${base}/`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `home page is wider than the phone by ${overflow}px`);
  await page.locator('main a[href^="/people/"]').first().click();
  await page.getByText('汇报线').waitFor();
  const overflow2 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow2 <= 1, `profile is wider than the phone by ${overflow2}px`);
  await page.screenshot({ path: join(shots, 'profile-phone-zh.png'), fullPage: true });
  await context.close();
});

test('HR imports units from a CSV on the administration page and sees row errors', async () => {
  const context = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/login?next=/admin`);
  await page.getByLabel('用户名').fill('hr');
  await page.getByLabel('密码').fill('waymark-demo');
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(`${base}/admin`);
  // HR chose English in the first test, and the account remembers it.
  assert.equal(await page.getAttribute('html', 'lang'), 'en');

  // The export of the unit tree names the top unit's code, which the new team hangs under.
  const exported = await (await page.request.get(`${base}/admin/export?what=units&format=csv&headers=zh`)).text();
  const topCode = exported.replace(/^\uFEFF/, '').split('\n')[1].split(',')[0];
  const upload = async (csv) => {
    await page.getByLabel('Units (departments)').check();
    await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'units.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Check and import' }).click();
    // The form is sent in the background (its progress shown on the page); the answer then
    // replaces the page, whose new form carries no token yet.
    await page.waitForFunction(() => document.querySelector('input[name=progress]')?.value === '');
  };
  await upload(`部门编码,部门名称,上级部门编码,类型\nE2E-T,浏览器测试组,${topCode},团队\n`);
  await page.getByText('Import done').waitFor();

  await upload('部门编码,部门名称,上级部门编码,类型\nE2E-X,某组,NOPE,科室\n');
  const errors = page.locator('section.errors tbody tr');
  assert.equal(await errors.count(), 2);
  assert.match(await errors.nth(1).innerText(), /上级部门编码/);
  await page.screenshot({ path: join(shots, 'admin-import-errors-en.png'), fullPage: true });

  const after = await (await page.request.get(`${base}/admin/export?what=units&format=csv&headers=en`)).text();
  assert.match(after, /E2E-T,浏览器测试组,/);
  assert.doesNotMatch(after, /E2E-X/, 'a refused file writes nothing');
  await context.close();
});
