// Optional AI drafting in the browser (issue 26, item 5), against mockllm — a third-party server
// that speaks OpenAI's chat-completions protocol — on a local port, connected through the
// server's [ai] settings (here its environment). The manager has the AI draft a development
// report, cannot share it as it came, edits and shares it; a writer has the AI reword feedback
// the coach flagged, with the recipient's name put back; the administrator sees the connection
// and HR the calls in the audit log; with the endpoint gone, the rules' draft is offered and says why.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { demoServer } from './harness.mjs';

const root = resolve(import.meta.dirname, '../..');
const mockBin = process.env.MOCKLLM_BIN || join(root, 'target/peers-venv/bin/mockllm');
const aiPort = 19000 + Math.floor(Math.random() * 1000);
const env = demoServer({
  WAYMARK_AI__ENDPOINT: `http://127.0.0.1:${aiPort}/v1`,
  WAYMARK_AI__MODEL: 'gpt-4o-mini',
  WAYMARK_AI__API_KEY: 'sk-local-test',
  WAYMARK_AI__TIMEOUT_SECS: '15',
});
const { shots, signIn } = env;
const guide = lang => { const d = join(shots, 'guide', lang); mkdirSync(d, { recursive: true }); return d; };

// mockllm answers every prompt it has no entry for with this: the report's four parts and a
// three-part rewrite, so that both drafts read it.
const answer = JSON.stringify({
  strengths: '- 该员工在执行力上连续两个周期评分稳定在较高水平',
  areas: '- 协作沟通的评分起伏较大，需要找出原因',
  actions: '- 参加一个跨团队项目，由擅长协作的同事带一带',
  support: '- 每两周 1:1 时一起回顾一次协作中的具体事例',
  parts: ['上周三的站会上，[colleague]晚到了十分钟', '[colleague]进来时[me]们已经讨论到第二个议题', '大家重复了一遍前面的结论，会议多开了一刻钟'],
});

let mock, mockDir;
before(async () => {
  assert.ok(existsSync(mockBin), `mockllm is needed: python3 -m venv target/peers-venv && target/peers-venv/bin/pip install mockllm==0.0.8 (or set MOCKLLM_BIN); not found at ${mockBin}`);
  mockDir = mkdtempSync(join(tmpdir(), 'waymark-mockllm-'));
  const file = join(mockDir, 'responses.yml');
  writeFileSync(file, `responses: {}\ndefaults:\n  unknown_response: '${answer.replace(/'/g, "''")}'\n`);
  let out = '';
  mock = spawn(mockBin, ['start', '-r', file, '-h', '127.0.0.1', '-p', String(aiPort)], { stdio: ['ignore', 'pipe', 'pipe'] });
  mock.stdout.on('data', d => { out += d; });
  mock.stderr.on('data', d => { out += d; });
  for (let i = 0; ; i++) {
    try { if ((await fetch(`http://127.0.0.1:${aiPort}/v1/models`)).status < 500) break; } catch {}
    if (i >= 300) throw new Error(`mockllm did not start:\n${out}`);
    await new Promise(r => setTimeout(r, 100));
  }
});

async function stopMock() {
  if (!mock || mock.exitCode !== null) return;
  const exited = new Promise(r => mock.on('exit', r));
  mock.kill('SIGINT');
  await exited;
}

after(async () => {
  await stopMock();
  if (mockDir) rmSync(mockDir, { recursive: true, force: true });
});

test('a manager has the AI draft a development report, edits it before sharing; a writer has flagged feedback reworded', async () => {
  const e = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const me = await signIn(e, 'employee', '/');
  await me.goto(`${env.base}/development`);
  const reportUrl = me.url().replace(/\/development$/, '/development/report');

  const m = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const mgr = await signIn(m, 'manager', '/');
  await mgr.goto(reportUrl);
  await mgr.getByText('“用 AI 起草”会用 AI 的草稿替换表单里的文字').waitFor();
  await mgr.getByRole('button', { name: '用 AI 起草' }).click();
  await mgr.getByText('AI 已根据上面的分析起草了下面的文字，尚未保存。').waitFor();
  assert.equal(await mgr.locator('#strengths').inputValue(), '- 该员工在执行力上连续两个周期评分稳定在较高水平');
  assert.equal(await mgr.locator('#support').inputValue(), '- 每两周 1:1 时一起回顾一次协作中的具体事例');
  await mgr.screenshot({ path: join(shots, 'ai-1-report-drafted.png'), fullPage: true });
  await mgr.screenshot({ path: join(guide('zh-CN'), 'ai-report-draft.png'), fullPage: true });
  // As it came, it is not shared; edited, it is.
  await mgr.getByRole('button', { name: '保存并分享给本人' }).click();
  await mgr.getByText('这是 AI 起草的原文，请先修改').waitFor();
  await me.goto(reportUrl);
  await me.getByText('还没有分享给你的发展报告。').waitFor();
  const support = mgr.locator('#support');
  await support.fill(`${await support.inputValue()}\n- 下个月起由我牵头安排一次跨团队复盘`);
  await mgr.getByRole('button', { name: '保存并分享给本人' }).click();
  await mgr.getByText('报告已分享给本人。').waitFor();
  await me.reload();
  await me.locator('#report').getByText('下个月起由我牵头安排一次跨团队复盘').waitFor();

  // Feedback: the coach flags a harsh line; the AI's rewrite fills the form, the name put back.
  const employee = env.demoName('employee');
  await mgr.goto(env.base + '/feedback/new?template=sbi&kind=improvement');
  await mgr.getByLabel('给').fill(employee);
  await mgr.locator('#pick').getByText(employee).first().click();
  await mgr.locator('#part-behaviour').fill(`${employee}总是迟到，太不靠谱了。`);
  await mgr.locator('#coach .hint.harsh').waitFor();
  await mgr.getByRole('button', { name: '请 AI 给出改写建议' }).click();
  await mgr.getByText('AI 的改写建议已填入表单，还没有发送。').waitFor();
  assert.equal(await mgr.locator('#part-situation').inputValue(), `上周三的站会上，${employee}晚到了十分钟`);
  assert.match(await mgr.locator('#part-behaviour').inputValue(), /我们已经讨论到第二个议题/);
  await mgr.locator('#ai-note summary').click();
  await mgr.locator('#ai-note').getByText('太不靠谱了').waitFor();
  await mgr.screenshot({ path: join(shots, 'ai-2-feedback-rewrite.png'), fullPage: true });
  await mgr.screenshot({ path: join(guide('zh-CN'), 'ai-feedback-rewrite.png'), fullPage: true });

  // The administrator sees the connection and the calls in the audit log, in words.
  const a = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const admin = await signIn(a, 'admin', '/');
  await admin.goto(env.base + '/admin/integrations');
  await admin.locator('#ai-status').getByText(`已接入：127.0.0.1:${aiPort}`).waitFor();
  await admin.getByRole('button', { name: '试一下连接' }).click();
  await admin.locator('#ai-test').getByText(/^连接正常：AI 在 [0-9.]+ 秒内按要求回复了。$/).waitFor();
  await admin.locator('#ai-status').screenshot({ path: join(shots, 'ai-4-connection.png') });
  const h = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const hrPage = await signIn(h, 'hr', '/');
  await hrPage.goto(env.base + '/admin/audit');
  await hrPage.getByText('AI 起草').first().waitFor();
  await hrPage.getByText('收到回复').first().waitFor();
  await hrPage.screenshot({ path: join(shots, 'ai-3-audit.png') });

  // The endpoint gone: the rules' draft, and why, and the page still works.
  await stopMock();
  await mgr.goto(reportUrl);
  await mgr.getByRole('button', { name: '用 AI 起草' }).click();
  await mgr.getByText('连不上 AI 服务，已改用规则生成的草稿。').waitFor();
  assert.ok((await mgr.locator('#strengths').inputValue()).length > 0, 'the rules drafted it');
  assert.doesNotMatch(await mgr.locator('main').innerText(), /[a-z]+_[a-z]+|\d{4}-\d{2}-\d{2}|[0-9a-f]{8}-[0-9a-f]{4}-/);
  // English.
  await mgr.goto(`${env.base}/lang/en?next=${encodeURIComponent(new URL(reportUrl).pathname)}`);
  await mgr.getByRole('button', { name: 'Draft with AI' }).click();
  await mgr.getByText('The AI service could not be reached; the rules\' draft is shown instead.').waitFor();
  await mgr.goto(`${env.base}/lang/zh-CN?next=/`);
  await h.close();
  await a.close();
  await m.close();
  await e.close();
});
