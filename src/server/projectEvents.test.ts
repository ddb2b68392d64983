/**
 * A shared project's event stream on the embedded database: a member's open stream hears the kind
 * of another member's change and nothing of its content; a member of another project and a
 * stranger are refused; a heartbeat checks the session and a roster change the membership; the
 * streams are bounded per member; a stop ends them. On PostgreSQL, what the database itself
 * carries: a change made through one server process reaches a stream held by another
 * (LISTEN/NOTIFY). The route × kind table is proven as data in
 * src/core/teamRecords/changeEvents.test.ts.
 */
import { get } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { EVENT_HEARTBEAT_MS, EVENT_STREAMS_PER_MEMBER } from './bounds.ts';
import { createServer, type Database } from './index.ts';
import { fileTestEngines, freshEmbedded } from './testing/databases.ts';
import { type ServerWithPeople, serverWithPeople } from './testing/people.ts';

const PEOPLE = {
  lena: 'Lena Lead',
  vera: 'Vera Viewer',
  omar: 'Omar Other',
  rick: 'Rick Removed',
} as const;
type Who = keyof typeof PEOPLE;

const CANARY = 'Rationale-canary-7d1f';
const testEngines = fileTestEngines();
const hasPostgres = () => testEngines.running().engines.some((e) => e.engine === 'postgres');

/** An open event stream, read one event block (the lines up to a blank line) at a time. */
interface OpenStream {
  status: number;
  headers: Headers;
  /** a refusal's body (an open stream: empty) */
  refusal: string;
  /** the next block, or null once the server ended the stream */
  next(): Promise<string | null>;
  /** everything read so far */
  seen(): string;
  close(): Promise<void>;
}

/**
 * Opens a project's stream at `base` with `cookie` on a connection of its own (no pool: closing it
 * closes the socket, as a browser's EventSource does).
 */
function openStream(base: string, projectId: string, cookie: string | undefined): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const request = get(
      `${base}/api/projects/${projectId}/events`,
      { agent: false, headers: cookie === undefined ? {} : { cookie } },
      (response) => {
        response.setEncoding('utf8');
        let buffer = '';
        let all = '';
        let done = false;
        let wake = () => {};
        response.on('data', (text: string) => {
          buffer += text;
          all += text;
          wake();
        });
        response.on('end', () => {
          done = true;
          wake();
        });
        response.on('close', () => {
          done = true;
          wake();
        });
        const headers = new Headers(response.headers as Record<string, string>);
        const stream: OpenStream = {
          status: response.statusCode ?? 0,
          headers,
          refusal: '',
          async next() {
            for (;;) {
              const at = buffer.indexOf('\n\n');
              if (at >= 0) {
                const block = buffer.slice(0, at);
                buffer = buffer.slice(at + 2);
                return block;
              }
              if (done) return null;
              await new Promise<void>((woken) => {
                wake = woken;
              });
            }
          },
          seen: () => all,
          async close() {
            request.destroy();
          },
        };
        if (stream.status === 200) resolve(stream);
        else response.on('end', () => resolve({ ...stream, refusal: all }));
      },
    );
    request.on('error', reject);
  });
}

describe('a shared project’s event stream', () => {
  let db: Database;
  let server: ServerWithPeople<Who>;
  let project: string;
  let other: string;

  beforeAll(async () => {
    db = await freshEmbedded();
    server = await serverWithPeople(db, PEOPLE, () => Date.now());
    project = (await server.ask('lena', 'POST', '/api/projects', { name: 'Go-live' })).body.project.id;
    other = (await server.ask('omar', 'POST', '/api/projects', { name: 'Other clinic' })).body.project.id;
    await server.ask('lena', 'POST', `/api/projects/${project}/members`, { subject: 'vera', role: 'viewer' });
    await server.ask('lena', 'POST', `/api/projects/${project}/members`, {
      subject: 'rick',
      role: 'analyst',
    });
  }, 60_000);
  afterEach(() => {
    vi.useRealTimers();
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  /** Opens `projectId`'s stream as `who`. */
  function open(who: Who | undefined, projectId = project): Promise<OpenStream> {
    return openStream(server.base, projectId, who === undefined ? undefined : server.cookieOf(who));
  }

  it('tells a member the kind of another member’s change, and nothing of what changed', async () => {
    const vera = await open('vera');
    expect(vera.status).toBe(200);
    expect(vera.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(vera.headers.get('cache-control')).toBe('no-store');
    expect(vera.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await vera.next()).toBe('retry: 5000\n: connected');

    const put = await server.ask('lena', 'PUT', `/api/projects/${project}/records/waiver/w-dob`, {
      baseVersion: 0,
      body: {
        id: 'w-dob',
        rule: 'contract.required',
        column: 'dob',
        rationale: CANARY,
        owner: 'Lena Lead',
        expires: '2026-12-31',
      },
    });
    expect(put.status).toBe(200);
    const block = await vera.next();
    expect(block).toMatch(/^data: /);
    const change = JSON.parse((block as string).slice('data: '.length));
    expect(change).toEqual({ kind: 'records', at: expect.any(Number) });
    expect(vera.seen()).not.toContain(CANARY);
    expect(vera.seen()).not.toContain('w-dob');
    expect(vera.seen()).not.toContain('waiver');
    await vera.close();
  });

  it('tells the id a page gave its change back to the person who made it, and to nobody else', async () => {
    const lena = await open('lena');
    const vera = await open('vera');
    await lena.next();
    await vera.next();
    const change = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';
    const renamed = await server.ask(
      'lena',
      'PATCH',
      `/api/projects/${project}`,
      { name: 'Go-live, east' },
      {
        'x-preflight-change': change,
      },
    );
    expect(renamed.status).toBe(200);
    const heard = async (stream: OpenStream) => JSON.parse(((await stream.next()) as string).slice(6));
    expect(await heard(lena)).toEqual({ kind: 'project', at: expect.any(Number), change });
    expect(await heard(vera)).toEqual({ kind: 'project', at: expect.any(Number) });
    expect(vera.seen()).not.toContain(change);
    // a header that is not an id is no id: the change is told as anyone's
    await server.ask(
      'lena',
      'PATCH',
      `/api/projects/${project}`,
      { name: 'Go-live' },
      {
        'x-preflight-change': '<script>',
      },
    );
    expect(await heard(lena)).toEqual({ kind: 'project', at: expect.any(Number) });
    await lena.close();
    await vera.close();
  });

  it('refuses a member of another project and a stranger, as for the project itself', async () => {
    const omar = await open('omar');
    expect(omar.status).toBe(404);
    expect(omar.refusal).toContain('project-not-open');
    const stranger = await open(undefined);
    expect(stranger.status).toBe(401);
    // omar's own project is open to him
    const own = await open('omar', other);
    expect(own.status).toBe(200);
    await own.close();
  });

  it('checks the session at each heartbeat without keeping it alive, and ends with it', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const vera = await open('vera');
    await vera.next();
    const seenBefore = await db.query<{ last_seen_at: Date }>(
      "SELECT last_seen_at FROM sessions WHERE subject = 'vera'",
    );
    vi.advanceTimersByTime(EVENT_HEARTBEAT_MS);
    expect(await vera.next()).toBe(': heartbeat');
    const seenAfter = await db.query<{ last_seen_at: Date }>(
      "SELECT last_seen_at FROM sessions WHERE subject = 'vera'",
    );
    expect(seenAfter).toEqual(seenBefore);
    // signed out elsewhere: the next heartbeat finds no session and ends the stream
    await db.query("DELETE FROM sessions WHERE subject = 'vera'");
    vi.advanceTimersByTime(EVENT_HEARTBEAT_MS);
    expect(await vera.next()).toBeNull();
  });

  it('ends a removed member’s stream at the roster change', async () => {
    const rick = await open('rick');
    await rick.next();
    const members = (await server.ask('lena', 'GET', `/api/projects/${project}`)).body.members as {
      id: string;
      subject: string;
    }[];
    const id = members.find((m) => m.subject === 'rick')?.id;
    expect((await server.ask('lena', 'DELETE', `/api/projects/${project}/members/${id}`)).status).toBe(204);
    expect(JSON.parse(((await rick.next()) as string).slice(6)).kind).toBe('members');
    expect(await rick.next()).toBeNull();
  });

  it('holds a member to a bounded number of streams, and a stop ends them all', async () => {
    const streams = [];
    for (let i = 0; i < EVENT_STREAMS_PER_MEMBER; i++) streams.push(await open('lena'));
    expect(streams.map((s) => s.status)).toEqual(streams.map(() => 200));
    const over = await open('lena');
    expect(over.status).toBe(429);
    expect(over.refusal).toMatch(/close some tabs/);
    await streams.pop()?.close();
    await vi.waitFor(async () => {
      const again = await open('lena');
      expect(again.status).toBe(200);
      streams.push(again);
    });
    // a stop does not wait for the open streams: it ends them (a hang here fails on the timeout)
    await server.close();
    for (const stream of streams) {
      let block = await stream.next();
      while (block !== null) block = await stream.next();
      expect(block).toBeNull();
    }
  });
});

describe('a change on PostgreSQL, with two server processes', () => {
  it('reaches a stream held by the other process', async (context) => {
    if (!hasPostgres()) return context.skip();
    const db = await testEngines.running().open('postgres');
    const first = await serverWithPeople(db, { lena: 'Lena Lead', vera: 'Vera Viewer' }, () => Date.now());
    // a second process on the same database: its own listening connection and its own streams
    const second = await createServer({ checkAnswers: true, db, insecureHttp: true });
    const secondBase = await second.listen({ host: '127.0.0.1', port: 0 });
    try {
      const id = (await first.ask('lena', 'POST', '/api/projects', { name: 'Go-live' })).body.project.id;
      await first.ask('lena', 'POST', `/api/projects/${id}/members`, { subject: 'vera', role: 'viewer' });
      const vera = await openStream(secondBase, id, first.cookieOf('vera'));
      const lena = await openStream(secondBase, id, first.cookieOf('lena'));
      expect(vera.status).toBe(200);
      await vera.next();
      await lena.next();
      const change = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';
      expect(
        (
          await first.ask(
            'lena',
            'PATCH',
            `/api/projects/${id}`,
            { name: 'Go-live, west' },
            {
              'x-preflight-change': change,
            },
          )
        ).status,
      ).toBe(200);
      // the notice of adding her may reach the second process after her stream opened; notices
      // arrive in commit order, so the rename's comes next
      const event = async (stream: OpenStream) =>
        JSON.parse(((await stream.next()) as string).slice(6)) as { kind: string };
      let heard = await event(vera);
      if (heard.kind === 'members') heard = await event(vera);
      expect(heard).toEqual({ kind: 'project', at: expect.any(Number) });
      // the id her page gave the change crosses to the other process, and back to her alone
      heard = await event(lena);
      if (heard.kind === 'members') heard = await event(lena);
      expect(heard).toEqual({ kind: 'project', at: expect.any(Number), change });
      await vera.close();
      await lena.close();
    } finally {
      await second.close();
      await first.close();
      await db.close();
    }
  });
});
