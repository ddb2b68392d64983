/**
 * Slow and many clients against the server's connection limits, and a stop that a stalled client
 * cannot hold. Small limits here stand for the real ones (bounds.ts `CONNECTION_LIMITS`); no route
 * touches the database, so none is opened.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { type ConnectionLimits, closeWithin, createServer } from './index.ts';
import { migrate } from './migrations.ts';
import { freshEmbedded } from './testing/databases.ts';

const SMALL: ConnectionLimits = {
  headersTimeoutMs: 150,
  requestTimeoutMs: 300,
  keepAliveTimeoutMs: 1_000,
  maxConnections: 2,
};
/** How long a test waits for what should happen well before; only a failing run waits it out. */
const DEADLINE_MS = 4_000;
const TRICKLE_EVERY_MS = 40;

const opened: { app: FastifyInstance; sockets: Socket[] }[] = [];
afterEach(async () => {
  for (const { app, sockets } of opened.splice(0)) {
    for (const socket of sockets) socket.destroy();
    await app.close();
  }
});

/** A server with an upload route, listening; `started` resolves when an upload's headers arrived. */
async function serverWith(limits: ConnectionLimits) {
  // the requests below name the public address the server is told it is opened at
  // the server checks its audit log before it answers: an empty, migrated database of its own
  const db = await freshEmbedded();
  await migrate(db);
  const app = await createServer({ checkAnswers: true, db, limits, publicUrl: 'http://preflight.test' });
  let started!: () => void;
  const uploadStarted = new Promise<void>((resolve) => {
    started = resolve;
  });
  app.addHook('onRequest', async (request) => {
    if (request.url === '/upload') started();
  });
  app.post('/upload', async () => ({ ok: true }));
  const url = new URL(await app.listen({ host: '127.0.0.1', port: 0 }));
  const sockets: Socket[] = [];
  opened.push({ app, sockets });
  const open = async () => {
    const socket = connect(Number(url.port), '127.0.0.1');
    // a server that closes the connection under a trickle resets the next write: that is its
    // answer (the socket's 'close' says it), not a failure of the test
    socket.on('error', () => undefined);
    sockets.push(socket);
    await once(socket, 'connect');
    return socket;
  };
  return { app, open, uploadStarted };
}

/**
 * When `socket` closes. Not `once(socket, 'close')`: that rejects on an 'error' first, and a
 * server that closes a connection with unread bytes in it resets it (ECONNRESET), which is also
 * an answer here, not a failure.
 */
function closeOf(socket: Socket): Promise<void> {
  return new Promise((resolve) => socket.once('close', () => resolve()));
}

/** Sends an upload's headers, then its body one byte every {@link TRICKLE_EVERY_MS}. */
function trickleUpload(socket: Socket): { answer: Promise<string> } {
  socket.write(
    'POST /upload HTTP/1.1\r\nHost: preflight.test\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n',
  );
  const timer = setInterval(() => socket.write(' '), TRICKLE_EVERY_MS);
  let received = '';
  socket.on('data', (chunk) => {
    received += chunk.toString('latin1');
  });
  const closed = closeOf(socket).then(() => {
    clearInterval(timer);
    return received;
  });
  const deadline = new Promise<string>((resolve) =>
    setTimeout(() => resolve('still open at the deadline'), DEADLINE_MS).unref(),
  );
  return { answer: Promise.race([closed, deadline]) };
}

describe('connection limits', () => {
  it('times out a body trickled a byte at a time, with 408', async () => {
    const { open } = await serverWith(SMALL);
    const { answer } = trickleUpload(await open());
    expect(await answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes connections beyond the cap as they arrive', async () => {
    const { open } = await serverWith(SMALL);
    await open();
    await open();
    const third = await open();
    const closed = await Promise.race([
      closeOf(third).then(() => 'closed'),
      new Promise((resolve) => setTimeout(() => resolve('open'), DEADLINE_MS).unref()),
    ]);
    expect(closed).toBe('closed');
  });

  it('ends a stop within its grace period though a slow client is mid-request', async () => {
    const { app, open, uploadStarted } = await serverWith({ ...SMALL, requestTimeoutMs: 60_000 });
    const { answer } = trickleUpload(await open());
    await uploadStarted;
    const began = performance.now();
    // the stop says it cut a request short, so the server's last line can say so
    expect(await closeWithin(app, 100)).toBe(true);
    expect(performance.now() - began).toBeLessThan(DEADLINE_MS / 2);
    expect(await answer).not.toBe('still open at the deadline');
  });
});
