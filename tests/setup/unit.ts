/**
 * Set-up for every unit and component test file. Files share their worker's process (vitest
 * `isolate: false`), so what one file changes in the process is put back when it ends: real
 * clocks, the globals and environment variables stubbed through vitest, spies, and the browser
 * storage jsdom keeps between files. A file that changes anything else restores it itself.
 */
import { afterAll, vi } from 'vitest';

afterAll(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  if (typeof localStorage !== 'undefined') localStorage.clear();
  if (typeof sessionStorage !== 'undefined') sessionStorage.clear();
});
