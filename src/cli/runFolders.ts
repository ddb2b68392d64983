/**
 * Temporary folders of one run (key files, DuckDB's copies, failing records and spill files)
 * removed when the run ends, also when it is stopped by SIGINT (Ctrl-C) or SIGTERM: some hold
 * record content, which must not stay on disk after the run.
 */
import { rmSync } from 'node:fs';

/** Signals that end a run whose temporary files must not be left behind. */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * Removes `folder` (which the run made) if the process is stopped by SIGINT or SIGTERM; the
 * returned `remove` deletes it when the run ends and stops watching for the signals.
 */
export function removeWhenStopped(folder: string): () => void {
  const remove = () => {
    for (const signal of STOP_SIGNALS) process.removeListener(signal, onSignal);
    rmSync(folder, { recursive: true, force: true });
  };
  // a stopped run ends without `finally`: the folder goes first, then the signal is raised again
  // so the process ends as it would have (a shell shows 130 for Ctrl-C, 143 for SIGTERM)
  function onSignal(signal: NodeJS.Signals): void {
    remove();
    process.kill(process.pid, signal);
  }
  for (const signal of STOP_SIGNALS) process.once(signal, onSignal);
  return remove;
}
