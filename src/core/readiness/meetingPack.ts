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
 */
import { type CutoverStep, readCutoverRunbook } from '../../formats/cutover.ts';
import type { Project } from '../../formats/project.ts';
import { readRollbackPlan } from '../../formats/rollbackPlan.ts';
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
