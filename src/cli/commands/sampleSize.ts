/**
 * `preflight sample-size --p <rate> [--confidence <level>] [--c <count>] [--population <N>] [--json]`:
 * how many records a clinician must review, and why — the same `sampleSize` the sample-plan screen
 * calls, so both print the same number and explanation.
 *
 * Constraints:
 * - Numbers are parsed strictly (a plain decimal such as 0.02 or 1e-3; no "2 %"): a typo must not
 *   silently become another plan. A value out of range is bad usage (exit 2) and the message names
 *   the option and its valid range.
 * - stdout carries only the result, so it can be piped; `--json` output starts with `n`.
 */
import {
  DEFAULT_ACCEPTANCE_NUMBER,
  type SampleSizeResult,
  type StatisticsField,
  StatisticsInputError,
  sampleSize,
} from '../../core/signoff/sampling/index.ts';
import { type CliIo, type Command, EXIT_OK, type ParsedArgs, UsageError, writeResult } from '../command.ts';

/** The default confidence of a sample plan (95 %), used when `--confidence` is not given. */
const DEFAULT_CONFIDENCE = 0.95;

/** Which option carries each input, to name it in messages. */
const OPTION_OF: Partial<Record<StatisticsField, string>> = {
  targetErrorRate: '--p',
  confidence: '--confidence',
  acceptanceNumber: '--c',
  population: '--population',
};

/** A plain decimal number, optionally signed and with an exponent: what `Number()` reads without surprises. */
const DECIMAL = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

function plainNumber(name: string, text: string, example: string): number {
  if (!DECIMAL.test(text)) throw new UsageError(`--${name} needs a plain number (e.g. --${name} ${example})`);
  return Number(text);
}

function numberOption(args: ParsedArgs, name: string, example: string): number | undefined {
  const text = args.string(name);
  return text === undefined ? undefined : plainNumber(name, text, example);
}

/** The human-readable answer: the size, then the explanation, one step a line. */
function describeSampleSize(result: SampleSizeResult): string {
  const where =
    result.population === null ? 'an unlimited population' : `a stratum of ${result.population} records`;
  return [`n = ${result.n} (${result.method}, ${where})`, ...result.steps.map((step) => `  ${step}`)].join(
    '\n',
  );
}

/** The `preflight sample-size` command. */
export const sampleSizeCommand: Command = {
  name: 'sample-size',
  summary: 'how many records clinicians must review for a target error rate, and why',
  operands: '',
  options: [
    {
      name: 'p',
      type: 'string',
      valueName: 'rate',
      description: 'target maximum error rate, e.g. 0.02 for 2 %',
      required: true,
    },
    {
      name: 'confidence',
      type: 'string',
      valueName: 'level',
      description: `confidence C, e.g. 0.95 (default ${DEFAULT_CONFIDENCE})`,
    },
    {
      name: 'c',
      type: 'string',
      valueName: 'count',
      description: `acceptance number: errors allowed in the sample (default ${DEFAULT_ACCEPTANCE_NUMBER})`,
    },
    {
      name: 'population',
      type: 'string',
      valueName: 'N',
      description: 'records in the stratum: gives the exact (hypergeometric) size, never more than N',
    },
    { name: 'json', type: 'boolean', description: 'print JSON: n, the method and the numbers behind it' },
  ],
  description: [
    'Prints the smallest sample size n such that a stratum whose error rate is p or worse passes',
    '(shows at most c errors) with probability at most 1 − C, with the formula and numbers used.',
    'Without --population the population is taken as unlimited (binomial; with c = 0,',
    'n = ⌈ln(1 − C)/ln(1 − p)⌉); with it, the exact hypergeometric size for N records.',
  ].join('\n'),
  notes:
    'Exit codes: 0 ok, 2 bad usage (a missing or out-of-range value: the message gives the valid range).',
  examples: [
    {
      args: ['--p', '0.02'],
      does: 'records to review to catch an error rate of 2 % or worse, 95 % confident',
      exits: 0,
    },
    {
      args: ['--p', '0.02', '--population', '4738'],
      does: 'the same for a stratum of 4,738 records: exact, a little smaller',
      exits: 0,
    },
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    if (args.operands.length > 0) throw new UsageError('this command takes no operands, only options');
    const targetErrorRate = plainNumber('p', args.requiredString('p'), '0.02');
    const confidence = numberOption(args, 'confidence', '0.95') ?? DEFAULT_CONFIDENCE;
    const acceptanceNumber = numberOption(args, 'c', '0') ?? DEFAULT_ACCEPTANCE_NUMBER;
    const population = numberOption(args, 'population', '5000');
    let result: SampleSizeResult;
    try {
      result = sampleSize({ targetErrorRate, confidence, acceptanceNumber, population });
    } catch (error) {
      if (error instanceof StatisticsInputError) {
        const option = OPTION_OF[error.field];
        throw new UsageError(option ? `${option}: ${error.message}` : error.message);
      }
      throw error;
    }
    // n and the method first: what a reader of the JSON looks for
    const { n, method, ...numbers } = result;
    writeResult(
      io,
      args.flag('json'),
      args.flag('json') ? JSON.stringify({ n, method, ...numbers }, null, 2) : describeSampleSize(result),
    );
    return EXIT_OK;
  },
};
