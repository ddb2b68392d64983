/**
 * axe-core on one region of a page: for a journey's later states, where the page around the region
 * passed axe already and only the region changed. The rules that judge a whole document (one main
 * landmark, a level-one heading, every element in a landmark) need the whole page: the page's own
 * check (browser.ts `axeViolations`) gives them. On a long sign-off screen a region costs a
 * fraction of the page: axe's time grows with the elements it visits.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Locator } from 'playwright-core';
import type { AxeViolation } from './browser.ts';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.x A and AA rules and axe's best practices, as the page's check runs them. */
const RULES = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/** axe's violations inside `region` (its first match), injected once per document as the page's. */
export async function axeRegionViolations(region: Locator): Promise<AxeViolation[]> {
  const page = region.page();
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return region.first().evaluate(async (element, values) => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: unknown,
            opts: unknown,
          ) => Promise<{
            violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run(element, { runOnly: { type: 'tag', values } });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  }, RULES);
}
