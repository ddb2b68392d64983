import { describe, expect, it } from 'vitest';
import { type OptionSpec, parseCommandArgs, UsageError, usageOf } from './command.ts';

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
  });
});

describe('usageOf', () => {
  it('builds the synopsis and the option list from the declaration', () => {
    const text = usageOf({
      name: 'validate',
      summary: 'validate data',
      operands: '<file...>',
      options: OPTIONS,
      description: 'Validates files.',
      notes: 'Exit codes: 0 ok.',
      run: async () => 0,
    });
    expect(text).toBe(
      [
        'Usage: preflight validate [--json] [--schema <file>]... [--workers <n>] [--] <file...>',
        '',
        'Validates files.',
        '',
        'Options:',
        '  --json               print JSON',
        '  -s, --schema <file>  a contract (may be repeated)',
        '  --workers <n>        how many workers',
        '  -h, --help           show this help',
        '  --                   end of options: later arguments are operands, even if they start with "-"',
        '',
        'Exit codes: 0 ok.',
      ].join('\n'),
    );
  });
});
