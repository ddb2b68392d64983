/**
 * The eventdataR "patients" log (bupaverse/eventdataR, MIT; see
 * tests/fixtures/external/eventdataR-patients/NOTICE): discovery's directly-follows counts and
 * mean durations against an independent computation written here from first principles — a
 * plain split of the lines, start/complete paired by the log's own activity-instance id
 * (`handling_id`, which discovery never reads: it pairs first-in-first-out), instances ordered
 * per patient by start time with a plain array sort, and counts in a Map keyed by activity names.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../../tests/fixtures/external.ts';
import { loadWorkflow } from '../../../formats/workflow.ts';
import { readCsvLogText } from './csvLog.ts';
import { discoverWorkflow, endIndex, startIndex } from './discover.ts';
import { createLocalClock } from './timestamps.ts';

const FILE = externalFixture('eventdataR-patients', 'patients.csv');
const text = readFileSync(FILE, 'utf8');

interface Instance {
  patient: string;
  activity: string;
  start: number;
  complete: number;
  row: number;
}

/** The independent computation. */
function firstPrinciples() {
  const lines = text.trim().split('\n');
  const header = (lines[0] as string).split(',');
  const col = (name: string) => header.indexOf(name);
  const byInstance = new Map<string, Partial<Instance>>();
  lines.slice(1).forEach((line, index) => {
    const cells = line.split(',');
    const id = cells[col('handling_id')] as string;
    const entry = byInstance.get(id) ?? {
      patient: cells[col('patient')],
      activity: cells[col('handling')],
      row: Number.POSITIVE_INFINITY,
    };
    const time = new Date(cells[col('time')] as string).getTime();
    if (cells[col('registration_type')] === 'start') {
      entry.start = time;
      entry.row = Math.min(entry.row as number, index + 1);
    } else entry.complete = time;
    byInstance.set(id, entry);
  });
  const byPatient = new Map<string, Instance[]>();
  for (const inst of byInstance.values()) {
    const list = byPatient.get(inst.patient as string) ?? [];
    list.push(inst as Instance);
    byPatient.set(inst.patient as string, list);
  }
  const follows = new Map<string, number>();
  const durations = new Map<string, number[]>();
  const waits = new Map<string, number[]>();
  for (const list of byPatient.values()) {
    list.sort((a, b) => a.start - b.start || a.row - b.row);
    const names = ['(start)', ...list.map((i) => i.activity), '(end)'];
    for (let k = 0; k + 1 < names.length; k++) {
      const key = `${names[k]} -> ${names[k + 1]}`;
      follows.set(key, (follows.get(key) ?? 0) + 1);
    }
    list.forEach((inst, k) => {
      durations.set(inst.activity, [
        ...(durations.get(inst.activity) ?? []),
        (inst.complete - inst.start) / 60000,
      ]);
      if (k > 0) {
        const gap = Math.max(0, inst.start - (list[k - 1] as Instance).complete) / 60000;
        waits.set(inst.activity, [...(waits.get(inst.activity) ?? []), gap]);
      }
    });
  }
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  return {
    patients: byPatient.size,
    instances: byInstance.size,
    follows,
    meanTouch: new Map([...durations].map(([a, xs]) => [a, mean(xs)])),
    meanWait: new Map([...waits].map(([a, xs]) => [a, mean(xs)])),
  };
}

describe('eventdataR patients: discovery agrees with a first-principles computation', () => {
  const read = readCsvLogText(text, {
    mapping: {
      case: 'patient',
      activity: 'handling',
      timestamp: 'time',
      lifecycle: 'registration_type',
      resource: 'employee',
    },
  });
  const discovery = discoverWorkflow(read.log, createLocalClock('UTC'));
  const expected = firstPrinciples();
  const stats = discovery.statistics;

  it('reads every event, with ISO times detected and no problems', () => {
    expect(read.problems.list()).toEqual([]);
    expect(read.timestamps.format).toBe('iso');
    expect(read.log.events).toBe(5442);
    expect(stats.cases).toBe(expected.patients);
    expect(stats.instances).toBe(expected.instances);
  });

  it('directly-follows counts are equal, pair by pair', () => {
    const { size, counts } = stats.directlyFollows;
    const activities = read.log.activities;
    const name = (k: number) =>
      k === startIndex(activities.length)
        ? '(start)'
        : k === endIndex(activities.length)
          ? '(end)'
          : activities[k];
    const actual = new Map<string, number>();
    for (let from = 0; from < size; from++) {
      for (let to = 0; to < size; to++) {
        const n = counts[from * size + to] as number;
        if (n > 0) actual.set(`${name(from)} -> ${name(to)}`, n);
      }
    }
    expect(actual).toEqual(expected.follows);
    // and the workflow's flows carry the same counts
    const flowTotal = discovery.workflow.flows.reduce((sum, f) => sum + (f.observed?.n ?? 0), 0);
    expect(flowTotal).toBe([...expected.follows.values()].reduce((s, n) => s + n, 0));
  });

  it('mean touch and wait durations per activity are equal', () => {
    for (const activity of stats.activities) {
      expect(activity.touch?.meanMin).toBeCloseTo(expected.meanTouch.get(activity.activity) as number, 9);
      const wait = expected.meanWait.get(activity.activity);
      if (wait === undefined) expect(activity.wait).toBeUndefined();
      else expect(activity.wait?.meanMin).toBeCloseTo(wait, 9);
    }
  });

  it('the discovered workflow is a valid current workflow whose branch probabilities sum to 1', () => {
    const loaded = loadWorkflow(discovery.workflow);
    expect(loaded.ok).toBe(true);
    const out = new Map<string, number>();
    for (const f of discovery.workflow.flows) out.set(f.from, (out.get(f.from) ?? 0) + (f.probability ?? 0));
    for (const total of out.values()) expect(total).toBeCloseTo(1, 12);
    expect(discovery.workflow.steps.filter((s) => s.kind === 'task')).toHaveLength(7);
  });
});
