#!/usr/bin/env node
// Entry of the `preflight` command: the CLI built by `npm run build:cli` (dist-cli/, a code-split
// esbuild bundle that starts in about half the time) while it matches the sources, else
// src/cli/main.ts through tsx (loadEntry.mjs).
//
// Node's compile cache keeps the bytecode of every module compiled after it is turned on (in the
// system's temporary folder, or NODE_COMPILE_CACHE; NODE_DISABLE_COMPILE_CACHE=1 turns it off), so
// a later start skips compiling them again: turned on before anything else loads, hence the
// dynamic import. Node before 22.1 has no such cache and starts as before.
import module from 'node:module';

// `workflow` commands read event logs of millions of rows, whose cells die young: with V8's default
// young generation the nursery alone held about 110 MB at the peak (a 197 MB log: 414 MB against
// 300 MB with 8 MB, at the same CPU; tests/bench/RESULTS.md). The flag can only be given at start,
// so the process replaces itself once with it (same process id, signals and stdio: a kill or a gate
// still reaches it), where Node can (process.execve: not on Windows). The validation workers run
// with the same 8 MB (validateWorkers.ts).
const NURSERY_FLAG = '--max-semi-space-size=8';
if (
  process.argv[2] === 'workflow' &&
  typeof process.execve === 'function' &&
  ![...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('--max-semi-space-size'))
) {
  process.execve(
    process.execPath,
    [process.execPath, NURSERY_FLAG, ...process.execArgv, ...process.argv.slice(1)],
    process.env,
  );
}

module.enableCompileCache?.();
const { loadEntry } = await import('./loadEntry.mjs');

const { main } = await loadEntry('main', {
  // a developer who built once and edited since: say why start-up is slower (a terminal only)
  onStale: () => {
    if (process.stderr.isTTY)
      process.stderr.write(
        'preflight: dist-cli/ is older than the sources, running the sources (npm run build:cli)\n',
      );
  },
});
process.exitCode = await main(process.argv.slice(2));
