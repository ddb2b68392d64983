/**
 * `preflight fhir tx-suite <folder> [--json]`: HL7's terminology ecosystem suite
 * (fhir-tx-ecosystem-ig, its `tests/` folder or the repository around it) run against the
 * terminology engine offline: the score per suite, each case not answered as expected with what
 * was expected and what was answered, and the cases not run by operation and mode. The core's
 * runner (src/core/terminology/txSuite.ts) does the work and says how a case is compared; the unit
 * tests run the repository's copy through the same runner.
 *
 * Output for --json: `{ folder, cases, asExpected, falseAlarms, suites, missed, notRun }`, a public
 * contract, extended compatibly only.
 *
 * Exit codes: 0 every case answered as expected, 1 a case was not, 2 bad usage or a folder that is
 * not the suite's (no test-cases.json, a file it names missing or not JSON).
 */

import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  isFalseAlarm,
  runTxSuite,
  scoreBySuite,
  type TxCaseOutcome,
  TxSuiteError,
  type TxSuiteRun,
} from '../../core/terminology/index.ts';
import {
  type CliIo,
  type Command,
  EXIT_FINDINGS,
  EXIT_OK,
  EXIT_USAGE,
  type ParsedArgs,
  UsageError,
  writeResult,
} from '../command.ts';

const INDEX = 'test-cases.json';

/** A file the suite's index names that cannot be read as JSON. */
class UnreadableSuiteFile extends Error {}

/** The folder that holds test-cases.json: the one given, or its `tests/` (the IG repository). */
function suiteFolder(folder: string, cwd: string): string {
  const given = resolve(cwd, folder);
  for (const candidate of [given, join(given, 'tests')]) {
    try {
      if (statSync(join(candidate, INDEX)).isFile()) return candidate;
    } catch {
      // not here: try the next place, then say where it was looked for
    }
  }
  throw new UnreadableSuiteFile(
    `${folder} holds no ${INDEX} (nor does ${join(folder, 'tests')}): give the tests folder of HL7's fhir-tx-ecosystem-ig`,
  );
}

function reader(folder: string): (file: string) => unknown {
  return (file) => {
    let text: string;
    try {
      text = readFileSync(join(folder, file), 'utf8');
    } catch {
      throw new UnreadableSuiteFile(`${file} cannot be read in ${folder}: the suite's copy is incomplete`);
    }
    try {
      // some of the suite's files start with a byte order mark
      return JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch {
      throw new UnreadableSuiteFile(`${file} in ${folder} is not JSON`);
    }
  };
}

function kindsText(kinds: readonly string[]): string {
  return kinds.length ? kinds.join(', ') : 'no issues';
}

function answerText(o: TxCaseOutcome, expected: boolean): string {
  if (expected)
    return o.answerExpected
      ? `${o.expectedResult === undefined ? 'an answer' : String(o.expectedResult)} with ${kindsText(o.expectedIssues)}`
      : 'a refusal';
  if (o.refused !== undefined) return `refused (${o.refused})`;
  return o.operation === 'lookup'
    ? 'an answer that differs from it'
    : `${String(o.actualResult)} with ${kindsText(o.actualIssues)}`;
}

/** The run as the terminal shows it. */
export function suiteText(folder: string, run: TxSuiteRun): string {
  const { outcomes } = run;
  const asExpected = outcomes.filter((o) => o.asExpected).length;
  const alarms = outcomes.filter(isFalseAlarm).length;
  const lines = [
    `HL7 terminology suite in ${folder}: ${asExpected} of ${outcomes.length} validate-code and lookup cases answered as expected, ${alarms} valid ${alarms === 1 ? 'code' : 'codes'} called invalid`,
  ];
  const scores = scoreBySuite(outcomes);
  const width = Math.max(0, ...scores.map((s) => s.suite.length));
  for (const s of scores)
    lines.push(
      `  ${s.suite.padEnd(width)}  ${s.asExpected} of ${s.cases}${s.falseAlarms ? `, ${s.falseAlarms} valid called invalid` : ''}`,
    );
  const missed = outcomes.filter((o) => !o.asExpected);
  if (missed.length > 0) {
    lines.push('', 'Not answered as expected:');
    for (const o of missed)
      lines.push(
        `  ${o.suite}/${o.name}${isFalseAlarm(o) ? ' (a valid code called invalid)' : ''}: expected ${answerText(o, true)}; answered ${answerText(o, false)}`,
      );
  }
  const notRun = Object.entries(run.notRun);
  if (notRun.length > 0)
    lines.push(
      '',
      `Not run (the engine answers general-mode validate-code and lookup only): ${notRun.map(([what, n]) => `${what} ${n}`).join(', ')}`,
    );
  return lines.join('\n');
}

/** The `preflight fhir tx-suite` command. */
export const fhirTxSuiteCommand: Command = {
  name: 'fhir tx-suite',
  summary:
    "run HL7's terminology test suite (validate-code and lookup cases) offline: the score and each case missed",
  operands: '<folder>',
  options: [
    {
      name: 'json',
      type: 'boolean',
      description: 'print the scores, the cases missed and the cases not run as JSON',
    },
  ],
  description: [
    "Runs HL7's terminology ecosystem suite (fhir-tx-ecosystem-ig) against the terminology engine",
    '`fhir validate-code` and the FHIR validation use: every general-mode validate-code,',
    'cs-validate-code and lookup case, each suite over its own code systems and value sets, so no',
    'server is needed. A validate-code case is answered as expected when the result and the kinds of',
    "issue (severity and tx-issue-type) are the suite's; message texts are not compared; a lookup",
    "case when the answer matches the suite's response (its optional parts may be absent). <folder> holds test-cases.json",
    '(the suite’s tests folder, or the repository around it). Prints the score per suite, each case',
    'not answered as expected (what was expected, what was answered), and how many cases of other',
    'operations and modes were not run. More: docs/cli.md#preflight-fhir-tx-suite',
  ].join('\n'),
  notes:
    'Exit codes: 0 every case answered as expected, 1 a case was not, 2 bad usage or a folder that is not the suite (no test-cases.json, a file it names missing or not JSON).',
  examples: [
    {
      args: ['fhir-tx-ecosystem-ig/tests'],
      does: 'runs the suite from a clone of HL7/fhir-tx-ecosystem-ig (exit 2 here: samples/ does not hold it)',
      exits: 2,
    },
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    if (args.operands.length !== 1)
      throw new UsageError(
        "fhir tx-suite takes one folder: the suite's tests folder (holding test-cases.json)",
      );
    const given = args.operands[0] as string;
    let run: TxSuiteRun;
    try {
      const folder = suiteFolder(given, io.cwd);
      const read = reader(folder);
      run = runTxSuite(read(INDEX), read);
    } catch (error) {
      if (!(error instanceof UnreadableSuiteFile || error instanceof TxSuiteError)) throw error;
      io.stderr(`preflight fhir tx-suite: ${error.message}`);
      return EXIT_USAGE;
    }
    const { outcomes } = run;
    const json = args.flag('json');
    writeResult(
      io,
      json,
      json
        ? JSON.stringify(
            {
              folder: given,
              cases: outcomes.length,
              asExpected: outcomes.filter((o) => o.asExpected).length,
              falseAlarms: outcomes.filter(isFalseAlarm).length,
              suites: scoreBySuite(outcomes),
              missed: outcomes.filter((o) => !o.asExpected),
              notRun: run.notRun,
            },
            null,
            2,
          )
        : suiteText(given, run),
    );
    return outcomes.every((o) => o.asExpected) ? EXIT_OK : EXIT_FINDINGS;
  },
};
