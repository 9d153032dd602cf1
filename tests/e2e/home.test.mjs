// The home page of each role (issue 23, items 1 and 3; SPEC Q-1): the employee reads this
// week's report among their to-dos, submits it from there and it leaves the list; the manager
// approves a goal from their to-dos; HR sees the running review cycle's progress; the executive
// the strategy summary; the administrator only their own pages, with every navigation link
// opening for the role that sees it, and the help menu's user guide. On a phone the modules fold behind a menu button.
// Screenshots of every role's home at 1440 and 390 px go to target/e2e/ (the README and the
// user guide use them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { demoServer } from './harness.mjs';

const env = demoServer();
const { base, shots, signIn } = env;

/** Every link of the role's navigation opens (no 403, no 404). */
async function navigationOpens(page, role) {
  const links = await page.locator('nav.modules a').evaluateAll(as => as.map(a => a.getAttribute('href')));
  for (const href of links) {
    const r = await page.request.get(base + href);
    assert.equal(r.status(), 200, `${role}: ${href}`);
  }
  return links;
}

async function shoot(browser, role, width, name) {
  const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width, height: 900 } });
  const page = await signIn(ctx, role, '/');
  await page.locator('#todos').waitFor();
  await page.screenshot({ path: join(shots, name), fullPage: true });
  return { ctx, page };
}

test('the employee submits this week\'s report from their to-dos', async () => {
  const { ctx, page } = await shoot(env.browser, 'employee', 1440, 'home-employee.png');
  await navigationOpens(page, 'employee');
  await page.locator('#my-goals .goal-row').first().waitFor();
  const weekly = page.locator('#todos .todo-weekly-report');
  await weekly.getByRole('link', { name: '提交本周周报' }).click();
  await page.getByRole('heading', { name: '我的周报' }).waitFor();
  await page.getByLabel('下周计划').fill('• 拜访三家重点客户');
  await page.getByRole('button', { name: '提交周报' }).click();
  await page.getByText('周报已提交，主管会在团队周报中看到。').waitFor();
  await page.goto(base + '/');
  assert.equal(await page.locator('#todos .todo-weekly-report').count(), 0, 'submitted: off the list');
  // The help menu opens the user guide with its screenshots.
  await page.getByRole('link', { name: '帮助' }).click();
  await page.getByRole('heading', { name: '路标 Waymark 使用指南' }).waitFor();
  // Wait until every picture has finished loading (on a busy machine some are still on their
  // way when the heading shows); a broken one finishes too, with no width.
  await page.waitForFunction(() => [...document.querySelectorAll('article.guide img')].every(i => i.complete), null, { timeout: 60000 });
  const images = await page.locator('article.guide img').evaluateAll(is => is.map(i => i.complete && i.naturalWidth > 0));
  assert.ok(images.length >= 10 && images.every(Boolean), `guide images ${images}`);
  await ctx.close();
  await (await shoot(env.browser, 'employee', 390, 'home-employee-phone.png')).ctx.close();
});

test('the manager approves a goal from their to-dos and sees the team', async () => {
  const { ctx, page } = await shoot(env.browser, 'manager', 1440, 'home-manager.png');
  await navigationOpens(page, 'manager');
  await page.locator('#team .lamps').waitFor();
  const todo = page.locator('#todos .todo-approval').first();
  const text = await todo.getByRole('link').innerText();
  // Whose goal it is and its title: two reports' goals may share a title ("回款 KPI").
  const [, person, title] = text.match(/^审批(.+)的目标「(.+)」$/);
  await todo.getByRole('link').click();
  await page.waitForURL(/\/approvals$/);
  const card = page.locator('section.approval', { hasText: title }).filter({ hasText: person });
  await card.getByLabel('审批意见').fill('同意');
  await card.getByRole('button', { name: '批准' }).click();
  await page.getByText('已通过。').waitFor();
  await page.goto(base + '/');
  assert.equal(await page.locator('#todos .todo-approval', { hasText: text }).count(), 0, 'approved: off the list');
  await ctx.close();
  // On a phone: the modules fold behind the menu button, and the header stays small.
  const phone = await shoot(env.browser, 'manager', 390, 'home-manager-phone.png');
  const header = await phone.page.locator('header.top').evaluate(h => h.getBoundingClientRect().height);
  assert.ok(header < 130, `header ${header}px`);
  assert.equal(await phone.page.locator('nav.modules').isVisible(), false);
  await phone.page.getByRole('button', { name: '菜单' }).click();
  await phone.page.locator('nav.modules').getByRole('link', { name: '目标' }).click();
  await phone.page.waitForURL(/\/goals$/);
  await phone.ctx.close();
});

test('HR sees the running cycle, the executive the strategy, the administrator their own pages', async () => {
  const hr = await shoot(env.browser, 'hr', 1440, 'home-hr.png');
  await navigationOpens(hr.page, 'hr');
  const cycle = hr.page.locator('#cycles .cycle-line').first();
  await cycle.getByText(/已提交 \d+ \/ \d+/).first().waitFor();
  // HR's admin page links only to pages HR may open.
  await hr.page.goto(base + '/admin');
  assert.equal(await hr.page.locator('main a[href="/admin/jobs"]').count(), 0);
  await hr.ctx.close();
  await (await shoot(env.browser, 'hr', 390, 'home-hr-phone.png')).ctx.close();

  const ceo = await shoot(env.browser, 'executive', 1440, 'home-executive.png');
  const links = await navigationOpens(ceo.page, 'executive');
  assert.ok(links.includes('/tracking/executive'));
  assert.ok(await ceo.page.locator('#strategy .goal-row').count() > 0, 'the demo has company goals');
  await ceo.page.locator('#strategy').getByRole('link', { name: '高管看板' }).click();
  await ceo.page.getByRole('heading', { name: '战略看板' }).waitFor();
  await ceo.ctx.close();

  const admin = await shoot(env.browser, 'admin', 1440, 'home-admin.png');
  const adminLinks = await navigationOpens(admin.page, 'admin');
  assert.deepEqual(adminLinks, ['/', '/org', '/admin/accounts', '/admin/jobs', '/admin/integrations']);
  await admin.page.getByText('今天没有待办事项').waitFor();
  await admin.ctx.close();
});
