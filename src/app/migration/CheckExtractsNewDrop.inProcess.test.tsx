/**
 * "Choose a new drop to check…" on the Check extracts screen: it opens the file chooser for a new
 * drop, and its words say so — never "Check", which read as checking the files already listed.
 * With files listed, its description says Validate checks those. Rendered with a project holding
 * a saved check set (the button shows only then) and the app's job registry. A new drop is bound
 * and checked at once by the core's steps (the validator worker's API in process): its report
 * names the check set it was checked as and its header differences, and the check set is kept.
 */
import { Blob, File } from 'node:buffer';
import { gzipSync } from 'node:zlib';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyChange, createProject } from '../../core/project/changes.ts';
import type { Report } from '../../formats/report.ts';
import { createJobRegistry } from '../jobs/jobRegistry.ts';
import { JobsContext } from '../jobs/jobsContext.ts';
import { conflictBeside, publishConflict } from '../team/testing/conflictBeside.ts';
import { CheckExtracts, NEW_DROP_BUTTON, newDropHint } from './CheckExtracts.tsx';
import { fileChooser, renderCheckExtracts } from './testing/renderCheckExtracts.tsx';

const NOW = '2026-11-25T09:00:00.000Z';

afterEach(() => {
  vi.unstubAllGlobals();
});

/** A saved check set of two columns, with its contract (which names a third column) and key. */
const project = applyChange(
  applyChange(
    createProject({ id: 'new-drop', name: 'Maple Street', now: NOW }),
    {
      type: 'schema/put',
      schema: {
        id: 'contract:patients',
        name: 'Patients',
        schema: {
          $id: 'urn:test:patients',
          type: 'object',
          properties: { patient_id: { type: 'string', pattern: '^P[0-9]+$' }, birth_date: {}, sex: {} },
          required: ['patient_id'],
        },
      },
    },
    NOW,
  ),
  {
    type: 'dataset/put',
    dataset: {
      id: 'patients',
      name: 'patients.csv',
      kind: 'csv',
      bytes: 100,
      columns: ['patient_id', 'birth_date'],
      origin: { type: 'file' },
      contract: 'contract:patients',
      key: 'patient_id',
    },
  },
  NOW,
);

describe('the new-drop button', () => {
  it('says it opens the file chooser for a new drop, not that it checks the files listed', () => {
    render(
      <JobsContext.Provider value={createJobRegistry()}>
        <CheckExtracts project={project} />
      </JobsContext.Provider>,
    );
    const button = screen.getByRole('button', { name: NEW_DROP_BUTTON });
    expect(button.textContent).toBe('Choose a new drop to check…');
    expect(screen.queryByRole('button', { name: /^Check the new extract/ })).toBeNull();
    expect(button.getAttribute('aria-describedby')).toBeTruthy();
    const hint = document.getElementById(button.getAttribute('aria-describedby') ?? '');
    expect(hint?.textContent).toBe(newDropHint(0));
    expect(hint?.textContent).toMatch(/^Opens the file chooser for the files of a new drop/);
  });

  it('with files listed, says Validate checks them', () => {
    expect(newDropHint(1)).toMatch(/; to check the file already listed, press Validate\.$/);
    expect(newDropHint(3)).toMatch(
      /They take the place of the 3 files listed below; to check the 3 files already listed, press Validate\.$/,
    );
  });
});

describe('a new drop chosen with the button', () => {
  it('is checked at once as its saved check set, which is kept, with its header against the contract', async () => {
    const { changes, reports } = renderCheckExtracts(project);
    const chooser = fileChooser('new drop');
    // renamed: bound by its header; a bad identifier and a repeated key
    const drop = new File(
      ['patient_id,birth_date\nP1,2000-01-01\nX2,2001-02-03\nP1,2002-03-04\n'],
      'pts-2026-12.csv',
    );
    await userEvent.upload(chooser, drop as unknown as globalThis.File);
    await waitFor(() => expect(reports).toHaveLength(1), { timeout: 20_000 });
    const [report] = reports as [Report];
    expect(report.inputs.map((i) => [i.name, i.dataset, i.schema])).toEqual([
      ['pts-2026-12.csv', 'patients', 'urn:test:patients'],
    ]);
    expect(report.summary.invalid).toBe(1);
    expect(report.crossFile.duplicateKeys.map((d) => [d.column, d.count])).toEqual([['patient_id', 2]]);
    // the contract's column the file lacks: one issue before any row, the rows checked (it fits)
    expect(report.issues.filter((i) => i.rule === 'missing-label').map((i) => i.location)).toEqual(['sex']);
    // the check set is kept with what this drop was checked with
    const kept = changes.flatMap((c) => (c.type === 'dataset/put' ? [c.dataset] : []));
    expect(kept.map((d) => [d.id, d.contract, d.key])).toEqual([
      ['patients', 'contract:patients', 'patient_id'],
    ]);
  });

  it('reads a gzipped drop as its text, saying positions are of the decompressed text', async () => {
    // the text is gathered into a Blob, which the worker streams: jsdom's cannot, Node's (a browser's) can
    vi.stubGlobal('Blob', Blob);
    vi.stubGlobal('File', File);
    const { reports } = renderCheckExtracts(project);
    const chooser = fileChooser('new drop');
    const drop = new File([gzipSync('patient_id,birth_date\nP1,2000-01-01\nX2,2001-02-03\n')], 'pts.csv.gz');
    await userEvent.upload(chooser, drop as unknown as globalThis.File);
    await waitFor(() => expect(reports).toHaveLength(1), { timeout: 20_000 });
    expect(reports[0]?.inputs.map((i) => i.name)).toEqual(['pts.csv']);
    expect(reports[0]?.summary.invalid).toBe(1);
    expect(
      screen.getByText(
        'pts.csv.gz was read decompressed as pts.csv: lines and byte positions are those of the decompressed text.',
      ),
    ).toBeTruthy();
  });
});

describe('a file listed with its saved check set and contract', () => {
  it('tells a colleague’s change made first to either beside the file’s settings, in words', async () => {
    // a project of its own each time: the screen keeps the files listed for its project when left
    const screenOf = (id: string) => (
      <JobsContext.Provider value={createJobRegistry()}>
        <CheckExtracts project={{ ...project, meta: { ...project.meta, id } }} onChange={() => {}} />
      </JobsContext.Provider>
    );
    const dataset = project.datasets[0];
    const contract = project.schemas[0];
    if (!dataset || !contract) throw new Error('the project has its check set and contract');
    const listed = async (name = 'patients.csv') => {
      const chooser = document.querySelector<HTMLInputElement>('input[type="file"]:not(.new-drop-check *)');
      if (!chooser) throw new Error('the screen has its file chooser');
      const file = new File(['patient_id,birth_date\nP1,2000-01-01\n'], name);
      await userEvent.upload(chooser, file as unknown as globalThis.File);
      const card = await screen.findByRole('group', { name: `${name} (36 B)` }, { timeout: 20_000 });
      return { card, key: within(card).getByLabelText('Key column (must be unique)') };
    };

    publishConflict('check-set', dataset.id, dataset, { ...dataset, key: 'birth_date' });
    const first = render(screenOf('conflict-check-set'));
    let { card, key } = await listed();
    expect(conflictBeside(card, key, `check set “${dataset.name}”`)).toEqual([
      ['key', 'birth_date', 'patient_id'],
    ]);
    first.unmount();

    publishConflict('contract', contract.id, contract, { ...contract, name: 'Patients (2026)' });
    render(screenOf('conflict-contract'));
    ({ card, key } = await listed());
    expect(conflictBeside(card, key, `column contract “${contract.name}”`)).toEqual([
      ['name', 'Patients (2026)', 'Patients'],
    ]);
    // a second file with the same contract: told once, beside the first (one place, one id)
    const second = await listed('patients-2.csv');
    expect(within(second.card).queryByTestId('conflict-beside')).toBeNull();
    expect(screen.getAllByTestId('conflict-beside')).toHaveLength(1);
  });
});
