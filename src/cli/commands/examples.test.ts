/**
 * Every command's `--help` ends with worked examples (`examples` in command.ts). This runs each
 * one as its help prints it — `preflight <command> <args>` from the repository root, in process
 * through main(), the CLI's own entry — and checks that it ends with the exit code it documents,
 * so an example cannot rot. The FHIR examples name the local test server's address
 * (EXAMPLE_FHIR_SERVER); here a test server seeded with a few of the demo export's patients
 * stands in for it: the exit codes the examples document do not depend on how many it holds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningFhirServer, startFhirServer } from '../../../tests/fhirServer/server.ts';
import { runCli } from '../cliTestKit.ts';
import { EXAMPLE_FHIR_SERVER, exampleLine, loadCommand, usageOf } from '../command.ts';
import { REPO_ROOT } from '../testing/fixtures.ts';
import { commands } from './index.ts';

/** Patients the stand-in server holds: enough for a pull to page and a reconcile to match none. */
const SEEDED_PATIENTS = 3;

const loaded = await Promise.all(commands.map(loadCommand));
const cases = loaded.flatMap((command) =>
  command.examples.map((example) => ({ line: exampleLine(command, example), command, example })),
);

/** The files in the folders an example run could write into by a relative path. */
function listing(): string[] {
  const folders = [
    '.',
    'samples',
    ...readdirSync(path.join(REPO_ROOT, 'samples')).map((f) => `samples/${f}`),
  ];
  return folders.flatMap((folder) => {
    const full = path.join(REPO_ROOT, folder);
    try {
      return readdirSync(full).map((name) => `${folder}/${name}`);
    } catch {
      return []; // a file, not a folder
    }
  });
}

let server: RunningFhirServer;
let before: string[];
beforeAll(async () => {
  const patients = readFileSync(path.join(REPO_ROOT, 'samples/fhir/Patient.ndjson'), 'utf8')
    .split('\n')
    .slice(0, SEEDED_PATIENTS)
    .map((line) => JSON.parse(line) as Resource);
  server = await startFhirServer({ seed: patients });
  before = listing();
}, 60_000);
afterAll(async () => {
  await server?.close();
});

describe('the --help examples', () => {
  it.each(cases)('$line exits as documented', async ({ command, example }) => {
    const args = example.args.map((arg) => (arg === EXAMPLE_FHIR_SERVER ? server.baseUrl : arg));
    const { code, err } = await runCli([...command.name.split(' '), ...args], REPO_ROOT);
    expect({ code, err: code === example.exits ? '' : err }).toEqual({ code: example.exits, err: '' });
  });

  it('are printed last in each help, one line of what each does', () => {
    for (const command of loaded) {
      const help = usageOf(command).split('\n');
      const lines = command.examples.flatMap((e) => [
        expect.stringContaining(e.does),
        `  ${exampleLine(command, e)}`,
      ]);
      expect(help.slice(-lines.length - 1)).toEqual(['Examples:', ...lines]);
      for (const example of command.examples) expect(example.does).not.toMatch(/\n/);
    }
  });

  it('write no file into the repository (they print; a run that writes names a temp folder)', () => {
    expect(listing()).toEqual(before);
  });
});
