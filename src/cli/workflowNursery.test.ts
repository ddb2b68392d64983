/**
 * `workflow` commands run with a small young generation (src/cli/preflight.mjs): the CLI replaces
 * itself once with V8's `--max-semi-space-size=8`, keeping the flags it was started with, unless
 * the user gave a nursery. A preloaded module reports the flags the command ran with.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = path.resolve(import.meta.dirname, 'preflight.mjs');
const REPORT = `data:text/javascript,process.on('exit',()=>process.stderr.write('FLAGS '+JSON.stringify(process.execArgv)+'\\n'))`;

/** The flags the command ran with (the process it became: the one it replaced never exits). */
function flagsOf(args: string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const run = spawnSync(process.execPath, ['--import', REPORT, CLI, ...args], { encoding: 'utf8', env });
  const reports = run.stderr.split('\n').filter((line) => line.startsWith('FLAGS '));
  expect(reports).toHaveLength(1);
  return JSON.parse((reports[0] as string).slice('FLAGS '.length)) as string[];
}

/** Node replaces a process only where it can (not on Windows): there the CLI starts as it is. */
const canReplace = typeof (process as { execve?: unknown }).execve === 'function';

describe.skipIf(!canReplace)('the young generation of the CLI', () => {
  it('a workflow command runs with an 8 MB nursery and keeps its own flags', () => {
    const flags = flagsOf(['workflow', 'discover']);
    expect(flags).toContain('--max-semi-space-size=8');
    expect(flags).toContain('--import');
  });

  it('a nursery the user chose is left as it is', () => {
    const env = { ...process.env, NODE_OPTIONS: '--max-semi-space-size=32' };
    expect(flagsOf(['workflow', 'discover'], env)).not.toContain('--max-semi-space-size=8');
  });
});
