/**
 * The shape every `preflight` subcommand has. Commands are registered in one table
 * (commands/index.ts) that `--help` iterates over.
 */

/** Exit codes are a public contract of the CLI: users' pipelines branch on them. */
export const EXIT_OK = 0;
/** the checked thing has errors */
export const EXIT_FINDINGS = 1;
/** bad usage or unreadable input */
export const EXIT_USAGE = 2;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

export interface Command {
  name: string;
  /** one line for `preflight --help` */
  summary: string;
  /** full usage text for `preflight <name> --help` */
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Thrown for bad usage; main() prints the message and the command's usage and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * Splits a command's arguments into boolean flags and operands (file names). `--` ends the
 * options, so later arguments are operands even when they start with "-"; a lone "-" is an
 * operand; any other "-…" argument not in `flags` is a UsageError. Every command parses this way.
 */
export function splitArgs(
  args: readonly string[],
  flags: readonly string[],
): { flags: Set<string>; operands: string[] } {
  const seen = new Set<string>();
  const operands: string[] = [];
  let optionsEnded = false;
  for (const arg of args) {
    if (!optionsEnded && arg === '--') optionsEnded = true;
    else if (!optionsEnded && flags.includes(arg)) seen.add(arg);
    else if (!optionsEnded && arg.startsWith('-') && arg !== '-')
      throw new UsageError(`unknown option "${arg}"`);
    else operands.push(arg);
  }
  return { flags: seen, operands };
}
