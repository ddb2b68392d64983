import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessReadiness, evidencePack } from '../../core/readiness/index.ts';
import { decidedProject, goProject } from '../../core/readiness/testing/crafted.ts';
import * as fixtures from '../../formats/testing/fixtures.ts';
import { nth } from '../../formats/testing/fixtures.ts';
import { captureIo } from '../cliTestKit.ts';
import { main } from '../main.ts';
import { CHECK_RESULT_FORMAT, type CheckResult } from './check.ts';

const SECRET = 'Jane Q. Patient';
let dir: string;

const json = (value: unknown) => JSON.stringify(value, null, 2);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-check-'));
  const brokenWorkflow = fixtures.fixtureWorkflow();
  nth(brokenWorkflow.steps, 3).lane = SECRET;
  const tampered = fixtures.fixtureProjectFile();
  tampered.project.meta.name = SECRET;
  const workflowText = json(fixtures.fixtureWorkflow());
  const projectText = json(fixtures.fixtureProjectFile());
  const contract = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    required: ['mrn'],
    properties: { mrn: { type: 'string', pattern: '^\\d{8}$' }, dob: { type: 'string', format: 'date' } },
  };
  const { project: decided } = decidedProject(goProject());
  const pack = evidencePack(decided, assessReadiness(decided), '2026-11-24T11:00:00Z');
  const changedAudit = fixtures.fixtureProjectAudit();
  nth(changedAudit.entries, 1).detail.role = 'lead';
  const latin1 = (text: string) => new Uint8Array([...text].map((c) => c.charCodeAt(0)));
  const files: Record<string, string | Uint8Array> = {
    'workflow.json': workflowText,
    'mapping.json': json(fixtures.fixtureMapping()),
    'report.json': json(fixtures.fixtureReport()),
    'plan.json': json(fixtures.fixtureSamplePlan()),
    'project.json': projectText,
    'settings.json': json({
      format: 'preflight.analysissettings/v1',
      thresholds: { clickBudgetPerStep: 12 },
    }),
    'bad-settings.json': json({
      format: 'preflight.analysissettings/v1',
      severities: { 'no-such-rule': 'warn' },
    }),
    'pack.json': json(pack),
    'project-audit.json': json(fixtures.fixtureProjectAudit()),
    'changed-project-audit.json': json(changedAudit),
    'broken-pack.json': json({ ...pack, decision: 'maybe', project: { name: SECRET } }),
    'contract.json': json(contract),
    'bare-contract.json': json({ type: 'object', properties: { mrn: { type: 'string' } } }),
    'draft7-contract.json': json({ ...contract, $schema: 'http://json-schema.org/draft-07/schema#' }),
    'broken-workflow.json': json(brokenWorkflow),
    'tampered.json': json(tampered),
    'syntax.json': `{\n  "format": "preflight.workflow/v1",\n  "name": "${SECRET}",,\n}`,
    'truncated-workflow.json': workflowText.slice(0, Math.floor(workflowText.length / 2)),
    'truncated-project.json': projectText.slice(0, 200),
    'latin1-workflow.json': latin1(`{"format":"preflight.workflow/v1","name":"Caf\u00e9 ${SECRET}"}`),
    'typo-contract.json': json({ type: 'object', properties: { a: { type: 'strnig' } } }),
    'backtracking-contract.json': json({
      type: 'object',
      properties: { mrn: { type: 'string', pattern: '^(a|aa)+$' } },
    }),
    'ref-contract.json': json({ ...contract, properties: { mrn: { $ref: '#/$defs/mrn' } } }),
    'truncated-contract.json': json(contract).slice(0, 80),
    'newer.json': json({ format: 'preflight.workflow/v9' }),
    'fhir.json': json({ resourceType: 'Patient', name: [{ family: SECRET }] }),
    'list.json': json([{ format: 'preflight.workflow/v1' }]),
    'object-literal.json': `{ format: 'preflight.workflow/v1', name: '${SECRET}' }`,
    'broken-untagged.json': `{"resourceType": "Patient", "name": "${SECRET}",`,
    'empty.json': '',
    'latin1.json': new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]),
    'patients.csv': 'mrn,name\n1,x\n',
    'notes.md': 'hello',
    'README.md': `# Preflight\n\n\`\`\`json\n{"format": "preflight.workflow/v1"}\n\`\`\`\n`,
    'tool.ts': "export const workflow = { format: 'preflight.workflow/v1' };\n",
    'logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48]),
  };
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  await mkdir(path.join(dir, 'folder.json'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('preflight check', () => {
  const table: {
    description: string;
    input: string[];
    expected: { code: number; out: unknown[]; err: string[] };
  }[] = [
    {
      description: 'every valid format',
      input: ['workflow.json', 'mapping.json', 'report.json', 'plan.json', 'project.json', 'settings.json'],
      expected: {
        code: 0,
        out: [
          'workflow.json: ok (workflow)',
          'mapping.json: ok (mapping)',
          'report.json: ok (validation report)',
          'plan.json: ok (sample plan)',
          'project.json: ok (project file)',
          'settings.json: ok (analysis settings)',
        ],
        err: [],
      },
    },
    {
      description: 'an evidence pack as downloaded',
      input: ['pack.json'],
      expected: { code: 0, out: ['pack.json: ok (evidence pack)'], err: [] },
    },
    {
      description: 'a project audit log as the team server exports it',
      input: ['project-audit.json'],
      expected: { code: 0, out: ['project-audit.json: ok (project audit log)'], err: [] },
    },
    {
      description: 'a project audit log with an entry changed after export',
      input: ['changed-project-audit.json'],
      expected: {
        code: 1,
        out: [
          'changed-project-audit.json: 1 problem (project audit log)\n  /entries/1: has been changed since the server wrote it (its hash does not match) [integrity-mismatch]',
        ],
        err: [],
      },
    },
    {
      description: 'an evidence pack of the wrong shape, each problem with its path',
      input: ['broken-pack.json'],
      expected: {
        code: 1,
        out: [
          'broken-pack.json: 2 problems (evidence pack)\n  /project/id: required field "id" is missing [missing-field]\n  /decision: expected one of: "go", "no-go" [not-allowed]',
        ],
        err: [],
      },
    },
    {
      description: 'a semantic problem, with its path',
      input: ['broken-workflow.json'],
      expected: {
        code: 1,
        out: [
          'broken-workflow.json: 1 problem (workflow)\n  /steps/3/lane: step lane is not a lane of this workflow [unknown-reference]',
        ],
        err: [],
      },
    },
    {
      description: 'analysis settings naming an unknown rule, with its path',
      input: ['bad-settings.json'],
      expected: {
        code: 1,
        out: [
          'bad-settings.json: 1 problem (analysis settings)\n  /severities/no-such-rule: unknown field: not part of this format (check its spelling) [unknown-field]',
        ],
        err: [],
      },
    },
    {
      description: 'an integrity mismatch',
      input: ['tampered.json'],
      expected: {
        code: 1,
        out: [
          'tampered.json: 1 problem (project file)\n  /integrity/sha256: the project does not match its integrity hash: the file was damaged or edited after export [integrity-mismatch]',
        ],
        err: [],
      },
    },
    {
      description: 'invalid JSON whose start shows a Preflight tag, with line and column',
      input: ['syntax.json'],
      expected: {
        code: 1,
        out: [
          'syntax.json: 1 problem (workflow)\n  (file): not valid JSON: expected a property name in double quotes at line 3, column 29 [invalid-json]',
        ],
        err: [],
      },
    },
    {
      description: 'a truncated workflow',
      input: ['truncated-workflow.json'],
      expected: {
        code: 1,
        out: [
          expect.stringMatching(
            /^truncated-workflow\.json: 1 problem \(workflow\)\n {2}\(file\): not valid JSON: .* at line \d+, column \d+ \[invalid-json\]$/,
          ),
        ],
        err: [],
      },
    },
    {
      description: 'a truncated project file',
      input: ['truncated-project.json'],
      expected: {
        code: 1,
        out: [expect.stringMatching(/^truncated-project\.json: 1 problem \(project file\)\n/)],
        err: [],
      },
    },
    {
      description: 'a Preflight file saved in Latin-1',
      input: ['latin1-workflow.json'],
      expected: {
        code: 1,
        out: [
          'latin1-workflow.json: 1 problem (workflow)\n  (file): "latin1-workflow.json" is not valid UTF-8 text: the byte at line 1, byte 45 cannot be read in that encoding; save it again as UTF-8 [invalid-utf8]',
        ],
        err: [],
      },
    },
    {
      description: 'column contracts that compile',
      input: ['contract.json', 'bare-contract.json', 'draft7-contract.json'],
      expected: {
        code: 0,
        out: [
          'contract.json: ok (column contract, JSON Schema 2020-12)',
          'bare-contract.json: ok (column contract, JSON Schema 2020-12)',
          'draft7-contract.json: ok (column contract, JSON Schema draft-07)',
        ],
        err: [],
      },
    },
    {
      description: 'a column contract with a misspelt type',
      input: ['typo-contract.json'],
      expected: {
        code: 1,
        out: [
          'typo-contract.json: 1 problem (column contract)\n  /properties/a/type: "type" must be one of: "array", "boolean", "integer", "null", "number", "object", "string" [invalid-schema]',
        ],
        err: [],
      },
    },
    {
      description: 'a column contract whose pattern backtracks catastrophically',
      input: ['backtracking-contract.json'],
      expected: {
        code: 1,
        out: [
          'backtracking-contract.json: 1 problem (column contract)\n  /properties/mrn/pattern: the pattern of column "mrn" can match the same text in more than one way inside a repetition (the part at character 3 of the pattern): the time to check a cell that does not match doubles with every character, so one cell of a few dozen characters can stop validation for minutes. Rewrite it so each character can be matched only one way (for example "^a+$" instead of "^(a|aa)+$", "^\\d+$" instead of "^(\\d+)*$"), then check the contract again [unsafe-regex]',
        ],
        err: [],
      },
    },
    {
      description: 'a column contract with a $ref to nothing',
      input: ['ref-contract.json'],
      expected: {
        code: 1,
        out: [
          'ref-contract.json: 1 problem (column contract)\n  /properties/mrn/$ref: "$ref" points to nothing in this contract [unresolved-ref]',
        ],
        err: [],
      },
    },
    {
      description: 'a truncated column contract',
      input: ['truncated-contract.json'],
      expected: {
        code: 1,
        out: [
          expect.stringMatching(
            /^truncated-contract\.json: 1 problem \(column contract\)\n {2}\(file\): not valid JSON: /,
          ),
        ],
        err: [],
      },
    },
    {
      description: 'a newer version',
      input: ['newer.json'],
      expected: {
        code: 2,
        out: [],
        err: ['newer.json: workflow made by a newer Preflight; update Preflight to open it'],
      },
    },
    {
      description: 'JSON without a Preflight tag that is not a JSON Schema',
      input: ['fhir.json'],
      expected: {
        code: 2,
        out: [],
        err: [
          'fhir.json: not a Preflight file or column contract: it has no Preflight "format" tag and is not a JSON Schema',
        ],
      },
    },
    {
      description: 'a JSON list',
      input: ['list.json'],
      expected: {
        code: 2,
        out: [],
        err: ['list.json: not a Preflight file or column contract: expected a JSON object'],
      },
    },
    {
      description: 'a JavaScript object literal (not JSON), even with a tag-like text',
      input: ['object-literal.json'],
      expected: {
        code: 2,
        out: [],
        err: ['object-literal.json: not a Preflight file or column contract: not JSON (line 1, column 3)'],
      },
    },
    {
      description: 'broken JSON whose start shows no tag',
      input: ['broken-untagged.json'],
      expected: {
        code: 2,
        out: [],
        err: ['broken-untagged.json: not a Preflight file or column contract: not JSON (line 1, column 55)'],
      },
    },
    {
      description: 'an empty file',
      input: ['empty.json'],
      expected: {
        code: 2,
        out: [],
        err: ['empty.json: not a Preflight file or column contract: not JSON (line 1, column 1)'],
      },
    },
    {
      description: 'bytes that are not UTF-8, without a tag',
      input: ['latin1.json'],
      expected: {
        code: 2,
        out: [],
        err: [
          'latin1.json: not a Preflight file or column contract: "latin1.json" is not valid UTF-8 text: the byte at line 1, byte 6 cannot be read in that encoding',
        ],
      },
    },
    {
      description: 'a PNG',
      input: ['logo.png'],
      expected: {
        code: 2,
        out: [],
        err: [
          'logo.png: not a Preflight file or column contract: "logo.png" is not valid UTF-8 text: the byte at line 1, byte 0 cannot be read in that encoding',
        ],
      },
    },
    {
      description: 'a CSV',
      input: ['patients.csv'],
      expected: {
        code: 2,
        out: [],
        err: [
          'patients.csv: "preflight check" reads Preflight JSON files (workflow, mapping, validation report, sample plan, project file, analysis settings, clinician review, sign-off audit log, review packet, encrypted review packet, review results, accepted issues, reconcile list, reconcile result, sign-off report, evidence pack, project audit log) and column contracts (JSON Schema); a .csv file is neither',
        ],
      },
    },
    {
      description: 'a text file',
      input: ['notes.md'],
      expected: {
        code: 2,
        out: [],
        err: ['notes.md: not a Preflight file or column contract: not JSON (line 1, column 1)'],
      },
    },
    {
      description: 'a README that quotes a Preflight file',
      input: ['README.md'],
      expected: {
        code: 2,
        out: [],
        err: ['README.md: not a Preflight file or column contract: not JSON (line 1, column 1)'],
      },
    },
    {
      description: 'a TypeScript file',
      input: ['tool.ts'],
      expected: {
        code: 2,
        out: [],
        err: ['tool.ts: not a Preflight file or column contract: not JSON (line 1, column 1)'],
      },
    },
    {
      description: 'a missing file',
      input: ['nope.json'],
      expected: { code: 2, out: [], err: ['nope.json: file not found'] },
    },
    {
      description: 'a directory',
      input: ['folder.json'],
      expected: { code: 2, out: [], err: ['folder.json: is a directory, not a file'] },
    },
    {
      description: 'several files: a problem outranks ok',
      input: ['workflow.json', 'typo-contract.json', 'contract.json'],
      expected: {
        code: 1,
        out: [
          'workflow.json: ok (workflow)',
          expect.stringMatching(/^typo-contract\.json: 1 problem \(column contract\)/),
          'contract.json: ok (column contract, JSON Schema 2020-12)',
        ],
        err: [],
      },
    },
    {
      description: 'several files: an unrecognised file outranks a problem',
      input: ['broken-workflow.json', 'README.md'],
      expected: {
        code: 2,
        out: [expect.stringMatching(/^broken-workflow\.json: 1 problem/)],
        err: ['README.md: not a Preflight file or column contract: not JSON (line 1, column 1)'],
      },
    },
    {
      description: 'the worst exit code wins',
      input: ['workflow.json', 'broken-workflow.json', 'nope.json'],
      expected: {
        code: 2,
        out: [
          'workflow.json: ok (workflow)',
          'broken-workflow.json: 1 problem (workflow)\n  /steps/3/lane: step lane is not a lane of this workflow [unknown-reference]',
        ],
        err: ['nope.json: file not found'],
      },
    },
  ];
  it.each(table)('$description', async ({ input, expected }) => {
    const { io, out, err } = captureIo(dir);
    const code = await main(['check', ...input], io);
    expect({ code, out, err }).toEqual(expected);
    expect([...out, ...err].join('\n')).not.toContain(SECRET);
  });

  const usage: { description: string; input: string[]; expected: string }[] = [
    { description: 'no file', input: ['check'], expected: 'preflight check: no file given' },
    {
      description: 'an unknown option',
      input: ['check', '--fix', 'a.json'],
      expected: 'preflight check: unknown option "--fix"',
    },
  ];
  it.each(usage)('bad usage: $description exits 2 with the usage', async ({ input, expected }) => {
    const { io, out, err } = captureIo(dir);
    expect(await main(input, io)).toBe(2);
    expect(out).toEqual([]);
    expect(err[0]).toContain(expected);
    expect(err[0]).toContain('Usage: preflight check [--json] [--] <file...>');
  });

  it("checks the demo clinic's column contracts (samples/contracts) as ok", async () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const contracts = (await readdir(path.join(root, 'samples/contracts'))).filter((f) =>
      f.endsWith('.json'),
    );
    expect(contracts.length).toBeGreaterThan(0);
    const { io, out, err } = captureIo(root);
    expect(await main(['check', ...contracts.map((f) => `samples/contracts/${f}`)], io)).toBe(0);
    expect(err).toEqual([]);
    expect(out).toEqual(
      contracts.map((f) => `samples/contracts/${f}: ok (column contract, JSON Schema 2020-12)`),
    );
  });

  it('reads a file named like an option after --', async () => {
    await writeFile(path.join(dir, '--json'), json(fixtures.fixtureMapping()));
    const { io, out } = captureIo(dir);
    expect(await main(['check', '--', '--json'], io)).toBe(0);
    expect(out).toEqual(['--json: ok (mapping)']);
  });

  it('prints one machine-readable result with --json', async () => {
    const { io, out, err } = captureIo(dir);
    const code = await main(
      ['check', '--json', 'workflow.json', 'contract.json', 'broken-workflow.json', 'fhir.json', 'nope.json'],
      io,
    );
    expect(code).toBe(2);
    expect(err).toEqual([]);
    expect(out).toHaveLength(1);
    const result = JSON.parse(out[0] as string) as CheckResult;
    expect(result).toEqual({
      format: CHECK_RESULT_FORMAT,
      exitCode: 2,
      files: [
        { file: 'workflow.json', status: 'ok', format: 'preflight.workflow/v1', problems: [] },
        { file: 'contract.json', status: 'ok', columnContract: { dialect: '2020-12' }, problems: [] },
        {
          file: 'broken-workflow.json',
          status: 'invalid',
          format: 'preflight.workflow/v1',
          problems: [
            {
              path: '/steps/3/lane',
              code: 'unknown-reference',
              message: 'step lane is not a lane of this workflow',
            },
          ],
        },
        {
          file: 'fhir.json',
          status: 'unrecognised',
          problems: [
            {
              path: '',
              code: 'not-preflight',
              message:
                'not a Preflight file or column contract: it has no Preflight "format" tag and is not a JSON Schema',
            },
          ],
        },
        {
          file: 'nope.json',
          status: 'unreadable',
          problems: [{ path: '', code: 'unreadable', message: 'file not found' }],
        },
      ],
    });
    expect(out[0]).not.toContain(SECRET);
  });

  // root reads any file regardless of its mode, so the case cannot be built when tests run as root
  it.skipIf(process.getuid?.() === 0)('an unreadable file (permission denied) exits 2', async () => {
    const file = path.join(dir, 'secret.json');
    await writeFile(file, json(fixtures.fixtureMapping()));
    await chmod(file, 0o000);
    const { io, err } = captureIo(dir);
    expect(await main(['check', 'secret.json'], io)).toBe(2);
    expect(err).toEqual(['secret.json: permission denied']);
  });

  it('runs for real through node src/cli/preflight.mjs', async () => {
    const entry = fileURLToPath(new URL('../preflight.mjs', import.meta.url));
    const run = promisify(execFile);
    const ok = await run(process.execPath, [entry, 'check', 'workflow.json', 'project.json'], { cwd: dir });
    expect(ok.stdout).toBe('workflow.json: ok (workflow)\nproject.json: ok (project file)\n');
    const failed = await run(process.execPath, [entry, 'check', '--json', 'broken-workflow.json'], {
      cwd: dir,
    }).catch((error: { code: number; stdout: string }) => error);
    expect('code' in failed ? failed.code : 0).toBe(1);
    expect((JSON.parse(failed.stdout) as CheckResult).files[0]?.status).toBe('invalid');
  }, 30_000);
});
