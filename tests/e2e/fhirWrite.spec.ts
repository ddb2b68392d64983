/**
 * Journey: a data analyst connected to the new EHR's FHIR server (the local test server) chooses a
 * transaction Bundle file in the FHIR server panel: Preflight checks it against FHIR R4 first, then
 * offers it; the analyst confirms, it is written in one transaction, and sending it again rewrites
 * the same records (no copies). An invalid file is never offered, and a Bundle with a POST entry is
 * refused before anything is sent. Accessible, no CSP violation, nothing in the console.
 *
 * Self-contained like fhirServer.spec.ts: the server starts on a free port, reached as the one
 * origin the shared FHIR build allows in its CSP (fhirApp.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ResourceType, Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningFhirServer, startFhirServer } from '../fhirServer/server.ts';
import { signoffLikeBundle } from '../fhirServer/transactionBundles.ts';
import { axeViolations, type Watched } from './browser.ts';
import { connectLocalFhirServer, type FhirAppSession, startFhirAppSession } from './fhirApp.ts';

let session: FhirAppSession<RunningFhirServer> | undefined;
let fhir: RunningFhirServer;
let watched: Watched;
let files: string;

const count = async (type: ResourceType) =>
  (await fhir.repository.searchResources({ resourceType: type })).length;

beforeAll(async () => {
  files = mkdtempSync(path.join(tmpdir(), 'preflight-e2e-bundles-'));
  writeFileSync(path.join(files, 'signoff-bundle.json'), JSON.stringify(signoffLikeBundle('e2e')));
  const invalid = signoffLikeBundle('e2e-invalid');
  const verification = invalid.entry[3]?.resource as { status?: string };
  delete verification.status;
  writeFileSync(path.join(files, 'invalid-bundle.json'), JSON.stringify(invalid));
  const posted = signoffLikeBundle('e2e-post');
  (posted.entry[1] as { request: object }).request = { method: 'POST', url: 'Provenance' };
  writeFileSync(path.join(files, 'post-bundle.json'), JSON.stringify(posted));

  // over 64 KiB: a browser refuses such a body with fetch keepalive on (fhir-kit-client's default)
  const large = signoffLikeBundle('e2e-large');
  (large.entry[0]?.resource as { description?: string }).description = 'Approved after review. '.repeat(
    4_000,
  );
  writeFileSync(path.join(files, 'large-bundle.json'), JSON.stringify(large));
  session = await startFhirAppSession(startFhirServer);
  ({ fhir, watched } = session);
  await watched.page.getByRole('link', { name: 'Migration' }).click();
  await connectLocalFhirServer(watched.page, fhir.baseUrl);
}, 240_000);

afterAll(async () => {
  await session?.close();
  if (files) rmSync(files, { recursive: true, force: true });
});

describe('sending a transaction Bundle file', () => {
  it('checks the file, asks to confirm, and writes every record in one transaction', async () => {
    const { page } = watched;
    const panel = page.getByRole('region', { name: 'FHIR server' });
    await panel
      .getByLabel('Send a transaction Bundle file')
      .setInputFiles(path.join(files, 'signoff-bundle.json'));
    await panel.getByRole('button', { name: 'Send to the FHIR server' }).click({ timeout: 60_000 });
    await panel
      .getByText(
        `Send signoff-bundle.json (4 records) to ${fhir.origin}? The server writes all of it or none of it.`,
        { exact: false },
      )
      .waitFor();
    expect(await count('Task')).toBe(0);
    await panel.getByRole('button', { name: 'Send 4 records' }).click();
    await panel.getByText(`${fhir.origin} wrote 4 records in one transaction`).waitFor();
    expect([await count('Task'), await count('Provenance'), await count('VerificationResult')]).toEqual([
      1, 2, 1,
    ]);
  });

  it('sends it again without making copies', async () => {
    const { page } = watched;
    const panel = page.getByRole('region', { name: 'FHIR server' });
    await panel.getByRole('button', { name: 'Send again' }).click();
    await panel.getByRole('button', { name: 'Send 4 records' }).click();
    await panel.getByText(`${fhir.origin} wrote 4 records in one transaction`).waitFor();
    expect([await count('Task'), await count('Provenance'), await count('VerificationResult')]).toEqual([
      1, 2, 1,
    ]);
    await expect(fhir.repository.readResource('Task', 'e2e-task')).resolves.toMatchObject({
      status: 'completed',
    });
  });

  it('sends a Bundle over 64 KiB (keepalive off)', async () => {
    const { page } = watched;
    const panel = page.getByRole('region', { name: 'FHIR server' });
    await panel
      .getByLabel('Send a transaction Bundle file')
      .setInputFiles(path.join(files, 'large-bundle.json'));
    await panel.getByRole('button', { name: 'Send to the FHIR server' }).click({ timeout: 60_000 });
    await panel.getByRole('button', { name: 'Send 4 records' }).click();
    await panel.getByText(`${fhir.origin} wrote 4 records in one transaction`).waitFor();
    const task = await fhir.repository.readResource<Task>('Task', 'e2e-large-task');
    expect(task.description?.length).toBeGreaterThan(64 * 1024);
  });

  it('does not offer a file that is not valid FHIR R4', async () => {
    const { page } = watched;
    const panel = page.getByRole('region', { name: 'FHIR server' });
    await panel
      .getByLabel('Send a transaction Bundle file')
      .setInputFiles(path.join(files, 'invalid-bundle.json'));
    await panel
      .getByRole('alert')
      .getByText(/invalid-bundle\.json has 1 error against FHIR R4, so it was not offered for sending/)
      .waitFor({ timeout: 60_000 });
    await expect(
      panel.getByRole('button', { name: /Send to the FHIR server|Send again/ }).count(),
    ).resolves.toBe(0);
  });

  it('refuses a Bundle with a POST entry before sending anything', async () => {
    const { page } = watched;
    const panel = page.getByRole('region', { name: 'FHIR server' });
    const tasks = await count('Task');
    await panel
      .getByLabel('Send a transaction Bundle file')
      .setInputFiles(path.join(files, 'post-bundle.json'));
    await panel
      .getByRole('alert')
      .getByText(/entry 2 \(Bundle\.entry\[1\]\): is a POST, .*a retry would duplicate it/)
      .waitFor({ timeout: 60_000 });
    await expect(panel.getByRole('button', { name: 'Send to the FHIR server' }).count()).resolves.toBe(0);
    expect(await count('Task')).toBe(tasks);
  });

  it('forgets the server when asked: nothing more can be sent over it', async () => {
    const { page } = watched;
    const panel = page.getByRole('region', { name: 'FHIR server' });
    await panel.getByRole('button', { name: 'Forget this server' }).click();
    await expect(page.getByText(/Connected to/).count()).resolves.toBe(0);
    await expect(panel.getByLabel('Send a transaction Bundle file').count()).resolves.toBe(0);
  });

  it('is accessible, with no CSP violation and nothing in the console', async () => {
    expect(await axeViolations(watched.page)).toEqual([]);
    expect(watched.cspViolations).toEqual([]);
    expect(watched.console).toEqual([]);
  });
});
