import { describe, expect, it } from 'vitest';
import { JobCancelledError, WorkerCrashedError } from '../src/core/jobs/errors.ts';
import { createWorkerPool } from './pool.ts';
import { FakeWorker } from './testing/fakeWorker.ts';
import { createValidateApi, type ValidateRequest, type ValidateWorkerApi } from './validateApi.ts';
import { validateInPool } from './validateClient.ts';

/** A CSV over 4 MiB (more than one read chunk), with a quoted line break in some rows and every 7th row failing. */
function bigCsv(rows: number): Blob {
  const lines = ['id,code,note'];
  for (let i = 1; i <= rows; i++)
    lines.push(`${i},${i % 7 === 0 ? 'bad' : 'ABC'},"line one\nline ${i}, with comma"`);
  return new Blob([`${lines.join('\n')}\n`]);
}

const CONTRACT = {
  name: 'codes.json',
  id: 'codes',
  schema: {
    type: 'object',
    properties: {
      id: { type: 'string', pattern: '^\\d+$' },
      code: { type: 'string', pattern: '^[A-Z]{3}$' },
    },
  },
};

function request(file: Blob): ValidateRequest {
  return {
    toolVersion: '0',
    links: [],
    inputs: [
      {
        file,
        name: 'codes.csv',
        layout: { encoding: 'utf-8', delimiter: ',', quote: '"', header: true, lineEnding: '\n' },
        contract: CONTRACT,
        keys: [{ column: 'id' }],
      },
    ],
  };
}

function pool(size: number) {
  let created = 0;
  const workers = createWorkerPool<ValidateWorkerApi>({
    name: 'validate',
    size,
    create: () => {
      created++;
      return new FakeWorker(createValidateApi());
    },
  });
  return { workers, created: () => created };
}

describe('validation over the worker pool', () => {
  const file = bigCsv(120_000);

  it('validates two files at once, each whole in one worker, with the one-worker result', async () => {
    expect(file.size).toBeGreaterThan(4 * 1024 * 1024);
    const one = pool(1);
    const two = pool(2);
    const both = (r: ValidateRequest): ValidateRequest => {
      const input = r.inputs[0] as ValidateRequest['inputs'][number];
      return { ...r, inputs: [input, { ...input, name: 'second.csv' }] };
    };
    const [a, b] = [
      await validateInPool(one.workers, both(request(file))),
      await validateInPool(two.workers, both(request(file))),
    ];
    if (!a.ok || !b.ok) throw new Error('expected reports');
    expect(one.created()).toBe(1);
    expect(two.created()).toBe(2);
    expect(b.report.summary).toEqual(a.report.summary);
    expect(b.report.summary).toMatchObject({ records: 240_000, invalid: 2 * Math.floor(120_000 / 7) });
    expect(b.report.issues).toEqual(a.report.issues);
    expect(Array.from(b.failing[1]?.rows ?? [])).toEqual(Array.from(a.failing[1]?.rows ?? []));
    expect(Array.from(b.failing[1]?.offsets ?? [])).toEqual(Array.from(a.failing[1]?.offsets ?? []));
    one.workers.destroy();
    two.workers.destroy();
  });

  it('cancels the run, and the pool takes the next run', async () => {
    const two = pool(2);
    const controller = new AbortController();
    const run = validateInPool(two.workers, request(file), {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toBeInstanceOf(JobCancelledError);
    const next = await validateInPool(two.workers, request(new Blob(['id,code,note\n1,ABC,x\n'])));
    expect(next.ok && next.report.summary.valid).toBe(1);
    two.workers.destroy();
  });

  it.each([
    {
      description: 'with patterns names them beside memory',
      contract: CONTRACT,
      names: /"codes\.json" \(column code, column id\)/,
    },
    {
      description: 'without a contract blames memory only',
      contract: undefined,
      names: /most often the browser ran out of memory/,
    },
  ])('a worker that stops responding during a run $description', async ({ contract, names }) => {
    // a worker stuck in one value: it never reports progress again
    const workers = createWorkerPool<ValidateWorkerApi>({
      name: 'validate',
      size: 1,
      create: () =>
        new FakeWorker({ ...createValidateApi(), validateFile: () => new Promise<never>(() => {}) }),
    });
    const input = request(new Blob(['id,code\n1,ABC\n']));
    const only = input.inputs[0] as ValidateRequest['inputs'][number];
    const { contract: _contract, ...withoutContract } = only;
    const run = validateInPool(
      workers,
      { ...input, inputs: [contract ? only : withoutContract] },
      { stallMs: 20, digest: async () => '0'.repeat(64) },
    );
    const error = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    workers.destroy();
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect((error as WorkerCrashedError).reason).toBe('stalled');
    expect((error as WorkerCrashedError).message).toMatch(names);
    if (!contract) expect((error as WorkerCrashedError).message).not.toMatch(/pattern/);
  });
});
