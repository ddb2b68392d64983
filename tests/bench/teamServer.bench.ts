/**
 * The team server under a clinic's load: 100 people at once on the embedded database (one
 * process), and 300 on PostgreSQL served by two processes (`BENCH_TEAM_USERS` sets both as
 * `100,300`). Each server is a process of its own (teamServerChild.ts) on loopback; this process
 * only asks. Each person is signed in, on a project of ten, and asks, waits a think time
 * (uniform {@link THINK_MS}), and asks again, for `BENCH_SECONDS` (default 15) per phase after a
 * few seconds' warm-up: first `GET /api/health` alone (the same-run baseline: the server's floor
 * on this machine at this load), then the app's mix — the project (40 %), the records changed since the last pull (30 %),
 * the session (20 %), and a new accepted issue written (10 %). With two processes each request goes
 * to the next process in turn, as a proxy balancing requests would send it, so a person moves
 * between them all the time. Printed: requests, p50, p99 and worst latency, refusals, each
 * server process's peak memory and CPU (its share of one core over the phase, and per request:
 * a share well under one core with long waits is a server starved by the machine, not busy),
 * and the machine's load average around each phase. `BENCH_TEAM_SETUPS=embedded` (or
 * `postgres`) runs one setup only; `BENCH_CPU_PROF=<dir>` writes each server process's CPU
 * profile there (node --cpu-prof) when it stops.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { postgresBinDir, startPostgres } from '../setup/postgres.ts';
import type { BenchEntry, BenchResult } from './bench.ts';
import type { SeatedPerson } from './teamServerChild.ts';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'teamServerChild.ts');
/** Each person's pause between two requests, milliseconds: reading the page, typing. */
const THINK_MS = { min: 500, max: 1500 };
const DEFAULT_SECONDS = 15;
/** Each phase's first seconds are not counted: the people starting, the servers' code warming. */
const WARM_UP_SECONDS = 3;
const DEFAULT_USERS = [100, 300] as const;

/** A server process: its address, its pid (for its memory) and its stop. */
interface ServerProcess {
  base: string;
  pid: number;
  people: SeatedPerson[];
  /** ends the process; resolves once it has exited (its CPU profile written) */
  stop(): Promise<void>;
}

async function startServer(args: string[]): Promise<ServerProcess> {
  const profileDir = process.env.BENCH_CPU_PROF;
  const profile =
    profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`];
  const child: ChildProcess = spawn(process.execPath, [...profile, '--import', 'tsx', CHILD, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const first = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the server process ended (${code}) before it listened`)));
  });
  const { port, people } = JSON.parse(first) as { port: number; people: SeatedPerson[] };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    base: `http://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    people,
    stop: () => {
      child.stdin?.end();
      return exited;
    },
  };
}

/** CPU seconds process `pid` has used so far, user and system (Linux; NaN elsewhere). */
function cpuSeconds(pid: number): number {
  try {
    // the fields after the command's closing parenthesis: utime and stime are the 12th and 13th
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /s, '')
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}
/** The kernel's clock ticks per second, in which /proc counts CPU time (100 on Linux). */
const CLOCK_TICKS = 100;

/** Peak resident memory of process `pid` so far, MiB (Linux; NaN elsewhere). */
function peakMiB(pid: number): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? Number.NaN : Math.round(Number(kb) / 1024);
  } catch {
    return Number.NaN;
  }
}

/** One request a person makes; `label` names it in the refusals. */
interface Ask {
  label: string;
  method: string;
  path: string;
  body?: unknown;
}

interface Phase {
  latencies: number[];
  /** the latencies of each kind of request */
  byLabel: Map<string, number[]>;
  refused: Map<string, number>;
  seconds: number;
  /** every request made, the warm-up's included */
  asked: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const think = () => THINK_MS.min + Math.random() * (THINK_MS.max - THINK_MS.min);

/**
 * Every person asks `next` of them until `seconds` have passed; each request to the next of
 * `bases` in turn. The people start spread over one think time, as a shift does.
 */
async function phase(
  bases: readonly string[],
  people: readonly SeatedPerson[],
  seconds: number,
  next: (person: SeatedPerson, index: number, turn: number) => Ask,
): Promise<Phase> {
  const latencies: number[] = [];
  const byLabel = new Map<string, number[]>();
  const refused = new Map<string, number>();
  const counted = performance.now() + WARM_UP_SECONDS * 1000;
  const end = counted + seconds * 1000;
  const heads = people.map(() => 0);
  let asked = 0;
  await Promise.all(
    people.map(async (person, index) => {
      await sleep(Math.random() * THINK_MS.max);
      for (let turn = 0; performance.now() < end; turn++) {
        const ask = next(person, index, turn);
        const base = bases[(index + turn) % bases.length];
        const started = performance.now();
        const response = await fetch(`${base}${ask.path.replace('{after}', String(heads[index]))}`, {
          method: ask.method,
          headers: {
            cookie: person.cookie,
            'x-csrf-token': person.csrf,
            ...(ask.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: ask.body === undefined ? undefined : JSON.stringify(ask.body),
        });
        const text = await response.text();
        asked++;
        if (started >= counted) {
          const ms = performance.now() - started;
          latencies.push(ms);
          byLabel.set(ask.label, [...(byLabel.get(ask.label) ?? []), ms]);
        }
        if (response.status >= 400) {
          const key = `${ask.label} ${response.status}`;
          refused.set(key, (refused.get(key) ?? 0) + 1);
        } else if (ask.path.includes('/records?')) heads[index] = (JSON.parse(text) as { head: number }).head;
        await sleep(think());
      }
    }),
  );
  return { latencies, byLabel, refused, seconds, asked };
}

/** The app's mix of requests, as a person with a shared project open makes them. */
function appMix(person: SeatedPerson, index: number, turn: number): Ask {
  const project = `/api/projects/${person.project}`;
  const roll = Math.random();
  if (roll < 0.4) return { label: 'project', method: 'GET', path: project };
  if (roll < 0.7) return { label: 'records pull', method: 'GET', path: `${project}/records?after={after}` };
  if (roll < 0.9) return { label: 'session', method: 'GET', path: '/api/session' };
  const id = `w-${index}-${turn}`;
  return {
    label: 'record write',
    method: 'PUT',
    path: `${project}/records/waiver/${id}`,
    body: {
      baseVersion: 0,
      body: {
        id,
        rule: 'contract.required',
        column: 'dob',
        rationale: 'Walk-ins have no date of birth on file.',
        owner: 'Data lead',
        expires: '2099-12-31',
      },
    },
  };
}

const health = (): Ask => ({ label: 'health', method: 'GET', path: '/api/health' });

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))] ?? Number.NaN;
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

/** Both phases against `servers`; one row per phase. */
async function measureServers(
  label: string,
  servers: readonly ServerProcess[],
  people: readonly SeatedPerson[],
  seconds: number,
  notes: string[],
): Promise<Array<Record<string, string | number>>> {
  const bases = servers.map((s) => s.base);
  const rows: Array<Record<string, string | number>> = [];
  for (const [name, next] of [
    ['baseline GET /api/health', health],
    ['app mix', appMix],
  ] as const) {
    const before = load();
    const cpuBefore = servers.map((s) => cpuSeconds(s.pid));
    const wallBefore = performance.now();
    const result = await phase(bases, people, seconds, next);
    const wall = (performance.now() - wallBefore) / 1000;
    const cpu = servers.map((s, i) => cpuSeconds(s.pid) - (cpuBefore[i] ?? Number.NaN));
    const cpuMs = cpu.reduce((a, b) => a + b, 0) * 1000;
    const sorted = [...result.latencies].sort((a, b) => a - b);
    if (next === appMix)
      notes.push(
        `${label}, by request: ${[...result.byLabel]
          .map(([kind, ms]) => {
            const own = [...ms].sort((a, b) => a - b);
            return `${kind} p50 ${Math.round(percentile(own, 0.5))} / p99 ${Math.round(percentile(own, 0.99))} ms (${own.length})`;
          })
          .join('; ')}`,
      );
    rows.push({
      setup: label,
      phase: name,
      requests: sorted.length,
      'req/s': Math.round(sorted.length / seconds),
      'p50 ms': Math.round(percentile(sorted, 0.5)),
      'p99 ms': Math.round(percentile(sorted, 0.99)),
      'worst ms': Math.round(sorted.at(-1) ?? Number.NaN),
      refused: [...result.refused].map(([k, n]) => `${k} ×${n}`).join('; ') || 0,
      'peak MiB': servers.map((s) => peakMiB(s.pid)).join(' + '),
      'server CPU %': cpu.map((c) => Math.round((100 * c) / wall)).join(' + '),
      // over every request of the phase, its warm-up's too, as the CPU is
      'CPU ms/req': (cpuMs / result.asked).toFixed(1),
      'load before → after': `${before} → ${load()}`,
    });
  }
  return rows;
}

export const teamServerLoadBench: BenchEntry = {
  id: 'team-server-load',
  title: 'Team server under load: embedded (one process) and PostgreSQL (two processes)',
  async run(): Promise<BenchResult> {
    const seconds = Number(process.env.BENCH_SECONDS ?? DEFAULT_SECONDS);
    const [embeddedUsers = DEFAULT_USERS[0], postgresUsers = DEFAULT_USERS[1]] = (
      process.env.BENCH_TEAM_USERS?.split(',').map(Number) ?? DEFAULT_USERS
    ).map((n) => Math.max(1, n));
    const rows: Array<Record<string, string | number>> = [];
    const notes: string[] = [`${os.cpus().length} cores; think time ${THINK_MS.min}–${THINK_MS.max} ms`];
    const setups = process.env.BENCH_TEAM_SETUPS?.split(',') ?? ['embedded', 'postgres'];

    if (setups.includes('embedded')) {
      const embedded = await startServer(['embedded', String(embeddedUsers)]);
      try {
        rows.push(
          ...(await measureServers(
            `embedded, ${embeddedUsers} people`,
            [embedded],
            embedded.people,
            seconds,
            notes,
          )),
        );
      } finally {
        await embedded.stop();
      }
    }

    const bin = postgresBinDir();
    if (!setups.includes('postgres')) notes.push('PostgreSQL not asked for (BENCH_TEAM_SETUPS)');
    else if (bin === undefined)
      notes.push('PostgreSQL is not installed (Debian package postgresql): its run skipped');
    else {
      const pg = await startPostgres(bin);
      const servers: ServerProcess[] = [];
      try {
        servers.push(await startServer(['postgres', pg.url(), String(postgresUsers)]));
        servers.push(await startServer(['postgres', pg.url()]));
        rows.push(
          ...(await measureServers(
            `PostgreSQL, 2 processes, ${postgresUsers} people`,
            servers,
            servers[0]?.people ?? [],
            seconds,
            notes,
          )),
        );
      } finally {
        await Promise.all(servers.map((server) => server.stop()));
        await pg.stop();
      }
    }
    return {
      params: { seconds, embeddedUsers, postgresUsers },
      columns: [
        'setup',
        'phase',
        'requests',
        'req/s',
        'p50 ms',
        'p99 ms',
        'worst ms',
        'refused',
        'peak MiB',
        'server CPU %',
        'CPU ms/req',
        'load before → after',
      ],
      rows,
      notes,
    };
  },
};
