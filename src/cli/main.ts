import { type CliIo, type Command, EXIT_OK, EXIT_USAGE, UsageError } from './command.ts';
import { commands } from './commands/index.ts';

const VERSION = '0.1.0';

function overview(list: readonly Command[]): string {
  const width = Math.max(...list.map((c) => c.name.length), 4);
  return [
    'preflight — get a clinic ready for its EHR go-live',
    '',
    'Usage: preflight <command> [options]',
    '',
    'Commands:',
    ...list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     show help (also: preflight <command> --help)',
    '  -v, --version  show the version',
    '',
    'Exit codes: 0 ok, 1 the checked thing has errors, 2 bad usage or unreadable input.',
  ].join('\n');
}

const defaultIo: CliIo = {
  stdout: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  stderr: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  cwd: process.cwd(),
};

/** Runs the CLI and returns its exit code; never calls process.exit, so tests can call it directly. */
export async function main(
  argv: string[],
  io: CliIo = defaultIo,
  list: readonly Command[] = commands,
): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    io.stdout(overview(list));
    return first === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (first === '-v' || first === '--version') {
    io.stdout(VERSION);
    return EXIT_OK;
  }
  const command = list.find((c) => c.name === first);
  if (!command) {
    io.stderr(`preflight: unknown command "${first}". Run "preflight --help" for the list.`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage);
    return EXIT_OK;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`preflight ${command.name}: ${error.message}\n\n${command.usage}`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
