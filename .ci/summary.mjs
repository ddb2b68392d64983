// The last lines of a CI run: the per-file CPU table npm test printed, every step of `npm test`
// (from the summary.json it wrote), then the checks .ci/run adds itself, then one closing
// "N passed, N failed, N skipped" line. A missing summary means the suites never ran, and says so.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir = '.ci/out', ...extra] = process.argv.slice(2);
const file = join(dir, 'summary.json');
const total = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
if (existsSync(file)) {
  const summary = JSON.parse(readFileSync(file, 'utf8'));
  total.passed += summary.passed;
  total.failed += summary.failed;
  total.skipped += summary.skipped;
  lines.push(...summary.lines);
} else {
  total.failed += 1;
  lines.push('npm test: NOT RUN (no summary.json): no suite was counted');
}
// extra checks come as name=exitCode pairs; name=skip is a check that could not be made here,
// counted as skipped and said loudly, never as a pass
for (const pair of extra) {
  const [name, code] = pair.split('=');
  if (code === 'skip') {
    total.skipped += 1;
    lines.push(`${name}: NOT CHECKED (see its output above)`);
  } else if (code === '0') {
    total.passed += 1;
    lines.push(`${name}: passed`);
  } else {
    total.failed += 1;
    lines.push(`${name}: FAILED (exit ${code})`);
  }
}
// the per-file CPU table npm test printed (tests/runAll.ts), again here so it stays in view
const table = join(dir, 'test-files-top.txt');
if (existsSync(table)) console.log(`\n${readFileSync(table, 'utf8').trimEnd()}`);
console.log('\n== CI summary');
for (const line of lines) console.log(line);
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 ? 1 : 0);
