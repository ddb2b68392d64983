/**
 * The workspaces of an open project as the app shows them, against this browser's real link store
 * (fake-indexeddb) and a stand-in team server at the client's fetch: every workspace knows whether
 * the project is shared with the team server and who is signed in to it, so a steering member of
 * a shared project signs the go/no-go on the server as herself, never with a typed name.
 */
import 'fake-indexeddb/auto';
import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createProject } from '../core/project/changes.ts';
import {
  addSteeringSignature,
  assessSharedReadiness,
  prepareSteeringSignature,
  reportSummariesOf,
  sharedReportSummaries,
} from '../core/readiness/index.ts';
import { current, goProject, planned, report, signedReview } from '../core/readiness/testing/crafted.ts';
import {
  type ServerSteeringDecision,
  STEERING_NO_GO_MEANING,
  sampleResult,
  sampleResultFingerprint,
} from '../core/signoff/signing/index.ts';
import { emptySyncState, localRecords, pullIntoNewProject, recordSha256 } from '../core/teamRecords/index.ts';
import { localDay } from '../core/validation/index.ts';
import type { Project } from '../formats/project.ts';
import { withSteeringDecision } from '../formats/steering.ts';
import type { Workflow } from '../formats/workflow.ts';
import { OpenWorkspace } from './App.tsx';
import type { ProjectSession } from './projects/projectSession.ts';
import { TYPED_NAME_ON_SHARED } from './readiness/SteeringPanel.tsx';
import { announceLinkChange } from './team/linkEvents.ts';
import { TeamClient } from './team/teamClient.ts';
import { teamSyncStore } from './team/useSharedRecords.ts';
import type { TeamServerState } from './team/useTeamServer.ts';

const NOW = '2026-11-25T10:00:00.000Z';
let runs = 0;

/** A project of this browser linked to team project `team-1`, under a fresh id. */
async function sharedProject(settings: Record<string, unknown> = {}) {
  return linked(createProject({ id: 'any', name: 'Ward 4 go-live', now: NOW, settings }));
}

/** `made` under a fresh id, linked to team project `team-1` in this browser. */
async function linked(made: Project): Promise<Project> {
  runs += 1;
  const project = { ...made, meta: { ...made.meta, id: `shared-${runs}` } };
  await teamSyncStore().put({
    project: project.meta.id,
    teamProjectId: 'team-1',
    teamProjectName: 'Ward 4 go-live',
    state: emptySyncState(),
  });
  return project;
}

/**
 * Sana Yusuf signed in, against a server that has no go/no-go signed yet and holds the sign-off
 * samples `results` (none by default), with no signature on them, and, when given, the team's
 * shared workflows and shared records (`team`).
 */
function signedInAsSana(
  results: unknown[] = [],
  decisions: ServerSteeringDecision[] = [],
  team?: { workflows: Workflow[]; records: unknown[] },
): TeamServerState {
  const answer = (body: unknown) => new Response(JSON.stringify(body), { status: 200 });
  const shared = (input: string) => {
    if (team === undefined) return undefined;
    if (input.endsWith('/workflows'))
      return answer({
        workflows: team.workflows.map((w) => ({ ...w, process: null, head: 1, sharedAt: NOW })),
      });
    const open = /\/workflows\/([^/?]+)$/.exec(input);
    if (open) return answer({ workflow: team.workflows.find((w) => w.id === open[1]), head: 1 });
    if (input.includes('/records?after=0'))
      return answer({ head: team.records.length, records: team.records });
    return undefined;
  };
  const fetchImpl = async (input: string) =>
    shared(input) ??
    (input.endsWith('/steering-signatures')
      ? answer({ decisions })
      : input.endsWith('/sample-results')
        ? answer({ results })
        : /\/reviews\/[^/]+\/signatures$/.test(input)
          ? answer({ signatures: [] })
          : new Response('{}', { status: 404 }));
  return {
    phase: 'signed-in',
    user: { issuer: 'https://id.clinic.test', subject: 'sana', name: 'Sana Yusuf', email: null },
    client: new TeamClient('csrf', () => undefined, fetchImpl),
    ended: false,
  };
}

/** Only what the Readiness screen asks of the project's session. */
const session = {
  dispatch: () => undefined,
  commit: async () => undefined,
  auditLog: async () => [],
} as unknown as ProjectSession;

describe('the open workspace of a project shared with the team server', () => {
  afterEach(async () => {
    for (let i = 1; i <= runs; i += 1) await teamSyncStore().remove(`shared-${i}`);
  });

  it('offers a signed-in steering member the server’s ceremony on Readiness, never the typed-name form', async () => {
    const project = await sharedProject();
    render(
      <OpenWorkspace
        route={{ workspace: 'readiness', tab: 'steering' }}
        project={project}
        session={session}
        team={signedInAsSana()}
      />,
    );
    expect(await screen.findByTestId('steering-server')).toBeTruthy();
    expect(screen.getByText('Sana Yusuf', { selector: 'strong' })).toBeTruthy();
    expect(screen.queryByLabelText("Approver's full name")).toBeNull();
    expect(screen.queryByTestId('steering-status')).toBeNull();
  });

  it('tells a signed-out member to sign in, and calls a go/no-go typed in a browser what it is', async () => {
    // a decision another member typed in her browser, with someone else's name, synced to the team
    const content = {
      id: 'typed-decision',
      decision: 'go' as const,
      readiness: 'no-go' as const,
      resultSha256: 'a'.repeat(64),
      rationale: 'We are ready.',
      recordedAt: '2026-11-24T09:00:00+01:00',
    };
    const prepared = prepareSteeringSignature({
      id: 'typed-signature',
      decision: content,
      signer: { name: 'Omar Haddad', role: 'Chief medical officer', id: 'S-2' },
      signedAt: '2026-11-24T09:00:00+01:00',
    });
    const typed = addSteeringSignature(
      content,
      { ...prepared, reauthentication: { method: 'none', reason: 'no WebAuthn' } },
      content.resultSha256,
    );
    const project = await sharedProject(withSteeringDecision({}, typed));
    const signedOut: TeamServerState = { phase: 'signed-out', signInAvailable: true };
    const { rerender } = render(
      <OpenWorkspace
        route={{ workspace: 'readiness', tab: 'steering' }}
        project={project}
        session={session}
        team={signedOut}
      />,
    );
    expect((await screen.findByTestId('sign-in-to-sign')).textContent).toContain(
      'Sign in to your clinic’s Preflight server to sign.',
    );
    expect(screen.queryByLabelText("Approver's full name")).toBeNull();
    expect(screen.queryByRole('button', { name: 'Sign the decision' })).toBeNull();
    expect(screen.getByTestId('steering-typed').textContent).toContain('not signed on the team server');
    expect(screen.getByTestId('steering-signature-check').textContent).toBe(TYPED_NAME_ON_SHARED);
    // and the evidence pack names it so too
    rerender(
      <OpenWorkspace
        route={{ workspace: 'readiness', tab: 'pack' }}
        project={project}
        session={session}
        team={signedOut}
      />,
    );
    // page 1 reads the team server's record, and names the decision typed in a browser apart
    expect((await screen.findByTestId('pack-steering')).textContent).toBe(
      'Steering committee: no decision signed on the team server.',
    );
    expect(screen.getByTestId('pack-steering-typed').textContent).toContain(
      'a decision recorded with typed names, not signed on the team server',
    );
  });

  it('judges the sign-off on the sample the team server holds, not "no sample drawn"', async () => {
    // the lead's browser holds the plan; the server holds the finished, failing review
    const { plan, review } = signedReview(['accept', 'reject', 'reject']);
    const project = await linked({ ...goProject(), samplePlans: [plan], reviews: [] });
    const served = sampleResult(review, plan);
    render(
      <OpenWorkspace
        route={{ workspace: 'readiness', tab: 'phases' }}
        project={project}
        session={session}
        team={signedInAsSana([
          { review: review.id, sentAt: NOW, result: served, fingerprint: sampleResultFingerprint(served) },
        ])}
      />,
    );
    const evidence = await screen.findByText(/^Sample plan “Patients sign-off”: on the team server/);
    expect(evidence.textContent).toContain('3 of 3 records reviewed');
    expect(screen.queryByText(/no sample drawn/)).toBeNull();
    expect(screen.getByText(/fails the clinicians' review/)).toBeTruthy();
  });

  it('shows the lead the go/no-go the committee just signed as current, as it shows the members', async () => {
    // the lead's copy holds more than the team's shared record: her review with her sign-off,
    // another validation run, workflows not shared
    const { plan, review } = signedReview(['accept', 'accept', 'accept']);
    const lead = await linked({
      ...goProject(),
      samplePlans: [plan],
      reviews: [review],
      reports: [report(1000), report(990, 1000, '2026-11-22T10:00:00Z')],
    });
    // a steering member's copy, made from the server's record when she opened the project
    const served = localRecords(lead).map((r, i) => ({
      ...r,
      version: i + 1,
      sha256: recordSha256(r.body),
      by: 'lead',
      at: NOW,
    }));
    const empty = createProject({ id: 'member', name: 'Ward 4 go-live', now: NOW });
    const member = await linked(
      (
        await pullIntoNewProject(
          empty,
          {
            pull: async (after) => ({
              head: served.length,
              records: served.filter((r) => r.version > after),
            }),
            put: async () => {
              throw new Error('nothing is sent');
            },
          },
          NOW,
        )
      ).project,
    );
    const result = sampleResult(review, plan);
    const results = [
      { review: review.id, sentAt: NOW, result, fingerprint: sampleResultFingerprint(result) },
    ];
    // the team's shared workflows, and the summaries of the lead's validation runs on the server
    const workflows = [planned, current];
    // as the app reads them: each with when the server received it
    const reportSummaries = reportSummariesOf(served);
    expect(reportSummaries).toHaveLength(2);
    // the committee signed on the readiness the member's browser showed, a moment ago
    const judged = assessSharedReadiness(
      member,
      { workflows, reportSummaries },
      { today: localDay(new Date()), teamSamples: [{ result, sentAt: NOW, approvals: [] }] },
    );
    // the workflows and the validation runs count: without them the readiness differs
    const without = assessSharedReadiness(member, {}, { today: localDay(new Date()) });
    expect(without.steering.resultSha256).not.toBe(judged.steering.resultSha256);
    expect(sharedReportSummaries(reportSummaries).map((r) => r.generatedAt)).toEqual([
      '2026-11-20T10:00:00Z',
      '2026-11-22T10:00:00Z',
    ]);
    const decision: ServerSteeringDecision = {
      id: 'decision-1',
      decision: 'no-go',
      readiness: judged.decision,
      resultSha256: judged.steering.resultSha256,
      rationale: 'The sample still needs its approval.',
      recordedAt: NOW,
      hash: 'c'.repeat(64),
      signatures: [
        {
          projectSeq: 7,
          signer: { subject: 'sana', name: 'Sana Yusuf' },
          role: 'steering',
          meaning: STEERING_NO_GO_MEANING,
          signedAt: NOW,
        },
      ],
    };
    for (const project of [member, lead]) {
      const { unmount } = render(
        <OpenWorkspace
          route={{ workspace: 'readiness' }}
          project={project}
          session={session}
          team={signedInAsSana(results, [decision], { workflows, records: served })}
        />,
      );
      const steering = await screen.findByText(/Signed on the team server\./);
      expect(steering.textContent).toMatch(/no-go, decided .* — current\./);
      unmount();
    }
  });

  it('stops offering the typed-name form as soon as the project is shared from this browser', async () => {
    runs += 1;
    const project = createProject({ id: `shared-${runs}`, name: 'Ward 4 go-live', now: NOW });
    render(
      <OpenWorkspace
        route={{ workspace: 'readiness', tab: 'steering' }}
        project={project}
        session={session}
        team={{ phase: 'signed-out', signInAvailable: true }}
      />,
    );
    // this browser's project alone: signed here, as before
    expect(await screen.findByLabelText("Approver's full name")).toBeTruthy();
    await teamSyncStore().put({
      project: project.meta.id,
      teamProjectId: 'team-1',
      teamProjectName: 'Ward 4 go-live',
      state: emptySyncState(),
    });
    act(() => announceLinkChange(project.meta.id));
    expect(await screen.findByTestId('sign-in-to-sign')).toBeTruthy();
    expect(screen.queryByLabelText("Approver's full name")).toBeNull();
  });
});
