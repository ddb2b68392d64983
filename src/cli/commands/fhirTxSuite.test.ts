/**
 * `preflight fhir tx-suite` over a suite written here in the layout HL7 publishes (an index, the
 * suite's resources, requests and expected responses): the score per suite, a missed case named
 * with what was expected and answered, the cases not run counted, and a folder that is not the
 * suite refused. The repository's copy of the real suite runs through the same core runner in
 * src/core/terminology/txEcosystem.test.ts.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../cliTestKit.ts';

const CS = 'http://example.org/CodeSystem/colours';
const VS = 'http://example.org/ValueSet/colours';

const files: Record<string, unknown> = {
  'colours/codesystem.json': {
    resourceType: 'CodeSystem',
    url: CS,
    status: 'active',
    content: 'complete',
    concept: [
      { code: 'red', display: 'Red' },
      { code: 'blue', display: 'Blue' },
    ],
  },
  'colours/valueset.json': {
    resourceType: 'ValueSet',
    url: VS,
    status: 'active',
    compose: { include: [{ system: CS, concept: [{ code: 'red' }] }] },
  },
  'colours/red-request.json': {
    resourceType: 'Parameters',
    parameter: [
      { name: 'url', valueUri: VS },
      { name: 'coding', valueCoding: { system: CS, code: 'red' } },
    ],
  },
  'colours/red-response.json': {
    resourceType: 'Parameters',
    parameter: [{ name: 'result', valueBoolean: true }],
  },
  'colours/blue-request.json': {
    resourceType: 'Parameters',
    parameter: [
      { name: 'url', valueUri: VS },
      { name: 'coding', valueCoding: { system: CS, code: 'blue' } },
    ],
  },
  // an expected answer this engine does not give: the case is reported missed, by name
  'colours/blue-response.json': {
    resourceType: 'Parameters',
    parameter: [{ name: 'result', valueBoolean: true }],
  },
  'test-cases.json': {
    suites: [
      {
        name: 'colours',
        mode: 'general',
        setup: ['colours/codesystem.json', 'colours/valueset.json'],
        tests: [
          {
            name: 'red-in',
            operation: 'validate-code',
            request: 'colours/red-request.json',
            response: 'colours/red-response.json',
          },
          {
            name: 'blue-in',
            operation: 'validate-code',
            request: 'colours/blue-request.json',
            response: 'colours/blue-response.json',
          },
          { name: 'expand-all', operation: 'expand', request: 'x.json', response: 'y.json' },
        ],
      },
      {
        name: 'snomed-only',
        mode: 'snomed',
        setup: [],
        tests: [{ name: 'sct', operation: 'validate-code', request: 'x.json', response: 'y.json' }],
      },
    ],
  },
};

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'preflight-tx-suite-'));
  for (const [file, json] of Object.entries(files)) {
    await mkdir(join(dir, 'tests', file, '..'), { recursive: true });
    await writeFile(join(dir, 'tests', file), JSON.stringify(json));
  }
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('preflight fhir tx-suite', () => {
  it('prints the score per suite, each case missed and the cases not run (exit 1 on a miss)', async () => {
    const { code, out, err } = await runCli(['fhir', 'tx-suite', 'tests'], dir);
    expect(err).toBe('');
    expect(code).toBe(1);
    expect(out).toContain(
      'HL7 terminology suite in tests: 1 of 2 validate-code and lookup cases answered as expected, 1 valid code called invalid',
    );
    expect(out).toMatch(/^ {2}colours {2}1 of 2, 1 valid called invalid$/m);
    expect(out).toContain(
      '  colours/blue-in (a valid code called invalid): expected true with no issues; answered false with error/not-in-vs',
    );
    expect(out).toContain(
      'Not run (the engine answers general-mode validate-code and lookup only): expand 1, validate-code (snomed mode) 1',
    );
  });

  it('finds test-cases.json under the repository root, and --json gives the same score', async () => {
    const { code, out } = await runCli(['fhir', 'tx-suite', '.', '--json'], dir);
    expect(code).toBe(1);
    const report = JSON.parse(out);
    expect(report).toMatchObject({
      cases: 2,
      asExpected: 1,
      falseAlarms: 1,
      suites: [{ suite: 'colours', cases: 2, asExpected: 1, falseAlarms: 1 }],
      missed: [{ suite: 'colours', name: 'blue-in', expectedResult: true, actualResult: false }],
      notRun: { expand: 1, 'validate-code (snomed mode)': 1 },
    });
  });

  it('exits 0 when every case is answered as expected', async () => {
    await writeFile(
      join(dir, 'tests', 'colours/blue-response.json'),
      JSON.stringify({
        resourceType: 'Parameters',
        parameter: [
          { name: 'result', valueBoolean: false },
          {
            name: 'issues',
            resource: {
              resourceType: 'OperationOutcome',
              issue: [
                {
                  severity: 'error',
                  details: {
                    coding: [
                      { system: 'http://hl7.org/fhir/tools/CodeSystem/tx-issue-type', code: 'not-in-vs' },
                    ],
                  },
                },
              ],
            },
          },
        ],
      }),
    );
    const { code, out } = await runCli(['fhir', 'tx-suite', 'tests'], dir);
    expect(code).toBe(0);
    expect(out).not.toContain('Not answered as expected');
  });

  it.each([
    { description: 'a folder without test-cases.json', args: ['colours'], says: 'holds no test-cases.json' },
    { description: 'no folder', args: [], says: 'takes one folder' },
  ])('refuses $description (exit 2), saying why', async ({ args, says }) => {
    const { code, err } = await runCli(['fhir', 'tx-suite', ...args], join(dir, 'tests'));
    expect(code).toBe(2);
    expect(err).toContain(says);
  });

  it('refuses a suite whose index names a file that is not there, naming it', async () => {
    await rm(join(dir, 'tests', 'colours/valueset.json'));
    const { code, err } = await runCli(['fhir', 'tx-suite', 'tests'], dir);
    expect(code).toBe(2);
    expect(err).toContain('colours/valueset.json cannot be read');
  });
});
