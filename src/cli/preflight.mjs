#!/usr/bin/env node
// Entry of the `preflight` command: the CLI built by `npm run build:cli` (dist-cli/, a code-split
// esbuild bundle that starts in about half the time) while it matches the sources, else
// src/cli/main.ts through tsx (loadEntry.mjs).
import { loadEntry } from './loadEntry.mjs';

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
