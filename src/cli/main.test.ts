import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProjectFile } from '../formats/project.ts';
import * as fixtures from '../formats/testing/fixtures.ts';
import { captureIo } from './cliTestKit.ts';
import { type Command, EXIT_OK } from './command.ts';
import { CHECK_MAX_BYTES, checkFile } from './commands/check.ts';
import { main, VERSION } from './main.ts';

/** stands in for patient content: must never reach the output */
const SECRET = 'Jane Q. Patient 1962-04-01';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-main-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A command that fails the way a bug would: with an exception carrying a value. */
function throwing(value: unknown): Command {
  return {
    name: 'boom',
    summary: 'fails',
    operands: '<x>',
    options: [],
    description: 'Fails the way a bug would.',
    examples: [{ args: ['x'], does: 'fail', exits: 1 }],
    run: async () => {
      throw value;
    },
  };
}

describe('preflight (no command, help, version)', () => {
  it('with no arguments prints the overview on stderr and exits 2', async () => {
    const { io, out, err } = captureIo(dir);
    expect(await main([], io)).toBe(2);
    expect(out).toEqual([]);
    expect(err[0]).toContain('Usage: preflight <command>');
  });

  it('with --help prints the overview on stdout and exits 0', async () => {
    for (const flag of ['--help', '-h', 'help']) {
      const { io, out, err } = captureIo(dir);
      expect(await main([flag], io)).toBe(EXIT_OK);
      expect(err).toEqual([]);
      expect(out[0]).toContain('Usage: preflight <command>');
    }
  });

  it('prints the version from package.json', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const { io, out } = captureIo(dir);
    expect(await main(['--version'], io)).toBe(0);
    expect(out).toEqual([pkg.version]);
    expect(VERSION).toBe(pkg.version);
  });
});

describe('preflight: an unexpected exception', () => {
  const cases: { description: string; thrown: unknown; expected: string }[] = [
    {
      description: 'a TypeError',
      thrown: new TypeError(SECRET),
      expected: 'preflight boom: internal error (TypeError); please report it',
    },
    {
      description: 'a thrown string',
      thrown: SECRET,
      expected: 'preflight boom: internal error (Error); please report it',
    },
    {
      description: 'an error whose name is free text',
      thrown: Object.assign(new Error('x'), { name: SECRET }),
      expected: 'preflight boom: internal error (Error); please report it',
    },
  ];
  it.each(cases)(
    '$description exits 2 with a fixed message, no stack and no value',
    async ({ thrown, expected }) => {
      const { io, out, err } = captureIo(dir);
      expect(await main(['boom', 'x'], io, [throwing(thrown)])).toBe(2);
      expect(out).toEqual([]);
      expect(err).toEqual([expected]);
    },
  );
});

/** A command with value options, as `validate --schema s.json --workers 2` will have; it echoes what it parsed. */
const echo: Command = {
  name: 'echo',
  summary: 'prints its parsed arguments',
  operands: '<file...>',
  options: [
    { name: 'json', type: 'boolean', description: 'print JSON' },
    {
      name: 'schema',
      type: 'string',
      short: 's',
      multiple: true,
      valueName: 'file',
      description: 'a contract',
    },
    { name: 'workers', type: 'string', valueName: 'n', description: 'how many workers' },
  ],
  description: 'Echoes.',
  examples: [{ args: ['x.csv', '--workers', '2'], does: 'echo a file and a value', exits: 0 }],
  run: async (args, io) => {
    io.stdout(
      JSON.stringify({
        operands: args.operands,
        schema: args.strings('schema'),
        workers: args.string('workers'),
      }),
    );
    return EXIT_OK;
  },
};

describe('preflight: options (node:util parseArgs, declared per command)', () => {
  it('passes value, repeated and --opt=value options to the command', async () => {
    const { io, out, err } = captureIo(dir);
    const code = await main(['echo', '--schema', 'a.json', 'x.csv', '-s', 'b.json', '--workers=2'], io, [
      echo,
    ]);
    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(JSON.parse(out[0] as string)).toEqual({
      operands: ['x.csv'],
      schema: ['a.json', 'b.json'],
      workers: '2',
    });
  });

  const usage: { description: string; input: string[]; expected: string }[] = [
    { description: 'an unknown option', input: ['--p', '0.01'], expected: 'unknown option "--p"' },
    {
      description: 'a missing value',
      input: ['x.csv', '--workers'],
      expected: 'option "--workers" needs a value',
    },
  ];
  it.each(usage)(
    '$description exits 2, names the option and points to --help',
    async ({ input, expected }) => {
      const { io, out, err } = captureIo(dir);
      expect(await main(['echo', ...input], io, [echo])).toBe(2);
      expect(out).toEqual([]);
      expect(err[0]).toContain(`preflight echo: ${expected}`);
      expect(err[0]).toContain('Run "preflight echo --help" for its options.');
      expect(err[0]).toContain(
        'Usage: preflight echo [--json] [--schema <file>]... [--workers <n>] [--] <file...>',
      );
    },
  );

  it('<command> --help lists the options from the command table', async () => {
    const { io, out } = captureIo(dir);
    expect(await main(['echo', '--help'], io, [echo])).toBe(0);
    expect(out[0]).toContain('  -s, --schema <file>  a contract (may be repeated)');
    expect(out[0]).toContain('  --workers <n>        how many workers');
  });

  it.each([
    ['check', '  --json      print one machine-readable result (preflight.check-result/v1) on stdout'],
    ['hash', '  --json      print JSON instead of the sha256sum line'],
  ])('preflight %s --help lists its declared options', async (name, line) => {
    const { io, out } = captureIo(dir);
    expect(await main([name, '--help'], io)).toBe(0);
    expect(out[0]).toContain(line);
    expect(out[0]).toContain('  -h, --help  show this help');
  });
});

describe('preflight: "--" ends the options', () => {
  it('check -- --help checks a file named --help', async () => {
    await writeFile(path.join(dir, '--help'), JSON.stringify(fixtures.fixtureMapping()));
    const { io, out, err } = captureIo(dir);
    expect(await main(['check', '--', '--help'], io)).toBe(0);
    expect(err).toEqual([]);
    expect(out).toEqual(['--help: ok (mapping)']);
  });

  it('check --help -- x still shows the help', async () => {
    const { io, out } = captureIo(dir);
    expect(await main(['check', '--help', '--', 'x'], io)).toBe(0);
    expect(out[0]).toContain('Usage: preflight check');
  });

  it('hash -- -weird.csv hashes a file whose name starts with "-"', async () => {
    const content = 'mrn,dob\n1,2\n';
    await writeFile(path.join(dir, '-weird.csv'), content);
    const { io, out, err } = captureIo(dir);
    expect(await main(['hash', '--', '-weird.csv'], io)).toBe(0);
    expect(err).toEqual([]);
    expect(out).toEqual([`${createHash('sha256').update(content).digest('hex')}  -weird.csv`]);
  });
});

describe('preflight check: size cap', () => {
  it(`refuses a file larger than ${CHECK_MAX_BYTES} bytes without reading it (exit 2)`, async () => {
    const file = path.join(dir, 'huge.json');
    await writeFile(file, '{');
    await truncate(file, CHECK_MAX_BYTES + 1); // sparse: no disk space is used
    const { io, out, err } = captureIo(dir);
    expect(await main(['check', 'huge.json'], io)).toBe(2);
    expect(out).toEqual([]);
    expect(err).toEqual([
      'huge.json: larger than 256 MB, the most "preflight check" reads: Preflight files are small, so this is probably a data file',
    ]);
  });

  it('reads a file at the cap, and reports too-large past it', async () => {
    const text = JSON.stringify(fixtures.fixtureMapping());
    await writeFile(path.join(dir, 'small.json'), text);
    expect((await checkFile('small.json', dir, { maxBytes: text.length })).status).toBe('ok');
    const over = await checkFile('small.json', dir, { maxBytes: text.length - 1 });
    expect(over).toMatchObject({ status: 'unreadable', problems: [{ code: 'too-large' }] });
  });
});

describe('preflight check: warnings', () => {
  it('a project file with a draft workflow is ok, with its warnings listed', async () => {
    const project = fixtures.fixtureProject();
    const flow = project.workflows[0]?.flows[2];
    if (flow) flow.probability = 0.5;
    const exported = createProjectFile(project, { now: '2025-03-02T12:00:00Z', appVersion: '0.1.0' });
    await writeFile(path.join(dir, 'draft.json'), JSON.stringify(exported));
    const { io, out } = captureIo(dir);
    expect(await main(['check', 'draft.json'], io)).toBe(0);
    expect(out).toEqual([
      'draft.json: ok (project file; 1 warning)\n' +
        '  warning /project/workflows/0/steps/2: the probabilities of the 2 flows leaving this step do not sum to 1 [probability-sum]',
    ]);
  });
});

describe('preflight: commands of a group ("workflow analyze")', () => {
  function named(name: string): Command {
    return {
      name,
      summary: `runs ${name}`,
      operands: '<x...>',
      options: [{ name: 'json', type: 'boolean', description: 'JSON' }],
      description: 'Echoes its operands.',
      examples: [{ args: ['a.json'], does: 'echo an operand', exits: 0 }],
      run: async (args, io) => {
        io.stdout(JSON.stringify({ name, operands: args.operands, json: args.flag('json') }));
        return 0;
      },
    };
  }
  const list = [named('workflow analyze'), named('workflow discover'), named('workflow')];

  it('dispatches on the first two words when the first is not a command of its own', async () => {
    const { io, out } = captureIo(dir);
    expect(await main(['workflow', 'analyze', 'a.json', '--json'], io, list.slice(0, 2))).toBe(0);
    expect(JSON.parse(out[0] as string)).toEqual({
      name: 'workflow analyze',
      operands: ['a.json'],
      json: true,
    });
  });

  it('a command of a group wins over a one-word command of the same word, which runs otherwise', async () => {
    const grouped = captureIo(dir);
    expect(await main(['workflow', 'analyze'], grouped.io, list)).toBe(0);
    expect(JSON.parse(grouped.out[0] as string)).toEqual({
      name: 'workflow analyze',
      operands: [],
      json: false,
    });
    const single = captureIo(dir);
    expect(await main(['workflow', 'file.csv'], single.io, list)).toBe(0);
    expect(JSON.parse(single.out[0] as string)).toEqual({
      name: 'workflow',
      operands: ['file.csv'],
      json: false,
    });
    // a file that happens to be called like the subcommand is given after "--"
    const named = captureIo(dir);
    expect(await main(['workflow', '--', 'analyze'], named.io, list)).toBe(0);
    expect(JSON.parse(named.out[0] as string)).toEqual({
      name: 'workflow',
      operands: ['analyze'],
      json: false,
    });
  });

  it('a group without a known subcommand exits 2 and lists the group', async () => {
    for (const argv of [['workflow'], ['workflow', 'nope'], ['workflow', '--json']]) {
      const { io, out, err } = captureIo(dir);
      expect(await main(argv, io, list.slice(0, 2))).toBe(2);
      expect(out).toEqual([]);
      expect(err[0]).toContain('workflow analyze, workflow discover');
    }
  });

  it('<group> <command> --help shows that command', async () => {
    const { io, out } = captureIo(dir);
    expect(await main(['workflow', 'discover', '--help'], io, list.slice(0, 2))).toBe(0);
    expect(out[0]).toContain('Usage: preflight workflow discover [--json] [--] <x...>');
  });
});

describe('preflight: lazy commands (loaded only when they run)', () => {
  function lazyEcho() {
    const loads: string[] = [];
    const entry = {
      name: echo.name,
      summary: echo.summary,
      load: async () => {
        loads.push(echo.name);
        return echo;
      },
    };
    return { entry, loads };
  }

  it.each([
    { argv: ['--help'], loaded: 0, code: 0 },
    { argv: ['nope'], loaded: 0, code: 2 },
    { argv: ['echo', '--help'], loaded: 1, code: 0 },
    { argv: ['echo', 'a.csv'], loaded: 1, code: 0 },
    { argv: ['echo', '--bogus'], loaded: 1, code: 2 },
  ])('$argv loads the command $loaded time(s) and exits $code', async ({ argv, loaded, code }) => {
    const { entry, loads } = lazyEcho();
    const { io } = captureIo(dir);
    expect(await main(argv, io, [entry])).toBe(code);
    expect(loads.length).toBe(loaded);
  });

  it('prints the same help and runs the same way as the loaded command', async () => {
    const { entry } = lazyEcho();
    for (const argv of [
      ['--help'],
      ['echo', '--help'],
      ['echo', '-s', 'x.json', 'a.csv'],
      ['echo', '--bogus'],
    ]) {
      const lazy = captureIo(dir);
      const eager = captureIo(dir);
      const codes = [await main(argv, lazy.io, [entry]), await main(argv, eager.io, [echo])];
      expect(codes[0]).toBe(codes[1]);
      expect({ out: lazy.out, err: lazy.err }).toEqual({ out: eager.out, err: eager.err });
    }
  });

  it('a module that fails to load is an internal error naming the command, not its message', async () => {
    const { io, out, err } = captureIo(dir);
    const entry = {
      name: 'broken',
      summary: 'cannot load',
      load: async (): Promise<Command> => {
        throw new Error(SECRET);
      },
    };
    expect(await main(['broken', 'x'], io, [entry])).toBe(2);
    expect(out).toEqual([]);
    expect(err).toEqual(['preflight broken: internal error (Error); please report it']);
  });
});
