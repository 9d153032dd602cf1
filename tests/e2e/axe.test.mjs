// Accessibility of every page (issue 23, item 7; SPEC Q-1): axe-core over each page route of the
// HTML router, as the role that may open it, and over pages reached by following a link to a
// goal, a person, a unit, a 1:1, a review and a light 360. No serious or critical violation may
// remain. The routes are read from crates/web/src/html/mod.rs, so a new page is checked without
// being listed here. axe runs through the DevTools protocol (page.evaluate), which the pages'
// Content-Security-Policy does not block, so the pages are checked as they are served.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoServer } from './harness.mjs';

const env = demoServer();
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The router's GET routes without path parameters that answer a page (not a file or a feed). */
const routes = [...readFileSync(join(root, 'crates/web/src/html/mod.rs'), 'utf8')
  .matchAll(/\.route\("([^"{]+)", get\(/g)]
  .map(m => m[1])
  .filter(p => !p.startsWith('/static/') && !p.endsWith('/export') && !p.endsWith('/badge') && p !== '/login');

/** Pages behind a link: [role, page to start on, selector of the link to follow]. */
const followed = [
  ['employee', '/goals', '.goal-row a.goal-title'],
  ['employee', '/org', '.tree .unit-line a'],
  ['employee', '/one-on-ones', 'main a[href^="/one-on-ones/"]'],
  ['employee', '/feedback', 'main a[href^="/feedback/0"], main a[href^="/feedback/"][href*="-"]'],
  ['employee', '/light360', 'main a[href^="/light360/"][href*="-"]'],
  ['employee', '/reviews', 'main a[href^="/reviews/participants/"]'],
  ['manager', '/goals/team', 'main a[href^="/people/"]'],
  ['hr', '/admin/reviews', 'main a[href^="/admin/reviews/cycles/"]'],
  ['executive', '/tracking/executive', 'main a[href^="/goals/"]'],
  ['hr', '/signals', '#people a[href^="/signals/"]'],
];

async function violations(page) {
  await page.evaluate(axeSource);
  const r = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  return r.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`);
}

async function signedIn(role, width = 1440) {
  const ctx = await env.browser.newContext({ locale: 'zh-CN', viewport: { width, height: 900 } });
  return { ctx, page: await env.signIn(ctx, role, '/') };
}

/** Each page route checked, with the role that opened it: the phone pass below revisits them. */
const opened = [];

test('every page route has no serious or critical accessibility violation', async () => {
  const checked = new Set();
  const found = [];
  for (const role of ['employee', 'manager', 'hr', 'executive', 'admin']) {
    const { ctx, page } = await signedIn(role);
    for (const path of routes.filter(p => !checked.has(p))) {
      const r = await page.goto(env.base + path);
      if (r.status() !== 200 || !(r.headers()['content-type'] || '').startsWith('text/html')) continue;
      await page.waitForLoadState('networkidle');
      checked.add(path);
      // A fragment that htmx swaps into a page (search results, a picker) is checked there.
      if (!/^\s*<!doctype html/i.test(await r.text())) continue;
      opened.push([role, path]);
      for (const v of await violations(page)) found.push(`${role} ${path}: ${v}`);
    }
    await ctx.close();
  }
  const unchecked = routes.filter(p => !checked.has(p));
  assert.deepEqual(unchecked, [], 'every page route opens for some role');
  assert.deepEqual(found, []);
});

test('pages behind links have no serious or critical accessibility violation', async () => {
  const found = [];
  for (const [role, from, selector] of followed) {
    const { ctx, page } = await signedIn(role);
    await page.goto(env.base + from);
    const link = page.locator(selector).first();
    assert.ok(await link.count() > 0, `${role} ${from}: a link ${selector}`);
    await link.click();
    await page.waitForLoadState('networkidle');
    const where = new URL(page.url()).pathname;
    for (const v of await violations(page)) found.push(`${role} ${where}: ${v}`);
    await ctx.close();
  }
  assert.deepEqual(found, []);
});

// Issue 23: every page at desktop and phone width, photographed for a person to look at
// (target/e2e/pages/), and at 390 px nothing may push the page wider than the phone: a wide
// table scrolls inside its own box, a long name wraps.
test('every page route fits a phone, with screenshots at 1440 and 390 px', async () => {
  assert.ok(opened.length > 20, 'the accessibility pass opened the pages');
  const dir = join(env.shots, 'pages');
  mkdirSync(dir, { recursive: true });
  const wide = [];
  for (const width of [1440, 390]) {
    for (const role of [...new Set(opened.map(([r]) => r))]) {
      const { ctx, page } = await signedIn(role, width);
      for (const [, path] of opened.filter(([r]) => r === role)) {
        await page.goto(env.base + path);
        await page.waitForLoadState('networkidle');
        const name = `${role}-${width}${path.replace(/[^a-z0-9]+/gi, '-')}.png`;
        await page.screenshot({ path: join(dir, name), fullPage: true });
        const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width === 390 && scroll > width) wide.push(`${role} ${path}: ${scroll} px`);
      }
      await ctx.close();
    }
  }
  assert.deepEqual(wide, [], 'pages wider than a phone');
});
