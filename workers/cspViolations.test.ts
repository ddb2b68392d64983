import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import {
  CSP_VIOLATION_MESSAGE,
  type CspViolationMessage,
  describeBlockedUri,
  describeWorkerCspViolation,
  forwardCspViolations,
  isCspViolationMessage,
  WORKER_CSP_VIOLATION_PREFIX,
  type WorkerScope,
  watchWorkerCspViolations,
} from './cspViolations.ts';
import { createWorkerPool, type PoolWorker } from './pool.ts';

/** A worker global as far as forwardCspViolations can tell: events in, messages out. */
class FakeScope extends EventTarget {
  posted: CspViolationMessage[] = [];
  postMessage(message: CspViolationMessage): void {
    this.posted.push(message);
  }
  violate(fields: { effectiveDirective?: string; violatedDirective?: string; blockedURI?: string }): void {
    this.dispatchEvent(Object.assign(new Event('securitypolicyviolation'), fields));
  }
}

/** A Worker the pool can wrap, whose page-bound messages the test dispatches itself. */
class SilentWorker extends EventTarget implements PoolWorker {
  postMessage(): void {}
  terminate(): void {}
  send(data: unknown): void {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }
}

describe('describeBlockedUri', () => {
  it.each([
    { description: 'a CSP keyword as is', input: 'wasm-eval', expected: 'wasm-eval' },
    { description: 'eval', input: 'eval', expected: 'eval' },
    {
      description: 'an http URL as its origin only',
      input: 'https://fhir.example.org:8443/Patient?name=Doe',
      expected: 'https://fhir.example.org:8443',
    },
    { description: 'a data URL as its scheme', input: 'data:text/plain,Jane%20Doe', expected: 'data' },
    { description: 'a blob URL as its scheme', input: 'blob:http://127.0.0.1:4173/0b3c', expected: 'blob' },
    { description: 'an empty value', input: '', expected: 'unknown' },
    {
      description: 'something that is neither keyword nor URL',
      input: 'Jane Doe, 1970-01-01',
      expected: 'unknown',
    },
  ])('reports $description', ({ input, expected }) => {
    expect(describeBlockedUri(input)).toBe(expected);
  });
});

describe('forwardCspViolations (worker side)', () => {
  it('posts the directive and a content-free blocked description for each violation', () => {
    const scope = new FakeScope();
    forwardCspViolations(scope as unknown as WorkerScope);
    scope.violate({ effectiveDirective: 'script-src', blockedURI: 'wasm-eval' });
    scope.violate({ violatedDirective: 'connect-src', blockedURI: 'https://elsewhere.example/p?id=123' });
    expect(scope.posted).toEqual([
      { type: CSP_VIOLATION_MESSAGE, directive: 'script-src', blocked: 'wasm-eval' },
      { type: CSP_VIOLATION_MESSAGE, directive: 'connect-src', blocked: 'https://elsewhere.example' },
    ]);
    expect(scope.posted.every(isCspViolationMessage)).toBe(true);
  });

  it('stops when asked', () => {
    const scope = new FakeScope();
    const stop = forwardCspViolations(scope as unknown as WorkerScope);
    stop();
    scope.violate({ effectiveDirective: 'script-src', blockedURI: 'eval' });
    expect(scope.posted).toEqual([]);
  });

  it('is the first thing every worker entry does', () => {
    const here = fileURLToPath(new URL('.', import.meta.url));
    const entries = readdirSync(here).filter((name) => name.endsWith('.worker.ts'));
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      const source = readFileSync(join(here, entry), 'utf8');
      const call = source.indexOf('forwardCspViolations(self');
      expect(call, `${entry} forwards its CSP violations`).toBeGreaterThan(0);
      const expose = source.indexOf('Comlink.expose(');
      if (expose >= 0) expect(call, `${entry} forwards before it exposes its API`).toBeLessThan(expose);
    }
  });
});

describe('watchWorkerCspViolations (page side)', () => {
  it('reports forwarded violations and ignores every other message', () => {
    const worker = new SilentWorker();
    const report = vi.fn();
    const stop = watchWorkerCspViolations(worker, 'hash', report);
    worker.send({ id: 'comlink-call', type: 'RETURN', value: 1 });
    worker.send(null);
    worker.send({ type: CSP_VIOLATION_MESSAGE, directive: 'script-src' }); // malformed: no `blocked`
    worker.send({ type: CSP_VIOLATION_MESSAGE, directive: 'script-src', blocked: 'wasm-eval' });
    stop();
    worker.send({ type: CSP_VIOLATION_MESSAGE, directive: 'script-src', blocked: 'eval' });
    expect(report.mock.calls).toEqual([[{ directive: 'script-src', blocked: 'wasm-eval' }]]);
  });

  it('by default prints a console error naming the worker and the directive', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const worker = new SilentWorker();
      watchWorkerCspViolations(worker, 'hash');
      worker.send({ type: CSP_VIOLATION_MESSAGE, directive: 'script-src', blocked: 'wasm-eval' });
      expect(error.mock.calls).toEqual([
        [describeWorkerCspViolation('hash', { directive: 'script-src', blocked: 'wasm-eval' })],
      ]);
      expect(String(error.mock.calls[0]?.[0])).toMatch(
        new RegExp(`^${WORKER_CSP_VIOLATION_PREFIX} \\(hash\\): script-src blocked wasm-eval\\.$`),
      );
    } finally {
      error.mockRestore();
    }
  });

  it('is installed by the worker pool on every worker it creates, until the worker is dropped', async () => {
    const workers: SilentWorker[] = [];
    const violations = vi.fn();
    const pool = createWorkerPool<{ never(): Promise<void> }>({
      name: 'test',
      size: 1,
      create: () => {
        const worker = new SilentWorker();
        workers.push(worker);
        return worker;
      },
      onCspViolation: violations,
    });
    // a job that never answers keeps the worker alive while the test talks for it
    const job = pool.run((api) => api.never()).catch((error: unknown) => error);
    expect(workers).toHaveLength(1);
    workers[0]?.send({ type: CSP_VIOLATION_MESSAGE, directive: 'worker-src', blocked: 'blob' });
    expect(violations.mock.calls).toEqual([[{ directive: 'worker-src', blocked: 'blob' }]]);
    pool.destroy();
    await job;
    workers[0]?.send({ type: CSP_VIOLATION_MESSAGE, directive: 'script-src', blocked: 'eval' });
    expect(violations).toHaveBeenCalledTimes(1);
  });
});
