import { describe, expect, it } from 'vitest';
import { memorySource } from '../../../tests/migration/sources.ts';
import { planChosen } from './chosenRun.ts';
import { compileContract } from './contractCompile.ts';
import { PlanUsageError, type RunContract } from './runPlan.ts';
import { planFromValues, prepareRun, refuseRepeatedFiles, runReport } from './runSteps.ts';
import { validateInputs } from './validateInputs.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const contract: RunContract = {
  contract: { type: 'object', properties: { mrn: { type: 'string', pattern: '^[0-9]+$' }, name: {} } },
  keys: [],
  foreignKeys: [],
  notChecked: [],
};
const SOURCES = {
  'patients.csv': 'mrn,name\n1,Ann\n1,Bo\nx,Cy\n',
  'visits.csv': 'visit,mrn\nv1,1\nv2,9\n',
};
const LAYOUT = { encoding: 'utf-8', delimiter: ',', quote: '"', lineEnding: '\n', header: true } as const;
const sources = () => Object.entries(SOURCES).map(([name, text]) => memorySource(name, encode(text)));

describe('planning a run from option values', () => {
  it('reads each contract file once, however many files name it, after the values are parsed', async () => {
    const read: string[] = [];
    const { plan, given } = await planFromValues({
      files: Object.keys(SOURCES),
      contracts: ['c.json'],
      keys: ['patients.mrn'],
      references: ['visits.mrn=patients.mrn'],
      layout: () => ({ delimiter: ',' }),
      sources: sources(),
      readContract: async (file) => {
        read.push(file);
        return contract;
      },
    });
    expect(read).toEqual(['c.json']);
    expect(given).toEqual({ delimiter: ',' });
    expect(plan.files.map((f) => [f.file, f.contract?.key, f.keys])).toEqual([
      ['patients.csv', 'c.json', ['mrn']],
      ['visits.csv', 'c.json', []],
    ]);
    expect(plan.links).toEqual([
      { input: 'visits.csv', column: 'mrn', target: 'patients.csv', targetColumn: 'mrn' },
    ]);
  });

  it.each([
    { description: 'a contract for no file of the run', values: { contracts: ['nope.csv=c.json'] } },
    { description: 'a reference with no "="', values: { references: ['visits.mrn'] } },
  ])('refuses $description as a usage problem, before any contract is read', async ({ values }) => {
    let reads = 0;
    const planned = planFromValues({
      files: Object.keys(SOURCES),
      contracts: ['c.json'],
      keys: [],
      references: [],
      ...values,
      layout: () => ({}),
      sources: sources(),
      readContract: async () => {
        reads += 1;
        return contract;
      },
    });
    await expect(planned).rejects.toBeInstanceOf(PlanUsageError);
    expect(reads).toBe(0);
  });
});

describe('a file named twice', () => {
  const where = (file: string) => file.replace(/^\.\//, '');
  it.each([
    { files: ['a.csv', 'b.csv'], message: undefined },
    { files: ['a.csv', 'a.csv'], message: 'a.csv is given twice: give each file once' },
    { files: ['a.csv', './a.csv'], message: 'a.csv and ./a.csv are the same file: give each file once' },
  ])('$files', ({ files, message }) => {
    if (message === undefined) expect(() => refuseRepeatedFiles(files, where)).not.toThrow();
    else expect(() => refuseRepeatedFiles(files, where)).toThrow(new PlanUsageError(message));
  });
});

describe('the report of a run', () => {
  it('names each input’s contract and fingerprint, the check sets, and the FHIR packages of a FHIR target', async () => {
    const plan = planChosen(
      [
        {
          name: 'patients.csv',
          layout: LAYOUT,
          contract: { id: 'urn:c', name: 'Patients', schema: contract.contract },
          keys: [],
        },
        { name: 'visits.csv', layout: LAYOUT, keys: [] },
      ],
      [],
    );
    const prepared = await prepareRun(plan, sources(), {
      given: {},
      compile: async (c) => {
        const compiled = await compileContract(c.read.contract);
        if (!compiled.ok) throw new Error('the test contract compiles');
        return compiled;
      },
      overriding: [],
      waivers: { waivers: [], today: '2026-11-25' },
    });
    expect(prepared.jobs.map((j) => j.rowSets)).toEqual([[], []]);
    expect(prepared.bindingLines(new Set(), new Set())).toEqual([]);
    const results = await validateInputs(prepared.jobs, plan.links);
    const report = runReport(results, plan, {
      generatedAt: '2026-11-25T09:00:00.000Z',
      startedAt: '2026-11-25T09:00:00.000Z',
      totalMs: 1,
      toolVersion: 'test',
      sha256: (name) => (name === 'patients.csv' ? 'a'.repeat(64) : undefined),
      mapped: { target: { type: 'fhir', resourceType: 'Patient' } },
      fhirPackages: { packages: [{ name: 'ig', version: '1.0.0', sha256: 'b'.repeat(64) }] },
      checkSets: new Map([['visits.csv', 'checkset:visits']]),
    });
    expect(report.inputs.map((i) => [i.name, i.schema, i.sha256, i.dataset])).toEqual([
      // a saved contract is named by its name, as the page names it
      ['patients.csv', 'Patients', 'a'.repeat(64), undefined],
      ['visits.csv', undefined, undefined, 'checkset:visits'],
    ]);
    expect(report.target).toEqual({
      type: 'fhir',
      resourceType: 'Patient',
      packages: [{ name: 'ig', version: '1.0.0', sha256: 'b'.repeat(64) }],
    });
    expect(report.summary.invalid).toBe(1);
  });
});
