/**
 * The kinds of record a project keeps on the team server when it is shared, and how each is read
 * out of a local project and put back into one: check sets (a dataset's layout and bindings),
 * contracts, mappings, waivers, sample plans, the sign-off roster, readiness records (each form
 * of the Readiness workspace is one record), steering decisions, and report summaries (a run's
 * counts, SHA-256s and each problem's rule, place and count per file — never a message, an
 * example, a row or a profile).
 *
 * Constraints:
 * - One table drives the server's validation, the never-sent guard and the app's sync, so the
 *   three cannot disagree: a kind is added here and nowhere else.
 * - Every body is validated against its format's schema (src/formats) where one exists; a
 *   readiness record or a steering decision is checked as the project schema checks it inside
 *   a project's settings.
 * - `recordsOf` gives the same ids and bodies for the same project, so a body's SHA-256 tells
 *   whether it changed since it was last sent.
 */

import { PROJECT_COMMAND_CENTRE_KEY, PROJECT_CUTOVER_RUNBOOK_KEY } from '../../formats/cutover.ts';
import { PROJECT_DATA_DICTIONARY_KEY } from '../../formats/dataDictionary.ts';
import {
  validateDataset,
  validateMapping,
  validateProjectMeta,
  validateSamplePlan,
  validateSchemaDoc,
  validateWaiver,
} from '../../formats/generated/validators.js';
import {
  PROJECT_COMMUNICATION_PLAN_KEY,
  PROJECT_DRESS_REHEARSAL_KEY,
  PROJECT_PARTNER_READINESS_KEY,
} from '../../formats/goLivePreparation.ts';
import type { Mapping } from '../../formats/mapping.ts';
import type { Dataset, Project, SchemaDoc } from '../../formats/project.ts';
import { PROJECT_READINESS_GATES_KEY } from '../../formats/readinessGates.ts';
import type { IssueSeverity, Report, ReportInput } from '../../formats/report.ts';
import { PROJECT_ROLE_OWNERS_KEY } from '../../formats/roleOwners.ts';
import { PROJECT_ROLLBACK_PLAN_KEY } from '../../formats/rollbackPlan.ts';
import type { Roster } from '../../formats/roster.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import { PROJECT_SAFETY_ASSESSMENT_KEY, PROJECT_STEERING_DECISIONS_KEY } from '../../formats/steering.ts';
import { PROJECT_STEERING_MEETING_KEY } from '../../formats/steeringMeeting.ts';
import { PROJECT_TRAINING_RECORD_KEY } from '../../formats/trainingRecord.ts';
import { PROJECT_WAIVERS_KEY, type Waiver } from '../../formats/waivers.ts';
import { canonicalSha256Hex } from '../hash/index.ts';
import type { ProjectChange } from '../project/changes.ts';
import { addRosterChange, RosterError } from '../signoff/signing/index.ts';
import { inputVerdicts, runProblems } from '../validation/index.ts';

/** The kinds of shared record, as the server and its API name them. */
export const SHARED_RECORD_KINDS = [
  'check-set',
  'contract',
  'mapping',
  'waiver',
  'sample-plan',
  'roster',
  'readiness-record',
  'steering-decision',
  'report-summary',
] as const;
/** One kind of shared record. */
export type SharedRecordKind = (typeof SHARED_RECORD_KINDS)[number];

/**
 * The settings keys of the Readiness workspace's forms (the go/no-go meeting record among them),
 * and of the data dictionary whose links the board's failing data reads: each is one readiness
 * record, by its key.
 */
export const READINESS_RECORD_KEYS = [
  PROJECT_READINESS_GATES_KEY,
  PROJECT_TRAINING_RECORD_KEY,
  PROJECT_ROLE_OWNERS_KEY,
  PROJECT_ROLLBACK_PLAN_KEY,
  PROJECT_CUTOVER_RUNBOOK_KEY,
  PROJECT_COMMAND_CENTRE_KEY,
  PROJECT_DRESS_REHEARSAL_KEY,
  PROJECT_COMMUNICATION_PLAN_KEY,
  PROJECT_PARTNER_READINESS_KEY,
  PROJECT_SAFETY_ASSESSMENT_KEY,
  PROJECT_STEERING_MEETING_KEY,
  PROJECT_DATA_DICTIONARY_KEY,
] as const;

/**
 * One input of a report as the server keeps it: its name, counts and SHA-256. The counts after
 * `records` are the run's own verdict of the file (`inputVerdicts`, with the problems the run's
 * waivers accepted set aside), so every member's Readiness judges the file as the browser that ran
 * it did; they are absent in summaries shared before they were added.
 */
export interface ReportSummaryInput {
  name: string;
  records: number;
  bytes?: number;
  sha256?: string;
  /** the id of the project's dataset (check set) the file was checked as, when the run knew it */
  dataset?: string;
  /** records with at least one error the run's waivers did not accept */
  invalid?: number;
  /** error occurrences the run's waivers accepted */
  accepted?: number;
  /** findings across records and files in the file (repeated keys, missing references…) */
  acrossFiles?: number;
  /**
   * the file's kind (`csv`, `fhir-json`…) and the column contract it was checked against, so the
   * runs of one check form one series and their files pair as a comparison pairs them; absent in
   * summaries shared before they were added
   */
  kind?: ReportInput['kind'];
  schema?: string;
}

/**
 * One problem of a run as the server keeps it: its rule, place (a column name or a FHIR location),
 * severity and occurrences, and the file it lies in (the index of its input) when the run could
 * tell — never a message, an example or a row.
 */
export interface ReportSummaryProblem {
  rule: string;
  location: string;
  severity: IssueSeverity;
  count: number;
  file?: number;
}

/** A report as the server keeps it: the counts and the hashes, nothing of any record. */
export interface ReportSummary {
  id: string;
  generatedAt: string;
  summary: Report['summary'];
  inputs: ReportSummaryInput[];
  /** SHA-256 of the whole report's canonical JSON, as kept in the browser that ran it */
  sha256: string;
  /**
   * every problem of the run, counted as a rehearsal comparison counts them (its problems across
   * records and files under their engine rules), so every member compares two runs per file; absent
   * in summaries shared before it was added, and when the run had too many to keep
   */
  problems?: ReportSummaryProblem[];
  /** the problems the run had when there were too many to keep in `problems` */
  problemsLeftOut?: number;
}

/** One record of a local project, as it is sent. */
export interface LocalRecord {
  kind: SharedRecordKind;
  id: string;
  body: unknown;
}

/** How one kind is read, checked and put back. */
interface KindRule {
  /** in the words of the screen, one and many */
  one: string;
  many: string;
  /** the format's check; the first problem's place, or undefined when the body is well formed */
  problem(body: unknown, id: string): string | undefined;
  /** this kind's records in `project` */
  recordsOf(project: Project): { id: string; body: unknown }[];
  /**
   * The changes that make `project` hold `body` (null: no such record) as record `id`. Absent
   * where the kind is kept on the server only; undefined where this body cannot be put into this
   * project as it is (a roster whose chain went apart from the local one): the person chooses.
   */
  put?(project: Project, id: string, body: unknown | null): ProjectChange[] | undefined;
}

const NOW = '2000-01-01T00:00:00Z';
/** The first error's place of an ajv validator that refused. */
const where = (errors: { instancePath?: string }[] | null | undefined, prefix = '') =>
  (errors?.[0]?.instancePath ?? '').replace(prefix, '') || '/';
const checked =
  (validate: { (data: unknown): boolean; errors?: { instancePath?: string }[] | null }) =>
  (body: unknown): string | undefined =>
    validate(body) ? undefined : where(validate.errors);
/** A body checked as the project schema checks settings[`key`]. */
function settingsProblem(key: string, value: unknown): string | undefined {
  const meta = { id: 'p', name: 'p', createdAt: NOW, updatedAt: NOW, settings: { [key]: value } };
  return validateProjectMeta(meta) ? undefined : where(validateProjectMeta.errors, `/settings/${key}`);
}
const idOf = (body: unknown) =>
  typeof body === 'object' && body !== null ? (body as { id?: unknown }).id : undefined;
const sameId = (body: unknown, id: string) => (idOf(body) === id ? undefined : '/id');

/** Settings with list `key` holding `body` at id `id` (removed when null), in place. */
function withListed(
  settings: Readonly<Record<string, unknown>>,
  key: string,
  id: string,
  body: unknown | null,
): Record<string, unknown> {
  const list = Array.isArray(settings[key]) ? (settings[key] as unknown[]) : [];
  const at = list.findIndex((item) => idOf(item) === id);
  const next =
    body === null
      ? list.filter((_, i) => i !== at)
      : at < 0
        ? [...list, body]
        : list.map((item, i) => (i === at ? body : item));
  const out = { ...settings, [key]: next };
  if (next.length === 0) delete out[key];
  return out;
}

/**
 * The problems a summary keeps: at most {@link MAX_SUMMARY_PROBLEMS}, in at most
 * {@link MAX_SUMMARY_PROBLEM_BYTES} of JSON (a summary over the server's size limit would not be
 * kept at all, and the run would count for no one's Readiness); otherwise none, and how many.
 */
function summaryProblems(report: Report): Pick<ReportSummary, 'problems' | 'problemsLeftOut'> {
  const files = new Map(report.inputs.map((input, i) => [input.name, i]));
  const problems = runProblems(report)
    .filter((p) => p.count > 0)
    .map(({ issue, count, input }): ReportSummaryProblem => {
      const file = input === undefined ? undefined : files.get(input);
      return {
        rule: issue.rule,
        location: issue.location,
        severity: issue.severity,
        count,
        ...(file === undefined ? {} : { file }),
      };
    });
  const fits =
    problems.length <= MAX_SUMMARY_PROBLEMS &&
    new TextEncoder().encode(JSON.stringify(problems)).length <= MAX_SUMMARY_PROBLEM_BYTES;
  return fits ? { problems } : { problemsLeftOut: problems.length };
}

/** The report summary of `report`: what the server keeps of a run. */
export function reportSummaryOf(report: Report & { id: string }): ReportSummary {
  const verdicts = inputVerdicts(report);
  return {
    id: report.id,
    generatedAt: report.generatedAt,
    summary: { ...report.summary },
    inputs: report.inputs.map((input, i) => {
      const verdict = verdicts[i];
      // a report that does not count this input's records (several inputs, no per-input counts)
      // says nothing of its share: the summary says nothing either
      const counted = verdict !== undefined && (input.valid !== undefined || report.inputs.length === 1);
      return {
        name: input.name,
        records: input.records,
        ...(input.bytes === undefined ? {} : { bytes: input.bytes }),
        ...(input.sha256 === undefined ? {} : { sha256: input.sha256 }),
        ...(input.dataset === undefined ? {} : { dataset: input.dataset }),
        ...(counted
          ? { invalid: verdict.invalid, accepted: verdict.accepted, acrossFiles: verdict.crossFile }
          : {}),
        kind: input.kind,
        ...(input.schema === undefined ? {} : { schema: input.schema }),
      };
    }),
    sha256: canonicalSha256Hex(report),
    ...summaryProblems(report),
  };
}

const SHA = /^[0-9a-f]{64}$/;
/** A report summary's shape, closed: anything more than counts and hashes is refused. */
function reportSummaryProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return '/';
  const b = body as Record<string, unknown>;
  const allowed = new Set([
    'id',
    'generatedAt',
    'summary',
    'inputs',
    'sha256',
    'problems',
    'problemsLeftOut',
  ]);
  const extra = Object.keys(b).find((k) => !allowed.has(k));
  if (extra !== undefined) return `/${extra}`;
  if (typeof b.id !== 'string' || b.id === '') return '/id';
  if (typeof b.generatedAt !== 'string' || b.generatedAt.length > 64) return '/generatedAt';
  if (typeof b.sha256 !== 'string' || !SHA.test(b.sha256)) return '/sha256';
  const s = b.summary;
  if (typeof s !== 'object' || s === null || Array.isArray(s)) return '/summary';
  for (const [k, v] of Object.entries(s))
    if (!(Number.isInteger(v) && (v as number) >= 0)) return `/summary/${k}`;
  if (!Array.isArray(b.inputs) || b.inputs.length > MAX_SUMMARY_INPUTS) return '/inputs';
  for (const [i, input] of b.inputs.entries()) {
    if (typeof input !== 'object' || input === null) return `/inputs/${i}`;
    const { name, records, bytes, sha256, dataset, invalid, accepted, acrossFiles, kind, schema, ...rest } =
      input as Record<string, unknown>;
    if (Object.keys(rest).length > 0) return `/inputs/${i}/${Object.keys(rest)[0]}`;
    if (typeof name !== 'string' || name.length > 500) return `/inputs/${i}/name`;
    if (kind !== undefined && !(INPUT_KINDS as readonly unknown[]).includes(kind)) return `/inputs/${i}/kind`;
    if (schema !== undefined && !(typeof schema === 'string' && schema.length <= 500))
      return `/inputs/${i}/schema`;
    if (!Number.isInteger(records)) return `/inputs/${i}/records`;
    if (dataset !== undefined && !(typeof dataset === 'string' && dataset.length <= 200))
      return `/inputs/${i}/dataset`;
    for (const [key, n] of Object.entries({ invalid, accepted, acrossFiles }))
      if (n !== undefined && !(Number.isInteger(n) && (n as number) >= 0)) return `/inputs/${i}/${key}`;
    if (bytes !== undefined && !Number.isInteger(bytes)) return `/inputs/${i}/bytes`;
    if (sha256 !== undefined && !(typeof sha256 === 'string' && SHA.test(sha256)))
      return `/inputs/${i}/sha256`;
  }
  return summaryProblemsProblem(b.problems, b.problemsLeftOut, b.inputs.length);
}

/** The problems of a report summary, closed as the summary is: rule, place, severity, count, file. */
function summaryProblemsProblem(problems: unknown, leftOut: unknown, inputs: number): string | undefined {
  if (leftOut !== undefined && !(Number.isInteger(leftOut) && (leftOut as number) >= 0))
    return '/problemsLeftOut';
  if (problems === undefined) return undefined;
  if (!Array.isArray(problems) || problems.length > MAX_SUMMARY_PROBLEMS) return '/problems';
  for (const [i, problem] of problems.entries()) {
    if (typeof problem !== 'object' || problem === null || Array.isArray(problem)) return `/problems/${i}`;
    const { rule, location, severity, count, file, ...rest } = problem as Record<string, unknown>;
    if (Object.keys(rest).length > 0) return `/problems/${i}/${Object.keys(rest)[0]}`;
    if (typeof rule !== 'string' || rule === '' || rule.length > 200) return `/problems/${i}/rule`;
    if (typeof location !== 'string' || location.length > 500) return `/problems/${i}/location`;
    if (!(SEVERITIES as readonly unknown[]).includes(severity)) return `/problems/${i}/severity`;
    if (!(Number.isInteger(count) && (count as number) >= 0)) return `/problems/${i}/count`;
    if (file !== undefined && !(Number.isInteger(file) && (file as number) >= 0 && (file as number) < inputs))
      return `/problems/${i}/file`;
  }
  return undefined;
}
/** Inputs one report summary names (a rehearsal has a few files; a big one some dozens). */
const MAX_SUMMARY_INPUTS = 1000;
/**
 * Problems one report summary keeps: a report groups them by rule and place per file, so a
 * rehearsal of some dozens of files with some dozens of columns each stays far below.
 */
const MAX_SUMMARY_PROBLEMS = 2000;
/** The JSON of a summary's problems, at most: half of what the server keeps of one record. */
const MAX_SUMMARY_PROBLEM_BYTES = 256 * 1024;
/** The kinds of input a report names (its format's `ReportInput.kind`). */
const INPUT_KINDS: readonly ReportInput['kind'][] = ['csv', 'fhir-json', 'ndjson', 'fhir-server'];
/** The severities of a report's issues (its format's `IssueSeverity`). */
const SEVERITIES: readonly IssueSeverity[] = ['fatal', 'error', 'warning', 'information'];

/** The table: one row per kind. */
export const KIND_RULES: Readonly<Record<SharedRecordKind, KindRule>> = {
  'check-set': {
    one: 'check set',
    many: 'check sets',
    problem: (body, id) => checked(validateDataset)(body) ?? sameId(body, id),
    recordsOf: (p) => p.datasets.map((d) => ({ id: d.id, body: d })),
    put: (_p, id, body) =>
      body === null ? [{ type: 'dataset/remove', id }] : [{ type: 'dataset/put', dataset: body as Dataset }],
  },
  contract: {
    one: 'contract',
    many: 'contracts',
    problem: (body, id) => checked(validateSchemaDoc)(body) ?? sameId(body, id),
    recordsOf: (p) => p.schemas.map((s) => ({ id: s.id, body: s })),
    put: (_p, id, body) =>
      body === null ? [{ type: 'schema/remove', id }] : [{ type: 'schema/put', schema: body as SchemaDoc }],
  },
  mapping: {
    one: 'mapping',
    many: 'mappings',
    problem: (body, id) => checked(validateMapping)(body) ?? sameId(body, id),
    recordsOf: (p) => p.mappings.map((m) => ({ id: m.id, body: m })),
    put: (_p, id, body) =>
      body === null ? [{ type: 'mapping/remove', id }] : [{ type: 'mapping/put', mapping: body as Mapping }],
  },
  waiver: {
    one: 'accepted issue',
    many: 'accepted issues',
    problem: (body, id) => checked(validateWaiver)(body) ?? sameId(body, id),
    recordsOf: (p) => {
      const list = p.meta.settings[PROJECT_WAIVERS_KEY];
      return Array.isArray(list) ? (list as Waiver[]).map((w) => ({ id: w.id, body: w })) : [];
    },
    put: (p, id, body) => [
      { type: 'project/settings', settings: withListed(p.meta.settings, PROJECT_WAIVERS_KEY, id, body) },
    ],
  },
  'sample-plan': {
    one: 'sample plan',
    many: 'sample plans',
    problem: (body, id) => checked(validateSamplePlan)(body) ?? sameId(body, id),
    recordsOf: (p) => p.samplePlans.map((s) => ({ id: s.id, body: s })),
    put: (_p, id, body) =>
      body === null
        ? [{ type: 'samplePlan/remove', id }]
        : [{ type: 'samplePlan/put', samplePlan: body as SamplePlan }],
  },
  roster: {
    one: 'sign-off roster',
    many: 'sign-off rosters',
    // the roster is a chain of lead-confirmed changes: it is put back by its own changes only
    problem: (body, id) => (id !== 'roster' ? '/id' : rosterProblem(body)),
    recordsOf: (p) => (p.meta.roster === undefined ? [] : [{ id: 'roster', body: p.meta.roster }]),
    put: (p, _id, body) => rosterCatchUp(p.meta.roster, body),
  },
  'readiness-record': {
    one: 'readiness record',
    many: 'readiness records',
    problem: (body, id) =>
      (READINESS_RECORD_KEYS as readonly string[]).includes(id) ? settingsProblem(id, body) : '/id',
    recordsOf: (p) =>
      READINESS_RECORD_KEYS.filter((key) => p.meta.settings[key] !== undefined).map((key) => ({
        id: key,
        body: p.meta.settings[key],
      })),
    put: (p, id, body) => {
      const settings = { ...p.meta.settings };
      if (body === null) delete settings[id];
      else settings[id] = body;
      return [{ type: 'project/settings', settings }];
    },
  },
  'steering-decision': {
    one: 'steering decision',
    many: 'steering decisions',
    problem: (body, id) => settingsProblem(PROJECT_STEERING_DECISIONS_KEY, [body]) ?? sameId(body, id),
    recordsOf: (p) => {
      const list = p.meta.settings[PROJECT_STEERING_DECISIONS_KEY];
      return Array.isArray(list) ? list.map((d) => ({ id: String(idOf(d)), body: d })) : [];
    },
    put: (p, id, body) => [
      {
        type: 'project/settings',
        settings: withListed(p.meta.settings, PROJECT_STEERING_DECISIONS_KEY, id, body),
      },
    ],
  },
  'report-summary': {
    one: 'report summary',
    many: 'report summaries',
    problem: (body, id) => reportSummaryProblem(body) ?? sameId(body, id),
    recordsOf: (p) => p.reports.map((r) => ({ id: r.id, body: reportSummaryOf(r) })),
  },
};

/**
 * The changes that bring a local roster to a pulled one, as `roster/change`s (each folded by the
 * roster's own rules, with its audit entry, as if the lead had made it here): the pulled chain's
 * changes after the local ones, when the local chain is where the pulled one starts. None when
 * the local chain is the longer (it is sent instead). Undefined — the person chooses — when the
 * two chains went apart, when the pulled roster was removed, or when a change of it would be
 * refused here.
 */
function rosterCatchUp(local: Roster | undefined, body: unknown): ProjectChange[] | undefined {
  if (body === null || typeof body !== 'object' || !Array.isArray((body as Roster).changes)) return undefined;
  const theirs = (body as Roster).changes;
  const mine = local?.changes ?? [];
  const shared = Math.min(mine.length, theirs.length);
  for (let i = 0; i < shared; i++)
    if (canonicalSha256Hex(mine[i]) !== canonicalSha256Hex(theirs[i])) return undefined;
  const missing = theirs.slice(mine.length);
  try {
    missing.reduce<Roster | undefined>((roster, change) => addRosterChange(roster, change), local);
  } catch (error) {
    if (error instanceof RosterError) return undefined;
    throw error;
  }
  return missing.map((change) => ({ type: 'roster/change', change }));
}

function rosterProblem(body: unknown): string | undefined {
  const meta = { id: 'p', name: 'p', createdAt: NOW, updatedAt: NOW, settings: {}, roster: body };
  return validateProjectMeta(meta) ? undefined : where(validateProjectMeta.errors, '/roster');
}

/** Every record of `project` that is shared, kind by kind in table order. */
export function localRecords(project: Project): LocalRecord[] {
  return SHARED_RECORD_KINDS.flatMap((kind) =>
    KIND_RULES[kind].recordsOf(project).map(({ id, body }) => ({ kind, id, body })),
  );
}

/** The SHA-256 a record's body is known by: of its RFC 8785 canonical JSON ("" for a removal). */
export function recordSha256(body: unknown | null): string {
  return body === null ? '' : canonicalSha256Hex(body);
}
