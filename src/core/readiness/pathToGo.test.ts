import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadProjectFile, type Project } from '../../formats/project.ts';
import { readRollbackPlan, withRollbackPlan } from '../../formats/rollbackPlan.ts';
import {
  PROJECT_SAFETY_ASSESSMENT_KEY,
  readSafetyAssessment,
  type SafetyAnswer,
} from '../../formats/steering.ts';
import type { Workflow } from '../../formats/workflow.ts';
import { assessReadiness } from './assess.ts';
import { goLiveDay, runbookRows } from './meetingPack.ts';
import {
  PATH_RISK,
  type PathToGoEffect,
  pathDueWords,
  pathOwnerWords,
  pathPastWords,
  pathToGo,
  pathToGoLines,
} from './pathToGo.ts';
import { goProject, report, signedReview } from './testing/crafted.ts';

const TODAY = '2026-11-27';

function demo(): Project {
  const loaded = loadProjectFile(
    JSON.parse(
      readFileSync(new URL('../../../samples/projects/demo-clinic.preflight.json', import.meta.url), 'utf8'),
    ),
  );
  if (!loaded.ok) throw new Error('the demo project does not load');
  return loaded.value.project;
}

/**
 * A planned workflow redrawn as one screen task per role, each replacing today's steps of its
 * role: the smallest design the analysis finds nothing in. It stands for the redesign the action
 * asks for; its lanes (and so the roles judged by training and discovery) stay as they were.
 */
function redesigned(project: Project, workflow: Workflow): Workflow {
  const today = project.workflows.find((w) => w.id === workflow.baseline);
  const start = workflow.steps.find((s) => s.kind === 'start');
  const end = workflow.steps.find((s) => s.kind === 'end');
  const task = workflow.steps.find((s) => s.kind !== 'start' && s.kind !== 'end');
  if (!today || !start || !end || !task) throw new Error(`${workflow.id} cannot be redrawn`);
  const tasks = workflow.lanes.map((lane, i) => ({
    ...task,
    id: `task-${i}`,
    lane: lane.id,
    label: `Work of ${lane.name}`,
    medium: 'digital' as const,
    touchMin: 2,
    waitMin: 0,
    clicks: 2,
    enters: [],
    replaces: today.steps
      .filter((s) => s.lane === lane.id || (i === 0 && !workflow.lanes.some((l) => l.id === s.lane)))
      .map((s) => s.id),
  }));
  const steps = [{ ...start, replaces: [] }, ...tasks, { ...end, replaces: [] }];
  return {
    ...workflow,
    steps,
    flows: steps.slice(1).map((s, i) => ({ from: steps[i]?.id ?? '', to: s.id, transfer: 'none' as const })),
  };
}

/** `project` with the evidence `effect` says the action records. */
function applied(project: Project, effect: PathToGoEffect): Project {
  const settings = project.meta.settings;
  switch (effect.kind) {
    case 'fix-workflow':
      return {
        ...project,
        workflows: project.workflows.map((w) => (w.id === effect.workflowId ? redesigned(project, w) : w)),
      };
    case 'recheck-extract': {
      const dataset = project.datasets.find((d) => d.id === effect.datasetId);
      if (!dataset) throw new Error(effect.datasetId);
      const run = report(1000, 1000, '2026-11-26T10:00:00Z');
      const input = run.inputs[0];
      if (!input) throw new Error('no input');
      return {
        ...project,
        reports: [
          ...project.reports,
          {
            ...run,
            id: `recheck-${dataset.id}`,
            inputs: [{ ...input, name: dataset.name, dataset: dataset.id }],
          },
        ],
      };
    }
    case 'sign-off-sample': {
      // a signed, passing sample stands in for the plan's own
      const { plan, review } = signedReview(['accept', 'accept', 'accept']);
      const others = project.samplePlans.filter((p) => p.id !== effect.planId && p.id !== plan.id);
      return {
        ...project,
        samplePlans: [...others, plan],
        reviews: [...(project.reviews ?? []).filter((r) => r.plan.id !== plan.id), review],
      };
    }
    case 'assess-safety': {
      const answers = readSafetyAssessment(settings).answers.filter((a) => !effect.itemIds.includes(a.item));
      const set: SafetyAnswer[] = effect.itemIds.map((item) => ({
        item,
        status: effect.atLeast,
        owner: 'Rae Lindqvist',
        by: 'Rae Lindqvist',
        at: '2026-11-26T10:00:00+01:00',
      }));
      return {
        ...project,
        meta: {
          ...project.meta,
          settings: { ...settings, [PROJECT_SAFETY_ASSESSMENT_KEY]: { answers: [...answers, ...set] } },
        },
      };
    }
    case 'complete-rollback-plan': {
      const plan = readRollbackPlan(settings);
      if (!plan) throw new Error('no rollback plan');
      const complete = { ...plan, paperForms: true, legacyReadOnly: true, downtimeReports: true };
      return { ...project, meta: { ...project.meta, settings: withRollbackPlan(settings, complete) } };
    }
    case 'resolve':
      throw new Error(`no evidence is recorded for: ${effect.reason}`);
  }
}

describe('the path to go', () => {
  it('on the demo project: every blocking reason is cleared by one action, with the gate, owner and due day', () => {
    const project = demo();
    const result = assessReadiness(project, { today: TODAY });
    const path = pathToGo(project, result, TODAY);
    expect(path.length).toBeGreaterThan(0);
    // fewer actions than reasons: reasons of one subject fold into one action
    expect(path.length).toBeLessThan(result.reasons.length);
    expect(path.flatMap((a) => a.resolves).sort()).toEqual(result.reasons.map((r) => r.text).sort());
    expect(path.every((a) => a.effect.kind !== 'resolve')).toBe(true);
    const extract = path.find(
      (a) => a.effect.kind === 'recheck-extract' && a.action.startsWith('Fix patients.csv'),
    );
    // the share and the findings across files of one extract are one re-check
    expect(extract).toMatchObject({
      gate: 'minValidShare',
      owner: 'Tom Hale',
      ownerFrom: 'the owner of the final extract (cutover runbook)',
      due: '2024-07-26',
      // the demo's go-live day was in 2024: its due days are past, flagged, never a plan
      dueState: 'past',
    });
    expect(extract?.resolves).toHaveLength(2);
    expect(path.find((a) => a.effect.kind === 'complete-rollback-plan')).toMatchObject({
      gate: 'requireRollbackPlan',
      owner: 'Dr Ines Moreau, clinical lead, with the practice manager',
      due: '2024-07-29',
      dueState: 'past',
    });
    // no record names who assesses an unowned practice: null, said, and who must name one
    const safety = path.find((a) => a.effect.kind === 'assess-safety' && a.owner === null);
    expect(safety?.ownerFrom).toMatch(/^no owner is recorded for/);
    expect(safety?.ownerNamedBy).toMatchObject({ role: 'lead' });
    const lines = pathToGoLines(path);
    expect(lines[0]).toBe(
      `Path to go: ${path.length} actions clear ${result.reasons.length} blocking reasons, highest risk first.`,
    );
    expect(lines[1]).toBe(
      `  Every due day of the path (${path.length} actions) is already past: set the day the clinic will go live (rollback/downtime plan) and replan the cutover runbook, then the due days follow.`,
    );
    // no line prints a 2024 day as a plan
    for (const line of lines.slice(2)) expect(line).toMatch(/; due: OVERDUE: the .+ was 2024-07-2\d\.$/);
  });

  it('on the demo project: applying every action’s effect passes every gate', () => {
    let project = demo();
    for (const action of pathToGo(project, assessReadiness(project, { today: TODAY }), TODAY))
      project = applied(project, action.effect);
    const after = assessReadiness(project, { today: TODAY });
    expect(after.reasons.map((r) => r.text)).toEqual([]);
    expect(after.decision).toBe('go');
    expect(pathToGo(project, after, TODAY)).toEqual([]);
  });

  it('is empty on go', () => {
    const project = goProject();
    expect(pathToGo(project, assessReadiness(project), TODAY)).toEqual([]);
    expect(pathToGoLines([])).toEqual(['Path to go: nothing blocks.']);
  });
});

/** `project` with its planned go-live day moved to `goLiveDate`. */
function withGoLive(project: Project, goLiveDate: string): Project {
  const plan = readRollbackPlan(project.meta.settings);
  if (!plan) throw new Error('no rollback plan');
  return {
    ...project,
    meta: { ...project.meta, settings: withRollbackPlan(project.meta.settings, { ...plan, goLiveDate }) },
  };
}

describe('the path to go: owners, due days and order', () => {
  it('every action of the demo has an owner, or names the team role that must name one and where', () => {
    const project = demo();
    const path = pathToGo(project, assessReadiness(project, { today: TODAY }), TODAY);
    for (const a of path) {
      if (a.owner !== null) expect(a.ownerNamedBy, a.action).toBeUndefined();
      else {
        expect(a.ownerNamedBy?.role, a.action).toMatch(/^(lead|data)$/);
        expect(pathOwnerWords(a)).toMatch(/^none yet: the (project|data) lead names one as /);
      }
    }
    // without a runbook owner, the sample falls to the data lead on the roster
    expect(path.filter((a) => a.effect.kind === 'sign-off-sample').map((a) => a.owner)).toEqual([
      'Dr Sam Okafor',
      'Dr Sam Okafor',
    ]);
  });

  it('due days ahead of today are a plan; the same days once past are overdue, never a plan', () => {
    // the go project's blocking reasons: an extract under the gate, a practice not assessed
    const base = goProject();
    const blocked: Project = {
      ...base,
      reports: [report(900)],
      meta: {
        ...base.meta,
        settings: { ...base.meta.settings, [PROJECT_SAFETY_ASSESSMENT_KEY]: { answers: [] } },
      },
    };
    const ahead = withGoLive(blocked, '2026-12-20');
    const judged = assessReadiness(ahead, { today: '2026-11-27' });
    const planned = pathToGo(ahead, judged, '2026-11-27');
    expect(planned.length).toBeGreaterThan(1);
    for (const a of planned) {
      expect(a.dueState, a.action).toBe(a.due === null ? 'none' : 'ahead');
      if (a.due !== null) expect(pathDueWords(a)).toBe(a.due);
    }
    expect(pathPastWords(planned)).toBeNull();
    // the same project read a month later: every recorded day has gone by
    const late = pathToGo(ahead, judged, '2027-01-04');
    for (const a of late.filter((x) => x.due !== null)) {
      expect(a.dueState).toBe('past');
      expect(pathDueWords(a)).toBe(`OVERDUE: ${a.dueFrom} was ${a.due}`);
    }
    // the day itself is still ahead (due by the end of it)
    const onTheDay = pathToGo(ahead, judged, '2026-12-20').filter((a) => a.due === '2026-12-20');
    expect(onTheDay.length).toBeGreaterThan(0);
    expect(onTheDay.every((a) => a.dueState === 'ahead')).toBe(true);
    // no day recorded: none, said
    const { goLiveDate: _d, ...without } = readRollbackPlan(ahead.meta.settings) ?? { present: false };
    const noDay = {
      ...ahead,
      meta: {
        ...ahead.meta,
        settings: withRollbackPlan(ahead.meta.settings, without as Parameters<typeof withRollbackPlan>[1]),
      },
    };
    const undated = pathToGo(noDay, assessReadiness(noDay, { today: TODAY }), TODAY).filter(
      (a) => a.effect.kind === 'assess-safety',
    );
    expect(undated[0]).toMatchObject({ due: null, dueState: 'none' });
  });

  it('is ordered by the risk each action removes: the rank never goes down, ties by reasons cleared', () => {
    const project = demo();
    const path = pathToGo(project, assessReadiness(project, { today: TODAY }), TODAY);
    const ranks = path.map((a) => PATH_RISK[a.effect.kind].rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    for (let i = 1; i < path.length; i++) {
      const [before, after] = [path[i - 1], path[i]];
      if (before && after && PATH_RISK[before.effect.kind].rank === PATH_RISK[after.effect.kind].rank)
        expect(before.resolves.length).toBeGreaterThanOrEqual(after.resolves.length);
    }
    // the clinicians' sample first, the workflows' redesigns last
    expect(path[0]?.effect.kind).toBe('sign-off-sample');
    expect(path.at(-1)?.effect.kind).toBe('fix-workflow');
    expect(path.every((a) => a.risk === PATH_RISK[a.effect.kind].words)).toBe(true);
    // every kind of action has a rank of its own
    expect(new Set(Object.values(PATH_RISK).map((r) => r.rank)).size).toBe(Object.keys(PATH_RISK).length);
  });

  it('a sample drawn, reviewed and failed is told to fix the cause and draw anew with a new seed, never topped up', () => {
    const { plan, review } = signedReview(['accept', 'reject', 'accept']);
    const project = { ...goProject(), samplePlans: [plan], reviews: [review] };
    const result = assessReadiness(project, { today: TODAY });
    expect(result.board.signoff[0]?.verdict).toBe('fail');
    const action = pathToGo(project, result, TODAY).find((a) => a.effect.kind === 'sign-off-sample');
    expect(action?.action).toMatch(/^Find on the Sign-off screen what the clinicians marked wrong in “/);
    expect(action?.action).toContain('draw a new sample');
    expect(action?.action).toContain('with a new seed');
    expect(action?.action).toContain('never add records to the failed sample');
    expect(action?.action).not.toMatch(/^Draw, review and sign/);
    // a sample not drawn is still told to draw it
    const undrawn = { ...goProject(), reviews: [] };
    const first = pathToGo(undrawn, assessReadiness(undrawn, { today: TODAY }), TODAY).find(
      (a) => a.effect.kind === 'sign-off-sample',
    );
    expect(first?.action).toMatch(/^Draw, review and sign “/);
  });
});

describe('the go-live day and the runbook table', () => {
  const withDay = (project: Project, goLiveDate: string): Project => {
    const plan = readRollbackPlan(project.meta.settings);
    if (!plan) throw new Error('no rollback plan');
    return {
      ...project,
      meta: { ...project.meta, settings: withRollbackPlan(project.meta.settings, { ...plan, goLiveDate }) },
    };
  };
  it.each([
    { description: 'two years past', day: '2024-07-29', today: TODAY, state: 'past' },
    {
      description: 'tomorrow, the runbook planned to start yesterday',
      day: '2026-11-29',
      today: '2026-11-28',
      state: 'too-close',
    },
    { description: 'ahead, the runbook not yet due', day: '2026-12-15', today: '2026-11-20', state: 'ok' },
    {
      description: 'ahead, but before the runbook’s last step',
      day: '2026-11-29',
      today: '2026-11-20',
      state: 'too-close',
    },
    { description: 'the day itself', day: '2026-11-29', today: '2026-11-29', state: 'too-close' },
  ])('$description: $state', ({ day, today, state }) => {
    // the go project's runbook starts on 2026-11-27
    const judged = goLiveDay(withDay(goProject(), day), today);
    expect(judged.state).toBe(state);
    expect(judged.day).toBe(day);
  });

  it('without a go-live day: unknown, and said', () => {
    const project = goProject();
    const plan = readRollbackPlan(project.meta.settings);
    if (!plan) throw new Error('no rollback plan');
    const { goLiveDate: _d, ...without } = plan;
    const judged = goLiveDay(
      { ...project, meta: { ...project.meta, settings: withRollbackPlan(project.meta.settings, without) } },
      TODAY,
    );
    expect(judged).toMatchObject({ day: null, state: 'unknown' });
  });

  it('reads each step’s duration as the time to the first step that waits for it', () => {
    const rows = runbookRows(demo());
    expect(rows.find((r) => r.id === 'freeze')).toMatchObject({
      owner: 'Ana Ruiz',
      start: '2024-07-26T17:00',
      durationMin: 60,
      after: ['Go/no-go checkpoint 1 (three weeks out)'],
      status: 'planned',
    });
    expect(rows.find((r) => r.id === 'open-orders')).toMatchObject({ owner: null, durationMin: null });
  });
});
