import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { JobCancelledError } from '../../src/core/jobs/errors.ts';
import type { Progress } from '../../src/core/jobs/progress.ts';
import { loadSamplePlan, type SamplePlan } from '../../src/formats/samplePlan.ts';
import { createWorkerPool, type WorkerPool } from '../../workers/pool.ts';
import { createSampleApi, planGivenSizes, type SampleWorkerApi } from '../../workers/sampleApi.ts';
import { drawSampleInPool, readRowsInPool } from '../../workers/sampleClient.ts';
import { FakeWorker } from '../../workers/testing/fakeWorker.ts';

// Browser = CLI: the same sample from the same plan and file. The same path drawSampleInWorker
// takes (sampleClient → pool → comlink → sampleApi → sampleCsvFiles), with the Worker faked,
// against the CLI's `preflight sample --json` for the same plan and file.
const LEGACY = fileURLToPath(new URL('../../samples/legacy/', import.meta.url));
const PLAN_FILE = fileURLToPath(
  new URL('../../samples/plans/patients-by-file.sampleplan.json', import.meta.url),
);

let pools: WorkerPool<SampleWorkerApi>[] = [];
afterEach(() => {
  for (const p of pools) p.destroy();
  pools = [];
});

function pool(): WorkerPool<SampleWorkerApi> {
  const created = createWorkerPool<SampleWorkerApi>({
    name: 'sample',
    size: 1,
    create: () => new FakeWorker(createSampleApi()),
  });
  pools.push(created);
  return created;
}

function plan(): SamplePlan {
  const loaded = loadSamplePlan(JSON.parse(readFileSync(PLAN_FILE, 'utf8')));
  if (!loaded.ok) throw new Error('demo plan invalid');
  return loaded.value;
}

function patientsFile(): File {
  return new File([readFileSync(path.join(LEGACY, 'patients.csv'))], 'patients.csv');
}

async function cliSample(p: SamplePlan): Promise<unknown> {
  const out: string[] = [];
  const sizes = Object.entries(planGivenSizes(p)).flatMap(([id, n]) => ['--n', `${id}=${n}`]);
  const code = await main(['sample', PLAN_FILE, 'patients.csv', '--key', 'mrn', ...sizes, '--json'], {
    stdout: (t) => out.push(t),
    stderr: () => {},
    cwd: LEGACY,
  });
  expect(code).toBe(0);
  return JSON.parse(out.join(''));
}

const MAIN_PLAN_FILE = fileURLToPath(
  new URL('../../samples/plans/patients.sampleplan.json', import.meta.url),
);
const CONTRACT_FILE = fileURLToPath(
  new URL('../../samples/contracts/patients.contract.json', import.meta.url),
);

function mainPlan(): SamplePlan {
  const loaded = loadSamplePlan(JSON.parse(readFileSync(MAIN_PLAN_FILE, 'utf8')));
  if (!loaded.ok) throw new Error('demo plan invalid');
  return loaded.value;
}

describe('sample worker, validation strata', () => {
  it('draws the demo main plan (flagged census by validation outcome) exactly as `preflight sample --contract`', async () => {
    const p = mainPlan();
    const contract = { name: 'patients', schema: JSON.parse(readFileSync(CONTRACT_FILE, 'utf8')) };
    const progress: Progress[] = [];
    const drawn = await drawSampleInPool(pool(), p, [patientsFile()], 'mrn', {
      contract,
      onProgress: (x) => progress.push(x),
    });
    if (!drawn.ok) throw new Error(drawn.message);
    const out: string[] = [];
    const sizes = Object.entries(planGivenSizes(p)).flatMap(([id, n]) => ['--n', `${id}=${n}`]);
    const code = await main(
      [
        'sample',
        MAIN_PLAN_FILE,
        'patients.csv',
        '--key',
        'mrn',
        '--contract',
        CONTRACT_FILE,
        ...sizes,
        '--json',
      ],
      { stdout: (t) => out.push(t), stderr: () => {}, cwd: LEGACY },
    );
    // the census holds the 12 duplicate-MRN pairs: their second copies are a `duplicate-key` problem (exit 1)
    expect(code).toBe(1);
    expect(drawn.document).toEqual(JSON.parse(out.join('')));
    const byId = Object.fromEntries(drawn.document.strata.map((s) => [s.id, s]));
    expect(byId.clean?.population).toBe(4738);
    expect(byId.flagged?.population).toBe(262);
    expect(byId.flagged?.census).toBe(true);
    // every distinct flagged key once: 238 invalid rows + 12 duplicated MRNs
    expect(byId.flagged?.records).toHaveLength(250);
    expect(drawn.document.problems.map((x) => x.code)).toEqual(['duplicate-key']);
    // the layout sniff (64 KiB), then validation and sampling each read the file once
    expect(progress.at(-1)?.done).toBe(patientsFile().size * 2 + 64 * 1024);
    expect(progress.at(-1)?.total).toBe(progress.at(-1)?.done);
  });

  it('says the contract is needed, and refuses a contract only ajv can check (the worker may not compile code)', async () => {
    const refused = await drawSampleInPool(pool(), mainPlan(), [patientsFile()], 'mrn', {});
    expect(refused).toEqual({ ok: false, message: expect.stringMatching(/column contract/) });
    const schema = JSON.parse(readFileSync(CONTRACT_FILE, 'utf8'));
    schema.properties.mrn = { anyOf: [{ type: 'string' }] };
    const full = await drawSampleInPool(pool(), mainPlan(), [patientsFile()], 'mrn', {
      contract: { name: 'patients', schema },
    });
    expect(full).toEqual({ ok: false, message: expect.stringMatching(/only the full check/) });
  });
});

describe('sample worker', () => {
  it('draws exactly the document `preflight sample --json` prints for the same plan and file', async () => {
    const progress: Progress[] = [];
    const drawn = await drawSampleInPool(pool(), plan(), [patientsFile()], 'mrn', {
      onProgress: (p) => progress.push(p),
    });
    expect(drawn.ok).toBe(true);
    if (!drawn.ok) return;
    expect(drawn.document).toEqual(await cliSample(plan()));
    expect(drawn.document.strata[0]?.records).toHaveLength(59);
    expect(progress.at(-1)?.done).toBe(patientsFile().size);
  });

  it('says which column is missing, and that validation strata need a validation run', async () => {
    const missing = await drawSampleInPool(pool(), plan(), [patientsFile()], 'medical_record', {});
    expect(missing).toEqual({ ok: false, message: expect.stringMatching(/no column "medical_record"/) });
    const byValidation = { ...plan(), population: { ...plan().population, stratifyBy: 'validation' } };
    const refused = await drawSampleInPool(pool(), byValidation, [patientsFile()], 'mrn', {});
    expect(refused).toEqual({ ok: false, message: expect.stringMatching(/validation/) });
  });

  it('cancels', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      drawSampleInPool(pool(), plan(), [patientsFile()], 'mrn', { signal: controller.signal }),
    ).rejects.toBeInstanceOf(JobCancelledError);
  });

  it('reads the drawn rows’ cells on demand, the rows the sampler numbered', async () => {
    const workers = pool();
    const drawn = await drawSampleInPool(workers, plan(), [patientsFile()], 'mrn', {});
    if (!drawn.ok) throw new Error('not drawn');
    const records = drawn.document.strata[0]?.records.slice(0, 5) ?? [];
    const read = await readRowsInPool(
      workers,
      patientsFile(),
      records.map((r) => r.row),
    );
    const mrn = read.header.indexOf('mrn');
    for (const r of records) expect(read.rows.get(r.row)?.[mrn]).toBe(r.key);
  });
});
