/**
 * Every common event-log shape (testing/logShapes.ts), read the way the browser and the CLI read
 * a log they are given no columns for: the preview's proposal, the case column said in words and
 * judged on the whole log, then reading, discovery and the log findings — each against the
 * figures the generator counted as it wrote the log.
 */
import { describe, expect, it } from 'vitest';
import { logFindings } from '../logFindings.ts';
import { readCsvLogText } from './csvLog.ts';
import { discoverWorkflow } from './discover.ts';
import { describeLeftOut, LOG_PROBLEM_CODES } from './eventLog.ts';
import {
  caseColumnCheckedOnWholeLog,
  describeCaseColumn,
  describeXesCases,
  previewLog,
} from './logPreview.ts';
import { logShapes } from './testing/logShapes.ts';
import { createLocalClock } from './timestamps.ts';
import { readXesLogText } from './xesLog.ts';

const shapes = logShapes();

describe.each(shapes)('$description ($name)', ({ name, text, expected }) => {
  const xes = name.endsWith('.xes');
  const preview = previewLog(new TextEncoder().encode(text), name);
  const mapping = preview.proposal;
  const read = xes ? readXesLogText(text, { mapping }, name) : readCsvLogText(text, { mapping }, name);
  const problems = read.problems.list();
  const problem = (code: string) => problems.find((p) => p.code === code);

  it('proposes the case column the log convention or the column names say, and says why', () => {
    expect(mapping.case).toBe(expected.caseColumn);
    if (xes) {
      expect(describeXesCases(mapping.case)).toBe(
        'Cases are the log\'s traces, told apart by their "concept:name" (the XES convention).',
      );
      return;
    }
    const choice = describeCaseColumn(preview, mapping.case, mapping.case, {
      cases: read.log.cases.length,
      events: read.log.events,
    });
    expect(choice.how).toBe(expected.how);
    expect(choice.fewCases).toBe(expected.fewCases);
    expect(choice.message).toContain(`"${expected.caseColumn}"`);
    // the hint before reading judges the first rows: where it warned and the whole log has enough
    // cases (one long case first), the whole log's answer is said after reading
    const hint = describeCaseColumn(preview, mapping.case, mapping.case);
    const settled = caseColumnCheckedOnWholeLog(preview, mapping.case, {
      cases: read.log.cases.length,
      events: read.log.events,
    });
    expect(settled !== undefined).toBe(hint.fewCases && !choice.fewCases);
    if (hint.fewCases)
      expect(hint.message).toContain('rows only; the whole log is checked again once it is read');
    if (expected.fewColumn) {
      const other = describeCaseColumn(preview, expected.fewColumn, mapping.case);
      expect(other).toMatchObject({ how: 'chosen', fewCases: true });
      expect(other.message).toContain('may be a category rather than a case id');
      // read whole with that column, as the user chose it: still few cases for the events
      const wrong = readCsvLogText(text, { mapping: { ...mapping, case: expected.fewColumn } }, name);
      const judged = describeCaseColumn(preview, expected.fewColumn, mapping.case, {
        cases: wrong.log.cases.length,
        events: wrong.log.events,
      });
      expect(judged.fewCases).toBe(true);
      expect(judged.message).toContain(`events in the whole log`);
    }
  });

  it('reads every case and every activity, with no error', () => {
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(read.log.cases.length).toBe(expected.cases);
    expect(read.log.activities).toEqual(expected.activities);
  });

  it('reads unmatched completes as atomic events and says how many', () => {
    expect(read.log.unmatchedCompletes ?? 0).toBe(expected.unmatchedCompletes);
    expect(read.log.atomicCompletes ?? false).toBe(expected.atomicCompletes);
    expect(problem(LOG_PROBLEM_CODES.completeWithoutStart)).toBeUndefined();
    expect(problem(LOG_PROBLEM_CODES.startWithoutComplete)?.count ?? 0).toBe(expected.startsWithoutComplete);
  });

  it('says which lifecycle events it left out, by transition, and never fills in a missing time', () => {
    const ignored = problem(LOG_PROBLEM_CODES.ignoredLifecycle);
    const total = Object.values(expected.leftOut).reduce((s, n) => s + n, 0);
    expect(ignored?.count ?? 0).toBe(total);
    if (ignored) {
      expect(ignored.detail).toEqual({
        byTransition: expected.leftOut,
        activitiesOnlyLeftOut: expected.activitiesOnlyLeftOut,
      });
    }
    expect(problem(LOG_PROBLEM_CODES.missingTimestamp)?.count ?? 0).toBe(expected.missingTimes);
    const startsAndCompletes = read.log.events;
    expect(startsAndCompletes + total + expected.missingTimes).toBe(read.rows);
  });

  it('finds what the log shows, with its figures, and nothing on a clean log', () => {
    const { workflow } = discoverWorkflow(read.log, createLocalClock('UTC'));
    const labels = workflow.steps.filter((s) => s.kind !== 'start' && s.kind !== 'end').map((s) => s.label);
    expect(labels.sort()).toEqual(expected.activities);
    const findings = logFindings(workflow);
    expect(findings.map((f) => f.rule).sort()).toEqual(expected.findings.map((f) => f.rule).sort());
    for (const want of expected.findings) {
      const found = findings.find((f) => f.rule === want.rule);
      expect(found?.evidence).toMatchObject(want.data);
      if (want.step) {
        const step = workflow.steps.find((s) => s.label === want.step);
        expect(found?.stepIds).toContain(step?.id);
      }
    }
  });
});

describe('the words said about a log', () => {
  it('names each left-out transition with its count, and the activities only they had', () => {
    expect(
      describeLeftOut({ byTransition: { assign: 40, schedule: 48, withdraw: 8 }, activitiesOnlyLeftOut: 1 }),
    ).toBe(
      'Left out: 48 schedule, 40 assign, 8 withdraw. 1 activity appears only in these events, so it is not on the map.',
    );
  });

  it('says the long wait before ER Registration in hours, as the log shows it', () => {
    const sepsis = shapes.find((s) => s.name === 'sepsis.xes');
    if (!sepsis) throw new Error('the Sepsis shape is missing');
    const read = readXesLogText(sepsis.text, {
      mapping: previewLog(new TextEncoder().encode(sepsis.text), sepsis.name).proposal,
    });
    const [wait] = logFindings(discoverWorkflow(read.log, createLocalClock('UTC')).workflow).filter(
      (f) => f.rule === 'long-wait',
    );
    expect(wait?.message).toMatch(/before “?"?ER Registration/);
    expect(wait?.message).toContain('mean 3.2 h');
  });
});
