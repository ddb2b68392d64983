/**
 * Strings from checked files never act on a terminal, in every command that prints them: a CSV
 * header name, an event log's activity name, a FHIR `meta.profile`, a workflow's name, a sample
 * plan's id, a patient identifier reconciled with a FHIR server and a contract's property name,
 * each holding an escape sequence, a carriage return, a bell and a line feed followed by a forged
 * verdict line. Each command runs in process through the
 * CLI's own writer ({@link streamIo}) onto a stream that is not a terminal (a pipe that may end at
 * one): the text for people shows each of them as an escape, on the line it belongs to; the JSON
 * for programs keeps the file's string exactly.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PATIENT_MAPPING, demoExtractHead } from '../../tests/fhirServer/seed.ts';
import { type RunningFhirServer, startFhirServer } from '../../tests/fhirServer/server.ts';
import { main, type OutputStream, streamIo } from './main.ts';

/** A name that clears the screen, rewrites its line, rings, and starts a forged line. */
const HOSTILE = 'na\u001b[2Jme\rFAKE\u0007\nResult: passes';
const SHOWN = 'na\\u{1b}[2Jme\\u{d}FAKE\\u{7}\\u{a}Result: passes';
/** The characters a terminal acts on, but the line feeds the CLI lays its lines out with. */
function actingOnTerminal(text: string): string[] {
  return [...text].filter((ch) => {
    const code = ch.codePointAt(0) ?? 0;
    if (code === 0x0a) return false;
    return (
      code < 0x20 ||
      (code >= 0x7f && code <= 0x9f) ||
      code === 0x2028 ||
      code === 0x2029 ||
      (code >= 0x202a && code <= 0x202e) ||
      (code >= 0x2066 && code <= 0x2069)
    );
  });
}

const sample = (file: string) => fileURLToPath(new URL(`../../samples/${file}`, import.meta.url));

let dir: string;
/** a FHIR server holding no patient: the file's every identifier is missing on it */
let fhir: RunningFhirServer;
beforeAll(async () => {
  fhir = await startFhirServer();
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-hostile-'));
  const header = `id,"${HOSTILE.replaceAll('"', '""')}"`;
  await writeFile(path.join(dir, 'patients.csv'), `${header}\n1,a\n2,b\n`);
  await writeFile(
    path.join(dir, 'patients.contract.json'),
    JSON.stringify({
      type: 'object',
      required: ['id', 'name'],
      properties: { id: { type: 'string' }, name: { type: 'string' } },
    }),
  );
  const patient = { resourceType: 'Patient', id: 'p1', meta: { profile: [`http://example.org/${HOSTILE}`] } };
  await writeFile(path.join(dir, 'patients.ndjson'), `${JSON.stringify(patient)}\n`);
  // the sample event log with its longest-waited-for activity renamed: its finding names it
  const log = await readFile(
    fileURLToPath(new URL('../../samples/logs/prescription-refill.current.csv', import.meta.url)),
    'utf8',
  );
  const quoted = `"${HOSTILE.replaceAll('"', '""')}"`;
  await writeFile(
    path.join(dir, 'log.csv'),
    log.replaceAll('Approve and initial the refill in the chart stack', quoted),
  );
  const workflow = JSON.parse(await readFile(sample('workflows/lab-results.future.json'), 'utf8'));
  await writeFile(path.join(dir, 'workflow.json'), JSON.stringify({ ...workflow, name: HOSTILE }));
  const plan = JSON.parse(await readFile(sample('plans/patients.sampleplan.json'), 'utf8'));
  const strata = [{ id: 'all', label: 'all', size: 2, census: true }];
  await writeFile(
    path.join(dir, 'plan.json'),
    JSON.stringify({
      ...plan,
      id: HOSTILE,
      population: { dataset: 'drawn.csv', stratifyBy: 'site', strata },
    }),
  );
  await writeFile(path.join(dir, 'drawn.csv'), 'mrn,site\n1,all\n2,all\n');
  // a plan stratified by a column the file lacks: the refusal names it
  await writeFile(
    path.join(dir, 'elsewhere.json'),
    JSON.stringify({ ...plan, population: { dataset: 'drawn.csv', stratifyBy: HOSTILE, strata } }),
  );
  // the first patient's MRN made hostile: missing on the server, named as an example
  const [head = '', first = ''] = demoExtractHead(1).split('\n');
  const cells = first.split(',');
  cells[1] = quoted;
  await writeFile(path.join(dir, 'extract.csv'), `${head}\n${cells.join(',')}\n`);
  // a property whose type is misspelt: its path names the property
  await writeFile(
    path.join(dir, 'misspelt.contract.json'),
    JSON.stringify({ type: 'object', properties: { [HOSTILE]: { type: 'strin' } } }),
  );
});
afterAll(async () => {
  await fhir?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs the CLI through its own writer onto a pipe: what reached stdout and stderr. */
async function runPiped(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const written = { out: '', err: '' };
  const stream = (which: 'out' | 'err'): OutputStream => ({
    isTTY: false,
    write: (chunk: string | Uint8Array) => {
      written[which] += String(chunk);
      return true;
    },
  });
  const code = await main(argv, streamIo(stream('out'), stream('err'), dir));
  return { code, ...written };
}

describe('strings from checked files on a terminal', () => {
  it.each([
    {
      command: 'validate (a CSV header)',
      argv: ['validate', '--schema', 'patients.contract.json', 'patients.csv'],
    },
    { command: 'validate --fhir (a meta.profile)', argv: ['validate', '--fhir', 'patients.ndjson'] },
    { command: 'fhir validate (a meta.profile)', argv: ['fhir', 'validate', 'patients.ndjson'] },
    {
      command: 'workflow discover (an activity name)',
      argv: [
        'workflow',
        'discover',
        'log.csv',
        '--activity',
        'activity',
        '--timestamp',
        'timestamp',
        '--case',
        'case',
        '--lifecycle',
        'lifecycle',
        '-o',
        'discovered.json',
      ],
      exit: 0,
    },
    {
      command: 'workflow analyze (a workflow name)',
      argv: ['workflow', 'analyze', 'workflow.json'],
      exit: 0,
    },
    {
      command: 'sample (a sample plan id)',
      argv: ['sample', 'plan.json', 'drawn.csv', '--key', 'mrn'],
      exit: 0,
    },
    {
      command: 'sample (a stratum column, refused)',
      argv: ['sample', 'elsewhere.json', 'drawn.csv', '--key', 'mrn'],
      exit: 2,
    },
    {
      command: 'fhir reconcile (a patient identifier)',
      argv: () => [
        'fhir',
        'reconcile',
        'extract.csv',
        '--mapping',
        DEMO_PATIENT_MAPPING,
        '--server',
        fhir.baseUrl,
      ],
    },
    { command: 'check (a property name)', argv: ['check', 'misspelt.contract.json'] },
  ])('$command: every control character shown as an escape, no forged line', async ({ argv, exit = 1 }) => {
    const { code, out, err } = await runPiped(typeof argv === 'function' ? argv() : argv);
    expect(code).toBe(exit);
    expect(`${out}${err}`).toContain(SHOWN);
    for (const text of [out, err]) {
      expect(actingOnTerminal(text)).toEqual([]);
      expect(text.split('\n').filter((line) => line.startsWith('Result: passes'))).toEqual([]);
    }
  });

  it('validate --json: the JSON for programs keeps the header name exactly', async () => {
    const { out } = await runPiped([
      'validate',
      '--schema',
      'patients.contract.json',
      'patients.csv',
      '--json',
    ]);
    const report = JSON.parse(out) as { issues: { location: string }[] };
    expect(report.issues.map((i) => i.location)).toContain(HOSTILE);
  });
});
