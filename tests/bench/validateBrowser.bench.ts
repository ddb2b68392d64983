/**
 * Validation in the browser: the seeded legacy patient CSV (legacyPatients.ts;
 * `BENCH_ROWS` rows, default 100,000 ≈ 22 MB; `BENCH_ROWS=1000000` ≈ 221 MB, the issue's 1M-row file)
 * checked through the real UI in Debian's headless Chromium: the Migration workspace's "Check
 * extracts" (the file chosen in its file input, the bench's contract uploaded and selected, the key
 * it proposes), "Validate the file", the validator workers (workers/validate*.ts) reading the
 * `File`, and the report on screen. Timed from the click to the report.
 *
 * Baseline in the same page and the same run: papaparse alone parsing the same `File` (arrays +
 * `step`, 1 MiB chunks, the page's main thread), as baseline A of the Node bench (validate.bench.ts).
 * Papaparse's script is added to the page for it, so this page runs without the app's
 * Content-Security-Policy (`bypassCSP`); the app, its workers and their headers are unchanged.
 * Each run times papaparse and then the app back to back; the ratio is taken per run. The app runs
 * twice per run: as it is on this machine (its pool has hardwareConcurrency − 1 validator workers:
 * 1 on 2 cores) and in a second page told of 3 cores (2 workers; one file still runs in one of
 * them), which shows what an idle second worker costs; both must show the same counts.
 *
 * Memory, in separate runs (sampling forces garbage collections, which would slow the timed runs),
 * with the key column and again without it (what the duplicate check's key set adds: its records
 * are held in memory up to 64 MiB, ≈ 1.8 million keys, and past that spill to OPFS files,
 * workers/opfsKeySpill.ts, so at 4.9M rows the two should be near equal):
 * `performance.measureUserAgentSpecificMemory()` of the page plus its workers (it needs the page to
 * be cross-origin isolated: the app serves COOP + COEP, checked here), with Chromium's
 * ForceEagerMeasureMemory so each sample is taken at once rather than at the next idle GC; and the
 * processes' own memory from /proc (PSS of the page's renderer and of all the browser's processes), which also sees what the JS
 * heaps do not (Blob reads, decoder buffers, the allocator's slack).
 *
 * CPU time: each timed run also reports the browser's CPU seconds from /proc (all processes, the
 * pages' main threads, the dedicated workers, the rest and the browser process's part of it): on
 * this shared machine the wall time mostly says how long a run waited for a core; the CPU time says
 * what it cost, and where (an idle page, a page competing with its workers, or the browser serving
 * them); the rest's busiest threads are named in a note.
 *
 * Private and normal window: the pages above are Playwright contexts, i.e. private windows, whose
 * storage lives in the browser process's memory (in Chromium a sync access handle's read or write
 * there is a message to the browser process). A second Chromium on a persistent, on-disk profile (a
 * user's ordinary window) runs papaparse and the app with its own pool in the same loop, each run
 * right after the private window's, with its own ratio to papaparse in its page and its own memory
 * run; both windows must show the same counts.
 *
 * Where the CPU goes: `BENCH_PROFILE=<folder>` adds one untimed run of each private-window app
 * with Chromium's sampling profiler on the page and on each validator worker (browserApp.ts
 * `profilePage`, over the DevTools protocol), written as `.cpuprofile` files. tests/bench/RESULTS.md
 * keeps what the windows and the profiles showed.
 *
 * Against the CLI: `BENCH_BROWSER_VS_CLI=1` runs only the app and `preflight validate --workers 1`
 * in interleaved pairs, with both CPU times and their ratio per pair ({@link versusCli}); the full
 * run's CLI row gives the CLI process's CPU seconds too.
 *
 * Correctness: the browser's summary (records, valid, invalid, errors) and duplicate-key count must
 * equal the CLI's report on the same file with the same contract and key, and the generator's
 * planted defects; a mismatch is printed as MISMATCH, so a fast but broken run cannot pass unseen.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Report } from '../../src/formats/report.ts';
import type { BenchEntry, BenchResult } from './bench.ts';
import {
  busiestRestThreads,
  type ChromiumCpu,
  type ChromiumMemoryPeaks,
  chromiumCpu,
  cpuSpent,
  launchPersistentChromium,
  PAPAPARSE_SCRIPT,
  type PersistentChromium,
  profilePage,
  type ServedApp,
  sampleChromiumMemory,
  serveAppInChromium,
  skippedWithoutChromium,
  traceBrowser,
  traceSummaryText,
} from './browserApp.ts';
import { BENCH_CONTRACT, writeLegacyPatients } from './legacyPatients.ts';

const DEFAULT_ROWS = 100_000;
const RUN_TIMEOUT_MS = 9 * 60 * 1000;
const MB = 1_000_000;
/** How often the page measures its memory during the memory run. */
const MEMORY_SAMPLE_MS = 250;
const CONTRACT_TITLE = 'Benchmark legacy patient contract';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

declare global {
  interface Window {
    preflightBenchMemory?: { stop: boolean; samples: MemorySample[]; error: string; done: Promise<void> };
  }
  interface Performance {
    measureUserAgentSpecificMemory?: () => Promise<{
      bytes: number;
      breakdown: { bytes: number; attribution: { scope: string }[] }[];
    }>;
  }
}

interface MemorySample {
  /** page plus workers */
  bytes: number;
  /** the part attributed to dedicated workers */
  workerBytes: number;
}

/** Starts sampling `measureUserAgentSpecificMemory()` in the page until {@link stopPageMemory}. */
async function startPageMemory(page: Page): Promise<void> {
  await page.evaluate((everyMs) => {
    const state = { stop: false, samples: [] as MemorySample[], error: '', done: Promise.resolve() };
    state.done = (async () => {
      while (!state.stop) {
        try {
          const measure = performance.measureUserAgentSpecificMemory;
          if (!measure) throw new Error('performance.measureUserAgentSpecificMemory is not available');
          const result = await measure.call(performance);
          const workerBytes = result.breakdown
            .filter((b) => b.attribution.some((a) => a.scope === 'DedicatedWorkerGlobalScope'))
            .reduce((n, b) => n + b.bytes, 0);
          state.samples.push({ bytes: result.bytes, workerBytes });
        } catch (error) {
          state.error = String(error);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, everyMs));
      }
    })();
    window.preflightBenchMemory = state;
  }, MEMORY_SAMPLE_MS);
}

async function stopPageMemory(page: Page): Promise<{ samples: MemorySample[]; error: string }> {
  return page.evaluate(async () => {
    const state = window.preflightBenchMemory;
    if (!state) return { samples: [], error: 'not started' };
    state.stop = true;
    await state.done;
    return { samples: state.samples, error: state.error };
  });
}

/**
 * Adds papaparse and a file input of its own to `page` (the app's input lets go of its file) and
 * returns the baseline: papaparse alone on that `File` (arrays + step, 1 MiB chunks), timed in the page.
 */
async function addPapaparse(page: Page, file: string): Promise<() => Promise<{ ms: number; rows: number }>> {
  await page.addScriptTag({ path: PAPAPARSE_SCRIPT });
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'bench-baseline-file';
    input.hidden = true;
    document.body.append(input);
  });
  const baselineInput = page.locator('#bench-baseline-file');
  await baselineInput.setInputFiles(file);
  return () =>
    baselineInput.evaluate(
      (element: HTMLInputElement) =>
        new Promise<{ ms: number; rows: number }>((resolve, reject) => {
          const chosen = element.files?.[0];
          // papaparse's File API (eventLogBrowser.bench.ts types `window.Papa` for strings)
          const Papa = (
            window as unknown as {
              Papa?: {
                parse: (
                  file: File,
                  options: { chunkSize: number; step(): void; complete(): void; error(e: unknown): void },
                ) => void;
              };
            }
          ).Papa;
          if (!chosen || !Papa) return reject(new Error('no file or no papaparse in the page'));
          let count = 0;
          const t0 = performance.now();
          Papa.parse(chosen, {
            chunkSize: 1 << 20,
            step: () => {
              count++;
            },
            complete: () => resolve({ ms: performance.now() - t0, rows: count }),
            error: reject,
          });
        }),
    );
}

/** The report's counts read from the screen (numbers shown as "12,345"). */
async function screenCounts(page: Page) {
  const result = page.getByRole('region', { name: 'Validation result' });
  const count = async (testId: string) =>
    Number(((await result.getByTestId(testId).first().textContent()) ?? '').replaceAll(',', ''));
  const duplicates = result.getByTestId('duplicate-keys').filter({ hasText: 'column mrn' });
  return {
    records: await count('score-records'),
    valid: await count('score-valid'),
    invalid: await count('score-invalid'),
    errors: await count('score-errors'),
    duplicateMrns:
      (await duplicates.count()) === 0
        ? 0
        : Number(
            ((await duplicates.getByTestId('duplicate-key-count').textContent()) ?? '').replaceAll(',', ''),
          ),
  };
}

/** The CLI's report on the same file, contract and key (`preflight validate`, exit 1: errors found). */
async function cliReport(
  file: string,
  contract: string,
  dir: string,
): Promise<{ report: Report; ms: number; cpuSeconds: number | null }> {
  const out = path.join(dir, 'cli-report.json');
  const cpuBefore = await childrenCpuSeconds();
  const startedAt = performance.now();
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      [
        path.join(ROOT, 'src/cli/preflight.mjs'),
        'validate',
        file,
        '--schema',
        contract,
        '--key',
        'mrn',
        '--report',
        out,
        // one validation thread, as the page's pool has on a 2-core machine (hardwareConcurrency − 1)
        '--workers',
        '1',
      ],
      { cwd: ROOT, maxBuffer: 16 * MB },
      (error, _stdout, stderr) => {
        const code = error && typeof error.code === 'number' ? error.code : error ? -1 : 0;
        if (code === 0 || code === 1) resolve();
        else reject(new Error(`preflight validate exited ${code}: ${stderr.slice(-2000)}`));
      },
    );
  });
  const ms = performance.now() - startedAt;
  const cpuAfter = await childrenCpuSeconds();
  const cpuSeconds = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
  return { report: JSON.parse(await readFile(out, 'utf8')) as Report, ms, cpuSeconds };
}

/**
 * CPU seconds (user + system) of this process's children that have ended and been waited for, from
 * /proc/self/stat (cutime + cstime; Linux, else null): taken before and after the CLI's process,
 * their difference is what it cost, its worker threads included. The browser, also a child, lives
 * on through the CLI's run, so it adds nothing to the difference.
 */
async function childrenCpuSeconds(): Promise<number | null> {
  try {
    const stat = await readFile('/proc/self/stat', 'utf8');
    // cutime and cstime: fields 16 and 17, the 14th and 15th after the command name
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return null;
  }
}

/** The benchmark entry. */
/**
 * `BENCH_BROWSER_MEMORY_ONLY=1` (for a 1 GB file: `BENCH_ROWS=4900000`, ≈ 1.08 GB, over 1 GiB): the app's
 * memory run alone — page + workers in the page and the browser's processes from /proc, the
 * progress bar read while it runs — then one more run cancelled once its bar has moved. No
 * papaparse, second pool, normal window or CLI run: at that size each is another pass of a
 * gigabyte on a shared 2-core machine.
 */
async function memoryOnly(
  page: Page,
  appRun: () => Promise<number>,
  marker: string,
  run: {
    truth: Awaited<ReturnType<typeof writeLegacyPatients>>;
    isolated: boolean;
    problems: string[];
    browser: string;
  },
): Promise<BenchResult> {
  const bar = page.getByRole('progressbar', { name: /^Validating / });
  const barValue = () => bar.evaluate((el) => (el as HTMLProgressElement).value);
  await startPageMemory(page);
  const processes = sampleChromiumMemory(marker);
  await processes.ready;
  const done = appRun();
  // the bar while the run goes: each value read, once a second (a bench, not a test)
  const progress: number[] = [];
  await bar.waitFor({ timeout: RUN_TIMEOUT_MS });
  let finished = false;
  done.finally(() => {
    finished = true;
  });
  while (!finished) {
    const value = await barValue().catch(() => undefined);
    if (value !== undefined && value !== progress.at(-1)) progress.push(value);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const ms = await done;
  const proc = await processes.stop();
  const inPage = await stopPageMemory(page);
  const counts = await screenCounts(page);
  // cancel: the same file again, Cancel pressed once its bar has moved
  await page.getByRole('button', { name: 'Validate the file' }).click();
  await bar.waitFor({ timeout: RUN_TIMEOUT_MS });
  while ((await barValue()) < 2) await new Promise((resolve) => setTimeout(resolve, 250));
  const cancelledFrom = performance.now();
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  const stopped = page.getByText(/It stopped at \d+ %/).first();
  await stopped.waitFor({ timeout: RUN_TIMEOUT_MS });
  const cancelMs = performance.now() - cancelledFrom;
  const stoppedText = (await stopped.textContent()) ?? '';
  const peak = (field: keyof MemorySample) =>
    inPage.samples.length > 0 ? round(Math.max(...inPage.samples.map((x) => x[field])) / MB) : 'n/a';
  const procCell = (field: keyof ChromiumMemoryPeaks['peak']) =>
    proc ? `${round(proc.peak[field])} (+${round(proc.peak[field] - proc.first[field])})` : 'n/a';
  const { truth } = run;
  const planted = counts.records === truth.rows && counts.invalid === truth.invalidRows;
  return {
    params: { rows: truth.rows, megabytes: round(truth.bytes / MB, 1), browser: run.browser, memoryOnly: 1 },
    columns: [
      'variant',
      'memory run ms',
      'MB/s',
      'peak page+workers MB',
      'of it workers MB',
      'peak renderer PSS MB (+growth)',
      'peak browser PSS MB (+growth)',
    ],
    rows: [
      {
        variant: 'app: Validate → workers read + check → report on screen (memory run)',
        'memory run ms': round(ms),
        'MB/s': round(truth.bytes / MB / (ms / 1000), 1),
        'peak page+workers MB': peak('bytes'),
        'of it workers MB': peak('workerBytes'),
        'peak renderer PSS MB (+growth)': procCell('rendererPssMb'),
        'peak browser PSS MB (+growth)': procCell('totalPssMb'),
      },
    ],
    notes: [
      `page cross-origin isolated: ${run.isolated}; in-page memory samples: ${inPage.samples.length} (every ${MEMORY_SAMPLE_MS} ms)${inPage.error ? `; sampling failed: ${inPage.error}` : ''}; 512 MiB = ${round((512 * 1024 * 1024) / MB)} MB`,
      `progress bar values read during the run (once a second, distinct): ${progress.length} (${progress.slice(0, 3).join(', ')} … ${progress.slice(-3).join(', ')})`,
      `cancel: pressed at ≥ 2 %; "${stoppedText.trim().slice(0, 140)}" shown ${round(cancelMs)} ms later`,
      `planted: ${truth.rows} rows, ${truth.invalidRows} invalid; on screen ${counts.records} records, ${counts.invalid} invalid, ${counts.duplicateMrns} duplicate MRNs (${planted ? 'all found, no false positives' : 'MISMATCH'})${run.problems.length > 0 ? `; page errors: ${run.problems.join(' | ')}` : ''}`,
    ],
  };
}

/**
 * `BENCH_BROWSER_VS_CLI=1`: the app (private window, its own pool) and `preflight validate
 * --workers 1` on the same file, `BENCH_REPEATS` pairs (default 2), interleaved (the order swapped
 * each pair), each with its CPU time — the browser's from /proc, split as {@link cpuSpent}, the
 * CLI's process from this process's waited-for children — and the ratio browser / CLI per pair.
 * No papaparse, second pool, normal window or memory runs: the question is what the browser costs
 * over the CLI. `BENCH_PROFILE=<folder>` adds one untimed, profiled run of the app;
 * `BENCH_TRACE=<folder>` one untimed run under a Chromium trace of every process, summarized as CPU
 * seconds per thread and per traced event ({@link traceBrowser}). `BENCH_CHROMIUM_ARGS` (any mode)
 * adds switches to the bench's Chromium, e.g. `--js-flags=--trace-deopt` (its output is Playwright's
 * `DEBUG=pw:browser` log).
 */
async function versusCli(
  page: Page,
  context: BrowserContext,
  appRun: () => Promise<number>,
  marker: string,
  run: {
    truth: Awaited<ReturnType<typeof writeLegacyPatients>>;
    file: string;
    contractFile: string;
    dir: string;
    problems: string[];
    browser: string;
  },
): Promise<BenchResult> {
  const repeats = Number(process.env.BENCH_REPEATS ?? 2);
  const pairs: {
    appMs: number;
    cliMs: number;
    app: { total: number; pageMain: number; workers: number; browserProcess: number } | null;
    appSplit: string;
    rest: string;
    cliCpu: number | null;
  }[] = [];
  let cli: Report | undefined;
  for (let i = 0; i < repeats; i++) {
    const browserRun = async () => {
      const before = await chromiumCpu(marker);
      const ms = await appRun();
      const after = await chromiumCpu(marker);
      const d = (k: 'total' | 'pageMain' | 'workers' | 'browserProcess') =>
        before && after ? after[k] - before[k] : Number.NaN;
      return {
        ms,
        cpu:
          before && after
            ? {
                total: d('total'),
                pageMain: d('pageMain'),
                workers: d('workers'),
                browserProcess: d('browserProcess'),
              }
            : null,
        split: cpuSpent(before, after),
        rest: busiestRestThreads(before, after, 8),
      };
    };
    const cliRun = () => cliReport(run.file, run.contractFile, run.dir);
    const [a, c] =
      i % 2 === 0
        ? [await browserRun(), await cliRun()]
        : await (async () => {
            const first = await cliRun();
            return [await browserRun(), first] as const;
          })();
    cli = c.report;
    pairs.push({
      appMs: a.ms,
      cliMs: c.ms,
      app: a.cpu,
      appSplit: a.split,
      rest: a.rest,
      cliCpu: c.cpuSeconds,
    });
  }
  const profileDir = process.env.BENCH_PROFILE;
  const profiles: string[] = [];
  if (profileDir) {
    await mkdir(profileDir, { recursive: true });
    const profiler = await profilePage(context, page);
    await profiler.start();
    await appRun();
    profiles.push(...(await profiler.stop(profileDir, 'app-vs-cli')));
  }
  const traceDir = process.env.BENCH_TRACE;
  let traced = '';
  if (traceDir) {
    await mkdir(traceDir, { recursive: true });
    const trace = await traceBrowser(context.browser() as Browser);
    const before = await chromiumCpu(marker);
    await appRun();
    const after = await chromiumCpu(marker);
    const file = path.join(traceDir, `app-vs-cli-${Date.now()}.json`);
    const summary = await trace.stop(file);
    traced = `one more run, traced (BENCH_TRACE, ${file}): /proc ${cpuSpent(before, after)}, rest ${busiestRestThreads(before, after, 8)}; CPU s by thread in the trace's events (own time): ${traceSummaryText(summary)}`;
  }
  const counts = await screenCounts(page);
  const cliTotal = cli?.crossFile.duplicateTotals?.find((d) => d.column === 'mrn');
  const same =
    cli !== undefined &&
    counts.records === cli.summary.records &&
    counts.valid === cli.summary.valid &&
    counts.invalid === cli.summary.invalid &&
    counts.errors === cli.summary.errors &&
    counts.duplicateMrns === (cliTotal?.keys ?? 0);
  const ratio = (p: (typeof pairs)[number]) =>
    p.app && p.cliCpu ? round(p.app.total / p.cliCpu, 2) : Number.NaN;
  return {
    params: {
      rows: run.truth.rows,
      megabytes: round(run.truth.bytes / MB, 1),
      repeats,
      browser: run.browser,
      versusCli: 1,
    },
    columns: [
      'pair',
      'app wall ms',
      'CLI wall ms',
      'app CPU s all / page / workers / rest (browser process)',
      'CLI CPU s',
      'app CPU / CLI CPU',
    ],
    rows: pairs.map((p, i) => ({
      pair: `${i + 1} (${i % 2 === 0 ? 'app first' : 'CLI first'})`,
      'app wall ms': round(p.appMs),
      'CLI wall ms': round(p.cliMs),
      'app CPU s all / page / workers / rest (browser process)': p.appSplit,
      'CLI CPU s': p.cliCpu === null ? 'n/a' : round(p.cliCpu, 2),
      'app CPU / CLI CPU': ratio(p),
    })),
    notes: [
      `median app CPU / CLI CPU: ${median(pairs.map(ratio))}; per pair: ${pairs.map(ratio).join(', ')}`,
      `busiest threads of the rest, per pair: ${pairs.map((p) => p.rest).join(' | ')}`,
      ...(profiles.length > 0
        ? [`CPU profiles of one more, untimed run (BENCH_PROFILE): ${profiles.join(', ')}`]
        : []),
      ...(traced ? [traced] : []),
      `browser vs CLI on the same file: ${JSON.stringify(counts)} vs records ${cli?.summary.records}, valid ${cli?.summary.valid}, invalid ${cli?.summary.invalid}, errors ${cli?.summary.errors}, duplicate MRNs ${cliTotal?.keys ?? 0} (${same ? 'equal' : 'MISMATCH'})${run.problems.length > 0 ? `; page errors: ${run.problems.join(' | ')}` : ''}`,
    ],
  };
}

export const validateBrowserBench: BenchEntry = {
  id: 'validate-browser',
  title: 'Migration validation through the real UI in Chromium (Web Workers) vs papaparse in the page',
  async run(): Promise<BenchResult> {
    const skipped = skippedWithoutChromium();
    if (skipped) return skipped;
    const rows = Number(process.env.BENCH_ROWS ?? DEFAULT_ROWS);
    const big = rows > 300_000;
    const warmups = big ? 0 : 1;
    // BENCH_REPEATS: more timed runs (each variant's runs are interleaved with the others')
    const repeats = Number(process.env.BENCH_REPEATS ?? (big ? 1 : 3));
    const dir = await mkdtemp(path.join(tmpdir(), 'preflight-bench-validate-browser-'));
    // named like the demo's extract, so the app proposes `mrn` as the key
    const file = path.join(dir, 'patients.csv');
    const contractFile = path.join(dir, 'bench-contract.json');
    let app: ServedApp | undefined;
    let normalBrowser: PersistentChromium | undefined;
    try {
      await writeFile(contractFile, JSON.stringify({ ...BENCH_CONTRACT, title: CONTRACT_TITLE }));
      // each memory sample is taken at once, not at the next idle garbage collection
      // BENCH_CHROMIUM_ARGS: more switches, space-separated (e.g. `--js-flags=--trace-deopt`)
      app = await serveAppInChromium([
        '--enable-blink-features=ForceEagerMeasureMemory',
        ...(process.env.BENCH_CHROMIUM_ARGS?.split(' ').filter(Boolean) ?? []),
      ]);
      const { browser, marker } = app;
      const truth = await writeLegacyPatients(file, rows);
      const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1440, height: 1000 } });
      const problems: string[] = [];
      /**
       * Opens the Migration workspace in a new page of `on` and readies "Validate the file": the
       * file chosen, the bench's contract uploaded and selected, the proposed key kept.
       */
      const openApp = async (on: BrowserContext) => {
        const page = await on.newPage();
        page.on('pageerror', (error) => problems.push(error.message));
        await page.goto(`${app?.url}#/migration`);
        // tsx (esbuild keepNames) wraps named functions in `__name(…)`, which the page lacks
        await page.evaluate('globalThis.__name = (fn) => fn');
        const extracts = page.getByLabel('Extract files (CSV or TSV)');
        await extracts.waitFor();
        await page.waitForFunction(() => !document.querySelector('input[type=file][multiple]:disabled'));
        await extracts.setInputFiles(file);
        const card = page.getByRole('group', { name: /^patients\.csv/ });
        await card.waitFor();
        await page
          .getByLabel('Add a column contract (JSON Schema or Table Schema file)')
          .setInputFiles(contractFile);
        await card.getByLabel('Column contract', { exact: true }).selectOption({ label: CONTRACT_TITLE });
        const key = await card.getByLabel(/^Key column/).inputValue();
        if (key !== 'mrn') throw new Error(`the app proposed key "${key}", not mrn`);
        const validateButton = page.getByRole('button', { name: 'Validate the file' });
        const result = page.getByRole('region', { name: 'Validation result' });
        /** one run of the app: click → the report on screen, in ms */
        const appRun = async () => {
          const hadResult = (await result.count()) > 0;
          const startedAt = performance.now();
          await validateButton.click();
          // the last run's report leaves as soon as this one starts (a run takes seconds)
          if (hadResult) await result.waitFor({ state: 'detached', timeout: RUN_TIMEOUT_MS });
          await result.waitFor({ timeout: RUN_TIMEOUT_MS });
          return performance.now() - startedAt;
        };
        return { page, card, appRun };
      };
      const { page, card, appRun } = await openApp(context);
      const isolated = await page.evaluate(() => globalThis.crossOriginIsolated);
      if (process.env.BENCH_BROWSER_MEMORY_ONLY === '1')
        return await memoryOnly(page, appRun, marker, {
          truth,
          isolated,
          problems,
          browser: browser.version(),
        });
      if (process.env.BENCH_BROWSER_VS_CLI === '1')
        return await versusCli(page, context, appRun, marker, {
          truth,
          file,
          contractFile,
          dir,
          problems,
          browser: browser.version(),
        });
      const cores = await page.evaluate(() => navigator.hardwareConcurrency);
      // the same app with 2 validator workers: its pool (hardwareConcurrency − 1) is told of 3 cores
      const twoContext = await browser.newContext({
        bypassCSP: true,
        viewport: { width: 1440, height: 1000 },
      });
      // a script text: a function here would be wrapped in tsx's `__name(…)`, which the page lacks
      await twoContext.addInitScript({
        content: "Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 3 });",
      });
      const two = await openApp(twoContext);
      // the same app in a normal window: a second Chromium on an on-disk profile, where OPFS
      // writes and reads go to files the renderer holds, not to the browser process's memory
      normalBrowser = await launchPersistentChromium(['--enable-blink-features=ForceEagerMeasureMemory'], {
        bypassCSP: true,
        viewport: { width: 1440, height: 1000 },
      });
      const normalMarker = normalBrowser.marker;
      const normal = await openApp(normalBrowser.context);

      const papaparse = await addPapaparse(page, file);
      const normalPapaparse = await addPapaparse(normal.page, file);

      const papaMs: number[] = [];
      const appMs: number[] = [];
      const twoMs: number[] = [];
      const normalPapaMs: number[] = [];
      const normalMs: number[] = [];
      /** CPU time of each timed run, "total / page / workers / rest (browser process)" (cpuSpent) */
      const papaCpu: string[] = [];
      const appCpu: string[] = [];
      const twoCpu: string[] = [];
      const normalPapaCpu: string[] = [];
      const normalCpu: string[] = [];
      /** the rest's busiest threads in the last timed run of the app with 1 worker, by window */
      let appRest = '';
      let normalRest = '';
      let papaRows = 0;
      /** runs `fn`, with the CPU time of the browser started with `on` before and after it */
      const withCpu = async <T>(
        on: string,
        fn: () => Promise<T>,
      ): Promise<{ value: T; cpu: string; rest: string }> => {
        const before: ChromiumCpu | null = await chromiumCpu(on);
        const value = await fn();
        const after = await chromiumCpu(on);
        return { value, cpu: cpuSpent(before, after), rest: busiestRestThreads(before, after) };
      };
      for (let run = 0; run < warmups + repeats; run++) {
        const baseline = await withCpu(marker, papaparse);
        papaRows = baseline.value.rows;
        const one = await withCpu(marker, appRun);
        const msTwo = await withCpu(marker, two.appRun);
        const normalBaseline = await withCpu(normalMarker, normalPapaparse);
        const inNormal = await withCpu(normalMarker, normal.appRun);
        if (run < warmups) continue;
        papaMs.push(baseline.value.ms);
        appMs.push(one.value);
        twoMs.push(msTwo.value);
        normalPapaMs.push(normalBaseline.value.ms);
        normalMs.push(inNormal.value);
        papaCpu.push(baseline.cpu);
        appCpu.push(one.cpu);
        twoCpu.push(msTwo.cpu);
        normalPapaCpu.push(normalBaseline.cpu);
        normalCpu.push(inNormal.cpu);
        appRest = one.rest;
        normalRest = inNormal.rest;
      }
      // BENCH_PROFILE=<folder>: one more run of each private-window app, untimed, with Chromium's
      // sampling profiler on the page and on each worker (profilePage): where the CPU goes, by function
      const profileDir = process.env.BENCH_PROFILE;
      const profiles: string[] = [];
      if (profileDir) {
        await mkdir(profileDir, { recursive: true });
        const apps = [
          { label: 'app-1-worker', on: page, within: context, once: appRun },
          { label: 'app-2-workers', on: two.page, within: twoContext, once: two.appRun },
        ];
        for (const { label, on, within, once } of apps) {
          const profiler = await profilePage(within, on);
          await profiler.start();
          await once();
          profiles.push(...(await profiler.stop(profileDir, label)));
        }
      }
      const counts = await screenCounts(page);
      const twoCounts = await screenCounts(two.page);
      const twoMemory = await (async () => {
        await startPageMemory(two.page);
        const startedAt = performance.now();
        await two.appRun();
        const ms = performance.now() - startedAt;
        return { ms, inPage: await stopPageMemory(two.page) };
      })();
      const twoWorkers = await two.page.evaluate(() => navigator.hardwareConcurrency - 1);
      await twoContext.close();

      // the memory run: page + workers sampled in the page, the processes from /proc
      const memoryOf = async (fn: () => Promise<unknown>, on = page, onMarker = marker) => {
        await startPageMemory(on);
        const processes = sampleChromiumMemory(onMarker);
        await processes.ready;
        const startedAt = performance.now();
        await fn();
        const ms = performance.now() - startedAt;
        const proc = await processes.stop();
        const inPage = await stopPageMemory(on);
        return { ms, proc, inPage };
      };
      const normalCounts = await screenCounts(normal.page);
      const normalMemory = await memoryOf(normal.appRun, normal.page, normalMarker);
      await normalBrowser.close();
      normalBrowser = undefined;
      const papaMemory = await memoryOf(papaparse);
      const appMemory = await memoryOf(appRun);
      // the same run without a key column: what the duplicate check's key set (one slot per
      // distinct key) adds to the streaming validation's memory
      await card.getByLabel(/^Key column/).selectOption('');
      const noKeyMemory = await memoryOf(appRun);
      const { report: cli, ms: cliMs, cpuSeconds: cliCpu } = await cliReport(file, contractFile, dir);
      await context.close();

      // counted in full (duplicateTotals), not from the listed groups (the first 1,000 keys)
      const cliTotal = cli.crossFile.duplicateTotals?.find((d) => d.column === 'mrn');
      const cliDuplicates = cliTotal?.keys ?? 0;
      const repeatedRecords = cliTotal?.records ?? 0;
      const same =
        counts.records === cli.summary.records &&
        counts.valid === cli.summary.valid &&
        counts.invalid === cli.summary.invalid &&
        counts.errors === cli.summary.errors &&
        counts.duplicateMrns === cliDuplicates;
      const planted =
        counts.records === truth.rows &&
        counts.invalid === truth.invalidRows &&
        repeatedRecords === truth.duplicateMrnPairs;

      const peak = (m: { samples: MemorySample[] }, field: keyof MemorySample) =>
        m.samples.length > 0 ? round(Math.max(...m.samples.map((s) => s[field])) / MB) : 'n/a';
      /** "peak (+ growth over the first sample)" */
      const procCell = (m: ChromiumMemoryPeaks | null, field: keyof ChromiumMemoryPeaks['peak']) =>
        m ? `${round(m.peak[field])} (+${round(m.peak[field] - m.first[field])})` : 'n/a';
      /** A memory run's cells of a row: its time, the in-page peaks, and the browser's own (PSS). */
      const memoryCells = (m: Awaited<ReturnType<typeof memoryOf>>) => ({
        'memory run ms': round(m.ms),
        'peak page+workers MB': peak(m.inPage, 'bytes'),
        'of it workers MB': peak(m.inPage, 'workerBytes'),
        'peak renderer PSS MB (+growth)': procCell(m.proc, 'rendererPssMb'),
        'peak browser PSS MB (+growth)': procCell(m.proc, 'totalPssMb'),
      });
      const mbps = (ms: number) => round(truth.bytes / MB / (ms / 1000), 1);
      const ratios = appMs.map((ms, i) => (papaMs[i] as number) / ms);
      const twoRatios = twoMs.map((ms, i) => (papaMs[i] as number) / ms);
      const twoSame = JSON.stringify(twoCounts) === JSON.stringify(counts);
      const normalSame = JSON.stringify(normalCounts) === JSON.stringify(counts);
      const normalRatios = normalMs.map((ms, i) => (normalPapaMs[i] as number) / ms);
      return {
        params: {
          rows,
          megabytes: round(truth.bytes / MB, 1),
          warmups,
          repeats,
          browser: browser.version(),
          crossOriginIsolated: String(isolated),
        },
        columns: [
          'variant',
          'median ms',
          'MB/s',
          'ratio to A',
          'CPU s all / page / workers / rest (browser process)',
          'memory run ms',
          'peak page+workers MB',
          'of it workers MB',
          'peak renderer PSS MB (+growth)',
          'peak browser PSS MB (+growth)',
        ],
        rows: [
          {
            variant: 'A: papaparse alone in the page (File, arrays + step, main thread)',
            'median ms': round(median(papaMs)),
            'MB/s': mbps(median(papaMs)),
            'ratio to A': 1,
            'CPU s all / page / workers / rest (browser process)': papaCpu.join('; '),
            ...memoryCells(papaMemory),
          },
          {
            variant: 'app: Validate → workers read + check → report on screen',
            'median ms': round(median(appMs)),
            'MB/s': mbps(median(appMs)),
            'ratio to A': round(median(ratios), 2),
            'CPU s all / page / workers / rest (browser process)': appCpu.join('; '),
            ...memoryCells(appMemory),
          },
          {
            variant: `app, ${twoWorkers} validator workers (the page told of 3 cores), one file each`,
            'median ms': round(median(twoMs)),
            'MB/s': mbps(median(twoMs)),
            'ratio to A': round(median(twoRatios), 2),
            'CPU s all / page / workers / rest (browser process)': twoCpu.join('; '),
            'memory run ms': round(twoMemory.ms),
            'peak page+workers MB': peak(twoMemory.inPage, 'bytes'),
            'of it workers MB': peak(twoMemory.inPage, 'workerBytes'),
            'peak renderer PSS MB (+growth)': '',
            'peak browser PSS MB (+growth)': '',
          },
          {
            variant: 'A in a normal window (persistent profile): papaparse alone in the page',
            'median ms': round(median(normalPapaMs)),
            'MB/s': mbps(median(normalPapaMs)),
            'ratio to A': round(median(papaMs) / median(normalPapaMs), 2),
            'CPU s all / page / workers / rest (browser process)': normalPapaCpu.join('; '),
          },
          {
            variant: 'app in a normal window (persistent profile, OPFS on disk), 1 validator worker',
            'median ms': round(median(normalMs)),
            'MB/s': mbps(median(normalMs)),
            'ratio to A': round(median(normalRatios), 2),
            'CPU s all / page / workers / rest (browser process)': normalCpu.join('; '),
            ...memoryCells(normalMemory),
          },
          {
            variant: 'CLI: preflight validate --workers 1 (Node; the process, startup included), once',
            'median ms': round(cliMs),
            'MB/s': mbps(cliMs),
            'ratio to A': round(median(papaMs) / cliMs, 2),
            'CPU s all / page / workers / rest (browser process)':
              cliCpu === null ? 'n/a' : `${round(cliCpu, 1)} (the process)`,
          },
          {
            variant: 'app, key column None (no duplicate check): memory run only',
            'median ms': '',
            'MB/s': mbps(noKeyMemory.ms),
            'ratio to A': '',
            ...memoryCells(noKeyMemory),
          },
        ],
        notes: [
          `page cross-origin isolated: ${isolated}${isolated ? '' : ' — measureUserAgentSpecificMemory cannot run'}; in-page memory samples: papaparse ${papaMemory.inPage.samples.length}, app ${appMemory.inPage.samples.length} (every ${MEMORY_SAMPLE_MS} ms)${appMemory.inPage.error ? `; sampling failed: ${appMemory.inPage.error}` : ''}`,
          "CPU s: the browser's CPU time during each timed run (all its processes and threads / the pages' main threads / the dedicated workers / the rest, and in parentheses the part of the rest in the browser process itself), read from /proc: on a machine shared with other work the wall time also counts waiting for a core",
          ...(profiles.length > 0
            ? [`CPU profiles of one more, untimed run of each app (BENCH_PROFILE): ${profiles.join(', ')}`]
            : []),
          `busiest threads of the rest, app with 1 worker, last run: private window: ${appRest}; normal window: ${normalRest}`,
          `normal window (its own Chromium, persistent profile) vs private window: ${normalSame ? 'the same counts' : `DIFFERENT (${JSON.stringify(normalCounts)})`}; its ratio to A is to papaparse in its own page, run by run: ${normalRatios.map((r) => round(r, 2)).join(', ')}; its A row's ratio is private A / normal A`,
          `ratio to A = median over runs of (papaparse time / app time of the same run), i.e. the app's throughput as a share of papaparse's; per run: ${ratios.map((r) => round(r, 2)).join(', ')}; with ${twoWorkers} workers: ${twoRatios.map((r) => round(r, 2)).join(', ')}`,
          `app with 1 and with ${twoWorkers} workers on screen: ${twoSame ? 'the same counts' : `DIFFERENT (${JSON.stringify(twoCounts)})`}; the app's own pool here: ${cores - 1 || 1} worker(s) (hardwareConcurrency ${cores} − 1)`,
          `browser vs CLI on the same file: records ${counts.records}/${cli.summary.records}, valid ${counts.valid}/${cli.summary.valid}, invalid ${counts.invalid}/${cli.summary.invalid}, errors ${counts.errors}/${cli.summary.errors}, duplicate MRNs ${counts.duplicateMrns}/${cliDuplicates} (${same ? 'equal' : 'MISMATCH'})`,
          `planted: ${truth.rows} rows, ${truth.invalidRows} invalid, ${truth.duplicateMrnPairs} repeated MRNs; found ${counts.records} records, ${counts.invalid} invalid, ${repeatedRecords} repeated MRNs (${planted ? 'all found, no false positives' : 'MISMATCH'}); papaparse ${papaRows - 1} records${problems.length > 0 ? `; page errors: ${problems.join(' | ')}` : ''}`,
        ],
      };
    } finally {
      await normalBrowser?.close();
      await app?.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
