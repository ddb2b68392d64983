import { describe, expect, it } from 'vitest';
import {
  type Command,
  type OptionSpec,
  parseCommandArgs,
  SYNOPSIS_WIDTH,
  synopsis,
  UsageError,
  usageOf,
} from './command.ts';

/** The options the next commands need (`validate --schema s.json --workers 2`), declared as data. */
const OPTIONS: OptionSpec[] = [
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
];

function parsed(args: string[]) {
  const result = parseCommandArgs(args, OPTIONS);
  return {
    operands: result.operands,
    json: result.flag('json'),
    schema: result.strings('schema'),
    workers: result.string('workers'),
  };
}

describe('parseCommandArgs', () => {
  const accepted: { description: string; input: string[]; expected: ReturnType<typeof parsed> }[] = [
    {
      description: 'operands only',
      input: ['a.csv', 'b.csv'],
      expected: { operands: ['a.csv', 'b.csv'], json: false, schema: [], workers: undefined },
    },
    {
      description: 'a boolean and a value option, anywhere among operands',
      input: ['a.csv', '--workers', '2', '--json', 'b.csv'],
      expected: { operands: ['a.csv', 'b.csv'], json: true, schema: [], workers: '2' },
    },
    {
      description: '--opt=value',
      input: ['--workers=4', 'a.csv'],
      expected: { operands: ['a.csv'], json: false, schema: [], workers: '4' },
    },
    {
      description: 'a repeated option, long, short and =, in order',
      input: ['--schema', 'a.json', '-s', 'b.json', '--schema=c.json', '-sd.json', 'x.csv'],
      expected: {
        operands: ['x.csv'],
        json: false,
        schema: ['a.json', 'b.json', 'c.json', 'd.json'],
        workers: undefined,
      },
    },
    {
      description: 'a value that starts with "-" given with =',
      input: ['--schema=-odd.json'],
      expected: { operands: [], json: false, schema: ['-odd.json'], workers: undefined },
    },
    {
      description: '"-" (standard input by convention) as an operand and as a value',
      input: ['-', '--schema', '-'],
      expected: { operands: ['-'], json: false, schema: ['-'], workers: undefined },
    },
    {
      description: 'everything after -- is an operand',
      input: ['--json', '--', '--json', '--schema', '-x', '--'],
      expected: { operands: ['--json', '--schema', '-x', '--'], json: true, schema: [], workers: undefined },
    },
  ];
  it.each(accepted)('accepts $description', ({ input, expected }) => {
    expect(parsed(input)).toEqual(expected);
  });

  const refused: { description: string; input: string[]; expected: string }[] = [
    { description: 'an unknown long option', input: ['--fix', 'a.csv'], expected: 'unknown option "--fix"' },
    { description: 'an unknown short option', input: ['-j'], expected: 'unknown option "-j"' },
    {
      description: 'an unknown option with a value',
      input: ['--p=0.01'],
      expected: 'unknown option "--p"',
    },
    {
      description: 'a missing value at the end',
      input: ['a.csv', '--workers'],
      expected: 'option "--workers" needs a value (--workers <n>)',
    },
    {
      description: 'an empty value',
      input: ['--workers=', 'a.csv'],
      expected: 'option "--workers" needs a value (--workers <n>)',
    },
    {
      description: 'a missing value followed by another option',
      input: ['--schema', '--json'],
      expected:
        'option "--schema" needs a value (-s, --schema <file>); for a value that starts with "-", write --schema=<value>',
    },
    {
      description: 'a value given to a boolean',
      input: ['--json=yes'],
      expected: 'option "--json" takes no value',
    },
    {
      description: 'a single-valued option given twice',
      input: ['--workers', '2', '--workers', '3'],
      expected: 'option "--workers" is given more than once',
    },
  ];
  it.each(refused)('refuses $description', ({ input, expected }) => {
    expect(() => parseCommandArgs(input, OPTIONS)).toThrow(new UsageError(expected));
  });

  it('refuses to read an option the command did not declare (a programming error, not usage)', () => {
    const args = parseCommandArgs([], OPTIONS);
    expect(() => args.flag('verbose')).toThrow(TypeError);
    expect(() => args.string('json')).toThrow(TypeError);
    expect(() => args.string('schema')).toThrow(TypeError); // multiple: strings() only
    expect(() => args.requiredString('workers')).toThrow(TypeError); // not declared required
  });
});

describe('parseCommandArgs: a required option', () => {
  const options: OptionSpec[] = [
    ...OPTIONS,
    { name: 'key', type: 'string', valueName: 'column', description: 'the key', required: true },
  ];

  it('is read with requiredString() when given', () => {
    expect(parseCommandArgs(['a.csv', '--key', 'mrn'], options).requiredString('key')).toBe('mrn');
  });

  it('is refused when left out, named with its value', () => {
    expect(() => parseCommandArgs(['a.csv', '--json'], options)).toThrow(
      new UsageError('--key <column> is required'),
    );
  });
});

describe('parseCommandArgs: an option that may stand alone', () => {
  const options: OptionSpec[] = [
    ...OPTIONS,
    { name: 'trust', type: 'string', valueName: 'addresses', whenBare: 'loopback', description: 'proxies' },
  ];

  it.each([
    { input: ['--trust'], trust: 'loopback', operands: [] },
    { input: ['--trust', '--json'], trust: 'loopback', operands: [] },
    { input: ['--trust', '10.0.0.5'], trust: '10.0.0.5', operands: [] },
    { input: ['--trust=10.0.0.5'], trust: '10.0.0.5', operands: [] },
    { input: ['--', '--trust'], trust: undefined, operands: ['--trust'] },
  ])('reads $input as $trust', ({ input, trust, operands }) => {
    const args = parseCommandArgs(input, options);
    expect([args.string('trust'), args.operands]).toEqual([trust, operands]);
  });

  it('shows its value as optional in the help', () => {
    const command = { name: 'c', summary: 's', operands: '', options, description: 'd', examples: [] };
    expect(usageOf(command as unknown as Command)).toContain('--trust [<addresses>]');
  });
});

describe('usageOf', () => {
  const command: Command = {
    name: 'check',
    summary: 'check data',
    operands: '<file...>',
    options: [
      ...OPTIONS,
      { name: 'key', type: 'string', valueName: 'column', description: 'the key', required: true },
    ],
    description: 'Validates files.',
    notes: 'Exit codes: 0 ok.',
    examples: [
      { args: ['a.csv', '--key', 'mrn'], does: 'validate a file', exits: 0 },
      { args: ['b c.csv', "--key=it's"], does: 'a name a shell must quote', exits: 1 },
    ],
    run: async () => 0,
  };

  it('builds the synopsis, the option list and the examples from the declaration', () => {
    expect(usageOf(command)).toBe(
      [
        'Usage: preflight check --key <column> [--json] [--schema <file>]... [--workers <n>] [--] <file...>',
        '',
        'Validates files.',
        '',
        'Options:',
        '  --json               print JSON',
        '  -s, --schema <file>  a contract (may be repeated)',
        '  --workers <n>        how many workers',
        '  --key <column>       the key (required)',
        '  -h, --help           show this help',
        '  --                   end of options: later arguments are operands, even if they start with "-"',
        '',
        'Exit codes: 0 ok.',
        '',
        'Examples:',
        '  # validate a file',
        '  preflight check a.csv --key mrn',
        '  # a name a shell must quote (exit 1)',
        `  preflight check 'b c.csv' '--key=it'\\''s'`,
      ].join('\n'),
    );
  });

  it('names the optional options "[options]" when listing them would make the line too wide', () => {
    const wide = { ...command, name: 'workflow check' };
    expect(synopsis(wide)).toBe('Usage: preflight workflow check --key <column> [options] [--] <file...>');
    expect(synopsis(command).length).toBeLessThanOrEqual(SYNOPSIS_WIDTH);
  });

  it('leaves "[--]" out of the synopsis of a command without operands', () => {
    expect(synopsis({ ...command, operands: '', options: [] })).toBe('Usage: preflight check');
  });
});
