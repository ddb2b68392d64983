/**
 * What a run did not check, beside its result: a Table Schema's date layout Preflight cannot read
 * and a foreign key into a file not in the run are listed under "Not checked" (in the words the
 * exports use), so a pass is never read as more than it is; a contract fully checked lists nothing.
 * Contracts are read by the screen's own reader (`readContractFile`), runs by the real engine
 * (testing/runReport.ts). Fixtures: tests/fixtures/table-schema.
 */
import { File } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { render, screen, within } from '@testing-library/react';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { KeySpec } from '../../core/validation/index.ts';
import { reportCsv, reportHtml } from '../../core/validation/index.ts';
import { readContractFile } from './CheckExtracts.tsx';
import { runReport } from './testing/runReport.ts';
import { ValidationReport } from './ValidationReport.tsx';

const FIXTURES = resolve(import.meta.dirname, '../../../tests/fixtures/table-schema');

/** Validates `csv` against the contract file `contract` as the screen reads it. */
async function check(
  name: string,
  bytes: string | Uint8Array,
  contract: string,
  contractText: string,
  keys: KeySpec[] = [],
) {
  const read = await readContractFile(new File([contractText], contract) as unknown as globalThis.File);
  if (!('doc' in read)) throw new Error(read.message);
  return runReport([{ name, bytes, contract: read.doc.schema, contractName: read.doc.name, keys }]);
}

const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

describe('Not checked, beside the result', () => {
  it('lists a date layout it cannot read and a foreign key into a file not checked, as the exports do', async () => {
    // visit_id, the Table Schema's primary key, is the file's key on the screen
    const { report } = await check(
      'visits.csv',
      fixture('visits.csv'),
      'visits.schema.json',
      fixture('visits.schema.json'),
      [{ column: 'visit_id' }],
    );
    render(<ValidationReport report={report} />);
    expect(screen.getByTestId('score-errors').textContent).toBe('3');
    expect(screen.getByRole('region', { name: /^Validation result: / }).textContent).toContain(
      'must be written as %m/%d/%Y, e.g. 01/31/2024',
    );
    const note = screen.getByRole('note', { name: 'Not checked' });
    const items = within(note)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(items).toEqual([
      'the date format of "admitted" is not checked: it uses the directive %j',
      'the foreign key patient_id → patients.patient_id: link the files by it to check it',
    ]);
    // the CSV and the printable page a user hands on list the same, in the same words
    const csv = Papa.parse<Record<string, string>>(reportCsv(report), {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(csv.filter((row) => row.section === 'not checked').map((row) => [row.file, row.message])).toEqual(
      items.map((what) => ['visits.csv', what]),
    );
    expect(reportHtml(report)).toContain(
      `<h3>Not checked</h3><p>The contract asks for more than this run checked:</p><ul class="not-checked">${items
        .map((what) => `<li>${(what ?? '').replace(/"/g, '&quot;')}</li>`)
        .join('')}</ul>`,
    );
  });

  it('reads a Table Schema’s missing values as empty cells, not as wrong values', async () => {
    const { report } = await check(
      'readings.csv',
      fixture('readings.csv'),
      'readings.schema.json',
      fixture('readings.schema.json'),
    );
    render(<ValidationReport report={report} />);
    // a systolic of "NA" or "-" is no type error; a reading_id of "NA" is a required one missing
    expect(screen.getByTestId('score-errors').textContent).toBe('3');
    const text = screen.getByRole('region', { name: /^Validation result: / }).textContent;
    expect(text).toContain('reading_id in readings.csv: is required but empty — 1 time');
    expect(text).toContain('systolic in readings.csv: must be a whole number — 1 time');
  });

  it('reads numbers with a decimal comma, and lists nothing when everything was checked', async () => {
    const schema = JSON.stringify({
      fields: [
        { name: 'invoice_id', constraints: { required: true } },
        { name: 'amount', type: 'number', decimalChar: ',', groupChar: '.', constraints: { maximum: 2000 } },
      ],
    });
    const { report } = await check(
      'invoices.csv',
      'invoice_id,amount\r\nI1,"1.234,50"\r\nI2,"12,5"\r\nI3,12.5x\r\n',
      'invoices.schema.json',
      schema,
    );
    render(<ValidationReport report={report} />);
    expect(screen.getByTestId('score-errors').textContent).toBe('1');
    expect(screen.getByRole('region', { name: /^Validation result: / }).textContent).toContain(
      'amount in invoices.csv: must be a number — 1 time',
    );
    expect(screen.queryByRole('note', { name: 'Not checked' })).toBeNull();
  });

  it('says why a file cannot be a contract', async () => {
    const said = async (name: string, text: string) => {
      const read = await readContractFile(new File([text], name) as unknown as globalThis.File);
      return 'message' in read ? read.message : '';
    };
    await expect(said('not-json.json', '{"type": "object",')).resolves.toMatch(
      /^The contract "not-json\.json" is not valid JSON: .* at line 1, column \d+\. Correct the JSON/,
    );
    await expect(said('list.json', '[1, 2]')).resolves.toMatch(/^"list\.json" is not a column contract/);
  });
});
