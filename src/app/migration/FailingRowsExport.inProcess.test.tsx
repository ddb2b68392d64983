/**
 * "Export every failing row": every failing row of every file, not the report's 20 examples per
 * problem, as CSV or NDJSON — each line names the waiver that accepts it, and a value that starts a
 * formula is neutralised in the CSV. The file is written by the validator worker's API in-process
 * (testing/inProcessValidateClient.ts); the saved file is caught as the page hands it to the browser
 * (common/testing/downloads.ts).
 */
import { configure, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { restoreCsvCell } from '../../core/validation/index.ts';
import { captureDownloads } from '../common/testing/downloads.ts';
import { runReport } from './testing/runReport.ts';
import { renderWalkInsReport } from './testing/walkInsReport.tsx';
import { ValidationReport } from './ValidationReport.tsx';

// a wait ends as soon as its condition holds; the bound only names a hang on a loaded machine
configure({ asyncUtilTimeout: 20_000 });

const FORMULA = '=HYPERLINK("http://example.invalid","x")';

let saved: Map<string, Blob>;
beforeEach(() => {
  saved = captureDownloads();
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Clicks an export button and resolves with the text of the one file it saved, by the name it shows. */
async function exported(button: string): Promise<string> {
  saved.clear();
  await userEvent.click(screen.getByRole('button', { name: button }));
  const done = await screen.findByTestId('failing-export-done');
  const name = /^Saved (\S+):/.exec(done.textContent ?? '')?.[1] ?? '';
  expect([...saved.keys()]).toEqual([name]);
  return (saved.get(name) as Blob).text();
}

describe('Export every failing row', () => {
  it('writes every failing row, naming the waiver on each accepted line, as CSV and as NDJSON', async () => {
    await renderWalkInsReport();
    const [head, ...lines] = Papa.parse<string[]>(
      (await exported('Export every failing row (CSV)')).trimEnd(),
      {
        newline: '\r\n',
      },
    ).data;
    expect(head).toEqual(['file', 'row', 'column', 'rule', 'severity', 'message', 'value', 'acceptedBy']);
    expect(lines.map((l) => [l[1], l[2], l[7]])).toEqual(
      Array.from({ length: 30 }, (_, i) => [String(i + 1), 'birth_date', i < 25 ? 'walk-ins' : '']),
    );
    const ndjson = (await exported('Export every failing row (NDJSON)'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { row: number; acceptedBy?: string });
    expect(ndjson.map((l) => [l.row, l.acceptedBy])).toEqual(
      Array.from({ length: 30 }, (_, i) => [i + 1, i < 25 ? 'walk-ins' : undefined]),
    );
  });

  it('neutralises a value that starts a formula, and the value still round-trips', async () => {
    const run = await runReport([
      {
        name: 'lab-results.csv',
        bytes: `result_id,code\r\nR1,"${FORMULA.replaceAll('"', '""')}"\r\nR2,x2\r\n`,
        contract: {
          type: 'object',
          properties: { result_id: { type: 'string' }, code: { type: 'string', pattern: '^[A-Z]{3}$' } },
        },
      },
    ]);
    render(<ValidationReport report={run.report} failing={run.failing} request={run.request} />);
    const rows = Papa.parse<string[]>((await exported('Export every failing row (CSV)')).trimEnd(), {
      newline: '\r\n',
    }).data;
    for (const row of rows) for (const cell of row) expect('=+-@\t\r').not.toContain(cell.charAt(0) || 'x');
    expect(rows.slice(1).map((r) => restoreCsvCell(r[6] ?? ''))).toEqual([FORMULA, 'x2']);
  });
});
