/**
 * Journey: an analyst opens an event log with loops (results that send a patient back to the
 * doctor, a lab test repeated) and reads its process map as in Disco, laid out by its worker: the
 * start first, a loop drawn back right to left; the activity slider and the opening hours measure
 * the log again in the worker; the performance view gives each box its activity's time where the
 * log has starts and completes; the variants list counts the cases of each order; a filter (the most common paths, or
 * variants chosen from the list, or a stack of conditions on a role and on a kept column of the
 * log, the payer) applies to the map and the variants alike and says how many cases each condition
 * and all together keep; the address keeps the view over Back and a reload,
 * and the map, its variants and its filters come back after the reload from the project, without the log; a file
 * chosen again is told the same as the kept map's or a different one, and the kept map stays
 * through a failed discovery until one succeeds. Text stays at 9 px or
 * more at fit. Accessible (axe) at 1440 and 390 px; nothing printed to the console; no CSP
 * violation. What the map shows for a given map (figures, widths, the path slider, the boxes'
 * times) is proven without a browser in ProcessMapView.test.tsx.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaled } from '../waits.ts';
import {
  axeViolations,
  launchBrowser,
  openApp,
  placeHash,
  storedRecords,
  type Watched,
  waitForSaved,
} from './browser.ts';
import { DISCOVER_LOG_HASH, discoverRegion, EVENT_LOG_FILE_LABEL, processMapOf } from './eventLogPage.ts';

const SHOTS = process.env.E2E_SCREENSHOTS;
const dir = mkdtempSync(path.join(tmpdir(), 'preflight-e2e-pmap-'));

/** Who does each activity in {@link loopLog}. */
const TEAMS: Record<string, string> = {
  'Check in': 'Front desk',
  Triage: 'Nurse',
  Visit: 'Doctor',
  Labs: 'Lab',
  'Fax records': 'Front desk',
  'Check out': 'Front desk',
};

/**
 * 40 visits on Monday 2 March 2026 (UTC), one row per activity, with the team that did it, the
 * visit's payer (odd visits public, even private) and a number per row (an id, not a category):
 * 20 straight through; 8 back from the lab to the doctor the next morning (Labs 17:00 → Visit
 * 09:00: 16 h elapsed, 2 h of an 08–18 day); 5 without triage; 4 with the lab test repeated;
 * 3 with a fax.
 */
function loopLog(): string {
  const variants: Array<{ count: number; steps: Array<[string, string]> }> = [
    {
      count: 20,
      steps: [
        ['Check in', '08:00'],
        ['Triage', '08:10'],
        ['Visit', '08:30'],
        ['Check out', '09:00'],
      ],
    },
    {
      count: 8,
      steps: [
        ['Check in', '14:00'],
        ['Triage', '14:10'],
        ['Visit', '14:30'],
        ['Labs', '17:00'],
        ['Visit', '+09:00'],
        ['Check out', '+09:30'],
      ],
    },
    {
      count: 5,
      steps: [
        ['Check in', '10:00'],
        ['Visit', '10:20'],
        ['Check out', '10:50'],
      ],
    },
    {
      count: 4,
      steps: [
        ['Check in', '11:00'],
        ['Triage', '11:10'],
        ['Visit', '11:30'],
        ['Labs', '11:50'],
        ['Labs', '12:20'],
        ['Visit', '12:50'],
        ['Check out', '13:10'],
      ],
    },
    {
      count: 3,
      steps: [
        ['Check in', '12:00'],
        ['Triage', '12:10'],
        ['Fax records', '12:40'],
        ['Visit', '13:00'],
        ['Check out', '13:20'],
      ],
    },
  ];
  const rows = ['visit,activity,time,team,payer,entry'];
  let visit = 1;
  for (const v of variants) {
    for (let k = 0; k < v.count; k++, visit++) {
      for (const [activity, at] of v.steps) {
        const day = at.startsWith('+') ? '2026-03-03' : '2026-03-02';
        rows.push(
          `V${String(visit).padStart(3, '0')},${activity},${day}T${at.replace('+', '')}:${String(k).padStart(2, '0')}Z,${TEAMS[activity]},${visit % 2 === 1 ? 'Public' : 'Private'},${rows.length}`,
        );
      }
    }
  }
  return `${rows.join('\n')}\n`;
}

/** 5 visits with a start and a complete per row: Check in takes 5 min, Visit 10–60 min. */
function timedLog(): string {
  const rows = ['visit,activity,start,complete'];
  [10, 20, 20, 30, 60].forEach((minutes, k) => {
    const hour = String(8 + k).padStart(2, '0');
    rows.push(`T${k},Check in,2026-03-02T${hour}:00:00Z,2026-03-02T${hour}:05:00Z`);
    const end = new Date(Date.parse(`2026-03-02T${hour}:15:00Z`) + minutes * 60_000).toISOString();
    rows.push(`T${k},Visit,2026-03-02T${hour}:15:00Z,${end}`);
  });
  return `${rows.join('\n')}\n`;
}

let browser: Browser;
let context: BrowserContext;
let app: Watched;

const discover = discoverRegion;
const mapOf = processMapOf;

/** The rendered size, in CSS pixels, of the smallest text on the map. */
async function smallestText(page: Page): Promise<number> {
  return mapOf(page)
    .locator('svg')
    .evaluate((svg) => {
      const scale = (svg as SVGSVGElement).getScreenCTM()?.a ?? 0;
      const sizes = [...svg.querySelectorAll('text')].map(
        (t) => Number.parseFloat(getComputedStyle(t).fontSize) * scale,
      );
      return Math.min(...sizes);
    });
}

/** The arrow from one box to another, by the activities' names ("start" and "end" for the markers). */
function arrow(page: Page, from: string, to: string): Locator {
  return mapOf(page).locator(`g.map-edge[data-from-name="${from}"][data-to-name="${to}"]`);
}

/** The log name of the process map kept in the browser's database, or null. */
async function keptLogName(page: Page): Promise<string | null> {
  const { documents } = await storedRecords(page);
  const map = documents.find((d) => d.kind === 'logMap')?.body as { log?: { name?: string } } | undefined;
  return map?.log?.name ?? null;
}

async function shoot(page: Page, name: string, locator: Locator): Promise<void> {
  if (!SHOTS) return;
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 1000 });
    await locator.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`) });
  }
  await page.setViewportSize({ width: 1440, height: 1000 });
}

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  app = await openApp(context, DISCOVER_LOG_HASH);
});

afterAll(async () => {
  await browser?.close();
});

describe('the process map of an event log', () => {
  it('draws the map with the start first, a loop back and a repeat, legible at fit', async () => {
    const { page } = app;
    const region = discover(page);
    const file = path.join(dir, 'clinic-loops.csv');
    writeFileSync(file, loopLog());
    await region.getByLabel(EVENT_LOG_FILE_LABEL).setInputFiles(file);
    await region.getByText(/clinic-loops\.csv \(.*CSV\): 6 columns found/).waitFor();
    await region.getByLabel('Case id (one patient visit, order or referral)').selectOption('visit');
    await region.getByLabel('Activity (what was done)').selectOption('activity');
    await region.getByLabel('One time per row (each row is one thing done)').check();
    await region.getByLabel('Time', { exact: true }).selectOption('time');
    await region.getByLabel('Role or team (optional)').selectOption('team');
    // the columns not mapped are offered to filter by; the row number is told to be an id
    const extra = region.getByRole('group', { name: 'Other columns to filter cases by (optional)' });
    await extra
      .getByRole('checkbox', { name: /^entry — nearly every row has its own value, like an id/ })
      .waitFor();
    await extra.getByRole('checkbox', { name: 'payer', exact: true }).check();
    await shoot(page, 'kept-columns', extra);
    await region.getByRole('button', { name: 'Discover the workflow' }).click();

    const map = mapOf(page);
    await map.locator('svg').waitFor({ timeout: scaled(60_000) });
    await expect(
      region.getByRole('tab', { name: 'Process map' }).getAttribute('aria-selected'),
    ).resolves.toBe('true');
    // every path at 100 %
    await map.getByLabel(/^Paths:/).fill('100');
    await arrow(page, 'Labs', 'Visit').waitFor();
    // the start is left of every box, the end right of every box
    const boxes = await map.locator('g.map-activity rect, g.map-marker circle').evaluateAll((els) =>
      els.map((el) => {
        const r = el.getBoundingClientRect();
        return { kind: el.closest('g')?.getAttribute('class') ?? '', left: r.left, right: r.right };
      }),
    );
    const start = boxes.find((b) => b.kind.includes('start'));
    const end = boxes.find((b) => b.kind.includes('end'));
    for (const b of boxes.filter((x) => x.kind === 'map-activity')) {
      expect(b.left).toBeGreaterThan(start?.right ?? Number.POSITIVE_INFINITY);
      expect(b.right).toBeLessThan(end?.left ?? Number.NEGATIVE_INFINITY);
    }
    // the loop back (Labs → Visit) is drawn, running right to left; the repeat loops on Labs
    const loop = await arrow(page, 'Labs', 'Visit')
      .locator('path')
      .evaluate((p) => {
        const path = p as SVGPathElement;
        const length = path.getTotalLength();
        return { from: path.getPointAtLength(0).x, to: path.getPointAtLength(length).x, length };
      });
    expect(loop.length).toBeGreaterThan(0);
    expect(loop.to).toBeLessThan(loop.from);
    expect(await smallestText(page)).toBeGreaterThanOrEqual(9);
    await shoot(page, 'process-map', map);
  });

  it('measures the map again in its worker when the activity slider moves', async () => {
    const { page } = app;
    const map = mapOf(page);
    // activities: the fax (3 times) goes, and its patients go from triage straight to the visit
    await expect(arrow(page, 'Triage', 'Visit').locator('text').textContent()).resolves.toBe('32');
    await map.getByLabel(/^Activities:/).fill('84');
    await map.getByText('5 of 6 (84 %)').waitFor();
    await arrow(page, 'Triage', 'Visit')
      .locator('text')
      .filter({ hasText: /^35$/ })
      .waitFor({ timeout: scaled(60_000) });
    await expect.poll(() => map.locator('g.map-activity').filter({ hasText: 'Fax records' }).count()).toBe(0);
    await map.getByLabel(/^Activities:/).fill('100');
    await arrow(page, 'Triage', 'Visit')
      .locator('text')
      .filter({ hasText: /^32$/ })
      .waitFor({ timeout: scaled(60_000) });
  });

  it('switches to performance: waits per arrow, in opening hours when asked; the address keeps it', async () => {
    const { page } = app;
    const map = mapOf(page);
    // each measure is a link of its own address (with the project), so it opens in a new tab too
    const performanceLink = map.getByRole('link', { name: 'How long it takes (performance)' });
    await expect(performanceLink.getAttribute('href')).resolves.toMatch(
      /^#\/project\/[^/]+\/workflows\/logs\/discover\/map\/performance$/,
    );
    await performanceLink.click();
    await expect.poll(() => placeHash(page)).toMatch(/#\/workflows\/logs\/discover\/map\/performance$/);
    await expect.poll(() => performanceLink.getAttribute('aria-current')).toBe('true');
    await expect(arrow(page, 'Labs', 'Visit').locator('text').textContent()).resolves.toBe('16 h');
    expect(await smallestText(page)).toBeGreaterThanOrEqual(9);
    await page.getByLabel('Count waits on the map in opening hours only (Monday to Friday)').check();
    // 17:00–18:00 and 08:00–09:00 of an 08–18 day
    await arrow(page, 'Labs', 'Visit')
      .locator('text')
      .filter({ hasText: /^2 h$/ })
      .waitFor({ timeout: scaled(60_000) });
    await shoot(page, 'process-map-performance', map);

    // at 1440 px the map is checked by axe in journeyAnalyst.spec.ts
    await page.setViewportSize({ width: 390, height: 1000 });
    expect(await smallestText(page)).toBeGreaterThanOrEqual(9);
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1440, height: 1000 });

    // Back returns to the frequency view; Forward to performance
    await page.goBack();
    await expect.poll(() => placeHash(page)).toMatch(/#\/workflows\/logs\/discover$/);
    await expect
      .poll(() => map.getByRole('link', { name: 'How often (frequency)' }).getAttribute('aria-current'))
      .toBe('true');
    await page.goForward();
    await expect.poll(() => performanceLink.getAttribute('aria-current')).toBe('true');
  });

  it('a click on the measure or view already shown adds no history entry: Back and Forward still move', async () => {
    const { page } = app;
    const map = mapOf(page);
    const frequencyLink = map.getByRole('link', { name: 'How often (frequency)' });
    // on the default address (…/discover), frequency and the process map are shown
    await page.goBack();
    await expect.poll(() => placeHash(page)).toMatch(/#\/workflows\/logs\/discover$/);
    await expect.poll(() => frequencyLink.getAttribute('aria-current')).toBe('true');
    await frequencyLink.click();
    await discover(page).getByRole('tab', { name: 'Process map' }).click();
    await expect.poll(() => placeHash(page)).toMatch(/#\/workflows\/logs\/discover\/map$/);
    // the performance entry after it is still there, and Back from it returns to this one
    await page.goForward();
    await expect.poll(() => placeHash(page)).toMatch(/#\/workflows\/logs\/discover\/map\/performance$/);
    await page.goBack();
    await expect.poll(() => placeHash(page)).toMatch(/#\/workflows\/logs\/discover\/map$/);
    await expect.poll(() => frequencyLink.getAttribute('aria-current')).toBe('true');
  });

  it('lists the variants with counts and shares, and a filter applies to map and variants alike', async () => {
    const { page } = app;
    const region = discover(page);
    // the views, and the event-log tools, are links of their own addresses, with the project
    await expect(
      page
        .getByRole('tablist', { name: 'Event-log tools' })
        .getByRole('tab', { name: 'Check after go-live' })
        .getAttribute('href'),
    ).resolves.toMatch(/^#\/project\/[^/]+\/workflows\/logs\/check$/);
    await expect(region.getByRole('tab', { name: 'Variants' }).getAttribute('href')).resolves.toMatch(
      /^#\/project\/[^/]+\/workflows\/logs\/discover\/variants$/,
    );
    await region.getByRole('tab', { name: 'Variants' }).click();
    await expect.poll(() => placeHash(page)).toMatch(/#\/workflows\/logs\/discover\/variants$/);
    const table = region.getByRole('table', { name: 'Variants, most frequent first' });
    const rows = table.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(5);
    await expect(rows.first().locator('td').allTextContents()).resolves.toEqual([
      '',
      '20',
      '50 %',
      '4',
      'Check in → Triage → Visit → Check out',
    ]);
    // the most common paths covering 60 % of cases: the 20 straight ones and the 8 loops
    await region.getByLabel(/Keep the most common paths/).fill('60');
    await region.getByText(/The filters keep 28 of 40 cases/).waitFor({ timeout: scaled(60_000) });
    await expect.poll(() => rows.count()).toBe(2);
    await region.getByRole('tab', { name: 'Process map' }).click();
    await expect.poll(() => mapOf(page).locator('g.map-activity').count()).toBe(5);
    await region.getByLabel(/Keep the most common paths/).fill('100');
    await region.getByText(/Every case is kept: 40 cases/).waitFor({ timeout: scaled(60_000) });

    // choose the loop's variant: the map and the tables keep its 8 cases only
    await region.getByRole('tab', { name: 'Variants' }).click();
    await expect.poll(() => rows.count()).toBe(5);
    await expect(rows.nth(1).locator('td').last().textContent()).resolves.toBe(
      'Check in → Triage → Visit → Labs → Visit → Check out',
    );
    await table.getByLabel('Choose variant 2').check();
    await region.getByRole('button', { name: 'Keep only the chosen variants' }).click();
    await region.getByText(/The filters keep 8 of 40 cases/).waitFor({ timeout: scaled(60_000) });
    await expect.poll(() => rows.count()).toBe(1);
    await region.getByText('Only the chosen variant is kept, on the map too.').waitFor();
    await shoot(page, 'variants', region.getByRole('region', { name: 'Discovered workflow' }));
    await region.getByRole('tab', { name: 'Process map' }).click();
    await expect.poll(() => mapOf(page).locator('g.map-activity').count()).toBe(5);
    await expect(arrow(page, 'start', 'Check in').locator('text').textContent()).resolves.toBe('8');
    await region.getByRole('tab', { name: 'Variants' }).click();
    await region.getByRole('button', { name: 'Show every variant' }).click();
    await region.getByText(/Every case is kept: 40 cases/).waitFor({ timeout: scaled(60_000) });
    await expect.poll(() => rows.count()).toBe(5);

    // the cases the lab took part in (the 8 loops and the 4 repeats): variants and map alike
    const byTeam = region.getByRole('group', { name: 'Cases by role, system or other column' });
    await byTeam.getByLabel('Filter cases by').selectOption('role');
    const role = byTeam.getByRole('group', { name: 'Role or team', exact: true });
    await role.getByLabel('Lab', { exact: true }).check();
    await region.getByText(/The filters keep 12 of 40 cases/).waitFor({ timeout: scaled(60_000) });
    await role.getByText('12 of 40 cases have the checked roles.').waitFor();
    await expect.poll(() => rows.count()).toBe(2);
    // or every other case: the lab's cases are left out, whole
    await role.getByLabel('Leave out the cases with any of the checked roles').check();
    await region.getByText(/The filters keep 28 of 40 cases/).waitFor({ timeout: scaled(60_000) });
    await role.getByText('28 of 40 cases have none of the checked roles.').waitFor();
    await expect.poll(() => rows.count()).toBe(3);
    // and a second condition, on the kept payer column: both apply (20 public visits, 6 with the lab)
    await byTeam.getByLabel('Also filter cases by').selectOption('column:payer');
    const payer = byTeam.getByRole('group', { name: 'Column “payer”' });
    await payer.getByLabel('Public', { exact: true }).check();
    await region.getByText(/The filters keep 14 of 40 cases/).waitFor({ timeout: scaled(60_000) });
    await payer.getByText('20 of 40 cases have the checked values of payer.').waitFor();
    await role.getByText('28 of 40 cases have none of the checked roles.').waitFor();
    await byTeam.getByText('All conditions together keep 14 of 40 cases.').waitFor();
    await expect.poll(() => rows.count()).toBe(3);
    // one width: the map's text at 390 px and the screen's axe there are proven in the performance test
    expect(await axeViolations(page)).toEqual([]);
    await shoot(page, 'attribute-filter-stack', byTeam);
    // any of the values of one attribute: public or private is every visit
    await payer.getByLabel('Private', { exact: true }).check();
    await region.getByText(/The filters keep 28 of 40 cases/).waitFor({ timeout: scaled(60_000) });
    await byTeam.getByText('All conditions together keep 28 of 40 cases.').waitFor();
    await payer.getByRole('button', { name: 'Remove the condition on column “payer”' }).click();
    await expect.poll(() => payer.count()).toBe(0);
    await shoot(page, 'attribute-filter', byTeam);
    await region.getByRole('tab', { name: 'Process map' }).click();
    await expect.poll(() => mapOf(page).locator('g.map-activity').count()).toBe(5);
    await expect.poll(() => mapOf(page).locator('g.map-activity[data-name="Labs"]').count()).toBe(0);
    await expect(arrow(page, 'start', 'Check in').locator('text').textContent()).resolves.toBe('28');
    // the filter stays for the next log, and is kept with its map
  });

  it('gives each box its activity’s time when the log has starts and completes', async () => {
    const { page } = app;
    const region = discover(page);
    const file = path.join(dir, 'clinic-times.csv');
    writeFileSync(file, timedLog());
    await region.getByLabel(EVENT_LOG_FILE_LABEL).setInputFiles(file);
    await region.getByText(/clinic-times\.csv \(.*CSV\): 4 columns found/).waitFor();
    await region.getByLabel('Case id (one patient visit, order or referral)').selectOption('visit');
    await region.getByLabel('Activity (what was done)').selectOption('activity');
    await region.getByLabel('Two time columns: when it started and when it was completed').check();
    await region.getByLabel('Started at').selectOption('start');
    await region.getByLabel('Completed at').selectOption('complete');
    await region.getByRole('button', { name: 'Discover the workflow' }).click();
    await region.getByText(/Every case is kept: 5 cases/).waitFor({ timeout: scaled(60_000) });
    const map = mapOf(page);
    await region.getByRole('tab', { name: 'Process map' }).click();
    const performance = map.getByRole('link', { name: 'How long it takes (performance)' });
    await performance.click();
    await expect.poll(() => performance.getAttribute('aria-current')).toBe('true');
    const figure = (name: string) =>
      map.locator(`g.map-activity[data-name="${name}"] .map-activity-figure`).textContent();
    // Visit took 10, 20, 20, 30 and 60 minutes: middle value 20 min
    await expect.poll(() => figure('Visit')).toBe('20 min');
    expect(await smallestText(page)).toBeGreaterThanOrEqual(9);
    await shoot(page, 'process-map-activity-times', map);
  });

  it('keeps the map over a visit elsewhere, a reload and an export, and prints nothing', async () => {
    const { page } = app;
    await discover(page).getByRole('tab', { name: 'Process map' }).click();
    await mapOf(page).locator('svg').waitFor();
    await page
      .getByRole('navigation', { name: 'Workspaces' })
      .getByRole('link', { name: 'Migration' })
      .click();
    await page.getByRole('table', { name: 'Legacy extracts' }).waitFor();
    await page.goBack();
    await expect(
      mapOf(page)
        .getByLabel(/^Paths:/)
        .inputValue(),
    ).resolves.toBe('100');
    // the last map is kept in the project (autosaved) before the page goes
    await expect.poll(() => keptLogName(page)).toBe('clinic-times.csv');
    await waitForSaved(page);
    await page.goto(`${page.url().split('#')[0]}#/workflows/logs/discover/map/performance`);
    await page.reload();
    await discover(page).waitFor();
    expect(placeHash(page)).toMatch(/#\/workflows\/logs\/discover\/map\/performance$/);

    // after the reload, without the file: the same map from the project, and what needs the events says so
    const kept = discover(page).getByRole('region', { name: 'Kept process map' });
    await kept
      .getByText(
        /^Measured from clinic-times\.csv on .+; choose the file again to change filters that need the events\. Leaving out the cases with the role Lab\.$/,
      )
      .waitFor();
    const map = kept.getByRole('region', { name: 'Process map', exact: true });
    await expect(
      map.getByRole('link', { name: 'How long it takes (performance)' }).getAttribute('aria-current'),
    ).resolves.toBe('true');
    await expect(
      map.locator('g.map-activity[data-name="Visit"] .map-activity-figure').textContent(),
    ).resolves.toBe('20 min');
    await expect(map.getByLabel(/^Activities:/).isDisabled()).resolves.toBe(true);
    await map.getByText('Needs the events: choose the log file again to change it.').waitFor();
    // the path slider works on the kept paths
    await map.getByLabel(/^Paths:/).fill('100');
    await map.getByText('3 of 3 (100 %)').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await shoot(page, 'process-map-kept', kept);
    await kept.getByRole('tab', { name: 'Variants' }).click();
    await expect.poll(() => placeHash(page)).toMatch(/#\/workflows\/logs\/discover\/variants$/);
    const rows = kept.getByRole('table', { name: 'Variants, most frequent first' }).locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    await expect(rows.first().locator('td').allTextContents()).resolves.toEqual([
      '5',
      '100 %',
      '2',
      'Check in → Visit',
    ]);
    await kept.getByText('Choosing variants needs the events: choose the log file again.').waitFor();
    expect(await axeViolations(page)).toEqual([]);

    // the project file carries the map: the figures and the file's identity, no case ids
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export' }).click(),
    ]);
    const exported = path.join(dir, download.suggestedFilename());
    await download.saveAs(exported);
    const saved = JSON.parse(readFileSync(exported, 'utf8')).project.logMaps;
    expect(saved).toHaveLength(1);
    expect(saved[0].log).toMatchObject({ name: 'clinic-times.csv', bytes: timedLog().length });
    expect(saved[0].log.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(saved[0].filters.attributes).toEqual([{ attribute: 'role', values: ['Lab'], keep: 'without' }]);
    expect(saved[0].filters.attribute).toBeUndefined();
    expect(JSON.stringify(saved)).not.toMatch(/"T[0-4]"/);

    // another computer imports the file: the map comes with the project
    const other = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const elsewhere = await openApp(other, '#/workflows/logs/discover/variants');
    await elsewhere.page.getByLabel('Import a project file').setInputFiles(exported);
    await elsewhere.page
      .getByRole('status')
      .filter({ hasText: /^Imported/ })
      .waitFor();
    const there = discover(elsewhere.page).getByRole('region', { name: 'Kept process map' });
    await there.getByText(/^Measured from clinic-times\.csv on /).waitFor();
    await expect
      .poll(() =>
        there.getByRole('table', { name: 'Variants, most frequent first' }).locator('tbody tr').count(),
      )
      .toBe(1);
    expect(elsewhere.console).toEqual([]);
    await other.close();
    expect(app.console).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });

  it('compares a file chosen again with the kept map’s, and keeps the map until a discovery succeeds', async () => {
    const { page } = app;
    const region = discover(page);
    const kept = region.getByRole('region', { name: 'Kept process map' });
    const note = region.locator('p.kept-file-note');
    const choose = async (name: string, text: string) => {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      await region.getByLabel(EVENT_LOG_FILE_LABEL).setInputFiles(file);
      await region
        .getByText(new RegExp(`${name.replace('.', '\\.')} \\(.*CSV\\): 4 columns found`))
        .waitFor();
    };
    const measured = /\(measured from clinic-times\.csv on [^)]+\)/;

    // the same bytes (under another name): the same file, and the kept map stays on screen
    await choose('clinic-times-again.csv', timedLog());
    await note
      .filter({ hasText: /^Same file as the kept map \(measured from clinic-times\.csv on / })
      .waitFor();
    // the kept map's filter is the form's again, before the file is read
    const byTeam = region.getByRole('group', { name: 'Role or team', exact: true });
    await expect(byTeam.getByLabel('Lab', { exact: true }).isChecked()).resolves.toBe(true);
    await expect(
      byTeam.getByLabel('Leave out the cases with any of the checked roles').isChecked(),
    ).resolves.toBe(true);
    await kept
      .getByText(
        /^Measured from clinic-times\.csv on .+; discover the workflow to measure the chosen file\. Leaving out the cases with the role Lab\.$/,
      )
      .waitFor();

    // as many bytes, one letter changed: a different file, told by its SHA-256
    const changed = timedLog().replaceAll('Check in', 'Check-in');
    expect(changed.length).toBe(timedLog().length);
    await choose('clinic-times-edited.csv', changed);
    await note.filter({ hasText: /^A different file from the kept map / }).waitFor();
    await expect(note.textContent()).resolves.toMatch(measured);

    // a log that cannot be used as read: the discovery fails and the kept map stays, in the project too
    const broken = `${timedLog()}T9,Visit,2026-03-02T15:00:00Z,2026-03-02T25:00:00Z\n`;
    await choose('clinic-times-broken.csv', broken);
    await note.filter({ hasText: /^A different file from the kept map / }).waitFor();
    await region.getByLabel('Case id (one patient visit, order or referral)').selectOption('visit');
    await region.getByLabel('Activity (what was done)').selectOption('activity');
    await region.getByLabel('Two time columns: when it started and when it was completed').check();
    await region.getByLabel('Started at').selectOption('start');
    await region.getByLabel('Completed at').selectOption('complete');
    await region.getByRole('button', { name: 'Discover the workflow' }).click();
    await region
      .getByRole('alert')
      .filter({ hasText: /The log has problems that stop it being used as read\./ })
      .waitFor({ timeout: scaled(60_000) });
    await kept
      .getByText(
        /^The kept map is unchanged: measured from clinic-times\.csv on .+\. Leaving out the cases with the role Lab\.$/,
      )
      .waitFor();
    // the kept variants, as before the failed discovery
    await expect(
      kept.getByRole('table', { name: 'Variants, most frequent first' }).locator('tbody tr').count(),
    ).resolves.toBe(1);
    expect(await keptLogName(page)).toBe('clinic-times.csv');
    expect(await axeViolations(page)).toEqual([]);
    await shoot(page, 'process-map-kept-after-failure', region);

    // leaving out the bad row, the discovery succeeds: its map replaces the kept one
    await region.getByLabel('Leave out the rows with problems and use the rest').check();
    await region.getByText(/Every case is kept: 5 cases/).waitFor({ timeout: scaled(60_000) });
    await expect.poll(() => kept.count()).toBe(0);
    await expect.poll(() => note.count()).toBe(0);
    await expect.poll(() => keptLogName(page)).toBe('clinic-times-broken.csv');
    expect(app.console).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});
