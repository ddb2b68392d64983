/**
 * What the go/no-go meeting reads off the printed pack besides the verdict: the cutover runbook as
 * a step table (owner, start, duration, what it waits for, status), the recorded rollback
 * triggers, and whether the planned go-live day can still be met.
 *
 * A step's duration is not recorded: it is read as the time from its planned start to the
 * earliest planned start of a step that waits for it (null when none does or a time is missing).
 * The go-live day is judged against `today`, given by the caller, so the module stays pure:
 * `past` when it is before today; `too-close` when the runbook no longer fits before go-live as
 * planned: a step not yet done is planned after the go-live day, or the earliest one was planned
 * to start before today.
 *
 * The meeting's attendees, its quorum by the clinic's rule and the conditions attached to a GO are
 * printed beside the verdict, never inside the readiness result: they do not change what the
 * evidence says, so a decision signed on that result does not go stale when someone's attendance
 * is ticked.
 */
import { type CutoverStep, readCutoverRunbook } from '../../formats/cutover.ts';
import type { Project } from '../../formats/project.ts';
import { readRollbackPlan } from '../../formats/rollbackPlan.ts';
import {
  type GoCondition,
  type MeetingAttendee,
  readSteeringMeeting,
  type SteeringMeeting,
} from '../../formats/steeringMeeting.ts';
import { daysBetween } from './rollback.ts';

/** One row of the runbook table. */
export interface RunbookRow {
  id: string;
  title: string;
  owner: string | null;
  /** planned start, local time YYYY-MM-DDTHH:MM */
  start: string | null;
  /** minutes until the first step waiting for it starts; null when that cannot be read */
  durationMin: number | null;
  /** the titles of the steps it waits for */
  after: string[];
  status: CutoverStep['status'];
}

/** The go-live day as the meeting must read it. */
export interface GoLiveDay {
  /** the planned go-live day (rollback plan), YYYY-MM-DD; null when not recorded */
  day: string | null;
  /** `ok`, `past` (before today), `too-close` (the runbook should already have started), `unknown` (no day) */
  state: 'ok' | 'past' | 'too-close' | 'unknown';
  /** one sentence for the pack */
  words: string;
}

const minutesOf = (local: string) => Date.parse(`${local}:00Z`) / 60_000;

/** The runbook of `project` as table rows, in the runbook's order; empty when none is recorded. */
export function runbookRows(project: Project): RunbookRow[] {
  const steps = readCutoverRunbook(project.meta.settings)?.steps ?? [];
  const titles = new Map(steps.map((s) => [s.id, s.title]));
  return steps.map((s) => {
    const next = steps
      .filter((o) => o.after?.includes(s.id) && o.plannedAt)
      .map((o) => minutesOf(o.plannedAt ?? ''))
      .sort((a, b) => a - b)[0];
    const duration = s.plannedAt && next !== undefined ? next - minutesOf(s.plannedAt) : null;
    return {
      id: s.id,
      title: s.title,
      owner: s.owner ?? null,
      start: s.plannedAt ?? null,
      durationMin: duration !== null && duration >= 0 ? duration : null,
      after: (s.after ?? []).map((id) => titles.get(id) ?? id),
      status: s.status,
    };
  });
}

/** The planned go-live day of `project` judged on `today` (YYYY-MM-DD), see the header. */
export function goLiveDay(project: Project, today: string): GoLiveDay {
  const day = readRollbackPlan(project.meta.settings)?.goLiveDate ?? null;
  if (day === null)
    return { day, state: 'unknown', words: 'Go-live day: not recorded (record it in the rollback plan).' };
  const ahead = daysBetween(today, day);
  if (ahead < 0)
    return {
      day,
      state: 'past',
      words: `GO-LIVE DAY ${day} IS IN THE PAST (${-ahead} days before ${today}): set the day the clinic will go live.`,
    };
  const openDays = (readCutoverRunbook(project.meta.settings)?.steps ?? [])
    .filter((s) => s.status !== 'done' && s.status !== 'skipped' && s.plannedAt)
    .map((s) => s.plannedAt?.slice(0, 10) ?? '')
    .sort();
  const open = openDays[0];
  const last = openDays.at(-1);
  if (last !== undefined && last > day)
    return {
      day,
      state: 'too-close',
      words: `GO-LIVE DAY ${day} IS TOO CLOSE: the runbook has a step planned for ${last}, after it; replan the runbook or move the day.`,
    };
  if (open !== undefined && open < today)
    return {
      day,
      state: 'too-close',
      words: `GO-LIVE DAY ${day} IS TOO CLOSE: the runbook's first open step was planned for ${open}, before ${today}; replan the runbook or move the day.`,
    };
  return { day, state: 'ok', words: `Go-live day: ${day} (${ahead} days from ${today}).` };
}

/** A duration in minutes as the table prints it: "45 min", "2 h 30 min", "—" when unknown. */
export function durationWords(minutes: number | null): string {
  if (minutes === null) return '—';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h === 0 ? `${m} min` : m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** Whether the meeting had its quorum, by the clinic's rule. */
export interface QuorumState {
  /** `met`, `not-met`, or `no-rule` (the clinic set none) */
  state: 'met' | 'not-met' | 'no-rule';
  /** the rule in words, for the pack ("at least 3 steering members; CMIO attends") */
  rule: string;
  /** steering members who attended */
  steeringPresent: number;
  /** roles the rule names that nobody attending holds */
  missingRoles: string[];
  /** one sentence for the board and the pack */
  words: string;
}

/** The meeting part of page 1: attendees, quorum, conditions for go. */
export interface MeetingAttendance {
  attendees: MeetingAttendee[];
  quorum: QuorumState;
  conditions: GoCondition[];
}

/** The quorum of `meeting` by its rule; see {@link QuorumState}. */
export function quorumState(meeting: SteeringMeeting | null): QuorumState {
  const attendees = meeting?.attendees ?? [];
  const present = attendees.filter((a) => a.attended);
  const steeringPresent = present.filter((a) => a.steering).length;
  const rule = meeting?.quorum;
  if (!rule)
    return {
      state: 'no-rule',
      rule: 'none set',
      steeringPresent,
      missingRoles: [],
      words: 'Quorum: no rule set (set one on the Steering tab before the committee decides).',
    };
  const held = new Set(present.flatMap((a) => (a.role ? [a.role.trim().toLowerCase()] : [])));
  const missingRoles = (rule.roles ?? []).filter((r) => !held.has(r.trim().toLowerCase()));
  const parts = [
    ...(rule.minSteering !== undefined
      ? [`at least ${rule.minSteering} steering member${rule.minSteering === 1 ? '' : 's'}`]
      : []),
    ...(rule.roles ?? []).map((r) => `${r} attends`),
  ];
  const ruleWords = parts.join('; ');
  const short = rule.minSteering !== undefined && steeringPresent < rule.minSteering;
  if (!short && missingRoles.length === 0)
    return {
      state: 'met',
      rule: ruleWords,
      steeringPresent,
      missingRoles,
      words: `Quorum met: ${steeringPresent} steering member${steeringPresent === 1 ? '' : 's'} attended (rule: ${ruleWords}).`,
    };
  const why = [
    ...(short ? [`${steeringPresent} of the ${rule.minSteering} steering members needed attended`] : []),
    ...(missingRoles.length > 0 ? [`nobody attending holds ${missingRoles.join(', ')}`] : []),
  ];
  return {
    state: 'not-met',
    rule: ruleWords,
    steeringPresent,
    missingRoles,
    words: `QUORUM NOT MET: ${why.join('; ')} (rule: ${ruleWords}). A decision taken now is not the committee's.`,
  };
}

/** The meeting record of `project` as page 1 prints it. */
export function meetingAttendance(project: Project): MeetingAttendance {
  const meeting = readSteeringMeeting(project.meta.settings);
  return {
    attendees: meeting?.attendees ?? [],
    quorum: quorumState(meeting),
    conditions: meeting?.conditions ?? [],
  };
}
