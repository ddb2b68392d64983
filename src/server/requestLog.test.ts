/**
 * The server's log as an administrator reads it: one JSON line per request with its route
 * pattern, status, time and member, sign-ins and refusals with their reason, errors with their
 * stack — and never a cookie, token, body or record content.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CSRF_HEADER,
  createServer,
  type Database,
  type IdentityClient,
  migrate,
  SESSION_COOKIE,
} from './index.ts';
import { createSession } from './sessions.ts';
import { freshEmbedded } from './testing/databases.ts';

const lines: string[] = [];
let db: Database;
let app: FastifyInstance;
const RECORD_TEXT = 'Ward 7 go-live, patient Jane Roe';

/** A provider that confirms every sign-in but one whose `code` is `refused`. */
const identity: IdentityClient = {
  begin: async () => ({
    url: 'https://id.clinic.test/auth',
    pending: { state: 's', nonce: 'n', verifier: 'v' },
  }),
  finish: async (callback) => {
    if (callback.searchParams.get('code') === 'refused') throw new Error('invalid_grant');
    return {
      issuer: 'https://id.clinic.test',
      subject: 'nurse-7',
      name: 'Nurse Seven',
      email: null,
      emailVerified: false,
    };
  },
};

beforeAll(async () => {
  db = await freshEmbedded();
  await migrate(db);
  app = await createServer({
    checkAnswers: true,
    db,
    identity,
    insecureHttp: true,
    // inject's requests name localhost, the address this server is told it is opened at
    publicUrl: 'http://localhost',
    log: { level: 'info', stream: { write: (line) => lines.push(line) } },
  });
}, 180_000);
afterAll(async () => {
  await app?.close();
  await db?.close();
});

function logged(): Record<string, unknown>[] {
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('the server log', () => {
  it('writes one line per request: method, route pattern, status, ms, member; no cookie, token or body', async () => {
    const { token, session } = await createSession(
      db,
      { issuer: 'https://id.clinic.test', subject: 'lead-1', name: 'Lee Dee', email: null },
      Date.now(),
    );
    const cookie = `${SESSION_COOKIE}=${token}`;
    const created = await app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: { cookie, [CSRF_HEADER]: session.csrfToken, authorization: 'Bearer not-logged' },
      payload: { name: RECORD_TEXT },
    });
    expect(created.statusCode).toBe(201);
    const { id } = (created.json() as { project: { id: string } }).project;
    lines.length = 0;
    const read = await app.inject({ method: 'GET', url: `/api/projects/${id}?x=${id}`, headers: { cookie } });
    expect(read.statusCode).toBe(200);
    const [line = {}, ...more] = logged();
    expect(more).toEqual([]);
    expect(line).toMatchObject({
      level: 30,
      msg: 'request',
      method: 'GET',
      route: '/api/projects/:projectId',
      status: 200,
      member: 'lead-1',
      // inject's requests come from the loopback address
      client: '127.0.0.1',
    });
    expect(line.ms).toEqual(expect.any(Number));
    const all = lines.join('');
    for (const secret of [token, session.csrfToken, id, RECORD_TEXT, 'Lee Dee', 'not-logged'])
      expect(all).not.toContain(secret);
  });

  it("tags request ids with the process's own tag, so two processes' lines never share one", async () => {
    const other = await createServer({
      checkAnswers: true,
      db,
      insecureHttp: true,
      publicUrl: 'http://localhost',
      log: { level: 'info', stream: { write: (line) => lines.push(line) } },
    });
    try {
      lines.length = 0;
      await app.inject({ method: 'GET', url: '/api/health' });
      await other.inject({ method: 'GET', url: '/api/health' });
      const ids = logged().map((line) => line.reqId);
      const id = /^([0-9a-f]{8})-[0-9a-z]+$/;
      expect(ids).toEqual([expect.stringMatching(id), expect.stringMatching(/^[0-9a-f]{8}-1$/)]);
      const tags = ids.map((reqId) => id.exec(String(reqId))?.[1]);
      expect(tags[0]).not.toBe(tags[1]);
    } finally {
      await other.close();
    }
  });

  it('logs a refusal with its reason, and sign-ins with who or why not', async () => {
    lines.length = 0;
    await app.inject({ method: 'GET', url: '/api/me' });
    // a sign-in in progress is used once: each return from the provider follows a start of its own
    const begin = async () =>
      (await app.inject({ method: 'GET', url: '/api/login' })).cookies
        .map((c) => `${c.name}=${c.value}`)
        .join('; ');
    const refusedCookie = await begin();
    await app.inject({
      method: 'GET',
      url: '/api/login/callback?code=refused',
      headers: { cookie: refusedCookie },
    });
    const loginCookie = await begin();
    const signed = await app.inject({
      method: 'GET',
      url: '/api/login/callback?code=ok',
      headers: { cookie: loginCookie },
    });
    expect(signed.statusCode).toBe(302);
    expect(logged()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ msg: 'request', route: '/api/me', status: 401, refused: 'sign in first' }),
        expect.objectContaining({
          msg: 'sign-in failed',
          reason: 'the identity provider did not confirm it',
        }),
        expect.objectContaining({ msg: 'signed in', member: 'nurse-7' }),
      ]),
    );
    for (const cookie of [refusedCookie, loginCookie])
      expect(lines.join('')).not.toContain(cookie.split('=')[1]);
  });

  it('answers a conflict once: no second send, so no raw address with its project id in the log', async () => {
    const { token, session } = await createSession(
      db,
      { issuer: 'https://id.clinic.test', subject: 'lead-2', name: 'Lee Two', email: null },
      Date.now(),
    );
    const headers = { cookie: `${SESSION_COOKIE}=${token}`, [CSRF_HEADER]: session.csrfToken };
    const created = await app.inject({
      method: 'POST',
      url: '/api/projects',
      headers,
      payload: { name: 'Go-live' },
    });
    const { id } = (created.json() as { project: { id: string } }).project;
    lines.length = 0;
    // removing a record the server never held, from a copy that thought it was at version 3
    const conflict = await app.inject({
      method: 'PUT',
      url: `/api/projects/${id}/records/check-set/cs-1`,
      headers,
      payload: { baseVersion: 3, body: null },
    });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json()).toMatchObject({ current: null });
    expect(logged()).toEqual([
      expect.objectContaining({
        msg: 'request',
        route: '/api/projects/:projectId/records/:kind/:recordId',
        status: 409,
      }),
    ]);
    const all = lines.join('');
    expect(all).not.toContain('FST_ERR_REP_ALREADY_SENT');
    expect(all).not.toContain(id);
  });

  it('logs a failure with its stack', async () => {
    const failing = await createServer({
      checkAnswers: true,
      db,
      publicUrl: 'http://localhost',
      log: { level: 'error', stream: { write: (line) => lines.push(line) } },
    });
    failing.get('/boom', async () => {
      throw new Error('disk on fire');
    });
    lines.length = 0;
    expect((await failing.inject({ method: 'GET', url: '/boom' })).statusCode).toBe(500);
    await failing.close();
    const [line = {}, ...more] = logged();
    expect(more).toEqual([]);
    expect(line).toMatchObject({ level: 50, msg: 'request failed', err: { message: 'disk on fire' } });
    expect((line.err as { stack: string }).stack).toMatch(/requestLog\.test\.ts/);
  });
});
