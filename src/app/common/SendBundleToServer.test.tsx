/**
 * Sending a transaction Bundle to the connected FHIR server, against the real local FHIR test server
 * (tests/fhirServer), reached with the app's own connection code over Node's fetch. That a browser
 * sends a body over 64 KiB (keepalive off) and that the page's CSP lets it through is the browser's
 * to prove (tests/e2e/fhirServer.spec.ts).
 */
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { act } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningFhirServer, startFhirServer } from '../../../tests/fhirServer/server.ts';
import { signoffLikeBundle } from '../../../tests/fhirServer/transactionBundles.ts';
import { connectFhirServer } from '../../fhir/connection.ts';
import { setFhirConnection } from './fhirConnectionStore.ts';
import { SendBundleToServer } from './SendBundleToServer.tsx';

let fhir: RunningFhirServer;

beforeAll(async () => {
  fhir = await startFhirServer();
});

afterAll(async () => {
  await fhir?.close();
});

afterEach(() => {
  act(() => setFhirConnection(undefined));
});

const count = async (type: 'Task' | 'Provenance' | 'VerificationResult') =>
  (await fhir.repository.searchResources({ resourceType: type })).length;

async function connect(): Promise<void> {
  const connection = await connectFhirServer({ baseUrl: fhir.baseUrl });
  act(() => setFhirConnection(connection));
}

describe('SendBundleToServer', () => {
  it('says how to connect a server when none is', () => {
    render(<SendBundleToServer bundle={signoffLikeBundle('none')} describe="the sign-off of Go-live" />);
    expect(screen.getByText(/^No FHIR server is connected\. To send the sign-off of Go-live/)).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('asks to confirm, writes every record in one transaction, and sending again makes no copies', async () => {
    await connect();
    const bundle = signoffLikeBundle('component');
    render(<SendBundleToServer bundle={bundle} describe="signoff-bundle.json" />);
    await userEvent.click(screen.getByRole('button', { name: 'Send to the FHIR server' }));
    expect(
      screen.getByText(
        `Send signoff-bundle.json (4 records) to ${fhir.origin}? The server writes all of it or none of it.`,
        { exact: false },
      ),
    ).toBeTruthy();
    expect(await count('Task')).toBe(0);
    await userEvent.click(screen.getByRole('button', { name: 'Send 4 records' }));
    await screen.findByText(`${fhir.origin} wrote 4 records in one transaction`, { exact: false });
    expect([await count('Task'), await count('Provenance'), await count('VerificationResult')]).toEqual([
      1, 2, 1,
    ]);

    await userEvent.click(screen.getByRole('button', { name: 'Send again' }));
    await userEvent.click(screen.getByRole('button', { name: 'Send 4 records' }));
    await screen.findByText(/wrote 4 records in one transaction: 0 created, 4 updated/);
    expect([await count('Task'), await count('Provenance'), await count('VerificationResult')]).toEqual([
      1, 2, 1,
    ]);
    await expect(fhir.repository.readResource('Task', 'component-task')).resolves.toMatchObject({
      status: 'completed',
    });
  });

  it('cancels at the confirmation, sending nothing', async () => {
    await connect();
    render(<SendBundleToServer bundle={signoffLikeBundle('cancelled')} describe="cancelled.json" />);
    await userEvent.click(screen.getByRole('button', { name: 'Send to the FHIR server' }));
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('button', { name: 'Send to the FHIR server' })).toBeTruthy();
    await expect(fhir.repository.readResource('Task', 'cancelled-task')).rejects.toThrow();
  });

  it('refuses a Bundle with a POST entry before anything is sent', async () => {
    await connect();
    const posted = signoffLikeBundle('posted');
    (posted.entry[1] as { request: object }).request = { method: 'POST', url: 'Provenance' };
    const tasks = await count('Task');
    render(<SendBundleToServer bundle={posted} describe="post-bundle.json" />);
    expect(screen.getByRole('alert').textContent).toMatch(
      /entry 2 \(Bundle\.entry\[1\]\): is a POST, .*a retry would duplicate it/,
    );
    expect(screen.queryByRole('button', { name: 'Send to the FHIR server' })).toBeNull();
    expect(await count('Task')).toBe(tasks);
  });
});
