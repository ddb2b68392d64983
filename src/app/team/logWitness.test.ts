/**
 * This browser's witness across a rotation of the team server's log key, over a stand-in server
 * (a fetch answering the log routes) and a store in memory: the head kept under the old key is
 * followed to a head signed by the new key, through the rotation the old key signed, and the new
 * key is kept for the syncs after; a head signed by a key whose handover the trusted key did not
 * sign is the alarm, with the earlier head kept. And the same head sent again without the RFC
 * 3161 stamp it carried (OpenSSL's own authority, tests/setup/openSslTsa.ts) is said at that sync
 * and every one after, the stamped head kept as evidence, while the log is still witnessed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotatedTo, testLogKey } from '../../../tests/setup/logKeys.ts';
import { makeTestAuthority, stampDigest } from '../../../tests/setup/openSslTsa.ts';
import { treeHeadStampDigest } from '../../core/timeStamp/index.ts';
import {
  auditLeaves,
  consistencyProof,
  type LogKeyRecord,
  type SignedTreeHead,
  type TeamWitness,
  treeHeadMessage,
  treeRoot,
} from '../../core/transparency/index.ts';
import type { LogWitnessStore, WitnessedLog } from '../../storage/logWitnessStore.ts';
import { witnessTeamLog } from './logWitness.ts';

const _hex = (b: ArrayBuffer) => Buffer.from(b).toString('hex');
const PROJECT = 'p1';
const LOG = Array.from({ length: 9 }, (_, i) => String(i + 1).padStart(64, 'c'));

/** A log key of the stand-in server's, and its signed head over the first `size` entries of `log`. */
async function logKey() {
  const key = await testLogKey('t');
  const head = async (size: number, log: readonly string[] = LOG): Promise<SignedTreeHead> => {
    const body = {
      project: PROJECT,
      size,
      rootHash: treeRoot(auditLeaves(log.slice(0, size))),
      timestamp: `t${size}`,
    };
    return { ...body, keyId: key.record.keyId, signature: await key.signBytes(treeHeadMessage(body)) };
  };
  return { ...key, head };
}

/**
 * A stand-in server answering the log routes with `state`: its head now, its keys (newest first)
 * and the heads members' browsers reported (`reports`, which a report from this browser joins).
 */
function standIn(state: {
  head: SignedTreeHead;
  keys: LogKeyRecord[];
  reports?: TeamWitness[];
  /** the entries the server holds now (LOG unless it was rewritten) */
  log?: readonly string[];
  /** a server from before members' reports: no such route */
  noReports?: boolean;
}) {
  const asked: string[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://server.test');
    asked.push(`${init?.method ?? 'GET'} ${url.pathname}`);
    if (url.pathname === `/api/projects/${PROJECT}/log/witness`) {
      const { head } = JSON.parse(String(init?.body)) as { head: SignedTreeHead };
      state.reports = [
        ...(state.reports ?? []).filter((r) => !r.mine),
        { name: 'This browser', head, reportedAt: 'now', mine: true },
      ];
      return new Response(null, { status: 204 });
    }
    const current = state.keys[0] as LogKeyRecord;
    const answers: Record<string, unknown> = {
      '/api/log/key': {
        keyId: current.keyId,
        publicKey: current.publicKey,
        algorithm: 'Ed25519',
        keys: state.keys,
      },
      [`/api/projects/${PROJECT}/log/head`]: state.head,
      [`/api/projects/${PROJECT}/log/witnesses`]: { witnesses: state.reports ?? [] },
      [`/api/projects/${PROJECT}/log/consistency`]: {
        head: state.head,
        from: Number(url.searchParams.get('from')),
        proof: consistencyProof(
          auditLeaves((state.log ?? LOG).slice(0, state.head.size)),
          Number(url.searchParams.get('from')),
        ),
      },
    };
    if (state.noReports && url.pathname.includes('/log/witness'))
      return new Response(JSON.stringify({ error: 'not found' }), { status: 404 });
    return new Response(JSON.stringify(answers[url.pathname]), { status: 200 });
  };
  return { session: { base: '', csrfToken: 'c', fetchImpl }, asked };
}

function memoryStore(): LogWitnessStore & { kept: Map<string, WitnessedLog> } {
  const kept = new Map<string, WitnessedLog>();
  return {
    kept,
    get: async (id) => kept.get(id),
    put: async (log) => void kept.set(log.teamProjectId, log),
    keepStampAuthority: async (id, certificate) => {
      const log = kept.get(id);
      if (log !== undefined && log.stampAuthority === undefined)
        kept.set(id, { ...log, stampAuthority: certificate });
    },
    acceptStampAuthority: async () => {
      throw new Error('not used by these tests');
    },
    close: () => {},
  };
}

describe('the witness across a rotation of the log key', () => {
  it('follows a rotation the old key signed and trusts the new key from then on', async () => {
    const [k0, k1] = [await logKey(), await logKey()];
    const state = { head: await k0.head(4), keys: [k0.record] };
    const { session, asked } = standIn(state);
    const store = memoryStore();
    expect((await witnessTeamLog(session, PROJECT, store)).alarm).toBeNull();
    expect(store.kept.get(PROJECT)?.publicKey).toBe(k0.record.publicKey);

    state.head = await k1.head(7);
    state.keys = [await rotatedTo(k0, k1), k0.record];
    expect((await witnessTeamLog(session, PROJECT, store)).alarm).toBeNull();
    expect(store.kept.get(PROJECT)).toMatchObject({
      head: { size: 7, keyId: k1.record.keyId },
      publicKey: k1.record.publicKey,
    });

    // the next sync under the new key needs no history (its first had no head of the team's to
    // check against, so it asks for the members' reports again: its own only)
    asked.length = 0;
    state.head = await k1.head(9);
    expect((await witnessTeamLog(session, PROJECT, store)).alarm).toBeNull();
    expect(asked).toEqual([
      `GET /api/projects/${PROJECT}/log/consistency`,
      `PUT /api/projects/${PROJECT}/log/witness`,
      `GET /api/projects/${PROJECT}/log/witnesses`,
    ]);
    expect(store.kept.get(PROJECT)?.head.size).toBe(9);
  });

  it('says the log was changed, and keeps the earlier head, for a handover the trusted key did not sign', async () => {
    const [k0, forger] = [await logKey(), await logKey()];
    const state = { head: await k0.head(4), keys: [k0.record] };
    const { session } = standIn(state);
    const store = memoryStore();
    await witnessTeamLog(session, PROJECT, store);
    const seen = store.kept.get(PROJECT)?.head;

    state.head = await forger.head(7);
    state.keys = [await rotatedTo(k0, forger, forger), k0.record];
    const { alarm } = await witnessTeamLog(session, PROJECT, store);
    expect(alarm).toMatch(
      /The team server’s audit log for this project was changed after this browser last saw it/,
    );
    expect(alarm).toContain('its history of log keys does not hold');
    expect(store.kept.get(PROJECT)).toMatchObject({ head: seen, publicKey: k0.record.publicKey });
  });
});

describe('the witness of a head that lost its time-stamp', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'preflight-witness-stamp-'));
    await makeTestAuthority(dir);
  }, 30_000);
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('says so at that sync and every one after, keeps the stamped head, and still witnesses the log', async () => {
    const k0 = await logKey();
    const bare = await k0.head(4);
    const stamped = { ...bare, timeStamp: await stampDigest(dir, treeHeadStampDigest(bare)) };
    const state = { head: stamped as SignedTreeHead, keys: [k0.record] };
    const { session } = standIn(state);
    const store = memoryStore();
    expect((await witnessTeamLog(session, PROJECT, store, () => 't-first')).alarm).toBeNull();
    // the same head, its stamp taken off on the server
    state.head = bare;
    const { alarm } = await witnessTeamLog(session, PROJECT, store, () => 't-removed');
    expect(alarm).toMatch(
      /^The team server now sends its signed head over this project’s 4 audit-log entries without the time-stamp it carried when this browser saw it \(by Clinic Test TSA, \d{4}-.*\)\. .* Tell the clinic’s administrator/,
    );
    expect(store.kept.get(PROJECT)).toMatchObject({
      head: stamped,
      stampRemoved: { head: stamped, seenAt: 't-removed' },
    });
    // the log grows: witnessed as ever, and the alarm still said
    state.head = await k0.head(7);
    expect((await witnessTeamLog(session, PROJECT, store)).alarm).toBe(alarm);
    expect(store.kept.get(PROJECT)).toMatchObject({ head: { size: 7 }, stampRemoved: { head: stamped } });
  });

  it('says nothing when a later head is unstamped (the authority did not answer then)', async () => {
    const k0 = await logKey();
    const four = await k0.head(4);
    const state = {
      head: { ...four, timeStamp: await stampDigest(dir, treeHeadStampDigest(four)) } as SignedTreeHead,
      keys: [k0.record],
    };
    const { session } = standIn(state);
    const store = memoryStore();
    await witnessTeamLog(session, PROJECT, store);
    state.head = await k0.head(6);
    expect((await witnessTeamLog(session, PROJECT, store)).alarm).toBeNull();
    expect(store.kept.get(PROJECT)?.stampRemoved).toBeUndefined();
  });
});

describe('a new browser of the team', () => {
  /** the server's log rewritten from entry 3 on: what a database owner with the log key can make */
  const REWRITTEN = [...LOG.slice(0, 2), ...LOG.slice(3), 'f'.repeat(64)];

  it('checks the server’s head against the latest head the team reported, and says nothing when it extends it', async () => {
    const k0 = await logKey();
    const state = {
      head: await k0.head(7),
      keys: [k0.record],
      reports: [
        { name: 'Vic Viewer', head: await k0.head(3), reportedAt: '2026-11-20T09:00:00.000Z' },
        { name: 'Lena Lead', head: await k0.head(5), reportedAt: '2026-11-21T09:00:00.000Z' },
      ],
    };
    const { session, asked } = standIn(state);
    const store = memoryStore();
    expect(await witnessTeamLog(session, PROJECT, store, () => 't-new')).toEqual({ alarm: null, note: null });
    expect(store.kept.get(PROJECT)).toMatchObject({
      head: { size: 7 },
      firstSeen: { at: 't-new', checkedAgainst: { name: 'Lena Lead', size: 5 } },
      reportedSize: 7,
    });
    // every reported head was proved extended, then this browser's own reported
    expect(asked.filter((a) => a.includes('consistency'))).toHaveLength(2);
    expect(state.reports.at(-1)?.head.size).toBe(7);
  });

  it('raises the alarm, keeping the team’s head as evidence, when the log no longer extends it', async () => {
    const k0 = await logKey();
    const vics = await k0.head(5);
    const state = {
      head: await k0.head(9, REWRITTEN),
      log: REWRITTEN,
      keys: [k0.record],
      reports: [{ name: 'Vic Viewer', head: vics, reportedAt: '2026-11-20T09:00:00.000Z' }],
    };
    const { session } = standIn(state);
    const store = memoryStore();
    const { alarm } = await witnessTeamLog(session, PROJECT, store);
    expect(alarm).toMatch(
      /^The team server’s audit log for this project was changed after Vic Viewer’s browser saw it \(reported 2026-11-20T09:00:00\.000Z\): the server no longer holds the 5 entries it signed/,
    );
    expect(store.kept.get(PROJECT)).toMatchObject({ head: vics, changed: { current: { size: 9 } } });
    // a browser holding an alarm reports nothing, and says it at every sync after
    expect(state.reports).toHaveLength(1);
    expect((await witnessTeamLog(session, PROJECT, store)).alarm).toBe(alarm);
  });

  it.each([
    {
      description: 'no browser of the team reported a head',
      reports: async () => [],
      noReports: false,
      says: /could not check .*: no other browser of the team has reported a head for this project yet/,
    },
    {
      description: 'the only head reported is not the server’s signed word',
      reports: async (k: Awaited<ReturnType<typeof logKey>>) => [
        { name: 'Mallory', head: { ...(await k.head(5)), rootHash: 'ab'.repeat(32) }, reportedAt: 'x' },
      ],
      noReports: false,
      says: /could not check .*: the one head the server gave as the team’s is not signed by its log keys/,
    },
    {
      description: 'the server is of a version without members’ reports',
      reports: async () => [],
      noReports: true,
      says: /could not check .*: the team server is of a version that keeps no member’s head\. It trusts the log as the server shows it now/,
    },
  ])(
    'says it could not check when $description, and trusts the log from there',
    async ({ reports, noReports, says }) => {
      const k0 = await logKey();
      const state = { head: await k0.head(7), keys: [k0.record], reports: await reports(k0), noReports };
      const { session } = standIn(state);
      const store = memoryStore();
      const first = await witnessTeamLog(session, PROJECT, store);
      expect(first.alarm).toBeNull();
      expect(first.note).toMatch(says);
      expect(store.kept.get(PROJECT)?.firstSeen?.checkedAgainst).toBeUndefined();
      // at the next sync (a reload too) what it kept is witnessed as ever, and the note said again:
      // its own report is not the team's word
      state.head = await k0.head(8);
      expect(await witnessTeamLog(session, PROJECT, store)).toEqual({ alarm: null, note: first.note });
    },
  );

  it('stops saying it could not check once another member’s report is proved extended', async () => {
    const k0 = await logKey();
    const state: Parameters<typeof standIn>[0] = { head: await k0.head(5), keys: [k0.record], reports: [] };
    const { session } = standIn(state);
    const store = memoryStore();
    expect((await witnessTeamLog(session, PROJECT, store)).note).toMatch(/could not check/);
    // Vic's browser reports a head of its own, the log grows on, and this browser checks its own against it
    state.reports = [
      ...(state.reports ?? []),
      { name: 'Vic Viewer', head: await k0.head(6), reportedAt: '2026-11-20T09:00:00.000Z' },
    ];
    state.head = await k0.head(7);
    expect(await witnessTeamLog(session, PROJECT, store)).toEqual({ alarm: null, note: null });
    expect(store.kept.get(PROJECT)?.firstSeen?.checkedAgainst).toEqual({
      name: 'Vic Viewer',
      size: 6,
      reportedAt: '2026-11-20T09:00:00.000Z',
    });
    state.head = await k0.head(9);
    expect(await witnessTeamLog(session, PROJECT, store)).toEqual({ alarm: null, note: null });
  });

  it('raises the alarm when another member’s later report is one the log no longer extends', async () => {
    const k0 = await logKey();
    const state: Parameters<typeof standIn>[0] = { head: await k0.head(5), keys: [k0.record], reports: [] };
    const { session } = standIn(state);
    const store = memoryStore();
    expect((await witnessTeamLog(session, PROJECT, store)).note).toMatch(/could not check/);
    // Vic's browser saw 6 entries of the log before it was rewritten under this browser's eyes
    const vics = await k0.head(6);
    state.reports = [...(state.reports ?? []), { name: 'Vic Viewer', head: vics, reportedAt: 'then' }];
    state.log = [...LOG.slice(0, 5), 'ab'.repeat(32), ...LOG.slice(6)];
    state.head = await k0.head(7, state.log);
    const { alarm } = await witnessTeamLog(session, PROJECT, store);
    expect(alarm).toMatch(/was changed after Vic Viewer’s browser saw it \(reported then\)/);
    expect(store.kept.get(PROJECT)).toMatchObject({ head: vics, changed: { current: { size: 7 } } });
  });
});
