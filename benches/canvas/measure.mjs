// The goal map canvas in a real browser (issue 23, benchmark): signs in as the demo executive,
// opens the map of each company goal five times and prints how long until the canvas is drawn
// (navigation start to `data-ready` on #map-canvas), with the number of nodes drawn.
// Usage: node benches/canvas/measure.mjs http://127.0.0.1:PORT
// Needs tests/e2e's npm packages (npm ci there) and Debian's chromium.
import { chromium } from '../../tests/e2e/node_modules/playwright-core/index.mjs';

const base = process.argv[2];
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
const page = await ctx.newPage();
await page.goto(`${base}/login`);
await page.getByLabel('用户名').fill('executive');
await page.getByLabel('密码').fill('waymark-demo');
await page.getByRole('button', { name: '登录' }).click();
await page.waitForURL(u => u.pathname === '/');
await page.goto(`${base}/tracking/executive`);
const goals = await page.locator('section.strategic a[href^="/goals/"]').evaluateAll(
  as => [...new Set(as.map(a => a.getAttribute('href')).filter(h => /^\/goals\/[0-9a-f-]+$/.test(h)))]);
for (const g of goals.slice(0, 3)) {
  const times = [];
  let nodes = 0;
  for (let i = 0; i < 5; i++) {
    await page.goto(`${base}${g}/map`);
    await page.locator('#map-canvas[data-ready="1"]').waitFor();
    times.push(await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      return performance.now() - nav.startTime;
    }));
    nodes = await page.evaluate(() => {
      let n = 0;
      (function walk(x) { n++; x.children.forEach(walk); })(JSON.parse(document.getElementById('map-data').textContent).tree);
      return n;
    });
  }
  times.sort((a, b) => a - b);
  console.log(`${g}/map: ${nodes} nodes; drawn after ${times.map(t => Math.round(t)).join(', ')} ms (median ${Math.round(times[2])} ms)`);
}
await browser.close();
