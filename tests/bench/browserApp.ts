/**
 * What the browser benchmarks share: the production build served as `npm start` serves it (with its
 * security headers: CSP, COOP + COEP, so the page is cross-origin isolated), Debian's Chromium with
 * the project's flags, papaparse's script for an in-page baseline, and the memory of Chromium's
 * processes read from /proc (the renderer holds the page and its dedicated workers).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium.ts';
import type { BenchResult } from './bench.ts';

/** papaparse's browser build, added to a bench page for the baseline measured in the same page. */
export const PAPAPARSE_SCRIPT = createRequire(import.meta.url).resolve('papaparse/papaparse.min.js');

/** The result of a browser bench on a machine without Chromium. */
export function skippedWithoutChromium(): BenchResult | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  return { params: {}, columns: ['variant'], rows: [], notes: [`skipped: no Chromium at ${CHROMIUM_PATH}`] };
}

/** The app built and served locally, and a Chromium to open it in. */
export interface ServedApp {
  /** the served app's address, e.g. http://127.0.0.1:4173/ */
  url: string;
  browser: Browser;
  /** a switch on the browser process's command line only, to find its processes in /proc */
  marker: string;
  close(): Promise<void>;
}

/**
 * Builds the app (always: a stale dist/ would measure old code), serves it with `vite preview` and
 * launches Chromium with the project's flags plus `extraArgs`.
 */
export async function serveAppInChromium(extraArgs: string[] = []): Promise<ServedApp> {
  await build({ logLevel: 'warn' });
  const server = await preview({ preview: { port: 0, host: '127.0.0.1', open: false }, logLevel: 'warn' });
  const marker = browserMarker();
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, ...extraArgs, marker],
  });
  return {
    url: server.resolvedUrls?.local[0] ?? '',
    browser,
    marker,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** A switch that names one browser among the processes in /proc. */
function browserMarker(): string {
  // an unknown switch is kept on the browser's command line and ignored by Chromium
  return `--preflight-bench=${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A Chromium with a normal, on-disk profile (one context), and its marker for /proc. */
export interface PersistentChromium {
  /** the profile's one context: a normal window, not a private one */
  context: BrowserContext;
  /** a switch on the browser process's command line only, to find its processes in /proc */
  marker: string;
  /** closes the browser and removes its profile folder */
  close(): Promise<void>;
}

/**
 * Launches Chromium with the project's flags plus `extraArgs` on a new profile folder under the
 * system's temp folder, as a user's ordinary window runs (storage such as OPFS on disk), where
 * {@link serveAppInChromium}'s `browser.newContext()` is a private window (storage in memory, held
 * by the browser process). The same launch as the e2e helpers' `launchPersistent`
 * (tests/e2e/browser.ts), which cannot be imported here: that module needs vitest's `inject`.
 */
export async function launchPersistentChromium(
  extraArgs: string[] = [],
  options: BrowserContextOptions = {},
): Promise<PersistentChromium> {
  const profile = await mkdtemp(path.join(tmpdir(), 'preflight-bench-profile-'));
  const marker = browserMarker();
  try {
    const context = await chromium.launchPersistentContext(profile, {
      ...options,
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, ...extraArgs, marker],
      headless: true,
    });
    return {
      context,
      marker,
      async close() {
        await context.close();
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
}

/** One process as /proc lists it. */
export interface ProcInfo {
  pid: number;
  ppid: number;
  cmdline: string;
}

async function processes(): Promise<ProcInfo[]> {
  const list: ProcInfo[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      // the command name is in parentheses and may hold spaces: the fields after the last ')'
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = (await readFile(`/proc/${name}/cmdline`, 'utf8')).replaceAll('\0', ' ');
      list.push({ pid: Number(name), ppid, cmdline });
    } catch {
      // the process ended while listing
    }
  }
  return list;
}

/**
 * The processes of the browser started with `marker`: its root process (the one without a
 * `--type=` switch; the zygotes, renderers and utilities all have one) and every process below it,
 * in `list` order; empty when no such browser runs. Chromium's renderers are children of its
 * zygote, not of the browser process, hence the walk down the whole tree.
 */
export function browserProcessTree(list: readonly ProcInfo[], marker: string): ProcInfo[] {
  const root = list.find((p) => p.cmdline.includes(marker) && !p.cmdline.includes('--type='));
  if (!root) return [];
  const tree = new Set([root.pid]);
  // a child can be listed before its parent: walk again until nothing joins
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of list)
      if (!tree.has(p.pid) && tree.has(p.ppid)) {
        tree.add(p.pid);
        grew = true;
      }
  }
  return list.filter((p) => tree.has(p.pid));
}

/** kB of `field` (e.g. "Pss", "Rss") in /proc/<pid>/smaps_rollup, 0 when unreadable. */
async function rollupKb(pid: number, field: string): Promise<number> {
  try {
    const text = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Memory of Chromium's processes, in MB (decimal). */
export interface ChromiumMemory {
  /** proportional set size of every process of the browser (shared pages counted once) */
  totalPssMb: number;
  /**
   * PSS of the largest renderer process: the bench page's, which holds its dedicated workers
   * (Chromium keeps a spare renderer and the first blank page's beside it)
   */
  rendererPssMb: number;
}

/** What {@link sampleChromiumMemory} saw: the first sample (before the work) and the peaks. */
export interface ChromiumMemoryPeaks {
  first: ChromiumMemory;
  peak: ChromiumMemory;
}

/**
 * Samples the memory of the browser started with `marker` (and all its child processes) every
 * `everyMs` until stopped. Linux only (reads /proc); null elsewhere. `ready` settles once the first
 * sample is complete: work started before it would be counted in the baseline, since one sample
 * reads the processes one after another.
 */
export function sampleChromiumMemory(
  marker: string,
  everyMs = 200,
): { ready: Promise<void>; stop(): Promise<ChromiumMemoryPeaks | null> } {
  let stopped = false;
  let seen: ChromiumMemoryPeaks | null = null;
  const once = async () => {
    const tree = browserProcessTree(await processes(), marker);
    if (tree.length === 0) return;
    let total = 0;
    let renderer = 0;
    for (const p of tree) {
      const pss = await rollupKb(p.pid, 'Pss');
      total += pss;
      if (p.cmdline.includes('--type=renderer')) renderer = Math.max(renderer, pss);
    }
    const now = { totalPssMb: total / 1000, rendererPssMb: renderer / 1000 };
    seen = seen
      ? {
          first: seen.first,
          peak: {
            totalPssMb: Math.max(seen.peak.totalPssMb, now.totalPssMb),
            rendererPssMb: Math.max(seen.peak.rendererPssMb, now.rendererPssMb),
          },
        }
      : { first: now, peak: now };
  };
  let firstDone: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    firstDone = resolve;
  });
  const loop = (async () => {
    try {
      if (!existsSync('/proc/self/smaps_rollup')) return;
      while (!stopped) {
        await once();
        firstDone();
        await new Promise((resolve) => setTimeout(resolve, everyMs));
      }
      await once();
    } finally {
      firstDone();
    }
  })();
  return {
    ready,
    async stop() {
      stopped = true;
      await loop;
      return seen;
    },
  };
}

/** CPU time of a browser's threads, in seconds, by what they do. */
export interface ChromiumCpu {
  /** every thread of every process of the browser */
  total: number;
  /** the renderers' main threads (the page's JavaScript, layout, React) */
  pageMain: number;
  /** dedicated workers' threads (the validator workers) */
  workers: number;
  /** every thread of the browser process itself (the root of the tree: storage, blobs, IPC) */
  browserProcess: number;
  /**
   * the rest (neither a page's main thread nor a worker) by "process type: thread name", the names
   * as Linux keeps them (15 characters: "ThreadPoolForeg"), so a run's difference says where it went
   */
  restByThread: Record<string, number>;
}

/** Clock ticks per second of /proc/<pid>/task/<tid>/stat times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time used so far by the browser started with `marker` and its child processes, from /proc
 * (Linux; null elsewhere). Take it before and after a run: on a machine shared with other work the
 * wall time says how long the run waited for a core, the CPU time what it cost.
 */
export async function chromiumCpu(marker: string): Promise<ChromiumCpu | null> {
  if (!existsSync('/proc/self/task')) return null;
  const tree = browserProcessTree(await processes(), marker);
  if (tree.length === 0) return null;
  const cpu: ChromiumCpu = { total: 0, pageMain: 0, workers: 0, browserProcess: 0, restByThread: {} };
  for (const p of tree) {
    const type = /--type=([\w-]+)/.exec(p.cmdline)?.[1] ?? 'browser';
    let tids: string[] = [];
    try {
      tids = await readdir(`/proc/${p.pid}/task`);
    } catch {
      continue; // ended meanwhile
    }
    for (const tid of tids) {
      try {
        const stat = await readFile(`/proc/${p.pid}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        // utime and stime: fields 14 and 15, the 12th and 13th after the command name
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
        cpu.total += seconds;
        if (type === 'browser') cpu.browserProcess += seconds;
        if (type === 'renderer' && tid === String(p.pid)) cpu.pageMain += seconds;
        else if (name.startsWith('DedicatedWorker')) cpu.workers += seconds;
        else {
          // "ThreadPoolForegroundWorker" threads are numbered in some builds: one entry for all
          const thread = `${type}: ${name.replace(/\d+$/, '')}`;
          cpu.restByThread[thread] = (cpu.restByThread[thread] ?? 0) + seconds;
        }
      } catch {
        // the thread ended while listing
      }
    }
  }
  return cpu;
}

/** `after` − `before` of one number of {@link ChromiumCpu}, in seconds. */
type CpuPart = Exclude<keyof ChromiumCpu, 'restByThread'>;

/**
 * `after` − `before`, rounded to 0.1 s, as "total / page / workers / rest (of it the browser
 * process)": the rest is every thread that is neither a page's main thread nor a worker.
 */
export function cpuSpent(before: ChromiumCpu | null, after: ChromiumCpu | null): string {
  if (!before || !after) return 'n/a';
  const d = (k: CpuPart) => after[k] - before[k];
  const s = (seconds: number) => (Math.round(seconds * 10) / 10).toFixed(1);
  const rest = d('total') - d('pageMain') - d('workers');
  return `${s(d('total'))} / ${s(d('pageMain'))} / ${s(d('workers'))} / ${s(rest)} (${s(d('browserProcess'))})`;
}

/** The `count` threads of the rest that used the most CPU from `before` to `after`, as "name 1.2 s". */
export function busiestRestThreads(before: ChromiumCpu | null, after: ChromiumCpu | null, count = 5): string {
  if (!before || !after) return 'n/a';
  return Object.entries(after.restByThread)
    .map(([thread, seconds]) => [thread, seconds - (before.restByThread[thread] ?? 0)] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([thread, seconds]) => `${thread} ${(Math.round(seconds * 10) / 10).toFixed(1)} s`)
    .join(', ');
}

/** A sampling CPU profiler on a page and on each of its dedicated workers (Chrome DevTools Protocol). */
export interface PageProfiler {
  /** Starts sampling the page's main thread and every worker attached so far. */
  start(): Promise<void>;
  /**
   * Stops sampling and writes one `.cpuprofile` per thread to `dir` (`<label>-page.cpuprofile`,
   * `<label>-worker<i>-<script>.cpuprofile`; open in Chromium's DevTools); returns the files written.
   */
  stop(dir: string, label: string): Promise<string[]>;
}

/** Sampling interval of {@link profilePage}, in microseconds (V8's default is 1,000). */
const PROFILE_SAMPLING_US = 500;

/**
 * Attaches a CPU profiler to `page` and its dedicated workers (present and future). Playwright's
 * own session attaches to workers in flat mode; this second session attaches in the older
 * non-flat mode, whose messages to a worker travel wrapped in `Target.sendMessageToTarget`, since
 * Playwright's CDPSession cannot address a child session. Profiling costs the sampled threads a
 * little CPU (and a "v8:ProfEvntProc" thread): use it in runs that are not timed for the table.
 */
export async function profilePage(context: BrowserContext, page: Page): Promise<PageProfiler> {
  const session = await context.newCDPSession(page);
  const workers: { sessionId: string; url: string }[] = [];
  const answers = new Map<number, (message: { result?: unknown; error?: { message: string } }) => void>();
  let nextId = 1;
  session.on('Target.attachedToTarget', (event) => {
    if (event.targetInfo.type === 'worker')
      workers.push({ sessionId: event.sessionId, url: event.targetInfo.url });
  });
  session.on('Target.receivedMessageFromTarget', (event) => {
    const message = JSON.parse(event.message) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
    };
    if (message.id === undefined) return;
    answers.get(message.id)?.(message);
    answers.delete(message.id);
  });
  const toWorker = (sessionId: string, method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      answers.set(id, (message) =>
        message.error ? reject(new Error(message.error.message)) : resolve(message.result),
      );
      session
        .send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) })
        .catch(reject);
    });
  await session.send('Target.setAutoAttach', {
    autoAttach: true,
    waitForDebuggerOnStart: false,
    flatten: false,
  });
  let sampled: { sessionId: string; url: string }[] = [];
  return {
    async start() {
      await session.send('Profiler.enable');
      await session.send('Profiler.setSamplingInterval', { interval: PROFILE_SAMPLING_US });
      await session.send('Profiler.start');
      sampled = [...workers];
      for (const { sessionId } of sampled) {
        await toWorker(sessionId, 'Profiler.enable');
        await toWorker(sessionId, 'Profiler.setSamplingInterval', { interval: PROFILE_SAMPLING_US });
        await toWorker(sessionId, 'Profiler.start');
      }
    },
    async stop(dir, label) {
      const written: string[] = [];
      const { profile } = await session.send('Profiler.stop');
      const pageFile = path.join(dir, `${label}-page.cpuprofile`);
      await writeFile(pageFile, JSON.stringify(profile));
      written.push(pageFile);
      for (const [i, { sessionId, url }] of sampled.entries()) {
        const answer = (await toWorker(sessionId, 'Profiler.stop')) as { profile: unknown };
        const script = (url.split('/').pop() ?? 'worker').replace(/[^\w.-]/g, '_');
        const file = path.join(dir, `${label}-worker${i}-${script}.cpuprofile`);
        await writeFile(file, JSON.stringify(answer.profile));
        written.push(file);
      }
      return written;
    },
  };
}

/**
 * Trace categories of {@link traceBrowser}: tasks on every thread (`toplevel`), V8's work with
 * its garbage collection and WebAssembly (`v8`, `disabled-by-default-v8.gc`, `v8.wasm`), the
 * page's timeline, Blink, and the IPC and Mojo messages between the processes. No sampling
 * profiler: a 1M-row run would fill the trace buffer with samples.
 */
const TRACE_CATEGORIES = [
  '-*',
  'toplevel',
  'v8',
  'v8.wasm',
  'disabled-by-default-v8.gc',
  'devtools.timeline',
  'blink',
  'ipc',
  'mojom',
];

/** A Chromium trace of every process of a browser (Chrome DevTools Protocol `Tracing`). */
export interface BrowserTrace {
  /** Ends the trace, writes it to `file` (open in Perfetto or `chrome://tracing`), returns its summary. */
  stop(file: string): Promise<TraceSummary>;
}

/** Starts tracing every process and thread of `browser`; costs them CPU, so trace untimed runs only. */
export async function traceBrowser(browser: Browser): Promise<BrowserTrace> {
  await browser.startTracing(undefined, { categories: TRACE_CATEGORIES });
  return {
    async stop(file) {
      const buffer = await browser.stopTracing();
      await writeFile(file, buffer);
      return summarizeTrace(JSON.parse(buffer.toString('utf8')));
    },
  };
}

/** One event of a Chromium trace (the fields the summary reads). */
interface TraceEvent {
  ph: string;
  name: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** thread (CPU) time of a complete event, µs */
  tdur?: number;
  tts?: number;
  args?: {
    name?: string;
    /** where a task was posted from (`toplevel` tasks) */
    src_func?: string;
    chrome_mojo_event_info?: { watcher_notify_interface_tag?: string };
  };
}

/** An event's name, with where a task came from or which Mojo interface woke its watcher. */
function eventLabel(e: TraceEvent): string {
  const from = e.args?.src_func ?? e.args?.chrome_mojo_event_info?.watcher_notify_interface_tag;
  return from ? `${e.name} (${from.replace(/^.*\//, '').slice(0, 80)})` : e.name;
}

/** CPU time of a trace's threads, by thread name and by the events that used it. */
export interface TraceSummary {
  /** per thread name ("process: thread", numbered threads as one), CPU s in its events, busiest first */
  threads: { thread: string; seconds: number; events: { name: string; seconds: number }[] }[];
}

/**
 * Sums the thread time (`tdur`: CPU, not wall) of each thread's events, each event's own share
 * (its time less that of the events nested in it), by thread name and event name. Threads of the
 * same name (a pool's workers) add up into one entry.
 */
export function summarizeTrace(trace: { traceEvents: TraceEvent[] } | TraceEvent[]): TraceSummary {
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  const processNames = new Map<number, string>();
  const threadNames = new Map<string, string>();
  for (const e of events) {
    if (e.ph !== 'M') continue;
    if (e.name === 'process_name') processNames.set(e.pid, e.args?.name ?? '');
    if (e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  }
  // complete events with thread time, per thread, in start order (an outer event before its inner ones)
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph !== 'X' || e.tdur === undefined || e.tts === undefined) continue;
    const key = `${e.pid}:${e.tid}`;
    const list = byThread.get(key) ?? [];
    list.push(e);
    byThread.set(key, list);
  }
  const totals = new Map<string, Map<string, number>>();
  for (const [key, list] of byThread) {
    list.sort((a, b) => (a.tts as number) - (b.tts as number) || (b.tdur as number) - (a.tdur as number));
    const pid = Number(key.split(':')[0]);
    const thread = `${processNames.get(pid) ?? pid}: ${(threadNames.get(key) ?? key).replace(/\d+$/, '')}`;
    const names = totals.get(thread) ?? new Map<string, number>();
    totals.set(thread, names);
    // each event's own time: its thread time less its direct children's
    const open: { end: number; event: TraceEvent; own: number }[] = [];
    const close = (until: number) => {
      while (open.length > 0 && (open.at(-1) as { end: number }).end <= until) {
        const done = open.pop() as { event: TraceEvent; own: number };
        const label = eventLabel(done.event);
        names.set(label, (names.get(label) ?? 0) + Math.max(0, done.own));
      }
    };
    for (const e of list) {
      const start = e.tts as number;
      close(start);
      const parent = open.at(-1);
      if (parent) parent.own -= e.tdur as number;
      open.push({ end: start + (e.tdur as number), event: e, own: e.tdur as number });
    }
    close(Number.POSITIVE_INFINITY);
  }
  const threads = [...totals].map(([thread, names]) => {
    const list = [...names]
      .map(([name, us]) => ({ name, seconds: us / 1e6 }))
      .sort((a, b) => b.seconds - a.seconds);
    return { thread, seconds: list.reduce((n, e) => n + e.seconds, 0), events: list };
  });
  return { threads: threads.sort((a, b) => b.seconds - a.seconds) };
}

/** A summary as text: the `threads` busiest threads with their `events` busiest events each. */
export function traceSummaryText(summary: TraceSummary, threads = 12, events = 6): string {
  const s = (seconds: number) => (Math.round(seconds * 100) / 100).toFixed(2);
  return summary.threads
    .slice(0, threads)
    .map(
      (t) =>
        `${t.thread} ${s(t.seconds)} s (${t.events
          .slice(0, events)
          .map((e) => `${e.name} ${s(e.seconds)}`)
          .join(', ')})`,
    )
    .join(' | ');
}
