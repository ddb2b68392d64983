/**
 * Where the reviewer is in a drawn sample: the records in sample order, the pass they review
 * (under dual review), the record in view, their own decisions and the record list's states — with
 * the moves the keyboard and the list make (next, previous, next or previous still to review, jump).
 * The record screen and its panels read this one hook, so the list, the progress line and the
 * record in view always agree.
 */
import { useCallback, useMemo, useState } from 'react';
import { packetStage } from '../../core/signoff/exports/index.ts';
import {
  type ListedRecord,
  nextUnreviewed,
  recordId,
  recordList,
  visibleDecisions,
} from '../../core/signoff/review/index.ts';
import type { Decision, DrawnRecord, Review } from '../../formats/review.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';

/** A drawn record with its stratum. */
export interface SampledRecord {
  stratum: string;
  record: DrawnRecord;
}

/** {@link useReviewNavigation}'s state and moves. */
interface ReviewNavigation {
  records: SampledRecord[];
  /** the pass the data lead assigned in a review packet (then the stage is not a choice) */
  assigned: 'first' | 'second' | undefined;
  stage: 'first' | 'second';
  /** switches the pass and resumes at that reviewer's first record still to review */
  chooseStage(stage: 'first' | 'second'): void;
  index: number;
  entry: SampledRecord | undefined;
  /** the reviewer's own decision on the record in view */
  decided: Decision | undefined;
  list: ListedRecord[];
  go(delta: number): void;
  goTo(index: number): void;
  /** opens the next (1) or previous (-1) record still to review; false when none is left */
  goUnreviewed(direction: 1 | -1): boolean;
}

function firstOpen(records: readonly SampledRecord[], own: ReadonlyMap<string, Decision>): number {
  return Math.max(
    0,
    records.findIndex((r) => !own.has(recordId(r.stratum, r.record.key))),
  );
}

export function useReviewNavigation(review: Review, plan: SamplePlan): ReviewNavigation {
  const records = useMemo(
    () => review.sample.strata.flatMap((s) => s.records.map((r) => ({ stratum: s.id, record: r }))),
    [review],
  );
  // under dual review each reviewer sees only their own decisions until both decided a record; on a
  // clinician's review of a packet the stage is the pass the data lead assigned, not a choice
  const assigned = packetStage(review);
  const [chosenStage, setStage] = useState<'first' | 'second'>('first');
  const stage = assigned ?? chosenStage;
  const current = useMemo(() => visibleDecisions(review, stage), [review, stage]);
  const flaggedStrata = useMemo(
    () => new Set(plan.population.strata.flatMap((s) => (s.flagged === true ? [s.id] : []))),
    [plan],
  );
  const list = useMemo(() => recordList(review, stage, flaggedStrata), [review, stage, flaggedStrata]);
  const [index, setIndex] = useState(() => firstOpen(records, current));
  const entry = records[index];
  const decided = entry ? current.get(recordId(entry.stratum, entry.record.key)) : undefined;
  const last = records.length - 1;
  const goTo = useCallback((at: number) => setIndex(Math.min(last, Math.max(0, at))), [last]);
  const go = useCallback((delta: number) => setIndex((i) => Math.min(last, Math.max(0, i + delta))), [last]);
  const goUnreviewed = useCallback(
    (direction: 1 | -1) => {
      const at = nextUnreviewed(list, index, direction);
      if (at === index) return false;
      setIndex(at);
      return true;
    },
    [list, index],
  );
  const chooseStage = useCallback(
    (next: 'first' | 'second') => {
      setStage(next);
      setIndex(firstOpen(records, visibleDecisions(review, next)));
    },
    [records, review],
  );
  return { records, assigned, stage, chooseStage, index, entry, decided, list, go, goTo, goUnreviewed };
}
