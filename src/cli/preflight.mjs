#!/usr/bin/env node
// Entry of the `preflight` command. The TypeScript CLI in src/cli/main.ts runs as-is on Node 20,
// with no separate build step to forget: cliBundle.mjs loads it from a kept esbuild bundle that
// it rebuilds whenever a source changed (start-up ≈ 0.3 s instead of ≈ 0.6 s through tsx), and
// through tsx when esbuild cannot run.
import { loadCliMain } from './cliBundle.mjs';

const main = await loadCliMain();
process.exitCode = await main(process.argv.slice(2));
