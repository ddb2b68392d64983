import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Project } from '../../formats/project.ts';
import { withReadinessGates } from '../../formats/readinessGates.ts';
import { createProject } from '../project/changes.ts';
import { sampleResult } from '../signoff/signing/index.ts';
import {
  KIND_RULES,
  localRecords,
  pullIntoNewProject,
  type RecordTransport,
  type ReportSummary,
  recordSha256,
  reportSummaryOf,
  type SharedRecord,
} from '../teamRecords/index.ts';
import { assessReadiness } from './assess.ts';
import { boardLines, failingDataOfSteps, stepKey } from './board.ts';
import { boardBlocks } from './boardBlocks.ts';
import { evidencePack } from './evidencePack.ts';
import {
  assessSharedReadiness,
  failingDataOfSharedSteps,
  reportSummariesOf,
  sharedReadinessProject,
  sharedReportSummaries,
} from './shared.ts';
import type { TeamSample } from './teamSample.ts';
import { current, decidedProject, goProject, planned, report, signedReview } from './testing/crafted.ts';
import { verifyEvidencePack } from './verifyPack.ts';

const TODAY = '2026-11-25';

/**
 * The lead's copy of a shared project: everything the crafted go project holds, with her own
 * validation runs, review and workflows, and a go/no-go recorded among the shared records.
 */
function leadsCopy() {
  const { project } = decidedProject(goProject());
  return {
    ...project,
    meta: { ...project.meta, settings: { ...project.meta.settings, ownOnly: { note: 'this browser' } } },
    reports: [...project.reports, report(990, 1000, '2026-11-22T10:00:00Z')],
  };
}

/** The server's record of `records`, numbered in the order the server received them. */
function serverOf(
  records: readonly { kind: SharedRecord['kind']; id: string; body: unknown }[],
): RecordTransport {
  const served: SharedRecord[] = records.map((r, i) => ({
    ...r,
    version: i + 1,
    sha256: recordSha256(r.body),
    by: 'lead',
    at: '2026-11-24T10:00:00Z',
  }));
  return {
    pull: async (after) => ({ head: served.length, records: served.filter((r) => r.version > after) }),
    put: async () => {
      throw new Error('a member opening the project sends nothing');
    },
  };
}

/** A member's copy, made in her browser from the server's record as "Open on this computer" makes it. */
async function membersCopy(lead: Project) {
  // the server received the records in another order than the lead's copy lists them
  const transport = serverOf(localRecords(lead).reverse());
  const empty = createProject({
    id: 'member-copy',
    name: 'Patient intake (team)',
    now: '2026-11-25T08:00:00Z',
  });
  return (await pullIntoNewProject(empty, transport, '2026-11-25T08:00:00Z')).project;
}

/** The server's result of the lead's sample, with the data lead's approval over it. */
function teamSamples(): TeamSample[] {
  const { plan, review } = signedReview(['accept', 'accept', 'accept']);
  return [
    {
      result: sampleResult(review, plan),
      sentAt: '2026-11-20T09:00:00Z',
      approvals: [{ name: 'Dora Data', signedAt: '2026-11-22T10:00:00Z' }],
    },
  ];
}

const hashOf = (result: ReturnType<typeof assessReadiness>) => result.steering.resultSha256;

describe('the readiness of a shared project, judged on the shared record', () => {
  it('gives the lead’s fuller copy and a member’s copy the same result and hash', async () => {
    const lead = leadsCopy();
    const member = await membersCopy(lead);
    // each browser judged its own copy: the lead's holds more, so the two hashes differed
    expect(hashOf(assessReadiness(lead, { today: TODAY }))).not.toBe(
      hashOf(assessReadiness(member, { today: TODAY })),
    );

    const options = { today: TODAY, teamSamples: teamSamples() };
    const leads = assessSharedReadiness(lead, {}, options);
    const members = assessSharedReadiness(member, {}, options);
    expect(hashOf(leads)).toBe(hashOf(members));
    expect(leads).toEqual(members);
    // the go/no-go the committee recorded on the shared record reads the same to both
    expect(leads.steering.latest?.id).toBe('dec-1');
    expect(members.steering.latest?.state).toBe(leads.steering.latest?.state);
  });

  it('counts nothing local-only, and changes with a shared record', async () => {
    const lead = leadsCopy();
    const options = { today: TODAY, teamSamples: teamSamples() };
    const before = hashOf(assessSharedReadiness(lead, {}, options));
    const more = {
      ...lead,
      reports: [...lead.reports, report(500, 1000, '2026-11-23T10:00:00Z')],
      workflows: lead.workflows.slice(1),
      reviews: [],
      meta: { ...lead.meta, id: 'another-id', name: 'Another name', updatedAt: '2026-11-26T00:00:00Z' },
    };
    expect(hashOf(assessSharedReadiness(more, {}, options))).toBe(before);
    const stricter = {
      ...lead,
      meta: { ...lead.meta, settings: withReadinessGates(lead.meta.settings, { minValidShare: 0.999 }) },
    };
    expect(hashOf(assessSharedReadiness(stricter, {}, options))).not.toBe(before);
  });

  it('is made of the shared records alone, in one order', async () => {
    const lead = leadsCopy();
    const shared = sharedReadinessProject(lead);
    expect(shared.reports).toEqual([]);
    expect(shared.workflows).toEqual([]);
    expect(shared.reviews ?? []).toEqual([]);
    expect(shared.meta.settings).not.toHaveProperty('ownOnly');
    expect(shared.samplePlans.map((p) => p.id)).toEqual(lead.samplePlans.map((p) => p.id));
    expect(sharedReadinessProject(await membersCopy(lead))).toEqual(shared);
  });

  it('counts the team’s shared workflows, the same in every copy whatever order they were read in', async () => {
    const lead = leadsCopy();
    const member = await membersCopy(lead);
    const options = { today: TODAY, teamSamples: teamSamples() };
    const discovery = (r: ReturnType<typeof assessReadiness>) => r.phases.find((p) => p.id === 'discovery');
    // without the shared workflows the workflow phases have nothing to judge
    expect(discovery(assessSharedReadiness(member, {}, options))?.status).toBe('not-started');
    // the lead's copy reads them in one order, the member's in another; a copy of the member's
    // own (a workflow not shared) does not count
    const leads = assessSharedReadiness(lead, { workflows: [current, planned] }, options);
    const members = assessSharedReadiness(
      { ...member, workflows: [{ ...planned, id: 'members-own', name: 'Draft' }] },
      { workflows: [planned, current] },
      options,
    );
    expect(hashOf(leads)).toBe(hashOf(members));
    expect(leads).toEqual(members);
    expect(discovery(leads)?.status).not.toBe('not-started');
    expect(discovery(leads)?.evidence.join(' ')).toContain('1 current workflow');
    expect(
      sharedReadinessProject(lead, { workflows: [planned, current] }).workflows.map((w) => w.id),
    ).toEqual([current.id, planned.id].sort());
    // an edit of a shared workflow heard by every copy changes the result for all
    const edited = { ...planned, steps: planned.steps.slice(1) };
    expect(hashOf(assessSharedReadiness(lead, { workflows: [current, edited] }, options))).not.toBe(
      hashOf(leads),
    );
  });

  it('judges the extracts on the validation summaries the team server holds', async () => {
    const lead = leadsCopy();
    const member = await membersCopy(lead);
    // what the lead's runs shared: each report's summary, as her sync sent it
    const onServer = KIND_RULES['report-summary'].recordsOf(lead).map((r) => r.body as ReportSummary);
    expect(onServer).toHaveLength(2);
    const options = { today: TODAY, teamSamples: teamSamples() };
    const leads = assessSharedReadiness(lead, { reportSummaries: onServer }, options);
    const members = assessSharedReadiness(member, { reportSummaries: [...onServer].reverse() }, options);
    expect(hashOf(leads)).toBe(hashOf(members));
    const preLaunch = members.phases.find((p) => p.id === 'pre-launch');
    expect(preLaunch?.evidence).toContain(
      'Extracts judged on the 2 validation summaries shared with the team server (counts and SHA-256s of each run, problems accepted as the run judged them).',
    );
    // the latest run counts, as the lead's own copy judges it
    const own = assessReadiness(lead, { today: TODAY }).phases.find((p) => p.id === 'pre-launch');
    const latestLine = (lines: readonly string[] | undefined) =>
      lines?.find((l) => l.startsWith('patients.csv:'));
    expect(latestLine(preLaunch?.evidence)).toBe(latestLine(own?.evidence));
    expect(latestLine(preLaunch?.evidence)).toContain('990 of 1,000 records');
    // with no summary shared, no extract counts as checked
    const none = assessSharedReadiness(member, { reportSummaries: [] }, options);
    expect(none.phases.find((p) => p.id === 'pre-launch')?.evidence).toContain(
      'patients.csv: not checked yet.',
    );
    // read from the server: each summary's last body, a removed one left out
    const pulled = onServer.map((body, i) => ({
      kind: 'report-summary' as const,
      id: body.id,
      body,
      version: i + 1,
    }));
    const removed = { kind: 'report-summary' as const, id: onServer[0]?.id ?? '', body: null, version: 3 };
    const records = [...pulled, removed].map((r) => ({ ...r, sha256: '', by: 'lead', at: TODAY }));
    expect(reportSummariesOf(records)).toEqual(onServer.slice(1).map((s) => ({ ...s, receivedAt: TODAY })));
    // a summary carries counts and SHA-256s only, and the server's check accepts it
    const [first] = onServer;
    expect(first?.inputs[0]).toEqual(
      expect.objectContaining({
        name: 'patients.csv',
        records: 1000,
        invalid: 0,
        accepted: 0,
        acrossFiles: 0,
      }),
    );
    expect(KIND_RULES['report-summary'].problem(first, first?.id ?? '')).toBeUndefined();
    expect(
      KIND_RULES['report-summary'].problem(
        { ...first, inputs: [{ name: 'x', records: 1, invalid: -1 }] },
        first?.id ?? '',
      ),
    ).toBe('/inputs/0/invalid');
  });

  it('draws the board’s rehearsals from every member’s shared runs, as Pre-launch judges the latest', async () => {
    const lead = leadsCopy();
    const member = await membersCopy(lead);
    // the lead's two runs, and a third the data lead ran in her own browser and shared
    const leads = KIND_RULES['report-summary'].recordsOf(lead).map((r) => r.body as ReportSummary);
    const [doras] = KIND_RULES['report-summary']
      .recordsOf({ ...lead, reports: [report(995, 1000, '2026-11-23T10:00:00Z')] })
      .map((r) => r.body as ReportSummary);
    const onServer = [...leads, doras as ReportSummary];
    const options = { today: TODAY, teamSamples: teamSamples() };
    const members = assessSharedReadiness(member, { reportSummaries: [...onServer].reverse() }, options);
    const [patients] = members.board.rehearsals;
    expect(patients).toEqual({
      dataset: 'patients.csv',
      runs: [
        { day: '2026-11-20', validShare: 1, passes: true },
        { day: '2026-11-22', validShare: 0.99, passes: true },
        { day: '2026-11-23', validShare: 0.995, passes: true },
      ],
      trend: 'better',
    });
    // the same board in the lead's fuller copy, whose own reports hold two of the three runs
    expect(assessSharedReadiness(lead, { reportSummaries: onServer }, options).board).toEqual(members.board);
    expect(members.phases.find((p) => p.id === 'pre-launch')?.evidence).toContain(
      'patients.csv: 99.5 % valid (995 of 1,000 records), checked 2026-11-23.',
    );
  });

  it('traces the failing data of the latest shared runs alike in two members’ copies', async () => {
    // the demo clinic: its data dictionary links failing columns to the steps that use them
    const lead = (
      JSON.parse(
        readFileSync(
          new URL('../../../samples/projects/demo-clinic.preflight.json', import.meta.url),
          'utf8',
        ),
      ) as { project: Project }
    ).project;
    const member = await membersCopy(lead);
    // the member's copy holds no report: her board can read only what the server holds
    expect(member.reports).toEqual([]);
    const onServer = KIND_RULES['report-summary'].recordsOf(lead).map((r) => r.body as ReportSummary);
    const leads = assessSharedReadiness(
      lead,
      { workflows: lead.workflows, reportSummaries: onServer },
      { today: TODAY },
    );
    const members = assessSharedReadiness(
      member,
      { workflows: [...lead.workflows].reverse(), reportSummaries: [...onServer].reverse() },
      { today: TODAY },
    );
    expect(
      members.board.dataRisks
        ?.slice(0, 3)
        .map((r) => [r.location, r.dataset, r.steps, r.casesPerHour, r.weight]),
    ).toEqual([
      ['phone', 'patients.csv', 2, 11.5, 0.1035],
      ['birth_date', 'patients.csv', 1, 1.5, 0.0735],
      ['allergies', 'patients.csv', 2, 20, 0.032],
    ]);
    expect(members.board).toEqual(leads.board);
    expect(hashOf(members)).toBe(hashOf(leads));
    // the same lines for the CLI and the same printed block in either copy
    expect(boardLines(members.board, members.gates)).toEqual(boardLines(leads.board, leads.gates));
    const printed = boardBlocks(members.board, members.gates);
    const at = printed.findIndex((b) => b.kind === 'heading' && b.id === 'board-data-risks');
    expect(printed[at + 1]).toEqual(
      expect.objectContaining({ kind: 'list', label: 'Failing data by what uses it' }),
    );
  });

  it('marks a member’s steps from the team’s summaries, told who ran the check, as the board traces them', async () => {
    const lead = (
      JSON.parse(
        readFileSync(
          new URL('../../../samples/projects/demo-clinic.preflight.json', import.meta.url),
          'utf8',
        ),
      ) as { project: Project }
    ).project;
    // the member's copy with the workflows open in her editor; no report of any check
    const member = { ...(await membersCopy(lead)), workflows: lead.workflows };
    const shared = KIND_RULES['report-summary']
      .recordsOf(lead)
      .map((r) => ({ summary: r.body as ReportSummary, by: 'Dora Data', at: '2026-11-24T10:00:00Z' }));
    const efax = stepKey('referral-processing-future', 'register-from-efax');
    const words = (steps: ReturnType<typeof failingDataOfSteps>) =>
      (steps.get(efax) ?? []).map(
        (d) => `${d.location}: ${d.count} ${d.report ?? '-'} ${d.shared?.by ?? '-'}`,
      );
    // before: her copy holds no check, so no step carries any
    expect(failingDataOfSteps(member, TODAY).size).toBe(0);
    expect(words(failingDataOfSharedSteps(member, shared, TODAY))).toEqual([
      'birth_date: 245 - Dora Data',
      'phone: 45 - Dora Data',
      'last_name: 18 - Dora Data',
      'first_name: 3 - Dora Data',
    ]);
    expect(failingDataOfSharedSteps(member, shared, TODAY).get(efax)?.[0]?.shared?.at).toBe(
      '2026-11-24T10:00:00Z',
    );
    // the lead, who keeps the whole report, is given it to open as well
    expect(words(failingDataOfSharedSteps(lead, shared, TODAY))[0]).toBe(
      'birth_date: 245 demo-validation Dora Data',
    );
    // the same steps as the lead's own checks give, and none before the team's summaries are read
    expect([...failingDataOfSharedSteps(member, shared, TODAY).keys()].sort()).toEqual(
      [...failingDataOfSteps(lead, TODAY).keys()].sort(),
    );
    expect(failingDataOfSharedSteps(member, [], TODAY).size).toBe(0);
  });

  it('takes the run the server received last as the latest, whatever date its sharer gave it', () => {
    const lead = goProject();
    // an analyst's computer dated its run 2099 and shared it first; the honest run came after
    const ahead = reportSummaryOf({ ...report(500, 1000, '2099-01-01T09:00:00Z'), id: 'r-ahead' });
    const honest = reportSummaryOf({ ...report(990, 1000, '2026-11-24T09:00:00Z'), id: 'r-honest' });
    const served = [
      { summary: ahead, at: '2026-11-23T09:00:00Z' },
      { summary: honest, at: '2026-11-24T09:05:00Z' },
    ].map(({ summary, at }, i) => ({
      kind: 'report-summary' as const,
      id: summary.id,
      body: summary,
      version: i + 1,
      sha256: recordSha256(summary),
      by: 'analyst',
      at,
    }));
    const summaries = reportSummariesOf(served);
    expect(summaries.map((s) => s.receivedAt)).toEqual(['2026-11-23T09:00:00Z', '2026-11-24T09:05:00Z']);
    expect(sharedReportSummaries([...summaries].reverse()).map((s) => s.id)).toEqual(['r-ahead', 'r-honest']);
    const latestLine = (summaryList: typeof summaries) =>
      assessSharedReadiness(lead, { reportSummaries: summaryList }, { today: TODAY })
        .phases.find((p) => p.id === 'pre-launch')
        ?.evidence.find((l) => l.startsWith('patients.csv:'));
    expect(latestLine(summaries)).toContain('990 of 1,000 records');
    expect(latestLine(summaries)).not.toContain('dated after it was received');
    // alone, the run dated ahead is the latest, shown with its own date and flagged
    const alone = latestLine(summaries.slice(0, 1));
    expect(alone).toContain('500 of 1,000 records), checked 2099-01-01');
    expect(alone).toContain('dated after it was received (received 2026-11-23)');
    // a sharer cannot set its own receipt time: the server's is put over whatever the body held
    const forged = served.map((r) => ({ ...r, body: { ...r.body, receivedAt: '2100-01-01T00:00:00Z' } }));
    expect(reportSummariesOf(forged).map((s) => s.receivedAt)).toEqual(summaries.map((s) => s.receivedAt));
  });

  it('lists the shared reports and the server’s sample results in the pack, the same in every copy', async () => {
    const lead = leadsCopy();
    const member = await membersCopy(lead);
    const reportSummaries = sharedReportSummaries(
      KIND_RULES['report-summary'].recordsOf(lead).map((r) => r.body as ReportSummary),
    );
    const samples = teamSamples();
    const packOf = (copy: Project) => {
      const team = { workflows: [current, planned], reportSummaries };
      const result = assessSharedReadiness(copy, team, { today: TODAY, teamSamples: samples });
      return evidencePack(sharedReadinessProject(copy, team), result, '2026-11-26T09:00:00Z', undefined, [], {
        reportSummaries,
        teamSamples: samples,
      });
    };
    const leads = packOf(lead);
    expect(packOf(member)).toEqual(leads);
    const artefacts = leads.phases.find((p) => p.id === 'pre-launch')?.artefacts ?? [];
    const reports = artefacts.filter((a) => a.kind === 'validation-report');
    // each shared report by the SHA-256 of the whole report in the browser that ran it
    expect(reports.map((a) => a.sha256)).toEqual(
      [...lead.reports]
        .sort((a, b) => a.generatedAt.localeCompare(b.generatedAt))
        .map((r) => recordSha256(r)),
    );
    const signoffs = artefacts.filter((a) => a.kind === 'sign-off');
    expect(signoffs.map((a) => [a.id, a.sha256])).toEqual(
      samples.map((s) => [s.result.reviewId, s.result.resultsSha256]),
    );
    expect(signoffs[0]?.detail).toContain('1 approval');
  });

  it('verifies a shared pack against the team’s evidence, naming what changed on the server since', async () => {
    // no go/no-go recorded yet, so the pack is current until the team's evidence moves
    const lead = goProject();
    const runsOf = (copy: Project) =>
      sharedReportSummaries(KIND_RULES['report-summary'].recordsOf(copy).map((r) => r.body as ReportSummary));
    const team = { workflows: [current, planned], reportSummaries: runsOf(lead), teamSamples: teamSamples() };
    const result = assessSharedReadiness(lead, team, { today: TODAY, teamSamples: team.teamSamples });
    const judged = sharedReadinessProject(lead, team);
    // made as the Readiness screen makes it, under the copy's id
    const made = { ...judged, meta: { ...judged.meta, id: lead.meta.id, name: lead.meta.name } };
    const pack = JSON.parse(
      JSON.stringify(evidencePack(made, result, '2026-11-26T09:00:00Z', undefined, [], team)),
    );
    const current_ = await verifyEvidencePack(pack, lead, team);
    expect(current_).toMatchObject({ verdict: 'verified', problems: [], againstTeam: true });
    expect(current_).not.toHaveProperty('teamHeld');

    // a newer run shared, and the sample's result changed on the server
    const newer = runsOf({ ...lead, reports: [...lead.reports, report(995, 1000, '2026-11-26T10:00:00Z')] });
    const [sample] = team.teamSamples;
    if (!sample) throw new Error('the team has a sample');
    const moved = {
      ...team,
      reportSummaries: newer,
      teamSamples: [{ ...sample, result: { ...sample.result, resultsSha256: 'f'.repeat(64) } }],
    };
    const stale = await verifyEvidencePack(pack, lead, moved);
    expect(stale.verdict).toBe('stale');
    const messages = 'problems' in stale ? stale.problems.map((p) => p.message) : [];
    expect(messages).toEqual(
      expect.arrayContaining([
        'a validation-report was added on the team server after the pack was made',
        'the sign-off changed on the team server after the pack was made',
      ]),
    );

    // the sample results could not be read: they are counted as not compared, never judged
    const { teamSamples: _unread, ...withoutSamples } = team;
    expect(await verifyEvidencePack(pack, lead, withoutSamples)).toMatchObject({
      verdict: 'verified',
      againstTeam: true,
      teamHeld: 1,
    });
  });
});
