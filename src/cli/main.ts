/**
 * The `preflight` command line: dispatches to the subcommands of commands/index.ts.
 *
 * Contract (users' scripts depend on it): exit 0 ok, 1 the checked thing has errors, 2 bad
 * usage, unreadable input — or an internal error, which prints one fixed line naming the command
 * and the error's class, never a stack trace or a value (values may be patient data).
 * `--` ends the options: every later argument is an operand, even `--help`. Options are parsed
 * by `node:util` `parseArgs` against each command's declared options (command.ts), strictly: an
 * unknown option is bad usage (exit 2) with a message naming it and pointing to `--help`.
 */

import { createRequire } from 'node:module';
import {
  type CliIo,
  type Command,
  type CommandEntry,
  EXIT_OK,
  EXIT_USAGE,
  loadCommand,
  parseCommandArgs,
  synopsis,
  UsageError,
  usageOf,
} from './command.ts';
import { commands } from './commands/index.ts';
import { shownText, terminalText } from './terminalText.ts';

/** The version of this Preflight, read from package.json (its one source of truth). */
export const VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string })
  .version;

function overview(list: readonly CommandEntry[]): string {
  const width = Math.max(...list.map((c) => c.name.length), 4);
  return [
    'preflight — get a clinic ready for its EHR go-live',
    '',
    'Usage: preflight <command> [options] [--] [operands]',
    '',
    'Commands:',
    ...list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     show help (also: preflight <command> --help)',
    '  -v, --version  show the version',
    '  --             end of options: later arguments are file names, even if they start with "-"',
    '',
    'Exit codes: 0 ok, 1 the checked thing has errors, 2 bad usage or unreadable input.',
  ].join('\n');
}

/** What {@link streamIo} writes to: a process stream, or a test's stand-in. */
export type OutputStream = Pick<NodeJS.WriteStream, 'write' | 'isTTY'>;

/**
 * Writes a line of text for people to `stream`: nothing in it acts on a terminal, whether the
 * stream is one or a pipe that ends at one (`| tee`, a CI log); to a terminal, long lines are cut
 * too ({@link terminalText}).
 */
function writeLine(stream: OutputStream, text: string): void {
  const line = text.endsWith('\n') ? text : `${text}\n`;
  stream.write(stream.isTTY ? terminalText(line) : shownText(line));
}

/** Writes machine-readable output to `stream`: byte for byte, except to a terminal. */
function writeDataLine(stream: OutputStream, text: string): void {
  const line = text.endsWith('\n') ? text : `${text}\n`;
  stream.write(stream.isTTY ? terminalText(line) : line);
}

/** The CLI's io over two streams: text for people on both, machine-readable output on `stdout`. */
export function streamIo(stdout: OutputStream, stderr: OutputStream, cwd: string): CliIo {
  return {
    stdout: (t) => writeLine(stdout, t),
    stderr: (t) => writeLine(stderr, t),
    data: (t) => writeDataLine(stdout, t),
    cwd,
  };
}

const defaultIo: CliIo = streamIo(process.stdout, process.stderr, process.cwd());

/** An error class name such as "TypeError", or "Error" for anything else (never free text). */
function errorClass(error: unknown): string {
  const name = error instanceof Error ? error.name : undefined;
  return typeof name === 'string' && /^[A-Za-z][A-Za-z0-9]{0,39}$/.test(name) ? name : 'Error';
}

/** The message for an unexpected exception in `command`: its class only, no message or stack. */
export function internalErrorMessage(command: string, error: unknown): string {
  return `preflight ${command}: internal error (${errorClass(error)}); please report it`;
}

/**
 * The command named by the first argument, or by the first two for a command of a group
 * ("workflow analyze"): a group's commands are ordinary commands whose name has one space.
 */
function findCommand(
  list: readonly CommandEntry[],
  first: string,
  rest: readonly string[],
): { entry: CommandEntry; rest: string[] } | undefined {
  // a group's command first: `readiness verify-pack` is not `readiness` of a file "verify-pack"
  const [second, ...after] = rest;
  const grouped = second === undefined ? undefined : list.find((c) => c.name === `${first} ${second}`);
  if (grouped) return { entry: grouped, rest: after };
  const single = list.find((c) => c.name === first);
  return single ? { entry: single, rest: [...rest] } : undefined;
}

/** True when `args` ask for help before any `--`. */
function asksForHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/**
 * Runs the CLI and returns its exit code; never calls process.exit and never throws, so tests
 * can call it directly.
 */
export async function main(
  argv: string[],
  io: CliIo = defaultIo,
  list: readonly CommandEntry[] = commands,
): Promise<number> {
  const [first, ...afterFirst] = argv;
  let rest = afterFirst;
  if (first === undefined) {
    // no command is a usage error: the overview goes where errors go
    io.stderr(overview(list));
    return EXIT_USAGE;
  }
  if (first === '-h' || first === '--help' || first === 'help') {
    io.stdout(overview(list));
    return EXIT_OK;
  }
  if (first === '-v' || first === '--version') {
    io.stdout(VERSION);
    return EXIT_OK;
  }
  const found = findCommand(list, first, rest);
  if (!found) {
    const group = list.filter((c) => c.name.startsWith(`${first} `));
    if (group.length > 0) {
      const which =
        rest[0] === undefined || rest[0].startsWith('-')
          ? 'needs a subcommand'
          : `has no subcommand "${rest[0]}"`;
      io.stderr(
        `preflight: "${first}" ${which}: ${group.map((c) => c.name).join(', ')}. Run "preflight --help" for the list.`,
      );
      return EXIT_USAGE;
    }
    io.stderr(`preflight: unknown command "${first}". Run "preflight --help" for the list.`);
    return EXIT_USAGE;
  }
  rest = found.rest;
  let command: Command;
  try {
    command = await loadCommand(found.entry);
  } catch (error) {
    io.stderr(internalErrorMessage(found.entry.name, error));
    return EXIT_USAGE;
  }
  if (asksForHelp(rest)) {
    io.stdout(usageOf(command));
    return EXIT_OK;
  }
  try {
    return await command.run(parseCommandArgs(rest, command.options), io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(
        `preflight ${command.name}: ${error.message}. Run "preflight ${command.name} --help" for its options.\n${synopsis(command)}`,
      );
      return EXIT_USAGE;
    }
    io.stderr(internalErrorMessage(command.name, error));
    return EXIT_USAGE;
  }
}
