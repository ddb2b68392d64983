/**
 * What one reviewer's decision costs the team server as her review grows, on both databases,
 * paired in time: two census reviews of `BENCH_REVIEW_RECORDS` records (default 5,000) on one
 * server, both assigned to her. On the first the lead records her offline packet on every record
 * but the last {@link AT_EACH_END}, 500 decisions a request (each request timed: the last goes into
 * a review already holding nearly all); the second is fresh. Then her decisions go one at a time,
 * alternating between the fresh review's first records and the full review's last ones (which of
 * the two goes first alternates too), so whatever the shared machine does meanwhile falls on both
 * ends alike. Per decision: wall time and CPU; shown are the medians of the {@link TIMED} after the
 * first {@link WARM} at each end, their ratio, the median of the pairs' own time ratios, and the
 * ratio of the pairs' CPU totals.
 *
 * On PostgreSQL, before the timed decisions, the database's own work on the rows the packets
 * added is done (`VACUUM ANALYZE`): a clinic's server has autovacuumed and autoanalyzed those
 * tables long before a reviewer reaches the last records, and left to run inside the timed window,
 * that work lands on the late decisions only. The embedded database runs no autovacuum: its
 * server's sweep analyzes the review tables (`analyzeEmbedded`, at start and every five minutes),
 * so there that step is run instead, as the sweep would have by then. CPU is this process's (the
 * server runs here, and so does the embedded database) plus, on PostgreSQL, its server's processes
 * (/proc). A decision's reads are held constant by src/server/decisionCost.test.ts; this prints
 * what that buys in time. The machine's load moves the absolute figures; the paired ratios count.
 * `BENCH_NO_SETTLE=1` leaves that step out: the decisions then come right after the packets, with
 * what the server itself did after them (it refreshes the review tables' statistics after a large
 * write), as a clinic's first decisions after a packet do.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { analyzeEmbedded } from '../../src/server/database.ts';
import { type Database, embeddedDatabaseOver, openPostgresDatabase } from '../../src/server/index.ts';
import { LARGE_REVIEW_PEOPLE, type LargeReview, largeReview } from '../../src/server/testing/largeReview.ts';
import { serverWithPeople } from '../../src/server/testing/people.ts';
import { postgresBinDir, startPostgres, type TestPostgres } from '../setup/postgres.ts';
import type { BenchEntry, BenchResult } from './bench.ts';

const DEFAULT_RECORDS = 5000;
/** Decisions at each end made first and not timed: they warm the code and the caches. */
const WARM = 5;
/** Decisions timed at each end (the median of them is shown): enough for a stable median under load. */
const TIMED = 35;
/** Decisions made one at a time at each end. */
const AT_EACH_END = WARM + TIMED;
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
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** One engine's run: per-decision medians at each end and of the pairs' ratios, and each packet request's seconds. */
async function runOn(db: Database, cpuMs: () => number, records: number, autovacuums: boolean) {
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
    const full = await largeReview(server, project, rita, 'rv-census-full', records);
    const fresh = await largeReview(server, project, rita, 'rv-census-fresh', records);
    const packets: number[] = [];
    const lastFrom = records - AT_EACH_END + 1;
    for (let from = 1; from < lastFrom; from += 500) {
      const t0 = performance.now();
      await full.importPacket(from, Math.min(from + 499, lastFrom - 1));
      packets.push((performance.now() - t0) / 1000);
    }
    // what autovacuum and autoanalyze would have done by the time she reaches the last records
    if (process.env.BENCH_NO_SETTLE === '1') {
      // right after the packets: only what the server did itself
    } else if (autovacuums) await db.exec('VACUUM ANALYZE');
    else await analyzeEmbedded(db);
    const decided = async (review: LargeReview, n: number) => {
      await review.sendPair(n);
      const [t0, c0] = [performance.now(), cpuMs()];
      await review.decide(n);
      return { wallMs: performance.now() - t0, cpuMs: cpuMs() - c0 };
    };
    const early: { wallMs: number; cpuMs: number }[] = [];
    const late: { wallMs: number; cpuMs: number }[] = [];
    for (let i = 0; i < AT_EACH_END; i += 1) {
      if (i % 2 === 0) {
        early.push(await decided(fresh, 1 + i));
        late.push(await decided(full, lastFrom + i));
      } else {
        late.push(await decided(full, lastFrom + i));
        early.push(await decided(fresh, 1 + i));
      }
    }
    const timed = (xs: { wallMs: number; cpuMs: number }[]) => xs.slice(WARM);
    const medians = (xs: { wallMs: number; cpuMs: number }[]) => ({
      wallMs: median(timed(xs).map((x) => x.wallMs)),
      cpuMs: median(timed(xs).map((x) => x.cpuMs)),
    });
    const pairs = timed(late).map((l, i) => ({ l, e: timed(early)[i] as { wallMs: number; cpuMs: number } }));
    return {
      early: medians(early),
      late: medians(late),
      paired: {
        wall: median(pairs.map(({ l, e }) => l.wallMs / e.wallMs)),
        // CPU of PostgreSQL's processes comes in 10 ms ticks: the totals of the pairs, not each pair's ratio
        cpu: sum(pairs.map(({ l }) => l.cpuMs)) / sum(pairs.map(({ e }) => e.cpuMs)),
      },
      packets,
    };
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
        const { early, late, paired, packets } = await runOn(db, cpu, records, engine === 'postgres');
        rows.push({
          database: engine,
          'start ms': early.wallMs.toFixed(1),
          'end ms': late.wallMs.toFixed(1),
          'time ×': (late.wallMs / early.wallMs).toFixed(2),
          'paired time ×': paired.wall.toFixed(2),
          'start CPU ms': early.cpuMs.toFixed(1),
          'end CPU ms': late.cpuMs.toFixed(1),
          'CPU ×': (late.cpuMs / early.cpuMs).toFixed(2),
          'CPU × (pairs’ totals)': paired.cpu.toFixed(2),
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
      params: {
        records,
        settled: process.env.BENCH_NO_SETTLE === '1' ? 'no' : 'yes',
        warm: WARM,
        timed: TIMED,
        start: `records ${WARM + 1}–${AT_EACH_END}`,
        end: `records ${records - TIMED + 1}–${records}`,
      },
      columns: Object.keys(rows[0] ?? {}),
      rows,
      notes,
    };
  },
};
