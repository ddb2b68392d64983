// Test-only: preloaded with `node --import` by the killed-run tests (never by the CLI). The first
// time the CLI puts a finished `.partial` copy in place, it says so on stderr ("stopped before
// renaming <file>") and waits for ever instead, so the test kills the run on that line, at the one
// moment the copy is whole and the file it replaces is not yet touched.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';

const rename = fs.promises.rename;
fs.promises.rename = (from, to) => {
  if (!String(from).endsWith('.partial')) return rename(from, to);
  process.stderr.write(`stopped before renaming ${path.basename(String(to))}\n`);
  // an interval keeps the process alive while it waits to be killed
  setInterval(() => undefined, 60_000);
  return new Promise(() => undefined);
};
// named imports of node:fs/promises in the CLI see the replacement
syncBuiltinESMExports();
