/**
 * The configuration phase's evidence, line by line: per planned workflow, its open findings and
 * the current steps of today's workflow it leaves untraced, then the today → planned deltas per
 * case (staff time, waits, handoffs, clicks, paper steps), each crafted to move on its own.
 */
import { describe, expect, it } from 'vitest';
import type { Step, Workflow } from '../../formats/workflow.ts';
import { assessReadiness, type PhaseStatus } from './index.ts';
import { current, goProject, planned } from './testing/crafted.ts';

const withSteps = (w: Workflow, change: (s: Step) => Step): Workflow => ({
  ...w,
  steps: w.steps.map(change),
});

describe('configuration evidence', () => {
  it.each<{ name: string; today: Workflow; plan: Workflow; status: PhaseStatus; evidence: [string, string] }>(
    [
      {
        name: 'the same work today and planned: nothing untraced, no change',
        today: current,
        plan: planned,
        status: 'ready',
        evidence: [
          "“Check-in planned”: no open finding; 0 current steps of today's workflow untraced.",
          '“Check-in planned”, today → planned per case: staff time 3 min → 3 min; waits 0 min → 0 min; handoffs 0 → 0; clicks 2 → 2; paper steps 0 → 0.',
        ],
      },
      {
        name: 'one step of today replaced by nothing planned',
        today: current,
        plan: withSteps(planned, (s) => (s.id === 'check-in' ? { ...s, replaces: [] } : s)),
        status: 'blocked',
        evidence: [
          "“Check-in planned”: 1 problem, counted by root cause; 1 current step of today's workflow untraced.",
          '“Check-in planned”, today → planned per case: staff time 3 min → 3 min; waits 0 min → 0 min; handoffs 0 → 0; clicks 2 → 2; paper steps 0 → 0.',
        ],
      },
      {
        name: 'two steps of today untraced count as two',
        today: current,
        plan: withSteps(planned, (s) => (s.id === 'done' ? s : { ...s, replaces: [] })),
        status: 'blocked',
        evidence: [
          "“Check-in planned”: 2 problems, counted by root cause; 2 current steps of today's workflow untraced.",
          '“Check-in planned”, today → planned per case: staff time 3 min → 3 min; waits 0 min → 0 min; handoffs 0 → 0; clicks 2 → 2; paper steps 0 → 0.',
        ],
      },
      {
        name: 'a paper step today, slower and with a wait, made digital',
        today: withSteps(current, (s) =>
          s.id === 'check-in' ? { ...s, medium: 'paper', touchMin: 5, waitMin: 10, clicks: 0 } : s,
        ),
        plan: planned,
        status: 'ready',
        evidence: [
          "“Check-in planned”: no open finding; 0 current steps of today's workflow untraced.",
          '“Check-in planned”, today → planned per case: staff time 5 min → 3 min; waits 10 min → 0 min; handoffs 0 → 0; clicks 0 → 2; paper steps 1 → 0.',
        ],
      },
      {
        name: 'the planned check-in moved to another role: two handoffs more',
        today: current,
        plan: {
          ...withSteps(planned, (s) => (s.id === 'check-in' ? { ...s, lane: 'rn' } : s)),
          lanes: [...planned.lanes, { id: 'rn', name: 'Nurse', staff: 1 }],
        },
        status: 'blocked',
        evidence: [
          "“Check-in planned”: 1 problem, counted by root cause; 0 current steps of today's workflow untraced.",
          '“Check-in planned”, today → planned per case: staff time 3 min → 3 min; waits 0 min → 0 min; handoffs 0 → 2; clicks 2 → 2; paper steps 0 → 0.',
        ],
      },
    ],
  )('$name', ({ today, plan, status, evidence }) => {
    const result = assessReadiness({ ...goProject(), workflows: [today, plan] });
    const phase = result.phases.find((p) => p.id === 'configuration');
    expect(phase?.status).toBe(status);
    expect(phase?.evidence).toEqual(evidence);
  });
});
