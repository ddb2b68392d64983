/**
 * Three records of a go-live's preparation, kept in the project's settings like the cutover
 * runbook (`#/$defs/dressRehearsal`, `#/$defs/communicationPlan` and `#/$defs/partnerReadiness` of
 * project.schema.json), so they are saved and exported with the project:
 *
 * - the dress rehearsal (`meta.settings.dressRehearsal`): a mock go-live per role — its scripts
 *   run and passed, the issues found and still open — and the peak-load rehearsal, the cases an
 *   hour it ran at and whether the clinic held, set against the peak the capacity simulation plans;
 * - the communication plan (`meta.settings.communicationPlan`): who is told what, how, by whom
 *   and by when;
 * - vendor and interface readiness (`meta.settings.partnerReadiness`): each vendor and interface
 *   partner, who owns the relationship, where it stands and when it was last tested end to end.
 *
 * Public format: all three keys are optional (projects written before them have none) and new
 * fields are added as optional ones only. The project schema refuses a malformed record on
 * import; the readers here still skip a value of the wrong kind, so a project written by hand
 * never breaks the Readiness screen. Names, counts and dates only, never patient data.
 */
import { isPlainObject } from './loading.ts';

/** Where a project keeps its dress rehearsal. */
export const PROJECT_DRESS_REHEARSAL_KEY = 'dressRehearsal';
/** Where a project keeps its communication plan. */
export const PROJECT_COMMUNICATION_PLAN_KEY = 'communicationPlan';
/** Where a project keeps its vendor and interface readiness. */
export const PROJECT_PARTNER_READINESS_KEY = 'partnerReadiness';

/** A calendar day, YYYY-MM-DD. */
export const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** One role's mock go-live. */
export interface RoleRehearsal {
  /** the role, as the workflows name it */
  role: string;
  /** the day it was held */
  date?: string;
  /** the test scripts the role ran */
  scriptsRun: number;
  /** of those, the ones that passed */
  scriptsPassed: number;
  /** issues the role found */
  issuesFound: number;
  /** of those, the ones still open */
  issuesOpen: number;
  note?: string;
}

/** The peak-load rehearsal: the clinic run at the busiest hour's load. */
export interface PeakLoadRehearsal {
  date?: string;
  /** the cases an hour it ran at */
  casesPerHour: number;
  /** `held`: the clinic kept up; `failed`: queues grew or work stopped */
  outcome: 'held' | 'failed';
  note?: string;
}

/** `meta.settings.dressRehearsal`. */
export interface DressRehearsal {
  roles: RoleRehearsal[];
  peakLoad?: PeakLoadRehearsal;
}

/** Where a communication stands. */
export const COMMUNICATION_STATUSES = ['planned', 'done'] as const;
export type CommunicationStatus = (typeof COMMUNICATION_STATUSES)[number];

/** One communication of the plan. */
export interface Communication {
  id: string;
  /** who is told: staff of a role, patients, referrers, the board */
  audience: string;
  /** what they are told, one sentence */
  message: string;
  /** how: a briefing, a letter, the website */
  channel?: string;
  owner?: string;
  /** by when, YYYY-MM-DD */
  due?: string;
  status: CommunicationStatus;
}

/** `meta.settings.communicationPlan`. */
export interface CommunicationPlan {
  items: Communication[];
}

/** What a partner is. */
export const PARTNER_KINDS = ['vendor', 'interface'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

/** Where a partner stands. */
export const PARTNER_STATUSES = ['not-started', 'in-progress', 'ready', 'blocked'] as const;
export type PartnerStatus = (typeof PARTNER_STATUSES)[number];

/** One vendor or interface partner. */
export interface Partner {
  id: string;
  /** the vendor, or the interface and the system at its other end */
  name: string;
  kind: PartnerKind;
  /** who owns the relationship */
  owner?: string;
  status: PartnerStatus;
  /** the day it was last tested end to end, YYYY-MM-DD */
  tested?: string;
  note?: string;
}

/** `meta.settings.partnerReadiness`. */
export interface PartnerReadiness {
  partners: Partner[];
}

const text = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const whole = (v: unknown): number => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0);
const oneOf = <T extends string>(values: readonly T[], v: unknown, fallback: T): T =>
  (values as readonly unknown[]).includes(v) ? (v as T) : fallback;
const optional = <K extends string>(key: K, v: unknown, ok: (v: unknown) => boolean) =>
  ok(v) ? ({ [key]: v } as Record<K, string>) : {};
const isDay = (v: unknown) => typeof v === 'string' && DAY.test(v);

/** The dress rehearsal of a project's settings, or null when none is recorded. Never throws. */
export function readDressRehearsal(settings: Readonly<Record<string, unknown>>): DressRehearsal | null {
  const raw = settings[PROJECT_DRESS_REHEARSAL_KEY];
  if (!isPlainObject(raw)) return null;
  const roles: RoleRehearsal[] = [];
  for (const r of Array.isArray(raw.roles) ? raw.roles : []) {
    if (!isPlainObject(r) || !text(r.role)) continue;
    const scriptsRun = whole(r.scriptsRun);
    const issuesFound = whole(r.issuesFound);
    roles.push({
      role: r.role,
      ...optional('date', r.date, isDay),
      scriptsRun,
      scriptsPassed: Math.min(whole(r.scriptsPassed), scriptsRun),
      issuesFound,
      issuesOpen: Math.min(whole(r.issuesOpen), issuesFound),
      ...optional('note', r.note, text),
    });
  }
  const rehearsal: DressRehearsal = { roles };
  const peak = raw.peakLoad;
  if (isPlainObject(peak) && typeof peak.casesPerHour === 'number' && peak.casesPerHour > 0)
    rehearsal.peakLoad = {
      ...optional('date', peak.date, isDay),
      casesPerHour: peak.casesPerHour,
      outcome: oneOf(['held', 'failed'] as const, peak.outcome, 'failed'),
      ...optional('note', peak.note, text),
    };
  return rehearsal;
}

/** The communication plan of a project's settings, or null when none is recorded. Never throws. */
export function readCommunicationPlan(settings: Readonly<Record<string, unknown>>): CommunicationPlan | null {
  const raw = settings[PROJECT_COMMUNICATION_PLAN_KEY];
  if (!isPlainObject(raw)) return null;
  const items: Communication[] = [];
  for (const c of Array.isArray(raw.items) ? raw.items : []) {
    if (!isPlainObject(c) || !text(c.id) || !text(c.audience) || !text(c.message)) continue;
    items.push({
      id: c.id,
      audience: c.audience,
      message: c.message,
      ...optional('channel', c.channel, text),
      ...optional('owner', c.owner, text),
      ...optional('due', c.due, isDay),
      status: oneOf(COMMUNICATION_STATUSES, c.status, 'planned'),
    });
  }
  return { items };
}

/** The vendor and interface readiness of a project's settings, or null when none is recorded. Never throws. */
export function readPartnerReadiness(settings: Readonly<Record<string, unknown>>): PartnerReadiness | null {
  const raw = settings[PROJECT_PARTNER_READINESS_KEY];
  if (!isPlainObject(raw)) return null;
  const partners: Partner[] = [];
  for (const p of Array.isArray(raw.partners) ? raw.partners : []) {
    if (!isPlainObject(p) || !text(p.id) || !text(p.name)) continue;
    partners.push({
      id: p.id,
      name: p.name,
      kind: oneOf(PARTNER_KINDS, p.kind, 'vendor'),
      ...optional('owner', p.owner, text),
      status: oneOf(PARTNER_STATUSES, p.status, 'not-started'),
      ...optional('tested', p.tested, isDay),
      ...optional('note', p.note, text),
    });
  }
  return { partners };
}

/** `settings` with `rehearsal` written (a new object). */
export function withDressRehearsal(
  settings: Readonly<Record<string, unknown>>,
  rehearsal: DressRehearsal,
): Record<string, unknown> {
  return { ...settings, [PROJECT_DRESS_REHEARSAL_KEY]: structuredClone(rehearsal) };
}

/** `settings` with `plan` written (a new object). */
export function withCommunicationPlan(
  settings: Readonly<Record<string, unknown>>,
  plan: CommunicationPlan,
): Record<string, unknown> {
  return { ...settings, [PROJECT_COMMUNICATION_PLAN_KEY]: structuredClone(plan) };
}

/** `settings` with `readiness` written (a new object). */
export function withPartnerReadiness(
  settings: Readonly<Record<string, unknown>>,
  readiness: PartnerReadiness,
): Record<string, unknown> {
  return { ...settings, [PROJECT_PARTNER_READINESS_KEY]: structuredClone(readiness) };
}
