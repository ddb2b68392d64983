/**
 * How the files were read, beside the result (`inputs[].notRead`): for reports the real engines
 * wrote — the page's run (testing/runReport.ts) on a semicolon file with decimal commas, and
 * `preflight validate` on apache/parquet-testing's Impala Parquet file — the choices made and the
 * columns not checked are listed by name, and a Parquet file is read as Parquet.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../tests/fixtures/external.ts';
import { runCli } from '../../cli/cliTestKit.ts';
import type { Report } from '../../formats/report.ts';
import { runReport } from './testing/runReport.ts';
import { ValidationReport } from './ValidationReport.tsx';

describe('How the files were read', () => {
  it('says a decimal comma was read, and names the column the contract does not', async () => {
    const rows = ['patient_id;temp_c;ward'];
    for (let i = 0; i < 40; i++) rows.push(`P${i};36,${i % 10};W${i % 3}`);
    const { report } = await runReport([
      {
        name: 'vitals.csv',
        bytes: `${rows.join('\r\n')}\r\n`,
        contract: {
          type: 'object',
          properties: { patient_id: { type: 'string' }, temp_c: { type: 'number' } },
        },
      },
    ]);
    render(<ValidationReport report={report} />);
    expect(screen.getByTestId('score-invalid').textContent).toBe('0');
    const lines = within(screen.getByTestId('not-read'))
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(lines[0]).toMatch(
      /^Read by a choice: type decimal comma .*numbers in column temp_c are read with a decimal comma/,
    );
    expect(lines[1]).toBe(
      'Not checked: 1 column the contract does not name (ward): their values pass unseen',
    );
  });

  it('reads a Parquet file as Parquet, with its INT96 timestamps as its writer means them', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'preflight-not-read-'));
    try {
      await copyFile(
        externalFixture('parquet-testing', 'data', 'alltypes_plain.parquet'),
        path.join(dir, 'alltypes_plain.parquet'),
      );
      await writeFile(
        path.join(dir, 'c.json'),
        JSON.stringify({
          type: 'object',
          properties: { id: { type: 'integer' }, timestamp_col: { type: 'string' } },
        }),
      );
      const cli = await runCli(
        ['validate', 'alltypes_plain.parquet', '--schema', 'c.json', '--report', 'r.json'],
        dir,
      );
      expect(cli.err).toBe('');
      const report = JSON.parse(await readFile(path.join(dir, 'r.json'), 'utf8')) as Report;
      render(<ValidationReport report={report} />);
      const cells = within(screen.getByTestId('file-alltypes_plain.parquet')).getAllByRole('cell');
      expect(cells.map((c) => c.textContent)).toContain('Parquet');
      const lines = within(screen.getByTestId('not-read'))
        .getAllByRole('listitem')
        .map((li) => li.textContent);
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^Read by a choice: type INT96 .*wall-clock time.*Impala/);
      expect(lines[1]).toMatch(
        /^Not checked: 9 columns the contract does not name \(bool_col, tinyint_col, /,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
