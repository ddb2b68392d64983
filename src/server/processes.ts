/**
 * Processes on this host, as Node sees them: whether one still runs. The server's data lock asks
 * it of a lock's holder, and the CLI of a run folder's maker (src/cli/runFolders.ts), which sits
 * above the server and imports it; the server never imports the CLI.
 */

/** Whether a process with that id runs on this host (EPERM: it runs, as another user). */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
