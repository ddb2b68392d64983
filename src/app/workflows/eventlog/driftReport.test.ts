import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  conform,
  type Deviations,
  playedCsv,
  playWorkflow,
  readCsvLogText,
} from '../../../core/workflow/eventlog/index.ts';
import { labSubProcess } from '../../../core/workflow/index.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { driftReport, formatMinutes, formatShare } from './driftReport.ts';

const future = JSON.parse(
  readFileSync(new URL('../../../../samples/workflows/patient-intake.future.json', import.meta.url), 'utf8'),
) as Workflow;
const MAPPING = {
  case: 'case',
  activity: 'activity',
  timestamp: 'timestamp',
  lifecycle: 'lifecycle',
  resource: 'resource',
};

function reportOf(seed: number, deviations?: Deviations) {
  const played = playWorkflow(future, { seed, cases: 120, ...(deviations ? { deviations } : {}) });
  const read = readCsvLogText(playedCsv(played.events), { mapping: MAPPING });
  return { report: driftReport(conform(read.log, future), future), planted: played.planted };
}

describe('driftReport', () => {
  it('a log played without deviations reads as no drift, nothing highlighted', () => {
    const { report } = reportOf(1);
    expect(report.sentences[0]).toContain('120 (100 %) followed the planned workflow exactly');
    expect(report.sentences.at(-1)).toBe('No drift: staff work the way the workflow was designed.');
    expect(report.highlighted.size).toBe(0);
    expect(report.extras).toEqual([]);
  });

  it('names the planted skipped steps, workarounds, repeats and slow steps with their counts', () => {
    const { report, planted } = reportOf(7, {
      skip: { 'scan-consent': 12 },
      insert: { 'Print form': 9, 'Call lab': 4 },
      repeat: { checkout: 5 },
      slower: { 'room-patient': 6 },
    });
    const text = report.sentences.join('\n');
    expect(text).toContain('“Scan signed consent back into the EHR media tab” in 12 cases');
    expect(text).toContain('likely workarounds: “Print form” (9 times) and “Call lab” (4 times)');
    expect(text).toContain(
      'entered again: “Check out: collect copay, book follow-up (12 screens)” in 5 cases',
    );
    // six long visits out of 120 do not make the step slower than planned: said as long visits
    expect(text).toContain(
      'Some visits ran more than 50 % over the planned staff time, while the step typically takes about the planned time: “Room patient” (6 times).',
    );
    expect(text).not.toContain('Slower than planned');
    expect(report.steps.find((s) => s.stepId === 'scan-consent')?.skipped).toBe(
      planted.skipped['scan-consent'],
    );
    expect(report.extras.filter((e) => e.workaround).map((e) => [e.activity, e.times])).toEqual([
      ['Print form', 9],
      ['Call lab', 4],
    ]);
    expect([...report.highlighted].sort()).toEqual(['checkout', 'scan-consent']);
  });

  it('calls a step slower than planned only when its typical time is beyond the stated tolerance', () => {
    const { report } = reportOf(7, { slower: { 'room-patient': 100 } });
    const text = report.sentences.join('\n');
    expect(text).toContain(
      'Slower than planned (the typical (median) staff time is more than 50 % above the planned time): “Room patient” (typically',
    );
    expect(text).toContain('100 times beyond it)');
    expect([...report.highlighted]).toEqual(['room-patient']);
  });

  it.each([
    { value: undefined, expected: '—' },
    { value: 4.44, expected: '4.4 min' },
    { value: 12.6, expected: '13 min' },
    { value: 1896, expected: '31.6 h' },
    { value: 7244, expected: '5 days' },
  ])('formatMinutes($value) is $expected', ({ value, expected }) => {
    expect(formatMinutes(value)).toBe(expected);
  });

  it.each([
    { share: 0, expected: '0 %' },
    { share: 0.004, expected: 'under 1 %' },
    { share: 0.52, expected: '52 %' },
  ])('formatShare($share) is $expected', ({ share, expected }) => {
    expect(formatShare(share)).toBe(expected);
  });
});

describe('driftReport: how the log was read', () => {
  const workflow = labSubProcess();

  it('says a sub-process the log names alone was checked as one activity', () => {
    const text = 'case,activity,timestamp\nc1,Lab work,2026-01-05T08:00:00Z\n';
    const read = readCsvLogText(text, {
      mapping: { case: 'case', activity: 'activity', timestamp: 'timestamp' },
    });
    const report = driftReport(conform(read.log, workflow), workflow);
    expect(report.sentences).toContain(
      'Sub-process “Lab work” was checked as one activity: the log names it, never the steps inside it.',
    );
    expect(report.sentences.at(-1)).toBe('No drift: staff work the way the workflow was designed.');
  });
});
