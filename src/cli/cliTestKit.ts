/**
 * Test kit of the CLI tests: runs `main` with an io that keeps what the CLI writes, as every
 * command's test needs it (one definition instead of one per test file).
 * Test-only: imported by *.test.ts files (src/cli, tests/), never by the CLI.
 */
import type { CliIo } from './command.ts';
import { main } from './main.ts';

/** A CLI io whose stdout and stderr lines are kept, running in `cwd`. */
export function captureIo(cwd: string): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd };
  return { io, out, err };
}

/** Runs `preflight <argv>` in `cwd`: the exit code, and stdout and stderr each as one text (lines joined by "\n"). */
export async function runCli(
  argv: string[],
  cwd: string,
): Promise<{ code: number; out: string; err: string }> {
  const { io, out, err } = captureIo(cwd);
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}
