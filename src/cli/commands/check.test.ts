import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fixtures from '../../formats/testing/fixtures.ts';
import { nth } from '../../formats/testing/fixtures.ts';
import type { CliIo } from '../command.ts';
import { main } from '../main.ts';
import { CHECK_RESULT_FORMAT, type CheckResult } from './check.ts';

const SECRET = 'Jane Q. Patient';
let dir: string;

function captureIo(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd };
  return { io, out, err };
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-check-'));
  const brokenWorkflow = fixtures.fixtureWorkflow();
  nth(brokenWorkflow.steps, 3).lane = SECRET;
  const tampered = fixtures.fixtureProjectFile();
  tampered.project.meta.name = SECRET;
  const files: Record<string, string | Uint8Array> = {
    'workflow.json': json(fixtures.fixtureWorkflow()),
    'mapping.json': json(fixtures.fixtureMapping()),
    'report.json': json(fixtures.fixtureReport()),
    'plan.json': json(fixtures.fixtureSamplePlan()),
    'project.json': json(fixtures.fixtureProjectFile()),
    'broken-workflow.json': json(brokenWorkflow),
    'tampered.json': json(tampered),
    'syntax.json': `{\n  "format": "preflight.workflow/v1",\n  "name": "${SECRET}",,\n}`,
    'newer.json': json({ format: 'preflight.workflow/v9' }),
    'fhir.json': json({ resourceType: 'Patient', name: [{ family: SECRET }] }),
    'latin1.json': new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]),
    'patients.csv': 'mrn,name\n1,x\n',
    'notes.md': 'hello',
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
    expected: { code: number; out: string[]; err: string[] };
  }[] = [
    {
      description: 'every valid format',
      input: ['workflow.json', 'mapping.json', 'report.json', 'plan.json', 'project.json'],
      expected: {
        code: 0,
        out: [
          'workflow.json: ok (workflow)',
          'mapping.json: ok (mapping)',
          'report.json: ok (validation report)',
          'plan.json: ok (sample plan)',
          'project.json: ok (project file)',
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
      description: 'invalid JSON, with line and column',
      input: ['syntax.json'],
      expected: {
        code: 1,
        out: [
          'syntax.json: 1 problem\n  (file): not valid JSON: expected a property name in double quotes at line 3, column 29 [invalid-json]',
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
      description: 'JSON that is not a Preflight file',
      input: ['fhir.json'],
      expected: {
        code: 2,
        out: [],
        err: ['fhir.json: not a Preflight file: it has no Preflight "format" tag'],
      },
    },
    {
      description: 'bytes that are not UTF-8',
      input: ['latin1.json'],
      expected: {
        code: 2,
        out: [],
        err: ['latin1.json: not valid UTF-8 text: invalid byte at offset 6; save the file as UTF-8'],
      },
    },
    {
      description: 'a CSV',
      input: ['patients.csv'],
      expected: {
        code: 2,
        out: [],
        err: [
          'patients.csv: "preflight check" reads Preflight JSON files only for now (workflow, mapping, validation report, sample plan, project file); a .csv file is not one',
        ],
      },
    },
    {
      description: 'a file that is not JSON, without a JSON extension',
      input: ['notes.md'],
      expected: {
        code: 1,
        out: [
          'notes.md: 1 problem\n  (file): not valid JSON: expected a value (object, list, text in double quotes, number, true, false or null) at line 1, column 1 ("preflight check" reads Preflight JSON files only) [invalid-json]',
        ],
        err: [],
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

  it('reads a file named like an option after --', async () => {
    await writeFile(path.join(dir, '--json'), json(fixtures.fixtureMapping()));
    const { io, out } = captureIo(dir);
    expect(await main(['check', '--', '--json'], io)).toBe(0);
    expect(out).toEqual(['--json: ok (mapping)']);
  });

  it('prints one machine-readable result with --json', async () => {
    const { io, out, err } = captureIo(dir);
    const code = await main(
      ['check', '--json', 'workflow.json', 'broken-workflow.json', 'fhir.json', 'nope.json'],
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
              message: 'not a Preflight file: it has no Preflight "format" tag',
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
