/**
 * The runner of project routes, on a real server and database with routes of its own: it opens
 * the route's transaction, asks the role × action table for the route's action (404 to a
 * stranger, 403 to a role without it), hands the handler the member and the typed request, sends
 * an answer or a refusal once, rolls back a change that fails, and — on a server that checks
 * answers — fails an answer its contract does not describe. Every server test suite runs so.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteContract } from '../core/teamApi/index.ts';
import { readAudit } from './auditLog.ts';
import { refusedAfterCommit, serveProjectRoute } from './contractRoute.ts';
import { CSRF_HEADER, createServer, type Database, migrate, SESSION_COOKIE } from './index.ts';
import { addMember, createProject, ProjectRefusal } from './projects.ts';
import { createSession } from './sessions.ts';
import { freshEmbedded } from './testing/databases.ts';

const ISSUER = 'https://id.clinic.test';
const NOW = Date.UTC(2026, 2, 9, 9, 0);

/** A contract of this test's own, kept with its literal types (as teamApi's `defineRoute`). */
const defineRoute = <const C extends RouteContract>(contract: C): C => contract;
const ProjectParams = Type.Object({ projectId: Type.String({ maxLength: 64 }) });

const noteRoute = defineRoute({
  method: 'PUT',
  path: '/api/projects/:projectId/test-note',
  params: ProjectParams,
  body: Type.Object({ text: Type.String({ maxLength: 40 }) }, { additionalProperties: false }),
  answer: Type.Object({ role: Type.String(), text: Type.String() }),
  refusals: { 409: Type.Object({ error: Type.String(), current: Type.String() }) },
});
const streamRoute = defineRoute({
  method: 'GET',
  path: '/api/projects/:projectId/test-stream',
  params: ProjectParams,
  answer: Type.String(),
  events: Type.Object({ n: Type.Integer() }, { additionalProperties: false }),
});
const driftedRoute = defineRoute({
  method: 'GET',
  path: '/api/projects/:projectId/test-drifted',
  params: ProjectParams,
  answer: Type.Object({ count: Type.Integer() }),
});

let db: Database;
let checking: FastifyInstance;
let trusting: FastifyInstance;
let project: string;
const headers: Record<'lead' | 'viewer' | 'stranger', Record<string, string>> = {
  lead: {},
  viewer: {},
  stranger: {},
};
const lines: string[] = [];
/** how many streams of the test route were undone as they ended */
let streamsUndone = 0;

/** A server whose test routes are the runner's, `checkAnswers` as given. */
async function serverWithTestRoutes(checkAnswers: boolean): Promise<FastifyInstance> {
  const app = await createServer({
    db,
    clock: () => NOW,
    insecureHttp: true,
    publicUrl: 'http://localhost',
    checkAnswers,
    log: { level: 'info', stream: { write: (line) => lines.push(line) } },
  });
  const services = { db, clock: () => NOW };
  serveProjectRoute(app, services, {
    contract: noteRoute,
    action: 'rename-project',
    transaction: 'change',
    handler: async ({ me, body, audit, refuse, afterCommit }) => {
      await audit('project-renamed', { name: body.text, previousName: 'before' });
      if (body.text === 'conflict') return refuse(409, { error: 'someone else first', current: 'theirs' });
      if (body.text === 'fail') throw new Error('failed after its audit entry');
      if (body.text === 'evidence')
        return refusedAfterCommit(new ProjectRefusal(403, 'refused, and recorded'));
      if (body.text === 'later')
        return afterCommit(async () => ({ role: me.role, text: 'made after the commit' }));
      return { role: me.role, text: body.text };
    },
  });
  serveProjectRoute(app, services, {
    contract: streamRoute,
    action: 'read-project',
    transaction: 'none',
    handler: async ({ stream }) =>
      stream((sink) => {
        sink.event({ n: 1 });
        sink.comment('heartbeat');
        // biome-ignore lint/suspicious/noExplicitAny: an event that drifted from its contract, on purpose
        sink.event({ n: 'two' } as any);
        sink.event({ n: 3 });
        void sink.end();
        return () => {
          streamsUndone += 1;
        };
      }, 1_000),
  });
  serveProjectRoute(app, services, {
    contract: driftedRoute,
    action: 'read-project',
    transaction: 'none',
    // biome-ignore lint/suspicious/noExplicitAny: a route that drifted from its contract, on purpose
    handler: async () => ({ count: 'three' }) as any,
  });
  return app;
}

beforeAll(async () => {
  db = await freshEmbedded();
  await migrate(db);
  project = await db.transaction(async (tx) => {
    const id = await createProject(tx, { issuer: ISSUER, subject: 'lead' }, 'Go-live', NOW);
    await addMember(tx, id, { issuer: ISSUER, subject: 'viewer' }, 'viewer', null, NOW);
    return id;
  });
  for (const who of ['lead', 'viewer', 'stranger'] as const) {
    const { token, session } = await createSession(
      db,
      { issuer: ISSUER, subject: who, name: who, email: null },
      NOW,
    );
    headers[who] = { cookie: `${SESSION_COOKIE}=${token}`, [CSRF_HEADER]: session.csrfToken };
  }
  checking = await serverWithTestRoutes(true);
  trusting = await serverWithTestRoutes(false);
}, 180_000);
afterAll(async () => {
  await checking?.close();
  await trusting?.close();
  await db?.close();
});

const note = (who: keyof typeof headers, text: string, app = checking) =>
  app.inject({
    method: 'PUT',
    url: `/api/projects/${project}/test-note`,
    headers: headers[who],
    payload: { text },
  });
const audited = async () => (await readAudit(db, { project })).map((e) => e.detail.name);

describe('a project route the contract runs', () => {
  it('hands an allowed member their membership and the typed body, and keeps the audit entry', async () => {
    const done = await note('lead', 'hello');
    expect(done.statusCode).toBe(200);
    expect(done.json()).toEqual({ role: 'lead', text: 'hello' });
    expect(await audited()).toContain('hello');
  });

  it('refuses by the role × action table: 403 to a role without the action, 404 to a stranger', async () => {
    const viewer = await note('viewer', 'viewer');
    expect(viewer.statusCode).toBe(403);
    expect(viewer.json().error).toMatch(/your role on this project \(viewer\) cannot rename/);
    const stranger = await note('stranger', 'stranger');
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json().code).toBe('project-not-open');
    expect(await audited()).not.toEqual(expect.arrayContaining(['viewer', 'stranger']));
  });

  it('rolls a failed change back with its audit entry', async () => {
    expect((await note('lead', 'fail')).statusCode).toBe(500);
    expect(await audited()).not.toContain('fail');
  });

  it('finishes an answer after the commit, and refuses after it with the attempt kept', async () => {
    const later = await note('lead', 'later');
    expect(later.statusCode).toBe(200);
    expect(later.json()).toEqual({ role: 'lead', text: 'made after the commit' });
    lines.length = 0;
    const refused = await note('lead', 'evidence');
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual({ error: 'refused, and recorded' });
    expect(await audited()).toEqual(expect.arrayContaining(['later', 'evidence']));
    expect(lines.join('')).not.toContain('FST_ERR_REP_ALREADY_SENT');
  });

  it('sends a refusal with the body its contract names, once', async () => {
    lines.length = 0;
    const refused = await note('lead', 'conflict');
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toEqual({ error: 'someone else first', current: 'theirs' });
    expect(lines.join('')).not.toContain('FST_ERR_REP_ALREADY_SENT');
  });

  it('fails an answer its contract does not describe, where answers are checked', async () => {
    lines.length = 0;
    const url = `/api/projects/${project}/test-drifted`;
    const checked = await checking.inject({ method: 'GET', url, headers: headers.viewer });
    expect(checked.statusCode).toBe(500);
    expect(lines.join('')).toMatch(
      /GET \/api\/projects\/:projectId\/test-drifted: its answer does not match its contract \(src\/core\/teamApi\) at \/count/,
    );
    const trusted = await trusting.inject({ method: 'GET', url, headers: headers.viewer });
    expect(trusted.statusCode).toBe(200);
  });
});

describe('a stream the contract runs', () => {
  const url = () => `/api/projects/${project}/test-stream`;

  it('refuses a stranger as any project route does', async () => {
    const refused = await checking.inject({ method: 'GET', url: url(), headers: headers.stranger });
    expect(refused.statusCode).toBe(404);
    expect(refused.json().code).toBe('project-not-open');
  });

  it('sends the events its contract describes, and ends at one it does not, where answers are checked', async () => {
    lines.length = 0;
    streamsUndone = 0;
    const checked = await checking.inject({ method: 'GET', url: url(), headers: headers.viewer });
    expect(checked.statusCode).toBe(200);
    expect(checked.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(checked.payload).toBe('retry: 1000\n: connected\n\ndata: {"n":1}\n\n: heartbeat\n\n');
    expect(lines.join('')).toMatch(
      /GET \/api\/projects\/:projectId\/test-stream: its event does not match its contract \(src\/core\/teamApi\) at \/n/,
    );
    expect(streamsUndone).toBe(1);
    const trusted = await trusting.inject({ method: 'GET', url: url(), headers: headers.viewer });
    expect(trusted.payload).toContain('data: {"n":3}');
    expect(streamsUndone).toBe(2);
  });
});

/** Folders that may start a team server: the product, its tests, the samples and any scripts. */
const STARTING_ROOTS = ['src', 'tests', 'samples', 'scripts'];

/**
 * Starts of a team server that trust their answers, each with why; every other start, anywhere in
 * the tree, checks each answer and refusal against its route's contract.
 */
const TRUSTING_STARTS: readonly { file: string; reason: string }[] = [
  {
    file: 'src/server/start.ts',
    reason: 'passes its caller’s options on: the caller’s start is the one scanned',
  },
  {
    file: 'src/cli/commands/serve.ts',
    reason:
      'the clinic’s server: a check per answer costs every request, and the suites check the same routes; a test’s child server checks them (CHECK_ANSWERS_FOR_TESTS_ENV, held below)',
  },
  {
    file: 'src/server/contractRoute.test.ts',
    reason: 'starts a server that trusts its answers, to show the difference',
  },
  {
    file: 'tests/bench/teamServerChild.ts',
    reason: 'measures the server’s own cost, which a check per answer would add to',
  },
  {
    file: 'tests/bench/reviewDecisionCpu.ts',
    reason: 'measures the server’s own cost, which a check per answer would add to',
  },
];

/** `import { …, createServer, … } from '…'`: the names and the module of each import. */
const IMPORT = /import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g;

/** The text of the call's arguments from the `(` at `open`, to its matching `)`. */
function argumentsAt(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return text.slice(open, i + 1);
  }
  return text.slice(open);
}

/**
 * Each start of the team server in `file` (`createServer` or `startServer` imported from
 * src/server) without `checkAnswers: true`, as `file:line`.
 */
function trustingStarts(root: string, file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const starters: string[] = [];
  for (const [, names = '', from = ''] of text.matchAll(IMPORT)) {
    if (!from.startsWith('.')) continue;
    const target = path.relative(root, path.resolve(path.dirname(path.join(root, file)), from));
    if (!target.startsWith(`src${path.sep}server`)) continue;
    for (const name of names.split(',')) {
      const local =
        name
          .trim()
          .split(/\s+as\s+/)
          .at(-1) ?? '';
      if (/^(?:createServer|startServer)$/.test(name.trim().split(/\s+/)[0] ?? '')) starters.push(local);
    }
  }
  // the module that defines them starts nothing of its own but through its callers
  if (file === path.join('src', 'server', 'app.ts')) return [];
  const found: string[] = [];
  for (const starter of starters) {
    for (const call of text.matchAll(new RegExp(`(?<![\\w.])${starter}\\s*\\(`, 'g'))) {
      const open = call.index + call[0].length - 1;
      if (!argumentsAt(text, open).includes('checkAnswers: true'))
        found.push(`${file.split(path.sep).join('/')}:${text.slice(0, call.index).split('\n').length}`);
    }
  }
  return found;
}

/** A call that starts a child process: its arguments are where a start of `preflight serve` is. */
const CHILD_START = /(?<![\w.])(?:spawn|spawnSync|fork|execFile|execFileSync|execa)\s*\(/g;

/**
 * `'serve'` as the CLI's command followed by an option or nothing: a start of the server, not one
 * of its tasks (`serve backup`, `serve migrate`…), whose next word is not an option.
 */
const SERVE_START = /['"]serve['"]\s*(?:\]|,\s*['"]--)/;

/**
 * Each start of `preflight serve` as a child process in `file` whose call does not set
 * CHECK_ANSWERS_FOR_TESTS_ENV (src/cli/commands/serve.ts), as `file:line`; and how many it found.
 */
function uncheckedChildServers(root: string, file: string): { unchecked: string[]; starts: number } {
  const text = readFileSync(path.join(root, file), 'utf8');
  const unchecked: string[] = [];
  let starts = 0;
  for (const call of text.matchAll(CHILD_START)) {
    const args = argumentsAt(text, call.index + call[0].length - 1);
    if (!SERVE_START.test(args)) continue;
    starts++;
    if (!/CHECK_ANSWERS_FOR_TESTS_ENV|PREFLIGHT_CHECK_ANSWERS_FOR_TESTS/.test(args))
      unchecked.push(`${file.split(path.sep).join('/')}:${text.slice(0, call.index).split('\n').length}`);
  }
  return { unchecked, starts };
}

describe('every team server the tree starts', () => {
  it('checks every answer: each start anywhere in the tree is started with checkAnswers, but the listed ones', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const files = STARTING_ROOTS.flatMap((top) => {
      try {
        return readdirSync(path.join(root, top), { recursive: true, encoding: 'utf8' })
          .filter((f) => /\.(?:ts|tsx|mts|mjs|js)$/.test(f) && !f.split(path.sep).includes('generated'))
          .map((f) => path.join(top, f));
      } catch {
        return []; // a folder this tree does not have
      }
    });
    const trusting = files.flatMap((file) => trustingStarts(root, file));
    const allowed = new Set(TRUSTING_STARTS.map((start) => start.file));
    expect(files.length).toBeGreaterThan(500);
    expect(trusting.filter((at) => !allowed.has(at.replace(/:\d+$/, '')))).toEqual([]);
    // an exception that no longer starts a trusting server leaves the list
    const stillTrusting = new Set(trusting.map((at) => at.replace(/:\d+$/, '')));
    expect(TRUSTING_STARTS.filter((start) => !stillTrusting.has(start.file))).toEqual([]);
  });

  it('checks every answer of a `preflight serve` a test starts as a child process', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const found = STARTING_ROOTS.flatMap((top) => {
      try {
        return readdirSync(path.join(root, top), { recursive: true, encoding: 'utf8' })
          .filter((f) => /\.(?:ts|tsx|mts|mjs|js)$/.test(f) && !f.split(path.sep).includes('generated'))
          .map((f) => uncheckedChildServers(root, path.join(top, f)));
      } catch {
        return []; // a folder this tree does not have
      }
    });
    // the scan finds the child servers the tests start (it would pass on none)
    expect(found.reduce((sum, f) => sum + f.starts, 0)).toBeGreaterThan(0);
    expect(found.flatMap((f) => f.unchecked)).toEqual([]);
  });
});

describe('the server’s API', () => {
  it('registers every route from its contract, but the sign-in redirects and the app’s page', () => {
    const root = path.resolve(import.meta.dirname);
    /** `app.get(…)` and the like, outside the runner: a route no contract describes */
    const direct =
      /\b(?:app|instance)\.(?:get|post|put|patch|delete|route)(?:<[^(]*>)?\(\s*['"`]?([^'"`,\s]*)/g;
    const outside: string[] = [];
    for (const file of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts') || file.startsWith('testing')) continue;
      if (file === 'contractRoute.ts') continue;
      const text = readFileSync(path.join(root, file), 'utf8');
      for (const [, url = ''] of text.matchAll(direct)) outside.push(`${file} ${url}`);
    }
    expect(outside.sort()).toEqual([
      'app.ts /',
      'app.ts /api/login',
      'app.ts /api/login/callback',
      'app.ts /index.html',
    ]);
  });
});

describe('the route files', () => {
  it('state no SQL: a route asks the functions of the tables it reads (data/, projects.ts, …)', () => {
    const root = path.resolve(import.meta.dirname);
    const withSql: string[] = [];
    for (const file of readdirSync(root, { encoding: 'utf8' })) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
      const text = readFileSync(path.join(root, file), 'utf8');
      const servesRoutes = /\bserve(?:Project|Server)?Route\(app\b/.test(text);
      if (servesRoutes && /\.query(?:<[^(]*>)?\(/.test(text)) withSql.push(file);
    }
    expect(withSql).toEqual([]);
  });
});
