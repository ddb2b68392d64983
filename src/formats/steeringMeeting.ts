/**
 * The go/no-go meeting as the steering committee records it (`meta.settings.steeringMeeting`,
 * `#/$defs/steeringMeeting` of project.schema.json): who was asked and who attended, the quorum
 * rule the clinic sets, and the conditions the committee attaches to a GO (what, who, by when).
 * It lives in the project's settings like the rollback plan, so it is saved and exported with the
 * project and printed on page 1 of the evidence pack.
 *
 * Public format: the key is optional (projects written before it have none) and new fields are
 * added as optional ones only. The project schema refuses a malformed record on import; the reader
 * here still skips a value of the wrong kind, so a project written by hand never breaks the
 * Readiness screen. Names and references only, never patient data.
 */
import { isPlainObject } from './loading.ts';
import { isCalendarDay } from './rollbackPlan.ts';

/** Where a project keeps its go/no-go meeting record. */
export const PROJECT_STEERING_MEETING_KEY = 'steeringMeeting';

/** One person asked to the meeting. */
export interface MeetingAttendee {
  name: string;
  /** their role or title, as the clinic names it ("CMIO", "Clinic manager") */
  role?: string;
  /** a voting member of the steering committee (counts towards the quorum) */
  steering: boolean;
  /** they attended */
  attended: boolean;
}

/** The quorum rule: both parts that are set must hold. */
export interface QuorumRule {
  /** at least this many steering members attend */
  minSteering?: number;
  /** each of these roles is held by someone who attends */
  roles?: string[];
}

/** A condition the committee attaches to a GO. */
export interface GoCondition {
  text: string;
  owner?: string;
  /** YYYY-MM-DD */
  due?: string;
}

/** The record as kept. */
export interface SteeringMeeting {
  attendees: MeetingAttendee[];
  quorum?: QuorumRule;
  conditions: GoCondition[];
}

const filled = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** The meeting of a project's settings, or null when none is recorded; an entry of the wrong kind is skipped. Never throws. */
export function readSteeringMeeting(settings: Readonly<Record<string, unknown>>): SteeringMeeting | null {
  const raw = settings[PROJECT_STEERING_MEETING_KEY];
  if (!isPlainObject(raw)) return null;
  const attendees: MeetingAttendee[] = [];
  for (const a of Array.isArray(raw.attendees) ? raw.attendees : []) {
    if (!isPlainObject(a) || !filled(a.name)) continue;
    attendees.push({
      name: a.name,
      ...(filled(a.role) ? { role: a.role } : {}),
      steering: a.steering === true,
      attended: a.attended === true,
    });
  }
  const conditions: GoCondition[] = [];
  for (const c of Array.isArray(raw.conditions) ? raw.conditions : []) {
    if (!isPlainObject(c) || !filled(c.text)) continue;
    conditions.push({
      text: c.text,
      ...(filled(c.owner) ? { owner: c.owner } : {}),
      ...(typeof c.due === 'string' && isCalendarDay(c.due) ? { due: c.due } : {}),
    });
  }
  const meeting: SteeringMeeting = { attendees, conditions };
  if (isPlainObject(raw.quorum)) {
    const q = raw.quorum;
    const quorum: QuorumRule = {};
    if (typeof q.minSteering === 'number' && Number.isInteger(q.minSteering) && q.minSteering >= 1)
      quorum.minSteering = q.minSteering;
    if (Array.isArray(q.roles)) {
      const roles = q.roles.filter(filled);
      if (roles.length > 0) quorum.roles = roles;
    }
    if (quorum.minSteering !== undefined || quorum.roles !== undefined) meeting.quorum = quorum;
  }
  return meeting;
}

/** `settings` with `meeting` written under {@link PROJECT_STEERING_MEETING_KEY} (a new object). */
export function withSteeringMeeting(
  settings: Readonly<Record<string, unknown>>,
  meeting: SteeringMeeting,
): Record<string, unknown> {
  return { ...settings, [PROJECT_STEERING_MEETING_KEY]: structuredClone(meeting) };
}
