import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Report, ReportIssue } from '../../formats/report.ts';
import { fixtureReport } from '../../formats/testing/fixtures.ts';
import {
  compareReports,
  comparisonMessage,
  previousRehearsal,
  rehearsalKey,
  rehearsalsOf,
  runErrors,
} from './index.ts';

function issue(
  rule: string,
  location: string,
  count: number,
  severity: ReportIssue['severity'] = 'error',
): ReportIssue {
  return { rule, severity, location, count, examples: [] };
}

function run(issues: ReportIssue[], generatedAt = '2026-03-01T09:00:00Z', id = generatedAt): Report {
  const errors = issues.filter((i) => i.severity === 'error').reduce((n, i) => n + i.count, 0);
  return {
    ...fixtureReport(id, generatedAt),
    crossFile: { duplicateKeys: [], orphanReferences: [] },
    summary: { records: 100, valid: 90, invalid: 10, errors, warnings: 0 },
    issues,
  };
}

describe('compareReports', () => {
  const cases: {
    name: string;
    previous: ReportIssue[];
    current: ReportIssue[];
    expected: [string, string, number, number][];
  }[] = [
    {
      name: 'a problem gone is fixed, one that appears is new',
      previous: [issue('contract-required', 'birth_date', 5)],
      current: [issue('contract-pattern', 'phone', 2)],
      expected: [
        ['new', 'contract-pattern phone', 0, 2],
        ['fixed', 'contract-required birth_date', 5, 0],
      ],
    },
    {
      name: 'more occurrences is worse; as many or fewer is still failing',
      previous: [issue('a', 'x', 3), issue('b', 'y', 3), issue('c', 'z', 3)],
      current: [issue('a', 'x', 4), issue('b', 'y', 3), issue('c', 'z', 1)],
      expected: [
        ['worse', 'a x', 3, 4],
        ['still-failing', 'b y', 3, 3],
        ['still-failing', 'c z', 3, 1],
      ],
    },
    {
      name: 'the key is rule and location: the same column under another rule is another problem',
      previous: [issue('contract-required', 'sex', 2)],
      current: [issue('contract-enum', 'sex', 2)],
      expected: [
        ['new', 'contract-enum sex', 0, 2],
        ['fixed', 'contract-required sex', 2, 0],
      ],
    },
    {
      name: 'warnings are compared too',
      previous: [],
      current: [issue('fhir-unknown-extension', 'Patient.extension', 7, 'warning')],
      expected: [['new', 'fhir-unknown-extension Patient.extension', 0, 7]],
    },
    { name: 'two clean runs compare to nothing', previous: [], current: [], expected: [] },
  ];
  it.each(cases)('$name', ({ previous, current, expected }) => {
    const comparison = compareReports(
      run(previous, '2026-03-01T09:00:00Z'),
      run(current, '2026-03-08T09:00:00Z'),
    );
    expect(
      comparison.entries.map((e) => [e.status, `${e.rule} ${e.location}`, e.previous, e.current]),
    ).toEqual(expected);
    const counts = { fixed: 0, new: 0, stillFailing: 0, worse: 0 };
    for (const [status] of expected)
      counts[status === 'still-failing' ? 'stillFailing' : (status as 'new')]++;
    expect(comparison.counts).toEqual(counts);
  });

  describe('problems across records and files', () => {
    const across = (crossFile: Report['crossFile']): Report => ({ ...run([]), crossFile });
    const dup = (column: string, records: number, conflictingKeys = 0) => ({
      input: 'patients.csv',
      column,
      keys: records,
      records,
      conflictingKeys,
    });
    const orphan = (column: string, count: number) => ({
      input: 'encounters.csv',
      column,
      target: 'patients.csv#patient_id',
      count,
      examples: [],
    });
    const cases: {
      name: string;
      previous: Report['crossFile'];
      current: Report['crossFile'];
      expected: [string, string, number, number][];
    }[] = [
      {
        name: 'repeated keys that appear are new; more of them is worse',
        previous: { duplicateKeys: [], orphanReferences: [], duplicateTotals: [dup('patient_id', 2)] },
        current: {
          duplicateKeys: [],
          orphanReferences: [],
          duplicateTotals: [dup('mrn', 1), dup('patient_id', 3)],
        },
        expected: [
          ['new', 'crossfile.duplicate-key mrn', 0, 1],
          ['worse', 'crossfile.duplicate-key patient_id', 2, 3],
        ],
      },
      {
        name: 'orphans gone are fixed; conflicting demographics that appear are new',
        previous: { duplicateKeys: [], orphanReferences: [orphan('patient_id', 4)], duplicateTotals: [] },
        current: { duplicateKeys: [], orphanReferences: [], duplicateTotals: [dup('mrn', 2, 1)] },
        expected: [
          ['new', 'crossfile.duplicate-key mrn', 0, 2],
          ['new', 'crossfile.conflicting-demographics mrn', 0, 1],
          ['fixed', 'crossfile.orphan-reference patient_id', 4, 0],
        ],
      },
      {
        name: 'a report without totals is compared by its lists',
        previous: {
          duplicateKeys: [{ input: 'p.csv', column: 'mrn', count: 3, rows: [1, 2, 3] }],
          orphanReferences: [],
        },
        current: {
          duplicateKeys: [{ input: 'p.csv', column: 'mrn', count: 2, rows: [1, 2] }],
          orphanReferences: [],
        },
        expected: [['still-failing', 'crossfile.duplicate-key mrn', 2, 1]],
      },
    ];
    it.each(cases)('$name', ({ previous, current, expected }) => {
      const comparison = compareReports(across(previous), across(current));
      expect(
        comparison.entries.map((e) => [e.status, `${e.rule} ${e.location}`, e.previous, e.current]),
      ).toEqual(expected);
      expect(comparison.entries.every((e) => e.severity === 'error')).toBe(true);
    });
  });

  it('names the previous run with its errors, across records and files included', () => {
    const previous = { ...run([issue('a', 'x', 2)]), crossFile: fixtureReport().crossFile };
    const comparison = compareReports(previous, run([]));
    expect(comparison.previous).toEqual({
      id: previous.id,
      generatedAt: previous.generatedAt,
      records: 100,
      errors: 2 + 1 + 1,
      warnings: 0,
    });
    expect(runErrors(previous)).toBe(4);
  });

  const issues = fc.array(
    fc.record({
      rule: fc.constantFrom('contract-required', 'contract-pattern', 'csv-structure', 'fhir-cardinality'),
      location: fc.constantFrom('', 'mrn', 'birth_date', 'Patient.name[0]'),
      count: fc.integer({ min: 1, max: 50 }),
      severity: fc.constantFrom<ReportIssue['severity']>('error', 'warning'),
    }),
    { maxLength: 12 },
  );
  const distinct = (list: Omit<ReportIssue, 'examples'>[]): ReportIssue[] => {
    const seen = new Map<string, ReportIssue>();
    for (const i of list) seen.set(`${i.rule}|${i.location}`, { ...i, examples: [] });
    return [...seen.values()];
  };

  it('a report compared with itself is only still failing (fast-check; a failure prints its seed)', () => {
    fc.assert(
      fc.property(issues, (list) => {
        const report = run(distinct(list));
        const comparison = compareReports(report, report);
        expect(comparison.counts.fixed + comparison.counts.new + comparison.counts.worse).toBe(0);
        expect(comparison.counts.stillFailing).toBe(report.issues.length);
        expect(comparison.entries.every((e) => e.previous === e.current)).toBe(true);
      }),
    );
  });

  it('each problem of either run appears once; fixed and new swap when the runs swap (fast-check)', () => {
    fc.assert(
      fc.property(issues, issues, (a, b) => {
        const [one, two] = [run(distinct(a)), run(distinct(b))];
        const forward = compareReports(one, two);
        const backward = compareReports(two, one);
        const keys = new Set([...one.issues, ...two.issues].map((i) => `${i.rule}|${i.location}`));
        expect(forward.entries).toHaveLength(keys.size);
        expect(backward.counts.fixed).toBe(forward.counts.new);
        expect(backward.counts.new).toBe(forward.counts.fixed);
      }),
    );
  });
});

describe('compareReports across files', () => {
  // two files of one run that share a column name, as buildReport writes a run of several files:
  // one issue per file, each example naming its file
  const inFile = (input: string, rule: string, location: string, count: number): ReportIssue => ({
    ...issue(rule, location, count),
    examples: [{ input, row: 2, column: location }],
  });
  const files = (r: Report, names: [string, string?][]): Report => ({
    ...r,
    inputs: names.map(([name, schema]) => ({
      name,
      kind: 'csv',
      records: 50,
      ...(schema ? { schema } : {}),
    })),
  });
  const shape = (c: ReturnType<typeof compareReports>) =>
    c.entries.map((e) => [e.status, `${e.input ?? '-'} ${e.rule} ${e.location}`, e.previous, e.current]);

  it('a fix in one file and a regression in another that share a column are fixed and new', () => {
    const previous = files(
      run([inFile('patients.csv', 'contract.required', 'status', 3)], '2026-03-01T09:00:00Z'),
      [['patients.csv'], ['visits.csv']],
    );
    const current = files(
      run([inFile('visits.csv', 'contract.required', 'status', 3)], '2026-03-08T09:00:00Z'),
      [['patients.csv'], ['visits.csv']],
    );
    const comparison = compareReports(previous, current);
    expect(shape(comparison)).toEqual([
      ['new', 'visits.csv contract.required status', 0, 3],
      ['fixed', 'patients.csv contract.required status', 3, 0],
    ]);
    expect(comparison.counts).toEqual({ fixed: 1, new: 1, stillFailing: 0, worse: 0 });
    // each entry's words come from its own file's issue
    expect(comparisonMessage(comparison.entries[1] as never, [current, previous])).toBe(
      comparisonMessage({ rule: 'contract.required', location: 'status' }, [previous]),
    );
  });

  it('a file under its contract is the same file in the next drop, whatever it is called', () => {
    const previous = files(
      run(
        [inFile('patients-jan.csv', 'a', 'status', 2), inFile('visits-jan.csv', 'a', 'status', 4)],
        '2026-03-01T09:00:00Z',
      ),
      [
        ['patients-jan.csv', 'urn:p'],
        ['visits-jan.csv', 'urn:v'],
      ],
    );
    const current = files(
      run(
        [inFile('patients-feb.csv', 'a', 'status', 5), inFile('visits-feb.csv', 'a', 'status', 1)],
        '2026-03-08T09:00:00Z',
      ),
      [
        ['patients-feb.csv', 'urn:p'],
        ['visits-feb.csv', 'urn:v'],
      ],
    );
    expect(shape(compareReports(previous, current))).toEqual([
      ['worse', 'patients-feb.csv a status', 2, 5],
      ['still-failing', 'visits-feb.csv a status', 4, 1],
    ]);
  });

  it('drops kept in dated folders under one contract are the same files, paired by file name', () => {
    const drop = (day: string, issues: [string, number][]) =>
      files(
        run(
          issues.map(([name, count]) => inFile(`${day}/${name}`, 'a', 'status', count)),
          `${day}T09:00:00Z`,
        ),
        [
          [`${day}/patients.csv`, 'urn:one'],
          [`${day}/visits.csv`, 'urn:one'],
        ],
      );
    const previous = drop('2026-11-20', [
      ['patients.csv', 2],
      ['visits.csv', 1],
    ]);
    const current = drop('2026-11-27', [['visits.csv', 4]]);
    const comparison = compareReports(previous, current);
    expect(shape(comparison)).toEqual([
      ['worse', '2026-11-27/visits.csv a status', 1, 4],
      ['fixed', '2026-11-20/patients.csv a status', 2, 0],
    ]);
    expect(comparison.counts).toEqual({ fixed: 1, new: 0, stillFailing: 0, worse: 1 });
    // with no contract, and with Windows separators, a dated drop is the same file too
    const bare = (r: Report, sep: string) => ({
      ...r,
      inputs: r.inputs.map(({ schema: _, ...i }) => ({ ...i, name: i.name.replace('/', sep) })),
      issues: r.issues.map((i) => ({
        ...i,
        examples: i.examples.map((e) => ({ ...e, input: e.input?.replace('/', sep) })),
      })),
    });
    expect(compareReports(bare(previous, '\\'), bare(current, '/')).counts).toEqual(comparison.counts);
    expect(rehearsalKey(bare(previous, '/'))).toBe(rehearsalKey(bare(current, '\\')));
  });

  it('pairs a renamed drop with no contract by its kind, and a file new to the run is new', () => {
    const previous = files(run([inFile('visits-jan.csv', 'a', 'status', 2)], '2026-03-01T09:00:00Z'), [
      ['patients.csv', 'urn:p'],
      ['visits-jan.csv'],
    ]);
    const current = files(
      run(
        [inFile('visits-feb.csv', 'a', 'status', 1), inFile('labs.csv', 'a', 'status', 1)],
        '2026-03-08T09:00:00Z',
      ),
      [['patients.csv', 'urn:p'], ['visits-feb.csv'], ['labs.csv', 'urn:l']],
    );
    expect(shape(compareReports(previous, current))).toEqual([
      ['new', 'labs.csv a status', 0, 1],
      ['still-failing', 'visits-feb.csv a status', 2, 1],
    ]);
  });

  it('problems across records and files are placed in their file too', () => {
    const dup = (input: string, records: number) => ({
      input,
      column: 'id',
      keys: records,
      records,
      conflictingKeys: 0,
    });
    const across = (totals: ReturnType<typeof dup>[], at: string): Report => ({
      ...files(run([], at), [['patients.csv'], ['visits.csv']]),
      crossFile: { duplicateKeys: [], orphanReferences: [], duplicateTotals: totals },
    });
    expect(
      shape(
        compareReports(
          across([dup('patients.csv', 2)], '2026-03-01T09:00:00Z'),
          across([dup('visits.csv', 2)], '2026-03-08T09:00:00Z'),
        ),
      ),
    ).toEqual([
      ['new', 'visits.csv crossfile.duplicate-key id', 0, 2],
      ['fixed', 'patients.csv crossfile.duplicate-key id', 2, 0],
    ]);
  });

  it('an old report whose issues do not name their file is compared by rule and location', () => {
    // saved before issues named their file: several inputs, an issue with no example naming one
    const previous = files(run([issue('contract.required', 'status', 3)], '2026-03-01T09:00:00Z'), [
      ['patients.csv'],
      ['visits.csv'],
    ]);
    const current = files(
      run([inFile('visits.csv', 'contract.required', 'status', 3)], '2026-03-08T09:00:00Z'),
      [['patients.csv'], ['visits.csv']],
    );
    expect(shape(compareReports(previous, current))).toEqual([
      ['still-failing', '- contract.required status', 3, 3],
    ]);
  });

  it('a run of one file keeps entries without a file, as before', () => {
    const one = run([issue('a', 'x', 1)]);
    expect(compareReports(one, one).entries[0]).not.toHaveProperty('input');
  });
});

describe('rehearsals of a check', () => {
  const contracted = (r: Report, name: string, schema?: string): Report => ({
    ...r,
    inputs: [{ name, kind: 'csv', records: 100, ...(schema ? { schema } : {}) }],
  });
  const first = contracted(
    run([issue('a', 'x', 1)], '2026-03-01T09:00:00Z', 'r1'),
    'patients-jan.csv',
    'urn:p',
  );
  const second = contracted(run([], '2026-03-08T09:00:00Z', 'r2'), 'patients-feb.csv', 'urn:p');
  const other = contracted(run([], '2026-03-05T09:00:00Z', 'r3'), 'visits.csv', 'urn:v');
  const loose = contracted(run([], '2026-03-06T09:00:00Z', 'r4'), 'patients-jan.csv');

  it('runs of files under the same contract are one check, whatever the files are called', () => {
    expect(rehearsalKey(first)).toBe(rehearsalKey(second));
    expect(rehearsalKey(first)).not.toBe(rehearsalKey(other));
    // without a contract the file name is all there is
    expect(rehearsalKey(loose)).not.toBe(rehearsalKey(first));
  });

  it('lists a check’s runs oldest first and finds the one before', () => {
    const all = [second, other, loose, first];
    expect(rehearsalsOf(all, second).map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(previousRehearsal(all, second)?.id).toBe('r1');
    expect(previousRehearsal(all, first)).toBeNull();
    // a run not yet kept is compared with the latest kept one
    const third = contracted(run([], '2026-03-15T09:00:00Z', 'r5'), 'patients-mar.csv', 'urn:p');
    expect(previousRehearsal(all, third)?.id).toBe('r2');
  });
});
