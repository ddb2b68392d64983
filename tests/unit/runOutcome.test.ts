import { describe, expect, it } from 'vitest';
import { outcomeOf, type VitestReport } from '../runOutcome.ts';

const unit = { name: 'unit', report: 'unit' };
const report = (r: VitestReport): VitestReport => r;

describe('the closing line of npm test', () => {
  const cases: {
    description: string;
    step: { name: string; report?: string };
    exit: number;
    report?: VitestReport;
    expected: { passed: number; failed: number; skipped: number; says?: string };
  }[] = [
    {
      description: 'lint passing is one check',
      step: { name: 'lint' },
      exit: 0,
      expected: { passed: 1, failed: 0, skipped: 0, says: 'lint: passed' },
    },
    {
      description: 'lint failing is one failure',
      step: { name: 'lint' },
      exit: 1,
      expected: { passed: 0, failed: 1, skipped: 0, says: 'lint: FAILED' },
    },
    {
      description: 'a suite with no report did not run',
      step: { name: 'e2e', report: 'e2e' },
      exit: 1,
      expected: { passed: 0, failed: 1, skipped: 0, says: 'e2e: NOT RUN' },
    },
    {
      description: 'a clean report counts its tests',
      step: unit,
      exit: 0,
      report: report({
        numPassedTests: 10,
        numFailedTests: 0,
        numPendingTests: 2,
        numTodoTests: 1,
        testResults: [],
      }),
      expected: { passed: 10, failed: 0, skipped: 3 },
    },
    {
      description: 'a file that failed to load counts as a failure',
      step: unit,
      exit: 1,
      report: report({
        numPassedTests: 5,
        numFailedTests: 0,
        testResults: [
          { name: 'a.test.ts', status: 'passed', assertionResults: [{}] },
          { name: 'b.test.ts', status: 'failed', assertionResults: [] },
        ],
      }),
      expected: { passed: 5, failed: 1, skipped: 0, says: 'b.test.ts' },
    },
    {
      description: 'a suite that ran no test fails',
      step: unit,
      exit: 0,
      report: report({ numPassedTests: 0, numFailedTests: 0, testResults: [] }),
      expected: { passed: 0, failed: 1, skipped: 0, says: 'ran no test' },
    },
    {
      description: 'a non-zero exit with no failed test fails',
      step: unit,
      exit: 1,
      report: report({ numPassedTests: 3, numFailedTests: 0, testResults: [] }),
      expected: { passed: 3, failed: 1, skipped: 0, says: 'exited 1' },
    },
    {
      description: 'failed tests are counted as they are',
      step: unit,
      exit: 1,
      report: report({ numPassedTests: 3, numFailedTests: 2, testResults: [] }),
      expected: { passed: 3, failed: 2, skipped: 0 },
    },
  ];
  for (const c of cases) {
    it(c.description, () => {
      const outcome = outcomeOf(c.step, c.exit, c.report);
      expect({ passed: outcome.passed, failed: outcome.failed, skipped: outcome.skipped }).toEqual({
        passed: c.expected.passed,
        failed: c.expected.failed,
        skipped: c.expected.skipped,
      });
      if (c.expected.says) expect(outcome.line).toContain(c.expected.says);
    });
  }
});
