/**
 * The implementation guide packages panel with its real hook: packages read by the FHIR validator's
 * own API (in this process: src/app/fhir/fhirWorkerInProcess.ts, the component project's stand-in),
 * kept in IndexedDB (fake-indexeddb) and referenced from the project's settings, as the Migration
 * workspace holds them. That a package kept in the browser's IndexedDB survives a reload is the
 * browser's to prove (tests/e2e/fhirHostile.spec.ts): fake-indexeddb cannot clone jsdom's Blobs.
 */
import 'fake-indexeddb/auto';
import { Blob as NodeBlob } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPS_TGZ } from '../../../tests/fixtures/ipsPackage.ts';
import { tgz } from '../../../tests/fixtures/tgz.ts';
import type { ProjectChange } from '../../core/project/changes.ts';
import { deletePreflightDb } from '../../storage/db.ts';
import { IG_PACKAGE_DB_NAME, openIgPackageStore } from '../../storage/igPackageStore.ts';
import { inProcessFhirApi, prewarmFhirValidator } from '../fhir/fhirWorkerInProcess.ts';
import { FhirPackages } from './FhirPackages.tsx';
import { useFhirPackages } from './useFhirPackages.ts';

const IPS_SHA256 = '4a5cff17580f869140614ac51097d81540c63644d550ced8d4cd9b9bce7345c4';
const IPS_PATIENT = 'http://hl7.org/fhir/uv/ips/StructureDefinition/Patient-uv-ips';
const PROJECT = 'project-1';
const ipsFile = () =>
  new File([readFileSync(IPS_TGZ)], 'hl7.fhir.uv.ips-2.0.0.tgz', { type: 'application/gzip' });

/** The panel as the workspace holds it: the project's settings in state, every change applied. */
function Harness({
  initial = {},
  kept,
}: {
  initial?: Record<string, unknown>;
  kept: Record<string, unknown>[];
}) {
  const [settings, setSettings] = useState(initial);
  const dispatch = (change: ProjectChange) => {
    if (change.type !== 'project/settings') return;
    kept.push(change.settings);
    setSettings(change.settings);
  };
  return <FhirPackages state={useFhirPackages(PROJECT, settings, dispatch)} disabled={false} />;
}

const addInput = () => screen.getByLabelText('Add packages (.tgz)');

beforeAll(async () => {
  // the validator's modules load once, before the first test's waits
  await prewarmFhirValidator();
}, 60_000);

afterEach(async () => {
  vi.restoreAllMocks();
  await deletePreflightDb(IG_PACKAGE_DB_NAME);
});

describe('FhirPackages', () => {
  it('names a file that is not a package and what to do, and adds nothing', async () => {
    const kept: Record<string, unknown>[] = [];
    render(<Harness kept={kept} />);
    await waitFor(() => expect(addInput()).toHaveProperty('disabled', false));
    await userEvent.upload(addInput(), new File(['{"resourceType":"Flag"}'], 'flags-export.tgz'));
    const alert = await screen.findByRole('alert', {}, { timeout: 30_000 });
    expect(alert.textContent).toMatch(
      /^flags-export\.tgz cannot be used as an implementation guide package: The file is not gzip-compressed.*Choose the package file itself/,
    );
    expect(screen.queryByRole('list', { name: 'Packages applied' })).toBeNull();
    expect(kept).toEqual([]);
  });

  it('adds a package: its name, version, SHA-256 and the packages it needs that are not loaded', async () => {
    const kept: Record<string, unknown>[] = [];
    render(<Harness kept={kept} />);
    await waitFor(() => expect(addInput()).toHaveProperty('disabled', false));
    await userEvent.upload(addInput(), ipsFile());
    const list = await screen.findByRole('list', { name: 'Packages applied' }, { timeout: 30_000 });
    expect(list.textContent).toContain('hl7.fhir.uv.ips 2.0.0');
    expect(list.textContent).toContain(IPS_SHA256);
    const missing = screen.getByRole('list', { name: 'Packages not loaded' }).textContent;
    expect(missing).toContain('hl7.fhir.r4.core 4.0.1, needed by hl7.fhir.uv.ips 2.0.0');
    expect(missing).toContain('hl7.terminology.r4');
    expect(screen.queryByRole('alert')).toBeNull();
    // the project keeps a reference: name, version and SHA-256, never the bytes
    expect(kept.at(-1)?.fhirPackages).toEqual([
      {
        fileName: 'hl7.fhir.uv.ips-2.0.0.tgz',
        name: 'hl7.fhir.uv.ips',
        version: '2.0.0',
        sha256: IPS_SHA256,
        bytes: readFileSync(IPS_TGZ).length,
      },
    ]);

    // a profile chosen for every resource of its type is kept in the project
    const choice = screen.getByRole('group', { name: 'Profiles to apply' });
    await userEvent.click(within(choice).getByRole('checkbox', { name: /^Patient \(IPS\)/ }));
    expect(within(choice).getByText('Choose profiles (1 chosen)')).toBeTruthy();
    expect(kept.at(-1)?.fhirProfiles).toEqual([IPS_PATIENT]);

    // removed, it is gone from the panel and the project
    await userEvent.click(screen.getByRole('button', { name: 'Remove hl7.fhir.uv.ips 2.0.0' }));
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Packages applied' })).toBeNull());
    expect(kept.at(-1)?.fhirPackages).toEqual([]);
  }, 60_000);

  it('adds a terminology package: its codes only, marked so in the project', async () => {
    const kept: Record<string, unknown>[] = [];
    render(<Harness kept={kept} />);
    const input = () => screen.getByLabelText('Add terminology packages (.tgz)');
    await waitFor(() => expect(input()).toHaveProperty('disabled', false));
    const bytes = tgz({
      'package/package.json': JSON.stringify({
        name: 'clinic.codes',
        version: '1.0.0',
        dependencies: { 'hl7.fhir.r4.core': '4.0.1' },
      }),
      'package/CodeSystem-cvx.json': JSON.stringify({
        resourceType: 'CodeSystem',
        url: 'http://hl7.org/fhir/sid/cvx',
        content: 'complete',
        concept: [{ code: '140' }],
      }),
    });
    await userEvent.upload(
      input(),
      new File([new Uint8Array(bytes)], 'clinic-codes.tgz', { type: 'application/gzip' }),
    );
    const list = await screen.findByRole('list', { name: 'Packages applied' }, { timeout: 30_000 });
    expect(list.textContent).toContain('clinic.codes 1.0.0');
    expect(list.textContent).toContain('terminology: 1 code system, 0 value sets');
    // a terminology package asks for no dependency and offers no profile
    expect(screen.queryByRole('list', { name: 'Packages not loaded' })).toBeNull();
    expect(kept.at(-1)?.fhirPackages).toMatchObject([{ name: 'clinic.codes', terminology: true }]);
  }, 60_000);

  it('keeps no package another tab wipes while it is read, and says so', async () => {
    const kept: Record<string, unknown>[] = [];
    render(<Harness kept={kept} />);
    await waitFor(() => expect(addInput()).toHaveProperty('disabled', false));
    // the package read waits once the worker has it: `reading` says it began, `release` lets it go on
    let reached = () => {};
    let release = () => {};
    const reading = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const inspect = inProcessFhirApi.inspectPackages;
    vi.spyOn(inProcessFhirApi, 'inspectPackages').mockImplementationOnce(async (...specs) => {
      reached();
      await held;
      return inspect.apply(inProcessFhirApi, specs);
    });
    await userEvent.upload(addInput(), ipsFile());
    await reading;
    // "Close and wipe" in another tab while this one reads the package
    await expect(deletePreflightDb(IG_PACKAGE_DB_NAME)).resolves.toBe('deleted');
    release();
    const alert = await screen.findByRole('alert', {}, { timeout: 30_000 });
    expect(alert.textContent).toBe(
      "hl7.fhir.uv.ips-2.0.0.tgz was not kept: Preflight's data in this browser was wiped in another tab, so this tab stopped saving. Reload this tab to continue.",
    );
    expect((await indexedDB.databases()).map((d) => d.name)).not.toContain(IG_PACKAGE_DB_NAME);
    expect(kept).toEqual([]);
    expect(screen.queryByRole('list', { name: 'Packages applied' })).toBeNull();
  }, 60_000);

  it('names a package the project records but this browser does not hold, and lets it be removed', async () => {
    const kept: Record<string, unknown>[] = [];
    const reference = {
      fileName: 'hl7.fhir.uv.ips-2.0.0.tgz',
      name: 'hl7.fhir.uv.ips',
      version: '2.0.0',
      sha256: IPS_SHA256,
      bytes: 1,
    };
    render(<Harness initial={{ fhirPackages: [reference] }} kept={kept} />);
    const absent = await screen.findByRole('status');
    expect(absent.textContent).toContain('does not hold');
    expect(absent.textContent).toContain(
      `hl7.fhir.uv.ips 2.0.0 (hl7.fhir.uv.ips-2.0.0.tgz), SHA-256 ${IPS_SHA256}`,
    );
    await userEvent.click(
      within(absent).getByRole('button', { name: 'Remove hl7.fhir.uv.ips 2.0.0 from the project' }),
    );
    await waitFor(() => expect(screen.queryByText(/does not hold/)).toBeNull());
    expect(kept.at(-1)?.fhirPackages).toEqual([]);
  });

  it('names a kept package damaged in storage, and lets it be removed', async () => {
    const store = await openIgPackageStore();
    await store.put({
      projectId: PROJECT,
      sha256: IPS_SHA256,
      fileName: 'hl7.fhir.uv.ips-2.0.0.tgz',
      // a Node Blob: fake-indexeddb keeps it as a Blob, as a browser keeps its own
      file: new NodeBlob(['damaged']) as unknown as Blob,
    });
    store.close();
    const kept: Record<string, unknown>[] = [];
    const reference = {
      fileName: 'hl7.fhir.uv.ips-2.0.0.tgz',
      name: 'hl7.fhir.uv.ips',
      version: '2.0.0',
      sha256: IPS_SHA256,
      bytes: 7,
    };
    render(<Harness initial={{ fhirPackages: [reference] }} kept={kept} />);
    const unreadable = await screen.findByRole('list', { name: 'Packages that could not be read' });
    expect(screen.getByRole('alert').textContent).toContain(
      'hl7.fhir.uv.ips-2.0.0.tgz cannot be used as an implementation guide package',
    );
    await userEvent.click(
      within(unreadable).getByRole('button', { name: 'Remove hl7.fhir.uv.ips 2.0.0 from the project' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('list', { name: 'Packages that could not be read' })).toBeNull(),
    );
    expect(kept.at(-1)?.fhirPackages).toEqual([]);
  });

  it('takes no package while a validation runs', () => {
    render(
      <FhirPackages
        disabled
        state={{
          loaded: true,
          packages: [],
          missing: [],
          absent: [],
          unreadable: [],
          profiles: [],
          problems: [],
          busy: false,
          specs: [],
          add: async () => {},
        }}
      />,
    );
    expect(addInput()).toHaveProperty('disabled', true);
  });
});
