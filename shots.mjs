import { mkdtempSync } from 'node:fs';
import { chromium } from 'playwright-core';

const url = process.argv[2];
const out = process.argv[3];
const ctx = await chromium.launchPersistentContext(mkdtempSync('/tmp/exp/prof-'), {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
});
const page = await ctx.newPage();
for (const [w, h] of [
  [1440, 900],
  [390, 844],
]) {
  await page.setViewportSize({ width: w, height: h });
  for (const ws of ['workflows', 'migration', 'signoff', 'readiness', 'nonsense']) {
    await page.goto(`${url}#/${ws}`);
    await page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
    await page.waitForTimeout(700);
    await page.screenshot({ path: `${out}/${ws}-${w}.png`, fullPage: w === 390 });
  }
}
await ctx.close();
