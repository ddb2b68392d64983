#!/usr/bin/env node
// Entry of the `preflight` command: the CLI built by `npm run build:cli` (dist-cli/, a code-split
// esbuild bundle that starts in about half the time), else src/cli/main.ts through tsx.
import { loadEntry } from './loadEntry.mjs';

const { main } = await loadEntry('main');
process.exitCode = await main(process.argv.slice(2));
