// The system administrator's 账号与安全 page in the browser (issue 21): wrong passwords guard
// the employee's account (listed with the attacker's address), the administrator locks the
// employee — who is signed out at once — and unlocks them again. Screenshots go to target/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { demoServer } from './harness.mjs';

const env = demoServer();
const { shots, signIn } = env;

test('the administrator sees the guarded account, locks and unlocks it', async () => {
  const e = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const employee = await signIn(e, 'employee', '/');

  // Someone else guesses the employee's password five times.
  const x = await env.browser.newContext({ locale: 'zh-CN' });
  const guesser = await x.newPage();
  for (let i = 0; i < 5; i++) {
    await guesser.goto(`${env.base}/login`);
    await guesser.getByLabel('用户名').fill('employee');
    await guesser.getByLabel('密码').fill(`guess-${i}`);
    await guesser.getByRole('button', { name: '登录' }).click();
    await guesser.getByText('用户名或密码不正确').waitFor();
  }

  const a = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const admin = await signIn(a, 'admin', '/');
  await admin.getByRole('link', { name: '账号与安全' }).click();
  await admin.getByRole('heading', { name: '账号与安全' }).waitFor();
  await admin.getByText('已保护（放慢）').waitFor();
  await admin.screenshot({ path: join(shots, 'security-1-accounts.png'), fullPage: true });

  const row = admin.locator('tr', { has: admin.getByRole('cell', { name: 'employee', exact: true }) });
  await row.getByRole('button', { name: '锁定' }).click();
  await row.getByText('已锁定').waitFor();
  // The employee's open page now sends them to sign in, and the password does not work.
  await employee.goto(`${env.base}/goals`);
  await employee.waitForURL(u => u.pathname === '/login');
  await employee.getByLabel('用户名').fill('employee');
  await employee.getByLabel('密码').fill('waymark-demo');
  await employee.getByRole('button', { name: '登录' }).click();
  await employee.getByText('用户名或密码不正确').waitFor();
  await employee.screenshot({ path: join(shots, 'security-2-locked-out.png') });

  await row.getByRole('button', { name: '解锁' }).click();
  await row.getByText('正常').waitFor();
  // The employee's own browser signed in before: it gets in at once, guarded or not.
  await employee.getByLabel('密码').fill('waymark-demo');
  await employee.getByRole('button', { name: '登录' }).click();
  // …and lands where they were going.
  await employee.waitForURL(u => u.pathname === '/goals');
  assert.equal(new URL(employee.url()).pathname, '/goals');
});
