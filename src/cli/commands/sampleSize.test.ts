import { describe, expect, it } from 'vitest';
import { captureIo, runCli } from '../cliTestKit.ts';
import { EXIT_OK, EXIT_USAGE } from '../command.ts';
import { main } from '../main.ts';

function run(args: string[]) {
  return runCli(['sample-size', ...args], '.');
}

describe('preflight sample-size', () => {
  const table: { description: string; args: string[]; n: number; method: string }[] = [
    {
      description: 'p = 1 %, C = 95 %',
      args: ['--p', '0.01', '--confidence', '0.95'],
      n: 299,
      method: 'binomial',
    },
    { description: 'p = 2 % at the default C = 95 %', args: ['--p', '0.02'], n: 149, method: 'binomial' },
    { description: 'p = 5 %, C = 95 %', args: ['--p=0.05', '--confidence=0.95'], n: 59, method: 'binomial' },
    {
      description: 'p = 5 %, C = 99 %',
      args: ['--p', '0.05', '--confidence', '0.99'],
      n: 90,
      method: 'binomial',
    },
    {
      description: 'c = 1',
      args: ['--p', '0.05', '--confidence', '0.95', '--c', '1'],
      n: 93,
      method: 'binomial',
    },
    { description: 'N = 200', args: ['--p', '0.05', '--population', '200'], n: 51, method: 'hypergeometric' },
    {
      description: 'N = 10 (a census)',
      args: ['--p', '0.05', '--population', '10'],
      n: 10,
      method: 'census',
    },
  ];

  it.each(table)('--json gives n and the method for $description', async ({ args, n, method }) => {
    const { code, out, err } = await run([...args, '--json']);
    expect(code).toBe(EXIT_OK);
    expect(err).toBe('');
    const json = JSON.parse(out) as Record<string, unknown>;
    expect(Object.keys(json).slice(0, 2)).toEqual(['n', 'method']);
    expect(json).toMatchObject({ n, method });
    expect(json.steps).toBeInstanceOf(Array);
  });

  it('prints the size and why in words', async () => {
    const { code, out } = await run(['--p', '0.01', '--confidence', '0.95']);
    expect(code).toBe(EXIT_OK);
    expect(out.split('\n')[0]).toBe('n = 299 (binomial, an unlimited population)');
    expect(out).toContain('⌈ln(0.05) / ln(0.99)⌉ = ⌈298.1⌉ = 299');
  });

  it('--json carries the numbers behind a finite stratum’s size', async () => {
    const { out } = await run(['--p', '0.05', '--population', '200', '--json']);
    expect(JSON.parse(out)).toMatchObject({
      population: 200,
      defectives: 10,
      unlimitedPopulationN: 59,
      targetErrorRate: 0.05,
      confidence: 0.95,
      acceptanceNumber: 0,
    });
  });

  const usage: { description: string; args: string[]; message: string }[] = [
    {
      description: '--p 1.5',
      args: ['--p', '1.5'],
      message: '--p: the target error rate p must be a number strictly between 0 and 1 (e.g. 0.02 for 2 %)',
    },
    {
      description: 'a negative --p',
      args: ['--p=-0.1'],
      message: '--p: the target error rate p must be a number strictly between 0 and 1',
    },
    {
      description: '--p that is not a number',
      args: ['--p', '2%'],
      message: '--p needs a plain number (e.g. --p 0.02)',
    },
    {
      description: 'no --p',
      args: ['--confidence', '0.95'],
      message: '--p <rate> is required',
    },
    {
      description: '--confidence 95 (a percentage)',
      args: ['--p', '0.02', '--confidence', '95'],
      message: '--confidence: the confidence C must be a number strictly between 0 and 1',
    },
    {
      description: 'a fractional --c',
      args: ['--p', '0.02', '--c', '0.5'],
      message: '--c: the acceptance number c must be a whole number ≥ 0',
    },
    {
      description: 'a negative --population',
      args: ['--p', '0.02', '--population=-3'],
      message: '--population: the population N must be a whole number ≥ 0',
    },
    {
      description: 'an operand',
      args: ['--p', '0.02', 'plan.json'],
      message: 'this command takes no operands, only options',
    },
    { description: 'an unknown option', args: ['--p', '0.02', '--n', '3'], message: 'unknown option "--n"' },
  ];
  it.each(usage)('exits 2 on $description, saying what is wrong', async ({ args, message }) => {
    const { code, out, err } = await run(args);
    expect(code).toBe(EXIT_USAGE);
    expect(out).toBe('');
    expect(err).toContain(`preflight sample-size: ${message}`);
    expect(err).toContain('Usage: preflight sample-size');
  });

  it('is listed by --help and documents its options', async () => {
    const { io, out } = captureIo('.');
    expect(await main(['--help'], io)).toBe(EXIT_OK);
    expect(out.join('\n')).toContain('sample-size');
    const help = await run(['--help']);
    expect(help.code).toBe(EXIT_OK);
    for (const option of [
      '--p <rate>',
      '--confidence <level>',
      '--c <count>',
      '--population <N>',
      '--json',
    ]) {
      expect(help.out).toContain(option);
    }
  });
});
