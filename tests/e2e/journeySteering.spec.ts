/**
 * The steering committee's journey in Chromium: the demo clinic's go/no-go with its reasons, each
 * tab at its own address, gates, training, rollback and owners recorded and judged at once and
 * gated in the CLI, the evidence pack checked in the app, the safety self-assessment, and a no-go
 * decision signed with WebAuthn that goes stale when the evidence changes. Both parts work in one
 * page of one context (the second imports the demo file again: a copy, a project of its own), so
 * the app is loaded once; axe runs once on each tab's panel, on a phone, and on the signed decision
 * (the page around them passes axe in layout.spec.ts).
 * What one panel's form does (a gate's entry, a training figure, the rollback plan's essentials,
 * role owners) is proven by the component tests beside it (src/app/readiness/*.test.tsx).
 */

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cliTestKit.ts';
import { canonicalSha256Hex } from '../../src/core/hash/index.ts';
import { assessReadiness, type EvidencePack, packSeal } from '../../src/core/readiness/index.ts';
import { parseProjectFile } from '../../src/formats/project.ts';
import { axeRegionViolations } from './axeRegion.ts';
import { baseUrl, openApp, placeHash, VIEWPORTS, type Watched, waitForSaved } from './browser.ts';
import { pdfPages } from './printedPdf.ts';
import { openReadinessTab, READINESS_TAB_NAMES, readinessTab } from './readinessTabs.ts';
import { closeFileBrowser, freshContext } from './signoffBrowser.ts';

/** WebAuthn needs a domain, not an IP address: the app is opened at `localhost`. */
const localhost = (): string => baseUrl().replace('127.0.0.1', 'localhost');

/** The file's one context and page, with a virtual WebAuthn authenticator (Chromium DevTools). */
const shared = {} as {
  profile: string;
  context: BrowserContext;
  app: Watched;
  cdp: CDPSession;
  authenticatorId: string;
};

beforeAll(async () => {
  shared.profile = mkdtempSync(join(tmpdir(), 'preflight-steering-'));
  shared.context = await freshContext();
  shared.app = await openApp(shared.context, '', localhost());
  await shared.app.page.setViewportSize({ width: 1440, height: 900 });
  shared.cdp = await shared.context.newCDPSession(shared.app.page);
  await shared.cdp.send('WebAuthn.enable');
  const added = await shared.cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  shared.authenticatorId = added.authenticatorId;
  await waitForSaved(shared.app.page);
});

afterAll(async () => {
  await shared.context?.close().catch(() => {});
  if (shared.profile) rmSync(shared.profile, { recursive: true, force: true });
});

/**
 * Journey: a steering committee reads the demo clinic's readiness. The demo project file (the one
 * `preflight readiness` judges in a pipeline) is imported; the screen opens on the go/no-go with
 * the very reasons the core gives for the file; each tab has its own address, kept by Back, Forward
 * and a reload; a gate changed on its tab changes the result at once, and the change survives a
 * reload; the links lead to the place to act; training, rollback plan and owners are judged at once,
 * kept and gated in the CLI; axe is clean on the go/no-go at 1440 px and on every tab at 390 px,
 * none wider than the phone. (A lane renamed in the workflows carrying its role's training and owner
 * is the core's rule: src/core/project/roleRename.test.ts.)
 */
describe('readiness of the demo clinic', () => {
  /** Set SHOT_DIR to keep screenshots of the Readiness screen (1440 and 390 px). */
  const SHOT_DIR = process.env.SHOT_DIR;

  const DEMO_FILE = join(import.meta.dirname, '../../samples/projects/demo-clinic.preflight.json');

  let profile: string;
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
  const whyNoGo = (page: Page) =>
    decision(page).getByRole('list', { name: 'Why no-go' }).getByRole('listitem');
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

  beforeAll(() => {
    ({ profile, app } = shared);
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
        (
          await decision(page)
            .getByRole('list', { name: 'Status per phase' })
            .getByRole('listitem')
            .allInnerTexts()
        ).map((text) => text.split('\n').slice(0, 2).join(': ')),
      ).toEqual([
        'Discovery: ▲ At risk',
        'Configuration: ✖ Blocked',
        'Training: ✓ Ready',
        'Pre-launch: ✖ Blocked',
        'Go-live: ✖ Blocked',
      ]);
      // the decision's region: the go/no-go page around it passes axe at both widths in layout.spec.ts
      expect(await axeRegionViolations(decision(page))).toEqual([]);
      await shoot(page, 'readiness-1440.png');
      await decision(page).getByRole('link', { name: 'See the evidence per phase' }).click();
      await page.getByRole('heading', { level: 3, name: 'Phases' }).waitFor();
      expect(placeHash(page)).toBe('#/readiness/phases');
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('phases-title');
      expect(await statusOf(page, 'Configuration')).toBe('Blocked');
      expect(await statusOf(page, 'Pre-launch')).toBe('Blocked');
      // the safety self-assessment: two practices pre-filled "not implemented" from evidence, four not assessed
      expect(await statusOf(page, 'Go-live')).toBe('Blocked');
      // the tabs other than the go/no-go say it in one line, with the way back to the reasons
      await page
        .getByTestId('decision-line')
        .filter({ hasText: 'No-go: 15 reasons block go-live.' })
        .waitFor();
      await shoot(page, 'readiness-1440-phases.png');
    });

    it('each tab has its own address: Back, Forward, a reload and the arrow keys keep to it', async () => {
      const { page } = app;
      // every tab's address and title are read on a phone below, where each tab is opened
      for (const [name, hash] of [
        ['Gates', '#/readiness/gates'],
        ['Steering decision', '#/readiness/steering'],
        ['Evidence pack', '#/readiness/pack'],
      ] as const) {
        await openReadinessTab(page, name);
        expect(placeHash(page)).toBe(hash);
      }
      const evidencePack = page.getByRole('heading', {
        level: 2,
        name: 'Go-live evidence pack: Demo clinic',
      });
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
      // each part of the former long page is on the tab that holds it: src/app/demo/demoReadiness.test.tsx
      await openReadinessTab(page, 'Go/no-go');
    });

    it('changing a gate changes the result at once', async () => {
      const { page } = app;
      await openReadinessTab(page, 'Gates');
      const validShare = page.getByLabel('Valid records in every extract, at least (%)');
      expect(await validShare.inputValue()).toBe('99');
      await validShare.fill('95');
      // the line above the gates counts the reasons at once: one fewer
      await page
        .getByTestId('decision-line')
        .filter({ hasText: 'No-go: 14 reasons block go-live.' })
        .waitFor();
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
        .filter({
          hasText:
            'Safety self-assessment: Results acknowledgement (Test Results Reporting and Follow-Up) is not implemented',
        })
        .getByRole('link', { name: 'Go to Downtime and safety' })
        .click();
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('safety-title');
      expect(placeHash(page)).toBe('#/readiness/safety');
      await page.goBack();
      await decision(page).waitFor();
    });

    it('training by role and go-live support are recorded, judged at once, and gated in the CLI', async () => {
      const { page } = app;
      await openReadinessTab(page, 'Training and support');
      const training = await openRole(page, 'Front desk');
      // the demo's record: every role whose work changes trained, Training the one phase ready
      expect(await training.getByLabel('Staff in Front desk').inputValue()).toBe('6');
      expect(await training.getByLabel('Trained in Front desk').inputValue()).toBe('6');
      // never more proficient than trained: the check's count goes down first
      await training.getByLabel('Passed the proficiency check in Front desk').fill('4');
      await training.getByLabel('Trained in Front desk').fill('4');
      await training.getByLabel('Sessions delivered for Front desk').fill('2');
      await training
        .getByLabel('Super-users of Front desk (names, separated by commas)')
        .fill('Ana Ruiz, Tom Hale');
      // a share under the gate blocks at once
      await openReadinessTab(page, 'Phases');
      await phase(page, 'Training').locator('.badge', { hasText: 'Blocked' }).waitFor();
      await phase(page, 'Training')
        .getByText(
          'Front desk: 4 of 6 staff trained (66.6 %), 2 of 3 sessions delivered, 4 of 4 trained passed the proficiency check; super-users: Ana Ruiz and Tom Hale.',
        )
        .waitFor();
      await openReadinessTab(page, 'Go/no-go');
      await whyNoGo(page)
        .filter({ hasText: 'Front desk: only 66.6 % of staff trained (2 still to train); the gate is 90 %.' })
        .waitFor();
      await openReadinessTab(page, 'Training and support');
      await openRole(page, 'Front desk');
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

      // a shift added is judged at once; one under the gate's supporters is a reason of the core's
      // (src/core/readiness/readiness.test.ts), adding and removing a shift TrainingPanel.test.tsx's
      await openReadinessTab(page, 'Training and support');
      await training.getByLabel('Area', { exact: true }).fill('Front desk');
      await training.getByLabel('Shift', { exact: true }).fill('Monday morning');
      await training.getByLabel('Supporters', { exact: true }).fill('2');
      await training.getByRole('button', { name: 'Add the support shift' }).click();
      await training
        .getByRole('list', { name: 'Support shifts' })
        .getByText('Front desk, Monday morning: 2 supporters')
        .waitFor();
      await openReadinessTab(page, 'Phases');
      await phase(page, 'Go-live')
        .getByText(/^At-the-elbow support in go-live week: .*; Front desk, Monday morning: 2\.$/)
        .waitFor();
      expect((await reasonsNow(page)).some((r) => r.includes('supporters at the elbow'))).toBe(false);

      await openReadinessTab(page, 'Training and support');
      if (SHOT_DIR) await training.screenshot({ path: join(SHOT_DIR, 'readiness-1440-training.png') });

      // the exported project gives the same reasons in the CLI gate, exit 1
      const downloading = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Export' }).click();
      const file = join(profile, 'trained.preflight.json');
      await (await downloading).saveAs(file);
      const judged = await runCli(['readiness', file], profile);
      expect(judged.code).toBe(1);
      expect(judged.out).toContain(
        '\n  - [training] Front desk: 1 of 3 training sessions not delivered yet.\n',
      );
      expect(judged.out).toContain(
        '\n  Front desk: 6 of 6 staff trained (100 %), 2 of 3 sessions delivered, 4 of 6 trained passed the proficiency check; super-users: Ana Ruiz and Tom Hale.\n',
      );
      // attendance is not proficiency: two trained staff still to pass the check, a risk
      expect(judged.out).toContain(
        '\n  - [training] Front desk: 2 of 6 trained staff have not passed the proficiency check yet.\n',
      );
      expect(judged.out).toMatch(
        /\n {2}At-the-elbow support in go-live week: Front desk, Mon 29 July, morning: 2; .*; Front desk, Monday morning: 2\.\n/,
      );
      expect(await reasonsNow(page)).toEqual(
        (() => {
          const parsed = parseProjectFile(readFileSync(file, 'utf8'));
          if (!parsed.ok) throw new Error('the exported project does not load');
          return assessReadiness(parsed.value.project).reasons.map((r) => r.text);
        })(),
      );
    });

    it('the rollback/downtime plan is marked, judged against the clinic’s drill gate, and gated in the CLI', async () => {
      const { page } = app;
      await openReadinessTab(page, 'Downtime and safety');
      const plan = page.getByTestId('rollback-plan');
      // the demo's plan: written and drilled, its downtime reports not printed yet
      expect(await plan.getByRole('radio', { name: 'Yes, a plan is in place' }).isChecked()).toBe(true);
      expect(await plan.getByLabel('Downtime reports printed').isChecked()).toBe(false);
      const lacking =
        'The rollback/downtime plan lacks downtime reports printed. Complete it on the Readiness screen.';
      const absent =
        'There is no rollback/downtime plan: write one (who decides, triggers, downtime procedures, a drill) and mark it present on the Readiness screen.';
      const downtimeEvidence = page.getByRole('list', { name: 'Downtime procedures evidence' });
      await downtimeEvidence
        .getByText('The rollback/downtime plan is present but lacks downtime reports printed.')
        .waitFor();
      await openReadinessTab(page, 'Go/no-go');
      await whyNoGo(page).filter({ hasText: lacking }).waitFor();
      await openReadinessTab(page, 'Downtime and safety');
      await plan.getByRole('radio', { name: 'No plan yet' }).check();
      // the safety item "Downtime procedures", on the same tab, is pre-filled from the plan
      await downtimeEvidence
        .getByText(
          'The rollback/downtime plan is marked absent: no downtime procedure is written down or practised.',
        )
        .waitFor();
      await openReadinessTab(page, 'Go/no-go');
      await whyNoGo(page).filter({ hasText: absent }).waitFor();

      // marked present again, the plan's essentials are as they were: RollbackPanel.test.tsx
      await openReadinessTab(page, 'Downtime and safety');
      await plan.getByRole('radio', { name: 'Yes, a plan is in place' }).check();
      await plan.getByLabel('Who decides to roll back (role or name)').fill('Clinical lead on call');
      await plan.getByLabel('What triggers a rollback').fill('Check-in down for more than 30 minutes');
      await plan
        .getByLabel('Where the plan is kept (binder, shared folder…)')
        .fill('Go-live binder, front desk');
      await plan.getByLabel('Paper forms printed and at hand').check();
      await plan.getByLabel('Read-only access to the old system kept').check();
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
      // the rating follows the evidence as the plan changes on the same screen
      expect(await downtimeItem.locator('.badge').first().textContent()).toBe('Fully implemented');
      if (SHOT_DIR) await plan.screenshot({ path: join(SHOT_DIR, 'readiness-1440-rollback.png') });
      if (SHOT_DIR)
        await downtimeItem.screenshot({ path: join(SHOT_DIR, 'readiness-1440-downtime-safety.png') });

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
      expect((JSON.parse(cli.out) as { problems: { field: string }[] }).problems.map((p) => p.field)).toEqual(
        ['phases', `phases[${configuration}].status`],
      );
      // the verdict's region: the page around it passed axe on the go/no-go above
      expect(await axeRegionViolations(page.locator('.pack-verify'))).toEqual([]);
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

    it('role owners are recorded under the phases and judged at once; everything recorded survives a reload', async () => {
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
      if (SHOT_DIR) await owners.screenshot({ path: join(SHOT_DIR, 'readiness-1440-owners.png') });

      await waitForSaved(page);
      await page.reload();
      await discovery
        .getByText('8 of 8 roles in the workflows have a named owner; 5 have stakeholders recorded.')
        .waitFor();
      expect(await owners.getByLabel('Owner of Billing').inputValue()).toBe('Priya Nair');
      expect(
        await owners.getByLabel('Stakeholders of Reference lab (names, separated by commas)').inputValue(),
      ).toBe('Lena Voss, Ted Brink');
      // the gates, the training, the support shift and the rollback plan were kept by the same reload
      await openReadinessTab(page, 'Gates');
      expect(await page.getByLabel('Valid records in every extract, at least (%)').inputValue()).toBe('95');
      expect(await page.getByLabel('Busiest role in go-live week, at most (% busy)').inputValue()).toBe('50');
      expect(await page.getByLabel('Last downtime drill before go-live, at most (days)').inputValue()).toBe(
        '150',
      );
      await openReadinessTab(page, 'Training and support');
      const training = await openRole(page, 'Front desk');
      expect(await training.getByLabel('Staff in Front desk').inputValue()).toBe('6');
      expect(
        await training.getByLabel('Super-users of Front desk (names, separated by commas)').inputValue(),
      ).toBe('Ana Ruiz, Tom Hale');
      await training
        .getByRole('list', { name: 'Support shifts' })
        .getByText('Front desk, Monday morning: 2 supporters')
        .waitFor();
      await openReadinessTab(page, 'Downtime and safety');
      const plan = page.getByTestId('rollback-plan');
      expect(await plan.getByRole('radio', { name: 'Yes, a plan is in place' }).isChecked()).toBe(true);
      expect(await plan.getByLabel('Who decides to roll back (role or name)').inputValue()).toBe(
        'Clinical lead on call',
      );
      expect(await plan.getByLabel('Last downtime drill').inputValue()).toBe('2026-08-01');
      expect(await plan.getByLabel('Downtime reports printed').isChecked()).toBe(true);
    });

    it('has no axe violations on a phone and nothing printed to the console', async () => {
      const { page } = app;
      const phone = VIEWPORTS.find((v) => v.name === 'phone');
      if (!phone) throw new Error('no phone viewport');
      await page.setViewportSize({ width: phone.width, height: phone.height });
      await openReadinessTab(page, 'Go/no-go');
      await decision(page).getByRole('heading', { name: 'Decision: No-go' }).waitFor();
      // every tab: no axe violation, nothing wider than the screen (the go/no-go page passes axe on
      // a phone in layout.spec.ts, the page around the tabs with it): axe on each other tab's
      // panel, the part that changes
      const hashes: string[] = [];
      for (const name of READINESS_TAB_NAMES) {
        await openReadinessTab(page, name);
        // each tab at its own address, named in the title
        hashes.push(placeHash(page));
        expect(await page.title()).toBe(
          name === 'Go/no-go'
            ? 'Readiness · Demo clinic · Preflight'
            : `${name} · Readiness · Demo clinic · Preflight`,
        );
        if (name !== 'Go/no-go')
          expect(
            await axeRegionViolations(page.getByRole('tabpanel', { name, exact: true })),
            `the ${name} tab on a phone`,
          ).toEqual([]);
        expect(
          await page.evaluate(() => document.documentElement.scrollWidth),
          `the ${name} tab on a phone`,
        ).toBeLessThanOrEqual(phone.width);
        await shoot(page, `readiness-390-${name.replace(/\W+/g, '-').toLowerCase()}.png`);
      }
      expect(hashes).toEqual([
        '#/readiness',
        '#/readiness/phases',
        '#/readiness/training',
        '#/readiness/safety',
        '#/readiness/cutover',
        '#/readiness/gates',
        '#/readiness/steering',
        '#/readiness/pack',
      ]);
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
});

/**
 * Journey: a steering committee prepares its go/no-go on the demo clinic. The safety
 * self-assessment comes pre-filled from the project's evidence (results acknowledgement from the
 * lab workflow's open loop, interfaces from data re-keyed between systems); a manager assesses an
 * item and overrides another against the evidence (who and why), and both survive a reload. An
 * approver signs the decision with a virtual WebAuthn authenticator (Chromium DevTools protocol);
 * a later change of evidence marks it stale on screen, in the evidence pack and in the JSON
 * export. The pack prints to PDF through Chromium. axe is clean on the signed decision at 390 px
 * (every tab was checked on a phone above).
 *
 * WebAuthn needs a domain, not an IP address: the app is opened at `localhost`.
 */
describe('the steering committee on the demo clinic', () => {
  /** Set SHOT_DIR to keep screenshots (1440 and 390 px) and the printed pack's PDF. */
  const SHOT_DIR = process.env.SHOT_DIR;
  const DEMO_FILE = join(import.meta.dirname, '../../samples/projects/demo-clinic.preflight.json');

  let profile: string;
  let app: Watched;
  let cdp: CDPSession;
  let authenticatorId: string;

  const item = (page: Page, title: string) =>
    page
      .locator('li.safety-item')
      .filter({ has: page.getByRole('heading', { level: 5, name: title, exact: true }) });
  /** Opens the rating form of a practice (folded until asked for). */
  const rate = async (page: Page, title: string) => {
    const button = item(page, title).getByRole('button', { name: `Rate ${title}` });
    if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
    return item(page, title);
  };
  const badge = (page: Page, title: string) => item(page, title).locator('.badge').first();
  const steering = (page: Page) => page.getByTestId('steering-decision');

  async function shoot(page: Page, name: string, locator?: ReturnType<Page['locator']>) {
    if (!SHOT_DIR) return;
    mkdirSync(SHOT_DIR, { recursive: true });
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: 900 });
      if (locator) {
        await locator.scrollIntoViewIfNeeded();
        await locator.screenshot({ path: join(SHOT_DIR, `${name}-${width}.png`) });
      } else {
        await page.screenshot({ path: join(SHOT_DIR, `${name}-${width}.png`), fullPage: true });
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: join(SHOT_DIR, `${name}-${width}-top.png`) });
      }
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  }

  /** Exports the open project and runs `preflight readiness` on the file. */
  async function exportAndJudge(page: Page, name: string) {
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export' }).click();
    const file = join(profile, name);
    await (await downloading).saveAs(file);
    return runCli(['readiness', file], profile);
  }

  beforeAll(async () => {
    ({ profile, app, cdp, authenticatorId } = shared);
    await app.page.setViewportSize({ width: 1440, height: 900 });
  });

  describe('steering committee on the demo clinic', () => {
    it('the self-assessment is pre-filled from the demo’s evidence', async () => {
      const { page } = app;
      // the demo file again: a copy of its own, as the clinic already holds the first import
      await page.getByLabel('Import a project file').setInputFiles(DEMO_FILE);
      await page
        .getByRole('status')
        .filter({ hasText: /^Imported “Demo clinic \(imported \d{4}-\d{2}-\d{2}\)”/ })
        .waitFor();
      await page
        .getByRole('navigation', { name: 'Workspaces' })
        .getByRole('link', { name: 'Readiness' })
        .click();
      await openReadinessTab(page, 'Downtime and safety');
      expect(placeHash(page)).toBe('#/readiness/safety');
      await page.getByRole('heading', { name: 'Safety self-assessment' }).waitFor();

      expect(await badge(page, 'Results acknowledgement').textContent()).toBe('Not implemented');
      await item(page, 'Results acknowledgement')
        .getByText("Pre-filled from the project's evidence: not implemented, because", { exact: true })
        .waitFor();
      await item(page, 'Results acknowledgement')
        .getByRole('list', { name: 'Results acknowledgement evidence' })
        .getByText(
          /^“Lab orders and results — future \(CPOE and results interface\)” leaves an order's result unacknowledged/,
        )
        .waitFor();
      expect(await badge(page, 'Interfaces tested').textContent()).toBe('Not implemented');
      // pre-filled from the demo's rollback plan, which lacks its downtime reports
      expect(await badge(page, 'Downtime procedures').textContent()).toBe('Partially implemented');
      expect(await badge(page, 'Downtime announced and closed out').textContent()).toBe('Not assessed');
      await openReadinessTab(page, 'Go/no-go');
      const why = page.getByTestId('readiness-decision').getByRole('list', { name: 'Why no-go' });
      await why
        .getByText(
          /Results acknowledgement \(Test Results Reporting and Follow-Up\) is not implemented \(no owner named\)\. Pre-filled/,
        )
        .waitFor();
      await openReadinessTab(page, 'Downtime and safety');
    });

    it('a manager assesses one item and overrides another with who and why', async () => {
      const { page } = app;
      const downtime = await rate(page, 'Downtime announced and closed out');
      await downtime.getByRole('radio', { name: 'Fully in place in all areas' }).check();
      await downtime
        .getByLabel('Owner of Downtime announced and closed out')
        .fill('Rae Lindqvist, practice manager');
      await downtime
        .getByLabel('Note on Downtime announced and closed out')
        .fill('Announced on the call bridge; super-users enter the paper notes afterwards.');
      await downtime.getByLabel('Assessed by (your name)').fill('Rae Lindqvist');
      await downtime.getByRole('button', { name: 'Save Downtime announced and closed out' }).click();
      await badge(page, 'Downtime announced and closed out')
        .filter({ hasText: 'Fully implemented' })
        .waitFor();

      const results = await rate(page, 'Results acknowledgement');
      await results.getByRole('radio', { name: 'Partially in place in some areas' }).check();
      await results.getByLabel('Assessed by (your name)').fill('Dr Ines Moreau');
      await results.getByRole('button', { name: 'Save Results acknowledgement' }).click();
      // an override without a reason is not saved
      await results.getByRole('status').filter({ hasText: 'say why you differ before saving' }).waitFor();
      expect(await badge(page, 'Results acknowledgement').textContent()).toBe('Not implemented');
      await results
        .getByLabel('Why Results acknowledgement differs from the evidence')
        .fill('The lab phones abnormal results through until the results inbox is live.');
      await results.getByRole('button', { name: 'Save Results acknowledgement' }).click();
      await badge(page, 'Results acknowledgement').filter({ hasText: 'Partially implemented' }).waitFor();
      await results
        .getByTestId('safety-override')
        .filter({ hasText: 'by Dr Ines Moreau, against the evidence' })
        .waitFor();

      // an owner typed without pressing Save is kept too: only a status waits for Save
      await (await rate(page, 'Interfaces tested'))
        .getByLabel('Owner of Interfaces tested')
        .fill('Sam Okafor, IT lead');

      await shoot(page, 'safety', page.locator('section.safety'));
    });

    it('the assessment and the rationale survive a reload; an approver signs the no-go decision with WebAuthn; it is current', async () => {
      const { page } = app;
      await openReadinessTab(page, 'Steering decision');
      const panel = steering(page);
      expect(await panel.getByTestId('steering-state').textContent()).toBe('No decision recorded yet.');
      expect(await panel.getByRole('radio', { name: 'Do not go live yet' }).isChecked()).toBe(true);
      await panel
        .getByLabel('Rationale')
        .fill('Two safety items and the patients extract block go-live; decide again on 1 December.');
      // what is typed before signing is kept across a reload (one reload for this part)
      await waitForSaved(page);
      await page.reload();
      await panel.getByLabel('Rationale').waitFor();
      expect(await panel.getByLabel('Rationale').inputValue()).toBe(
        'Two safety items and the patients extract block go-live; decide again on 1 December.',
      );
      // so is the manager's assessment, the override with who and why, and an owner typed without Save
      await openReadinessTab(page, 'Downtime and safety');
      expect(
        await (await rate(page, 'Interfaces tested')).getByLabel('Owner of Interfaces tested').inputValue(),
      ).toBe('Sam Okafor, IT lead');
      expect(await badge(page, 'Interfaces tested').textContent()).toBe('Not implemented');
      expect(await badge(page, 'Downtime announced and closed out').textContent()).toBe('Fully implemented');
      expect(
        await (await rate(page, 'Downtime announced and closed out'))
          .getByLabel('Owner of Downtime announced and closed out')
          .inputValue(),
      ).toBe('Rae Lindqvist, practice manager');
      expect(await badge(page, 'Results acknowledgement').textContent()).toBe('Partially implemented');
      await item(page, 'Results acknowledgement')
        .getByTestId('safety-override')
        .filter({ hasText: '“The lab phones abnormal results through until the results inbox is live.”' })
        .waitFor();
      await openReadinessTab(page, 'Steering decision');
      await panel.getByLabel("Approver's full name").fill('Dr Ines Moreau');
      await panel.getByLabel("Approver's job title").fill('Medical director');
      await panel.getByLabel("Approver's staff number").fill('MD-1');
      await panel.getByRole('button', { name: 'Sign the decision' }).click();
      await panel
        .getByTestId('steering-status')
        .filter({
          hasText:
            /^Signed by Dr Ines Moreau on .*, with a key this device registered \(no data lead confirmed who holds it: keep a roster\)\. Saved\.$/,
        })
        .waitFor();
      await panel
        .getByTestId('steering-state')
        .filter({ hasText: /^No-go, decided .* · Current$/ })
        .waitFor();
      await panel
        .getByRole('list', { name: 'Decision signatures' })
        .getByText(
          /Dr Ines Moreau, Medical director \(MD-1\) signed on .* re-authenticated with WebAuthn \(identity not confirmed by an identity provider\)/,
        )
        .waitFor();
      // the assertion over the signature's hash verifies on the page, as the CLI checks it
      await panel.getByTestId('steering-signature-check').filter({ hasText: 'signature verifies' }).waitFor();
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      expect(credentials).toHaveLength(1);
      expect(credentials[0]?.signCount).toBeGreaterThanOrEqual(1);

      // a second approver signs the same wording: their signature joins the current decision
      await panel.getByText('Your signature is added to the current decision.').waitFor();
      await panel.getByLabel("Approver's full name").fill('Rae Lindqvist');
      await panel.getByLabel("Approver's job title").fill('Practice manager');
      await panel.getByLabel("Approver's staff number").fill('PM-3');
      await panel.getByRole('button', { name: 'Sign the decision' }).click();
      await panel
        .getByTestId('steering-status')
        .filter({ hasText: /^Signed by Rae Lindqvist on / })
        .waitFor();
      const signatures = panel.getByRole('list', { name: 'Decision signatures' }).getByRole('listitem');
      await expect.poll(() => signatures.count()).toBe(2);
      await expect
        .poll(() => panel.getByTestId('steering-signature-check').allTextContents())
        .toEqual(['signature verifies', 'signature verifies']);
      expect((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials).toHaveLength(2);
      // both signatures are in the project's one audit chain, which verifies
      await panel
        .getByTestId('steering-chain')
        .filter({
          hasText:
            /^Audit log: 2 entries, chain intact, 2 steering signatures recorded; head [0-9a-f]{64}\.$/,
        })
        .waitFor();
      // without a roster the typed names stand, and the panel says so
      await panel
        .getByTestId('steering-roster-note')
        .filter({ hasText: 'keeps no sign-off roster' })
        .waitFor();
      // signing the same decision twice adds nothing
      await panel.getByLabel("Approver's full name").fill('Dr Ines Moreau');
      await panel.getByLabel("Approver's job title").fill('Medical director');
      await panel.getByLabel("Approver's staff number").fill('MD-1');
      await panel.getByRole('button', { name: 'Sign the decision' }).click();
      await panel
        .getByTestId('steering-status')
        .filter({ hasText: 'Dr Ines Moreau has already signed this decision: the signature stands.' })
        .waitFor();
      expect(await signatures.count()).toBe(2);
      await panel
        .getByTestId('steering-state')
        .filter({ hasText: /· Current$/ })
        .waitFor();
      // the CLI computes the same readiness hash from the exported file: the decision is current there too
      await waitForSaved(page);
      const judged = await exportAndJudge(page, 'demo-decided.preflight.json');
      expect(judged.out).toContain(
        '\nSteering committee decision: NO-GO (current), signed by Dr Ines Moreau',
      );
      await shoot(page, 'steering-current', panel);
    });

    it('a change of evidence marks the decision stale on screen', async () => {
      const { page } = app;
      await openReadinessTab(page, 'Downtime and safety');
      const tests = await rate(page, 'Test patients removed');
      await tests.getByRole('radio', { name: 'Fully in place in all areas' }).check();
      await tests.getByLabel('Assessed by (your name)').fill('Rae Lindqvist');
      await tests.getByRole('button', { name: 'Save Test patients removed' }).click();
      await badge(page, 'Test patients removed').filter({ hasText: 'Fully implemented' }).waitFor();
      await openReadinessTab(page, 'Steering decision');
      await steering(page)
        .getByTestId('steering-state')
        .filter({ hasText: /· Stale$/ })
        .waitFor();
      await steering(page).getByText('The evidence changed after this decision was taken').waitFor();
      // the go/no-go says so too, and leads to the record on its tab
      await openReadinessTab(page, 'Go/no-go');
      const top = page.getByTestId('decision-steering');
      await top.filter({ hasText: /no-go, decided .* — stale: the evidence changed since/ }).waitFor();
      await top.getByRole('link', { name: 'Go to the decision record' }).click();
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('steering-decision');
      expect(placeHash(page)).toBe('#/readiness/steering');
      await waitForSaved(page);
      await shoot(page, 'steering-stale', steering(page));
    });

    it('the exported project gives the same stale decision in `preflight readiness`, its WebAuthn signatures verified', async () => {
      const { page } = app;
      const { code, out: text } = await exportAndJudge(page, 'demo-stale.preflight.json');
      expect(code).toBe(1);
      expect(text).toMatch(
        /\nSteering committee decision: NO-GO \(STALE\), signed by Dr Ines Moreau \(Medical director, MD-1\) on [^;]+, re-authenticated with WebAuthn \(identity not confirmed by an identity provider\), signature verifies; Rae Lindqvist \(Practice manager, PM-3\) on [^;]+, re-authenticated with WebAuthn \(identity not confirmed by an identity provider\), signature verifies\.\n {2}The evidence changed after it was taken: /,
      );
    });

    it('the evidence pack says the decision is stale, traces its figures to hashed artefacts, and prints', async () => {
      const { page } = app;
      await openReadinessTab(page, 'Go/no-go');
      await page.getByRole('link', { name: 'Open the evidence pack' }).click();
      await page.getByRole('heading', { level: 2, name: 'Go-live evidence pack: Demo clinic' }).waitFor();
      expect(placeHash(page)).toBe('#/readiness/pack');
      await page
        .getByTestId('pack-steering')
        .filter({ hasText: /STALE: the evidence changed after it was taken/ })
        .waitFor();

      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download the evidence pack (JSON)' }).click();
      const file = join(profile, 'pack.json');
      await (await download).saveAs(file);
      const pack = JSON.parse(readFileSync(file, 'utf8')) as EvidencePack;
      expect(pack.format).toBe('preflight.evidence-pack/v1');
      expect(pack.steering.latest?.state).toBe('stale');
      expect(pack.steering.latest?.resultSha256).not.toBe(pack.resultSha256);
      expect(pack.auditChain).toMatchObject({
        state: 'intact',
        entries: 2,
        steeringSignatures: 2,
        unlogged: 0,
      });
      // the pack verifies as made: its seal and result hash recompute and both WebAuthn signatures
      // verify; it is stale because the committee decided on an earlier result
      const verified = await runCli(['readiness', 'verify-pack', file, '--json'], profile);
      expect(verified.code).toBe(1);
      expect(JSON.parse(verified.out)).toMatchObject({
        verdict: 'stale',
        problems: [{ kind: 'stale', field: 'steeringDecision.resultSha256' }],
      });
      expect(JSON.parse(verified.out).checked.join('\n')).toContain('2 signature(s) verify');
      // a second signer's name changed, with the seal recomputed as a forger would: refused
      const forged = JSON.parse(readFileSync(file, 'utf8')) as EvidencePack;
      const second = forged.steeringDecision?.signatures[1];
      if (!second) throw new Error('the pack carries both signatures');
      second.signer.name = 'Someone Else';
      const { seal: _seal, ...unsealed } = forged;
      writeFileSync(join(profile, 'forged.json'), JSON.stringify({ ...unsealed, seal: packSeal(unsealed) }));
      const refused = await runCli(['readiness', 'verify-pack', 'forged.json', '--json'], profile);
      expect(refused.code).toBe(1);
      expect(JSON.parse(refused.out).problems).toContainEqual(
        expect.objectContaining({ kind: 'tampered', field: 'steeringDecision.signatures[1]' }),
      );
      // the screen's check of a pack file gives the same verdicts, the WebAuthn signatures verified in
      // the browser's worker
      const chooser = page.getByLabel('Evidence pack to check (JSON)');
      const verdict = page.getByTestId('pack-verdict');
      await chooser.setInputFiles(file);
      await verdict.getByText('pack.json: Intact, but out of date.').waitFor();
      expect(
        await verdict
          .getByRole('list', { name: 'What does not match' })
          .getByRole('listitem')
          .allInnerTexts(),
      ).toEqual([
        'steeringDecision.resultSha256: the committee decided on another readiness result than the one in this pack: it must decide again (out of date)',
      ]);
      await chooser.setInputFiles(join(profile, 'forged.json'));
      await verdict.getByText('forged.json: Changed after it was made.').waitFor();
      await verdict
        .getByRole('list', { name: 'What does not match' })
        .getByText(/^steeringDecision\.signatures\[1\]: does not verify: /)
        .waitFor();
      await page
        .getByTestId('pack-chain')
        .filter({
          hasText: `chain intact, 2 steering signatures recorded; head ${pack.auditChain?.state === 'intact' ? pack.auditChain.head : ''}.`,
        })
        .waitFor();
      // every validation report and workflow is named by the hash of the version judged
      const parsed = parseProjectFile(readFileSync(DEMO_FILE, 'utf8'));
      if (!parsed.ok) throw new Error('the demo project file does not load');
      const demo = parsed.value.project;
      const preLaunch = pack.phases.find((p) => p.id === 'pre-launch');
      const report = demo.reports[0];
      if (!report) throw new Error('the demo has no report');
      expect(preLaunch?.artefacts).toContainEqual(
        expect.objectContaining({
          kind: 'validation-report',
          id: report.id,
          sha256: canonicalSha256Hex(report),
        }),
      );
      const lab = demo.workflows.find((w) => w.id === 'lab-results-future');
      expect(pack.phases.find((p) => p.id === 'go-live')?.artefacts).toContainEqual(
        expect.objectContaining({
          kind: 'workflow',
          id: 'lab-results-future',
          sha256: canonicalSha256Hex(lab),
        }),
      );
      expect(
        pack.reasons.find((r) => r.text.startsWith('Safety self-assessment: Interfaces tested'))?.owner,
      ).toBe('Sam Okafor, IT lead');
      expect(pack.reasons.map((r) => r.text)).toContain(
        'Safety self-assessment: Interfaces tested (System Management) is not implemented (owner: Sam Okafor, IT lead). Pre-filled from the project’s evidence.',
      );

      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      await page.emulateMedia({ media: 'screen' });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      // the summary on its own page, then the evidence; the bound names a pack that grew past
      // what a meeting reads (the meeting's attendees, conditions and the traced data risks
      // brought the demo's to 13 A4 pages; each signature's verification and each phase's
      // artefacts with their SHA-256, as the CLI's PDF prints them, to 16; who signed each
      // sample's review and the path's overdue flag on page 1, to 17)
      expect(pages).toBeGreaterThanOrEqual(2);
      expect(pages).toBeLessThanOrEqual(17);
      if (SHOT_DIR) writeFileSync(join(SHOT_DIR, 'evidence-pack.pdf'), pdf);
      // the summary first (its risks may run over a page), then the evidence on a page of its own:
      // nothing of the summary on the page where the evidence starts
      const printed = pdfPages(pdf);
      expect(printed).toHaveLength(pages);
      const words = (text: string) => text.replace(/\s+/g, ' ').trim();
      const evidenceStarts = printed.findIndex((text) => words(text).startsWith('Evidence per phase'));
      expect(evidenceStarts).toBeGreaterThan(0);
      const summaryPage = words(printed.slice(0, evidenceStarts).join(' '));
      const evidencePage = words(printed[evidenceStarts] ?? '');
      expect(summaryPage).toMatch(/^Go-live evidence pack: Demo clinic /);
      for (const part of [
        'Status per phase',
        'Why no-go',
        'Outstanding risks',
        'No owner is named for Reference lab',
      ])
        expect(summaryPage).toContain(part);
      expect(summaryPage).toMatch(/Outstanding risks .*Discovery: /);
      expect(summaryPage).not.toContain('Evidence per phase');
      // the demo's go-live day was in 2024: its due days are flagged as past, never printed as a
      // plan; the path is ordered by risk; page 1 names who signed each sample's review
      expect(summaryPage).toMatch(
        /Path to go Every due day of the path \(\d+ actions\) is already past: set the day the clinic will go live/,
      );
      expect(summaryPage).toContain('highest risk first');
      expect(summaryPage).toContain('OVERDUE');
      expect(summaryPage).toContain('Who signed the clinicians’ review');
      expect(summaryPage).toContain(
        '“Patient demographics: whole-file sample”: no clinician has signed its review.',
      );
      expect(evidencePage).toMatch(/^Evidence per phase Discovery: /);
      // the app's bar, the screen's tabs and the pack's buttons are not printed
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('.app-header').isVisible()).toBe(false);
      expect(await page.getByRole('tablist', { name: 'Readiness' }).isVisible()).toBe(false);
      expect(await page.getByRole('heading', { level: 2, name: 'Readiness' }).isVisible()).toBe(false);
      expect(await page.getByRole('button', { name: 'Print the evidence pack' }).isVisible()).toBe(false);
      await page.emulateMedia({ media: 'screen' });
    });

    it('the signed decision passes axe on a phone, no wider than the screen; nothing printed', async () => {
      const { page } = app;
      await shoot(page, 'evidence-pack');
      await openReadinessTab(page, 'Steering decision');
      await steering(page).waitFor();
      const phone = VIEWPORTS.find((v) => v.name === 'phone');
      if (!phone) throw new Error('no phone viewport');
      await page.setViewportSize({ width: phone.width, height: phone.height });
      // the signed decision's panel: the tab's page around it passed axe on a phone above
      expect(await axeRegionViolations(steering(page))).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        phone.width,
      );
      await page.setViewportSize({ width: 1440, height: 900 });
      await shoot(page, 'readiness-steering');
      expect(app.console).toEqual([]);
      expect(app.cspViolations).toEqual([]);
    });

    it('once the data lead keeps a roster, the signer is chosen among its approvers and signs with the confirmed key', async () => {
      const { page } = app;
      await page
        .getByRole('navigation', { name: 'Workspaces' })
        .getByRole('link', { name: 'Sign-off' })
        .click();
      const roster = page.locator('details.roster-panel');
      await roster.locator('summary').click();
      const rosterStatus = roster.getByTestId('roster-status');
      const person = async (name: string, title: string, staffId: string, role: string) => {
        await roster.getByLabel('Full name').fill(name);
        await roster.getByLabel('Job title').fill(title);
        await roster.getByLabel('Staff number').fill(staffId);
        await roster.getByRole('checkbox', { name: role, exact: true }).check();
      };
      await person('Sam Okafor', 'Clinical lead', 'CL-7', 'approver');
      await roster.getByRole('button', { name: 'Start the roster as data lead' }).click();
      await rosterStatus.filter({ hasText: /^Added Sam Okafor \(CL-7\)\. Saved\.$/ }).waitFor();
      await roster.getByRole('button', { name: 'Register a key for Sam Okafor' }).click();
      await rosterStatus.filter({ hasText: /^Key made for Sam Okafor\./ }).waitFor();
      await roster.getByRole('button', { name: "Confirm Sam Okafor's key as lead" }).click();
      await rosterStatus
        .filter({ hasText: /^Sam Okafor's key is bound, confirmed by Sam Okafor\. Saved\.$/ })
        .waitFor();
      await person('Dana Reyes', 'Charge nurse', 'RN-204', 'reviewer');
      await roster.getByRole('button', { name: 'Save to the roster' }).click();
      await rosterStatus.filter({ hasText: /^Added Dana Reyes \(RN-204\)\. Saved\.$/ }).waitFor();

      await page
        .getByRole('navigation', { name: 'Workspaces' })
        .getByRole('link', { name: 'Readiness' })
        .click();
      await openReadinessTab(page, 'Steering decision');
      const panel = steering(page);
      const who = panel.getByLabel("Who is signing (the roster's approvers)");
      await who.waitFor();
      // no typed names any more, and only approvers are offered: the reviewer is not
      expect(await panel.getByLabel("Approver's full name").count()).toBe(0);
      expect(await who.locator('option').allTextContents()).toEqual([
        'Choose…',
        'Sam Okafor, Clinical lead (CL-7)',
      ]);
      await panel.getByLabel('Rationale').fill('Decided again on the changed evidence: still no-go.');
      await panel.getByRole('button', { name: 'Sign the decision' }).click();
      await panel
        .getByTestId('steering-status')
        .filter({ hasText: "Not signed: choose who is signing from the roster's approvers." })
        .waitFor();
      await who.selectOption('CL-7');
      await panel.getByRole('button', { name: 'Sign the decision' }).click();
      await panel
        .getByTestId('steering-status')
        .filter({
          hasText:
            /^Signed by Sam Okafor on .*, with the key the data lead bound to them \(the lead’s attestation: no identity provider confirmed it\)\. Saved\.$/,
        })
        .waitFor();
      await panel
        .getByTestId('steering-state')
        .filter({ hasText: /^No-go, decided .* · Current$/ })
        .waitFor();
      await panel.getByTestId('steering-signature-check').filter({ hasText: 'signature verifies' }).waitFor();
      // signed with the key the lead confirmed: no new key was made
      expect((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials).toHaveLength(3);
      // the new decision's signature follows the roster changes in the one chain
      await panel
        .getByTestId('steering-chain')
        .filter({
          hasText:
            /^Audit log: \d+ entries, chain intact, 3 steering signatures recorded; head [0-9a-f]{64}\.$/,
        })
        .waitFor();
      await shoot(page, 'steering-roster', panel);
      await waitForSaved(page);
      const judged = await exportAndJudge(page, 'demo-roster.preflight.json');
      expect(judged.code).toBe(1);
      expect(judged.out).toMatch(
        /\nSteering committee decision: NO-GO \(current\), signed by Sam Okafor \(Clinical lead, CL-7\) on [^;]+, re-authenticated with WebAuthn \(identity not confirmed by an identity provider\), signature verifies\./,
      );
      expect(app.console).toEqual([]);
    });
  });
});

// the file's one browser, after every part closed its own contexts
afterAll(closeFileBrowser);
