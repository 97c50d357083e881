/**
 * Takes screenshots of a running Rukun (headless) for visual review:
 *   npx tsx scripts/screenshot.ts http://127.0.0.1:3210 out-dir [user pass] [paths...]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from '../tests/e2e/browser';

const [base = 'http://127.0.0.1:3210', out = '/tmp/shots', user, pass, ...paths] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const { browser, close } = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
// SHOT_SCHEME=dark and SHOT_LANG=en preview the other theme and language.
await page.addInitScript(
  ([scheme, lang]) => {
    if (scheme) localStorage.setItem('rukun.color-scheme', scheme);
    if (lang) localStorage.setItem('rukun.lang', lang);
  },
  [process.env.SHOT_SCHEME ?? '', process.env.SHOT_LANG ?? ''],
);
await page.goto(base);
await page.waitForLoadState('networkidle');
await page.screenshot({ path: join(out, '00-start.png') });
if (user && pass) {
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', pass);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=user-menu]');
  for (const [i, p] of (paths.length ? paths : ['/']).entries()) {
    await page.goto(`${base}/#${p}`);
    await page.waitForTimeout(800);
    await page.screenshot({
      path: join(out, `${String(i + 1).padStart(2, '0')}${p.replace(/\W+/g, '-')}.png`),
    });
  }
}
await close();
console.log(`screenshots in ${out}`);
