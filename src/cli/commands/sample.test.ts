import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalSha256Hex } from '../../core/hash/index.ts';
import {
  applyRiskStrata,
  CENSUS,
  drawSample,
  planHash,
  planSampleSizes,
  type SampleDocument,
  type SampleInput,
  suggestRiskStrata,
} from '../../core/signoff/sampling/index.ts';
import type { Report } from '../../formats/report.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import { fixtureReport } from '../../formats/testing/fixtures.ts';
import { runCli } from '../cliTestKit.ts';

const REPO = path.resolve(import.meta.dirname, '../../..');
const PATIENTS = path.join(REPO, 'samples/legacy/patients.csv');
const DEMO_PLAN = path.join(REPO, 'samples/plans/patients.sampleplan.json');
const CONTRACT = path.join(REPO, 'samples/contracts/patients.contract.json');
/** stands in for patient content other than the key: must never reach the output */
const SECRET = 'Jane Q. Patient';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-sample-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(args: string[]) {
  return runCli(['sample', ...args], dir);
}

async function demoPlan(population: Partial<SamplePlan['population']>, name: string): Promise<SamplePlan> {
  const plan = JSON.parse(await readFile(DEMO_PLAN, 'utf8')) as SamplePlan;
  plan.population = { ...plan.population, ...population };
  await writeFile(path.join(dir, name), JSON.stringify(plan));
  return plan;
}

/** The fields of a valid plan besides its population. */
function demoPlanShape() {
  return {
    format: 'preflight.sampleplan/v1',
    id: 'v',
    name: 'V',
    targetErrorRate: 0.05,
    confidence: 0.95,
    acceptanceNumber: 0,
    seed: 'abc',
    createdAt: '2024-07-08T09:00:00-04:00',
  };
}

/** patients.csv parsed whole by papaparse, independently of the streaming reader. */
async function patientRows(): Promise<Record<string, string>[]> {
  const text = await readFile(PATIENTS, 'utf8');
  return Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
}

describe('preflight sample on the demo patients.csv', () => {
  it('refuses the demo plan (stratified by validation outcome) without --contract, with exit 2, saying what it needs', async () => {
    const { code, out, err } = await run([DEMO_PLAN, PATIENTS, '--key', 'mrn', '--n', 'clean=149']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain('give the column contract with --contract');
  });

  it('draws the demo plan with --contract: flagged = contract errors ∪ duplicate MRNs (the README counts), as a census', async () => {
    const { code, out } = await run([
      DEMO_PLAN,
      PATIENTS,
      '--key',
      'mrn',
      '--n',
      'clean=149',
      '--contract',
      CONTRACT,
      '--json',
    ]);
    expect(code).toBe(1); // the census holds 12 duplicated MRNs: their second copies are reported
    const document = JSON.parse(out) as SampleDocument;
    expect(document.strata.map((s) => [s.id, s.population, s.n, s.records.length, s.census])).toEqual([
      ['clean', 4738, 149, 149, false],
      ['flagged', 262, 262, 250, true],
    ]);
    expect(document.problems).toEqual([expect.objectContaining({ code: 'duplicate-key', count: 12 })]);
    // independently: every flagged record breaks the contract or shares its MRN (samples.test.ts's rule)
    const rows = await patientRows();
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.mrn ?? '', (counts.get(r.mrn ?? '') ?? 0) + 1);
    const clean = document.strata[0]?.records ?? [];
    for (const r of clean) expect(counts.get(r.key)).toBe(1);
  });

  it('refuses a contract that is not a JSON Schema of rows and a plan whose strata are not flagged + clean', async () => {
    const notContract = await run([
      DEMO_PLAN,
      PATIENTS,
      '--key',
      'mrn',
      '--n',
      'clean=149',
      '--contract',
      DEMO_PLAN,
    ]);
    expect(notContract.code).toBe(2);
    expect(notContract.err).toMatch(/does not compile|not a column contract/);
  });

  it('draws the same sample as the pure sampler on the same rows, and reports the planted duplicate MRNs', async () => {
    const rows = await patientRows();
    const count = (sex: string) => rows.filter((r) => r.sex === sex).length;
    const plan = await demoPlan(
      {
        stratifyBy: 'sex',
        strata: [
          { id: 'F', label: 'F', size: count('F') },
          { id: 'M', label: 'M', size: count('M') },
          { id: 'U', label: 'U', size: count('U'), census: true },
        ],
      },
      'sex.json',
    );
    const { code, out } = await run([
      'sex.json',
      PATIENTS,
      '--key',
      'mrn',
      '--n',
      'F=59',
      '--n=M=40',
      '--json',
    ]);
    const document = JSON.parse(out) as SampleDocument;

    const expected = drawSample(
      { seed: plan.seed, sizes: { F: 59, M: 40, U: CENSUS } },
      rows.map((r, i): SampleInput => ({ key: r.mrn, stratum: r.sex, row: i + 1, source: PATIENTS })),
    );
    expect(document.strata.map((s) => s.records)).toEqual(
      expected.strata.map((s) => s.records.map((r) => ({ file: PATIENTS, row: r.row, key: r.key }))),
    );
    expect(document.strata.map((s) => [s.id, s.population, s.n, s.records.length])).toEqual([
      ['F', count('F'), 59, 59],
      ['M', count('M'), 40, 40],
      ['U', count('U'), count('U'), expected.strata[2]?.records.length],
    ]);
    expect(document.plan).toEqual({ id: plan.id, hash: canonicalSha256Hex(plan) });
    expect(document.inputs).toEqual([
      {
        file: PATIENTS,
        sha256: createHash('sha256')
          .update(await readFile(PATIENTS))
          .digest('hex'),
        bytes: (await readFile(PATIENTS)).length,
        rows: rows.length,
      },
    ]);
    // the rows with another sex value are unknown strata: data problems, exit 1
    const other = rows.filter((r) => !['F', 'M', 'U'].includes(r.sex ?? '')).length;
    expect(document.problems.find((p) => p.code === 'unknown-stratum')?.count).toBe(other);
    expect(code).toBe(1);
    // the census stratum holds every U record, so every duplicate MRN among them is found
    const uKeys = rows.filter((r) => r.sex === 'U' && (r.mrn ?? '').trim() !== '').map((r) => r.mrn);
    const copies = uKeys.length - new Set(uKeys).size;
    expect(document.problems.find((p) => p.code === 'duplicate-key' && p.stratum === 'U')?.count ?? 0).toBe(
      copies,
    );
  });

  it('file strata with census find every duplicate MRN the file holds; the text output is short', async () => {
    const rows = await patientRows();
    await demoPlan(
      { stratifyBy: 'file', strata: [{ id: 'patients.csv', label: 'all', size: rows.length, census: true }] },
      'file.json',
    );
    const keys = rows.map((r) => r.mrn).filter((k) => (k ?? '').trim() !== '');
    const { code, out } = await run(['file.json', PATIENTS, '--key', 'mrn']);
    expect(code).toBe(1);
    expect(out).toContain(`patients.csv: ${new Set(keys).size} of ${keys.length} records drawn (census)`);
    expect(out).toContain(`duplicate-key × ${keys.length - new Set(keys).size}`);
    expect(keys.length - new Set(keys).size).toBeGreaterThan(0);
    expect(out).toContain('--json output');
    expect(out).not.toContain(rows[0]?.mrn as string);
  });
});

describe('preflight sample on small files', () => {
  const plan2 = (strata: SamplePlan['population']['strata'], stratifyBy = 'site') =>
    demoPlan({ stratifyBy, strata }, 'p.json');

  it('exits 0 with a clean sample; keys are in the JSON, other cells never; independent of row order', async () => {
    await plan2([
      { id: 'north', label: 'n', size: 3 },
      { id: 'south', label: 's', size: 2 },
    ]);
    const lines = ['1,north', '2,north', '3,south', '4,north', '5,south'].map((l) => `${l},${SECRET}`);
    await writeFile(path.join(dir, 'a.csv'), `\ufeffmrn,site,name\r\n${lines.join('\r\n')}\r\n`);
    await writeFile(
      path.join(dir, 'b.csv'),
      `site,name,mrn\n${lines
        .reverse()
        .map((l) => l.split(','))
        .map(([m, s, n]) => `${s},${n},${m}`)
        .join('\n')}`,
    );
    const a = await run(['p.json', 'a.csv', '--key', 'mrn', '--n', 'north=2', '--n', 'south=1', '--json']);
    const b = await run(['p.json', 'b.csv', '--key', 'mrn', '--n', 'north=2', '--n', 'south=1', '--json']);
    expect([a.code, a.err, b.code, b.err]).toEqual([0, '', 0, '']);
    const keys = (r: { out: string }) =>
      (JSON.parse(r.out) as SampleDocument).strata.map((s) => s.records.map((x) => x.key));
    expect(keys(a)).toEqual(keys(b));
    expect(keys(a).map((k) => k.length)).toEqual([2, 1]);
    expect(a.out).not.toContain(SECRET);
  });

  it('exits 1 on a stratum-size mismatch and on missing keys, naming rows, never values', async () => {
    await plan2([{ id: 'north', label: 'n', size: 5 }]);
    await writeFile(path.join(dir, 'c.csv'), `mrn,site,name\n1,north,${SECRET}\n,north,${SECRET}\n`);
    const { code, out } = await run(['p.json', 'c.csv', '--key', 'mrn', '--n', 'north=1']);
    expect(code).toBe(1);
    expect(out).toContain('missing-key × 1');
    expect(out).toContain('c.csv row 2');
    expect(out).toContain('the plan states 5 records in stratum "north" but the data holds 1');
    expect(out).not.toContain(SECRET);
  });

  it('--stratum-column names the column holding the stratum ids; it is bad usage with file strata', async () => {
    await plan2([{ id: 'north', label: 'n', size: 2 }]);
    await writeFile(path.join(dir, 'k.csv'), 'mrn,clinic\n1,north\n2,north\n');
    const ok = await run(['p.json', 'k.csv', '--key', 'mrn', '--n', 'north=1', '--stratum-column', 'clinic']);
    expect([ok.code, ok.err]).toEqual([0, '']);
    expect(ok.out).toContain('north: 1 of 2 records drawn (n = 1)');
    const missing = await run(['p.json', 'k.csv', '--key', 'mrn', '--n', 'north=1']);
    expect([missing.code, missing.err]).toEqual([
      2,
      'preflight sample: k.csv has no column "site" (the stratum column) in its header',
    ]);
    await plan2([{ id: 'k.csv', label: 'k', size: 2 }], 'file');
    const usage = await run([
      'p.json',
      'k.csv',
      '--key',
      'mrn',
      '--n',
      'k.csv=1',
      '--stratum-column',
      'clinic',
    ]);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('--stratum-column is for plans stratified by a column');
  });

  it('exits 2 with the byte offset for a file that is not UTF-8', async () => {
    await plan2([{ id: 'north', label: 'n', size: 1 }]);
    await writeFile(path.join(dir, 'w.csv'), Buffer.from([...Buffer.from('mrn,site\n1,n'), 0xfc, 0x0a]));
    const { code, err } = await run(['p.json', 'w.csv', '--key', 'mrn', '--n', 'north=1']);
    expect(code).toBe(2);
    expect(err).toContain('w.csv is not valid UTF-8 text: the byte at line 2, byte 12 cannot be read');
  });

  const usage: { description: string; args: string[]; message: string; code?: number }[] = [
    {
      description: 'no --key',
      args: ['p.json', 'a.csv', '--n', 'north=1'],
      message: '--key <column> is required',
    },
    {
      description: 'no data file',
      args: ['p.json', '--key', 'mrn'],
      message: 'give a sample plan and at least one CSV file',
    },
    {
      description: 'a bad --n',
      args: ['p.json', 'a.csv', '--key', 'mrn', '--n', 'north=0'],
      message: '--n takes <stratum>=<count>',
    },
    {
      description: 'a stratum without --n',
      args: ['p.json', 'a.csv', '--key', 'mrn', '--n', 'north=1'],
      message: 'no --n for stratum "south"',
    },
    {
      description: '--n for an unknown stratum',
      args: ['p.json', 'a.csv', '--key', 'mrn', '--n', 'north=1', '--n', 'south=1', '--n', 'east=1'],
      message: '--n names "east", not a stratum of the plan',
    },
    {
      description: 'a key column the file lacks',
      args: ['p.json', 'a.csv', '--key', 'MRN', '--n', 'north=1', '--n', 'south=1'],
      message: 'a.csv has no column "MRN" (the key column)',
    },
    {
      description: 'a missing data file',
      args: ['p.json', 'nope.csv', '--key', 'mrn', '--n', 'north=1', '--n', 'south=1'],
      message: 'cannot read "nope.csv": no such file',
    },
    {
      description: 'a missing plan',
      args: ['nope.json', 'a.csv', '--key', 'mrn'],
      message: 'cannot read plan "nope.json"',
    },
  ];
  it.each(usage)('exits 2 for $description', async ({ args, message }) => {
    await plan2([
      { id: 'north', label: 'n', size: 3 },
      { id: 'south', label: 's', size: 2 },
    ]);
    const { code, out, err } = await run(args);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(message);
  });

  const validationUsage: { description: string; args: string[]; strata?: number; message: string }[] = [
    {
      description: 'an empty file',
      args: ['v.json', 'empty.csv', '--key', 'mrn', '--n', 'clean=1', '--contract', 'c.json'],
      message: 'empty.csv has no header row: it is empty',
    },
    {
      description: 'a key column the file lacks',
      args: ['v.json', 'v.csv', '--key', 'medical', '--n', 'clean=1', '--contract', 'c.json'],
      message: 'v.csv has no column "medical"',
    },
    {
      description: 'strata other than one flagged and one other',
      args: ['v.json', 'v.csv', '--key', 'mrn', '--n', 'clean=1', '--n', 'more=1', '--contract', 'c.json'],
      strata: 3,
      message: 'needs exactly two strata',
    },
    {
      description: 'a contract that does not compile',
      args: ['v.json', 'v.csv', '--key', 'mrn', '--n', 'clean=1', '--contract', 'bad.json'],
      message: 'contract "bad.json" does not compile',
    },
    {
      description: '--stratum-column',
      args: [
        'v.json',
        'v.csv',
        '--key',
        'mrn',
        '--n',
        'clean=1',
        '--contract',
        'c.json',
        '--stratum-column',
        'x',
      ],
      message: 'this plan uses validation outcome',
    },
  ];
  it.each(validationUsage)(
    'a plan stratified by validation: exits 2 for $description',
    async ({ args, strata, message }) => {
      const stratumList = [
        { id: 'clean', label: 'c', size: 1 },
        { id: 'flagged', label: 'f', size: 1, flagged: true, census: true },
        ...(strata === 3 ? [{ id: 'more', label: 'm', size: 1 }] : []),
      ];
      await writeFile(
        path.join(dir, 'v.json'),
        JSON.stringify({
          ...demoPlanShape(),
          population: { dataset: 'v.csv', stratifyBy: 'validation', strata: stratumList },
        }),
      );
      await writeFile(path.join(dir, 'v.csv'), 'mrn,code\n1,AB\n2,x\n');
      await writeFile(path.join(dir, 'empty.csv'), '');
      await writeFile(
        path.join(dir, 'c.json'),
        JSON.stringify({
          type: 'object',
          properties: { mrn: { type: 'string' }, code: { pattern: '^[A-Z]{2}$' } },
        }),
      );
      await writeFile(
        path.join(dir, 'bad.json'),
        JSON.stringify({ type: 'object', properties: { mrn: { pattern: '(' } } }),
      );
      const { code, out, err } = await run(args);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toContain(message);
    },
  );

  it('--help says the output contains record keys', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    expect(out).toContain('The output contains record keys');
    expect(out).toContain('--n <stratum=count>');
  });
});

describe('preflight sample under a locked plan', () => {
  /** A plan with file strata locked with the fingerprint of `locked.csv`'s bytes. */
  async function lockedPlan(bytes: string, size: number): Promise<SamplePlan> {
    const plan: SamplePlan = {
      ...demoPlanShape(),
      population: {
        dataset: 'locked.csv',
        stratifyBy: 'file',
        strata: [{ id: 'locked.csv', label: 'all', size }],
      },
      lock: {
        lockedAt: '2025-03-01T08:00:00Z',
        datasets: [
          {
            name: 'locked.csv',
            bytes: Buffer.byteLength(bytes),
            sha256: createHash('sha256').update(bytes).digest('hex'),
          },
        ],
      },
    } as SamplePlan;
    await writeFile(path.join(dir, 'locked.sampleplan.json'), JSON.stringify(plan));
    return plan;
  }
  const rows = Array.from({ length: 40 }, (_, i) => `${i + 1},${SECRET}`);
  const original = `mrn,name\n${rows.join('\n')}\n`;

  it("draws the plan's own size from the locked file, without --n", async () => {
    await lockedPlan(original, 40);
    await writeFile(path.join(dir, 'locked.csv'), original);
    const { code, out, err } = await run(['locked.sampleplan.json', 'locked.csv', '--key', 'mrn', '--json']);
    expect([code, err]).toEqual([0, '']);
    const drawn = (JSON.parse(out) as SampleDocument).strata[0]?.records.length;
    // n for N = 40 at p = 0.05, C = 0.95, c = 0 (hypergeometric): fewer than all 40, more than a handful
    expect(drawn).toBeGreaterThan(20);
    expect(drawn).toBeLessThan(40);
  });

  it('refuses --n that differs from the locked plan (exit 2); the same size is accepted', async () => {
    await lockedPlan(original, 40);
    await writeFile(path.join(dir, 'locked.csv'), original);
    const wrong = await run(['locked.sampleplan.json', 'locked.csv', '--key', 'mrn', '--n', 'locked.csv=5']);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(
      /the plan is locked: it draws \d+ records from stratum "locked.csv", and --n cannot change/,
    );
    const planned = /draws (\d+) records/.exec(wrong.err)?.[1];
    const same = await run([
      'locked.sampleplan.json',
      'locked.csv',
      '--key',
      'mrn',
      '--n',
      `locked.csv=${planned}`,
    ]);
    expect(same.code).toBe(0);
  });

  it('refuses a file whose SHA-256 differs from the locked one (exit 1), naming the file, never its content', async () => {
    await lockedPlan(original, 40);
    await writeFile(path.join(dir, 'locked.csv'), original.replace('7,', '70,'));
    const { code, out, err } = await run(['locked.sampleplan.json', 'locked.csv', '--key', 'mrn']);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/"locked.csv" differs from the "locked.csv" the plan was locked with/);
    expect(err).toContain('nothing was drawn');
    expect(err).not.toContain(SECRET);
  });
});

describe('preflight sample --risk', () => {
  it('draws the strata the evidence suggests at their rule sizes, prints the reasons, and matches the core', async () => {
    const plan: SamplePlan = {
      ...(demoPlanShape() as Omit<SamplePlan, 'population'>),
      targetErrorRate: 0.02,
      population: {
        dataset: 'legacy',
        stratifyBy: 'file',
        strata: [{ id: 'patients.csv', label: 'patients.csv', size: 5000 }],
      },
    };
    const base = fixtureReport();
    const issue = base.issues[0] as Report['issues'][number];
    const usedBy = [
      {
        item: 'allergies',
        workflow: 'triage',
        step: 'read-allergies',
        stepLabel: 'Read allergies',
        lane: 'nurse',
        role: 'Nurse',
        casesPerHour: 40,
      },
    ];
    const report: Report = { ...base, issues: [{ ...issue, location: 'allergies', usedBy }] };
    await writeFile(path.join(dir, 'risk.sampleplan.json'), JSON.stringify(plan));
    await writeFile(path.join(dir, 'risk.report.json'), JSON.stringify(report));
    const expected = applyRiskStrata(plan, suggestRiskStrata(plan, report));
    const args = ['risk.sampleplan.json', PATIENTS, '--key', 'patient_id', '--risk', 'risk.report.json'];

    const text = await run(args);
    expect(text.err).toBe('');
    expect(text.out).toContain(
      'Strata from the evidence:\n  patients.csv: Failing allergies: Used by 1 step (Nurse) · 40 cases/h\n  patients.csv: sized for 1 %, judged at 2 %\n  Size rule resample-tighter:',
    );
    const json = await run([...args, '--json']);
    expect(json.code).toBe(0);
    const document = JSON.parse(json.out) as SampleDocument;
    expect(document.plan.hash).toBe(planHash(expected));
    expect(document.strata.map((s) => [s.id, s.n, s.records.length])).toEqual([
      ['patients.csv', planSampleSizes(expected).strata[0]?.n, planSampleSizes(expected).strata[0]?.n],
    ]);

    const sized = await run([...args, '--n', 'patients.csv=59']);
    expect(sized.code).toBe(2);
    expect(sized.err).toContain('the plan from the evidence draws');

    // a plan stratified by a column: the evidence cannot point at its strata, and says why
    const bySite = { ...plan, population: { ...plan.population, stratifyBy: 'site' } };
    await writeFile(path.join(dir, 'site.sampleplan.json'), JSON.stringify(bySite));
    const site = await run([
      'site.sampleplan.json',
      PATIENTS,
      '--key',
      'patient_id',
      '--risk',
      'risk.report.json',
    ]);
    expect(site.code).toBe(2);
    expect(site.err).toContain(
      '--risk: This plan is stratified by "site": the checks count failures per file and column',
    );
  });

  it('matches a plan by resource type to the failing elements, prints why, and draws nothing from CSV', async () => {
    const plan: SamplePlan = {
      ...(demoPlanShape() as Omit<SamplePlan, 'population'>),
      targetErrorRate: 0.02,
      population: {
        dataset: 'export',
        stratifyBy: 'resourceType',
        strata: [
          { id: 'AllergyIntolerance', label: 'AllergyIntolerance', size: 800 },
          { id: 'Patient', label: 'Patient', size: 5000 },
        ],
      },
    };
    const base = fixtureReport();
    const issue = base.issues[0] as Report['issues'][number];
    const report: Report = {
      ...base,
      inputs: [{ name: 'export.ndjson', kind: 'ndjson', records: 5800 }],
      target: { type: 'fhir' },
      issues: [{ ...issue, location: 'AllergyIntolerance.code', examples: [] }],
      comparison: {
        previous: { generatedAt: '2026-11-20T09:00:00Z', records: 5800, errors: 1, warnings: 0 },
        counts: { fixed: 0, new: 0, stillFailing: 0, worse: 1 },
        entries: [
          {
            rule: 'required',
            location: 'AllergyIntolerance.code',
            severity: 'error',
            status: 'worse',
            previous: 1,
            current: 4,
          },
        ],
      },
    };
    await writeFile(path.join(dir, 'types.sampleplan.json'), JSON.stringify(plan));
    await writeFile(path.join(dir, 'types.report.json'), JSON.stringify(report));
    const { code, out, err } = await run([
      'types.sampleplan.json',
      PATIENTS,
      '--key',
      'patient_id',
      '--risk',
      'types.report.json',
    ]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain('which needs FHIR input');
    expect(err).toContain(
      'Strata from the evidence (nothing was drawn):\n  AllergyIntolerance: 1 check new or worse since the rehearsal of 2026-11-20T09:00:00Z: AllergyIntolerance.code\n  AllergyIntolerance: sized for 1 %, judged at 2 %\n  Size rule resample-tighter:',
    );
    expect(err).not.toContain('Patient:');
  });
});
