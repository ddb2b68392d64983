/**
 * Exported files are inert when opened from disk, where no Content-Security-Policy protects them:
 * the validation report's HTML, the sign-off report's HTML and the workflow diagram's SVG are
 * written with script-injection payloads in every text a user or a file supplies (names, values,
 * messages, comments, labels), opened in Chromium from `file://`, and must run nothing, hold no
 * script, event-handler attribute or `javascript:` link, and still show each payload as text.
 * The check proves itself first on a file that does run a payload.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layoutCanvas } from '../../src/app/workflows/editor/canvasModel.ts';
import { diagramSvg } from '../../src/app/workflows/editor/exportDiagram.ts';
import { signoffReportHtml } from '../../src/core/signoff/exports/index.ts';
import { signedExport, softAuthenticator } from '../../src/core/signoff/signing/index.ts';
import { reportHtml } from '../../src/core/validation/index.ts';
import type { Report } from '../../src/formats/report.ts';
import { fixtureWorkflow } from '../../src/formats/testing/fixtures.ts';
import { launchBrowser } from './browser.ts';
import { PAYLOADS } from './xssPayloads.ts';

const all = PAYLOADS.join(' ');

let browser: Browser;
let page: Page;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-inert-'));
  browser = await launchBrowser();
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Opens `text` as a file from disk; what ran and what active markup it holds. */
async function openFromDisk(name: string, text: string) {
  const file = join(dir, name);
  writeFileSync(file, text);
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return page.evaluate(() => {
    const active: string[] = [];
    for (const element of document.querySelectorAll('*')) {
      const tag = element.tagName.toLowerCase();
      if (['script', 'iframe', 'object', 'embed'].includes(tag)) active.push(tag);
      for (const attribute of element.attributes) {
        if (/^on/i.test(attribute.name)) active.push(`${tag}[${attribute.name}]`);
        if (/^\s*javascript:/i.test(attribute.value)) active.push(`${tag}[${attribute.name}=javascript:]`);
      }
    }
    return {
      ran: (window as unknown as { pwned?: number }).pwned ?? null,
      active,
      text: document.documentElement.textContent ?? '',
    };
  });
}

describe('exports opened from disk run nothing', () => {
  it('catches a payload that does run (the check proves itself)', async () => {
    const opened = await openFromDisk('live.html', `<!doctype html><p>${PAYLOADS[0]}</p>`);
    await expect.poll(() => page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBe(1);
    expect(opened.active).toEqual(['img[onerror]']);
  });

  it('the validation report HTML', async () => {
    const report: Report = {
      format: 'preflight.report/v1',
      generatedAt: '2026-01-01T00:00:00Z',
      tool: { name: 'preflight', version: '1.0.0' },
      inputs: [{ name: `${PAYLOADS[0]}.csv`, kind: 'csv', records: 2, valid: 1, invalid: 1, delimiter: ',' }],
      summary: { records: 2, valid: 1, invalid: 1, errors: 1, warnings: 0 },
      issues: [
        {
          rule: PAYLOADS[1] as string,
          severity: 'error',
          location: PAYLOADS[2] as string,
          message: PAYLOADS[4] as string,
          count: 2,
          examples: PAYLOADS.map((value, i) => ({ row: i + 1, column: PAYLOADS[6] as string, value })),
        },
      ],
      profiles: [
        {
          input: `${PAYLOADS[0]}.csv`,
          column: PAYLOADS[7] as string,
          count: 2,
          empty: 0,
          top: [{ value: PAYLOADS[3] as string, count: 2 }],
        },
      ],
      crossFile: {
        duplicateKeys: [
          {
            input: `${PAYLOADS[0]}.csv`,
            column: PAYLOADS[5] as string,
            key: PAYLOADS[2] as string,
            count: 2,
            rows: [1, 2],
          },
        ],
        orphanReferences: [],
        conflictingRecords: [],
      },
      timings: { startedAt: '2026-01-01T00:00:00Z', totalMs: 1 },
    };
    const opened = await openFromDisk('report.html', reportHtml(report, PAYLOADS[5]));
    expect(opened.ran).toBeNull();
    expect(opened.active).toEqual([]);
    // the first examples, the file, rule, problem and key are shown as they are
    for (const payload of PAYLOADS.slice(0, 6)) expect(opened.text).toContain(payload);
  });

  it('the sign-off report HTML', async () => {
    const { file, plan, review } = await signedExport(await softAuthenticator());
    const commented = {
      ...review,
      decisions: review.decisions.map((d) => ({ ...d, comment: all })),
    };
    const html = signoffReportHtml({
      projectName: all,
      plan,
      review: commented,
      entries: file.entries,
      generatedAt: '2026-01-01T00:00:00Z',
      verifications: [],
    });
    const opened = await openFromDisk('signoff.html', html);
    expect(opened.ran).toBeNull();
    expect(opened.active).toEqual([]);
    expect(opened.text).toContain(PAYLOADS[0]);
  });

  it('the workflow diagram SVG', async () => {
    const base = fixtureWorkflow('w1', all);
    const workflow = {
      ...base,
      lanes: base.lanes.map((lane) => ({ ...lane, name: `${lane.name} ${PAYLOADS[1]}` })),
      steps: base.steps.map((step, i) => ({ ...step, label: PAYLOADS[i % PAYLOADS.length] as string })),
    };
    const opened = await openFromDisk('diagram.svg', diagramSvg(workflow, layoutCanvas(workflow), 'touch'));
    expect(opened.ran).toBeNull();
    expect(opened.active).toEqual([]);
    expect(opened.text).toContain(PAYLOADS[1]);
  });
});
