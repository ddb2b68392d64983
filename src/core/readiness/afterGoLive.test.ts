/**
 * After go-live, the project's own go-live checks and the command centre's issue log become the
 * Go-live phase's evidence, and each figure past its threshold a risk — never a block, and
 * nothing at all before there is a check.
 */
import { describe, expect, it } from 'vitest';
import { withCommandCentre } from '../../formats/cutover.ts';
import type { CheckResult, Project } from '../../formats/project.ts';
import { canonicalSha256Hex } from '../hash/index.ts';
import { assessReadiness } from './index.ts';
import { COMMAND_CENTRE, goProject } from './testing/crafted.ts';

function result(over: Partial<CheckResult> = {}): CheckResult {
  return {
    method: 'alignment',
    cases: 100,
    conformingCases: 95,
    fitness: 0.97,
    minCaseFitness: 0.8,
    unalignedCases: 0,
    skipped: {},
    inserted: {},
    insertedAfter: {},
    workarounds: { 'call the lab': 2 },
    repeatedEntry: {},
    times: {
      'check-in': {
        designedTouchMin: 3,
        designedWaitMin: 4,
        touch: { n: 100, meanMin: 3, medianMin: 3, p90Min: 4 },
        wait: { n: 100, meanMin: 4, medianMin: 4, p90Min: 6 },
        slower: 5,
      },
    },
    matched: {},
    unloggedDecisions: [],
    ...over,
  };
}

function checked(check: CheckResult, edit = false): Project {
  const project = goProject();
  const planned = project.workflows.find((w) => w.state === 'future');
  if (!planned) throw new Error('no planned workflow');
  const sha = canonicalSha256Hex(planned);
  return {
    ...project,
    workflows: edit
      ? project.workflows.map((w) => (w === planned ? { ...w, arrivalsPerHour: 5 } : w))
      : project.workflows,
    workflowChecks: [
      {
        id: planned.id,
        workflowSha256: sha,
        log: 'week1.csv',
        checkedAt: '2026-12-08T17:00:00Z',
        result: check,
      },
    ],
  };
}

const afterRisks = (project: Project) =>
  assessReadiness(project)
    .risks.filter((r) => r.text.startsWith('After go-live') || r.text.startsWith('Command centre:'))
    .map((r) => r.text);

describe('after go-live', () => {
  it('says nothing before there is a check or an issue', () => {
    const result = assessReadiness(goProject());
    expect(result.afterGoLive).toEqual({ workflows: [], issuesByDay: [], openIssues: 0 });
    expect(afterRisks(goProject())).toEqual([]);
  });

  it('gives the first weeks as Go-live evidence; within every threshold, no risk', () => {
    const project = checked(result());
    expect(assessReadiness(project).phases.find((p) => p.id === 'go-live')?.evidence).toContain(
      'After go-live, “Check-in planned” (week1.csv, checked 2026-12-08): 100 cases, 95 % as designed (fitness 0.97), workarounds in 2 % of cases, 0 steps waiting longer and 0 steps slower than designed.',
    );
    expect(afterRisks(project)).toEqual([]);
  });

  it.each([
    {
      description: 'drift from the design',
      over: { fitness: 0.85 },
      risk: 'After go-live, “Check-in planned” drifted from its design: fitness 0.85, under 0.90. See where on the Workflows screen (check against the plan).',
    },
    {
      description: 'workarounds on too many cases',
      over: { workarounds: { 'call the lab': 6, spreadsheet: 1 } },
      risk: 'After go-live, “Check-in planned”: workarounds in 7 % of cases, over 5 %. Ask the roles why and fix the design or the system.',
    },
    {
      description: 'a wait well over the design',
      over: {
        times: {
          'check-in': {
            designedTouchMin: 3,
            designedWaitMin: 4,
            wait: { n: 100, meanMin: 9, medianMin: 8, p90Min: 12 },
            slower: 0,
          },
        },
      },
      risk: 'After go-live, “Check-in planned”: check-in waits 8 min (designed 4 min), more than 50 % over the design.',
    },
    {
      description: 'a step slower than designed',
      over: {
        times: {
          'check-in': {
            designedTouchMin: 3,
            designedWaitMin: 4,
            touch: { n: 100, meanMin: 6, medianMin: 6, p90Min: 8 },
            slower: 80,
          },
        },
      },
      risk: 'After go-live, “Check-in planned”: check-in slower than designed.',
    },
  ])('turns $description into a risk', ({ over, risk }) => {
    const project = checked(result(over as Partial<CheckResult>));
    expect(afterRisks(project)).toEqual([risk]);
    expect(assessReadiness(project).decision).toBe('go');
  });

  it('names a check of a workflow edited since as stale and judges nothing on it', () => {
    const project = checked(result({ fitness: 0.5 }), true);
    expect(afterRisks(project)).toEqual([]);
    expect(assessReadiness(project).afterGoLive.workflows[0]?.stale).toBe(true);
  });

  it('counts the issue log by day and names what is open in the most urgent category', () => {
    const project = goProject();
    const urgent = COMMAND_CENTRE.triage[0]?.name ?? '';
    const other = COMMAND_CENTRE.triage[1]?.name ?? urgent;
    const logged = {
      ...project,
      meta: {
        ...project.meta,
        settings: withCommandCentre(project.meta.settings, {
          ...COMMAND_CENTRE,
          issues: [
            {
              id: 'i1',
              day: '2026-12-01',
              category: urgent,
              title: 'Allergy banner missing',
              status: 'open',
            },
            { id: 'i2', day: '2026-12-01', category: other, title: 'Printer queue', status: 'closed' },
            { id: 'i3', day: '2026-12-02', category: other, title: 'Slow login', status: 'open' },
          ],
        }),
      },
    };
    const result = assessReadiness(logged);
    expect(result.afterGoLive.issuesByDay.map((d) => [d.day, d.total])).toEqual([
      ['2026-12-01', 2],
      ['2026-12-02', 1],
    ]);
    expect(result.afterGoLive.openIssues).toBe(2);
    expect(afterRisks(logged)).toEqual([
      `Command centre: 1 issue still open under “${urgent}”: “Allergy banner missing” (2026-12-01).`,
    ]);
  });
});
