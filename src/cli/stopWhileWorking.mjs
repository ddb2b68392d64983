// Test-only: preloaded with `node --import` by the killed-run tests (never by the CLI). The CLI
// marks every file it will write with an empty `.partial` copy when it starts, then works, then
// writes. The first time it opens a marked copy again to write into it, this says so on stderr
// ("stopped while working, before writing <file>") and blocks the process for ever, so the test
// kills the run on that line: the files on disk are as they are all through the working phase
// (the earlier files untouched, an empty mark beside each), and nothing moves while it is killed.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';

const PARTIAL = '.partial';
const marked = new Set();

function stop(file) {
  // written synchronously: the process blocks right after
  fs.writeSync(2, `stopped while working, before writing ${path.basename(file).slice(0, -PARTIAL.length)}\n`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}

const open = fs.promises.open;
fs.promises.open = (file, flags, mode) => {
  const name = path.resolve(String(file));
  if (name.endsWith(PARTIAL) && flags === 'w') {
    if (marked.has(name)) stop(name);
    marked.add(name);
  }
  return open(file, flags, mode);
};

const createWriteStream = fs.createWriteStream;
fs.createWriteStream = (file, options) => {
  const name = path.resolve(String(file));
  if (name.endsWith(PARTIAL) && marked.has(name)) stop(name);
  return createWriteStream(file, options);
};
// named imports of node:fs and node:fs/promises in the CLI see the replacements
syncBuiltinESMExports();
