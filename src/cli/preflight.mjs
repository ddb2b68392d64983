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
