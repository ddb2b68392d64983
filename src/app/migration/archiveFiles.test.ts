/**
 * Zip archives chosen in the browser: each CSV, TSV or NDJSON entry becomes a File named
 * `archive.zip/<entry>` with its bytes (a slice of parts at a time, so large entries too), Parquet
 * entries are named with the command that reads them, a workbook and an archive past its bound
 * are refusals in words, and the entries not read are the archive's account.
 */
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { unzippedFiles } from './archiveFiles.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const CSV = 'mrn,name\r\nP1,Ann\r\n'.repeat(1000);

describe('unzippedFiles', () => {
  it('gives each extract as archive.zip/<entry>, byte for byte, and the rest as the account', async () => {
    const archive = zipSync({
      'drop/patients.csv': utf8(CSV),
      'drop/Patient.ndjson': utf8('{"resourceType":"Patient"}\n'),
      'drop/labs.parquet': [utf8('PAR1'), { level: 0 }],
      'drop/manual.pdf': utf8('%PDF'),
    });
    const chosen = [new File([archive], 'drop.zip'), new File(['a,b\r\n'], 'visits.csv')];
    const { files, notes, problems, notRead } = await unzippedFiles(chosen, { maxBytes: 1024 * 1024 });
    expect(files.map((f) => f.name)).toEqual([
      'drop.zip/drop/patients.csv',
      'drop.zip/drop/Patient.ndjson',
      'visits.csv',
    ]);
    expect(await files[0]?.text()).toBe(CSV);
    expect(problems).toEqual([]);
    expect(notes[0]).toBe('drop.zip was unzipped: 2 files read, 2 entries not read:');
    expect(notes[1]).toMatch(
      /^ {2}Not used: entry drop\/labs\.parquet .*check it with the preflight validate command/,
    );
    expect(notRead.get('drop.zip/drop/patients.csv')?.map((l) => l.name)).toEqual([
      'drop/labs.parquet',
      'drop/manual.pdf',
    ]);
  });

  it('refuses a workbook, an archive of no extract and one past its bound, in words', async () => {
    const { files, problems } = await unzippedFiles(
      [
        new File([utf8('PK')], 'counts.xlsx'),
        new File([zipSync({ 'labs.parquet': utf8('PAR1') })], 'labs.zip'),
        new File([zipSync({ 'zeros.csv': new Uint8Array(3_000_000) })], 'bomb.zip'),
      ],
      { maxBytes: 1024 * 1024 },
    );
    expect(files).toEqual([]);
    expect(problems[0]).toMatch(
      /^"counts\.xlsx" is a spreadsheet workbook.*Save each sheet as CSV UTF-8 from Excel: File › Save As…/,
    );
    expect(problems[1]).toMatch(
      /^labs\.zip holds no CSV, TSV or NDJSON file, so nothing in it could be checked\. Not used: entry labs\.parquet .*preflight validate command/,
    );
    expect(problems[2]).toMatch(/^"bomb\.zip" unpacks to more than 1 MB/);
  });
});
