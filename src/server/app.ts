/**
 * The team server's HTTP surface: the built app (`dist/`) with the same security headers
 * `npm start` sends, and the API under `/api/`. Every API route but the public ones
 * ({@link PUBLIC_API_ROUTES}) needs a live session, checked before routing, so an unknown route
 * is 401 to a stranger too and the API's shape is not given away.
 *
 * Constraints: bodies are bounded in size and depth before a route sees them (bounds.ts); API
 * answers are never cached; the session cookie is HttpOnly and SameSite=Lax, and Secure unless
 * the server was started for plain-HTTP testing on loopback.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import {
  isBuiltScriptWithQuery,
  pathContentSecurityPolicy,
  securityHeaders,
} from '../core/http/securityHeaders.ts';
import { BODY_LIMIT_BYTES, JsonTooDeepError, parseBoundedJson } from './bounds.ts';
import { builtWorkerScripts } from './builtApp.ts';
import type { Database } from './database.ts';
import { SESSION_COOKIE, SESSION_IDLE_MS, type Session, touchSession } from './sessions.ts';

/** API routes answered without a session. */
export const PUBLIC_API_ROUTES: ReadonlySet<string> = new Set(['/api/health']);

/** Options of {@link createServer}. */
export interface ServerOptions {
  db: Database;
  /** the built app (`dist/`); undefined or missing: the API only, and `/` says how to build it */
  appDir?: string;
  /** cookies without `Secure`: only for plain HTTP on loopback in tests and demos */
  insecureHttp?: boolean;
  /** milliseconds since the epoch; tests move it instead of waiting */
  clock?: () => number;
  /** session idle limit; default {@link SESSION_IDLE_MS} */
  sessionIdleMs?: number;
  /** the server sits behind the clinic's TLS proxy, whose `X-Forwarded-*` headers are believed */
  trustProxy?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** the caller's live session (every API route but the public ones has one) */
    session?: Session;
  }
}

/** The server, ready to `listen`; closing it does not close the database. */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const clock = options.clock ?? Date.now;
  const idleMs = options.sessionIdleMs ?? SESSION_IDLE_MS;
  const app = Fastify({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: options.trustProxy ?? false,
    logger: false,
    return503OnClosing: true,
  });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, body === '' ? undefined : parseBoundedJson(body as string));
    } catch (error) {
      const reason = error instanceof JsonTooDeepError ? error.message : 'the request body is not valid JSON';
      done(Object.assign(new Error(reason), { statusCode: 400 }), undefined);
    }
  });
  await app.register(fastifyCookie);

  const workerScripts = options.appDir ? builtWorkerScripts(options.appDir) : () => undefined;
  app.addHook('onSend', async (request, reply, payload) => {
    const url = request.url;
    for (const [name, value] of Object.entries(securityHeaders)) reply.header(name, value);
    if (isApi(url)) reply.header('Cache-Control', 'no-store');
    else {
      const file = url.replace(/^\//, '').replace(/\?.*$/, '');
      const origin = `${request.protocol}://${request.host}`;
      const scripts = workerScripts(file)?.map((f) => `${origin}/${f}`);
      reply.header('Content-Security-Policy', pathContentSecurityPolicy(url, [], scripts));
    }
    return payload;
  });

  app.addHook('onRequest', async (request, reply) => {
    const url = request.url;
    if (!isApi(url)) {
      if (isBuiltScriptWithQuery(url)) return reply.code(404).send();
      return;
    }
    const route = url.replace(/\?.*$/, '');
    const token = request.cookies[SESSION_COOKIE];
    if (token) request.session = await touchSession(options.db, token, clock(), idleMs);
    if (PUBLIC_API_ROUTES.has(route)) return;
    if (request.session === undefined) return refuse(reply, 401, 'sign in first');
  });

  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500)
      return refuse(reply, 500, 'the server failed; the clinic’s administrator can see why in its log');
    return refuse(reply, status, error.message);
  });

  app.get('/api/health', async () => {
    await options.db.query('SELECT 1');
    return { status: 'ok', database: options.db.engine };
  });

  if (options.appDir && existsSync(path.join(options.appDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: options.appDir, wildcard: true, index: 'index.html' });
    app.setNotFoundHandler((request, reply) => {
      if (isApi(request.url) || request.method !== 'GET') return refuse(reply, 404, 'no such page');
      return reply.sendFile('index.html');
    });
  } else {
    app.setNotFoundHandler((request, reply) => {
      if (isApi(request.url)) return refuse(reply, 404, 'no such page');
      return reply
        .code(404)
        .type('text/plain; charset=utf-8')
        .send(
          'The app is not built here: run "npm run build" where Preflight is installed, then restart the server.\n',
        );
    });
  }
  return app;
}

function isApi(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

/** A refusal every API client reads the same way: `{ "error": "…" }`. */
export function refuse(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send({ error: message });
}
