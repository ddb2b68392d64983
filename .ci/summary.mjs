// Prints one closing line, "N passed, N failed, N skipped", from the vitest JSON reports that
// `npm test` wrote (unit and end-to-end), so CI logs end with a count a reader can trust.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? '.ci/out';
let passed = 0;
let failed = 0;
let skipped = 0;
const reports = existsSync(dir)
  ? readdirSync(dir).filter((f) => f.startsWith('vitest-') && f.endsWith('.json'))
  : [];
for (const file of reports) {
  const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}
if (reports.length === 0) {
  console.log('0 passed, 1 failed');
  console.error('no vitest reports found: the test suites did not run');
  process.exit(1);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
