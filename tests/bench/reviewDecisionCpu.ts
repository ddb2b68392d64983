/**
 * The browser's CPU per decision in a team reviewer's review, decided by key as the fast review
 * does it (tests/e2e/fastReview.ts, without its slow uplink), against the built app in argv[2]
 * (default dist/) served by a team server with the embedded database in memory:
 *
 *   npx vite build --logLevel warn && npx tsx tests/bench/reviewDecisionCpu.ts [dist]
 *
 * Prints, per decision: the CPU of the browser's processes by type (/proc), the renderer main
 * thread's CPU (`threadMs`) and its task, script, layout and style times (CDP Performance
 * metrics). TRACE=1 adds the main thread's trace events by name (CDP Tracing); PROFILE=1 the
 * script's self time by file and function (CDP Profiler; build with --minify false for names).
 * RECORDS sets how many records (105). ENDS=1 instead compares her decisions at the review's
 * start with those at its end (records 1–20 against the last 20, the records between decided
 * from another browser of hers): per decision CPU and wall time, and their ratios. The machine's
 * load moves these figures: compare two builds in alternating runs, with `uptime`.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { shownHash } from '../../src/core/signoff/review/index.ts';
import { startServer } from '../../src/server/index.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium.ts';
import { memberApi } from '../e2e/teamServerJourney.ts';
import { startTestIdentityProvider } from '../oidc/identityProvider.ts';
import { DEMO_TEAM, type TeamDemo } from '../oidc/teamDemo.ts';

const appDir = resolve(process.argv[2] ?? 'dist');
const RECORDS = Number(process.env.RECORDS ?? 105);
const REVIEW = 'rv-fast';

const idp = await startTestIdentityProvider(DEMO_TEAM);
const server = await startServer({
  storage: { kind: 'memory' },
  host: 'localhost',
  port: 0,
  appDir,
  insecureHttp: true,
  loginAttemptsPerMinute: 200,
  identity: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, allowHttp: true },
});
idp.allowRedirect(`${server.url}/api/login/callback`);
const demo = { server, idp, url: server.url } as unknown as TeamDemo;
for (const id of ['lena', 'rosa']) {
  const { cookie } = await idp.signIn(server.url, id);
  await fetch(`${server.url}/api/me`, { headers: { cookie } });
}
const call = await memberApi(demo, 'lena');
const { project } = (await call('POST', '/api/projects', { name: 'Fast review' })) as {
  project: { id: string };
};
const { member: rosa } = (await call('POST', `/api/projects/${project.id}/members`, {
  subject: 'rosa',
  role: 'reviewer',
})) as { member: { id: string } };
const keys = Array.from({ length: RECORDS }, (_, i) => `MRN-${i + 1}`);
await call('POST', `/api/projects/${project.id}/reviews`, {
  review: {
    id: REVIEW,
    plan: { id: 'p1', hash: 'a'.repeat(64) },
    mapping: { id: 'm1', version: 1 },
    sample: {
      drawnAt: '2026-03-02T08:00:00Z',
      seed: '9f2c',
      inputs: [{ file: 'patients.csv', sha256: 'c'.repeat(64), bytes: 4000, rows: RECORDS }],
      strata: [
        {
          id: 'patients',
          census: false,
          population: RECORDS,
          n: RECORDS,
          records: keys.map((key, i) => ({ file: 'patients.csv', row: i + 1, key })),
        },
      ],
    },
  },
  assignments: keys.map((recordKey) => ({ stratum: 'patients', recordKey, first: rosa.id })),
});
/** The pair the app shows for record `i + 1`. */
const pairOf = (key: string, i: number) => ({
  planHash: 'a'.repeat(64),
  stratum: 'patients',
  recordKey: key,
  source: { file: 'patients.csv', row: i + 1, header: ['mrn', 'dob'], cells: [key, '1970-01-01'] },
  mapping: { id: 'm1', version: 1 },
  target: { identifier: key, birthDate: '1970-01-01' },
  alignment: [
    { target: 'identifier', columns: ['mrn'], value: key },
    { target: 'birthDate', columns: ['dob'], value: '1970-01-01' },
  ],
});
// the contract takes 500 pairs a request
for (let from = 0; from < RECORDS; from += 500)
  await call('POST', `/api/projects/${project.id}/reviews/${REVIEW}/records`, {
    records: keys.slice(from, from + 500).map((key, i) => ({ shown: pairOf(key, from + i) })),
  });

const marker = `--rr-measure=${process.pid}`;
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  args: [...CHROMIUM_ARGS, marker],
  headless: true,
});
/** CPU ms of the browser's processes by type (renderer, gpu-process, browser…), from /proc. */
function browserCpu(): Record<string, number> {
  const list: { pid: number; ppid: number; own: number; cmd: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      list.push({ pid: Number(name), ppid: Number(f[1]), own: (Number(f[11]) + Number(f[12])) * 10, cmd });
    } catch {
      // the process ended while listing
    }
  }
  const root = list.find((p) => p.cmd.includes(marker) && !p.cmd.includes('--type='));
  const out: Record<string, number> = {};
  const stack = root ? [root] : [];
  while (stack.length > 0) {
    const p = stack.pop() as (typeof list)[number];
    const type = /--type=(\S+)/.exec(p.cmd)?.[1] ?? 'browser';
    out[type] = (out[type] ?? 0) + p.own;
    stack.push(...list.filter((c) => c.ppid === p.pid));
  }
  return out;
}
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const { cookie } = await idp.signIn(server.url, 'rosa');
const at = cookie.indexOf('=');
await context.addCookies([{ name: cookie.slice(0, at), value: cookie.slice(at + 1), url: server.url }]);
const page = await context.newPage();
await page.goto(`${server.url}#/team`);
await page.getByText('Signed in as Rosa Lindqvist').waitFor();
await page.getByRole('link', { name: 'Fast review', exact: true }).click();
await page.getByRole('button', { name: /^Review [0-9,\u00a0\u202f ]+ records of the sample sent/ }).click();
await page.getByRole('button', { name: 'Record 1 (patients), first review' }).click();
await page.locator('section[aria-label="Record 1, first review"]:focus').waitFor();

const cdp = await context.newCDPSession(page);
await cdp.send('Performance.enable');
const metrics = async () => {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
};
const profile = process.env.PROFILE === '1';
if (profile) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
}
const trace = process.env.TRACE === '1';
const events: { name: string; ph: string; dur?: number; tid: number; pid: number; cat: string }[] = [];
if (trace) {
  cdp.on('Tracing.dataCollected', ({ value }) => {
    events.push(...(value as unknown as typeof events));
  });
  await cdp.send('Tracing.start', {
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8,blink,cc,toplevel',
    transferMode: 'ReportEvents',
  });
}
if (process.env.ENDS === '1') await atBothEnds();
const before = await metrics();
const cpuBefore = browserCpu();
const t0 = performance.now();
for (let n = 1; n <= RECORDS; n += 1) {
  await page.locator(`section[aria-label="Record ${n}, first review"]:focus`).waitFor();
  if (n % 3 !== 0) await page.keyboard.press('a');
  else {
    await page.keyboard.press('r');
    await page.keyboard.insertText('Wrong birth date');
    await page.keyboard.press('Enter');
  }
}
await page.getByRole('button', { name: `Record ${RECORDS} (patients), first review — decided` }).waitFor();
const wall = performance.now() - t0;
const after = await metrics();
const cpuAfter = browserCpu();
const cpu = Object.fromEntries(
  Object.entries(cpuAfter).map(([k, v]) => [k, ((v - (cpuBefore[k] ?? 0)) / RECORDS).toFixed(1)]),
);
const per = (name: string) => (((after[name] ?? 0) - (before[name] ?? 0)) * 1000) / RECORDS;
console.log(
  JSON.stringify({
    appDir,
    records: RECORDS,
    cpuMsPerDecision: cpu,
    threadMs: per('ThreadTime').toFixed(1),
    processMs: per('ProcessTime').toFixed(1),
    taskMsPerDecision: per('TaskDuration').toFixed(1),
    scriptMs: per('ScriptDuration').toFixed(1),
    layoutMs: per('LayoutDuration').toFixed(1),
    styleMs: per('RecalcStyleDuration').toFixed(1),
    layouts: (((after.LayoutCount ?? 0) - (before.LayoutCount ?? 0)) / RECORDS).toFixed(1),
    nodes: after.Nodes,
    wallMsPerDecision: (wall / RECORDS).toFixed(1),
  }),
);
if (trace) {
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.end');
  await done;
  // the renderer main thread: the one with the most RunTask time
  const runTask = new Map<string, number>();
  for (const e of events)
    if (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask')
      runTask.set(`${e.pid}:${e.tid}`, (runTask.get(`${e.pid}:${e.tid}`) ?? 0) + (e.dur ?? 0));
  console.log(
    [...runTask]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([k, v]) => `${k} ${(v / 1000 / RECORDS).toFixed(1)}`),
  );
  const main = [...runTask].sort((a, b) => b[1] - a[1])[0]?.[0];
  const byName = new Map<string, [number, number]>();
  for (const e of events)
    if (`${e.pid}:${e.tid}` === main && e.ph === 'X') {
      const [us, n] = byName.get(e.name) ?? [0, 0];
      byName.set(e.name, [us + (e.dur ?? 0), n + 1]);
    }
  for (const [name, [us, n]] of [...byName].sort((a, b) => b[1][0] - a[1][0]).slice(0, 45))
    console.log(
      `${(us / 1000 / RECORDS).toFixed(2)} ms/decision (incl) ${(n / RECORDS).toFixed(1)}x  ${name}`,
    );
}
if (profile) {
  const { profile: p } = await cdp.send('Profiler.stop');
  writeFileSync('/tmp/rr-profile.cpuprofile', JSON.stringify(p));
  const self = new Map<string, number>();
  const byId = new Map(p.nodes.map((node) => [node.id, node]));
  const dt = p.timeDeltas ?? [];
  (p.samples ?? []).forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const f = node.callFrame;
    const name = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}:${f.columnNumber}`;
    self.set(name, (self.get(name) ?? 0) + (dt[i] ?? 0) / 1000);
  });
  const byUrl = new Map<string, number>();
  (p.samples ?? []).forEach((id, i) => {
    const url = byId.get(id)?.callFrame.url ?? '';
    const key = url.includes('/assets/') ? (url.split('/').pop() ?? url) : url || '(no url)';
    byUrl.set(key, (byUrl.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
  });
  for (const [url, ms] of [...byUrl].sort((a, b) => b[1] - a[1]).slice(0, 12))
    console.log(`${(ms / RECORDS).toFixed(2)} ms/decision  url ${url}`);
  for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30))
    console.log(`${(ms / RECORDS).toFixed(2)} ms/decision  ${name}`);
}
await browser.close();
await server.stop();
await idp.stop();

/**
 * ENDS=1: her decisions at the start of the review (records 1–20, the last ten timed) against
 * those at its end (the last 20, after her decisions on the records between were posted from
 * another of her browsers, as the page hears of them): per decision, the browser's CPU (all its
 * processes, and the renderer's) and the wall time, each end's median, and their ratio.
 */
async function atBothEnds(): Promise<never> {
  const EACH = 20;
  const TIMED = 10;
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? Number.NaN;
  const decideRange = async (from: number) => {
    const wall: number[] = [];
    const all: number[] = [];
    const renderer: number[] = [];
    for (let n = from; n < from + EACH; n += 1) {
      await page.locator(`section[aria-label="Record ${n}, first review"]:focus`).waitFor();
      const c0 = browserCpu();
      const t0 = performance.now();
      await page.keyboard.press('a');
      await page.getByRole('button', { name: `Record ${n} (patients), first review — decided` }).waitFor();
      if (n < RECORDS)
        await page.locator(`section[aria-label="Record ${n + 1}, first review"]:focus`).waitFor();
      wall.push(performance.now() - t0);
      const c1 = browserCpu();
      all.push(Object.keys(c1).reduce((sum, k) => sum + (c1[k] ?? 0) - (c0[k] ?? 0), 0));
      renderer.push((c1.renderer ?? 0) - (c0.renderer ?? 0));
    }
    const last = (xs: number[]) => median(xs.slice(-TIMED));
    return { wallMs: last(wall), cpuMs: last(all), rendererMs: last(renderer) };
  };
  const start = await decideRange(1);
  // her decisions between, posted from another browser of hers: her page hears of them
  const rosaCall = await memberApi(demo, 'rosa');
  for (let from = EACH + 1; from <= RECORDS - EACH; from += 500) {
    const decisions = [];
    for (let n = from; n <= Math.min(from + 499, RECORDS - EACH); n += 1)
      decisions.push({
        id: crypto.randomUUID(),
        planHash: 'a'.repeat(64),
        stratum: 'patients',
        recordKey: `MRN-${n}`,
        row: n,
        file: 'patients.csv',
        reviewer: { name: 'Rosa Lindqvist', role: 'First reviewer', id: rosa.id },
        decidedAt: '2026-03-02T09:15:00+01:00',
        outcome: 'accept',
        findings: [],
        mapping: { id: 'm1', version: 1 },
        stage: 'first',
        shownSha256: shownHash(pairOf(`MRN-${n}`, n - 1)),
      });
    await rosaCall('POST', `/api/projects/${project.id}/reviews/${REVIEW}/decisions`, { decisions });
  }
  const lastFrom = RECORDS - EACH + 1;
  // she scrolls her list to its end (a long list draws only the lines in sight)
  await page
    .getByRole('list', { name: 'Your records' })
    .evaluate((list) => list.parentElement?.scrollTo(0, list.parentElement.scrollHeight));
  await page
    .getByRole('button', { name: `Record ${lastFrom - 1} (patients), first review — decided` })
    .waitFor();
  await page.getByRole('button', { name: `Record ${lastFrom} (patients), first review` }).click();
  const end = await decideRange(lastFrom);
  console.log(
    JSON.stringify({
      records: RECORDS,
      start,
      end,
      wallRatio: (end.wallMs / start.wallMs).toFixed(2),
      cpuRatio: (end.cpuMs / start.cpuMs).toFixed(2),
      rendererRatio: (end.rendererMs / start.rendererMs).toFixed(2),
    }),
  );
  await browser.close();
  await server.stop();
  await idp.stop();
  process.exit(0);
}
