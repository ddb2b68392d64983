import { defineConfig } from 'vitest/config';
import { WAITS } from '../waits.ts';

/**
 * End-to-end tests: real headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core
 * against the production build served with its security headers on 127.0.0.1.
 * Two spec files at a time, each in contexts of its own in its worker's one browser (browser.ts):
 * a spec spends much of its time waiting on the page (a worker, a download, a server), and the
 * second file uses the core the first leaves idle. Spec files share their worker's process
 * (`isolate: false`), so playwright, the helpers and the browser start once per worker, not once
 * per file; a spec keeps its state in its own scope and closes what it opened (decision 0089).
 * Each spec's CPU, its browser's included, goes to the per-file table (tests/setup/fileCpu.ts).
 */
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.spec.ts'],
    globalSetup: ['tests/e2e/globalSetup.ts'],
    setupFiles: ['tests/setup/fileCpu.ts', 'tests/setup/testCpu.ts', 'tests/e2e/waits.setup.ts'],
    fileParallelism: true,
    maxWorkers: 2,
    isolate: false,
    // Every bound scales with the machine as the budget does (tests/waits.ts), Playwright's own
    // waits included (tests/e2e/waits.setup.ts).
    testTimeout: WAITS.e2eTest,
    hookTimeout: WAITS.e2eHook,
    // expect.poll waits for a condition on the page; its default bound (1 s) is shorter than a
    // render or a worker's round trip on a loaded machine. It gets Playwright's waits' bound. A
    // bound only names a hang; a condition that holds ends the wait at once.
    expect: { poll: { timeout: WAITS.page } },
    environment: 'node',
    ...(process.env.PREFLIGHT_TEST_RESULTS
      ? {
          // and the files started and finished, for naming the ones a stalled run left (tests/stepWatch.ts)
          reporters: ['default', 'json', './tests/fileProgressReporter.ts'],
          outputFile: { json: `${process.env.PREFLIGHT_TEST_RESULTS}/vitest-e2e.json` },
        }
      : {}),
  },
});
