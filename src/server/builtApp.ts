/**
 * What the build leaves beside the app in `dist/` for the servers that serve it: each worker's
 * scripts, so a worker's CSP can name exactly its own bundle. Read by `npm start`
 * (vite.config.ts) and by `preflight serve`, so both serve the same policies.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Where the build writes each worker's scripts, inside the output folder (never served). */
export const WORKER_SCRIPTS_FILE = '.vite/worker-scripts.json';

/**
 * The scripts of the built worker `file` (`assets/…`), from the build's chunk graph in `outDir`;
 * undefined if unknown. The graph is read at the first call that finds it.
 */
export function builtWorkerScripts(outDir: string): (file: string) => string[] | undefined {
  let graph: Record<string, string[]> | undefined;
  return (file) => {
    try {
      graph ??= JSON.parse(readFileSync(path.resolve(outDir, WORKER_SCRIPTS_FILE), 'utf8')) as Record<
        string,
        string[]
      >;
    } catch {
      return undefined;
    }
    return graph[file];
  };
}
