/**
 * Signing on the team server from end to end, against the real server (embedded database): the
 * app's client (src/app/signoff/serverSigning.ts) registers the reviewer's own key and signs,
 * `@simplewebauthn/browser` driving a stand-in for `navigator.credentials` backed by the server
 * tests' software authenticator (the options the server sends reach the authenticator, and its
 * answers come back as a browser sends them); the lead exports the project's log; and
 * `preflight signoff verify <file> --server <url>` is run on the export and on each forgery of the
 * tamper table — cut and re-sealed, rewritten without its signatures, the printed head edited
 * (alone, and with a cut), a swapped signer (on her signature alone, and throughout the log, which
 * only the server can tell), a replayed signature — each exit 1 naming the entry.
 * The forger recomputes every hash the file carries ("re-seals"), so only the signatures' own
 * bindings and the server's log stand in the way. (A second member registering the reviewer's
 * credential is refused by the server itself: src/server/signing.test.ts.)
 * Lives under tests/: the app never imports src/server or src/cli, and this needs all three.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerMyKey, signOnServer, type TeamSession } from '../../src/app/signoff/serverSigning.ts';
import { WebAuthnCancelledError } from '../../src/app/signoff/webauthnClient.ts';
import type { CliIo } from '../../src/cli/command.ts';
import { main } from '../../src/cli/main.ts';
import { sha256Hex } from '../../src/core/hash/index.ts';
import {
  fromBase64Url,
  scopedDecisionsHash,
  signatureManifest,
  toBase64Url,
} from '../../src/core/signoff/signing/index.ts';
import { auditKindLabel } from '../../src/formats/auditKinds.ts';
import { GENESIS_HASH } from '../../src/formats/auditLog.ts';
import {
  type ProjectAuditFile,
  type ServerAuditRecord,
  serverAuditEntryHash,
} from '../../src/formats/projectAudit.ts';
import type { Decision } from '../../src/formats/review.ts';
import {
  CSRF_HEADER,
  createServer,
  type Database,
  migrate,
  readAudit,
  SESSION_COOKIE,
} from '../../src/server/index.ts';
import { signIn } from '../../src/server/sessions.ts';
import { type TestAuthenticator, testAuthenticator } from '../../src/server/testing/authenticator.ts';
import { freshEmbedded } from '../../src/server/testing/databases.ts';
import { reviewedBy } from '../../src/server/testing/reviewed.ts';

const ISSUER = 'https://id.clinic.test';
let db: Database;
let app: FastifyInstance;
let base: string;
let project: string;
/** Rita's review on the server: what her "I reviewed" signs */
let ritaReview: { review: string; hash: string };
const realFetch = globalThis.fetch;

async function sessionOf(subject: string, name: string, fresh: boolean) {
  const now = Date.now();
  const { token, session } = await signIn(
    db,
    { issuer: ISSUER, subject, name, email: null, ...(fresh ? { freshAuthAt: now } : {}) },
    now,
    '127.0.0.1',
  );
  return { cookie: `${SESSION_COOKIE}=${token}`, csrf: session.csrfToken };
}

beforeAll(async () => {
  db = await freshEmbedded();
  await migrate(db);
  app = await createServer({ checkAnswers: true, db, insecureHttp: true });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  const lena = await sessionOf('lena', 'Lena Lead', false);
  const send = async (path: string, body: unknown) =>
    (
      await realFetch(`${base}${path}`, {
        method: 'POST',
        headers: { cookie: lena.cookie, [CSRF_HEADER]: lena.csrf, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).json();
  project = (await send('/api/projects', { name: 'Go-live' })).project.id;
  await send(`/api/projects/${project}/members`, { subject: 'rita', role: 'reviewer' });
  // "I reviewed these records" signs Rita's own decisions in a review on the server
  const rita = await sessionOf('rita', 'Rita Reviewer', false);
  const as =
    (who: { cookie: string; csrf: string }) => async (method: string, url: string, body?: unknown) => {
      const response = await realFetch(`${base}${url}`, {
        method,
        headers: {
          cookie: who.cookie,
          [CSRF_HEADER]: who.csrf,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    };
  const members = (await as(lena)('GET', `/api/projects/${project}`)).body.members;
  ritaReview = await reviewedBy(project, 'rv1', as(lena), as(rita), {
    memberId: members.find((m: { subject: string }) => m.subject === 'rita').id,
    name: 'Rita Reviewer',
  });
}, 60_000);

afterEach(() => {
  vi.unstubAllGlobals();
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

const buffer = (text: string) => fromBase64Url(text).buffer;

/** The browser as the person's: her cookie on every request, and `key` behind navigator.credentials. */
function browserOf(cookie: string, key: TestAuthenticator, refuse?: string) {
  vi.stubGlobal('fetch', (url: string, init: RequestInit = {}) =>
    realFetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), cookie } }),
  );
  vi.stubGlobal('PublicKeyCredential', function PublicKeyCredential() {});
  const credential = (id: string, response: Record<string, unknown>) => ({
    id,
    rawId: buffer(id),
    type: 'public-key',
    response,
    getClientExtensionResults: () => ({}),
    authenticatorAttachment: 'platform',
  });
  vi.stubGlobal('navigator', {
    credentials: {
      async create({ publicKey }: { publicKey: PublicKeyCredentialCreationOptions }) {
        if (refuse) throw new DOMException('The operation was cancelled.', refuse);
        const answer = await key.register({
          rp: { id: publicKey.rp.id, name: publicKey.rp.name },
          challenge: toBase64Url(new Uint8Array(publicKey.challenge as ArrayBuffer)),
        } as Parameters<TestAuthenticator['register']>[0]);
        return credential(answer.id, {
          attestationObject: buffer(answer.response.attestationObject),
          clientDataJSON: buffer(answer.response.clientDataJSON),
        });
      },
      async get({ publicKey }: { publicKey: PublicKeyCredentialRequestOptions }) {
        const answer = await key.sign({
          rpId: publicKey.rpId,
          challenge: toBase64Url(new Uint8Array(publicKey.challenge as ArrayBuffer)),
        } as Parameters<TestAuthenticator['sign']>[0]);
        return credential(answer.id, {
          authenticatorData: buffer(answer.response.authenticatorData),
          clientDataJSON: buffer(answer.response.clientDataJSON),
          signature: buffer(answer.response.signature),
        });
      },
    },
  });
}

describe('signing from the app on the team server', () => {
  it('registers her own key, is sent to sign in again before a first signing, then signs', async () => {
    const key = await testAuthenticator(base);
    const rita = await sessionOf('rita', 'Rita Reviewer', false);
    browserOf(rita.cookie, key);
    const team: TeamSession = { base, csrfToken: rita.csrf };
    const registered = await registerMyKey(team, project);
    expect(registered).toMatchObject({ subject: 'rita', status: 'awaiting confirmation' });

    const lena = await sessionOf('lena', 'Lena Lead', false);
    await realFetch(`${base}/api/projects/${project}/signing-keys/${registered.id}/confirm`, {
      method: 'POST',
      headers: { cookie: lena.cookie, [CSRF_HEADER]: lena.csrf },
    });

    const { hash, review } = ritaReview;
    const first = await signOnServer(team, project, {
      hash,
      kind: 'review',
      review,
      returnTo: '/team/go-live',
    });
    expect(first).toMatchObject({ signInAgain: `${base}/api/login?fresh=1&return=%2Fteam%2Fgo-live` });

    // back from the identity provider's fresh sign-in (signing.test.ts drives that part)
    const again = await sessionOf('rita', 'Rita Reviewer', true);
    browserOf(again.cookie, key);
    const signed = await signOnServer({ base, csrfToken: again.csrf }, project, {
      hash,
      kind: 'review',
      review,
    });
    expect(signed).toMatchObject({
      signed: {
        signer: { subject: 'rita' },
        role: 'reviewer',
        hash,
        meaning: expect.stringMatching(/^I reviewed/),
      },
    });
    expect((await readAudit(db, { project })).at(-1)?.kind).toBe('signature');
  });

  it('signs a stated scope, and refuses a decision set that is not hers on the server, naming how many differ', async () => {
    const key = await testAuthenticator(base);
    const rita = await sessionOf('rita', 'Rita Reviewer', true);
    browserOf(rita.cookie, key);
    const team: TeamSession = { base, csrfToken: rita.csrf };
    const registered = await registerMyKey(team, project);
    const lena = await sessionOf('lena', 'Lena Lead', false);
    await realFetch(`${base}/api/projects/${project}/signing-keys/${registered.id}/confirm`, {
      method: 'POST',
      headers: { cookie: lena.cookie, [CSRF_HEADER]: lena.csrf },
    });
    const { review } = ritaReview;
    const held = (
      (await (await fetch(`${base}/api/projects/${project}/reviews/${review}/decisions`)).json()) as {
        decisions: { decision: Decision }[];
      }
    ).decisions.map((d) => d.decision);
    const scoped = (decisions: Decision[], assigned: number) => {
      const manifest = signatureManifest(review, decisions, assigned);
      return {
        hash: scopedDecisionsHash(review, manifest.decisionsSha256, manifest),
        kind: 'review' as const,
        review,
        scope: { ...manifest, decisionIds: decisions.map((d) => d.id) },
      };
    };
    const before = (await readAudit(db, { project })).length;
    // her screen lost the last decision: the server holds three, the signature counts two
    await expect(signOnServer(team, project, scoped(held.slice(0, 2), 3))).rejects.toThrow(
      'This signature covers 2 decisions of yours, but the server records 3 of yours in this review: 1 decision differs (1 on the server is not in it)',
    );
    // no signature: the refused attempt alone, as evidence (src/server/refusalFolds.ts)
    expect(
      (await readAudit(db, { project })).slice(before).map((e) => [e.kind, e.detail.about]),
      'a refused signature records no signature',
    ).toEqual([['attempt-refused', 'signature']]);
    // a partial scope stated (3 of 5 decided) is signed, and the server's record says so
    const signed = await signOnServer(team, project, scoped(held, 5));
    expect(signed).toMatchObject({
      signed: { scope: { decisions: 3, decided: 3, assigned: 5, decisionsSha256: ritaReview.hash } },
    });
    const entry = (await readAudit(db, { project })).at(-1);
    expect(entry?.detail).toMatchObject({ decisions: '3', decided: '3', assigned: '5' });
  });

  it('a cancelled prompt registers nothing, and says so', async () => {
    const rita = await sessionOf('rita', 'Rita Reviewer', false);
    browserOf(rita.cookie, await testAuthenticator(base), 'NotAllowedError');
    const before = (await readAudit(db, { project })).length;
    await expect(registerMyKey({ base, csrfToken: rita.csrf }, project)).rejects.toThrow(
      WebAuthnCancelledError,
    );
    expect((await readAudit(db, { project })).length).toBe(before);
  });
});

/** The forger's re-seal: every project link and hash recomputed, and the head set to the last entry. */
function resealed(file: ProjectAuditFile, entries: ServerAuditRecord[]): ProjectAuditFile {
  let prev = GENESIS_HASH;
  const chain = entries.map((entry, i) => {
    const { hash: _hash, ...rest } = { ...entry, projectSeq: i + 1, projectPrevHash: prev };
    const hash = serverAuditEntryHash(rest);
    prev = hash;
    return { ...rest, hash };
  });
  const last = chain[chain.length - 1] as ServerAuditRecord;
  // the server's signed tree head and proofs cannot be made again without its key: a tamperer
  // drops them, as an export made before they existed had none
  const { treeHead: _head, logKey: _key, inclusionProofs: _proofs, ...rest } = file;
  return {
    ...rest,
    entries: chain,
    head: { projectSeq: last.projectSeq as number, hash: last.hash, at: last.at },
  };
}

const signatureAt = (file: ProjectAuditFile) =>
  file.entries.flatMap((e, i) => (e.kind === 'signature' ? [i] : []));

describe('tamper table: a project audit log exported from the team server', () => {
  let dir: string;
  let exported: ProjectAuditFile;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'preflight-server-tamper-'));
    // Rita's key, registered with the client and confirmed; two signatures in one signing period
    const key = await testAuthenticator(base);
    const rita = await sessionOf('rita', 'Rita Reviewer', true);
    browserOf(rita.cookie, key);
    const team: TeamSession = { base, csrfToken: rita.csrf };
    const registered = await registerMyKey(team, project);
    const lena = await sessionOf('lena', 'Lena Lead', false);
    const asLena = (method: string, url: string) =>
      realFetch(`${base}${url}`, { method, headers: { cookie: lena.cookie, [CSRF_HEADER]: lena.csrf } });
    await asLena('POST', `/api/projects/${project}/signing-keys/${registered.id}/confirm`);
    for (const _twice of [1, 2])
      expect(await signOnServer(team, project, { ...ritaReview, kind: 'review' })).toHaveProperty('signed');
    vi.unstubAllGlobals();
    exported = await (await asLena('GET', `/api/projects/${project}/audit`)).json();
  }, 60_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function verify(file: ProjectAuditFile, withServer = true) {
    await writeFile(path.join(dir, 'export.json'), JSON.stringify(file, null, 2));
    const out: string[] = [];
    const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => out.push(t), cwd: dir };
    const code = await main(
      ['signoff', 'verify', 'export.json', ...(withServer ? ['--server', base] : [])],
      io,
    );
    return { code, out: out.join('\n') };
  }

  it('the export as the server gave it verifies, offline and against the server, with its signatures', async () => {
    expect(exported.entries.at(-1)?.kind).toBe('audit-exported');
    const online = await verify(exported);
    expect(online.code, online.out).toBe(0);
    expect(online.out).toContain(
      `verified project audit log: ${exported.entries.length} entries, head ${exported.head?.hash}; ${signatureAt(exported).length} signatures; every entry is the server's`,
    );
    expect(signatureAt(exported).length).toBeGreaterThanOrEqual(2);
    expect(online.out).toMatch(
      /signature at entry \d+: Rita Reviewer \(rita\), reviewer, .*meaning “I reviewed these records/,
    );
    const offline = await verify(exported, false);
    expect(offline.code).toBe(0);
    expect(offline.out).toMatch(/WARNING: not checked against the server/);
  });

  it('cut and re-sealed (the last signature and the export record dropped): exit 1 against the server', async () => {
    const cut = resealed(exported, exported.entries.slice(0, -2));
    const last = cut.entries.length;
    expect((await verify(cut, false)).code, 'a cut the file alone cannot show').toBe(0);
    // kept beside the re-sealed entries, the server's signed head gives the cut away offline
    const keptHead = { ...cut, treeHead: exported.treeHead, logKey: exported.logKey };
    const offline = await verify(keptHead, false);
    expect(offline.code, offline.out).toBe(1);
    expect(offline.out).toContain('TAMPERED');
    const { code, out } = await verify(cut);
    expect(code).toBe(1);
    expect(out).toContain(
      `TAMPERED: the export ends at entry ${last}, not at the server's record of the export`,
    );
  });

  it('rewritten without its signatures and re-sealed: exit 1 naming the first entry the server never wrote', async () => {
    const [first] = signatureAt(exported);
    const rewritten = resealed(
      exported,
      exported.entries.filter((e) => e.kind !== 'signature'),
    );
    const { code, out } = await verify(rewritten);
    expect(code).toBe(1);
    const at = (first as number) + 1;
    expect(out).toContain(
      `TAMPERED: entry ${at} (“${auditKindLabel(rewritten.entries[at - 1]?.kind ?? '')}”) is not the server's entry ${at}: the export was rewritten`,
    );
  });

  it('the printed head edited: exit 1 naming the head, offline too', async () => {
    const edited = {
      ...exported,
      head: { ...(exported.head as NonNullable<ProjectAuditFile['head']>), hash: 'f'.repeat(64) },
    };
    const { code, out } = await verify(edited, false);
    expect(code).toBe(1);
    expect(out).toContain('TAMPERED: the printed head is not the last of the file’s entries');
  });

  it('cut, with the printed head edited to match: exit 1 against the server', async () => {
    const entries = exported.entries.slice(0, -2);
    const last = entries[entries.length - 1] as ServerAuditRecord;
    const { treeHead: _head, logKey: _key, inclusionProofs: _proofs, ...unsigned } = exported;
    const cut = {
      ...unsigned,
      entries,
      head: { projectSeq: last.projectSeq as number, hash: last.hash, at: last.at },
    };
    expect((await verify(cut, false)).code).toBe(0);
    const { code, out } = await verify(cut);
    expect(code).toBe(1);
    expect(out).toContain(`entry ${entries.length}, not at the server's record of the export`);
  });

  it('a swapped signer (re-sealed): exit 1 naming the signature entry, offline too', async () => {
    const [index] = signatureAt(exported) as [number];
    const entries = exported.entries.map((e, i) =>
      i === index
        ? {
            ...e,
            actor: { issuer: ISSUER, subject: 'dora', name: 'Dora Data' },
            detail: { ...e.detail, subject: 'dora' },
          }
        : e,
    );
    const { code, out } = await verify(resealed(exported, entries), false);
    expect(code).toBe(1);
    expect(out).toContain(
      `TAMPERED: signature entry ${index + 1} is signed with the key of "rita" but names "dora" as its signer`,
    );
  });

  it('a replayed signature (the first one copied over another hash, re-sealed): exit 1 naming the copy', async () => {
    const [first, second] = signatureAt(exported) as [number, number];
    const copy = exported.entries[first] as ServerAuditRecord;
    const entries = exported.entries.map((e, i) => (i === second ? { ...copy, seq: e.seq, at: e.at } : e));
    const { code, out } = await verify(resealed(exported, entries), false);
    expect(code).toBe(1);
    expect(out).toContain(
      `TAMPERED: signature entry ${second + 1} replays the identity check of signature entry ${first + 1}`,
    );
    // the same assertion moved to another hash: its challenge no longer fits
    const moved = exported.entries.map((e, i) =>
      i === second ? { ...e, detail: { ...e.detail, hash: sha256Hex('something else') } } : e,
    );
    const other = await verify(resealed(exported, moved), false);
    expect(other.code).toBe(1);
    expect(other.out).toContain(
      `TAMPERED: signature entry ${second + 1}: the assertion was not made over this`,
    );
  });

  it('a second member on one credential (a registration copied to Dora, re-sealed): exit 1 naming it', async () => {
    const index = exported.entries.findIndex((e) => e.kind === 'signing-key-registered');
    const original = exported.entries[index] as ServerAuditRecord;
    const copy = {
      ...original,
      actor: { issuer: ISSUER, subject: 'dora', name: 'Dora Data' },
      detail: { ...original.detail, subject: 'dora', key: 'forged-key' },
    };
    const entries = [...exported.entries.slice(0, index + 1), copy, ...exported.entries.slice(index + 1)];
    const { code, out } = await verify(resealed(exported, entries), false);
    expect(code).toBe(1);
    expect(out).toContain(
      `TAMPERED: entry ${index + 2} registers to "dora" a key already registered to "rita" at entry ${index + 1}`,
    );
  });

  it('a signer swapped throughout (her key’s registration and confirmation too, re-sealed): only the server catches it', async () => {
    // every entry naming Rita names Dora: the signatures then bind to a key "registered by Dora",
    // and nothing the file holds tells them apart
    const dora = { issuer: ISSUER, subject: 'dora', name: 'Dora Data' };
    const entries = exported.entries.map((e) => {
      const actor = e.actor?.subject === 'rita' ? dora : e.actor;
      const detail = e.detail.subject === 'rita' ? { ...e.detail, subject: 'dora' } : e.detail;
      return actor === e.actor && detail === e.detail ? e : { ...e, actor, detail };
    });
    const first = entries.findIndex((e, i) => e !== exported.entries[i]);
    const swapped = resealed(exported, entries);
    expect(signatureAt(swapped).length).toBeGreaterThanOrEqual(2);
    const offline = await verify(swapped, false);
    expect(offline.code, offline.out).toBe(0);
    expect(offline.out).toMatch(/signature at entry \d+: Dora Data \(dora\)/);
    const { code, out } = await verify(swapped);
    expect(code).toBe(1);
    expect(out).toContain(
      `TAMPERED: entry ${first + 1} (“${auditKindLabel(swapped.entries[first]?.kind ?? '')}”) is not the server's entry ${first + 1}: the export was rewritten`,
    );
  });

  it('a server that cannot be reached is not a verdict: exit 2', async () => {
    const out: string[] = [];
    await writeFile(path.join(dir, 'export.json'), JSON.stringify(exported));
    const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => out.push(t), cwd: dir };
    const code = await main(['signoff', 'verify', 'export.json', '--server', 'http://127.0.0.1:1'], io);
    expect(code).toBe(2);
    expect(out.join('\n')).toMatch(/NOT VERIFIED: cannot check against the server/);
  });
});
