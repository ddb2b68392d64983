/**
 * Journey: a clinician opens Sign-off on a phone (390 px). The plan's chart shrinks to the screen;
 * its labels (axis, ticks, target and risk lines) stay readable and none is cut off at its edges.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, openApp, type Watched } from './browser.ts';

/** Smallest on-screen height of a chart label's box, in CSS pixels (11 px type gives about 13). */
const MIN_LABEL_PX = 10;

let browser: Browser;
let app: Watched;

beforeAll(async () => {
  browser = await launchBrowser();
  app = await openApp(await browser.newContext({ viewport: { width: 390, height: 844 } }), '#/signoff');
});

afterAll(async () => {
  await browser?.close();
});

describe('the sign-off chart on a phone', () => {
  it('keeps every label readable and inside the chart', async () => {
    const { page } = app;
    const chart = page
      .getByRole('img', { name: 'Chance that a stratum passes, by its true error rate' })
      .first();
    await chart.waitFor();
    const labels = await chart.evaluate((svg) => {
      const box = svg.getBoundingClientRect();
      return [...svg.querySelectorAll('text')].map((t) => {
        const r = t.getBoundingClientRect();
        return {
          text: t.textContent ?? '',
          height: r.height,
          inside:
            r.left >= box.left - 0.5 &&
            r.right <= box.right + 0.5 &&
            r.top >= box.top - 0.5 &&
            r.bottom <= box.bottom + 0.5,
        };
      });
    });
    expect(labels.length).toBeGreaterThan(8);
    for (const label of labels) {
      expect(label.height, `"${label.text}" is too small to read`).toBeGreaterThanOrEqual(MIN_LABEL_PX);
      expect(label.inside, `"${label.text}" is cut off`).toBe(true);
    }
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  });
});
