/**
 * Seeded synthetic event logs for the event-log benchmarks: the demo clinic's future intake
 * workflow (samples/workflows/patient-intake.future.json) played by the tests' generator, with
 * a few percent of planted deviations so conformance does real alignment work.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createEventLogBuilder,
  type Deviations,
  type EventLog,
  ProblemList,
  playedCsv,
  playWorkflow,
} from '../../src/core/workflow/eventlog/index.ts';
import type { Workflow } from '../../src/formats/workflow.ts';

const SEED = 20261123;
const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The demo future intake workflow. */
export function intakeFuture(): Workflow {
  return JSON.parse(
    readFileSync(path.join(HERE, '../../samples/workflows/patient-intake.future.json'), 'utf8'),
  ) as Workflow;
}

/** Deviations in about 6 % of cases. */
function deviations(cases: number): Deviations {
  const share = (p: number) => Math.round(cases * p);
  return {
    skip: { 'scan-consent': share(0.02) },
    insert: { 'Spreadsheet update': share(0.015), 'Print form': share(0.01) },
    repeat: { 'ma-allergy-med-entry': share(0.01) },
    slower: { 'physician-visit': share(0.01) },
  };
}

/** Events per played case of the intake workflow, measured on a small sample. */
function eventsPerCase(workflow: Workflow): number {
  const sample = 1000;
  return playWorkflow(workflow, { seed: SEED, cases: sample }).events.length / sample;
}

/** A CSV log of about `events` events (`case,activity,lifecycle,timestamp,resource`). */
export function benchLogCsv(events: number): string {
  const workflow = intakeFuture();
  const cases = Math.round(events / eventsPerCase(workflow));
  // one-minute arrivals keep a million events inside a few weeks of clinic time
  return playedCsv(
    playWorkflow(workflow, { seed: SEED, cases, interArrivalMin: 1, deviations: deviations(cases) }).events,
  );
}

/** An event log of `cases` cases built directly (no CSV), for the conformance benchmark. */
export function benchLogForConformance(cases: number): EventLog {
  const workflow = intakeFuture();
  const builder = createEventLogBuilder();
  const batch = 10_000;
  let row = 0;
  for (let done = 0; done < cases; done += batch) {
    const n = Math.min(batch, cases - done);
    const played = playWorkflow(workflow, {
      seed: SEED + done,
      cases: n,
      interArrivalMin: 1,
      deviations: deviations(n),
    });
    for (const e of played.events) {
      row++;
      builder.add({
        row,
        caseId: `${done}:${e.caseId}`,
        activity: e.activity,
        kind: e.lifecycle === 'start' ? 1 : 2,
        time: e.time,
        resource: e.resource,
      });
    }
  }
  return builder.finish(new ProblemList());
}
