#!/usr/bin/env node
// Entry of the `preflight` command. It registers tsx so the TypeScript CLI in
// src/cli/main.ts runs as-is on Node 20, with no separate build step to forget.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
