// The user guide's tour (issue 23, items 2 and 10; SPEC Q-6): every role's main pages in
// Chinese and English, photographed for docs/guide/<lang>/shots (copied there by
// `npm run guide-shots` after the tests), and each read for internal names that must never reach
// a person: a Fluent key, a UUID or an ISO timestamp as visible text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoServer } from './harness.mjs';

const env = demoServer();
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every message key of the language files that could leak as visible text. */
const keys = new Set(
  readFileSync(join(root, 'crates/app/locales/en/main.ftl'), 'utf8')
    .split('\n')
    .map(l => l.match(/^([a-z][a-z0-9-]*-[a-z0-9-]+) =/))
    .filter(Boolean)
    .map(m => m[1]),
);
const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const iso = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

/** What a person reads on the page must be words, not internals. */
async function readsAsWords(page, where) {
  const text = await page.locator('body').innerText();
  assert.ok(!uuid.test(text), `${where}: a UUID is visible: ${text.match(uuid)?.[0]}`);
  assert.ok(!iso.test(text), `${where}: an ISO timestamp is visible: ${text.match(iso)?.[0]}`);
  const leaked = text.split(/[^a-z0-9-]+/).filter(w => keys.has(w));
  assert.deepEqual(leaked, [], `${where}: message keys shown as text`);
}

// role → [shot name, path] ('first:<selector>' follows the page's first matching link).
const tour = {
  employee: [['home', '/'], ['goals', '/goals'], ['goal', 'first:/goals|#my-goals .goal-title, .goal-row a.goal-title'],
    ['weekly', '/tracking/weekly'], ['one-on-ones', '/one-on-ones'], ['feedback', '/feedback'],
    ['recognition', '/recognition'], ['reviews', '/reviews']],
  manager: [['home', '/'], ['approvals', '/approvals'], ['team', '/goals/team'], ['weekly-team', '/tracking/weekly/team'],
    ['reviews', '/reviews']],
  hr: [['home', '/'], ['admin', '/admin'], ['periods', '/admin/periods'], ['calendar', '/admin/calendar'],
    ['library', '/goals/library'], ['reviews-admin', '/admin/reviews'], ['cycle', 'first:/admin/reviews|main a[href^="/admin/reviews/cycles/"]'],
    ['hr-board', '/tracking/hr']],
  executive: [['home', '/'], ['strategy', '/tracking/executive']],
  admin: [['accounts', '/admin/accounts']],
};

for (const lang of ['zh-CN', 'en']) {
  test(`the guide's tour in ${lang}: every page photographed and reads as words`, async () => {
    const english = lang === 'en';
    const dir = join(env.shots, 'guide', lang);
    mkdirSync(dir, { recursive: true });
    for (const [role, pages] of Object.entries(tour)) {
      const ctx = await env.browser.newContext({ locale: english ? 'en-US' : 'zh-CN', viewport: { width: 1440, height: 900 } });
      const page = await env.signIn(ctx, role, '/', english);
      for (const [name, path] of pages) {
        if (path.startsWith('first:')) {
          const [from, selector] = path.slice(6).split('|');
          await page.goto(env.base + from);
          await page.locator(selector).first().click();
          await page.waitForLoadState('load');
        } else {
          const r = await page.goto(env.base + path);
          assert.equal(r.status(), 200, `${role} ${path}`);
        }
        await page.waitForLoadState('networkidle');
        await readsAsWords(page, `${lang} ${role} ${name}`);
        await page.screenshot({ path: join(dir, `${role}-${name}.png`), fullPage: false });
      }
      await ctx.close();
    }
  });
}
