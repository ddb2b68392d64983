/**
 * Journey: a steering committee reads the demo clinic's readiness. The demo project file (the one
 * `preflight readiness` judges in a pipeline) is imported; the screen says no-go with the very
 * reasons the core gives for the file; a gate changed on the screen changes the result at once,
 * and the change survives a reload; the links lead to the place to act; axe is clean at 1440 and
 * 390 px.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cliTestKit.ts';
import { assessReadiness } from '../../src/core/readiness/index.ts';
import { parseProjectFile } from '../../src/formats/project.ts';
import {
  axeViolations,
  launchPersistent,
  openApp,
  VIEWPORTS,
  type Watched,
  waitForSaved,
} from './browser.ts';

/** Set SHOT_DIR to keep screenshots of the Readiness screen (1440 and 390 px). */
const SHOT_DIR = process.env.SHOT_DIR;

const DEMO_FILE = join(import.meta.dirname, '../../samples/projects/demo-clinic.preflight.json');

let profile: string;
let context: BrowserContext;
let app: Watched;

/** The reasons the core gives for the demo file, as `preflight readiness` prints them. */
function fileReasons(): string[] {
  const parsed = parseProjectFile(readFileSync(DEMO_FILE, 'utf8'));
  if (!parsed.ok) throw new Error('the demo project file does not load');
  const result = assessReadiness(parsed.value.project);
  expect(result.decision).toBe('no-go');
  return result.reasons.map((r) => r.text);
}

const decision = (page: Page) => page.getByTestId('readiness-decision');
const whyNoGo = (page: Page) => decision(page).getByRole('list', { name: 'Why no-go' }).getByRole('listitem');
const phase = (page: Page, name: string) =>
  page
    .getByRole('list', { name: 'Phases' })
    .getByRole('listitem')
    .filter({
      has: page.getByRole('heading', { level: 3, name, exact: true }),
    });
/** The status word a phase's badge shows. */
const statusOf = async (page: Page, name: string) =>
  ((await phase(page, name).locator('.badge').first().textContent()) ?? '').replace(/^\W+/, '').trim();

/** A reason's text as listed under the decision: without its phase name and its link. */
async function listedReasons(page: Page): Promise<string[]> {
  return whyNoGo(page).evaluateAll((items) =>
    items.map((li) => {
      const copy = li.cloneNode(true) as HTMLElement;
      for (const el of copy.querySelectorAll('strong, a')) el.remove();
      return (copy.textContent ?? '').trim();
    }),
  );
}

async function shoot(page: Page, name: string): Promise<void> {
  if (!SHOT_DIR) return;
  await page.screenshot({ path: join(SHOT_DIR, name), fullPage: true });
  await page.screenshot({ path: join(SHOT_DIR, name.replace('.png', '-top.png')) });
}

beforeAll(async () => {
  profile = mkdtempSync(join(tmpdir(), 'preflight-readiness-'));
  context = await launchPersistent(profile);
  app = await openApp(context);
  await app.page.setViewportSize({ width: 1440, height: 900 });
  await waitForSaved(app.page);
});

afterAll(async () => {
  await context?.close();
  rmSync(profile, { recursive: true, force: true });
});

describe('readiness of the demo clinic', () => {
  it('imports the demo project file and says no-go with its planted reasons', async () => {
    const { page } = app;
    await page.getByLabel('Import a project file').setInputFiles(DEMO_FILE);
    await page.getByRole('status').filter({ hasText: 'Imported “Demo clinic”' }).waitFor();
    await page
      .getByRole('navigation', { name: 'Workspaces' })
      .getByRole('link', { name: 'Readiness' })
      .click();
    await decision(page).getByRole('heading', { name: 'Decision: No-go' }).waitFor();
    const expected = fileReasons();
    expect(await listedReasons(page)).toEqual(expected);
    // the planted problems, in the words a committee reads
    expect(expected).toContain(
      'patients.csv: only 95.2 % of records are valid (238 invalid); the gate is 99 %. Fix the extract or the mapping and check it again on the Migration screen.',
    );
    expect(expected.filter((r) => r.includes('no sample drawn'))).toHaveLength(2);
    expect(
      expected.some((r) => r.startsWith('“Patient intake — future (new EHR)” has 8 problems open')),
    ).toBe(true);
    expect(await statusOf(page, 'Configuration')).toBe('Blocked');
    expect(await statusOf(page, 'Pre-launch')).toBe('Blocked');
    // the safety self-assessment: two items pre-filled "not in place" from evidence, five not assessed
    expect(await statusOf(page, 'Go-live')).toBe('Blocked');
    expect(await axeViolations(page)).toEqual([]);
    await shoot(page, 'readiness-1440.png');
  });

  it('changing a gate changes the result at once, and the gate survives a reload', async () => {
    const { page } = app;
    const validShare = page.getByLabel('Valid records in every extract, at least (%)');
    expect(await validShare.inputValue()).toBe('99');
    await validShare.fill('95');
    await expect
      .poll(async () => (await listedReasons(page)).some((r) => r.startsWith('patients.csv')))
      .toBe(false);
    // the extract now passes its gate; the sample plans still block pre-launch
    await phase(page, 'Pre-launch')
      .getByText('patients.csv: 95.2 % valid (4,762 of 5,000 records)')
      .waitFor();
    await decision(page)
      .getByText(/^Gates in effect: extracts ≥ 95 % valid; /)
      .waitFor();
    expect(await statusOf(page, 'Pre-launch')).toBe('Blocked');

    // a stricter go-live limit: intake's physicians at 56.2 % in go-live week now block
    await page.getByLabel('Busiest role in go-live week, at most (% busy)').fill('50');
    await phase(page, 'Go-live').locator('.badge', { hasText: 'Blocked' }).waitFor();
    await whyNoGo(page).filter({ hasText: 'Physician 56.2 % busy; the gate is 50 %' }).waitFor();

    await waitForSaved(page);
    await page.reload();
    await decision(page).getByRole('heading', { name: 'Decision: No-go' }).waitFor();
    expect(await page.getByLabel('Valid records in every extract, at least (%)').inputValue()).toBe('95');
    expect(await page.getByLabel('Busiest role in go-live week, at most (% busy)').inputValue()).toBe('50');
    expect(await statusOf(page, 'Go-live')).toBe('Blocked');
  });

  it('a reason links to the place to act', async () => {
    const { page } = app;
    await whyNoGo(page)
      .filter({ hasText: 'no sample drawn' })
      .first()
      .getByRole('link', { name: 'Go to Sign-off' })
      .click();
    await page.getByRole('heading', { level: 2, name: 'Sign-off' }).waitFor();
    expect(new URL(page.url()).hash).toBe('#/signoff');
    await page
      .getByRole('navigation', { name: 'Workspaces' })
      .getByRole('link', { name: 'Readiness' })
      .click();
    await decision(page).waitFor();
  });

  it('training by role and go-live support are recorded, judged at once, kept, and gated in the CLI', async () => {
    const { page } = app;
    const training = page.getByTestId('training-record');
    await training.getByLabel('Staff in Front desk').fill('6');
    await training.getByLabel('Trained in Front desk').fill('4');
    await training.getByLabel('Sessions planned for Front desk').fill('3');
    await training.getByLabel('Sessions delivered for Front desk').fill('2');
    await training
      .getByLabel('Super-users of Front desk (names, separated by commas)')
      .fill('Ana Ruiz, Tom Hale');
    // once training is recorded, a changed role without it blocks, as does a share under the gate
    await phase(page, 'Training').locator('.badge', { hasText: 'Blocked' }).waitFor();
    await phase(page, 'Training')
      .getByText(
        'Front desk: 4 of 6 staff trained (66.6 %), 2 of 3 sessions delivered; super-users: Ana Ruiz and Tom Hale.',
      )
      .waitFor();
    await whyNoGo(page)
      .filter({ hasText: 'Front desk: only 66.6 % of staff trained (2 still to train); the gate is 90 %.' })
      .waitFor();
    await whyNoGo(page)
      .filter({ hasText: 'Physician: its work changes but no training is recorded for it' })
      .waitFor();
    // a figure that is not a whole number is said, and not saved
    await training.getByLabel('Trained in Front desk').fill('five');
    await training
      .getByText('Trained in Front desk: enter a whole number of 0 or more. Not saved yet.')
      .waitFor();
    await training.getByLabel('Trained in Front desk').fill('6');
    await expect
      .poll(async () => (await listedReasons(page)).some((r) => r.startsWith('Front desk: only')))
      .toBe(false);
    // the clinic's gate for super-users and training share are among the gates in effect
    await decision(page)
      .getByText(
        /staff trained ≥ 90 % per role; a super-user per role required; at-the-elbow support ≥ 1 per area and shift\.$/,
      )
      .waitFor();

    await training.getByLabel('Area').fill('Front desk');
    await training.getByLabel('Shift').fill('Monday morning');
    await training.getByLabel('Supporters').fill('0');
    await training.getByRole('button', { name: 'Add the support shift' }).click();
    await whyNoGo(page)
      .filter({ hasText: 'Front desk, Monday morning: 0 supporters at the elbow; the gate is 1.' })
      .waitFor();
    await training.getByRole('button', { name: 'Remove Front desk, Monday morning' }).click();
    await training.getByLabel('Area').fill('Front desk');
    await training.getByLabel('Shift').fill('Monday morning');
    await training.getByLabel('Supporters').fill('2');
    await training.getByRole('button', { name: 'Add the support shift' }).click();
    await phase(page, 'Go-live')
      .getByText('At-the-elbow support in go-live week: Front desk, Monday morning: 2.')
      .waitFor();
    expect((await listedReasons(page)).some((r) => r.includes('supporters at the elbow'))).toBe(false);

    await waitForSaved(page);
    await page.reload();
    await decision(page).getByRole('heading', { name: 'Decision: No-go' }).waitFor();
    expect(await training.getByLabel('Staff in Front desk').inputValue()).toBe('6');
    expect(
      await training.getByLabel('Super-users of Front desk (names, separated by commas)').inputValue(),
    ).toBe('Ana Ruiz, Tom Hale');
    await training
      .getByRole('list', { name: 'Support shifts' })
      .getByText('Front desk, Monday morning: 2 supporters')
      .waitFor();
    if (SHOT_DIR) await training.screenshot({ path: join(SHOT_DIR, 'readiness-1440-training.png') });

    // the exported project gives the same reasons in the CLI gate, exit 1
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export' }).click();
    const file = join(profile, 'trained.preflight.json');
    await (await downloading).saveAs(file);
    const judged = await runCli(['readiness', file], profile);
    expect(judged.code).toBe(1);
    expect(judged.out).toContain(
      '\n  - [training] Physician: its work changes but no training is recorded for it;',
    );
    expect(judged.out).toContain(
      '\n  Front desk: 6 of 6 staff trained (100 %), 2 of 3 sessions delivered; super-users: Ana Ruiz and Tom Hale.\n',
    );
    expect(judged.out).toContain('\n  At-the-elbow support in go-live week: Front desk, Monday morning: 2.');
    expect(await listedReasons(page)).toEqual(
      (() => {
        const parsed = parseProjectFile(readFileSync(file, 'utf8'));
        if (!parsed.ok) throw new Error('the exported project does not load');
        return assessReadiness(parsed.value.project).reasons.map((r) => r.text);
      })(),
    );
    expect(await axeViolations(page)).toEqual([]);
  });

  it('has no axe violations on a phone and nothing printed to the console', async () => {
    const { page } = app;
    const phone = VIEWPORTS.find((v) => v.name === 'phone');
    if (!phone) throw new Error('no phone viewport');
    await page.setViewportSize({ width: phone.width, height: phone.height });
    await decision(page).getByRole('heading', { name: 'Decision: No-go' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    // nothing wider than the screen
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.width);
    await shoot(page, 'readiness-390.png');
    if (SHOT_DIR) {
      await page.locator('.gates').screenshot({ path: join(SHOT_DIR, 'readiness-390-gates.png') });
      await phase(page, 'Pre-launch').screenshot({ path: join(SHOT_DIR, 'readiness-390-prelaunch.png') });
      await page
        .getByTestId('training-record')
        .screenshot({ path: join(SHOT_DIR, 'readiness-390-training.png') });
    }
    expect(app.console).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});
