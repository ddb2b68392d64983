/**
 * Set-up for every unit and component test file. Files share their worker's process (vitest
 * `isolate: false`), so what one file changes in the process is put back when it ends: real
 * clocks, the globals and environment variables stubbed through vitest, spies, the browser
 * storage jsdom keeps between files, and the page's cache of team-server reads. A file that
 * changes anything else restores it itself.
 */
import { afterAll, vi } from 'vitest';

afterAll(async () => {
  // a file that renders the app in jsdom leaves the page's cache of team-server reads, keyed by
  // the page's own origin: the next file's screens would first show the last file's projects
  if (typeof window !== 'undefined') {
    const { forgetTeamReads, pageTeamReads } = await import('../../src/app/team/teamQuery.ts');
    forgetTeamReads(pageTeamReads);
  }
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  if (typeof localStorage !== 'undefined') localStorage.clear();
  if (typeof sessionStorage !== 'undefined') sessionStorage.clear();
});
