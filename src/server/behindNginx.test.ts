/**
 * The server behind a real nginx, configured with the `location` block docs/deployment.md gives
 * IT (read from the docs, so the example is what is tested), on a port other than 443: a person
 * opening https://preflight.clinic.org:8443 reaches the server, whose public URL carries that
 * port, only if nginx passes the Host header with it. Beside it, the same block with `$host`
 * (which drops the port) gets the server's 421, as the docs warn.
 *
 * Runs Debian's nginx (`nginx-light`, in .ci/prerequisites.mjs), plain HTTP on loopback (TLS is
 * not what is tested); skipped, saying so, where it is not installed (failed on CI).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer as listenOn } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, migrate } from './index.ts';
import { freshEmbedded } from './testing/databases.ts';

const NGINX = '/usr/sbin/nginx';
const installed = existsSync(NGINX);
if (!installed && process.env.CI)
  throw new Error('nginx is not installed: .ci/run installs Debian’s nginx-light for this test');
if (!installed)
  console.warn('nginx is not installed (Debian package nginx-light): the tests behind it are skipped');

const HOST = 'preflight.clinic.test';

/** The `location / { … }` block of the docs' nginx example, as IT copies it. */
async function docsLocationBlock(): Promise<string> {
  const docs = await readFile(path.join(import.meta.dirname, '../../docs/deployment.md'), 'utf8');
  const start = docs.indexOf('    location / {');
  const end = docs.indexOf('\n    }\n', start);
  if (start < 0 || end < 0) throw new Error('docs/deployment.md has no nginx `location / {` block');
  return docs.slice(start, end + '\n    }'.length);
}

/** A port free on loopback now, for nginx to listen on. */
async function freePort(): Promise<number> {
  const server = listenOn();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** GET `pathname` from nginx on `port`, addressed as a browser opening the site on that port. */
function get(port: number, pathname: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: pathname, headers: { host: `${HOST}:${port}` } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(!installed)('the server behind nginx on a port other than 443', () => {
  const apps: FastifyInstance[] = [];
  let nginx: ChildProcess | undefined;
  let dir: string;
  /** nginx's ports: the docs' block, and the same with `$host` */
  const ports = { docs: 0, host: 0 };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'preflight-nginx-'));
    const db = await freshEmbedded();
    await migrate(db);
    const block = await docsLocationBlock();
    expect(block).toContain('proxy_set_header Host $http_host;');
    const servers: string[] = [];
    for (const which of ['docs', 'host'] as const) {
      ports[which] = await freePort();
      const app = await createServer({
        db,
        insecureHttp: true,
        publicUrl: `http://${HOST}:${ports[which]}`,
        trustProxy: 'loopback',
        checkAnswers: true,
      });
      apps.push(app);
      const upstream = new URL(await app.listen({ host: '127.0.0.1', port: 0 })).host;
      const location = block
        .replace('proxy_pass http://127.0.0.1:8080;', `proxy_pass http://${upstream};`)
        .replace('Host $http_host;', which === 'docs' ? 'Host $http_host;' : 'Host $host;');
      servers.push(
        `server {\n    listen 127.0.0.1:${ports[which]};\n    server_name ${HOST};\n${location}\n}`,
      );
    }
    const conf = path.join(dir, 'nginx.conf');
    const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
      .map((t) => `${t}_temp_path ${path.join(dir, t)};`)
      .join('\n  ');
    await writeFile(
      conf,
      `daemon off;\nworker_processes 1;\npid ${path.join(dir, 'nginx.pid')};\nerror_log stderr notice;\n` +
        `events { worker_connections 16; }\nhttp {\n  access_log off;\n  ${temp}\n${servers.join('\n')}\n}\n`,
    );
    const started = spawn(NGINX, ['-p', dir, '-e', 'stderr', '-c', conf], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    nginx = started;
    // its listening sockets are open once the master starts its worker
    await new Promise<void>((resolve, reject) => {
      let said = '';
      started.stderr?.setEncoding('utf8');
      started.stderr?.on('data', (chunk: string) => {
        said += chunk;
        if (said.includes('start worker process')) resolve();
      });
      started.on('exit', (code) => reject(new Error(`nginx stopped (${code}): ${said}`)));
    });
  }, 60_000);

  afterAll(async () => {
    if (nginx?.exitCode === null) {
      const stopped = new Promise((resolve) => nginx?.on('exit', resolve));
      nginx.kill('SIGTERM');
      await stopped;
    }
    for (const app of apps) await app.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('reaches the server through the docs’ example, which keeps the port people opened', async () => {
    const answer = await get(ports.docs, '/api/me');
    expect(answer.status).toBe(401);
  });

  it('is refused by the server (421) when nginx drops the port ($host)', async () => {
    const answer = await get(ports.host, '/api/me');
    expect(answer.status).toBe(421);
    expect(answer.body).toContain(`this server answers only as http://${HOST}:${ports.host}`);
  });
});
