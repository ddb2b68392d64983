/**
 * The shape every `preflight` subcommand has. Commands are registered in one table
 * (commands/index.ts) that `--help` iterates over; each command declares its options as data
 * ({@link OptionSpec}), and the same table drives parsing ({@link parseCommandArgs}) and the
 * help text ({@link usageOf}), so the two cannot drift apart: an option declared `required` is
 * refused when absent and shown without brackets. Each command's help ends with its worked
 * examples ({@link CommandExample}), which commands/examples.test.ts runs on the samples.
 */
import { parseArgs } from 'node:util';

/** Exit codes are a public contract of the CLI: users' pipelines branch on them. */
export const EXIT_OK = 0;
/** the checked thing has errors */
export const EXIT_FINDINGS = 1;
/** bad usage or unreadable input */
export const EXIT_USAGE = 2;

/**
 * Where a command writes. `stdout` and `stderr` take text for people, which may hold strings from
 * the checked files: the CLI writes every control character in it as a visible escape, wherever
 * it goes. `data` takes what a program reads (JSON, NDJSON, CSV, SQL, a whole output file) on
 * stdout, written byte for byte; absent, `stdout` takes it (a test's capture).
 */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  data?: (text: string) => void;
  cwd: string;
}

/** Writes machine-readable output to stdout, byte for byte ({@link CliIo.data}). */
export function writeData(io: CliIo, text: string): void {
  (io.data ?? io.stdout)(text);
}

/** Writes a command's result to stdout: for a program (`--json`) byte for byte, else for people. */
export function writeResult(io: CliIo, forProgram: boolean, text: string): void {
  if (forProgram) writeData(io, text);
  else io.stdout(text);
}

/** One option of a command, as data: parsing, validation and `--help` all read it. */
export interface OptionSpec {
  /** the long name without dashes: "json" for `--json` */
  name: string;
  /** `boolean` is a flag (`--json`); `string` takes a value (`--schema s.json` or `--schema=s.json`) */
  type: 'boolean' | 'string';
  /** one letter for `-s` */
  short?: string;
  /** may be given more than once; the values are collected in order (string options only) */
  multiple?: boolean;
  /** what the value is, for the help text: `--schema <file>` (string options only) */
  valueName?: string;
  /**
   * a string option that may also stand alone, meaning this value: `--trust-proxy` alone is
   * `--trust-proxy loopback` (a former flag that now takes a value keeps working)
   */
  whenBare?: string;
  /** one line for the help text */
  description: string;
  /**
   * the command cannot run without it: parsing refuses its absence (a usage error naming it), and
   * `--help` shows it without brackets. An option needed only in some cases (a CSV log's columns,
   * not an XES log's) is not required here: the command checks it and its description says when.
   */
  required?: true;
}

/** A command's arguments after parsing: operands in order, options read by name. */
export interface ParsedArgs {
  /** the non-option arguments (file names…), in order; everything after `--` is one */
  operands: string[];
  /** whether a boolean option was given */
  flag(name: string): boolean;
  /** the value of a single-valued string option, undefined when absent */
  string(name: string): string | undefined;
  /** every value of a `multiple` string option, in order (empty when absent) */
  strings(name: string): string[];
  /** the value of a single-valued `required` string option (parsing refused its absence) */
  requiredString(name: string): string;
}

/**
 * A worked example, printed last in the command's `--help`: a command line that runs from the
 * repository root on the files in samples/. commands/examples.test.ts runs every one and checks
 * its exit code, so an example cannot rot; one that needs a FHIR server names the local test
 * server's address ({@link EXAMPLE_FHIR_SERVER}), and prints rather than writes files.
 */
export interface CommandExample {
  /** the arguments after `preflight <command>`, one string per word as the shell splits them */
  args: readonly string[];
  /** what it does, on one line */
  does: string;
  /**
   * the exit code it ends with on the samples: 0, or 1 where the samples hold planted problems, or
   * 2 for a command whose work needs what the samples cannot hold (a server's records): its example
   * shows the command line and the refusal a reader would meet without them
   */
  exits: typeof EXIT_OK | typeof EXIT_FINDINGS | typeof EXIT_USAGE;
}

/** The FHIR server the examples use: the local test server, `npm run fhir-server` (its default port). */
export const EXAMPLE_FHIR_SERVER = 'http://localhost:8103/fhir';

export interface Command {
  name: string;
  /** one line for `preflight --help` */
  summary: string;
  /** the operands part of the synopsis, e.g. "<file...>" */
  operands: string;
  /** the options, in the order `--help` lists them; `-h, --help` and `--` are implied */
  options: readonly OptionSpec[];
  /** what the command does, printed between the synopsis and the options */
  description: string;
  /** printed after the options (exit codes, limits); optional */
  notes?: string;
  /** one or two worked examples, printed last (see {@link CommandExample}) */
  examples: readonly [CommandExample] | readonly [CommandExample, CommandExample];
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

/**
 * A command as the table lists it: its name and summary for `preflight --help`, and `load` to
 * import its module only when it runs (or shows its own help). Importing every command up front
 * costs tens of MB of memory before any data is read (tests/bench/RESULTS.md); a test checks
 * that each entry's name and summary equal the loaded command's, so `--help` cannot drift.
 */
export interface LazyCommand {
  name: string;
  /** one line for `preflight --help`; equal to the loaded command's summary */
  summary: string;
  /** imports the command's module */
  load(): Promise<Command>;
}

/** One entry of the command table: a loaded command (tests) or a lazy one (the real table). */
export type CommandEntry = Command | LazyCommand;

/** The full command of a table entry, importing its module if it is lazy. */
export async function loadCommand(entry: CommandEntry): Promise<Command> {
  return 'load' in entry ? entry.load() : entry;
}

/** Thrown for bad usage; main() prints the message, a pointer to `--help` and the synopsis, and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** `--schema <file>`: the long name and, for a string option, its value. */
function longLabel(option: OptionSpec): string {
  if (option.type !== 'string') return `--${option.name}`;
  const value = `<${option.valueName ?? 'value'}>`;
  return `--${option.name} ${option.whenBare === undefined ? value : `[${value}]`}`;
}

function optionLabel(option: OptionSpec): string {
  return option.short ? `-${option.short}, ${longLabel(option)}` : longLabel(option);
}

/** A synopsis wider than this names the optional options `[options]`: the option list shows them. */
export const SYNOPSIS_WIDTH = 100;

/**
 * The synopsis line: `Usage: preflight readiness [--json] [--audit-log <file>] [--] <project-file>`
 * (printed after a usage error too). Required options come first and bare; the others follow in
 * brackets, in the order the command declares them — or as `[options]` when listing them would
 * make the line wider than {@link SYNOPSIS_WIDTH}.
 */
export function synopsis(command: Command): string {
  const repeat = (o: OptionSpec) => (o.multiple ? '...' : '');
  const required = command.options.filter((o) => o.required).map((o) => `${longLabel(o)}${repeat(o)}`);
  const optional = command.options.filter((o) => !o.required).map((o) => `[${longLabel(o)}]${repeat(o)}`);
  const operands = command.operands ? ['[--]', command.operands] : [];
  const line = (options: string[]) =>
    ['Usage: preflight', command.name, ...required, ...options, ...operands].join(' ');
  const full = line(optional);
  return full.length <= SYNOPSIS_WIDTH || optional.length === 0 ? full : line(['[options]']);
}

/** Characters a shell leaves alone in a word; anything else is quoted in an example. */
const PLAIN_SHELL_WORD = /^[\w@%+=:,./-]+$/;

/** `arg` as a POSIX shell word: as it is when plain, else in single quotes. */
function shellWord(arg: string): string {
  return PLAIN_SHELL_WORD.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** An example as a shell line: `preflight <command> <args>`. */
export function exampleLine(command: Pick<Command, 'name'>, example: CommandExample): string {
  return ['preflight', command.name, ...example.args.map(shellWord)].join(' ');
}

/** The full help text of a command, built from its declaration; its examples come last. */
export function usageOf(command: Command): string {
  const rows: [string, string][] = [
    ...command.options.map((o): [string, string] => {
      const marks = [o.required ? 'required' : '', o.multiple ? 'may be repeated' : ''].filter(Boolean);
      return [optionLabel(o), marks.length > 0 ? `${o.description} (${marks.join('; ')})` : o.description];
    }),
    ['-h, --help', 'show this help'],
    ['--', 'end of options: later arguments are operands, even if they start with "-"'],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    synopsis(command),
    '',
    command.description,
    '',
    'Options:',
    ...rows.map(([label, text]) => `  ${label.padEnd(width)}  ${text}`),
    ...(command.notes ? ['', command.notes] : []),
    '',
    'Examples:',
    ...command.examples.flatMap((e) => [
      `  # ${e.does}${e.exits === EXIT_OK ? '' : ` (exit ${e.exits})`}`,
      `  ${exampleLine(command, e)}`,
    ]),
  ].join('\n');
}

/** `args` with each option that may stand alone and does (last, or before another option) given its bare value. */
function withBareValues(args: readonly string[], options: readonly OptionSpec[]): string[] {
  const bare = new Map(
    options.flatMap((o) => (o.whenBare === undefined ? [] : [[`--${o.name}`, o.whenBare]])),
  );
  const end = args.indexOf('--');
  return args.map((arg, i) => {
    const value = bare.get(arg);
    const next = args[i + 1];
    if (value === undefined || (end !== -1 && i > end)) return arg;
    return next === undefined || (next.startsWith('-') && next !== '-') ? `${arg}=${value}` : arg;
  });
}

/**
 * Parses a command's arguments against its declared options with `node:util` `parseArgs`.
 * Strict: an unknown option, a string option without a value (or with an empty one, or one that
 * looks like another option — write `--opt=-x` for that), a value given to a boolean option, a
 * single-valued option given twice, or a `required` option left out is a {@link UsageError} naming
 * the option. `--` ends the options: every later argument is an operand; a lone `-` is an operand.
 *
 * Node's own strict mode is not used for the checks because its messages do not say which
 * declared option was meant in every case; the tokens it returns do, so the checks run on them.
 */
export function parseCommandArgs(args: readonly string[], options: readonly OptionSpec[]): ParsedArgs {
  const byName = new Map(options.map((o) => [o.name, o]));
  const { tokens } = parseArgs({
    args: withBareValues(args, options),
    options: Object.fromEntries(
      options.map((o) => [
        o.name,
        { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) },
      ]),
    ),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const operands: string[] = [];
  const values = new Map<string, (string | true)[]>();
  for (const token of tokens) {
    if (token.kind === 'positional') {
      operands.push(token.value);
      continue;
    }
    if (token.kind !== 'option') continue; // the `--` terminator itself
    const option = byName.get(token.name);
    if (!option) throw new UsageError(`unknown option "${token.rawName}"`);
    const display = optionLabel(option);
    let value: string | true = true;
    if (option.type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`option "${token.rawName}" takes no value`);
    } else {
      if (token.value === undefined || token.value === '')
        throw new UsageError(`option "${token.rawName}" needs a value (${display})`);
      if (!token.inlineValue && token.value.startsWith('-') && token.value !== '-') {
        throw new UsageError(
          `option "${token.rawName}" needs a value (${display}); for a value that starts with "-", write --${option.name}=<value>`,
        );
      }
      value = token.value;
    }
    const seen = values.get(option.name) ?? [];
    if (seen.length > 0 && !option.multiple)
      throw new UsageError(`option "${token.rawName}" is given more than once`);
    seen.push(value);
    values.set(option.name, seen);
  }
  for (const option of options)
    if (option.required && !values.has(option.name)) throw new UsageError(`${longLabel(option)} is required`);
  const declared = (name: string, type: OptionSpec['type']): OptionSpec => {
    const option = byName.get(name);
    // a programming error (a command reading an option it did not declare), not a usage error
    if (!option || option.type !== type) throw new TypeError(`option ${name} is not declared as ${type}`);
    return option;
  };
  return {
    operands,
    flag: (name) => declared(name, 'boolean') !== undefined && values.has(name),
    string: (name) => {
      if (declared(name, 'string').multiple) throw new TypeError(`option ${name} is multiple: use strings()`);
      return values.get(name)?.[0] as string | undefined;
    },
    strings: (name) => {
      declared(name, 'string');
      return (values.get(name) ?? []) as string[];
    },
    requiredString: (name) => {
      const option = declared(name, 'string');
      if (!option.required || option.multiple)
        throw new TypeError(`option ${name} is not declared required and single: use string()`);
      return values.get(name)?.[0] as string;
    },
  };
}
