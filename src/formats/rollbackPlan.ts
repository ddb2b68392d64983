/**
 * The clinic's rollback/downtime plan for go-live (`meta.settings.rollbackPlan`,
 * `#/$defs/rollbackPlan` of project.schema.json): whether a plan exists and, when it does, its
 * essentials — who decides to roll back, what triggers it, the downtime procedures that are ready
 * (paper forms, read-only access to the old system, downtime reports printed), the day of the last
 * downtime drill, the planned go-live day, and where the plan document is kept. It lives in the
 * project's settings like the training record, so it is saved and exported with the project.
 *
 * Public format: the key is optional (projects written before it have none) and new fields are
 * added as optional ones only. The project schema refuses a malformed plan on import; the reader
 * here still skips a value of the wrong kind, so a project written by hand never breaks the
 * Readiness screen. Names and references only, never patient data.
 */
import { isPlainObject } from './loading.ts';

/** Where a project keeps its rollback/downtime plan. */
export const PROJECT_ROLLBACK_PLAN_KEY = 'rollbackPlan';

/** The downtime procedures a plan can mark ready, in the order they are shown. */
export const DOWNTIME_PROCEDURES = ['paperForms', 'legacyReadOnly', 'downtimeReports'] as const;
export type DowntimeProcedure = (typeof DOWNTIME_PROCEDURES)[number];

/** The plan as recorded. */
export interface RollbackPlan {
  /** true: the clinic has a rollback/downtime plan; false: it has none (yet) */
  present: boolean;
  /** who decides to roll back (a role or a person, by name) */
  decidedBy?: string;
  /** what triggers a rollback, in the clinic's words */
  triggers?: string;
  /** paper forms are printed and at hand */
  paperForms?: boolean;
  /** read-only access to the old system is kept for go-live */
  legacyReadOnly?: boolean;
  /** downtime reports (schedules, medication lists) are printed */
  downtimeReports?: boolean;
  /** the day of the last downtime drill (YYYY-MM-DD) */
  lastDrill?: string;
  /** the planned go-live day (YYYY-MM-DD) */
  goLiveDate?: string;
  /** where the plan document is kept (a reference, not the document) */
  location?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `text` is a real calendar day written YYYY-MM-DD. */
export function isCalendarDay(text: string): boolean {
  if (!DAY.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** The plan of a project's settings, or null when none is recorded; a field of the wrong kind is skipped. Never throws. */
export function readRollbackPlan(settings: Readonly<Record<string, unknown>>): RollbackPlan | null {
  const raw = settings[PROJECT_ROLLBACK_PLAN_KEY];
  if (!isPlainObject(raw) || typeof raw.present !== 'boolean') return null;
  const plan: RollbackPlan = { present: raw.present };
  for (const field of ['decidedBy', 'triggers', 'location'] as const) {
    const value = raw[field];
    if (typeof value === 'string' && value.trim() !== '') plan[field] = value;
  }
  for (const field of DOWNTIME_PROCEDURES) if (typeof raw[field] === 'boolean') plan[field] = raw[field];
  for (const field of ['lastDrill', 'goLiveDate'] as const) {
    const value = raw[field];
    if (typeof value === 'string' && isCalendarDay(value)) plan[field] = value;
  }
  return plan;
}

/** `settings` with `plan` written under {@link PROJECT_ROLLBACK_PLAN_KEY} (a new object). */
export function withRollbackPlan(
  settings: Readonly<Record<string, unknown>>,
  plan: RollbackPlan,
): Record<string, unknown> {
  return { ...settings, [PROJECT_ROLLBACK_PLAN_KEY]: { ...plan } };
}
