// What every browser test file needs: the real `waymark demo` binary on a free port with a
// fresh data directory, Debian's Chromium, and the demo's printed sign-ins. Call
// `demoServer()` at the top of a test file; it registers the before/after hooks.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '../..');

/** `extraEnv`: environment for the server beyond this process's (e.g. WAYMARK_AI__ENDPOINT). */
export function demoServer(extraEnv = {}) {
  const bin = process.env.WAYMARK_BIN || join(root, 'target/debug/waymark');
  const port = 18000 + Math.floor(Math.random() * 1000);
  const env = {
    base: `http://127.0.0.1:${port}`,
    shots: join(root, 'target/e2e'),
    browser: null,
    output: '',
    bin,
    /** The server's data directory (for the command line beside it). */
    dataDir: null,
    /** The display name printed by `waymark demo` for a login. */
    demoName(login) {
      const line = env.output.split('\n').find(l => l.trim().startsWith(login + ' '));
      assert.ok(line, `demo output lists ${login}:\n${env.output}`);
      return line.trim().split(/\s+/).slice(1).join(' ');
    },
    /** A new page of `context` signed in as a demo user, landed on `next`. */
    async signIn(context, user, next, english = false) {
      const page = await context.newPage();
      await page.goto(`${env.base}/login?next=${encodeURIComponent(next)}`);
      await page.getByLabel(english ? 'Username' : '用户名').fill(user);
      await page.getByLabel(english ? 'Password' : '密码').fill('waymark-demo');
      await page.getByRole('button', { name: english ? 'Sign in' : '登录' }).click();
      await page.waitForURL(u => u.pathname === next);
      return page;
    },
  };
  let server, dataDir;

  before(async () => {
    mkdirSync(env.shots, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'waymark-e2e-'));
    env.dataDir = dataDir;
    server = spawn(bin, ['demo', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...extraEnv } });
    server.stdout.on('data', d => { env.output += d; });
    server.stderr.on('data', d => { env.output += d; });
    for (let i = 0; ; i++) {
      try { if ((await fetch(`${env.base}/healthz`)).ok) break; } catch {}
      if (i >= 300) throw new Error(`server did not start:\n${env.output}`);
      await new Promise(r => setTimeout(r, 100));
    }
    env.browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });

  after(async () => {
    await env.browser?.close();
    server?.kill('SIGTERM');
    await new Promise(r => server ? server.on('exit', r) : r());
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  return env;
}
