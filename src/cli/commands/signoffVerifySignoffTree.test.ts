/**
 * The tamper table of a sign-off export from a shared project, against the team server's signed
 * tree head the file carries and an earlier export (`--seen`). The forger holds only files: she
 * changes the later export, rebuilds its audit chain, makes the server's record of the export
 * again to match and recomputes the file's integrity ("re-seals"). Each of the fifteen cases is run
 * three ways: without the head (what a file without one shows: several pass, with a warning), with
 * the head the file carries (caught where the forgery touches an entry the head proves), and with
 * `--seen` the earlier export — every case exit 1, and the earlier file is never the one called
 * changed. The server's log is a list of leaf hashes signed here with an Ed25519 key, as the
 * server signs it (src/server/signing.test.ts proves the server's own answer).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalSha256Hex } from '../../core/hash/index.ts';
import {
  decisionEntry,
  entryHash,
  exportRecord,
  logSigner,
  pendingAuditEntries,
  pendingTrailEntries,
  serverSignedScene,
  signatureEntryFor,
  trailSubjects,
} from '../../core/signoff/signing/index.ts';
import {
  type AuditLogFile,
  type ChainEntry,
  createAuditLogFile,
  type SignoffTreeHead,
} from '../../formats/auditLog.ts';
import { GENESIS_HASH } from '../../formats/genesis.ts';
import { type ServerAuditRecord, serverAuditEntryHash } from '../../formats/projectAudit.ts';
import type { Decision, Review, Signature } from '../../formats/review.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import { runCli } from '../cliTestKit.ts';

/** A stand-in hash for the server's entry `n` that the file does not name. */
const other = (n: number) => String(n).padStart(64, 'c');

/** The review's audit chain as the lead's app builds it: decisions, server signatures brought in, sign-offs. */
function chainOf(review: Review): ChainEntry[] {
  const decided = pendingAuditEntries(undefined, [{ ...review, signatures: [] }], new Set());
  let entries: ChainEntry[] = [
    ...decided,
    ...pendingTrailEntries(
      decided.at(-1),
      trailSubjects({ reviews: [review] }).filter((s) => s.event === 'server-signature'),
      new Set(),
    ),
  ];
  for (const signature of review.signatures ?? [])
    entries = [...entries, signatureEntryFor(entries.at(-1), review.id, signature)];
  return entries;
}

/** Re-chains `entries` in their order (seq, links, hashes), as a forger who reorders them does. */
function rechained(entries: readonly ChainEntry[]): ChainEntry[] {
  const out: ChainEntry[] = [];
  for (const entry of entries) {
    const { hash: _h, ...rest } = entry;
    const body = { ...rest, seq: out.length + 1, prevHash: out.at(-1)?.hash ?? GENESIS_HASH };
    out.push({ ...body, hash: entryHash(body) } as ChainEntry);
  }
  return out;
}

interface Sealed {
  review: Review;
  entries: ChainEntry[];
  records: ServerAuditRecord[];
  heads?: SignoffTreeHead[];
}

let dir: string;
let plan: SamplePlan;
let honest: Sealed;
let earlier: AuditLogFile;
let forgersHead: Awaited<ReturnType<typeof logSigner>>;
/** The server's log the honest export was recorded in: entry hashes 1..13, then the record. */
let logBefore: string[];

const fileOf = ({ review, entries, records, heads }: Sealed): AuditLogFile =>
  createAuditLogFile({
    projectId: 'proj1',
    exportedAt: '2025-03-02T18:00:00Z',
    entries,
    reviews: [review],
    plans: [plan],
    serverRecords: records,
    ...(heads === undefined ? {} : { treeHeads: heads }),
  });

/** The forger's re-seal: the chain rebuilt from `review` (or given), the record made again at 14. */
function resealed(review: Review, entries = chainOf(review), heads = honest.heads): Sealed {
  return { review, entries, records: [exportRecord(review, entries, 14)], ...(heads ? { heads } : {}) };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-signoff-tree-'));
  const signed = await serverSignedScene();
  // each decision replayed from the server keeps its entry there (entries 2, 3, 4)
  const decided = signed.review.decisions.map((d, i) => decisionEntry(signed.review.id, d, i + 1, i + 2));
  const scene = { ...signed, review: { ...signed.review, serverDecisionEntries: decided } };
  plan = scene.plan;
  const serverKey = await logSigner();
  forgersHead = await logSigner();
  const reviewerEntry = scene.review.serverSignatures?.[0]?.reauthentication.server.entryHash as string;
  const leadEntry = (scene.signature.reauthentication as { server: { entryHash: string } }).server.entryHash;
  // the earlier export: before the lead signed, recorded as the server's entry 10
  const before: Review = { ...scene.review, signatures: [] };
  const beforeChain = scene.entries.slice(0, -1);
  const beforeRecord = exportRecord(before, beforeChain, 10);
  const log10 = [
    other(1),
    ...decided.map((e) => e.hash),
    ...[5, 6, 7, 8].map(other),
    reviewerEntry,
    beforeRecord.hash,
  ];
  earlier = fileOf({
    review: before,
    entries: beforeChain,
    records: [beforeRecord],
    heads: [await serverKey(log10, [10, 9, 2, 3, 4])],
  });
  logBefore = [...log10, other(11), leadEntry, other(13)];
  const record = exportRecord(scene.review, scene.entries, 14);
  honest = {
    review: scene.review,
    entries: scene.entries,
    records: [record],
    heads: [await serverKey([...logBefore, record.hash], [14, 12, 9, 2, 3, 4])],
  };
  await writeFile(path.join(dir, 'earlier.json'), JSON.stringify(earlier));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function verify(file: AuditLogFile, seen: boolean) {
  await writeFile(path.join(dir, 'later.json'), JSON.stringify(file));
  return runCli(['signoff', 'verify', 'later.json', ...(seen ? ['--seen', 'earlier.json'] : [])], dir);
}

const lead = (review: Review) => review.signatures?.[0] as Signature;
const entriesOf = (review: Review) => review.serverDecisionEntries ?? [];
/** The review with every signature cut: what the forger of a decision does, as they would betray her. */
const unsigned = (review: Review): Review => ({ ...review, signatures: [], serverSignatures: [] });
const cut = (review: Review): Review => ({ ...review, signatures: [] });

/**
 * The fifteen forgeries of the later export. `alone`: the exit code with the head the forgery
 * carries and nothing else (the file's own evidence); every case exits 1 with `--seen`.
 */
const CASES: {
  name: string;
  alone: 0 | 1;
  forge: () => Promise<Sealed> | Sealed;
  /** what the finding on the file alone says, where the case pins it */
  says?: string;
}[] = [
  {
    name: 'cut and re-sealed (the lead’s sign-off dropped)',
    alone: 1,
    forge: () => resealed(cut(honest.review)),
  },
  {
    name: 'rewritten without signatures',
    alone: 1,
    forge: () => resealed({ ...honest.review, signatures: [], serverSignatures: [] }),
  },
  {
    name: 'an outcome changed with its signatures kept',
    alone: 1,
    forge: () =>
      resealed({
        ...honest.review,
        decisions: honest.review.decisions.map((d, i) =>
          i === 1 ? { ...d, outcome: 'accept' as const } : d,
        ),
      }),
  },
  {
    name: 'a renamed signer',
    alone: 1,
    forge: () =>
      resealed({
        ...honest.review,
        signatures: [
          { ...lead(honest.review), signer: { ...lead(honest.review).signer, name: 'Ana Other' } },
        ],
      }),
  },
  {
    name: 'a reordered signature (the lead’s before the reviewer’s is brought in)',
    alone: 1,
    forge: () => {
      const [d1, d2, d3, brought, signed] = honest.entries as [
        ChainEntry,
        ChainEntry,
        ChainEntry,
        ChainEntry,
        ChainEntry,
      ];
      return resealed(honest.review, rechained([d1, d2, d3, signed, brought]));
    },
  },
  {
    name: 'a deleted decision',
    alone: 1,
    forge: () => resealed({ ...cut(honest.review), decisions: honest.review.decisions.slice(0, 2) }),
  },
  {
    name: 'a deleted trail entry (the reviewer’s server signature brought in)',
    alone: 1,
    forge: () =>
      resealed(honest.review, rechained(honest.entries.filter((e) => e.event !== 'server-signature'))),
  },
  {
    name: 'the server’s record of the export cut',
    alone: 1,
    forge: () => ({ ...honest, records: [] }),
  },
  {
    name: 'the server’s record re-dated and re-hashed',
    alone: 1,
    forge: () => {
      const { hash: _h, ...body } = honest.records[0] as ServerAuditRecord;
      const redated = { ...body, at: '2025-03-01T18:00:00.000Z' };
      return { ...honest, records: [{ ...redated, hash: serverAuditEntryHash(redated) }] };
    },
  },
  {
    name: 'a signature’s server entry moved to another entry',
    alone: 1,
    forge: () => {
      const signature = lead(honest.review);
      const reauth = signature.reauthentication as Extract<
        Signature['reauthentication'],
        { method: 'webauthn' }
      >;
      const moved = {
        ...reauth,
        server: { ...reauth.server, projectSeq: 11, entryHash: other(11) },
      } as typeof reauth;
      return resealed({ ...honest.review, signatures: [{ ...signature, reauthentication: moved }] });
    },
  },
  {
    name: 'a decision’s outcome changed, and its server entry re-made to match',
    alone: 1,
    says: "the team server's entry of decision d2 (its entry 3) is not the entry the team server's signed tree head of project team-1 holds at 3",
    forge: () => {
      const changed = { ...(honest.review.decisions[1] as Decision), outcome: 'accept' as const };
      const was = entriesOf(honest.review)[1] as ServerAuditRecord;
      const { hash: _h, ...body } = was;
      const remade = {
        ...body,
        detail: { ...body.detail, outcome: 'accept', decisionSha256: canonicalSha256Hex(changed) },
      };
      return resealed({
        ...unsigned(honest.review),
        decisions: honest.review.decisions.map((d, i) => (i === 1 ? changed : d)),
        serverDecisionEntries: entriesOf(honest.review).map((e, i) =>
          i === 1 ? { ...remade, hash: serverAuditEntryHash(remade) } : e,
        ),
      });
    },
  },
  {
    name: 'a decision dropped with its server entry',
    alone: 1,
    says: "the team server's entry of decision 2 of review rv1 is not in the file (the entry in its place records its decision 3, d3): a decision was dropped",
    forge: () =>
      resealed({
        ...unsigned(honest.review),
        decisions: honest.review.decisions.filter((_, i) => i !== 1),
        serverDecisionEntries: entriesOf(honest.review).filter((_, i) => i !== 1),
      }),
  },
  {
    name: 'a decision’s server entry swapped with another’s',
    alone: 1,
    says: "the team server's entry of decision 1 of review rv1 is not in the file (the entry in its place records its decision 3, d3)",
    forge: () => {
      const [e1, e2, e3] = entriesOf(honest.review) as [
        ServerAuditRecord,
        ServerAuditRecord,
        ServerAuditRecord,
      ];
      return resealed({ ...honest.review, serverDecisionEntries: [e3, e2, e1] });
    },
  },
  {
    name: 'cut, and the head stripped',
    alone: 0,
    forge: () => {
      const { heads: _h, ...rest } = resealed(cut(honest.review));
      return rest;
    },
  },
  {
    name: 'cut, and the head signed again with the forger’s own key',
    alone: 0,
    forge: async () => {
      const forged = resealed(cut(honest.review));
      const record = forged.records[0] as ServerAuditRecord;
      return { ...forged, heads: [await forgersHead([...logBefore, record.hash], [14, 9, 2, 3, 4])] };
    },
  },
];

describe('a sign-off export’s signed tree head, and --seen an earlier export', () => {
  it('passes the honest export alone and against the earlier one, and the earlier one alone', async () => {
    expect(chainOf(honest.review)).toEqual(honest.entries);
    const alone = await verify(fileOf(honest), false);
    expect(alone.code).toBe(0);
    expect(alone.out).not.toContain('no signed tree head');
    const seen = await verify(fileOf(honest), true);
    expect(seen.code).toBe(0);
    expect(seen.out).toContain(
      'later.json: extends earlier.json: its 4 entries unchanged, 1 entry after them',
    );
    await writeFile(path.join(dir, 'alone.json'), JSON.stringify(earlier));
    expect((await runCli(['signoff', 'verify', 'alone.json'], dir)).code).toBe(0);
    // another project's sign-off is no earlier word of this one: exit 2, never TAMPERED
    const { format: _f, integrity: _i, ...content } = earlier;
    await writeFile(
      path.join(dir, 'another.json'),
      JSON.stringify(createAuditLogFile({ ...content, projectId: 'proj2' })),
    );
    const another = await runCli(['signoff', 'verify', 'later.json', '--seen', 'another.json'], dir);
    expect(another.code).toBe(2);
    expect(another.out).toContain(
      'another.json (given with --seen) is the sign-off of another project (proj2)',
    );
  });

  it('says a server export without its head is unproved, never passing it silently', async () => {
    const { heads: _h, ...bare } = honest;
    const result = await verify(fileOf(bare), false);
    expect(result.code).toBe(0);
    expect(result.out).toContain(
      "WARNING: the file names 6 entries of the team server's log but carries no signed tree head of it",
    );
  });

  it.each(CASES)('$name: exit 1 with --seen', async ({ forge, alone, says }) => {
    const forged = await forge();
    const withHead = await verify(fileOf(forged), false);
    expect(withHead.code, withHead.out).toBe(alone);
    if (says !== undefined) expect(withHead.out).toContain(says);
    const seen = await verify(fileOf(forged), true);
    expect(seen.code, seen.out).toBe(1);
    expect(seen.out).toMatch(/^later\.json: TAMPERED: /);
    expect(seen.out).not.toMatch(/earlier\.json (was|is) (rewritten|changed)/);
    expect(seen.out).not.toContain('MRN-');
  });

  it('with the head stripped too, eight of the fifteen verify alone (with the warning) and none with --seen', async () => {
    const passed: string[] = [];
    const seenPassed: string[] = [];
    for (const { name, forge } of CASES) {
      const { heads: _h, ...bare } = await forge();
      const result = await verify(fileOf(bare), false);
      if (result.code === 0) {
        passed.push(name);
        expect(result.out).toContain('carries no signed tree head');
      }
      if ((await verify(fileOf(bare), true)).code !== 1) seenPassed.push(name);
    }
    expect(seenPassed).toEqual([]);
    expect(passed).toEqual([
      'cut and re-sealed (the lead’s sign-off dropped)',
      'rewritten without signatures',
      'the server’s record of the export cut',
      'the server’s record re-dated and re-hashed',
      'a signature’s server entry moved to another entry',
      'a decision’s outcome changed, and its server entry re-made to match',
      'cut, and the head stripped',
      'cut, and the head signed again with the forger’s own key',
    ]);
  });
});
