/**
 * `preflight validate --fhir` and `preflight fhir validate` with waivers limited to rows: the run
 * counts the occurrences inside each waiver's rows (an NDJSON line; a whole JSON file is row 1),
 * by location or by extension URL, so the exit code, the summary and the report agree with the
 * CSV path — all inside: accepted (exit 0); some: split, the occurrences outside still fail (exit 1).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../formats/report.ts';
import { createWaiversFile, type Waiver } from '../../formats/waivers.ts';
import { runCli } from '../cliTestKit.ts';

const SHOE = 'http://clinic.test/fhir/ext/shoe-size';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-fhir-row-waivers-'));
  // 30 patients, each with an extension the specification does not define: more than 5 examples
  const patients = Array.from({ length: 30 }, (_, i) =>
    JSON.stringify({
      resourceType: 'Patient',
      id: `p${i + 1}`,
      extension: [{ url: SHOE, valueString: 'x' }],
    }),
  );
  await writeFile(path.join(dir, 'p.ndjson'), `${patients.join('\n')}\n`);
  await writeFile(path.join(dir, 'q.ndjson'), `${patients.slice(0, 3).join('\n').replaceAll('"p', '"q')}\n`);
  await writeFile(
    path.join(dir, 'bundle.json'),
    JSON.stringify({
      resourceType: 'Bundle',
      type: 'collection',
      entry: patients.slice(0, 8).map((p) => ({ resource: JSON.parse(p) })),
    }),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const waiver = (fields: Partial<Waiver>): Waiver => ({
  id: 'w-shoe',
  rule: 'fhir-unknown-extension',
  extension: SHOE,
  rationale: 'the target loads the clinic’s own extensions',
  owner: 'Dana Whitfield',
  expires: '2999-12-31',
  ...fields,
});

const table: {
  name: string;
  command: string[];
  file: string;
  waivers: Waiver[];
  code: number;
  parts: [number, string | undefined][];
  /** in the summary */
  says?: string;
}[] = [
  {
    name: 'validate --fhir, lines 1-20 of 30: split, 10 still fail, exit 1',
    command: ['validate', '--fhir'],
    file: 'p.ndjson',
    waivers: [waiver({ rows: [{ from: 1, to: 20 }] })],
    code: 1,
    parts: [
      [20, 'w-shoe'],
      [10, undefined],
    ],
    says: '10 occurrences outside its rows still fail',
  },
  {
    name: 'fhir validate, every line inside: accepted, exit 0',
    command: ['fhir', 'validate'],
    file: 'p.ndjson',
    waivers: [waiver({ rows: [{ from: 1, to: 30 }] })],
    code: 0,
    parts: [[30, 'w-shoe']],
  },
  {
    name: 'fhir validate, a location of lines 1-20 in that file only: split',
    command: ['fhir', 'validate'],
    file: 'p.ndjson',
    waivers: [
      waiver({ extension: undefined, column: SHOE, input: './p.ndjson', rows: [{ from: 1, to: 20 }] }),
    ],
    code: 1,
    parts: [
      [20, 'w-shoe'],
      [10, undefined],
    ],
  },
  {
    name: 'a Bundle is row 1: rows 1-1 of a waiver naming it accept its 8 entries, exit 0',
    command: ['fhir', 'validate'],
    file: 'bundle.json',
    waivers: [waiver({ input: 'bundle.json', rows: [{ from: 1, to: 1 }] })],
    code: 0,
    parts: [[8, 'w-shoe']],
  },
  {
    name: 'a Bundle and rows 1-1 of a waiver naming no file: nothing accepted, exit 1',
    command: ['fhir', 'validate'],
    file: 'bundle.json',
    waivers: [waiver({ rows: [{ from: 1, to: 1 }] })],
    code: 1,
    parts: [[8, undefined]],
    says: '8 occurrences outside its rows still fail',
  },
  {
    name: 'a Bundle and rows without row 1: nothing accepted, exit 1',
    command: ['validate', '--fhir'],
    file: 'bundle.json',
    waivers: [waiver({ rows: [{ from: 2, to: 5 }] })],
    code: 1,
    parts: [[8, undefined]],
    says: '8 occurrences outside its rows still fail',
  },
];

describe('FHIR waivers limited to rows are counted in the run', () => {
  it.each(table)('$name', async ({ command, file, waivers, code, parts, says }) => {
    await writeFile(path.join(dir, 'w.json'), JSON.stringify(createWaiversFile(waivers)));
    const run = await runCli([...command, file, '--waivers', 'w.json', '--report', 'r.json'], dir);
    expect(run.code, run.out).toBe(code);
    if (says) expect(run.out).toContain(says);
    const json = await runCli([...command, file, '--waivers', 'w.json', '--json'], dir);
    expect(json.code).toBe(code);
    const report = JSON.parse(json.out) as Report;
    expect(
      report.issues.filter((i) => i.rule === 'fhir-unknown-extension').map((i) => [i.count, i.acceptedBy]),
    ).toEqual(parts);
  });
});

describe('a message folded under an accepted root cause', () => {
  // que-1 follows from the item's missing type: accepting the type leaves que-1 failing
  const noType = waiver({
    id: 'no-type',
    rule: 'fhir-required',
    extension: undefined,
    column: 'Questionnaire.item.type',
  });
  const noQue1 = waiver({
    id: 'no-que-1',
    rule: 'fhir-invariant',
    extension: undefined,
    column: 'Questionnaire.item',
  });
  it.each([
    { name: 'the root cause alone accepted: it still fails, exit 1', waivers: [noType], code: 1 },
    { name: 'both accepted: exit 0', waivers: [noType, noQue1], code: 0 },
  ])('$name', async ({ waivers, code }) => {
    await writeFile(
      path.join(dir, 'q.json'),
      JSON.stringify({ resourceType: 'Questionnaire', status: 'draft', item: [{ linkId: '1' }] }),
    );
    await writeFile(path.join(dir, 'wq.json'), JSON.stringify(createWaiversFile(waivers)));
    const run = await runCli(['fhir', 'validate', 'q.json', '--waivers', 'wq.json'], dir);
    expect(run.code, run.out).toBe(code);
    expect(run.out).toContain(`Errors not accepted: ${code}`);
    expect(run.out).toContain(code === 1 ? '(not accepted: it still fails)' : '(accepted too)');
    // a waiver that accepts only follow-ons says what it accepted
    if (code === 0)
      expect(run.out).toMatch(/no-que-1 fhir-invariant Questionnaire\.item: .*: 1 issue, 1 occurrence/);
  });
});

describe('FHIR waivers limited to rows of one file each, in a run of two files', () => {
  it('accepts each file’s rows under its own waiver, names the file, and passes when nothing else fails', async () => {
    const waivers = [
      waiver({ id: 'w-p', input: 'p.ndjson', rows: [{ from: 1, to: 30 }] }),
      waiver({ id: 'w-q', input: 'q.ndjson', rows: [{ from: 1, to: 3 }] }),
    ];
    await writeFile(path.join(dir, 'w2.json'), JSON.stringify(createWaiversFile(waivers)));
    const run = await runCli(['fhir', 'validate', 'p.ndjson', 'q.ndjson', '--waivers', 'w2.json'], dir);
    expect(run.out).toContain('30 occurrences in p.ndjson');
    expect(run.out).toContain('3 occurrences in q.ndjson');
    expect(run.out).toContain('Errors not accepted: 0');
    expect(run.code, run.out).toBe(0);
  });
});

describe('follow-ons and a waiver limited to one file, in a run of two files', () => {
  // pat-1 follows from each empty contact: one total across both files, with no file of its own
  const contact = (fields: Partial<Waiver>): Waiver =>
    waiver({ extension: undefined, column: 'Patient.contact', rule: 'fhir-empty', ...fields });
  const followOn = (fields: Partial<Waiver>): Waiver => contact({ rule: 'fhir-invariant', ...fields });
  const lines = (prefix: string, n: number) =>
    `${Array.from({ length: n }, (_, i) => JSON.stringify({ resourceType: 'Patient', id: `${prefix}${i + 1}`, contact: [{}] })).join('\n')}\n`;
  it.each([
    {
      name: 'rows of each file waived, follow-ons waived in B only: every follow-on still fails, exit 1',
      a: 3,
      waivers: [
        contact({ id: 'w-rows-A', input: 'ca.ndjson', rows: [{ from: 1, to: 3 }] }),
        contact({ id: 'w-rows-B', input: 'cb.ndjson', rows: [{ from: 1, to: 3 }] }),
        followOn({ id: 'w-follow-B', input: 'cb.ndjson' }),
      ],
      notAccepted: 6,
    },
    {
      name: 'the root cause waived, follow-ons waived in A whose lines fill the examples: exit 1',
      a: 10,
      waivers: [contact({ id: 'w-root' }), followOn({ id: 'w-follow-A', input: 'ca.ndjson' })],
      notAccepted: 13,
    },
  ])('$name', async ({ a, waivers, notAccepted }) => {
    await writeFile(path.join(dir, 'ca.ndjson'), lines('a', a));
    await writeFile(path.join(dir, 'cb.ndjson'), lines('b', 3));
    await writeFile(path.join(dir, 'wc.json'), JSON.stringify(createWaiversFile(waivers)));
    const run = await runCli(['fhir', 'validate', '--waivers', 'wc.json', 'ca.ndjson', 'cb.ndjson'], dir);
    expect(run.out).toContain(`Errors not accepted: ${notAccepted}`);
    expect(run.out).not.toContain('(accepted too)');
    expect(run.code, run.out).toBe(1);
  });
});
