import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReport, type Report } from '../../formats/report.ts';
import { createWaiversFile, type Waiver } from '../../formats/waivers.ts';
import { runCli } from '../cliTestKit.ts';
import { folderWith, birthDateWaiver as waiver } from '../testing/fixtures.ts';

let dir: string;
const CONTRACT = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:test:patients',
  type: 'object',
  required: ['id', 'birth_date'],
  properties: {
    id: { type: 'string' },
    birth_date: { type: 'string', title: 'Date of birth', pattern: '^\\d{4}-(0[1-9]|1[0-2])-\\d{2}$' },
    sex: { enum: ['F', 'M'] },
  },
};
// drop 1: two empty birth dates, one impossible month, one unknown sex
const DROP1 = 'id,birth_date,sex\n1,1990-01-02,F\n2,,M\n3,1985-13-01,X\n4,,F\n';
// drop 2: the month fixed; a third empty birth date and a second unknown sex
const DROP2 = 'id,birth_date,sex\n1,1990-01-02,F\n2,,M\n3,1985-03-01,X\n4,,F\n5,,Q\n';

beforeAll(async () => {
  dir = await folderWith('preflight-rehearsal-', {
    'patients.contract.json': JSON.stringify(CONTRACT),
    'patients-jan.csv': DROP1,
    'patients-feb.csv': DROP2,
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = (args: string[]) => runCli(['validate', ...args, '--schema', 'patients.contract.json'], dir);

async function reportAt(file: string): Promise<Report> {
  const loaded = loadReport(JSON.parse(await readFile(path.join(dir, file), 'utf8')));
  if (!loaded.ok)
    throw new Error(`the report does not load: ${loaded.problems.map((p) => p.path).join(', ')}`);
  return loaded.value;
}

describe('validate --compare', () => {
  it('compares with the previous report: fixed and worse, on screen and in the report', async () => {
    expect((await run(['patients-jan.csv', '--report', 'jan.json'])).code).toBe(1);
    const { code, out } = await run(['patients-feb.csv', '--compare', 'jan.json', '--report', 'feb.json']);
    expect(code).toBe(1);
    expect(out).toContain('1 fixed, 0 new, 0 still failing, 2 worse');
    expect(out).toContain('fixed contract.pattern birth_date: 1 → 0');
    expect(out).toContain('worse contract.required birth_date: 2 → 3');
    const report = await reportAt('feb.json');
    expect(report.comparison?.counts).toEqual({ fixed: 1, new: 0, stillFailing: 0, worse: 2 });
    expect(report.comparison?.previous.errors).toBe(4);
  });

  it('compares repeated keys too: a patient number that repeats now is new', async () => {
    await writeFile(path.join(dir, 'patients-mar.csv'), `${DROP1}4,1990-01-02,F\n`);
    expect((await run(['patients-jan.csv', '--key', 'id', '--report', 'jan-keyed.json'])).code).toBe(1);
    const { out } = await run([
      'patients-mar.csv',
      '--key',
      'id',
      '--compare',
      'jan-keyed.json',
      '--report',
      'mar.json',
    ]);
    // the repeat's birth date differs from the first record's: its demographics conflict too
    expect(out).toContain('0 fixed, 2 new, 3 still failing, 0 worse');
    expect(out).toContain('new crossfile.duplicate-key id: 0 → 1');
    expect(out).toContain('new crossfile.conflicting-demographics id: 0 → 1');
    const report = await reportAt('mar.json');
    expect(report.comparison?.entries.filter((e) => e.status === 'new').map((e) => e.rule)).toEqual([
      'crossfile.conflicting-demographics',
      'crossfile.duplicate-key',
    ]);
  });

  it('compares references to missing records too: a visit of a patient not in the drop is new', async () => {
    await writeFile(path.join(dir, 'visits-jan.csv'), 'visit,patient\nV1,1\n');
    await writeFile(path.join(dir, 'visits-mar.csv'), 'visit,patient\nV1,1\nV2,99\n');
    const linked = (month: string, more: string[]) =>
      runCli(
        [
          'validate',
          'patients-jan.csv',
          `visits-${month}.csv`,
          '--schema',
          'patients-jan=patients.contract.json',
          '--key',
          'patients-jan.id',
          '--references',
          `visits-${month}.patient=patients-jan.id`,
          ...more,
        ],
        dir,
      );
    expect((await linked('jan', ['--report', 'jan-linked.json'])).code).toBe(1);
    const { out } = await linked('mar', ['--compare', 'jan-linked.json', '--report', 'mar-linked.json']);
    // the problem is in the visits file, named as this run names it
    expect(out).toContain('new crossfile.orphan-reference patient in visits-mar.csv: 0 → 1');
    const report = await reportAt('mar-linked.json');
    expect(report.comparison?.entries.filter((e) => e.status === 'new').map((e) => e.rule)).toEqual([
      'crossfile.orphan-reference',
    ]);
  });

  it('compares each file on its own: a fix in one file and a regression in another are not one', async () => {
    // two sites' extracts under one contract, sharing every column name
    const clean = 'id,birth_date,sex\n1,1990-01-02,F\n2,1991-02-03,M\n';
    const empty = 'id,birth_date,sex\n1,,F\n2,,M\n';
    await writeFile(path.join(dir, 'north.csv'), empty);
    await writeFile(path.join(dir, 'south.csv'), clean);
    await run(['north.csv', 'south.csv', '--report', 'sites-1.json']);
    // the next drop: north fixed, south now missing the same column
    await writeFile(path.join(dir, 'north.csv'), clean);
    await writeFile(path.join(dir, 'south.csv'), empty);
    const { out } = await run(['north.csv', 'south.csv', '--compare', 'sites-1.json']);
    expect(out).toContain('1 fixed, 1 new, 0 still failing, 0 worse');
    expect(out).toContain('new contract.required birth_date in south.csv: 0 → 2');
    expect(out).toContain('fixed contract.required birth_date in north.csv: 2 → 0');
  });

  it('compared with itself, every problem is still failing', async () => {
    await run(['patients-jan.csv', '--report', 'again.json']);
    const { out } = await run(['patients-jan.csv', '--compare', 'again.json', '--json']);
    const report = JSON.parse(out) as Report;
    expect(report.comparison?.counts).toEqual({ fixed: 0, new: 0, stillFailing: 3, worse: 0 });
  });

  it.each([
    ['a file that is not there', 'missing.json', null, /cannot read the previous report "missing.json"/],
    ['a file that is not JSON', 'broken.json', '{"format":', /the previous report "broken.json"/],
    [
      'another Preflight file',
      'waivers-as-report.json',
      JSON.stringify(createWaiversFile([])),
      /"waivers-as-report.json" is not a usable validation report: .*accepted issues/,
    ],
  ])('refuses %s with exit 2 before reading any extract', async (_name, file, content, message) => {
    if (content !== null) await writeFile(path.join(dir, file), content);
    const { code, err, out } = await run(['no-such-extract.csv', '--compare', file]);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(out).toBe('');
  });
});

describe('validate --waivers', () => {
  const write = (file: string, waivers: Waiver[]) =>
    writeFile(path.join(dir, file), JSON.stringify(createWaiversFile(waivers)));

  it('accepted errors stay in the report, marked, and no longer fail the run', async () => {
    await write('some.json', [waiver({})]);
    const { code, out } = await run([
      'patients-jan.csv',
      '--waivers',
      'some.json',
      '--report',
      'waived.json',
    ]);
    // the impossible month and the unknown sex are not accepted
    expect(code).toBe(1);
    expect(out).toContain(
      'w-birth contract.required birth_date: accepted until 2999-12-31, owner Dana Whitfield: 1 issue, 2 occurrences',
    );
    expect(out).toContain('Errors not accepted: 2');
    // the accepted problem is still listed, marked
    expect(out).toMatch(/error contract\.required birth_date × 2\b.* \(accepted: w-birth\)/);
    const report = await reportAt('waived.json');
    expect(report.issues.find((i) => i.rule === 'contract.required')?.acceptedBy).toBe('w-birth');
    expect(report.waivers?.map((w) => [w.waiver.id, w.status])).toEqual([['w-birth', 'active']]);
  });

  it('exits 0 when every error is accepted', async () => {
    await write('all.json', [
      waiver({}),
      waiver({ id: 'w-month', rule: 'contract.pattern', rows: [{ from: 3, to: 3 }] }),
      waiver({ id: 'w-sex', rule: 'contract.enum', column: 'sex' }),
    ]);
    expect((await run(['patients-jan.csv', '--waivers', 'all.json'])).code).toBe(0);
  });

  describe('a waiver limited to rows, on a problem with more occurrences than the report lists', () => {
    // 40 empty birth dates: twice the examples a report keeps
    const MANY = `id,birth_date,sex\n${Array.from({ length: 40 }, (_, i) => `${i + 1},,F`).join('\n')}\n`;
    const table: {
      name: string;
      rows: { from: number; to: number }[];
      /** more waivers, after the first */
      more?: Waiver[];
      code: number;
      failing: number;
      line: string;
    }[] = [
      {
        name: 'accepts every occurrence when all lie in its rows (exit 0)',
        rows: [{ from: 1, to: 40 }],
        code: 0,
        failing: 0,
        line: 'w-birth contract.required birth_date: accepted until 2999-12-31, owner Dana Whitfield: 1 issue, 40 occurrences',
      },
      {
        name: 'accepts those inside its rows; those outside still fail and are said (exit 1)',
        rows: [{ from: 1, to: 25 }],
        code: 1,
        failing: 15,
        line: '1 issue, 25 occurrences; 15 occurrences outside its rows still fail',
      },
      {
        name: 'accepts none when none lie in its rows',
        rows: [{ from: 41, to: 99 }],
        code: 1,
        failing: 40,
        line: '0 issues, 0 occurrences; 40 occurrences outside its rows still fail',
      },
      {
        name: 'says one occurrence outside its rows in the singular',
        rows: [{ from: 1, to: 39 }],
        code: 1,
        failing: 1,
        line: '1 issue, 39 occurrences; 1 occurrence outside its rows still fails',
      },
      {
        name: 'a second waiver on the same column accepts its own rows (exit 0)',
        rows: [{ from: 1, to: 20 }],
        more: [waiver({ id: 'w-birth-2', rows: [{ from: 21, to: 40 }] })],
        code: 0,
        failing: 0,
        line: 'w-birth-2 contract.required birth_date: accepted until 2999-12-31, owner Dana Whitfield: 1 issue, 20 occurrences',
      },
      {
        name: 'rows outside two waivers fail, said outside the rows of both',
        rows: [{ from: 1, to: 15 }],
        more: [waiver({ id: 'w-birth-2', rows: [{ from: 21, to: 30 }] })],
        code: 1,
        failing: 15,
        line: '(first: row 16, row 17, row 18, row 19, row 20) (outside the rows of w-birth, w-birth-2)',
      },
    ];
    it.each(table)('$name', async ({ rows, more = [], code, failing, line }) => {
      await writeFile(path.join(dir, 'many-a.csv'), MANY);
      await writeFile(path.join(dir, 'many-b.csv'), MANY);
      await write('rows.json', [waiver({ rows }), ...more]);
      // one file on this thread; two files with --workers 2, the second checked in a worker
      for (const files of [['many-a.csv'], ['many-a.csv', 'many-b.csv', '--workers', '2']]) {
        const { code: exit, out } = await run([
          ...files,
          '--waivers',
          'rows.json',
          '--report',
          'rows-report.json',
        ]);
        expect(exit).toBe(code);
        const inputs = files.filter((f) => f.endsWith('.csv')).length;
        if (inputs === 1) expect(out).toContain(line);
        // each part of the problem says its column by the contract's title
        for (const issue of out.split('\n').filter((l) => /contract\.required birth_date ×/.test(l)))
          expect(issue).toContain('Date of birth (birth_date): ');
        const report = await reportAt('rows-report.json');
        expect(
          report.issues
            .filter((i) => i.severity === 'error' && i.acceptedBy === undefined)
            .reduce((n, i) => n + i.count, 0),
        ).toBe(failing * inputs);
        expect(report.waivers?.[0]?.outside ?? 0).toBe(failing * inputs);
      }
    });
  });

  it('a waiver limited to a file matches it by file name, however the path is typed', async () => {
    const MANY = `id,birth_date,sex\n${Array.from({ length: 40 }, (_, i) => `${i + 1},,F`).join('\n')}\n`;
    await writeFile(path.join(dir, 'pts-drop.csv'), MANY);
    await write('input.json', [waiver({ input: 'pts-drop.csv', rows: [{ from: 1, to: 25 }] })]);
    for (const typed of ['pts-drop.csv', './pts-drop.csv', path.join(dir, 'pts-drop.csv')]) {
      const { code, out } = await run([typed, '--waivers', 'input.json']);
      expect(code).toBe(1);
      expect(out).toContain('1 issue, 25 occurrences; 15 occurrences outside its rows still fail');
    }
  });

  it('an expired waiver accepts nothing and says so', async () => {
    await write('old.json', [waiver({ expires: '2020-01-31' })]);
    const { code, out } = await run(['patients-jan.csv', '--waivers', 'old.json']);
    expect(code).toBe(1);
    expect(out).toContain('w-birth contract.required birth_date: expired 2020-01-31: accepts nothing');
  });

  it('refuses a waiver without a rationale, owner or expiry (exit 2)', async () => {
    await writeFile(
      path.join(dir, 'silent.json'),
      JSON.stringify({
        format: 'preflight.waivers/v1',
        waivers: [{ id: 'w', rule: 'contract.required', column: 'x' }],
      }),
    );
    const { code, err } = await run(['patients-jan.csv', '--waivers', 'silent.json']);
    expect(code).toBe(2);
    expect(err).toContain('"silent.json" is not a usable waivers file');
    expect(err).toContain('/waivers/0/rationale');
  });

  it('applies to FHIR files too (validate --fhir)', async () => {
    const ext = 'http://clinic.test/fhir/ext/shoe-size';
    await writeFile(
      path.join(dir, 'p.ndjson'),
      `${JSON.stringify({ resourceType: 'Patient', id: 'a', extension: [{ url: ext, valueString: 'x' }] })}\n`,
    );
    const plain = await runCli(['validate', '--fhir', 'p.ndjson', '--json'], dir);
    const issue = (JSON.parse(plain.out) as Report).issues.find((i) => i.rule === 'fhir-unknown-extension');
    expect(plain.code).toBe(1);
    // accepted by rule at the location the report gives it
    await write('fhir.json', [waiver({ rule: 'fhir-unknown-extension', column: issue?.location ?? '' })]);
    const waived = await runCli(['validate', '--fhir', 'p.ndjson', '--waivers', 'fhir.json'], dir);
    expect(waived.code).toBe(0);
    // and to `preflight fhir validate`, which refuses a bad waivers file before reading a resource
    expect((await runCli(['fhir', 'validate', 'p.ndjson', '--waivers', 'fhir.json'], dir)).code).toBe(0);
    await writeFile(
      path.join(dir, 'no-owner.json'),
      JSON.stringify(createWaiversFile([waiver({ owner: '' })])),
    );
    const refused = await runCli(['fhir', 'validate', 'p.ndjson', '--waivers', 'no-owner.json'], dir);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(
      'preflight fhir validate: --waivers "no-owner.json" is not a usable waivers file',
    );
  });
});
