/**
 * "Open at location": the resource re-read from the user's file by the FHIR validator's own API (in
 * this process: src/app/fhir/fhirWorkerInProcess.ts), formatted, with the element highlighted.
 * Whether the highlighted element is scrolled into view is layout, which the FHIR journey proves.
 */
import { render, screen, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FhirRecordTarget, FhirRecordViewer } from './FhirRecordViewer.tsx';

beforeAll(async () => {
  // the validator's modules load once, before the first test's waits
  await (await import('../fhir/fhirWorkerInProcess.ts')).prewarmFhirValidator();
}, 60_000);

const PATIENTS = [
  { resourceType: 'Patient', id: 'p1', gender: 'female' },
  { resourceType: 'Patient', id: 'p2', name: [{ family: 'Okafor' }], gender: 'F', birthDate: '1970-01-01' },
  { resourceType: 'Patient', id: 'p3', gender: 'male' },
];
const NDJSON = `${PATIENTS.map((p) => JSON.stringify(p)).join('\n')}\n`;

const target = (over: Partial<FhirRecordTarget>): FhirRecordTarget => ({
  file: new Blob([NDJSON]),
  name: 'patients.ndjson',
  row: 2,
  location: 'Patient.gender',
  seq: 1,
  ...over,
});

describe('FhirRecordViewer', () => {
  it('shows the resource of that line as formatted JSON, the element at the location highlighted', async () => {
    render(<FhirRecordViewer target={target({})} />);
    const viewer = screen.getByRole('region', { name: 'patients.ndjson, line 2: Patient.gender' });
    expect(within(viewer).getByRole('status').textContent).toBe('Reading the resource from the file…');
    const text = await within(viewer).findByRole('region', {
      name: 'The resource as formatted JSON, scrollable',
    });
    expect(text.querySelector('pre')?.textContent).toBe(JSON.stringify(PATIENTS[1], null, 2));
    expect(text.querySelector('mark')?.textContent?.trim()).toBe('"gender": "F",');
    expect(within(viewer).getByText('Highlighted: Patient.gender.')).toBeTruthy();
    // keyboard and screen reader users land on what they opened
    expect(document.activeElement).toBe(within(viewer).getByRole('heading', { level: 4 }));
  });

  it('highlights where a missing element belongs, and says it is not there', async () => {
    render(<FhirRecordViewer target={target({ row: 1, location: 'Patient.birthDate' })} />);
    const viewer = screen.getByRole('region', { name: 'patients.ndjson, line 1: Patient.birthDate' });
    expect(
      await within(viewer).findByText(/^Patient\.birthDate is not in the resource; highlighted: /),
    ).toBeTruthy();
  });

  it('shows a file that is not JSON as its text, the line with the error highlighted', async () => {
    const broken = '{\n  "resourceType": "Bundle",\n  "type": "collection",,\n  "entry": []\n}\n';
    render(
      <FhirRecordViewer
        target={target({
          file: new Blob([broken]),
          name: 'broken.json',
          row: 1,
          location: '',
          syntax: { line: 3, column: 24 },
        })}
      />,
    );
    const viewer = screen.getByRole('region', { name: 'broken.json, line 1: line 3, column 24' });
    expect(
      await within(viewer).findByText('This text is not valid JSON; the line with the error is highlighted.'),
    ).toBeTruthy();
    expect(viewer.querySelector('mark')?.textContent).toBe('  "type": "collection",,');
  });

  it('says what went wrong when the line is not in the file', async () => {
    render(<FhirRecordViewer target={target({ row: 40 })} />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).not.toBe('');
    expect(screen.queryByRole('region', { name: 'The resource as formatted JSON, scrollable' })).toBeNull();
  });
});
