/**
 * The mapping editor over the demo clinic's patient mapping: a form per field with a live preview
 * of the first rows, what is left to map, and undo. A saved mapping is edited in a copy (opening
 * the demo's mapping to try something must not change it); a bad pattern is named at its field
 * and step and holds the preview; a target the resource type lacks is named from the FHIR digest;
 * a new mapping to the file's contract lists the contract's required fields. The project is the
 * demo's, changed by the project's own reducer; the preview's rows are read by the validator
 * worker's API in-process (testing/inProcessValidateClient.ts: jsdom has no Worker).
 */
import { File } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { configure, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useReducer } from 'react';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { sniffInWorker } from '../../../workers/validateClient.ts';
import { applyChange, type ProjectChange } from '../../core/project/changes.ts';
import type { Project } from '../../formats/project.ts';
import { createDemoProject } from '../demo/demoProject.ts';
import { conflictBeside, publishConflict } from '../team/testing/conflictBeside.ts';
import type { ChosenExtract } from './extractSetup.ts';
import { MappingEditor } from './MappingEditor.tsx';

// a wait ends as soon as its condition holds; the bound only names a hang on a loaded machine
configure({ asyncUtilTimeout: 20_000 });

const NOW = '2026-03-01T09:00:00.000Z';
const DEMO_MAPPING = 'Legacy patients.csv to FHIR R4 Patient';
const COPY = `${DEMO_MAPPING} (copy)`;

let demo: Project;
let patients: ChosenExtract;

const ROOT = resolve(import.meta.dirname, '../../..');

beforeAll(async () => {
  // the demo project describes its bundled extracts, read from the app's own address: here, the files
  vi.stubGlobal('fetch', async (url: string) => new Response(readFileSync(join(ROOT, url))));
  demo = await createDemoProject(NOW);
  vi.unstubAllGlobals();
  const bytes = readFileSync(join(ROOT, 'samples/legacy/patients.csv'));
  const file = new File([bytes], 'patients.csv') as unknown as globalThis.File;
  const sniffed = await sniffInWorker(file, 'patients.csv');
  if (!sniffed.ok) throw new Error(sniffed.problem.message);
  const { detected, ...layout } = sniffed.layout;
  patients = {
    name: 'patients.csv',
    file,
    layout,
    detected,
    header: sniffed.header,
    contract: 'contract:patients',
    key: 'mrn',
  };
}, 60_000);

/** The editor as the Migration screen holds it: the project in state, every change applied. */
function Screen({ seen }: { seen: { project?: Project } }) {
  const [project, dispatch] = useReducer(
    (p: Project, change: ProjectChange) => applyChange(p, change, NOW),
    demo,
  );
  seen.project = project;
  return <MappingEditor project={project} extracts={[patients]} onChange={dispatch} />;
}

/** The form of the field writing `target`, opened. */
async function openField(target: string): Promise<HTMLElement> {
  const summary = [...document.querySelectorAll<HTMLElement>('.mapping-field > summary')].find(
    (s) => s.querySelector('strong')?.textContent === target,
  );
  if (!summary) throw new Error(`no field ${target}`);
  const details = summary.parentElement as HTMLDetailsElement;
  if (!details.open) await userEvent.click(summary);
  return details;
}

const firstRecord = async () => {
  const preview = await screen.findByTestId('mapping-preview');
  return preview.querySelector('.preview-record')?.textContent ?? '';
};
const undo = () => userEvent.click(screen.getByRole('button', { name: 'Undo' }));
const redo = () => userEvent.click(screen.getByRole('button', { name: 'Redo' }));

describe('Mapping editor', () => {
  it('tells a colleague’s change made first to the mapping beside its form, in words', async () => {
    const mapping = demo.mappings.find((m) => m.name === DEMO_MAPPING);
    if (!mapping) throw new Error('the demo has no patient mapping');
    publishConflict('mapping', mapping.id, mapping, { ...mapping, source: 'patients-2026.csv' });
    render(<Screen seen={{}} />);
    await waitFor(async () => expect(await firstRecord()).toContain('"state": "MA"'));
    const form = document.querySelector<HTMLElement>('.mapping-form') as HTMLElement;
    expect(
      conflictBeside(form, screen.getByRole('button', { name: 'Undo' }), `mapping “${DEMO_MAPPING}”`),
    ).toEqual([['source', 'patients-2026.csv', mapping.source]]);
  });

  it('opens the demo mapping as a form, with the preview and what is left to map', async () => {
    render(<Screen seen={{}} />);
    await waitFor(async () => expect(await firstRecord()).toContain('"state": "MA"'));
    expect(document.querySelectorAll('.mapping-field')).toHaveLength(29);
    expect((screen.getByLabelText('Target', { exact: true }) as HTMLSelectElement).value).toBe('fhir');
    // the resource types come from the FHIR digest, loaded when a FHIR target is shown: until
    // then the field is a text box, replaced by the list once the digest is there
    const type = (await screen.findByRole('combobox', { name: 'Resource type' })) as HTMLSelectElement;
    await within(type).findByRole('option', { name: 'Observation' });
    expect(type.value).toBe('Patient');
    const unused = screen.getByTestId('unused-columns');
    for (const column of ['insurance_member_id', 'allergies', 'last_visit'])
      expect(within(unused).getByRole('button', { name: `Map ${column}` })).toBeTruthy();
  });

  it('edits a saved mapping in a copy: the preview follows, and undo and redo work in the copy', async () => {
    const seen: { project?: Project } = {};
    render(<Screen seen={seen} />);
    await waitFor(async () => expect(await firstRecord()).toContain('"state": "MA"'));
    expect(
      screen.getByText(`This is the saved mapping “${DEMO_MAPPING}”: your changes go to a copy`, {
        exact: false,
      }),
    ).toBeTruthy();
    const state = await openField('address[0].state');
    const step = within(state).getByRole('group', { name: 'Step 2: Change case' });
    await userEvent.selectOptions(within(step).getByLabelText('Convert to'), 'lower');
    await waitFor(async () => expect(await firstRecord()).toContain('"state": "ma"'));
    expect(
      screen
        .getAllByRole('status')
        .map((s) => s.textContent)
        .filter((t) => t?.startsWith('Your changes')),
    ).toEqual([`Your changes are in “${COPY}”, a copy; “${DEMO_MAPPING}” is unchanged.`]);
    expect((screen.getByLabelText('Mapping', { exact: true }) as HTMLSelectElement).value).not.toBe(
      'patients-to-fhir-patient',
    );
    // the demo's mapping in the project is as it was; the copy holds the change
    const saved = seen.project?.mappings ?? [];
    const original = saved.find((m) => m.id === 'patients-to-fhir-patient');
    const copy = saved.find((m) => m.name === COPY);
    const stateOf = (m: typeof original) =>
      JSON.stringify(m?.fields.find((f) => f.target === 'address[0].state'));
    expect(stateOf(original)).toContain('"upper"');
    expect(stateOf(copy)).toContain('"lower"');
    // the change that made the copy is undone in the copy, and redone
    const convert = () => (within(step).getByLabelText('Convert to') as HTMLSelectElement).value;
    await undo();
    await waitFor(() => expect(convert()).toBe('upper'));
    await redo();
    await waitFor(() => expect(convert()).toBe('lower'));
  });

  it('names a bad pattern at its field and step, holds the preview, and undo clears it', async () => {
    render(<Screen seen={{}} />);
    await waitFor(async () => expect(await firstRecord()).toContain('"state": "MA"'));
    const middle = await openField('name[0].given[1]');
    const pattern = within(middle).getByLabelText('Pattern (regular expression)');
    await userEvent.clear(pattern);
    await userEvent.type(pattern, '(');
    const problem = await within(middle).findByText(
      'Field name[0].given[1], step 2 (Find and replace (pattern)): not a valid regular expression',
    );
    expect(problem.closest('.field-problems')).not.toBeNull();
    expect(screen.getByText('The preview waits until the problems above are fixed.')).toBeTruthy();
    // the clear and the typing were one edit each: undo both
    await undo();
    await undo();
    await waitFor(() => expect(within(middle).queryByText(/not a valid regular expression/)).toBeNull());
    expect((within(middle).getByLabelText('Pattern (regular expression)') as HTMLInputElement).value).toBe(
      '^[=+@-].*$',
    );
  });

  it('names a target the resource type does not have, from the FHIR digest', async () => {
    render(<Screen seen={{}} />);
    await waitFor(async () => expect(await firstRecord()).toContain('"state": "MA"'));
    await within(screen.getByLabelText('Resource type')).findByRole('option', { name: 'Observation' });
    const birth = await openField('birthDate');
    const target = within(birth).getByLabelText('Target field');
    await userEvent.type(target, '{Backspace}');
    const undeclared = await screen.findByTestId('undeclared-targets');
    expect(within(undeclared).getByRole('button', { name: 'Open birthDat' })).toBeTruthy();
    await undo();
    await waitFor(() => expect(screen.queryByTestId('undeclared-targets')).toBeNull());
  });

  it('adds a field for an unused column, opened, and removes it', async () => {
    render(<Screen seen={{}} />);
    await waitFor(async () => expect(await firstRecord()).toContain('"state": "MA"'));
    await userEvent.click(
      within(screen.getByTestId('unused-columns')).getByRole('button', { name: 'Map last_visit' }),
    );
    const added = await openField('last_visit');
    expect((added as HTMLDetailsElement).open).toBe(true);
    await userEvent.click(within(added).getByRole('button', { name: 'Remove last_visit' }));
    await waitFor(() => expect(added.isConnected).toBe(false));
  });

  it("starts a new mapping to the file's contract: its required fields are listed, and one click maps one", async () => {
    render(<Screen seen={{}} />);
    await waitFor(async () => expect(await firstRecord()).toContain('"state": "MA"'));
    await userEvent.click(screen.getByRole('button', { name: 'New mapping for patients.csv' }));
    expect((screen.getByLabelText('Target', { exact: true }) as HTMLSelectElement).value).toBe('schema');
    expect((screen.getByLabelText('Schema', { exact: true }) as HTMLSelectElement).value).toBe(
      'contract:patients',
    );
    const required = screen.getByTestId('unmapped-required');
    expect(within(required).getAllByRole('button')).toHaveLength(7);
    await userEvent.click(within(required).getByRole('button', { name: 'Map birth_date' }));
    const added = await openField('birth_date');
    await userEvent.selectOptions(within(added).getByLabelText('Comes from'), 'column:birth_date');
    await waitFor(() =>
      expect(within(screen.getByTestId('unmapped-required')).getAllByRole('button')).toHaveLength(6),
    );
    await waitFor(async () => expect(await firstRecord()).toContain('"birth_date": "2002-07-10"'));
  });

  it('refuses a mapping or schema file with what is wrong and where, never its text, and imports a good one', async () => {
    render(<Screen seen={{}} />);
    await waitFor(async () => expect(await firstRecord()).toContain('"state": "MA"'));
    // the editor's own File is node's (for the worker): a person chooses the browser's
    const chosen = (parts: BlobPart[], name: string) => new globalThis.File(parts, name);
    const refusal = async (label: string, file: globalThis.File) => {
      await userEvent.upload(screen.getByLabelText(label), file);
      return waitFor(() => {
        const said = screen.getAllByRole('alert').find((a) => a.textContent?.startsWith(`${file.name} `));
        expect(said).toBeDefined();
        return said?.textContent ?? '';
      });
    };
    const importing = 'Import a mapping file';
    const big = chosen(['{}'], 'huge.json');
    Object.defineProperty(big, 'size', { value: 20_000_000 });
    expect(await refusal(importing, big)).toBe(
      'huge.json was not imported: at 20 MB it is larger than a mapping file can be (16 MB at most): check that you chose the right file.',
    );
    expect(await refusal(importing, chosen([], 'empty.json'))).toBe(
      'empty.json was not imported: it is empty, so it is not a mapping file: choose the file again, or ask for a new copy.',
    );
    expect(
      await refusal(importing, chosen([new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d])], 'binary.json')),
    ).toContain('it is not valid UTF-8 text: the byte at line 1, byte 2 cannot be read');
    const broken = await refusal(importing, chosen(['{\n  "name": "Jane Roe",\n  oops\n}'], 'broken.json'));
    expect(broken).toBe(
      'broken.json was not imported: it is not valid JSON (line 3, column 3): the file was damaged or edited; ask for a new copy.',
    );
    const other = await refusal(
      importing,
      chosen([JSON.stringify({ format: 'preflight.workflow/v1', name: 'Jane Roe' })], 'workflow.json'),
    );
    expect(other).toMatch(/^workflow\.json is not a usable mapping: /);
    expect(other).not.toContain('Jane');
    const schema = await refusal(
      'Upload a target schema (JSON Schema or Table Schema)',
      chosen(['{ "title": "Jane Roe" '], 'target.json'),
    );
    expect(schema).toMatch(/^target\.json was not added: it is not valid JSON \(line 1, column \d+\)/);
    expect(schema).not.toContain('Jane');

    const mapping = JSON.parse(
      readFileSync(join(ROOT, 'samples/mappings/patients-to-fhir-patient.json'), 'utf8'),
    );
    const good = { ...mapping, id: 'imported-patients', name: 'Imported patients' };
    await userEvent.upload(screen.getByLabelText(importing), chosen([JSON.stringify(good)], 'good.json'));
    await waitFor(() =>
      expect((screen.getByLabelText('Mapping', { exact: true }) as HTMLSelectElement).value).toBe(
        'imported-patients',
      ),
    );
    expect(screen.queryAllByRole('alert').filter((a) => a.textContent?.includes('was not imported'))).toEqual(
      [],
    );
  });
});
