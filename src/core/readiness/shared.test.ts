import { describe, expect, it } from 'vitest';
import { withReadinessGates } from '../../formats/readinessGates.ts';
import { createProject } from '../project/changes.ts';
import { sampleResult } from '../signoff/sampleResult.ts';
import {
  localRecords,
  pullIntoNewProject,
  type RecordTransport,
  recordSha256,
  type SharedRecord,
} from '../teamRecords/index.ts';
import { assessReadiness } from './assess.ts';
import { assessSharedReadiness, sharedReadinessProject } from './shared.ts';
import type { TeamSample } from './teamSample.ts';
import { decidedProject, goProject, report, signedReview } from './testing/crafted.ts';

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
async function membersCopy(lead: ReturnType<typeof leadsCopy>) {
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
    const leads = assessSharedReadiness(lead, options);
    const members = assessSharedReadiness(member, options);
    expect(hashOf(leads)).toBe(hashOf(members));
    expect(leads).toEqual(members);
    // the go/no-go the committee recorded on the shared record reads the same to both
    expect(leads.steering.latest?.id).toBe('dec-1');
    expect(members.steering.latest?.state).toBe(leads.steering.latest?.state);
  });

  it('counts nothing local-only, and changes with a shared record', async () => {
    const lead = leadsCopy();
    const options = { today: TODAY, teamSamples: teamSamples() };
    const before = hashOf(assessSharedReadiness(lead, options));
    const more = {
      ...lead,
      reports: [...lead.reports, report(500, 1000, '2026-11-23T10:00:00Z')],
      workflows: lead.workflows.slice(1),
      reviews: [],
      meta: { ...lead.meta, id: 'another-id', name: 'Another name', updatedAt: '2026-11-26T00:00:00Z' },
    };
    expect(hashOf(assessSharedReadiness(more, options))).toBe(before);
    const stricter = {
      ...lead,
      meta: { ...lead.meta, settings: withReadinessGates(lead.meta.settings, { minValidShare: 0.999 }) },
    };
    expect(hashOf(assessSharedReadiness(stricter, options))).not.toBe(before);
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
});
