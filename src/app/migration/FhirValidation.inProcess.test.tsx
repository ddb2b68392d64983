/**
 * The FHIR files section as the Migration workspace holds it: the project in state (changes applied
 * by the core's reducer), its waivers, the app's job registry, and the FHIR validator's own API
 * answering in this process (src/app/fhir/fhirWorkerInProcess.ts). What only a browser proves — the
 * worker itself, its cancel mid-file, hostile nesting — is in tests/e2e/fhirHostile.spec.ts.
 */
import 'fake-indexeddb/auto';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useMemo, useState } from 'react';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyChange, createProject } from '../../core/project/changes.ts';
import { createProjectFile, type Project, parseProjectFile } from '../../formats/project.ts';
import { createJobRegistry } from '../jobs/jobRegistry.ts';
import { JobsContext } from '../jobs/jobsContext.ts';
import { WaiversProvider } from './AcceptedIssues.tsx';
import { FhirValidation } from './FhirValidation.tsx';
import { ValidationReport } from './ValidationReport.tsx';

const NOW = '2026-11-25T09:00:00.000Z';
const VENDOR_EXTENSION = 'http://vendor.example/fhir/ext/preferred-pharmacy';

beforeAll(async () => {
  // the validator's modules load once, before the first test's clock
  await (await import('../fhir/fhirWorkerInProcess.ts')).prewarmFhirValidator();
}, 60_000);

/** The section with a project whose every change is applied, as the workspace keeps it. */
function Harness({
  files,
  seen,
  initial,
}: {
  files: File[];
  seen?: (project: Project) => void;
  /** the project as loaded (default: a new one) */
  initial?: Project;
}) {
  const registry = useMemo(() => createJobRegistry(), []);
  const [project, setProject] = useState(
    () => initial ?? createProject({ id: 'p1', name: 'Go-live', now: NOW }),
  );
  seen?.(project);
  const dispatch = (change: Parameters<typeof applyChange>[1]) =>
    setProject((p) => applyChange(p, change, NOW));
  return (
    <JobsContext.Provider value={registry}>
      <WaiversProvider project={project} dispatch={dispatch}>
        <FhirValidation
          files={files}
          onRemove={() => {}}
          projectId={project.meta.id}
          settings={project.meta.settings}
          dispatch={dispatch}
          ReportView={ValidationReport}
        />
      </WaiversProvider>
    </JobsContext.Provider>
  );
}

const ndjson = (name: string, resources: readonly object[]) =>
  new File([`${resources.map((r) => JSON.stringify(r)).join('\n')}\n`], name);

const result = () => screen.getByRole('region', { name: /^Validation result: / });

/** Presses Validate and waits for a new result (a new run replaces the one on screen). */
async function validate(count = 1): Promise<HTMLElement> {
  const before = screen.queryByRole('region', { name: /^Validation result: / });
  const button = screen.getByRole('button', { name: `Validate ${count} FHIR file${count === 1 ? '' : 's'}` });
  // enabled once the project's kept packages are read
  await waitFor(() => expect(button).toHaveProperty('disabled', false), { timeout: 30_000 });
  await userEvent.click(button);
  await waitFor(
    () => {
      const now = screen.getByRole('region', { name: /^Validation result: / });
      expect(now).not.toBe(before);
      within(now).getByTestId('score-records');
    },
    { timeout: 30_000 },
  );
  return result();
}

async function accept(report: HTMLElement, button: HTMLElement, rows?: string): Promise<void> {
  await userEvent.click(button);
  const form = within(report).getByRole('group', { name: /^Accept / });
  await userEvent.type(within(form).getByLabelText('Why it is accepted'), 'The target loads them itself');
  await userEvent.type(within(form).getByLabelText('Owner (who answers for it)'), 'Dana Whitfield');
  await userEvent.type(within(form).getByLabelText('Accepted until (last day)'), '2099-06-30');
  if (rows)
    await userEvent.type(within(form).getByLabelText('Only in rows (optional, e.g. 12, 40-45)'), rows);
  await userEvent.click(within(form).getByRole('button', { name: 'Save the acceptance' }));
}

describe('FhirValidation: unknown extensions', () => {
  const file = ndjson('vendor-export.ndjson', [
    {
      resourceType: 'Patient',
      id: 'p1',
      gender: 'female',
      extension: [{ url: VENDOR_EXTENSION, valueString: 'Main St' }],
    },
    { resourceType: 'Patient', id: 'p2', gender: 'male' },
  ]);
  const choices = () => screen.getByRole('group', { name: 'Report unknown extensions' });
  const asErrors = () =>
    within(choices()).getByRole('radio', { name: 'As errors: a resource with one counts as invalid' });
  const asWarnings = () =>
    within(choices()).getByRole('radio', {
      name: 'As warnings: listed, but the resource still counts as valid',
    });

  it('counts one as an error by default, as a warning when chosen, and not at all with Extensions off; the project keeps the choice', async () => {
    let project: Project | undefined;
    render(
      <Harness
        files={[file]}
        seen={(p) => {
          project = p;
        }}
      />,
    );
    expect(asErrors()).toHaveProperty('checked', true);
    let report = await validate();
    expect(within(report).getByTestId('score-invalid').textContent).toBe('1');
    expect(within(report).getByTestId('fhir-run-options').textContent).toContain(
      'Unknown extensions (not defined in the FHIR specification) were counted as errors',
    );

    await userEvent.click(asWarnings());
    expect(project?.meta.settings.fhirChecks).toEqual({ off: [], unknownExtensions: 'warning' });
    report = await validate();
    expect(within(report).getByTestId('score-invalid').textContent).toBe('0');
    expect(within(report).getByTestId('score-warnings').textContent).toBe('1');
    expect(within(report).getByTestId('fhir-run-options').textContent).toContain(
      'were counted as warnings: a resource with one still counts as valid',
    );
    // the problem is grouped by the extension's URL, which the message names too
    expect(
      within(report).getByText(new RegExp(VENDOR_EXTENSION.replaceAll('.', '\\.')), {
        selector: 'summary *',
      }),
    ).toBeTruthy();

    await userEvent.click(screen.getByRole('checkbox', { name: /^Extensions:/ }));
    // the choice is off with its layer (the fieldset disables its radios) and says how to turn it on
    expect(choices()).toHaveProperty('disabled', true);
    expect(within(choices()).getByText(/Switch Extensions on to check them\.$/)).toBeTruthy();
    report = await validate();
    expect(within(report).getByTestId('score-warnings').textContent).toBe('0');
    expect(within(report).getByTestId('fhir-run-options').textContent).toBe(
      'Checks switched off: Extensions.',
    );
    await userEvent.click(screen.getByRole('checkbox', { name: /^Extensions:/ }));
    expect(choices()).toHaveProperty('disabled', false);
    expect(asWarnings()).toHaveProperty('checked', true);
  }, 120_000);
});

describe('FhirValidation: extensions at example addresses', () => {
  const file = ndjson('test-patients.ndjson', [
    {
      resourceType: 'Patient',
      id: 'p1',
      modifierExtension: [
        { url: 'http://example.org/fhir/StructureDefinition/test-only', valueBoolean: true },
      ],
    },
  ]);
  const accept = () =>
    screen.getByRole('checkbox', {
      name: 'Accept extensions at example addresses (example.org, example.com) — for test data only',
    });

  it('are errors by default; accepted when chosen, in the run and its report, and still after the project is reloaded', async () => {
    let project: Project | undefined;
    const { unmount } = render(
      <Harness
        files={[file]}
        seen={(p) => {
          project = p;
        }}
      />,
    );
    expect(accept()).toHaveProperty('checked', false);
    let report = await validate();
    expect(within(report).getByTestId('score-invalid').textContent).toBe('1');
    expect(within(report).getByTestId('fhir-run-options').textContent).not.toContain('example addresses');

    await userEvent.click(accept());
    expect(project?.meta.settings.fhirChecks).toEqual({
      off: [],
      unknownExtensions: 'error',
      allowExampleUrls: true,
    });
    report = await validate();
    expect(within(report).getByTestId('score-invalid').textContent).toBe('0');
    expect(within(report).getByTestId('fhir-run-options').textContent).toContain(
      'Extensions at example addresses (example.org, example.com) were accepted without a check, as for test data.',
    );
    unmount();

    // a reload reads the project as its file carries it (schema, migrations), and the choice stands
    const text = JSON.stringify(createProjectFile(project as Project, { now: NOW, appVersion: 'test' }));
    const loaded = parseProjectFile(text);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    render(<Harness files={[file]} initial={loaded.value.project} />);
    expect(accept()).toHaveProperty('checked', true);
    report = await validate();
    expect(within(report).getByTestId('score-invalid').textContent).toBe('0');

    // switched off again, the run reports the extension
    await userEvent.click(accept());
    report = await validate();
    expect(within(report).getByTestId('score-invalid').textContent).toBe('1');
  }, 120_000);
});

describe('FhirValidation: accepted problems', () => {
  it('accepting a problem does not accept the message that follows from it: that still fails and is counted', async () => {
    const form = new File(
      [JSON.stringify({ resourceType: 'Questionnaire', status: 'draft', item: [{ linkId: '1' }] })],
      'intake-form.json',
    );
    render(<Harness files={[form]} />);
    const report = await validate();
    expect(within(report).getByTestId('score-errors').textContent).toBe('2');
    expect(within(report).getByTestId('issue-derived').textContent).toBe(
      ' (and 1 more message follows from it)',
    );
    await accept(report, within(report).getByRole('button', { name: /^Accept this problem…/ }));
    await within(report).findByTestId('waiver-mark');
    expect(within(report).getByTestId('issue-derived').textContent).toBe(
      ' (and 1 more message follows from it, not accepted: it still fails)',
    );
    expect(within(report).getByTestId('errors-not-accepted').textContent).toBe('1');
    await userEvent.click(within(report).getByTestId('issue-derived'));
    const list = within(report).getByRole('list', { name: /^Messages that follow from / });
    expect(within(list).getByRole('listitem').textContent).toMatch(/not accepted: it still fails the check$/);
  }, 120_000);

  it('accepted in lines 1-8 of an export, it counts them once checked again: the 4 outside still fail', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => ({
      resourceType: 'Patient',
      id: `p${i + 1}`,
      extension: [{ url: VENDOR_EXTENSION, valueString: 'Main St' }],
    }));
    render(<Harness files={[ndjson('week-one.ndjson', lines)]} />);
    let report = await validate();
    expect(within(report).getByTestId('score-errors').textContent).toBe('12');
    await accept(
      report,
      within(report).getAllByRole('button', { name: /^Accept this problem…/ })[0] as HTMLElement,
      '1-8',
    );
    const mark = await within(report).findByTestId('waiver-mark');
    expect(mark.textContent).toMatch(/^Accepted only in rows 1-8, and not every occurrence is known/);

    report = await validate();
    await waitFor(() => expect(within(result()).getAllByTestId('waiver-mark')).toHaveLength(2));
    expect(
      within(result())
        .getAllByTestId('waiver-mark')
        .map((m) => m.textContent),
    ).toEqual([
      'Accepted until 30 Jun 2099, owner Dana Whitfield: The target loads them itself',
      'Accepted only in rows 1-8: these 4 occurrences lie outside them and still fail the check.',
    ]);
    expect(within(result()).getByTestId('errors-not-accepted').textContent).toBe('4');
  }, 120_000);
});

describe('FhirValidation: a malformed file', () => {
  it('reports the line and column of a JSON syntax error and opens the file there', async () => {
    const broken = new File(
      ['{\n  "resourceType": "Bundle",\n  "type": "collection",,\n  "entry": []\n}\n'],
      'broken-bundle.json',
    );
    render(<Harness files={[broken]} />);
    const report = await validate();
    expect(within(report).getAllByText(/at line 3, column 24/).length).toBeGreaterThan(0);
    await userEvent.click(within(report).getByRole('button', { name: 'Open line 3, column 24' }));
    const viewer = await screen.findByRole('region', {
      name: 'broken-bundle.json, line 1: line 3, column 24',
    });
    expect(
      await within(viewer).findByText('This text is not valid JSON; the line with the error is highlighted.'),
    ).toBeTruthy();
  }, 120_000);
});

describe('FhirValidation: codes, displays and units', () => {
  const file = ndjson('clinic-export.ndjson', [
    {
      resourceType: 'Condition',
      id: 'c1',
      clinicalStatus: {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
            code: 'active',
            display: 'Currently fine',
          },
        ],
      },
      code: { coding: [{ system: 'http://example.org/local', code: 'zzz' }] },
      subject: { reference: 'Patient/p1' },
    },
    {
      resourceType: 'Observation',
      id: 'o1',
      status: 'final',
      code: { coding: [{ system: 'http://snomed.info/sct', code: '27113001' }] },
      valueQuantity: { value: 70, system: 'http://unitsofmeasure.org', code: 'notaunit' },
    },
  ]);

  it('shows a wrong display and a wrong unit, and says which code systems were not checked', async () => {
    render(<Harness files={[file]} />);
    const report = await validate();
    const text = report.textContent ?? '';
    // the message names the code and the displays its code system gives; the display the record
    // gives is the problem's example
    expect(text).toContain(
      'Condition.clinicalStatus.coding.display: The display is not one the code system ConditionClinicalStatusCodes (http://terminology.hl7.org/CodeSystem/condition-clinical) gives for the code active: expected "Active"',
    );
    expect(within(report).getAllByText('Currently fine').length).toBeGreaterThan(0);
    expect(text).toContain('Observation.valueQuantity.code: The unit code is not a valid UCUM unit');
    const notChecked = within(report).getByTestId('not-checked').textContent ?? '';
    expect(notChecked).toContain('1 code of http://example.org/local: codes and displays not checked');
    expect(notChecked).toContain(
      '1 code of SNOMED CT (http://snomed.info/sct): codes and displays not checked',
    );
  }, 120_000);
});
