import { describe, expect, it } from 'vitest';
import { sampleResult } from '../signoff/signing/index.ts';
import { assessReadiness } from './assess.ts';
import type { TeamSample } from './teamSample.ts';
import { goProject, openDisagreement, signedReview } from './testing/crafted.ts';

/** The go project shared with a team server: its browser holds the plan but no decision of the review. */
function sharedWithoutDecisions() {
  const project = goProject();
  return { ...project, reviews: [] };
}

const preLaunch = (result: ReturnType<typeof assessReadiness>) => {
  const phase = result.phases.find((p) => p.id === 'pre-launch');
  if (!phase) throw new Error('no pre-launch phase');
  return phase;
};

describe("a shared project's sample, judged on the team server's result", () => {
  it('shows a finished, failing review held on the server, never "no sample drawn"', () => {
    const { plan, review } = signedReview(['accept', 'reject', 'reject']);
    const failing: TeamSample = {
      result: sampleResult(review, plan),
      sentAt: '2026-11-20T09:00:00Z',
      approvals: [],
    };
    const here = sharedWithoutDecisions();
    expect(preLaunch(assessReadiness(here)).evidence.join('\n')).toMatch(/no sample drawn/);

    const result = assessReadiness(here, { teamSamples: [failing] });
    const phase = preLaunch(result);
    expect(phase.evidence.join('\n')).not.toMatch(/no sample drawn/);
    expect(phase.evidence).toContainEqual(
      expect.stringMatching(
        /^Sample plan “Patients sign-off”: on the team server, sent to the team .*3 of 3 records reviewed/,
      ),
    );
    expect(phase.reasons.map((r) => r.text)).toContainEqual(
      expect.stringMatching(/fails the clinicians' review/),
    );
    expect(result.board.signoff).toEqual([
      expect.objectContaining({ verdict: 'fail', reviewed: 3, drawn: 3 }),
    ]);
    expect(result.decision).toBe('no-go');
  });

  it('says what waits for an adjudicator, and asks for the approval of a passing result only once signed on the server', () => {
    const open = openDisagreement();
    const waiting = assessReadiness(sharedWithoutDecisions(), {
      teamSamples: [{ result: sampleResult(open.review, open.plan), approvals: [] }],
    });
    expect(preLaunch(waiting).reasons.map((r) => r.text)).toContainEqual(
      expect.stringMatching(/1 record waiting for an adjudicator/),
    );
    expect(waiting.board.signoff[0]?.verdict).toBe('open');

    const { plan, review } = signedReview(['accept', 'accept', 'accept']);
    const passing = sampleResult(review, plan);
    const unapproved = assessReadiness(sharedWithoutDecisions(), {
      teamSamples: [{ result: passing, approvals: [] }],
    });
    expect(preLaunch(unapproved).reasons.map((r) => r.text)).toContainEqual(
      expect.stringMatching(/no signature approves go-live on the team server’s result/),
    );
    const approved = assessReadiness(sharedWithoutDecisions(), {
      teamSamples: [
        { result: passing, approvals: [{ name: 'Dora Data', signedAt: '2026-11-22T10:00:00Z' }] },
      ],
    });
    expect(preLaunch(approved).reasons.some((r) => r.act === 'signoff')).toBe(false);
  });
});
