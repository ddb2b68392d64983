/**
 * Temporary folders of one run (key files, Parquet files' rows as CSV text, failing records)
 * removed when the run ends, also when it is stopped by SIGINT (Ctrl-C) or SIGTERM: some hold
 * record content, which must not stay on disk after the run.
 *
 * A run killed outright (SIGKILL, a crash, a power cut) removes nothing, so each folder's name
 * says which process made it (`preflight-<kind>-<pid>-<random>`): making a run folder first
 * removes the folders of processes that no longer run ({@link removeFoldersOfEndedRuns}). A
 * folder whose process still runs — or whose number a new process has taken — is left alone.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { processRuns } from '../server/processes.ts';

/** Signals that end a run whose temporary files must not be left behind. */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** What a run folder holds: key files, Parquet files' rows as CSV text, compressed files' text, or PostgreSQL's failing records. */
type RunFolderKind = 'keys' | 'parquet' | 'decompressed' | 'postgres';

/**
 * The name of a run folder: kind, the process id of the run, mkdtemp's six characters ("duckdb":
 * the folders of versions that had a DuckDB engine, still removed once their run has ended).
 */
const RUN_FOLDER = /^preflight-(?:keys|parquet|decompressed|duckdb|postgres)-(\d+)-[A-Za-z0-9]{6}$/;

/**
 * Makes a new run folder in `temp` (default: the system's, TMPDIR), named for this process,
 * after removing those of runs that ended without removing theirs.
 */
export function makeRunFolder(kind: RunFolderKind, temp: string = tmpdir()): string {
  removeFoldersOfEndedRuns(temp);
  return mkdtempSync(path.join(temp, `preflight-${kind}-${process.pid}-`));
}

/**
 * Removes the run folders in `temp` whose process no longer runs; returns their names. Best
 * effort: a folder that cannot be removed (another user's) stays, and nothing here fails a run.
 */
export function removeFoldersOfEndedRuns(temp: string = tmpdir()): string[] {
  let names: string[];
  try {
    names = readdirSync(temp);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = RUN_FOLDER.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || processRuns(pid)) continue;
    try {
      rmSync(path.join(temp, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // another user's folder, or one being removed by someone else: left as it is
    }
  }
  return removed;
}

/**
 * A new run folder (as {@link makeRunFolder}) that goes when the run ends (`remove`) or is stopped
 * by SIGINT or SIGTERM. The signals are watched before the folder exists, so a stop that comes
 * while it is being made still removes it.
 */
export function makeStoppableRunFolder(
  kind: RunFolderKind,
  temp: string = tmpdir(),
): { folder: string; remove: () => void } {
  let folder: string | undefined;
  const remove = () => {
    for (const signal of STOP_SIGNALS) process.removeListener(signal, onSignal);
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  };
  // a stopped run ends without `finally`: the folder goes first, then the signal is raised again
  // so the process ends as it would have (a shell shows 130 for Ctrl-C, 143 for SIGTERM)
  function onSignal(signal: NodeJS.Signals): void {
    remove();
    process.kill(process.pid, signal);
  }
  for (const signal of STOP_SIGNALS) process.once(signal, onSignal);
  try {
    folder = makeRunFolder(kind, temp);
  } catch (error) {
    remove();
    throw error;
  }
  return { folder, remove };
}

/** What a step that fills a run folder gets: the folder, and a way to close what it opens there. */
export interface RunFolderFill {
  folder: string;
  /** `closer` runs when the run's inputs are closed, before the folder is removed */
  closeWhenDone: (closer: () => Promise<void>) => void;
}

/**
 * Runs `fill` in a new stoppable run folder (as {@link makeStoppableRunFolder}) and returns what it
 * returns with `close`: every closer `fill` registered, then the folder removed. When `fill`
 * throws, the same happens before the error goes on, so no file handle or record text is left.
 */
export async function inRunFolder<T extends object>(
  kind: RunFolderKind,
  fill: (run: RunFolderFill) => Promise<T>,
): Promise<T & { close: () => Promise<void> }> {
  const folder = makeStoppableRunFolder(kind);
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    await Promise.all(closers.map((closer) => closer()));
    folder.remove();
  };
  try {
    return { ...(await fill({ folder: folder.folder, closeWhenDone: (c) => closers.push(c) })), close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Lets the event loop take a pending SIGINT or SIGTERM between two long synchronous steps of a
 * run: a signal handler (the one above) runs only when the loop is free, and an `await` of a
 * settled promise does not free it. Each step of a run is bounded; this keeps a stop from waiting
 * for the steps after it too.
 */
export function yieldToSignals(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
