/**
 * `preflight.reconcile-list/v1` and `preflight.reconcile-result/v1`: what the app's reconcile list
 * export and `preflight fhir reconcile --json` write loads, and a damaged file is refused at its
 * path. The written documents come from the real writers, so a field renamed in one of them (and
 * not in its schema) fails here.
 */
import { describe, expect, it } from 'vitest';
import { loadReconcileList } from '../formats/reconcileList.ts';
import { loadReconcileResult } from '../formats/reconcileResult.ts';
import { loadAny } from '../formats/registry.ts';
import {
  type CountWithExamples,
  type ReconcileExample,
  type ReconcileResult,
  reconcileResultFile,
} from './reconcile.ts';
import { reconcileExport } from './reconcileList.ts';

const tally = (...examples: ReconcileExample[]): CountWithExamples => ({ count: examples.length, examples });

/** A result with every kind of problem, kept with values as the app keeps them. */
const result: ReconcileResult = {
  identifierSystem: 'urn:mrn',
  extract: { records: 10, withoutIdentifier: 1, duplicates: tally({ identifier: 'A5', row: 8 }) },
  server: { records: 9, withoutIdentifier: 0, duplicates: tally({ identifier: 'X1', id: 's9' }) },
  matched: 6,
  missingOnServer: tally({ identifier: 'M9', row: 9 }, { identifier: 'M2', row: 2 }),
  extraOnServer: tally({ identifier: 'X2', id: 's2' }, { identifier: 'X1', id: 's1' }),
  mismatches: {
    name: tally({ identifier: 'A5', row: 5, id: 'p5', values: { file: 'Smith|Ann', server: 'Smyth|Ann' } }),
    birthDate: tally({ identifier: 'A5', row: 5, id: 'p5', values: { file: '1980-01-02' } }),
    gender: tally({ identifier: 'A7', row: 7, id: 'p7', values: { file: 'female', server: 'male' } }),
  },
};

const about = {
  generatedAt: '2026-11-24T12:00:00.000Z',
  server: 'http://127.0.0.1:8080',
  file: 'patients.csv',
};

/** As written to disk and read back. */
const written = (value: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(value));

describe('preflight.reconcile-list/v1', () => {
  it.each([
    ['with values', {}],
    ['without values', { hideValues: true }],
  ])('loads the app’s export %s, also through the registry', (_name, options) => {
    const json = written(reconcileExport(result, about, options));
    expect(loadReconcileList(json)).toEqual({ ok: true, value: json });
    expect(loadAny(json)).toMatchObject({ ok: true, format: { title: 'reconcile list' } });
  });

  const base = () => written(reconcileExport(result, about));
  const refused: [string, (doc: Record<string, unknown>) => void, string, string][] = [
    [
      'a renamed field',
      (d) => {
        d.extractRows = d.extractRecords;
        delete d.extractRecords;
      },
      '/extractRecords',
      'missing-field',
    ],
    [
      'an unknown field',
      (d) => {
        d.extra = 1;
      },
      '/extra',
      'unknown-field',
    ],
    [
      'an unknown problem',
      (d) => {
        (d.lines as [{ problem: string }])[0].problem = 'lost';
      },
      '/lines/0/problem',
      'not-allowed',
    ],
    [
      'a row of 0',
      (d) => {
        (d.lines as [{ row?: number }])[0].row = 0;
      },
      '/lines/0/row',
      'out-of-range',
    ],
    [
      'a time without zone',
      (d) => {
        d.generatedAt = '2026-11-24T12:00:00';
      },
      '/generatedAt',
      'wrong-form',
    ],
    [
      'a count that is not its lines',
      (d) => {
        (d.counts as Record<string, number>)['gender-differs'] = 4;
      },
      '/counts/gender-differs',
      'inconsistent',
    ],
    [
      'values in a list that says they were left out',
      (d) => {
        d.valuesHidden = true;
      },
      '/lines/3/file',
      'not-redacted',
    ],
  ];
  it.each(refused)('refuses %s, at its path', (_name, damage, path, code) => {
    const doc = base();
    damage(doc);
    const loaded = loadReconcileList(doc);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.problems.map((p) => [p.path, p.code])).toContainEqual([path, code]);
    // never a value of the document in a message
    expect(JSON.stringify(loaded.problems)).not.toMatch(/Smith|Smyth|1980|female/);
  });

  it('refuses a value on a line of a problem that has none', () => {
    const doc = base();
    const lines = doc.lines as { problem: string; file?: string }[];
    const missing = lines.findIndex((l) => l.problem === 'missing-on-server');
    (lines[missing] as { file?: string }).file = 'x';
    const loaded = loadReconcileList(doc);
    expect(loaded.ok ? [] : loaded.problems.map((p) => [p.path, p.code])).toEqual([
      [`/lines/${missing}/file`, 'inconsistent'],
    ]);
  });
});

describe('preflight.reconcile-result/v1', () => {
  it('loads what `fhir reconcile --json` prints, with no value of a record', () => {
    const json = written(reconcileResultFile(result));
    expect(loadReconcileResult(json)).toEqual({ ok: true, value: json });
    expect(loadAny(json)).toMatchObject({ ok: true, format: { title: 'reconcile result' } });
    expect(JSON.stringify(json)).not.toMatch(/Smith|Smyth|1980|female|values/);
  });

  const base = () => written(reconcileResultFile(result));
  const refused: [string, (doc: Record<string, unknown>) => void, string, string][] = [
    [
      'a renamed field',
      (d) => {
        d.matches = d.matched;
        delete d.matched;
      },
      '/matched',
      'missing-field',
    ],
    [
      'an example with values',
      (d) => {
        (d.mismatches as { name: { examples: [Record<string, unknown>] } }).name.examples[0].values = {};
      },
      '/mismatches/name/examples/0/values',
      'unknown-field',
    ],
    [
      'a count that is not a number',
      (d) => {
        (d.missingOnServer as Record<string, unknown>).count = '2';
      },
      '/missingOnServer/count',
      'wrong-type',
    ],
    [
      'more examples than the count',
      (d) => {
        (d.extraOnServer as Record<string, unknown>).count = 1;
      },
      '/extraOnServer/examples',
      'inconsistent',
    ],
    [
      'no tag',
      (d) => {
        delete d.format;
      },
      '',
      'not-preflight',
    ],
  ];
  it.each(refused)('refuses %s, at its path', (_name, damage, path, code) => {
    const doc = base();
    damage(doc);
    const loaded = loadReconcileResult(doc);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.problems.map((p) => [p.path, p.code])).toContainEqual([path, code]);
  });
});
