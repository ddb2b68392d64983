/**
 * Journey: a clinician reviews three records of the demo sample and signs; before any FHIR server
 * is connected the sign-off exports say how to connect one. The data lead connects the local test
 * server on the Migration workspace, comes back, and sends the sign-off (a Provenance per decision,
 * the go-live Task, a VerificationResult per stratum, and what verifies it: the sign-off Provenance
 * with the signature and the evidence Binary with the audit chain) as one transaction: the summary
 * says what was written. The Bundle the browser posted and the Bundle put together again from what
 * the server stored both verify (`preflight signoff verify` exits 0). Sending again rewrites the
 * same records (no copies). Accessible, no CSP violation, nothing in the console.
 *
 * Self-contained like fhirServer.spec.ts: the server starts on a free port, reached as the one
 * origin the shared FHIR build allows in its CSP (fhirApp.ts). The browser
 * here offers no WebAuthn (signing records that; journeyLead.spec.ts signs with WebAuthn).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResourceType } from '@medplum/fhirtypes';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/command.ts';
import { main } from '../../src/cli/main.ts';
import { type TransactionBundle, verifySignoffBundle } from '../../src/core/signoff/exports/index.ts';
import { type RunningFhirServer, startFhirServer } from '../fhirServer/server.ts';
import { scaled } from '../waits.ts';
import { axeViolations, type Watched } from './browser.ts';
import { connectLocalFhirServer, type FhirAppSession, startFhirAppSession } from './fhirApp.ts';
import { rejectionComment } from './signoffJourney.ts';

const PATIENTS = fileURLToPath(new URL('../../samples/legacy/patients.csv', import.meta.url));
const PLAN = 'Patient demographics: whole-file sample';

let session: FhirAppSession<RunningFhirServer> | undefined;
let fhir: RunningFhirServer;
let watched: Watched;

const count = async (type: ResourceType) =>
  (await fhir.repository.searchResources({ resourceType: type })).length;
const card = (page: Page): Locator => page.getByRole('article', { name: PLAN });
const review = (page: Page): Locator => page.getByRole('region', { name: `Review of ${PLAN}` });
const sending = (page: Page): Locator =>
  review(page).getByRole('region', { name: 'Send to the FHIR server' });

/** The sent Bundle again, each resource as the server stores it (its server-set `meta` left out). */
async function readBack(sent: TransactionBundle): Promise<TransactionBundle> {
  const entry = await Promise.all(
    sent.entry.map(async (e) => {
      const { meta: _, ...stored } = await fhir.repository.readResource(
        e.resource.resourceType as ResourceType,
        e.resource.id,
      );
      return { ...e, resource: stored as TransactionBundle['entry'][number]['resource'] };
    }),
  );
  return { ...sent, entry };
}

/** `preflight signoff verify` on a Bundle written to a file: its exit code and what it printed. */
async function verifyWithCli(bundle: unknown): Promise<{ code: number; out: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'preflight-sent-bundle-'));
  try {
    await writeFile(path.join(dir, 'bundle.json'), JSON.stringify(bundle));
    const out: string[] = [];
    const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => out.push(t), cwd: dir };
    const code = await main(['signoff', 'verify', 'bundle.json'], io);
    return { code, out: out.join('\n') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function decide(page: Page, key: string, record: number, word: string) {
  if (key === 'r') await rejectionComment(page, review(page));
  await page.keyboard.press(key);
  await review(page)
    .getByTestId('save-status')
    .filter({ hasText: `Saved: record ${record} ${word}.` })
    .waitFor();
}

beforeAll(async () => {
  session = await startFhirAppSession(startFhirServer, {
    route: '/#/signoff',
    prepare: (context) =>
      context.addInitScript(() => {
        Reflect.deleteProperty(window, 'PublicKeyCredential');
      }),
  });
  ({ fhir, watched } = session);
}, scaled(240_000));

afterAll(() => session?.close());

describe('sending the sign-off to the FHIR server', () => {
  it('reviews three records and signs; without a server the exports say how to connect one', async () => {
    const { page } = watched;
    await card(page).getByLabel('Data files').setInputFiles(PATIENTS);
    await card(page).getByRole('button', { name: 'Lock the plan' }).click();
    await card(page).getByTestId('plan-hash').waitFor();
    const panel = review(page);
    await panel.getByLabel('Data files for the sample').setInputFiles(PATIENTS);
    await panel.getByText('59 records drawn').waitFor();
    await panel.getByLabel('Printed name', { exact: true }).fill('Dana Reyes');
    await panel.getByLabel('Role', { exact: true }).fill('Registered nurse');
    await panel.getByLabel('Staff id', { exact: true }).fill('RN-204');
    await panel.getByLabel('Data file to review').setInputFiles(PATIENTS);
    await panel.getByRole('region', { name: 'Record 1 of 59' }).waitFor();
    await decide(page, 'a', 1, 'accepted');
    await decide(page, 'r', 2, 'rejected');
    await decide(page, 'a', 3, 'accepted');
    const sign = panel.getByRole('region', { name: 'Sign off' });
    await sign.getByLabel("Signer's job title").fill('Charge nurse');
    await sign.getByRole('button', { name: 'Sign' }).click();
    await sign
      .getByTestId('sign-status')
      .filter({
        hasText: /^Signed by Dana Reyes on \d{4}-\d{2}-\d{2} at \d{2}:\d{2} \(UTC[^)]*\)\. Saved\.$/,
      })
      .waitFor();
    await sending(page)
      .getByText(
        /No FHIR server is connected\. .*connect to it in the FHIR server section of the Migration workspace/,
      )
      .waitFor();
    await expect(sending(page).getByRole('button').count()).resolves.toBe(0);
  });

  it('connects on Migration, comes back and writes the sign-off in one transaction', async () => {
    const { page } = watched;
    await page.getByRole('link', { name: 'Migration' }).click();
    await connectLocalFhirServer(page, fhir.baseUrl);
    await page.getByRole('link', { name: 'Sign-off' }).click();
    const send = sending(page);
    await send.getByText(`Connected to ${fhir.origin}.`).waitFor();
    await send.getByRole('button', { name: 'Send to the FHIR server' }).click();
    // 3 Provenances, the Task, one VerificationResult for the plan's one stratum, the sign-off
    // Provenance and the evidence Binary
    await send
      .getByText(`Send the sign-off of “${PLAN}” (7 records) to ${fhir.origin}? The server writes all of it`)
      .waitFor();
    expect(await count('Task')).toBe(0);
    const posted = page.waitForRequest((r) => r.method() === 'POST' && r.url().startsWith(fhir.baseUrl));
    await send.getByRole('button', { name: 'Send 7 records' }).click();
    await send
      .getByText(`${fhir.origin} wrote 7 records in one transaction: 7 created, 0 updated.`)
      .waitFor();
    expect([
      await count('Provenance'),
      await count('Task'),
      await count('VerificationResult'),
      await count('Binary'),
    ]).toEqual([4, 1, 1, 1]);

    // what was sent verifies, and so does the same Bundle read back from the server
    const sent = (await posted).postDataJSON() as TransactionBundle;
    const verdict = await verifySignoffBundle(sent);
    expect(verdict.ok && verdict.signatures.map((s) => s.reauthentication)).toEqual(['none']);
    const stored = await readBack(sent);
    expect(await verifySignoffBundle(stored)).toMatchObject({ ok: true, entries: 7 });
    const cli = await verifyWithCli(stored);
    expect(cli.code, cli.out).toBe(0);
  });

  it('sends it again without making copies', async () => {
    const { page } = watched;
    const send = sending(page);
    await send.getByRole('button', { name: 'Send again' }).click();
    await send.getByRole('button', { name: 'Send 7 records' }).click();
    await send.getByText(/wrote 7 records in one transaction: 0 created, 7 updated\./).waitFor();
    expect([
      await count('Provenance'),
      await count('Task'),
      await count('VerificationResult'),
      await count('Binary'),
    ]).toEqual([4, 1, 1, 1]);
  });

  it('is accessible, with no CSP violation and nothing in the console', async () => {
    expect(await axeViolations(watched.page)).toEqual([]);
    expect(watched.cspViolations).toEqual([]);
    expect(watched.console).toEqual([]);
  });
});
