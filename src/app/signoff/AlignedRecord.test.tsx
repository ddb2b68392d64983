/**
 * A legacy field the migration drops (allergies) is shown to the reviewer as a risk, never as a
 * neutral "Not migrated (by design)": critical unless the sample plan records why and who owns it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { viewRecord } from '../../core/signoff/review/index.ts';
import { loadMapping, type Mapping } from '../../formats/mapping.ts';
import { AlignedRecord } from './AlignedRecord.tsx';

/** Read from the repository root, where the tests run (jsdom's module URLs are not files). */
const MAPPING_FILE = path.resolve('samples/mappings/patients-to-fhir-patient.json');

/** The demo's patient mapping: it reads every column of the demo extract but allergies. */
function demoMapping(): Mapping {
  const loaded = loadMapping(JSON.parse(readFileSync(MAPPING_FILE, 'utf8')));
  if (!loaded.ok) throw new Error('demo mapping invalid');
  return loaded.value;
}

function view() {
  return viewRecord({
    planHash: 'a'.repeat(64),
    stratum: 'patients',
    record: { file: 'patients.csv', row: 3, key: '10104729' },
    header: ['mrn', 'last_name', 'allergies'],
    cells: ['10104729', 'Ng', 'penicillin'],
    mapping: demoMapping(),
  });
}

const allergiesRow = () => screen.getByRole('rowheader', { name: /allergies/ }).closest('tr') as HTMLElement;

describe('AlignedRecord: a field not migrated', () => {
  it('is a critical risk, said in words, when the plan records no reason', () => {
    render(<AlignedRecord view={view()} findings={[]} onMark={() => {}} />);
    const row = allergiesRow();
    expect(row.textContent).not.toMatch(/by design/);
    expect(within(row).getByText(/^Critical risk: this field is dropped/)).toBeTruthy();
    expect(row.className).toContain('aligned-critical');
    expect(screen.getByTestId('not-migrated-risk').textContent).toMatch(
      /^1 legacy field is not migrated and the sample plan records no reason or owner: a critical risk\./,
    );
  });

  it('says the reason and owner the plan records, and is no longer critical', () => {
    render(
      <AlignedRecord
        view={view()}
        findings={[]}
        onMark={() => {}}
        notMigrated={[
          { column: 'allergies', reason: 'Kept in the pharmacy system', owner: 'Chief pharmacist' },
        ]}
      />,
    );
    const row = allergiesRow();
    expect(row.textContent).toContain(
      'Left out on purpose: Kept in the pharmacy system (decided by Chief pharmacist)',
    );
    expect(row.className).not.toContain('aligned-critical');
    expect(screen.queryByTestId('not-migrated-risk')).toBeNull();
  });
});
