// Inbound webhooks (F-7) against the real binary: the administrator creates a GitHub
// integration on its page and maps two GitHub logins to employees; GitHub's own example
// payloads (npm @octokit/webhooks-examples) are posted signed by Octokit's `sign` (npm
// @octokit/webhooks-methods, what GitHub's SDK uses) — a closed pull request is queued once,
// a replay and a bad signature are refused — and the employee finds the feedback to-do on
// their feedback page. Screenshots go to target/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { sign } from '@octokit/webhooks-methods';
import { demoServer } from './harness.mjs';

const env = demoServer();
const { shots, signIn } = env;
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples/api.github.com/index.json');

function example(event, action) {
  return examples.find(e => e.name === event).examples.find(x => x.action === action);
}

async function deliver(endpoint, event, id, body, signature) {
  return fetch(env.base + endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': id, 'x-hub-signature-256': signature },
    body,
  });
}

test('a GitHub pull request closed becomes a feedback to-do', async () => {
  const ctx = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const page = await signIn(ctx, 'admin', '/admin/integrations');
  await page.getByLabel('类型').selectOption('github');
  await page.getByLabel('名称').fill('GitHub 研发');
  await page.getByRole('button', { name: '创建' }).click();
  const endpoint = (await page.locator('#secret dd code').first().innerText()).trim();
  const secret = (await page.locator('#secret code.secret').innerText()).trim();
  assert.match(endpoint, /^\/api\/v1\/hooks\/[0-9a-f-]{36}$/);
  assert.match(secret, /^[0-9a-f]{64}$/);
  await page.screenshot({ path: join(shots, 'webhooks-1-integration.png'), fullPage: true });
  // GitHub's example users: Codertocat is the employee, octocat their manager.
  for (const [login, who] of [['Codertocat', 'employee'], ['octocat', 'manager']]) {
    await page.goto(env.base + '/admin/integrations');
    await page.getByLabel('对方系统中的 ID（如 GitHub 登录名）').fill(login);
    await page.locator('#map-q').fill(env.demoName(who));
    await page.locator('#map-pick').getByText(env.demoName(who)).first().click();
    await page.getByRole('button', { name: '保存对应' }).click();
    await page.locator('#identities').getByText(login.toLowerCase()).waitFor();
  }

  const body = JSON.stringify(example('pull_request', 'closed'));
  const signature = await sign(secret, body);
  let r = await deliver(endpoint, 'pull_request', 'delivery-1', body, signature);
  assert.equal(r.status, 202, await r.text());
  r = await deliver(endpoint, 'pull_request', 'delivery-1', body, signature);
  assert.equal(r.status, 422, 'a replayed delivery is refused');
  r = await deliver(endpoint, 'pull_request', 'delivery-2', body, await sign('another secret', body));
  assert.equal(r.status, 401, 'a bad signature is refused');
  r = await deliver(endpoint, 'milestone', 'delivery-3', JSON.stringify(example('milestone', 'created')), await sign(secret, JSON.stringify(example('milestone', 'created'))));
  assert.equal(r.status, 200, 'not a trigger: acknowledged and forgotten');

  // The event is listed with its to-dos once the job has run.
  await page.goto(env.base + '/admin/integrations');
  for (let i = 0; i < 50 && !(await page.getByRole('cell', { name: 'delivery-1' }).count()); i++) {
    await page.waitForTimeout(200);
    await page.reload();
  }
  await page.getByRole('cell', { name: 'delivery-1' }).waitFor();
  await ctx.close();

  const e = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const mine = await signIn(e, 'employee', '/feedback');
  const todos = mine.locator('#todos');
  for (let i = 0; i < 50 && !(await todos.count()); i++) { await mine.waitForTimeout(200); await mine.reload(); }
  await todos.getByText(env.demoName('manager')).waitFor();
  await todos.getByRole('link', { name: 'Update the README with new information.' }).waitFor();
  await mine.screenshot({ path: join(shots, 'webhooks-2-todo-phone.png'), fullPage: true });
  await todos.getByRole('link', { name: '写反馈' }).click();
  await mine.getByRole('heading', { name: '给反馈' }).waitFor();
  await e.close();
});
