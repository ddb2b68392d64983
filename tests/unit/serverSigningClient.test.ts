/**
 * The app's signing client (src/app/signoff/serverSigning.ts) against the real team server
 * (embedded database): `@simplewebauthn/browser` drives a stand-in for `navigator.credentials`
 * backed by the server tests' software authenticator, so the options the server sends reach the
 * authenticator and its answers come back as a browser would send them. The client registers the
 * person's own key, is told to sign in again before a first signing, then signs; a cancelled
 * prompt registers nothing. Lives under tests/: the app never imports src/server, and this test
 * needs both.
 */
import { PGlite } from '@electric-sql/pglite';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerMyKey, signOnServer, type TeamSession } from '../../src/app/signoff/serverSigning.ts';
import { WebAuthnCancelledError } from '../../src/app/signoff/webauthnClient.ts';
import { sha256Hex } from '../../src/core/hash/sha256.ts';
import { fromBase64Url, toBase64Url } from '../../src/core/signoff/webauthn.ts';
import {
  CSRF_HEADER,
  createServer,
  type Database,
  embeddedDatabaseOver,
  migrate,
  readAudit,
  SESSION_COOKIE,
} from '../../src/server/index.ts';
import { signIn } from '../../src/server/sessions.ts';
import { type TestAuthenticator, testAuthenticator } from '../../src/server/testing/authenticator.ts';

const ISSUER = 'https://id.clinic.test';
let db: Database;
let app: FastifyInstance;
let base: string;
let project: string;
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
  db = embeddedDatabaseOver(await PGlite.create());
  await migrate(db);
  app = await createServer({ db, insecureHttp: true });
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

    const hash = sha256Hex('the first pass of sample S-1');
    const first = await signOnServer(team, project, { hash, kind: 'review' });
    expect(first).toMatchObject({ signInAgain: `${base}/api/login?fresh=1` });

    // back from the identity provider's fresh sign-in (signing.test.ts drives that part)
    const again = await sessionOf('rita', 'Rita Reviewer', true);
    browserOf(again.cookie, key);
    const signed = await signOnServer({ base, csrfToken: again.csrf }, project, { hash, kind: 'review' });
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
