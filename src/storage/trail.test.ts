/**
 * Trail entries in the `audit` store: a roster change, once stored, has its entry in the same
 * strict transaction, after the ones before it; a clinician's review opened from a packet (no
 * locked plan in that project) logs only its decisions, which its results file carries; each
 * steering signature is logged once, when the settings that hold it are saved.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { applyChange } from '../core/project/changes.ts';
import { decidedProject, goProject } from '../core/readiness/testing/crafted.ts';
import { packetScenario } from '../core/signoff/exports/index.ts';
import { LEAD, REVIEWER, verifyAuditChain } from '../core/signoff/signing/index.ts';
import { readSteeringDecisions, withSteeringDecision } from '../formats/steering.ts';
import { fixtureDecision, fixtureProject } from '../formats/testing/fixtures.ts';
import { openStorage, type ProjectStorage } from './storage.ts';

const AT = '2025-03-04T09:00:00.000Z';
const opened: ProjectStorage[] = [];
afterEach(() => {
  for (const storage of opened.splice(0)) storage.close();
});

async function open(): Promise<ProjectStorage> {
  const storage = await openStorage('preflight-trail-test', { factory: new IDBFactory() });
  opened.push(storage);
  return storage;
}

describe('trail entries in storage', () => {
  it('logs each roster change once, in order, and the roster verifies against them', async () => {
    const storage = await open();
    const start = applyChange(
      fixtureProject('p1'),
      { type: 'roster/change', change: { id: 'r1', at: AT, by: LEAD.staffId, kind: 'member', member: LEAD } },
      AT,
    );
    await storage.saveProject(start);
    const loaded = await storage.loadProject('p1');
    expect(loaded.meta.roster?.changes.map((c) => c.id)).toEqual(['r1']);
    const next = applyChange(
      loaded,
      {
        type: 'roster/change',
        change: { id: 'r2', at: AT, by: LEAD.staffId, kind: 'member', member: REVIEWER },
      },
      AT,
    );
    await storage.saveChanges(next, loaded);
    await storage.saveProject(await storage.loadProject('p1')); // a full snapshot logs nothing twice
    const entries = await storage.readAuditLog('p1');
    expect(
      entries.map((e) => ('subjectId' in e ? `${e.event}:${e.subjectId}:${e.staffId}` : e.event)),
    ).toEqual(['roster:r1:CL-7', 'roster:r2:RN-204']);
    const roster = (await storage.loadProject('p1')).meta.roster;
    expect(verifyAuditChain(entries, [], { roster })).toMatchObject({ ok: true, entries: 2 });
  });

  it("a clinician's review of a packet logs its decisions only (no draw or export of theirs)", async () => {
    const storage = await open();
    const { clinician } = packetScenario();
    const review = { ...clinician, decisions: [] };
    await storage.saveProject(applyChange(fixtureProject('p2'), { type: 'review/put', review }, AT));
    const project = await storage.loadProject('p2');
    const decided = applyChange(
      project,
      {
        type: 'review/decide',
        reviewId: review.id,
        decision: {
          ...fixtureDecision('c1', review.sample.strata[0]?.records[0]?.key ?? ''),
          planHash: review.plan.hash,
        },
      },
      AT,
    );
    await storage.saveChanges(decided, project);
    expect((await storage.readAuditLog('p2')).map((e) => e.event)).toEqual(['decision']);
  });

  it('logs each steering signature once, when its decision is saved, and verifies against the decisions', async () => {
    const storage = await open();
    const { project, decision } = decidedProject({ ...goProject(), meta: { ...goProject().meta, id: 'p3' } });
    await storage.saveProject(project);
    const loaded = await storage.loadProject('p3');
    // an edit of other settings logs nothing new; a second approver's signature is logged after
    const edited = { ...loaded, meta: { ...loaded.meta, settings: { ...loaded.meta.settings, other: 1 } } };
    await storage.saveChanges(edited, loaded);
    const [first] = decision.signatures;
    if (!first) throw new Error('no signature');
    const second = { ...first, id: 'sig-PM-3', signer: { ...first.signer, id: 'PM-3' } };
    const both = { ...decision, signatures: [first, second] };
    const signed = {
      ...edited,
      meta: { ...edited.meta, settings: withSteeringDecision(edited.meta.settings, both) },
    };
    await storage.saveChanges(signed, edited);
    await storage.saveProject(await storage.loadProject('p3')); // a full snapshot logs nothing twice
    const entries = await storage.readAuditLog('p3');
    expect(
      entries.flatMap((e) => (e.event === 'steering-signature' ? [`${e.subjectId}:${e.staffId}`] : [])),
    ).toEqual(['sig-MD-1:MD-1', 'sig-PM-3:PM-3']);
    // the second is logged after the entries the first save made (plan lock, draw, decisions, signature)
    expect(entries[entries.length - 1]?.event).toBe('steering-signature');
    const saved = await storage.loadProject('p3');
    const steering = readSteeringDecisions(saved.meta.settings);
    expect(verifyAuditChain(entries, saved.reviews, { steering })).toMatchObject({
      ok: true,
      entries: entries.length,
    });
  });
});
