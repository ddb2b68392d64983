/**
 * The team server's sign-off journey, run by the team journey on the clinic's PostgreSQL
 * (tests/e2e/journeyTeamPostgres.spec.ts), with the helpers the team journeys use to sign in, to
 * call the server as a member and to check a screen. Once, on PostgreSQL: the server's sign-off
 * rules are tested on the embedded database beside them (src/server/reviewAssignments.test.ts,
 * src/server/signing.test.ts), and a reviewer's browser deciding against the embedded server at
 * machine speed in tests/e2e/journeyTeam.spec.ts (tests/e2e/fastReview.ts).
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { CSRF_HEADER } from '../../src/server/index.ts';
import { DEMO_TEAM, DEMO_TEAM_PROJECT, type TeamDemo } from '../oidc/teamDemo.ts';
import { axeRegionViolations } from './axeRegion.ts';
import { axeViolations, downloadedFile, type Watched, waitForSaved, watchedPage } from './browser.ts';
import { pdfPages, printedA4, words } from './printedPdf.ts';
import { openReadinessTab } from './readinessTabs.ts';
import { DEMO_PATIENTS, openFirstRecord, planCard, planReview, signPanel } from './signoffJourney.ts';

/** What a journey runs against: a team server started as `npm run team-demo` starts it, and a browser. */
export interface JourneyServer {
  demo: TeamDemo;
  browser: Browser;
  /** the contexts the journey opens, closed by the spec when it ends */
  contexts: BrowserContext[];
}

/** Signs `who` in from the page's "Sign in", picking them on the demo provider's page. */
export async function signIn(page: Page, who: keyof typeof DEMO_TEAM): Promise<void> {
  const person = DEMO_TEAM[who] as { name: string };
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByText('There are no passwords: this is a demo identity provider').waitFor();
  await page.getByRole('button', { name: person.name }).click();
  await page.getByText(`Signed in as ${person.name}`).waitFor();
}

/**
 * Signs `who` in where the app's "Sign in" link leads (the server's sign-in, returning to `hash`),
 * picking them on the demo provider's page, so the app loads once, signed in, rather than once
 * before and once after: the link itself is followed in journeyTeam.spec.ts's first steps.
 */
export async function signInFromServer(
  page: Page,
  demo: TeamDemo,
  who: keyof typeof DEMO_TEAM,
  hash: string,
): Promise<void> {
  const name = (DEMO_TEAM[who] as { name: string }).name;
  await page.goto(`${demo.url}/api/login?return=${encodeURIComponent(hash)}`);
  await page.getByText('There are no passwords: this is a demo identity provider').waitFor();
  await page.getByRole('button', { name }).click();
  await page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
  await page.getByText(`Signed in as ${name}`).waitFor();
}

/** A member's calls to the server's API, from a session of her own at the demo provider. */
export type MemberApi = (method: string, path: string, body?: unknown) => Promise<Record<string, unknown>>;

/**
 * Signs `who` in at the demo provider outside any browser and returns her API calls: set-up a
 * journey does not prove (a review sent, a key confirmed) made as that person, through the same
 * routes and checks the browser's calls meet. A refused call throws with its status.
 */
export async function memberApi(demo: TeamDemo, who: keyof typeof DEMO_TEAM): Promise<MemberApi> {
  const { cookie } = await demo.idp.signIn(demo.url, who);
  const me = (await (await fetch(`${demo.url}/api/me`, { headers: { cookie } })).json()) as {
    csrfToken: string;
  };
  return async (method, path, body) => {
    const response = await fetch(`${demo.url}${path}`, {
      method,
      headers: {
        cookie,
        [CSRF_HEADER]: me.csrfToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  };
}

/** The demo project's id, as `call`'s member reads it. */
export async function demoProjectId(call: MemberApi): Promise<string> {
  const { projects } = (await call('GET', '/api/projects')) as { projects: { id: string; name: string }[] };
  const project = projects.find((p) => p.name === DEMO_TEAM_PROJECT);
  if (!project) throw new Error('the demo project is missing');
  return project.id;
}

/**
 * `preflight` with `args`, in this process: its exit code and what it printed. The command's
 * own process (the built bundle, its start and exit codes) is proven by the CLI's tests
 * (src/cli/*.test.ts); here it reads the journey's files and asks the server while this process
 * serves it.
 */
async function cli(args: string[]): Promise<{ code: number; stdout: string }> {
  const out: string[] = [];
  const code = await main(args, { stdout: (t) => out.push(t), stderr: (t) => out.push(t), cwd: '/' });
  return { code, stdout: out.join('') };
}

/** No axe violation on the page, and no sideways scrolling. */
export async function expectAccessible(page: Page): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'no sideways scrolling').toBeLessThanOrEqual(0);
}

/**
 * Dual review on the team server, from assignment to the steering committee's go/no-go, each person
 * in a browser of her own (a computer's profile): the lead sends the demo sample's record pairs
 * from her sign-off screen, Rosa reviews the first pass and Tomás the second, the lead
 * adjudicating; each reviewer registers her own key on her own device (a Chromium virtual
 * authenticator), which the lead confirms from her own session; Tomás reviews blind to Rosa's
 * decision and rejects what she accepted; the lead adjudicates; each reviewer signs "I reviewed
 * these records" through the step-up ceremony (a fresh sign-in at the provider, then her key's
 * assertion); the lead exports the project's log and `preflight signoff verify --server` passes it
 * against the server. Then the lead signs the sign-off on the server (her key confirmed by the data
 * lead, never by herself); her Sign-off follows the server's record with no step to bring it in,
 * and her sign-off file (checked against the server) and FHIR Bundle hold every decision and all
 * three signatures. She shares her project's records with the team project; two steering members
 * open it on their computers, where Readiness judges the sample on the server's result, and sign
 * the go/no-go there, the second co-signing the first's decision as his open page heard of it; a
 * gate the lead then changes marks the decision stale in both their open pages, with no reload.
 * What each rule refuses is proven beside it (src/server/reviewAssignments.test.ts,
 * src/server/signing.test.ts, tests/unit/serverSigning.test.ts, src/app/readiness/ServerSteering.test.tsx).
 */
export function serverSignoffJourney(on: string, server: () => JourneyServer): void {
  describe(`two reviewers review blind, the lead adjudicates, and each reviewer signs on the server (${on})`, () => {
    let demo: TeamDemo;
    let browser: Browser;
    let contexts: BrowserContext[];
    type Person = Watched & { name: string };
    let lena: Person;
    let rosa: Person;
    let tomas: Person;
    const teamProject = (page: Page) =>
      page
        .getByRole('link', { name: DEMO_TEAM_PROJECT })
        .click()
        .then(() => page.getByRole('heading', { name: DEMO_TEAM_PROJECT }).waitFor());
    const assigned = (page: Page) => page.getByRole('region', { name: 'My assigned records' });

    /** Adds the test authenticator (WebAuthn over CDP) to `page`: a key of her own on her device. */
    async function addAuthenticator(page: Page): Promise<void> {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('WebAuthn.enable');
      await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'internal',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
          automaticPresenceSimulation: true,
        },
      });
    }

    /**
     * `who`'s own browser at `hash`, signed in from the server's sign-in ({@link signInFromServer});
     * the reviewers' with a key of their own (WebAuthn over CDP).
     */
    async function personAt(who: keyof typeof DEMO_TEAM, hash: string, withKey: boolean): Promise<Person> {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        acceptDownloads: true,
      });
      contexts.push(context);
      const app = await watchedPage(context);
      if (withKey) await addAuthenticator(app.page);
      await signInFromServer(app.page, demo, who, hash);
      return { ...app, name: (DEMO_TEAM[who] as { name: string }).name };
    }

    /** Opens the person's assigned records of the one review and the record of `pass`. */
    async function openRecord(person: Person, pass: string, role?: string) {
      await assigned(person.page)
        .getByRole('button', { name: /^Review \d+ records? of the sample sent/ })
        .click();
      if (role !== undefined)
        await assigned(person.page)
          .getByLabel('Your role or job title (stored with each decision)')
          .fill(role);
      await person.page.getByRole('button', { name: new RegExp(`^Record 1 \\(.*\\), ${pass}$`) }).click();
      return person.page.getByRole('region', { name: `Record 1, ${pass}` });
    }

    const recorded = (page: Page) =>
      page
        .getByTestId('server-decisions')
        .filter({ hasText: /^Recorded on the team server \(1 decision/ })
        .waitFor();

    beforeAll(async () => {
      ({ demo, browser, contexts } = server());
      // one after another: three first loads of the app at once only compete for the same cores
      lena = await personAt('lena', '#/signoff', false);
      rosa = await personAt('rosa', '#/team', true);
      tomas = await personAt('tomas', '#/team', true);
    });

    it('the lead sends the sample for first and second review with herself as adjudicator', async () => {
      const { page } = lena;
      await planCard(page)
        .getByLabel(/Dual review: two clinicians review every record independently/)
        .check();
      await waitForSaved(page);
      await openFirstRecord(page, DEMO_PATIENTS);
      const send = planReview(page).getByRole('region', { name: 'Send to reviewers' });
      await send.getByLabel('Team project').selectOption({ label: DEMO_TEAM_PROJECT });
      await send.getByLabel(/^First reviewer/).selectOption({ label: rosa.name });
      await send.getByLabel(/^Second reviewer/).selectOption({ label: tomas.name });
      await send.getByLabel(/^Adjudicator/).selectOption({ label: lena.name });
      await send.getByRole('button', { name: 'Send to reviewers' }).click();
      await send
        .getByTestId('send-status')
        .filter({
          hasText: `Sent 59 records read from patients.csv to the team project “${DEMO_TEAM_PROJECT}”`,
        })
        .waitFor();
    });

    it('each reviewer registers her own key, and the lead confirms both from her session', async () => {
      const codes = await Promise.all(
        [rosa, tomas].map(async ({ page }) => {
          await teamProject(page);
          await page.getByRole('button', { name: 'Register a key on this device' }).click();
          await page
            .getByRole('status')
            .filter({ hasText: 'Your key was registered on this device' })
            .waitFor();
          return (await page.locator('.team-my-key code').textContent()) ?? '';
        }),
      );
      await lena.page.goto(`${demo.url}#/team`);
      await teamProject(lena.page);
      const keys = lena.page.getByRole('list', { name: 'Signing keys of the team' });
      for (const [i, person] of [rosa, tomas].entries()) {
        // the code the reviewer reads out is the one on the lead's row
        await keys
          .getByRole('listitem')
          .filter({ hasText: person.name })
          .getByText(codes[i] as string)
          .waitFor();
        await lena.page.getByRole('button', { name: `Confirm ${person.name}’s key` }).click();
        await lena.page
          .getByRole('status')
          .filter({ hasText: `${person.name}’s key was confirmed` })
          .waitFor();
      }
      // no reload: the server tells each reviewer's open page that the keys changed
      await Promise.all(
        [rosa, tomas].map(({ page }) => page.getByText('Confirmed by Lena Okafor on').waitFor()),
      );
    });

    it('the two review blind to each other and disagree; the lead adjudicates', async () => {
      const first = await openRecord(rosa, 'first review', 'Registered nurse');
      await first.getByRole('button', { name: 'Accept', exact: true }).click();
      await recorded(rosa.page);

      // Rosa's accept is recorded: the decisions the server gives Tomás's browser hold none of it
      const readByTomas = tomas.page.waitForResponse(
        (r) =>
          r.request().method() === 'GET' && /\/reviews\/[^/]+\/decisions$/.test(new URL(r.url()).pathname),
      );
      const second = await openRecord(tomas, 'second review', 'Physician');
      expect((await (await readByTomas).json()).decisions).toEqual([]);
      await second.getByRole('button', { name: 'Accept', exact: true }).waitFor();
      await expectAccessible(tomas.page);
      await second.getByLabel(/^Comment/).fill('The date of birth differs from the legacy record.');
      await second.getByRole('button', { name: 'Reject', exact: true }).click();
      await recorded(tomas.page);

      // the disagreement reaches the adjudicator's open page, with both decisions
      const adjudication = await openRecord(lena, 'adjudication');
      const reviews = adjudication.getByRole('list', { name: 'The two reviews' });
      await reviews.getByText('First review: accept').waitFor();
      await reviews.getByText(/^Second review: reject — “The date of birth differs/).waitFor();
      await adjudication
        .getByLabel('Why (needed to reject)')
        .fill('The legacy record has the wrong date of birth.');
      await adjudication.getByRole('button', { name: 'Accept the record' }).click();
      await recorded(lena.page);
    });

    it('each reviewer signs with a fresh sign-in at the provider and her key', async () => {
      const asked = demo.idp.authorizationRequests.length;
      await Promise.all(
        [rosa, tomas].map(async (person) => {
          const { page } = person;
          const status = page.getByTestId('review-sign-status');
          // one of her 59 records decided: refused until she states she signs for that one only
          const partly = async () => {
            await page.getByRole('button', { name: 'Sign my review' }).click();
            await status
              .filter({
                hasText:
                  /^Not signed: the team server holds your decisions on 1 of the 59 records assigned to you/,
              })
              .waitFor();
            await page.getByRole('checkbox', { name: /^Sign for the records I decided only/ }).check();
            await page.getByRole('button', { name: 'Sign my review' }).click();
          };
          await partly();
          await status
            .filter({ hasText: /^Signing starts with signing in again at your organisation’s sign-in page/ })
            .waitFor();
          // the first signing of the session: the provider asks again, and brings her back here
          await page.getByRole('link', { name: 'Sign in again, then sign' }).click();
          await page.getByText('There are no passwords: this is a demo identity provider').waitFor();
          await page.getByRole('button', { name: person.name }).click();
          await page.getByRole('heading', { name: DEMO_TEAM_PROJECT }).waitFor();
          await assigned(page)
            .getByRole('button', { name: /^Review \d+ records? of the sample sent/ })
            .click();
          await partly();
          await status
            .filter({
              hasText: new RegExp(
                `^Signed by ${person.name} on .*: “I reviewed these records.*”, over your 1 decision, a partial scope: 1 of 59 decided`,
              ),
            })
            .waitFor();
        }),
      );
      const fresh = demo.idp.authorizationRequests.slice(asked);
      expect(fresh).toEqual([
        expect.objectContaining({ maxAge: '0', prompt: 'login' }),
        expect.objectContaining({ maxAge: '0', prompt: 'login' }),
      ]);
      // the reviewers' part is done: their consoles checked now, their browsers closed, as open
      // pages would only follow every change of the lead's and the steering committee's steps
      for (const { page, console: lines, cspViolations } of [rosa, tomas]) {
        expect(cspViolations).toEqual([]);
        expect(lines.filter((line) => /^(error|pageerror)/.test(line))).toEqual([]);
        await page.context().close();
      }
    });

    it('the lead exports the project’s log, and preflight signoff verify --server passes it', async () => {
      const { page } = lena;
      await page.getByRole('button', { name: 'Show audit log' }).click();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download audit log' }).click(),
      ]);
      const file = await downloadedFile(download);
      const { code, stdout } = await cli(['signoff', 'verify', file, '--server', demo.url]);
      expect(code, stdout).toBe(0);
      expect(stdout).toMatch(
        /verified project audit log: \d+ entries, head [0-9a-f]{64}; 2 signatures; every entry is the server's/,
      );
      for (const name of [rosa.name, tomas.name])
        expect(stdout).toMatch(
          new RegExp(
            `signature at entry \\d+: ${name} \\(\\w+\\), reviewer, .*meaning “I reviewed these records`,
          ),
        );
    });

    it('the lead signs on the server; her sign-off file and FHIR Bundle hold every decision and signature, and verify', async () => {
      const { page } = lena;
      // her key, confirmed by the data lead from his own session (never by its owner)
      await addAuthenticator(page);
      await page.getByRole('button', { name: 'Register a key on this device' }).click();
      await page.getByRole('status').filter({ hasText: 'Your key was registered on this device' }).waitFor();
      // through the server's API, as himself: a confirmer's screen is the lead's own above
      const dara = await memberApi(demo, 'dara');
      const projectId = await demoProjectId(dara);
      const { keys } = (await dara('GET', `/api/projects/${projectId}/signing-keys`)) as {
        keys: { id: string; subject: string; status: string }[];
      };
      const hers = keys.find((k) => k.subject === 'lena' && k.status === 'awaiting confirmation');
      if (!hers) throw new Error('the lead’s new key is not on the roster');
      await dara('POST', `/api/projects/${projectId}/signing-keys/${hers.id}/confirm`);
      // no reload: the server tells her open page that her key was confirmed, and by whom
      await page
        .getByRole('list', { name: 'Signing keys of the team' })
        .getByRole('listitem')
        .filter({ hasText: lena.name })
        .getByText('Confirmed by Dara Nwosu on')
        .waitFor();

      // no "bring in": her Sign-off follows the server's record by itself
      await page.goto(`${demo.url}#/signoff`);
      const serverRecord = planReview(page).getByTestId('server-record');
      await serverRecord
        .filter({
          hasText: /^This review is the team server’s record: 3 decisions and 2 signatures made there/,
        })
        .waitFor();
      const signStatus = signPanel(page).getByTestId('sign-status');
      await signPanel(page).getByRole('button', { name: 'Sign', exact: true }).click();
      await signPanel(page).getByRole('link', { name: 'Sign in again, then sign' }).click();
      await page.getByText('There are no passwords: this is a demo identity provider').waitFor();
      await page.getByRole('button', { name: lena.name }).click();
      await serverRecord
        .filter({ hasText: /^This review is the team server’s record: 3 decisions/ })
        .waitFor();
      await signPanel(page).getByRole('button', { name: 'Sign', exact: true }).click();
      await signStatus
        .filter({ hasText: new RegExp(`^Signed on the team server by ${lena.name} on `) })
        .waitFor();
      // her screen says of her signature what signoff verify says below, and of the reviewers' their scope
      await signPanel(page)
        .getByRole('list', { name: 'Signatures', exact: true })
        .getByTestId('signature-check')
        .filter({ hasText: /^verifies$/ })
        .waitFor();
      await signPanel(page)
        .getByTestId('server-review-signature')
        .filter({ hasText: /Partial scope: signed with 1 of 59 decided .* · verifies$/ })
        .nth(1)
        .waitFor();

      const exported = async (button: string) => {
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          planReview(page).getByRole('button', { name: button }).click(),
        ]);
        return downloadedFile(download);
      };
      const signoffFile = await exported('Export the sign-off (JSON)');
      const bundleFile = await exported('FHIR Bundle');
      const [review] = JSON.parse(readFileSync(signoffFile, 'utf8')).reviews;
      // both passes and the ruling, and each reviewer's signature made on the server
      expect(review.decisions.map((d: { outcome: string }) => d.outcome).sort()).toEqual([
        'accept',
        'accept',
        'reject',
      ]);
      expect(review.serverSignatures.map((s: { signer: { name: string } }) => s.signer.name).sort()).toEqual(
        [rosa.name, tomas.name].sort(),
      );
      // the file against the server's record of its export; the Bundle from the chain it carries
      // (--server reads audit logs only)
      const verified = [
        /: verified: \d+ entries, chain head [0-9a-f]{64}; every logged decision is present and unchanged/,
        /: verified FHIR Bundle: \d+ entries, each as signed; audit chain of \d+ entries/,
      ];
      for (const [i, args] of [[signoffFile, '--server', demo.url], [bundleFile]].entries()) {
        const { code, stdout } = await cli(['signoff', 'verify', ...args]);
        expect(code, stdout).toBe(0);
        expect(stdout).toMatch(verified[i] as RegExp);
        expect(stdout).toMatch(
          new RegExp(`: signature [^:]+: ${lena.name}, Lead .*WebAuthn assertion verified`),
        );
        for (const name of [rosa.name, tomas.name])
          expect(stdout).toMatch(
            new RegExp(`: server signature [^:]+: ${name}, reviewer .*signed on the team server`),
          );
      }
    });

    /** `who`'s browser with a key the lead confirms, the team project opened on this computer, at Readiness. */
    async function steeringMember(who: 'sana' | 'omar'): Promise<Person> {
      const person = await personAt(who, '#/team', true);
      const { page } = person;
      await teamProject(page);
      await page.getByRole('button', { name: 'Register a key on this device' }).click();
      await page.getByRole('status').filter({ hasText: 'Your key was registered on this device' }).waitFor();
      await lena.page.getByRole('button', { name: `Confirm ${person.name}’s key` }).click();
      await lena.page
        .getByRole('status')
        .filter({ hasText: `${person.name}’s key was confirmed` })
        .waitFor();
      await page.getByText('Confirmed by Lena Okafor on').waitFor();
      await page.getByRole('button', { name: 'Open on this computer' }).click();
      await page
        .getByRole('status')
        .filter({
          hasText: new RegExp(`^“${DEMO_TEAM_PROJECT.replace(/[()]/g, '\\$&')}” is open in this browser`),
        })
        .waitFor();
      await page
        .getByRole('navigation', { name: 'Workspaces' })
        .getByRole('link', { name: 'Readiness' })
        .click();
      return person;
    }

    let sana: Person;
    let omar: Person;

    it('Readiness shows the steering committee the sample’s result the server holds', async () => {
      // the lead shares her project's records (the sample plan among them) with the team project
      await lena.page.goto(`${demo.url}#/workflows`);
      const sharing = lena.page.getByRole('region', { name: 'Team sharing' });
      await sharing
        .getByRole('button', { name: 'Share this project’s records with a team project…' })
        .click();
      await sharing.getByLabel('Team project').selectOption({ label: DEMO_TEAM_PROJECT });
      await sharing.getByRole('button', { name: 'Share' }).click();
      await sharing.getByRole('status').filter({ hasText: 'All changes saved to the team server' }).waitFor();
      await lena.page.goto(`${demo.url}#/team`);
      await teamProject(lena.page);

      sana = await steeringMember('sana');
      omar = await steeringMember('omar');
      for (const { page } of [sana, omar]) {
        await openReadinessTab(page, 'Phases');
        // the two passes and the ruling on record 1, never "no sample drawn"
        await page
          .getByText(
            /^Sample plan “Patient demographics: whole-file sample”: on the team server, .*1 of 59 records reviewed/,
          )
          .waitFor();
      }
    });

    /** Signs the go/no-go on `person`'s Steering decision tab, through a fresh sign-in first. */
    async function signGoNoGo({ page, name }: Person, rationale?: string): Promise<void> {
      const status = page.getByTestId('steering-server-status');
      const sign = async () => {
        await openReadinessTab(page, 'Steering decision');
        if (rationale !== undefined)
          await page.getByTestId('steering-server').getByLabel('Rationale').fill(rationale);
        await page.getByRole('button', { name: 'Sign the decision' }).click();
      };
      await sign();
      await page.getByRole('link', { name: 'Sign in again, then sign' }).click();
      await page.getByText('There are no passwords: this is a demo identity provider').waitFor();
      await page.getByRole('button', { name }).click();
      await sign();
      await status.filter({ hasText: new RegExp(`^Signed on the team server by ${name} on `) }).waitFor();
    }

    const signers = (page: Page) =>
      page.getByRole('list', { name: 'Decision signatures on the team server' }).getByRole('listitem');

    it('two steering members sign the go/no-go from Readiness, the second co-signing', async () => {
      await openReadinessTab(omar.page, 'Steering decision');
      await omar.page
        .getByTestId('steering-server-state')
        .filter({ hasText: 'No decision signed' })
        .waitFor();
      await signGoNoGo(sana, 'Record 1 was adjudicated; the rest of the sample is still to review.');
      // Omar's open page hears of the decision: he co-signs it as it stands
      await omar.page
        .getByTestId('steering-server-state')
        .filter({ hasText: /· Current$/ })
        .waitFor();
      await signGoNoGo(omar);
      for (const { page } of [sana, omar]) {
        await expect
          .poll(() => signers(page).allTextContents())
          .toEqual([
            expect.stringMatching(/^Sana Yusuf \(steering committee\) signed on /),
            expect.stringMatching(/^Omar Haddad \(steering committee\) signed on /),
          ]);
      }
      expect(await axeRegionViolations(sana.page.getByTestId('steering-server'))).toEqual([]);
    });

    it('a gate the lead changes marks the decision stale in each member’s open browser', async () => {
      await lena.page.goto(`${demo.url}#/readiness/gates`);
      await lena.page.getByLabel('Valid records in every extract, at least (%)').fill('95');
      for (const { page } of [sana, omar])
        await page
          .getByTestId('steering-server-state')
          .filter({ hasText: /· Stale$/ })
          .waitFor();
      for (const app of [lena, sana, omar]) {
        expect(app.cspViolations).toEqual([]);
        expect(app.console.filter((line) => /^(error|pageerror)/.test(line))).toEqual([]);
      }
    });

    it('the printed pack’s page 1 counts the server’s steering signatures, names the review’s signers and plans its due days', async () => {
      const { page } = sana;
      await openReadinessTab(page, 'Evidence pack');
      // the server's record is read before the pack is printed
      await page
        .getByTestId('pack-chain')
        .filter({ hasText: /^Audit log on the team server: 2 steering signatures recorded/ })
        .waitFor();
      await page.getByRole('cell', { name: tomas.name, exact: true }).first().waitFor();
      const printed = pdfPages(await printedA4(page));
      const evidenceStarts = printed.findIndex((text) => words(text).startsWith('Evidence per phase'));
      expect(evidenceStarts).toBeGreaterThan(0);
      const pageOne = words(printed.slice(0, evidenceStarts).join(' '));
      // the committee's signatures are the server's: page 1 counts them, never "no decision"
      expect(pageOne).toMatch(
        /Steering committee, signed on the team server: No-go, decided .*, signed by Sana Yusuf \(steering committee\), Omar Haddad \(steering committee\) — STALE/i,
      );
      expect(pageOne).toContain('Audit log on the team server: 2 steering signatures recorded');
      expect(pageOne).not.toContain('no decision recorded');
      expect(pageOne).not.toContain('0 steering signatures');
      // the clinicians who signed the review, by name and role
      expect(pageOne).toContain('Who signed the clinicians’ review');
      for (const name of [rosa.name, tomas.name]) expect(pageOne).toMatch(new RegExp(`${name} clinician`));
      // the lead opened the demo today: its path to go is a plan, its due days ahead, none overdue
      expect(pageOne).toContain('Path to go');
      expect(pageOne).not.toContain('OVERDUE');
      expect(pageOne).not.toContain('already past');
      const path = pageOne.slice(pageOne.indexOf('Path to go'), pageOne.indexOf('Why no-go'));
      expect(path).toMatch(/\d{4}-\d{2}-\d{2}/);
    });
  });
}
