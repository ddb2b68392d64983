import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../../formats/workflow.ts';
import {
  conform,
  DEFAULT_SLOWER_TOLERANCE,
  isSlowerThanDesigned,
  MAX_ALIGNED_CASE_EVENTS,
  normaliseLabel,
  type StepTimes,
  slowerToleranceText,
  UnknownStepError,
} from './conform.ts';
import { readCsvLogText } from './csvLog.ts';
import { type Deviations, playedCsv, playWorkflow } from './testing/playWorkflow.ts';

const SAMPLES = path.resolve(import.meta.dirname, '../../../../samples/workflows');
const load = (name: string) => JSON.parse(readFileSync(path.join(SAMPLES, name), 'utf8')) as Workflow;
const intake = load('patient-intake.future.json');
const lab = load('lab-results.future.json');

const MAPPING = {
  case: 'case',
  activity: 'activity',
  timestamp: 'timestamp',
  lifecycle: 'lifecycle',
  resource: 'resource',
};

function check(workflow: Workflow, cases: number, seed: number, deviations?: Deviations) {
  const played = playWorkflow(workflow, { seed, cases, ...(deviations ? { deviations } : {}) });
  const read = readCsvLogText(playedCsv(played.events), { mapping: MAPPING });
  expect(read.problems.list()).toEqual([]);
  return { played, result: conform(read.log, workflow) };
}

const label = (workflow: Workflow, id: string) => workflow.steps.find((s) => s.id === id)?.label as string;

describe('conformance of a played log', () => {
  it.each([
    { name: 'patient intake', workflow: intake, seed: 1 },
    { name: 'lab results', workflow: lab, seed: 2 },
  ])('a log played without deviations fits exactly: $name', ({ workflow, seed }) => {
    const { result } = check(workflow, 300, seed);
    expect(result).toMatchObject({ cases: 300, conformingCases: 300, fitness: 1, skipped: {}, inserted: {} });
    expect(result.repeatedEntry).toEqual({});
    for (const times of Object.values(result.times)) expect(times.slower).toBe(0);
  });

  it('recovers every planted deviation exactly (patient intake)', () => {
    const deviations: Deviations = {
      skip: { 'scan-consent': 17, 'vitals-device': 9 },
      insert: { 'Print form': 23, 'Spreadsheet update': 11, 'Call lab': 7 },
      repeat: { 'ma-allergy-med-entry': 13, checkout: 5 },
      slower: { 'physician-visit': 19 },
    };
    const { played, result } = check(intake, 500, 7, deviations);
    // the generator's own tally equals the plan
    expect(played.planted.skipped).toEqual(deviations.skip);
    expect(result.skipped).toEqual({ 'scan-consent': 17, 'vitals-device': 9 });
    expect(result.inserted).toEqual({
      'Print form': 23,
      'Spreadsheet update': 11,
      'Call lab': 7,
      [label(intake, 'ma-allergy-med-entry')]: 13,
      [label(intake, 'checkout')]: 5,
    });
    expect(result.workarounds).toEqual({ 'Print form': 23, 'Spreadsheet update': 11, 'Call lab': 7 });
    // where: every inserted occurrence sits after exactly one designed step
    const located: Record<string, number> = {};
    for (const byActivity of Object.values(result.insertedAfter)) {
      for (const [activity, n] of Object.entries(byActivity))
        located[activity] = (located[activity] ?? 0) + n;
    }
    expect(located).toEqual(result.inserted);
    expect(result.repeatedEntry).toEqual({ 'ma-allergy-med-entry': 13, checkout: 5 });
    expect(result.times['physician-visit']?.slower).toBe(19);
    expect(Object.values(result.times).reduce((n, t) => n + t.slower, 0)).toBe(19);
    expect(result.cases).toBe(500);
    expect(result.conformingCases).toBe(500 - played.planted.deviatingCases);
    expect(played.planted.deviatingCases).toBe(17 + 9 + 23 + 11 + 7 + 13 + 5);
    expect(result.fitness).toBeLessThan(1);
    expect(result.fitness).toBeGreaterThan(0.9);
    // measured times: the slowed visits pull the mean up, the median stays at the design
    expect(result.times['physician-visit']?.touch?.medianMin).toBe(12);
    expect(result.times['physician-visit']?.touch?.meanMin).toBeGreaterThan(12);
  });

  it('recovers deviations in a workflow with waits and branches (lab results)', () => {
    const deviations: Deviations = {
      skip: { 'lab-accession': 6 },
      insert: { 'Call lab': 12, 'Spreadsheet update': 4 },
      repeat: { 'cpoe-lab-order': 8 },
      slower: { 'draw-specimen': 5 },
    };
    const { result } = check(lab, 200, 11, deviations);
    expect(result.skipped).toEqual({ 'lab-accession': 6 });
    expect(result.inserted).toEqual({
      'Call lab': 12,
      'Spreadsheet update': 4,
      [label(lab, 'cpoe-lab-order')]: 8,
    });
    expect(result.repeatedEntry).toEqual({ 'cpoe-lab-order': 8 });
    expect(result.times['draw-specimen']?.slower).toBe(5);
    expect(result.times['courier-pickup']?.wait?.medianMin).toBe(180);
    expect(result.conformingCases).toBe(200 - 6 - 12 - 4 - 8);
  });
});

describe('matching activities to steps', () => {
  it.each([
    { description: 'case and punctuation', input: 'ROOM  patient!', expected: 'room patient' },
    { description: 'accents', input: 'Révision', expected: 'revision' },
    { description: 'ids', input: 'room-patient', expected: 'room patient' },
  ])('normalises $description', ({ input, expected }) => {
    expect(normaliseLabel(input)).toBe(expected);
  });

  it('uses an explicit activity map before labels, and rejects unknown steps', () => {
    const csv = [
      'case,activity,timestamp',
      'A,Rx order,2026-01-05T08:00:00Z',
      'A,Blood draw,2026-01-05T08:05:00Z',
    ].join('\n');
    const { log } = readCsvLogText(csv, {
      mapping: { case: 'case', activity: 'activity', timestamp: 'timestamp' },
    });
    const result = conform(log, lab, {
      activityMap: { 'Rx order': 'cpoe-lab-order', 'Blood draw': 'draw-specimen' },
    });
    expect(result.matched).toEqual({ 'Rx order': 'cpoe-lab-order', 'Blood draw': 'draw-specimen' });
    // the case stops after the draw: every later step is skipped
    expect(result.skipped['run-test']).toBe(1);
    expect(result.inserted).toEqual({});
    expect(() => conform(log, lab, { activityMap: { 'Rx order': 'nope' } })).toThrow(UnknownStepError);
  });

  it('says where an activity was inserted: after the closest earlier designed step', () => {
    const csv = [
      'case,activity,timestamp',
      'A,Spreadsheet update,2026-01-05T07:59:00Z',
      'A,cpoe-lab-order,2026-01-05T08:00:00Z',
      'A,Call lab,2026-01-05T08:01:00Z',
      'A,Print form,2026-01-05T08:02:00Z',
      'A,draw-specimen,2026-01-05T08:05:00Z',
    ].join('\n');
    const { log } = readCsvLogText(csv, {
      mapping: { case: 'case', activity: 'activity', timestamp: 'timestamp' },
    });
    const result = conform(log, lab);
    expect(result.insertedAfter).toEqual({
      '(before start)': { 'Spreadsheet update': 1 },
      'cpoe-lab-order': { 'Call lab': 1, 'Print form': 1 },
    });
  });

  it('does not align a case far longer than any visit (a wrong case-id column): it is counted instead', () => {
    const rows = ['case,activity,timestamp'];
    for (let i = 0; i < MAX_ALIGNED_CASE_EVENTS + 1; i++)
      rows.push(`ALL,cpoe-lab-order,${new Date(Date.UTC(2026, 0, 5) + i * 60_000).toISOString()}`);
    rows.push('B,cpoe-lab-order,2026-01-05T08:00:00Z');
    const { log } = readCsvLogText(rows.join('\n'), {
      mapping: { case: 'case', activity: 'activity', timestamp: 'timestamp' },
    });
    const result = conform(log, lab);
    expect(result).toMatchObject({ cases: 2, unalignedCases: 1, conformingCases: 0 });
    expect(result.skipped['draw-specimen']).toBe(1);
    expect(result.times['cpoe-lab-order']?.wait?.n).toBe(MAX_ALIGNED_CASE_EVENTS);
  });

  it('decisions the log never records are routing, not skipped steps', () => {
    const played = playWorkflow(intake, { seed: 9, cases: 120, deviations: { skip: { 'room-patient': 4 } } });
    const decisions = new Set(intake.steps.filter((s) => s.kind === 'decision').map((s) => s.label));
    const withoutDecisions = played.events.filter((e) => !decisions.has(e.activity));
    const { log } = readCsvLogText(playedCsv(withoutDecisions), { mapping: MAPPING });
    const result = conform(log, intake);
    expect(result.unloggedDecisions.sort()).toEqual([
      'attest-fall-risk',
      'eligibility-verified',
      'referral-needed',
    ]);
    expect(result.skipped).toEqual({ 'room-patient': 4 });
    expect(result.conformingCases).toBe(116);
    // a task nobody does any more is not silent: every case reports it skipped
    const withoutScan = played.events.filter((e) => e.activity !== label(intake, 'scan-consent'));
    const dropped = conform(readCsvLogText(playedCsv(withoutScan), { mapping: MAPPING }).log, intake);
    expect(dropped.skipped['scan-consent']).toBe(120);
  });

  it('a skipped branch is not a skipped step: taking the other branch of a decision conforms', () => {
    const { result } = check(lab, 100, 5);
    expect(result.skipped['physician-acknowledges']).toBeUndefined();
    expect(result.skipped['auto-file-normal']).toBeUndefined();
  });
});

describe('slower than designed: a step, only beyond the stated tolerance', () => {
  const times = (designedTouchMin: number, meanMin: number, medianMin: number): StepTimes => ({
    designedTouchMin,
    designedWaitMin: 0,
    touch: { n: 200, meanMin, medianMin, p90Min: medianMin * 2 },
    slower: 40,
  });

  it('a step whose mean equals the design is not slower, however many single visits ran long', () => {
    expect(isSlowerThanDesigned(times(165.228, 165.228, 150))).toBe(false);
    expect(isSlowerThanDesigned(times(10, 14, 14.9))).toBe(false);
  });

  it('a step whose typical time is beyond the tolerance is; a step designed at 0 is never judged', () => {
    expect(isSlowerThanDesigned(times(10, 16, 15.1))).toBe(true);
    expect(isSlowerThanDesigned(times(10, 16, 12), 0.1)).toBe(true);
    expect(isSlowerThanDesigned(times(0, 16, 15.1))).toBe(false);
  });

  it('states the tolerance it used, in the result and in words', () => {
    const { result } = check(intake, 200, 7, { slower: { 'physician-visit': 19 } });
    expect(result.slowerTolerance).toBe(DEFAULT_SLOWER_TOLERANCE);
    const visit = result.times['physician-visit'] as StepTimes;
    expect(visit.slower).toBe(19);
    expect(isSlowerThanDesigned(visit, result.slowerTolerance)).toBe(false);
    expect(slowerToleranceText(0.5)).toBe(
      'typical (median) staff time is more than 50 % above the designed time',
    );
  });
});
