import { describe, expect, it } from 'vitest';
import type { Report } from '../../formats/report.ts';
import {
  type CsvSource,
  createRunProgress,
  executeRun,
  failingRowIndex,
  type InputJob,
  planChosen,
  type RunProgress,
  receivedReferences,
  sendableReferences,
  type ValidateCsvOptions,
  validateCsv,
  withMappingKey,
} from './index.ts';

const LAYOUT = { encoding: 'utf-8', delimiter: ',', quote: '"', header: true, lineEnding: '\n' } as const;

function source(name: string, text: string): CsvSource {
  const bytes = new TextEncoder().encode(text);
  return {
    name,
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(offset, offset + length),
  };
}

const PATIENTS = 'mrn,name\nM1,Ada\nM2,Bo\nM2,Cy\n';
const VISITS = 'id,mrn\nV1,M1\nV2,M9\nV3,M2\n';
const CONTRACT = {
  id: 'visits',
  name: 'visits.json',
  schema: { type: 'object', properties: { id: { type: 'string', pattern: '^V\\d+$' } } },
};

function run() {
  const inputs = [
    { name: 'patients.csv', layout: LAYOUT, header: ['mrn', 'name'], keys: [{ column: 'mrn' }] },
    { name: 'visits.csv', layout: LAYOUT, header: ['id', 'mrn'], keys: [], contract: CONTRACT },
  ];
  const links = [{ input: 'visits.csv', column: 'mrn', target: 'patients.csv', targetColumn: 'mrn' }];
  const plan = planChosen(inputs, links);
  const jobs = (): InputJob[] => [
    { source: source('patients.csv', PATIENTS), layout: LAYOUT, keys: [{ column: 'mrn' }] },
    { source: source('visits.csv', VISITS), layout: LAYOUT, keys: [] },
  ];
  return { plan, jobs };
}

/** A report without what differs between two runs of the same files (their times). */
function timeless(report: Report) {
  const { generatedAt: _g, run: _r, ...rest } = report as Report & { run?: unknown };
  return JSON.parse(JSON.stringify(rest, (key, value) => (/Ms$|At$/.test(key) ? undefined : value)));
}

describe('executeRun', () => {
  it('reports a file checked through a sent key set as the file checked in place', async () => {
    const { plan, jobs } = run();
    const options = { report: { toolVersion: 't' }, fingerprints: undefined };
    const here = await executeRun(plan, jobs(), { engine: {}, ...options });
    // a worker's runner: the references cross as plain arrays and are looked up from them
    const sent: unknown[] = [];
    const there = await executeRun(plan, jobs(), {
      engine: {
        parallel: 2,
        run: (s: CsvSource, o: ValidateCsvOptions) => {
          const references = sendableReferences(o.references);
          sent.push(...references);
          return validateCsv(s, { ...o, references: receivedReferences(structuredClone(references)) });
        },
      },
      ...options,
    });
    expect(sent).toHaveLength(1);
    expect(timeless(there.report)).toEqual(timeless(here.report));
    expect(there.report.crossFile.orphanReferences).toMatchObject([{ column: 'mrn', count: 1 }]);
    expect(there.report.crossFile.duplicateKeys).toMatchObject([{ column: 'mrn', count: 2 }]);
    expect(failingRowIndex(there.results[1] as never)).toMatchObject({ input: 'visits.csv', count: 0 });
  });

  it('cites fingerprints taken beside or after the engine, and times the run from its start', async () => {
    const { plan, jobs } = run();
    const at = new Date('2026-01-01T00:00:00Z');
    for (const when of ['beside', 'after'] as const) {
      const order: string[] = [];
      const { report } = await executeRun(plan, jobs(), {
        engine: {},
        started: { at, t0: performance.now() - 5_000 },
        afterEngine: () => order.push('engine done'),
        fingerprints: {
          when,
          all: async () => {
            order.push('fingerprints');
            return new Map([['visits.csv', 'ab'.repeat(32)]]);
          },
        },
        report: { toolVersion: 't' },
      });
      expect(order).toEqual(
        when === 'beside' ? ['fingerprints', 'engine done'] : ['engine done', 'fingerprints'],
      );
      expect(report.inputs.map((i) => i.sha256)).toEqual([undefined, 'ab'.repeat(32)]);
      expect(report.timings.startedAt).toBe(at.toISOString());
      expect(report.timings.totalMs).toBeGreaterThanOrEqual(5_000);
    }
  });

  it('fails with the engine error, leaving a failing fingerprint handled', async () => {
    const { plan } = run();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { plan: _p, jobs } = run();
      await expect(
        executeRun(plan, jobs(), {
          engine: { run: () => Promise.reject(new RangeError('engine failed')) },
          fingerprints: { when: 'beside', all: () => Promise.reject(new Error('fingerprint failed')) },
          report: { toolVersion: 't' },
        }),
      ).rejects.toBeInstanceOf(RangeError);
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('createRunProgress', () => {
  it('sums the files, never goes back, says the step after reading and the report last', () => {
    const seen: RunProgress[] = [];
    const progress = createRunProgress(
      [
        { name: 'a.csv', size: 100, keyed: true },
        { name: 'b.csv', size: 50, keyed: false },
      ],
      [],
      (p) => seen.push(p),
    );
    const a = progress.file('a.csv');
    const b = progress.file('b.csv');
    a({ bytes: 60, rows: 6 });
    // read again from the start (its key files could not be used): adds nothing until past 60
    a({ bytes: 10, rows: 1 });
    a({ bytes: 100, rows: 10 });
    b({ bytes: 50, rows: 5 });
    progress.done();
    const steps = seen.filter((p) => p.step).map((p) => [p.input, p.step, p.done, p.rows]);
    expect(steps).toEqual([
      ['a.csv', 'checking-keys', 100, 10],
      ['b.csv', 'combining', 150, 15],
      ['b.csv', 'writing-report', 150, 15],
    ]);
    const counts = seen.map((p) => p.done);
    expect(counts).toEqual([...counts].sort((x, y) => x - y));
  });
});

describe('withMappingKey', () => {
  it.each([
    { keys: [], key: 'mrn', expected: ['mrn'] },
    { keys: [{ column: 'mrn' }], key: ['mrn'], expected: ['mrn'] },
    { keys: [{ column: 'id' }], key: ['mrn'], expected: ['id', 'mrn'] },
    { keys: [{ column: 'id' }], key: ['mrn', 'site'], expected: ['id'] },
  ])('adds a one-column mapping key $key to $keys', ({ keys, key, expected }) => {
    expect(withMappingKey(keys, key).map((k) => k.column)).toEqual(expected);
  });
});
