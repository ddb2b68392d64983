/**
 * What one reviewer's decision costs the team server as her review grows, on both databases: a
 * census review of `BENCH_REVIEW_RECORDS` records (default 5,000) assigned to her, her decisions
 * posted one at a time on records 1–20 (the same-run baseline: a review just begun), then the
 * lead's offline packet recorded on records 21 to 20 before the end, 500 decisions a request (each
 * request timed: the last goes into a review already holding nearly all), then her decisions on
 * the last 20 records. Per decision: wall time and CPU, the median of the ten around record 10 and
 * of the ten before the last record, and their ratio. CPU is this process's (the server runs here,
 * and so does the embedded database) plus, on PostgreSQL, its server's processes (/proc). A
 * decision's reads are held constant by src/server/decisionCost.test.ts; this prints what that
 * buys in time. The machine's load moves the absolute figures, not the ratios much.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { type Database, embeddedDatabaseOver, openPostgresDatabase } from '../../src/server/index.ts';
import { LARGE_REVIEW_PEOPLE, largeReview } from '../../src/server/testing/largeReview.ts';
import { serverWithPeople } from '../../src/server/testing/people.ts';
import { postgresBinDir, startPostgres, type TestPostgres } from '../setup/postgres.ts';
import type { BenchEntry, BenchResult } from './bench.ts';

const DEFAULT_RECORDS = 5000;
/** Decisions timed at each end of the review (the median of them is shown). */
const TIMED = 10;
/** Decisions made one at a time at each end: the first few warm the code, the rest are timed. */
const AT_EACH_END = 20;
/** Linux's clock ticks per second (USER_HZ), the unit of /proc's CPU times. */
const TICKS_PER_SECOND = 100;
/** The bound on a 500-decision packet, seconds: a proxy's timeout is 60 s. */
const PACKET_BOUND_S = 10;

/** CPU of PostgreSQL's processes so far, ms: the postmaster's live children and those it reaped. */
function postgresCpuMs(postmaster: number): number {
  const ticks = (stat: string, from: number) => {
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[from]) + Number(fields[from + 1]);
  };
  let total = ticks(readFileSync(`/proc/${postmaster}/stat`, 'utf8'), 13);
  total += ticks(readFileSync(`/proc/${postmaster}/stat`, 'utf8'), 15);
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === postmaster) total += ticks(stat, 11);
    } catch {
      // a process that ended while listed
    }
  }
  return (total * 1000) / TICKS_PER_SECOND;
}

const processCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** One engine's run: per-decision medians at each end, and each packet request's seconds. */
async function runOn(db: Database, cpuMs: () => number, records: number) {
  const server = await serverWithPeople(db, LARGE_REVIEW_PEOPLE, () => Date.now());
  try {
    const project = (await server.ask('lena', 'POST', '/api/projects', { name: 'Census review' })).body
      .project.id as string;
    const rita = (
      await server.ask('lena', 'POST', `/api/projects/${project}/members`, {
        subject: 'rita',
        role: 'reviewer',
      })
    ).body.member.id as string;
    const review = await largeReview(server, project, rita, 'rv-census', records);
    const decideEach = async (from: number) => {
      const wall: number[] = [];
      const cpu: number[] = [];
      for (let n = from; n < from + AT_EACH_END; n += 1) {
        await review.sendPair(n);
        const [t0, c0] = [performance.now(), cpuMs()];
        await review.decide(n);
        wall.push(performance.now() - t0);
        cpu.push(cpuMs() - c0);
      }
      return { wallMs: median(wall.slice(-TIMED)), cpuMs: median(cpu.slice(-TIMED)) };
    };
    const early = await decideEach(1);
    const packets: number[] = [];
    const lastFrom = records - AT_EACH_END + 1;
    for (let from = AT_EACH_END + 1; from < lastFrom; from += 500) {
      const t0 = performance.now();
      await review.importPacket(from, Math.min(from + 499, lastFrom - 1));
      packets.push((performance.now() - t0) / 1000);
    }
    const late = await decideEach(lastFrom);
    return { early, late, packets };
  } finally {
    await server.close();
  }
}

export const reviewDecisionCostBench: BenchEntry = {
  id: 'review-decision-cost',
  title: 'A reviewer’s decision at the end of a census review against its start, both databases',
  async run(): Promise<BenchResult> {
    const records = Number(process.env.BENCH_REVIEW_RECORDS ?? DEFAULT_RECORDS);
    const rows: BenchResult['rows'] = [];
    const notes: string[] = [`load average before: ${loadavg()[0]?.toFixed(1)}`];
    const engines: {
      engine: string;
      open: () => Promise<{ db: Database; cpu: () => number; stop(): Promise<void> }>;
    }[] = [
      {
        engine: 'embedded',
        open: async () => {
          const db = embeddedDatabaseOver(await PGlite.create());
          return { db, cpu: processCpuMs, stop: () => db.close() };
        },
      },
    ];
    const bin = postgresBinDir();
    if (bin === undefined) notes.push('PostgreSQL is not installed here: its row is missing');
    else
      engines.push({
        engine: 'postgres',
        open: async () => {
          const pg: TestPostgres = await startPostgres(bin);
          const socket = new URL(pg.url()).searchParams.get('host') as string;
          const postmaster = Number(
            readFileSync(path.join(socket, 'data', 'postmaster.pid'), 'utf8').split('\n')[0],
          );
          const db = await openPostgresDatabase(pg.url());
          return {
            db,
            cpu: () => processCpuMs() + postgresCpuMs(postmaster),
            stop: async () => {
              await db.close();
              await pg.stop();
            },
          };
        },
      });
    for (const { engine, open } of engines) {
      const { db, cpu, stop } = await open();
      try {
        const { early, late, packets } = await runOn(db, cpu, records);
        rows.push({
          database: engine,
          'record 10 ms': early.wallMs.toFixed(1),
          [`record ${records} ms`]: late.wallMs.toFixed(1),
          'time ×': (late.wallMs / early.wallMs).toFixed(2),
          'record 10 CPU ms': early.cpuMs.toFixed(1),
          [`record ${records} CPU ms`]: late.cpuMs.toFixed(1),
          'CPU ×': (late.cpuMs / early.cpuMs).toFixed(2),
          '500-decision packet s (last)': (packets.at(-1) ?? Number.NaN).toFixed(2),
          'packet s (slowest)': Math.max(...packets).toFixed(2),
        });
        if (Math.max(...packets) > PACKET_BOUND_S)
          notes.push(`${engine}: a 500-decision packet took over ${PACKET_BOUND_S} s`);
      } finally {
        await stop();
      }
    }
    notes.push(`load average after: ${loadavg()[0]?.toFixed(1)}`);
    return {
      params: { records, timed: TIMED },
      columns: Object.keys(rows[0] ?? {}),
      rows,
      notes,
    };
  },
};
