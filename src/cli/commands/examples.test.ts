/**
 * Every command's `--help` ends with worked examples (`examples` in command.ts). This runs each
 * one as its help prints it — `preflight <command> <args>`, in process through main(), the CLI's
 * own entry — and checks that it ends with the exit code it documents, so an example cannot rot.
 * It runs in a temporary folder whose `samples` is the repository's, so paths resolve as from the
 * repository root and anything an example wrote by a relative path would land there (and fail the
 * test: examples print). The FHIR examples name the local test server's address
 * (EXAMPLE_FHIR_SERVER); a test server seeded with a few of the demo export's patients stands in
 * for it: the exit codes the examples document do not depend on how many it holds. The pointers
 * to docs/cli.md in the help texts are checked against its headings.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningFhirServer, startFhirServer } from '../../../tests/fhirServer/server.ts';
import { runCli } from '../cliTestKit.ts';
import { EXAMPLE_FHIR_SERVER, exampleLine, loadCommand, usageOf } from '../command.ts';
import { REPO_ROOT } from '../testing/fixtures.ts';
import { commands } from './index.ts';

/** Patients the stand-in server holds: a pull has records to print, a reconcile differences to find. */
const SEEDED_PATIENTS = 3;

const loaded = await Promise.all(commands.map(loadCommand));
const cases = loaded.flatMap((command) =>
  command.examples.map((example) => ({ line: exampleLine(command, example), command, example })),
);

let server: RunningFhirServer;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'preflight-examples-'));
  symlinkSync(path.join(REPO_ROOT, 'samples'), path.join(dir, 'samples'), 'dir');
  const patients = readFileSync(path.join(REPO_ROOT, 'samples/fhir/Patient.ndjson'), 'utf8')
    .split('\n')
    .slice(0, SEEDED_PATIENTS)
    .map((line) => JSON.parse(line) as Resource);
  server = await startFhirServer({ seed: patients });
}, 60_000);
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('each --help', () => {
  it.each(cases)('example $line exits as documented', async ({ command, example }) => {
    const args = example.args.map((arg) => (arg === EXAMPLE_FHIR_SERVER ? server.baseUrl : arg));
    const { code, err } = await runCli([...command.name.split(' '), ...args], dir);
    expect({ code, err: code === example.exits ? '' : err }).toEqual({ code: example.exits, err: '' });
    expect(readdirSync(dir), 'an example wrote a file: make it print').toEqual(['samples']);
  });

  it('ends with its examples, each with one line of what it does', () => {
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

  it('points only to sections docs/cli.md has', () => {
    const headings = new Set(
      readFileSync(path.join(REPO_ROOT, 'docs/cli.md'), 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('## '))
        .map((line) => line.slice(3).trim().toLowerCase().replace(/\s+/g, '-')),
    );
    const anchors = loaded.flatMap((c) =>
      [...usageOf(c).matchAll(/docs\/cli\.md#([\w-]+)/g)].map((m) => m[1]),
    );
    expect(anchors.length).toBeGreaterThan(0);
    for (const anchor of anchors) expect(headings, anchor).toContain(anchor);
  });
});
