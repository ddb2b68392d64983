/**
 * The clinic's cutover runbook and go-live command centre, kept in the project's settings like the
 * rollback plan (`meta.settings.cutoverRunbook`, `#/$defs/cutoverRunbook`, and
 * `meta.settings.commandCentre`, `#/$defs/commandCentre`, of project.schema.json), so they are
 * saved and exported with the project.
 *
 * - The runbook: the steps from the data freeze to the last go/no-go checkpoint, each with its
 *   kind, owner, planned local time, the steps it waits for and its status.
 * - The command centre: where it sits, its hours, the escalation tree (each role and the people
 *   who fill it), the triage categories issues are logged under and, after go-live, the issue
 *   log itself (each issue's day, category, title and whether it is open).
 *
 * Public format: both keys are optional (projects written before them have neither) and new
 * fields are added as optional ones only. The project schema refuses a malformed record on
 * import; the readers here still skip a value of the wrong kind, so a project written by hand
 * never breaks the Readiness screen. Names and references only, never patient data.
 */
import { isPlainObject } from './loading.ts';

/** Where a project keeps its cutover runbook. */
export const PROJECT_CUTOVER_RUNBOOK_KEY = 'cutoverRunbook';
/** Where a project keeps its command centre. */
export const PROJECT_COMMAND_CENTRE_KEY = 'commandCentre';

/** What a runbook step does, in the order a cutover usually runs. */
export const CUTOVER_STEP_KINDS = [
  'freeze',
  'final-extract',
  'delta-load',
  'reconciliation',
  'conversion',
  'checkpoint',
  'other',
] as const;
export type CutoverStepKind = (typeof CUTOVER_STEP_KINDS)[number];

/** Where a step stands. */
export const CUTOVER_STEP_STATUSES = ['planned', 'in-progress', 'done', 'blocked', 'skipped'] as const;
export type CutoverStepStatus = (typeof CUTOVER_STEP_STATUSES)[number];

/** A planned local time, as a clinic writes it: YYYY-MM-DDTHH:MM (no zone: the clinic's own clock). */
export const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** One step of the runbook. */
export interface CutoverStep {
  /** unique within the runbook; what `after` refers to */
  id: string;
  kind: CutoverStepKind;
  /** what is done, in the clinic's words */
  title: string;
  /** who does it (a person or a role, by name) */
  owner?: string;
  /** when it is planned to start, local time YYYY-MM-DDTHH:MM */
  plannedAt?: string;
  /** the ids of the steps that must be done first */
  after?: string[];
  status: CutoverStepStatus;
  note?: string;
}

/** `meta.settings.cutoverRunbook`. */
export interface CutoverRunbook {
  steps: CutoverStep[];
}

/** One role of the escalation tree and the people who fill it, first to call first. */
export interface EscalationRole {
  role: string;
  people: string[];
}

/** One category issues are triaged under, with the response it promises. */
export interface TriageCategory {
  name: string;
  /** what belongs here, one sentence */
  description?: string;
  /** how fast it is answered, in the clinic's words (e.g. "15 minutes") */
  response?: string;
}

/** One issue logged at the command centre after go-live: a title in the clinic's words, never patient data. */
export interface LoggedIssue {
  id: string;
  /** the day it was logged, YYYY-MM-DD */
  day: string;
  /** the triage category it was logged under (a category's name) */
  category: string;
  title: string;
  status: 'open' | 'closed';
}

/** `meta.settings.commandCentre`. */
export interface CommandCentre {
  /** where it sits (a room, a call bridge) */
  location?: string;
  /** when it is staffed, in the clinic's words */
  hours?: string;
  /** from the first responder upwards */
  escalation: EscalationRole[];
  triage: TriageCategory[];
  /** the issue log after go-live, oldest first (absent in centres recorded before it was kept) */
  issues?: LoggedIssue[];
}

const text = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const texts = (v: unknown): string[] => (Array.isArray(v) ? v.filter(text) : []);

/** The runbook of a project's settings, or null when none is recorded; a step of the wrong shape is skipped. Never throws. */
export function readCutoverRunbook(settings: Readonly<Record<string, unknown>>): CutoverRunbook | null {
  const raw = settings[PROJECT_CUTOVER_RUNBOOK_KEY];
  if (!isPlainObject(raw) || !Array.isArray(raw.steps)) return null;
  const steps: CutoverStep[] = [];
  for (const s of raw.steps) {
    if (!isPlainObject(s) || !text(s.id) || !text(s.title)) continue;
    const kind = (CUTOVER_STEP_KINDS as readonly unknown[]).includes(s.kind)
      ? (s.kind as CutoverStepKind)
      : 'other';
    const status = (CUTOVER_STEP_STATUSES as readonly unknown[]).includes(s.status)
      ? (s.status as CutoverStepStatus)
      : 'planned';
    const step: CutoverStep = { id: s.id, kind, title: s.title, status };
    if (text(s.owner)) step.owner = s.owner;
    if (typeof s.plannedAt === 'string' && LOCAL_TIME.test(s.plannedAt)) step.plannedAt = s.plannedAt;
    const after = texts(s.after);
    if (after.length > 0) step.after = after;
    if (text(s.note)) step.note = s.note;
    steps.push(step);
  }
  return { steps };
}

/** The command centre of a project's settings, or null when none is recorded. Never throws. */
export function readCommandCentre(settings: Readonly<Record<string, unknown>>): CommandCentre | null {
  const raw = settings[PROJECT_COMMAND_CENTRE_KEY];
  if (!isPlainObject(raw)) return null;
  const centre: CommandCentre = { escalation: [], triage: [] };
  if (text(raw.location)) centre.location = raw.location;
  if (text(raw.hours)) centre.hours = raw.hours;
  if (Array.isArray(raw.escalation))
    for (const e of raw.escalation)
      if (isPlainObject(e) && text(e.role)) centre.escalation.push({ role: e.role, people: texts(e.people) });
  if (Array.isArray(raw.triage))
    for (const t of raw.triage) {
      if (!isPlainObject(t) || !text(t.name)) continue;
      centre.triage.push({
        name: t.name,
        ...(text(t.description) ? { description: t.description } : {}),
        ...(text(t.response) ? { response: t.response } : {}),
      });
    }
  if (Array.isArray(raw.issues)) {
    const issues: LoggedIssue[] = [];
    for (const i of raw.issues)
      if (
        isPlainObject(i) &&
        text(i.id) &&
        text(i.title) &&
        text(i.category) &&
        typeof i.day === 'string' &&
        /^\d{4}-\d{2}-\d{2}$/.test(i.day)
      )
        issues.push({
          id: i.id,
          day: i.day,
          category: i.category,
          title: i.title,
          status: i.status === 'closed' ? 'closed' : 'open',
        });
    centre.issues = issues;
  }
  return centre;
}

/** `settings` with `runbook` written (a new object). */
export function withCutoverRunbook(
  settings: Readonly<Record<string, unknown>>,
  runbook: CutoverRunbook,
): Record<string, unknown> {
  return { ...settings, [PROJECT_CUTOVER_RUNBOOK_KEY]: { steps: runbook.steps.map((s) => ({ ...s })) } };
}

/** `settings` with `centre` written (a new object). */
export function withCommandCentre(
  settings: Readonly<Record<string, unknown>>,
  centre: CommandCentre,
): Record<string, unknown> {
  return { ...settings, [PROJECT_COMMAND_CENTRE_KEY]: { ...centre } };
}
