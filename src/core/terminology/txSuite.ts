/**
 * HL7's terminology ecosystem suite (fhir-tx-ecosystem-ig, `tests/test-cases.json`) run against
 * the engine: every general-mode `validate-code`, `cs-validate-code` and `lookup` case, each suite
 * over its own code systems and value sets, so no server is needed. The unit tests and
 * `preflight fhir tx-suite` both run it through here, so the score they print is one score.
 *
 * A case is answered as expected when its `result` matches and its issue kinds (severity and
 * tx-issue-type) match as the suite compares them: every kind the expected response requires is
 * given, and every kind given is one the expected response holds (an issue it marks `$optional$`
 * may be given or not). Message texts are not compared: they differ from server to server, and
 * the suite itself checks them per server. A case whose expected response is an OperationOutcome
 * (a refusal) is as expected when the engine refuses it. A lookup case is as expected when the
 * answer matches the expected Parameters (matchesExpected says how).
 *
 * No I/O: the caller hands over a reader of the suite's files (relative to its `tests/` folder).
 */
import { lookupRequestFrom } from './lookup.ts';
import { fromParameters } from './parameters.ts';
import { createTerminologyStore } from './store.ts';
import { TerminologyError, type ValidateCodeResult } from './types.ts';
import { createValidator } from './validateCode.ts';

/** The only mode whose cases ship everything they need (the others ask SNOMED CT, OMOP, tx.fhir.org). */
const GENERAL_MODE = 'general';
/** The operations the engine answers. */
const RUN_OPERATIONS: ReadonlySet<string> = new Set(['validate-code', 'cs-validate-code', 'lookup']);

/** Reads one of the suite's files (a path as `test-cases.json` gives it) as parsed JSON. */
export type ReadSuiteFile = (file: string) => unknown;

/** The suite's index file (or its cut-down copy) is not of the shape the suite publishes. */
export class TxSuiteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TxSuiteError';
  }
}

interface SuiteTest {
  name: string;
  operation?: string;
  mode?: string;
  request: string;
  response: string;
  profile?: string;
  'Accept-Language'?: string;
}

interface Suite {
  name: string;
  mode?: string;
  setup: string[];
  tests: SuiteTest[];
}

interface Parameter {
  name: string;
  $optional$?: unknown;
  resource?: { issue?: Issue[] };
  [value: string]: unknown;
}

interface Issue {
  severity: string;
  $optional$?: unknown;
  details?: { coding?: { code?: string }[] };
}

/** One case of the suite as the engine answered it. */
export interface TxCaseOutcome {
  suite: string;
  name: string;
  /** `validate-code`, `cs-validate-code` or `lookup` */
  operation: string;
  /** the suite expects an answer (Parameters) rather than a refusal (an OperationOutcome) */
  answerExpected: boolean;
  expectedResult?: boolean;
  actualResult?: boolean;
  /** refused (the engine threw): why */
  refused?: string;
  /** issue kinds the expected response requires, as `severity/type`, sorted */
  expectedIssues: string[];
  /** issue kinds the expected response marks optional (may be given or not) */
  optionalIssues: string[];
  actualIssues: string[];
  asExpected: boolean;
}

/** A whole run: the outcomes, and the cases not run by what they are (operation, or mode). */
export interface TxSuiteRun {
  outcomes: TxCaseOutcome[];
  /** `expand (general)`, `validate-code (snomed)`, … → how many cases were not run */
  notRun: Record<string, number>;
}

/** One suite's score. */
export interface TxSuiteScore {
  suite: string;
  cases: number;
  asExpected: number;
  /** valid codes called invalid (the expected result is true, the engine said false) */
  falseAlarms: number;
}

function kinds(issues: readonly { severity: string; type: string }[]): string[] {
  return [...new Set(issues.map((i) => `${i.severity}/${i.type}`))].sort();
}

function issueKinds(issues: readonly Issue[], optional: boolean): string[] {
  return kinds(
    issues
      .filter((i) => (i.$optional$ !== undefined) === optional)
      .map((i) => ({ severity: i.severity, type: i.details?.coding?.[0]?.code ?? '' })),
  );
}

function suitesOf(index: unknown): Suite[] {
  const suites = (index as { suites?: unknown } | null)?.suites;
  if (!Array.isArray(suites))
    throw new TxSuiteError(
      'test-cases.json has no "suites" list: give the tests folder of fhir-tx-ecosystem-ig',
    );
  for (const [i, s] of suites.entries()) {
    const suite = s as Partial<Suite> | null;
    if (typeof suite?.name !== 'string' || !Array.isArray(suite.setup) || !Array.isArray(suite.tests))
      throw new TxSuiteError(`test-cases.json: suite ${i + 1} lacks a name, a setup list or a tests list`);
  }
  return suites as Suite[];
}

function resultOf(
  validate: ReturnType<typeof createValidator>,
  t: SuiteTest,
  read: ReadSuiteFile,
): { actual?: ValidateCodeResult; refused?: string } {
  const request = read(t.request) as { parameter?: Parameter[] };
  const profile = t.profile ? ((read(t.profile) as { parameter?: Parameter[] }).parameter ?? []) : [];
  try {
    const req = fromParameters(
      [...(request.parameter ?? []), ...profile],
      t.operation === 'cs-validate-code' ? 'CodeSystem' : 'ValueSet',
    );
    // the HTTP header a case sends, where the request names no language of its own
    if (req.displayLanguage === undefined && t['Accept-Language'] !== undefined)
      req.displayLanguage = t['Accept-Language'];
    return { actual: validate(req) };
  } catch (e) {
    if (!(e instanceof TerminologyError)) throw e;
    return { refused: e.message };
  }
}

const MARKERS: ReadonlySet<string> = new Set(['$optional$', '$optional-properties$']);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Whether an answer matches an expected response as the suite writes it: `$optional$` marks an
 * entry that may be absent, `$optional-properties$` names properties that may be absent, `$$`
 * stands for any value; lists match in any order, each entry given once, nothing extra.
 */
export function matchesExpected(expected: unknown, actual: unknown): boolean {
  if (expected === '$$') return actual !== undefined;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return false;
    const used = new Array<boolean>(expected.length).fill(false);
    const place = (i: number): boolean => {
      if (i === actual.length)
        return expected.every((e, j) => used[j] || (isRecord(e) && e.$optional$ !== undefined));
      for (let j = 0; j < expected.length; j++) {
        if (used[j] || !matchesExpected(expected[j], actual[i])) continue;
        used[j] = true;
        if (place(i + 1)) return true;
        used[j] = false;
      }
      return false;
    };
    return place(0);
  }
  if (isRecord(expected)) {
    if (!isRecord(actual)) return false;
    const optional = new Set(
      Array.isArray(expected['$optional-properties$']) ? (expected['$optional-properties$'] as string[]) : [],
    );
    for (const [k, v] of Object.entries(expected)) {
      if (MARKERS.has(k)) continue;
      if (actual[k] === undefined) {
        if (optional.has(k) || (isRecord(v) && v.$optional$ !== undefined)) continue;
        return false;
      }
      if (!matchesExpected(v, actual[k])) return false;
    }
    return Object.keys(actual).every((k) => k in expected);
  }
  return expected === actual;
}

/** A lookup case: the answer matched against the expected response, or the refusal. */
function lookupOutcome(
  validate: ReturnType<typeof createValidator>,
  suite: string,
  t: SuiteTest,
  read: ReadSuiteFile,
): TxCaseOutcome {
  const expected = read(t.response) as { resourceType?: string };
  const answerExpected = expected.resourceType === 'Parameters';
  let refused: string | undefined;
  let asExpected = false;
  try {
    const answer = validate.lookup(lookupRequestFrom(read(t.request) as { parameter?: Parameter[] }));
    asExpected = answerExpected && matchesExpected(expected, answer);
  } catch (e) {
    if (!(e instanceof TerminologyError)) throw e;
    refused = e.message;
    asExpected = !answerExpected;
  }
  return {
    suite,
    name: t.name,
    operation: 'lookup',
    answerExpected,
    ...(refused === undefined ? {} : { refused }),
    expectedIssues: [],
    optionalIssues: [],
    actualIssues: [],
    asExpected,
  };
}

/** Runs every general-mode validate-code case of the index; `only` restricts to case names. */
export function runTxSuite(index: unknown, read: ReadSuiteFile, only?: ReadonlySet<string>): TxSuiteRun {
  const outcomes: TxCaseOutcome[] = [];
  const notRun: Record<string, number> = {};
  for (const suite of suitesOf(index)) {
    const mode = suite.mode ?? GENERAL_MODE;
    const run = suite.tests.filter((t) => {
      const runs = mode === GENERAL_MODE && (t.mode ?? GENERAL_MODE) === GENERAL_MODE;
      if (runs && RUN_OPERATIONS.has(t.operation ?? '')) return !only || only.has(t.name);
      if (!only) {
        const what = `${t.operation ?? 'no operation'}${runs ? '' : ` (${t.mode ?? mode} mode)`}`;
        notRun[what] = (notRun[what] ?? 0) + 1;
      }
      return false;
    });
    if (run.length === 0) continue;
    const validate = createValidator(createTerminologyStore(suite.setup.map((f) => read(f))));
    for (const t of run) {
      if (t.operation === 'lookup') {
        outcomes.push(lookupOutcome(validate, suite.name, t, read));
        continue;
      }
      const { actual, refused } = resultOf(validate, t, read);
      const expected = read(t.response) as { resourceType?: string; parameter?: Parameter[] };
      const answerExpected = expected.resourceType === 'Parameters';
      const param = (name: string) => expected.parameter?.find((p) => p.name === name);
      const expectedResult = param('result')?.valueBoolean as boolean | undefined;
      const issues = param('issues')?.resource?.issue ?? [];
      const expectedIssues = issueKinds(issues, false);
      const optionalIssues = issueKinds(issues, true);
      const actualIssues = actual ? kinds(actual.issues) : [];
      const allowed = new Set([...expectedIssues, ...optionalIssues]);
      const asExpected = answerExpected
        ? actual !== undefined &&
          actual.result === expectedResult &&
          expectedIssues.every((k) => actualIssues.includes(k)) &&
          actualIssues.every((k) => allowed.has(k))
        : refused !== undefined;
      outcomes.push({
        suite: suite.name,
        name: t.name,
        operation: t.operation ?? '',
        answerExpected,
        ...(expectedResult === undefined ? {} : { expectedResult }),
        ...(actual === undefined ? {} : { actualResult: actual.result }),
        ...(refused === undefined ? {} : { refused }),
        expectedIssues,
        optionalIssues,
        actualIssues,
        asExpected,
      });
    }
  }
  return { outcomes, notRun };
}

/** A valid code called invalid: the one miss a validation must never make. */
export function isFalseAlarm(o: TxCaseOutcome): boolean {
  return (
    o.operation !== 'lookup' && o.answerExpected && o.expectedResult === true && o.actualResult === false
  );
}

/** Each suite's score, in the index's order. */
export function scoreBySuite(outcomes: readonly TxCaseOutcome[]): TxSuiteScore[] {
  const scores = new Map<string, TxSuiteScore>();
  for (const o of outcomes) {
    let s = scores.get(o.suite);
    if (!s) {
      s = { suite: o.suite, cases: 0, asExpected: 0, falseAlarms: 0 };
      scores.set(o.suite, s);
    }
    s.cases++;
    if (o.asExpected) s.asExpected++;
    if (isFalseAlarm(o)) s.falseAlarms++;
  }
  return [...scores.values()];
}
