/**
 * The FHIR server panel against the real local FHIR test server (tests/fhirServer), reached with
 * the app's own connection code over Node's fetch, the allowlist (the panel's `allowedOrigins`)
 * naming it. What only a browser proves — the page's CSP, a server that stops answering, a bulk
 * export withdrawn, no identifier in a URL — is in tests/e2e/fhirServer.spec.ts.
 */
import 'fake-indexeddb/auto';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { act, useMemo } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DemoFhirServer, startDemoFhirServer } from '../../../tests/fhirServer/demoServer.ts';
import { startFhirServer } from '../../../tests/fhirServer/server.ts';
import { setFhirConnection } from '../common/fhirConnectionStore.ts';
import { createJobRegistry } from '../jobs/jobRegistry.ts';
import { JobsContext } from '../jobs/jobsContext.ts';
import { FhirServerPanel } from './FhirServerPanel.tsx';
import { ValidationReport } from './ValidationReport.tsx';

/** The origins the page's policy would allow (jsdom has none): the test server's, once it listens. */
const allowed: string[] = [];

let fhir: DemoFhirServer;
/** Every request the server was asked. */
const requests: { method: string; path: string }[] = [];

beforeAll(async () => {
  fhir = await startDemoFhirServer({ beforeAnswer: (request) => void requests.push(request) });
  allowed.push(fhir.origin);
}, 120_000);

afterAll(async () => {
  await fhir?.close();
});

afterEach(() => {
  act(() => setFhirConnection(undefined));
});

function Panel() {
  const registry = useMemo(() => createJobRegistry(), []);
  return (
    <JobsContext.Provider value={registry}>
      <FhirServerPanel
        projectId="p1"
        settings={{}}
        mappings={[]}
        ReportView={ValidationReport}
        allowedOrigins={allowed}
      />
    </JobsContext.Provider>
  );
}

const panel = () => screen.getByRole('region', { name: 'FHIR server' });

async function connect(address: string): Promise<void> {
  const address_ = within(panel()).getByLabelText('Server address');
  await userEvent.clear(address_);
  await userEvent.type(address_, address);
  await userEvent.click(within(panel()).getByRole('button', { name: 'Connect' }));
}

describe('FhirServerPanel', () => {
  it('says how to allow a server outside the allowlist, without touching the network', async () => {
    const asked = requests.length;
    const fetching = vi.spyOn(globalThis, 'fetch');
    render(<Panel />);
    await connect('https://fhir.example.org/r4');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/not allowed to contact https:\/\/fhir\.example\.org/);
    expect(alert.textContent).toMatch(/PREFLIGHT_FHIR_ORIGINS=https:\/\/fhir\.example\.org npm start/);
    expect(fetching).not.toHaveBeenCalled();
    expect(requests.length).toBe(asked);
    fetching.mockRestore();
  });

  it('says when the wait for each answer is not a whole number from 5 to 600, and what is used meanwhile', async () => {
    render(<Panel />);
    const wait = within(panel()).getByLabelText('Wait for each answer (seconds)');
    await userEvent.clear(wait);
    await userEvent.type(wait, '2');
    expect(
      within(panel()).getByText(/Not a whole number from 5 to 600: 30 seconds are used until it is\./),
    ).toBeTruthy();
    await userEvent.clear(wait);
    await userEvent.type(wait, '45');
    expect(within(panel()).queryByText(/Not a whole number/)).toBeNull();
    await userEvent.clear(wait);
    // typed key by key: '3' alone is out of range, so the last whole number stays in use
    await userEvent.type(wait, '3');
    expect(
      within(panel()).getByText(/Not a whole number from 5 to 600: 45 seconds are used until it is\./),
    ).toBeTruthy();
    await userEvent.clear(wait);
    await userEvent.type(wait, '30');
  });

  it('connects, says what the server offers, pulls its patients page by page, and forgets it when asked', async () => {
    render(<Panel />);
    await connect(fhir.baseUrl);
    await within(panel()).findByText(/^Connected to Preflight local FHIR server/, {}, { timeout: 30_000 });
    expect(within(panel()).getByText(/no bulk export \(records are read page by page\)\.$/)).toBeTruthy();
    await userEvent.click(within(panel()).getByRole('button', { name: 'Pull records' }));
    const count = fhir.patients.length.toLocaleString('en-US');
    await within(panel()).findByText(
      `all ${count} records, read page by page`,
      { exact: false },
      { timeout: 60_000 },
    );
    expect(
      within(panel()).getByRole('button', { name: /^Download Patient-127\.0\.0\.1-\d+\.ndjson$/ }),
    ).toBeTruthy();
    expect(within(panel()).getByRole('button', { name: 'Validate pulled records' })).toBeTruthy();

    await userEvent.click(within(panel()).getByRole('button', { name: 'Forget this server' }));
    expect(within(panel()).queryByText(/^Connected to/)).toBeNull();
    expect(within(panel()).queryByLabelText('Send a transaction Bundle file')).toBeNull();
    expect(within(panel()).queryByRole('button', { name: 'Pull records' })).toBeNull();
  }, 120_000);

  it('says a stopped server cannot be reached and what to check', async () => {
    const stopped = await startFhirServer();
    allowed.push(stopped.origin);
    await stopped.close();
    render(<Panel />);
    await connect(stopped.baseUrl);
    const alert = await screen.findByRole('alert', {}, { timeout: 30_000 });
    expect(alert.textContent).toContain(`Could not reach ${stopped.origin}`);
    expect(alert.textContent).toMatch(/running/);
  }, 120_000);
});
