/**
 * `preflight workflow import-bpmn` on sub-processes nested 40,000 deep, through main(): refused
 * with the reader's words (what, which sub-process, its line, the limit, what to do) and exit 2,
 * never an internal error.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { nestedSubProcesses } from '../../core/workflow/bpmn/index.ts';
import { runCli } from '../cliTestKit.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-bpmn-depth-'));
  await writeFile(path.join(dir, 'deep.bpmn'), nestedSubProcesses(40_000));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('refuses a 40,000-deep nest of sub-processes by name, at its line, saying the limit', async () => {
  const { code, out, err } = await runCli(['workflow', 'import-bpmn', 'deep.bpmn'], dir);
  expect(code).toBe(2);
  expect(out).toBe('');
  expect(err).toMatch(
    /deep\.bpmn: error \[too-deep\] \(line 68\): sub-processes are nested more than 64 levels deep \(at sub-process sp65\); .*flatten the nesting in the modelling tool and export again/,
  );
  expect(err).not.toContain('internal');
});
