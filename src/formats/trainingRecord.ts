/**
 * How a clinic prepares its people for go-live (`meta.settings.trainingRecord`,
 * `#/$defs/trainingRecord` of project.schema.json): per role, its staff, how many were trained,
 * the training sessions planned and delivered, how many passed a proficiency check and the named
 * super-users; and the at-the-elbow
 * support staffed for go-live week, per area and shift. It lives in the project's settings like
 * the safety self-assessment, so it is saved and exported with the project.
 *
 * Public format: the key is optional (projects written before it have none) and new fields are
 * added as optional ones only. The project schema refuses a malformed record on import; the
 * reader here still skips a value of the wrong kind, so a project written by hand never breaks
 * the Readiness screen. Names only, never patient data.
 */
import { isPlainObject } from './loading.ts';

/** Where a project keeps its training and support record. */
export const PROJECT_TRAINING_RECORD_KEY = 'trainingRecord';

/**
 * One role's training (a role is a lane of the workflows, by name; renaming the last lane of that
 * name renames the entry with it: {@link withTrainingRoleRenamed}).
 */
export interface RoleTraining {
  role: string;
  /** how many staff work in this role */
  staff?: number;
  /** how many of them were trained on the role's changed work */
  trained?: number;
  sessionsPlanned?: number;
  sessionsDelivered?: number;
  /** how many of the trained passed a proficiency check on the role's changed work (absent: no check recorded) */
  proficient?: number;
  /** the role's super-users, by name */
  superUsers?: string[];
}

/** At-the-elbow support staffed for one area and shift of go-live week. */
export interface SupportShift {
  /** where (front desk, exam rooms, lab…) */
  area: string;
  /** when (e.g. "Monday morning") */
  shift: string;
  /** how many people give at-the-elbow support there and then */
  supporters: number;
}

/** The record. */
export interface TrainingRecord {
  roles: RoleTraining[];
  support: SupportShift[];
}

const count = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const text = (v: unknown): v is string => typeof v === 'string';

/** The record of a project's settings; an entry of the wrong shape is skipped. Never throws. */
export function readTrainingRecord(settings: Readonly<Record<string, unknown>>): TrainingRecord {
  const raw = settings[PROJECT_TRAINING_RECORD_KEY];
  if (!isPlainObject(raw)) return { roles: [], support: [] };
  const roles: RoleTraining[] = [];
  for (const r of Array.isArray(raw.roles) ? raw.roles : []) {
    if (!isPlainObject(r) || !text(r.role)) continue;
    const role: RoleTraining = { role: r.role };
    for (const field of ['staff', 'trained', 'sessionsPlanned', 'sessionsDelivered', 'proficient'] as const)
      if (count(r[field])) role[field] = r[field];
    if (Array.isArray(r.superUsers)) role.superUsers = r.superUsers.filter(text);
    roles.push(role);
  }
  const support: SupportShift[] = [];
  for (const s of Array.isArray(raw.support) ? raw.support : []) {
    if (isPlainObject(s) && text(s.area) && text(s.shift) && count(s.supporters))
      support.push({ area: s.area, shift: s.shift, supporters: s.supporters });
  }
  return { roles, support };
}

/** `settings` with `record` written under {@link PROJECT_TRAINING_RECORD_KEY} (a new object). */
export function withTrainingRecord(
  settings: Readonly<Record<string, unknown>>,
  record: TrainingRecord,
): Record<string, unknown> {
  return {
    ...settings,
    [PROJECT_TRAINING_RECORD_KEY]: {
      roles: record.roles.map((r) => ({ ...r, ...(r.superUsers ? { superUsers: [...r.superUsers] } : {}) })),
      support: record.support.map((s) => ({ ...s })),
    },
  };
}

/**
 * `settings` with the training entry of role `from` renamed to `to` (a new object), or `settings`
 * itself when there is nothing to carry: no entry for `from`, or one for `to` already (two records
 * are never merged: the clinic decides which holds). Only the entry's `role` changes; every other
 * field, and every other entry as written, is kept as it is.
 */
export function withTrainingRoleRenamed(
  settings: Readonly<Record<string, unknown>>,
  from: string,
  to: string,
): Readonly<Record<string, unknown>> {
  const raw = settings[PROJECT_TRAINING_RECORD_KEY];
  if (from === to || !isPlainObject(raw) || !Array.isArray(raw.roles)) return settings;
  const roleOf = (r: unknown) => (isPlainObject(r) && text(r.role) ? r.role : undefined);
  const at = raw.roles.findIndex((r) => roleOf(r) === from);
  if (at < 0 || raw.roles.some((r) => roleOf(r) === to)) return settings;
  const roles = raw.roles.map((r, i) => (i === at && isPlainObject(r) ? { ...r, role: to } : r));
  return { ...settings, [PROJECT_TRAINING_RECORD_KEY]: { ...raw, roles } };
}
