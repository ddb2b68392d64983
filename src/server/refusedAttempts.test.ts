/**
 * Refused attempts are evidence: the audit log records who tried what and why it was refused,
 * in the same transaction as the refusal, and the attempt changes nothing else. A lead who tries
 * to confirm her own signing key, and a lead who signs with another person's key, each leave an
 * entry the lead's audit table reads in words; the project's chain stays whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../core/hash/index.ts';
import { firstBrokenProjectEntry } from '../formats/projectAudit.ts';
import { CSRF_HEADER, type Database, readAudit, SESSION_COOKIE } from './index.ts';
import { signIn } from './sessions.ts';
import { testAuthenticator } from './testing/authenticator.ts';
import { freshEmbedded } from './testing/databases.ts';
import { type ServerWithPeople, serverWithPeople, TEST_ISSUER } from './testing/people.ts';

const PEOPLE = { lena: 'Lena Lead', rita: 'Rita Reviewer' } as const;
type Who = keyof typeof PEOPLE;

describe('refused attempts in the audit log', () => {
  let db: Database;
  let server: ServerWithPeople<Who>;
  let project: string;

  beforeAll(async () => {
    db = await freshEmbedded();
    server = await serverWithPeople(db, PEOPLE, () => Date.now());
    project = (await server.ask('lena', 'POST', '/api/projects', { name: 'Go-live' })).body.project.id;
    await server.ask('lena', 'POST', `/api/projects/${project}/members`, {
      subject: 'rita',
      role: 'reviewer',
    });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  const entries = () => readAudit(db, { project });

  async function registered(who: Who) {
    const key = await testAuthenticator(server.base);
    const options = await server.ask(who, 'POST', `/api/projects/${project}/signing-keys/options`);
    const answer = await server.ask(who, 'POST', `/api/projects/${project}/signing-keys`, {
      response: await key.register(options.body),
    });
    expect(answer.status).toBe(201);
    return { key, id: answer.body.key.id as string };
  }

  it('a lead confirming her own key is refused, and the attempt recorded: who, which key, why', async () => {
    const { key, id } = await registered('lena');
    const own = await server.ask('lena', 'POST', `/api/projects/${project}/signing-keys/${id}/confirm`);
    expect(own.status).toBe(403);
    expect(own.body.error).toMatch(/^you cannot confirm your own signing key/);
    const log = await entries();
    const refused = log.filter((e) => e.kind === 'signing-key-confirm-refused');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({
      actor: { subject: 'lena', name: 'Lena Lead' },
      detail: {
        project,
        key: id,
        subject: 'lena',
        credential: key.credentialId,
        reason: 'nobody confirms their own signing key',
      },
    });
    // refused, so nothing is confirmed; the attempt is recorded once
    expect(log.map((e) => e.kind)).not.toContain('signing-key-confirmed');
    expect(log.map((e) => e.kind)).not.toContain('attempt-refused');
    const listed = (await server.ask('lena', 'GET', `/api/projects/${project}/signing-keys`)).body.keys;
    expect(listed[0].status).toBe('awaiting confirmation');
    expect(firstBrokenProjectEntry(project, log)).toBeUndefined();
  });

  it('a signature with another person’s key is refused, and the attempt recorded with whose key it was', async () => {
    const rita = await registered('rita');
    const confirmed = await server.ask(
      'lena',
      'POST',
      `/api/projects/${project}/signing-keys/${rita.id}/confirm`,
    );
    expect(confirmed.status).toBe(200);
    // Lena, freshly signed in, answers her signing ceremony with Rita's key
    const now = Date.now();
    const { token, session } = await signIn(
      db,
      {
        issuer: TEST_ISSUER,
        subject: 'lena',
        name: PEOPLE.lena,
        email: 'lena@clinic.test',
        emailVerified: true,
        freshAuthAt: now,
      },
      now,
      '127.0.0.1',
    );
    const ask = async (path: string, body: unknown) => {
      const response = await fetch(`${server.base}${path}`, {
        method: 'POST',
        headers: {
          cookie: `${SESSION_COOKIE}=${token}`,
          [CSRF_HEADER]: session.csrfToken,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    };
    const hash = sha256Hex(new TextEncoder().encode('the sign-off of the sample'));
    const options = await ask(`/api/projects/${project}/signatures/options`, { hash });
    expect(options.body.ceremony).toBe('assertion');
    const signed = await ask(`/api/projects/${project}/signatures`, {
      hash,
      kind: 'approval',
      response: await rita.key.sign(options.body.options),
    });
    expect(signed.status).toBe(403);
    expect(signed.body.error).toBe(
      'this key is not on this project’s roster under your name: register it first',
    );
    const log = await entries();
    const refused = log.filter((e) => e.kind === 'signature-refused');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({
      actor: { subject: 'lena' },
      detail: {
        subject: 'lena',
        role: 'lead',
        kind: 'approval',
        credential: rita.key.credentialId,
        keyOwner: 'rita',
        reason: 'signed with a key registered to another person',
      },
    });
    // nothing was signed, and the attempt is recorded once (not again as a generic refusal)
    expect(log.map((e) => e.kind)).not.toContain('signature');
    expect(log.map((e) => e.kind)).not.toContain('attempt-refused');
    expect(firstBrokenProjectEntry(project, log)).toBeUndefined();
  });
});
