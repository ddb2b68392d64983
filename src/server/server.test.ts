/**
 * The team server over real HTTP (one server on port 0 for the file, on the embedded database):
 * the health check, the API closed to anyone without a session, bounded bodies, sessions that end
 * after inactivity (an injected clock, never a wait), and the built app served with the same
 * security headers as `npm start`.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy, securityHeaders } from '../core/http/securityHeaders.ts';
import {
  BODY_LIMIT_BYTES,
  CSRF_HEADER,
  createServer,
  type Database,
  MAX_JSON_DEPTH,
  migrate,
  SESSION_COOKIE,
  SESSION_IDLE_MS,
} from './index.ts';
import { createSession, SESSION_TOUCH_MS } from './sessions.ts';
import { freshEmbedded } from './testing/databases.ts';

const START = Date.UTC(2026, 0, 5, 9);
let now = START;
let db: Database;
let app: FastifyInstance;
let base: string;
let appDir: string;

beforeAll(async () => {
  appDir = await mkdtemp(path.join(tmpdir(), 'preflight-serve-app-'));
  await mkdir(path.join(appDir, 'assets'));
  await writeFile(path.join(appDir, 'index.html'), '<!doctype html><title>Preflight</title>');
  await writeFile(path.join(appDir, 'assets', 'page-1.js'), 'export {};');
  db = await freshEmbedded();
  await migrate(db);
  app = await createServer({ checkAnswers: true, db, appDir, clock: () => now });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
}, 180_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
  if (appDir) await rm(appDir, { recursive: true, force: true });
});

/** A signed-in caller's cookie, its session started at `at`. */
async function signedIn(at = now): Promise<{ cookie: string; csrf: string }> {
  const { token, session } = await createSession(
    db,
    { issuer: 'https://id.clinic.test', subject: 'analyst-1', name: 'Ana Lyst', email: null },
    at,
  );
  return { cookie: `${SESSION_COOKIE}=${token}`, csrf: session.csrfToken };
}

describe('the API', () => {
  it('answers the health check without a session, never cached', async () => {
    // the server's clock the machine's, as its database's: a clock months apart is said (serverClock.test.ts)
    now = Date.now();
    const response = await fetch(`${base}/api/health`).finally(() => {
      now = START;
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      database: 'embedded',
      auditLog: { status: 'ok', checkedAt: expect.any(String) },
    });
    expect(response.headers.get('cache-control')).toBe('no-store');
    for (const [name, value] of Object.entries(securityHeaders))
      expect(response.headers.get(name)).toBe(value);
  });

  it.each([
    ['GET', '/api/projects'],
    ['GET', '/api/me'],
    ['POST', '/api/logout'],
    ['GET', '/api/no-such-route'],
    ['GET', '/api'],
    ['DELETE', '/api/health/..%2fprojects'],
  ])(
    'refuses %s %s without a session (401, the same for a route that does not exist)',
    async (method, route) => {
      const response = await fetch(`${base}${route}`, { method });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'sign in first' });
    },
  );

  it('refuses a made-up session token', async () => {
    const response = await fetch(`${base}/api/projects`, { headers: { cookie: `${SESSION_COOKIE}=forged` } });
    expect(response.status).toBe(401);
  });

  it('ends a session after inactivity, and each request moves its clock on', async () => {
    const { cookie } = await signedIn();
    const ask = () => fetch(`${base}/api/no-such-route`, { headers: { cookie } });
    expect((await ask()).status).toBe(404);
    now += SESSION_IDLE_MS - 1;
    expect((await ask()).status).toBe(404);
    now += SESSION_IDLE_MS - 1;
    expect((await ask()).status).toBe(404);
    now += SESSION_IDLE_MS;
    expect((await ask()).status).toBe(401);
    now -= SESSION_IDLE_MS;
    expect((await ask()).status, 'an ended session stays ended').toBe(401);
  });

  it('records a request in its session at most once a minute, and ends it by the time recorded', async () => {
    const { cookie, csrf } = await signedIn();
    const ask = () => fetch(`${base}/api/no-such-route`, { headers: { cookie } });
    const seen = async () =>
      (
        await db.query<{ at: string }>(
          "SELECT to_char(last_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS at FROM sessions WHERE csrf_token = $1",
          [csrf],
        )
      )[0]?.at;
    const started = await seen();
    // within the minute: read, not written (a write on every request is load the database need not carry)
    now += SESSION_TOUCH_MS - 1_000;
    expect((await ask()).status).toBe(404);
    expect(await seen()).toBe(started);
    now += 1_000;
    expect((await ask()).status).toBe(404);
    expect(await seen()).not.toBe(started);
    // the idle limit counts from the request recorded: a session ends early by under a minute, never late
    now += SESSION_TOUCH_MS - 1_000;
    expect((await ask()).status).toBe(404);
    now += SESSION_IDLE_MS - SESSION_TOUCH_MS + 1_000;
    expect((await ask()).status).toBe(401);
  });

  it('refuses a body nested too deeply, saying so, before any route sees it', async () => {
    const { cookie, csrf } = await signedIn();
    const deep = `${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`;
    const response = await fetch(`${base}/api/no-such-route`, {
      method: 'POST',
      headers: { cookie, [CSRF_HEADER]: csrf, 'content-type': 'application/json' },
      body: deep,
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(`nested more than ${MAX_JSON_DEPTH} levels deep`);
  });

  it('refuses a body over the size limit (413)', async () => {
    const { cookie, csrf } = await signedIn();
    const response = await fetch(`${base}/api/no-such-route`, {
      method: 'POST',
      headers: { cookie, [CSRF_HEADER]: csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(BODY_LIMIT_BYTES) }),
    });
    expect(response.status).toBe(413);
  });
});

describe('the built app', () => {
  it('is served with the same security headers as npm start, CSP first', async () => {
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    // marked as a team server's page: only such a page asks for a session
    expect(await response.text()).toBe(
      '<!doctype html><meta name="preflight-team-server" content="1"><title>Preflight</title>',
    );
    expect(Object.keys(securityHeaders)[0]).toBe('Content-Security-Policy');
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    for (const [name, value] of Object.entries(securityHeaders))
      expect(response.headers.get(name)).toBe(value);
  });

  it('answers a page address the app routes itself with the app', async () => {
    for (const address of ['/projects/demo', '/index.html']) {
      const response = await fetch(`${base}${address}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<meta name="preflight-team-server" content="1"><title>');
    }
  });

  it('refuses a built script asked for with a query string (404, no body)', async () => {
    const response = await fetch(`${base}/assets/page-1.js?leak=1`);
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('');
    expect((await fetch(`${base}/assets/page-1.js`)).status).toBe(200);
  });

  it('serves nothing outside its folder', async () => {
    const response = await fetch(`${base}/..%2f..%2fetc%2fpasswd`);
    expect(await response.text()).not.toMatch(/root:/);
  });
});
