/**
 * Journey: a steering committee reads the demo clinic's readiness. The demo project file (the one
 * `preflight readiness` judges in a pipeline) is imported; the screen opens on the go/no-go with
 * the very reasons the core gives for the file; each tab has its own address, kept by Back, Forward
 * and a reload; a gate changed on its tab changes the result at once, and the change survives a
 * reload; the links lead to the place to act; axe is clean at 1440 and 390 px on every tab.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cliTestKit.ts';
import { assessReadiness, type EvidencePack } from '../../src/core/readiness/index.ts';
import { parseProjectFile } from '../../src/formats/project.ts';
import {
  axeViolations,
  launchPersistent,
  openApp,
  placeHash,
  VIEWPORTS,
  type Watched,
  waitForSaved,
} from './browser.ts';
import {
  openReadinessTab,
  READINESS_TAB_NAMES,
  type ReadinessTabName,
  readinessTab,
} from './readinessTabs.ts';

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

/** The reasons that block go-live, read on the Go/no-go tab. */
async function reasonsNow(page: Page): Promise<string[]> {
  await openReadinessTab(page, 'Go/no-go');
  return listedReasons(page);
}

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

/** Opens a role of the training panel (one is open at a time) and returns the panel. */
async function openRole(page: Page, role: string) {
  const training = page.getByTestId('training-record');
  const toggle = training.getByRole('button', { name: new RegExp(`^${role}\\b`) });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await training.getByLabel(`Staff in ${role}`).waitFor();
  return training;
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
    // the go/no-go is what the screen opens on, at its plain address
    expect(placeHash(page)).toBe('#/readiness');
    expect(await readinessTab(page, 'Go/no-go').getAttribute('aria-selected')).toBe('true');
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
    // the status per phase is on the go/no-go too; the evidence behind it is on the Phases tab
    expect(
      await decision(page)
        .getByRole('list', { name: 'Status per phase' })
        .getByRole('listitem')
        .allInnerTexts(),
    ).toEqual([
      'Discovery: ▲ At risk',
      'Configuration: ✖ Blocked',
      'Training: ▲ At risk',
      'Pre-launch: ✖ Blocked',
      'Go-live: ✖ Blocked',
    ]);
    expect(await axeViolations(page)).toEqual([]);
    await shoot(page, 'readiness-1440.png');
    await decision(page).getByRole('link', { name: 'See the evidence per phase' }).click();
    await page.getByRole('heading', { level: 3, name: 'Phases' }).waitFor();
    expect(placeHash(page)).toBe('#/readiness/phases');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('phases-title');
    expect(await statusOf(page, 'Configuration')).toBe('Blocked');
    expect(await statusOf(page, 'Pre-launch')).toBe('Blocked');
    // the safety self-assessment: two items pre-filled "not in place" from evidence, five not assessed
    expect(await statusOf(page, 'Go-live')).toBe('Blocked');
    // the tabs other than the go/no-go say it in one line, with the way back to the reasons
    await page.getByTestId('decision-line').filter({ hasText: 'No-go: 12 reasons block go-live.' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await shoot(page, 'readiness-1440-phases.png');
  });

  it('each tab has its own address: Back, Forward, a reload and the arrow keys keep to it', async () => {
    const { page } = app;
    const hashes: string[] = [];
    for (const name of READINESS_TAB_NAMES) {
      await openReadinessTab(page, name);
      hashes.push(placeHash(page));
      expect(await page.title()).toBe(
        name === 'Go/no-go'
          ? 'Readiness · Demo clinic · Preflight'
          : `${name} · Readiness · Demo clinic · Preflight`,
      );
      expect(await axeViolations(page)).toEqual([]);
    }
    expect(hashes).toEqual([
      '#/readiness',
      '#/readiness/phases',
      '#/readiness/training',
      '#/readiness/safety',
      '#/readiness/gates',
      '#/readiness/steering',
      '#/readiness/pack',
    ]);
    // everything the long page held is on one tab or another
    const evidencePack = page.getByRole('heading', { level: 2, name: 'Go-live evidence pack: Demo clinic' });
    await evidencePack.waitFor();
    await page.goBack();
    await page.getByTestId('steering-decision').waitFor();
    await page.goBack();
    await page.getByLabel('Valid records in every extract, at least (%)').waitFor();
    await page.goForward();
    await page.getByTestId('steering-decision').waitFor();
    await page.reload();
    await page.getByTestId('steering-decision').waitFor();
    expect(await readinessTab(page, 'Steering decision').getAttribute('aria-selected')).toBe('true');
    // the arrow keys move between tabs and replace the address rather than add to the history
    await readinessTab(page, 'Steering decision').focus();
    await page.keyboard.press('ArrowRight');
    await evidencePack.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Evidence pack');
    await page.keyboard.press('Home');
    await decision(page).waitFor();
    expect(placeHash(page)).toBe('#/readiness');
    await page.goBack();
    await page.getByLabel('Valid records in every extract, at least (%)').waitFor();
    await page.goForward();
    await decision(page).waitFor();
    // each part of the former long page, by the tab that holds it now
    const holds: [ReadinessTabName, string][] = [
      ['Training and support', 'Training and go-live support'],
      ['Downtime and safety', 'Rollback and downtime plan'],
      ['Downtime and safety', 'Safety self-assessment'],
      ['Gates', 'Gates in effect'],
      ['Steering decision', 'Steering committee decision'],
    ];
    for (const [name, heading] of holds) {
      await openReadinessTab(page, name);
      await page.getByRole('heading', { level: 3, name: heading, exact: true }).waitFor();
    }
    await openReadinessTab(page, 'Go/no-go');
  });

  it('changing a gate changes the result at once, and the gate survives a reload', async () => {
    const { page } = app;
    await openReadinessTab(page, 'Gates');
    const validShare = page.getByLabel('Valid records in every extract, at least (%)');
    expect(await validShare.inputValue()).toBe('99');
    await validShare.fill('95');
    // the line above the gates counts the reasons at once: one fewer
    await page.getByTestId('decision-line').filter({ hasText: 'No-go: 11 reasons block go-live.' }).waitFor();
    await expect
      .poll(async () => (await reasonsNow(page)).some((r) => r.startsWith('patients.csv: only')))
      .toBe(false);
    // the repeated patient keys still fail the run, whatever the share
    expect((await listedReasons(page)).filter((r) => r.startsWith('patients.csv'))).toEqual([
      expect.stringMatching(/^patients\.csv: 16 findings across files/),
    ]);
    // the extract now passes its gate; the sample plans still block pre-launch
    await openReadinessTab(page, 'Phases');
    await phase(page, 'Pre-launch')
      .getByText('patients.csv: 95.2 % valid (4,762 of 5,000 records)')
      .waitFor();
    expect(await statusOf(page, 'Pre-launch')).toBe('Blocked');
    await openReadinessTab(page, 'Go/no-go');
    await decision(page)
      .getByText(/^Gates in effect: extracts ≥ 95 % valid; /)
      .waitFor();

    // a stricter go-live limit: intake's physicians at 56.2 % in go-live week now block
    await decision(page).getByRole('link', { name: 'Change the gates' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('readiness-gates');
    await page.getByLabel('Busiest role in go-live week, at most (% busy)').fill('50');
    await openReadinessTab(page, 'Phases');
    await phase(page, 'Go-live').locator('.badge', { hasText: 'Blocked' }).waitFor();
    await openReadinessTab(page, 'Go/no-go');
    await whyNoGo(page).filter({ hasText: 'Physician 56.2 % busy; the gate is 50 %' }).waitFor();

    await openReadinessTab(page, 'Gates');
    await waitForSaved(page);
    await page.reload();
    await page.getByTestId('decision-line').filter({ hasText: 'No-go' }).waitFor();
    expect(await page.getByLabel('Valid records in every extract, at least (%)').inputValue()).toBe('95');
    expect(await page.getByLabel('Busiest role in go-live week, at most (% busy)').inputValue()).toBe('50');
    await openReadinessTab(page, 'Phases');
    expect(await statusOf(page, 'Go-live')).toBe('Blocked');
    await openReadinessTab(page, 'Go/no-go');
  });

  it('a reason links to the place to act', async () => {
    const { page } = app;
    await whyNoGo(page)
      .filter({ hasText: 'no sample drawn' })
      .first()
      .getByRole('link', { name: 'Go to Sign-off' })
      .click();
    await page.getByRole('heading', { level: 2, name: 'Sign-off' }).waitFor();
    expect(placeHash(page)).toBe('#/signoff');
    await page
      .getByRole('navigation', { name: 'Workspaces' })
      .getByRole('link', { name: 'Readiness' })
      .click();
    await decision(page).waitFor();
    // a reason acted on here leads to its tab, focus on what it names
    await whyNoGo(page)
      .filter({ hasText: 'Safety self-assessment: Results acknowledgement is not in place' })
      .getByRole('link', { name: 'Go to Downtime and safety' })
      .click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('safety-title');
    expect(placeHash(page)).toBe('#/readiness/safety');
    await page.goBack();
    await decision(page).waitFor();
  });

  it('training by role and go-live support are recorded, judged at once, kept, and gated in the CLI', async () => {
    const { page } = app;
    await openReadinessTab(page, 'Training and support');
    const training = await openRole(page, 'Front desk');
    await training.getByLabel('Staff in Front desk').fill('6');
    await training.getByLabel('Trained in Front desk').fill('4');
    await training.getByLabel('Sessions planned for Front desk').fill('3');
    await training.getByLabel('Sessions delivered for Front desk').fill('2');
    await training
      .getByLabel('Super-users of Front desk (names, separated by commas)')
      .fill('Ana Ruiz, Tom Hale');
    // once training is recorded, a changed role without it blocks, as does a share under the gate
    await openReadinessTab(page, 'Phases');
    await phase(page, 'Training').locator('.badge', { hasText: 'Blocked' }).waitFor();
    await phase(page, 'Training')
      .getByText(
        'Front desk: 4 of 6 staff trained (66.6 %), 2 of 3 sessions delivered; super-users: Ana Ruiz and Tom Hale.',
      )
      .waitFor();
    await openReadinessTab(page, 'Go/no-go');
    await whyNoGo(page)
      .filter({ hasText: 'Front desk: only 66.6 % of staff trained (2 still to train); the gate is 90 %.' })
      .waitFor();
    await whyNoGo(page)
      .filter({ hasText: 'Physician: its work changes but no training is recorded for it' })
      .waitFor();
    // a figure that is not a whole number is said, and not saved
    await openReadinessTab(page, 'Training and support');
    await openRole(page, 'Front desk');
    await training.getByLabel('Trained in Front desk').fill('five');
    await training
      .getByText('Trained in Front desk: enter a whole number of 0 or more. Not saved yet.')
      .waitFor();
    await training.getByLabel('Trained in Front desk').fill('6');
    await expect
      .poll(async () => (await reasonsNow(page)).some((r) => r.startsWith('Front desk: only')))
      .toBe(false);
    // the clinic's gate for super-users and training share are among the gates in effect
    await decision(page)
      .getByText(
        /staff trained ≥ 90 % per role; a super-user per role required; at-the-elbow support ≥ 1 per area and shift; a rollback\/downtime plan required; downtime drill ≤ 90 days before go-live\. Change the gates$/,
      )
      .waitFor();

    await openReadinessTab(page, 'Training and support');
    await training.getByLabel('Area').fill('Front desk');
    await training.getByLabel('Shift').fill('Monday morning');
    await training.getByLabel('Supporters').fill('0');
    await training.getByRole('button', { name: 'Add the support shift' }).click();
    await openReadinessTab(page, 'Go/no-go');
    await whyNoGo(page)
      .filter({ hasText: 'Front desk, Monday morning: 0 supporters at the elbow; the gate is 1.' })
      .waitFor();
    await openReadinessTab(page, 'Training and support');
    await training.getByRole('button', { name: 'Remove Front desk, Monday morning' }).click();
    await training.getByLabel('Area').fill('Front desk');
    await training.getByLabel('Shift').fill('Monday morning');
    await training.getByLabel('Supporters').fill('2');
    await training.getByRole('button', { name: 'Add the support shift' }).click();
    await training
      .getByRole('list', { name: 'Support shifts' })
      .getByText('Front desk, Monday morning: 2 supporters')
      .waitFor();
    await openReadinessTab(page, 'Phases');
    await phase(page, 'Go-live')
      .getByText('At-the-elbow support in go-live week: Front desk, Monday morning: 2.')
      .waitFor();
    expect((await reasonsNow(page)).some((r) => r.includes('supporters at the elbow'))).toBe(false);

    // one role open at a time: opening another folds the first into one line saying where it stands
    await openReadinessTab(page, 'Training and support');
    await openRole(page, 'Front desk');
    await openRole(page, 'Physician');
    expect(await training.getByLabel('Staff in Front desk').count()).toBe(0);
    await training
      .getByRole('button', { name: /^Front desk/ })
      .getByText('6 of 6 trained · sessions 2 of 3 delivered · 2 super-users')
      .waitFor();
    expect(await training.getByRole('button', { name: /^Physician/ }).getAttribute('aria-expanded')).toBe(
      'true',
    );

    await waitForSaved(page);
    await page.reload();
    await page.getByTestId('decision-line').filter({ hasText: 'No-go' }).waitFor();
    await openRole(page, 'Front desk');
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
    expect(await reasonsNow(page)).toEqual(
      (() => {
        const parsed = parseProjectFile(readFileSync(file, 'utf8'));
        if (!parsed.ok) throw new Error('the exported project does not load');
        return assessReadiness(parsed.value.project).reasons.map((r) => r.text);
      })(),
    );
    expect(await axeViolations(page)).toEqual([]);
  });

  it('the rollback/downtime plan is marked, judged against the clinic’s drill gate, kept, and gated in the CLI', async () => {
    const { page } = app;
    await openReadinessTab(page, 'Downtime and safety');
    const plan = page.getByTestId('rollback-plan');
    await plan.getByText('Not recorded yet: the go-live stays at risk until it is.').waitFor();
    const absent =
      'There is no rollback/downtime plan: write one (who decides, triggers, downtime procedures, a drill) and mark it present on the Readiness screen.';
    const downtimeEvidence = page.getByRole('list', { name: 'Downtime procedures evidence' });
    expect(await downtimeEvidence.count()).toBe(0);
    await plan.getByRole('radio', { name: 'No plan yet' }).check();
    // the safety item "Downtime procedures", on the same tab, is pre-filled from the plan
    await downtimeEvidence
      .getByText(
        'The rollback/downtime plan is marked absent: no downtime procedure is written down or practised.',
      )
      .waitFor();
    await openReadinessTab(page, 'Go/no-go');
    await whyNoGo(page).filter({ hasText: absent }).waitFor();

    await openReadinessTab(page, 'Downtime and safety');
    await plan.getByRole('radio', { name: 'Yes, a plan is in place' }).check();
    await openReadinessTab(page, 'Go/no-go');
    await whyNoGo(page)
      .filter({
        hasText:
          'The rollback/downtime plan lacks who decides to roll back, the triggers, paper forms ready, read-only access to the old system, downtime reports printed, the day of the last downtime drill and where the plan is kept.',
      })
      .waitFor();
    expect((await listedReasons(page)).includes(absent)).toBe(false);
    await openReadinessTab(page, 'Downtime and safety');
    await plan.getByLabel('Who decides to roll back (role or name)').fill('Clinical lead on call');
    await plan.getByLabel('What triggers a rollback').fill('Check-in down for more than 30 minutes');
    await plan
      .getByLabel('Where the plan is kept (binder, shared folder…)')
      .fill('Go-live binder, front desk');
    await plan.getByLabel('Paper forms printed and at hand').check();
    await plan.getByLabel('Read-only access to the old system kept').check();
    await plan
      .getByRole('status')
      .filter({
        hasText: 'Still to write down: downtime reports printed; the day of the last downtime drill.',
      })
      .waitFor();
    await plan.getByLabel('Downtime reports printed').check();
    await plan.getByLabel('Last downtime drill').fill('2026-08-01');
    await plan.getByLabel('Planned go-live day').fill('2026-12-01');
    await plan
      .getByRole('status')
      .filter({ hasText: 'Every essential of the plan is written down.' })
      .waitFor();
    // drilled 122 days before go-live: over the default gate of 90 days
    const stale =
      'The last downtime drill was 122 days before go-live; the gate is 90 days. Rehearse the downtime procedures again before go-live.';
    await downtimeEvidence
      .getByText(
        'The rollback/downtime plan is present but lacks a downtime drill at most 90 days before go-live (the last was 122 days before).',
      )
      .waitFor();
    await openReadinessTab(page, 'Go/no-go');
    await whyNoGo(page).filter({ hasText: stale }).waitFor();
    expect((await listedReasons(page)).some((r) => r.startsWith('The rollback/downtime plan lacks'))).toBe(
      false,
    );
    // the clinic allows a drill up to 150 days before go-live
    await openReadinessTab(page, 'Gates');
    await page.getByLabel('Last downtime drill before go-live, at most (days)').fill('150');
    await expect.poll(async () => (await reasonsNow(page)).includes(stale)).toBe(false);
    const evidence =
      'Rollback/downtime plan: present, kept at Go-live binder, front desk; Clinical lead on call decides to roll back; downtime procedures: paper forms ready, read-only access to the old system and downtime reports printed; last drill 2026-08-01, go-live 2026-12-01.';
    await openReadinessTab(page, 'Phases');
    await phase(page, 'Go-live').getByText(evidence).waitFor();
    await openReadinessTab(page, 'Downtime and safety');
    await downtimeEvidence
      .getByText(
        'The rollback/downtime plan has paper forms ready, read-only access to the old system and downtime reports printed; the last downtime drill was 122 days before go-live (the gate is 150 days).',
      )
      .waitFor();
    const downtimeItem = page.locator('li.safety-item', {
      has: page.getByRole('heading', { name: 'Downtime procedures' }),
    });
    // the form follows the evidence as the plan changes on the same screen
    expect(await downtimeItem.getByRole('radio', { name: 'Fully in place' }).isChecked()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    if (SHOT_DIR) await plan.screenshot({ path: join(SHOT_DIR, 'readiness-1440-rollback.png') });
    if (SHOT_DIR)
      await downtimeItem.screenshot({ path: join(SHOT_DIR, 'readiness-1440-downtime-safety.png') });

    await waitForSaved(page);
    await page.reload();
    await page.getByTestId('decision-line').filter({ hasText: 'No-go' }).waitFor();
    expect(await plan.getByRole('radio', { name: 'Yes, a plan is in place' }).isChecked()).toBe(true);
    expect(await plan.getByLabel('Who decides to roll back (role or name)').inputValue()).toBe(
      'Clinical lead on call',
    );
    expect(await plan.getByLabel('Last downtime drill').inputValue()).toBe('2026-08-01');
    expect(await plan.getByLabel('Downtime reports printed').isChecked()).toBe(true);
    await openReadinessTab(page, 'Gates');
    expect(await page.getByLabel('Last downtime drill before go-live, at most (days)').inputValue()).toBe(
      '150',
    );

    // the evidence pack names the plan with its hash
    await openReadinessTab(page, 'Go/no-go');
    await decision(page).getByRole('link', { name: 'Open the evidence pack' }).click();
    await page
      .getByRole('table', { name: 'Artefacts judged (Go-live)' })
      .getByRole('row', { name: /Rollback plan/ })
      .getByText(
        'Rollback/downtime plan (present, kept at Go-live binder, front desk, last drill 2026-08-01)',
      )
      .waitFor();
    expect(placeHash(page)).toBe('#/readiness/pack');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('pack-title');
    await page.goBack();
    await decision(page).waitFor();
    await openReadinessTab(page, 'Downtime and safety');

    // exported, the CLI prints the same evidence and, with the plan marked absent, the same reason, exit 1
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export' }).click();
    const file = join(profile, 'rollback.preflight.json');
    await (await downloading).saveAs(file);
    const judged = await runCli(['readiness', file], profile);
    expect(judged.code).toBe(1);
    expect(judged.out).toContain(`\n  ${evidence}`);
    expect(judged.out).toContain('downtime drill ≤ 150 days before go-live');
    await plan.getByRole('radio', { name: 'No plan yet' }).check();
    await downtimeEvidence
      .getByText(
        'The rollback/downtime plan is marked absent: no downtime procedure is written down or practised.',
      )
      .waitFor();
    await page.getByTestId('decision-line').filter({ hasText: 'No-go' }).waitFor();
    expect(await reasonsNow(page)).toContain(absent);
    await waitForSaved(page);
    const again = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export' }).click();
    const absentFile = join(profile, 'no-rollback.preflight.json');
    await (await again).saveAs(absentFile);
    const refused = await runCli(['readiness', absentFile], profile);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(`\n  - [go-live] ${absent}`);
    expect(refused.out).toContain(
      '\n  - [go-live] Safety self-assessment: Downtime procedures is not in place (no owner named). Pre-filled from the project’s evidence.',
    );
  });

  it('a pack downloaded from the app is checked in the app: verified as made; a changed one names each field', async () => {
    const { page } = app;
    await openReadinessTab(page, 'Evidence pack');
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download the evidence pack (JSON)' }).click();
    const made = join(profile, 'demo-pack.json');
    await (await downloading).saveAs(made);
    const chooser = page.getByLabel('Evidence pack to check (JSON)');
    const verdict = page.getByTestId('pack-verdict');

    await chooser.setInputFiles(made);
    await verdict.getByText('demo-pack.json: Verified.').waitFor();
    // made from the open project: its artefacts were compared with the project as it is now
    await verdict.getByText('What was checked').click();
    await verdict
      .getByRole('list', { name: 'What was checked' })
      .getByText(/^project: \d+ artefact\(s\) hash as the pack states$/)
      .waitFor();
    expect(await verdict.getByRole('list', { name: 'What does not match' }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    // configuration's status set to ready by hand, the pack's seal left as it was
    const pack = JSON.parse(readFileSync(made, 'utf8')) as EvidencePack;
    const configuration = pack.phases.findIndex((p) => p.id === 'configuration');
    const changed = pack.phases[configuration];
    if (!changed) throw new Error('the pack has a configuration phase');
    changed.status = 'ready';
    const tampered = join(profile, 'demo-pack-changed.json');
    writeFileSync(tampered, JSON.stringify(pack, null, 2));
    await chooser.setInputFiles(tampered);
    await verdict.getByText('demo-pack-changed.json: Changed after it was made.').waitFor();
    const mismatches = await verdict
      .getByRole('list', { name: 'What does not match' })
      .getByRole('listitem')
      .allInnerTexts();
    expect(mismatches).toEqual([
      'phases: was changed after the pack was made',
      `phases[${configuration}].status: the configuration status differs from the readiness result`,
    ]);
    // the CLI's verifier names the very same fields
    const cli = await runCli(['readiness', 'verify-pack', tampered, '--json'], profile);
    expect(cli.code).toBe(1);
    expect((JSON.parse(cli.out) as { problems: { field: string }[] }).problems.map((p) => p.field)).toEqual([
      'phases',
      `phases[${configuration}].status`,
    ]);
    expect(await axeViolations(page)).toEqual([]);
    if (SHOT_DIR)
      await page.locator('.pack-verify').screenshot({ path: join(SHOT_DIR, 'readiness-1440-verify.png') });

    // a file that is not JSON is said so, with where
    const broken = join(profile, 'not-a-pack.json');
    writeFileSync(broken, '{\n  "format": nope\n}');
    await chooser.setInputFiles(broken);
    await verdict
      .getByText(/^“not-a-pack\.json” cannot be checked: not valid JSON: .+ at line 2, column 13\.$/)
      .waitFor();
  });

  it('role owners are recorded under the phases, judged at once, clean at 1440 and 390 px, and kept', async () => {
    const { page } = app;
    await openReadinessTab(page, 'Phases');
    const discovery = phase(page, 'Discovery');
    // the planted risk: two roles nobody was asked about, with the way to the place to record them
    const unowned = discovery
      .getByRole('list', { name: 'Discovery risks' })
      .getByRole('listitem')
      .filter({ hasText: 'No owner is named for Reference lab and Billing' });
    await unowned.getByRole('link', { name: 'Record the role owners' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('role-owners');
    const owners = page.getByTestId('role-owners');
    expect(await owners.getByLabel('Owner of Front desk').inputValue()).toBe('Ana Ruiz');
    await discovery
      .getByText('6 of 8 roles in the workflows have a named owner; 4 have stakeholders recorded.')
      .waitFor();
    await owners.getByLabel('Owner of Reference lab').fill('Omar Sy');
    await owners
      .getByLabel('Stakeholders of Reference lab (names, separated by commas)')
      .fill('Lena Voss, Ted Brink');
    // judged as it is typed: one role left without an owner
    await discovery.getByText(/^No owner is named for Billing: record who speaks/).waitFor();
    await discovery
      .getByText('Reference lab: owner Omar Sy; stakeholders Lena Voss and Ted Brink.')
      .waitFor();
    await owners.getByLabel('Owner of Billing').fill('Priya Nair');
    await discovery
      .getByText('8 of 8 roles in the workflows have a named owner; 5 have stakeholders recorded.')
      .waitFor();
    expect(await discovery.getByText(/^No owner is named/).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    if (SHOT_DIR) await owners.screenshot({ path: join(SHOT_DIR, 'readiness-1440-owners.png') });
    const phone = VIEWPORTS.find((v) => v.name === 'phone');
    if (!phone) throw new Error('no phone viewport');
    await page.setViewportSize({ width: phone.width, height: phone.height });
    await owners.getByLabel('Owner of Billing').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.width);
    if (SHOT_DIR) await owners.screenshot({ path: join(SHOT_DIR, 'readiness-390-owners.png') });
    await page.setViewportSize({ width: 1440, height: 1200 });

    await waitForSaved(page);
    await page.reload();
    await discovery
      .getByText('8 of 8 roles in the workflows have a named owner; 5 have stakeholders recorded.')
      .waitFor();
    expect(await owners.getByLabel('Owner of Billing').inputValue()).toBe('Priya Nair');
    expect(
      await owners.getByLabel('Stakeholders of Reference lab (names, separated by commas)').inputValue(),
    ).toBe('Lena Voss, Ted Brink');
  });

  it('a role renamed in the workflows keeps its training record', async () => {
    const { page } = app;
    await openReadinessTab(page, 'Training and support');
    const training = await openRole(page, 'Nurse');
    await training.getByLabel('Staff in Nurse').fill('4');
    await training.getByLabel('Super-users of Nurse (names, separated by commas)').fill('Kim Lee');
    await waitForSaved(page);
    // the lane is renamed in today's workflow, then in the planned one, in the editor. The editor
    // fills the window, and on a 900 px window the Nurse lane's name lies below the part of the
    // diagram shown; a window tall enough shows it, as a user clicks only what is on screen (a
    // click on a name out of view would scroll the diagram's own box, which the diagram undoes)
    const before = page.viewportSize();
    await page.setViewportSize({ width: 1440, height: 1200 });
    for (const workflow of ['lab-results-current', 'lab-results-future']) {
      await page.evaluate((id) => {
        window.location.hash = `#/workflows/workflow/${id}`;
      }, workflow);
      await page.getByRole('region', { name: 'Workflow diagram' }).waitFor();
      const lane = page.getByRole('button', { name: /^Nurse\s*, \d+ on shift$/ });
      await lane.waitFor();
      const [box, shown] = await Promise.all([
        lane.boundingBox(),
        page.getByRole('region', { name: 'Workflow diagram' }).locator('.react-flow').boundingBox(),
      ]);
      expect(box && shown && box.y >= shown.y && box.y + box.height <= shown.y + shown.height).toBe(true);
      await lane.click();
      await page
        .getByRole('region', { name: 'Lane: Nurse' })
        .getByLabel('Role name')
        .fill('Registered nurse');
      await page.getByRole('button', { name: /^Registered nurse\s*, \d+ on shift$/ }).waitFor();
      await waitForSaved(page);
    }
    if (before) await page.setViewportSize(before);
    await page.evaluate(() => {
      window.location.hash = '#/readiness/training';
    });
    await openRole(page, 'Registered nurse');
    expect(await training.getByLabel('Staff in Registered nurse').inputValue()).toBe('4');
    expect(
      await training.getByLabel('Super-users of Registered nurse (names, separated by commas)').inputValue(),
    ).toBe('Kim Lee');
    // no orphan left under the old name
    expect(await training.getByRole('button', { name: /^Nurse\b/ }).count()).toBe(0);
    // the role's owner goes with it too
    await openReadinessTab(page, 'Phases');
    const owners = page.getByTestId('role-owners');
    expect(await owners.getByLabel('Owner of Registered nurse').inputValue()).toBe('Grace Lin');
    expect(await owners.getByLabel('Owner of Nurse', { exact: true }).count()).toBe(0);
  });

  it('has no axe violations on a phone and nothing printed to the console', async () => {
    const { page } = app;
    const phone = VIEWPORTS.find((v) => v.name === 'phone');
    if (!phone) throw new Error('no phone viewport');
    await page.setViewportSize({ width: phone.width, height: phone.height });
    await openReadinessTab(page, 'Go/no-go');
    await decision(page).getByRole('heading', { name: 'Decision: No-go' }).waitFor();
    // every tab: no axe violation, nothing wider than the screen
    for (const name of READINESS_TAB_NAMES) {
      await openReadinessTab(page, name);
      expect(await axeViolations(page)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        phone.width,
      );
      await shoot(page, `readiness-390-${name.replace(/\W+/g, '-').toLowerCase()}.png`);
    }
    if (SHOT_DIR) {
      await openReadinessTab(page, 'Gates');
      await page.locator('.gates').screenshot({ path: join(SHOT_DIR, 'readiness-390-gates.png') });
      await openReadinessTab(page, 'Phases');
      await phase(page, 'Pre-launch').screenshot({ path: join(SHOT_DIR, 'readiness-390-prelaunch.png') });
    }
    expect(app.console).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});
