/**
 * HL7's validator test cases through `preflight fhir validate` (tests/fixtures/hl7Cases.ts): per
 * module, the runs that agree with the Java validator's stored outcome, over-report (an error where
 * Java has none, or more errors than Java) or under-report (Java errors, we pass), and the cases
 * not scored or not copied, with the reasons counted. The score is the figure here; the recorded
 * floor (tests/fixtures/hl7CasesFloor.json) is held by src/cli/commands/fhirValidateHl7Cases.test.ts.
 *
 * `npm run bench -- hl7-cases --record` writes today's score as the floor.
 */
import { writeFileSync } from 'node:fs';
import {
  type CaseRun,
  changedSince,
  FLOOR_FILE,
  floor,
  floorOf,
  runCases,
  scoredCases,
  scoreOf,
  selection,
} from '../fixtures/hl7Cases.ts';
import type { BenchEntry } from './bench.ts';

/** The counts of `values`, most frequent first, as "reason (n)" phrases. */
function grouped(values: string[], limit = 8): string[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([v, n]) => `${v} (${n})`);
}

const percent = (n: number, of: number) => `${of === 0 ? '0' : ((100 * n) / of).toFixed(1)} %`;

export const hl7CasesBench: BenchEntry = {
  id: 'hl7-cases',
  title: "HL7's validator test cases (enabled R4, offline) through `preflight fhir validate`, against Java",
  async run(options) {
    const runs: CaseRun[] = await runCases(scoredCases());
    const all = scoreOf(runs);
    const modules = [...new Set(selection.cases.map((c) => c.module))].sort();
    const rows = modules.map((module) => {
      const ofModule = runs.filter((r) => r.module === module);
      const cases = selection.cases.filter((c) => c.module === module);
      const s = scoreOf(ofModule);
      return {
        module,
        cases: cases.length,
        runs: s.runs,
        agree: s.agree,
        over: s.over,
        under: s.under,
        'not run': s.notRun,
        'not scored': cases.filter((c) => c.notScored).length,
        'not copied': cases.filter((c) => c.notCopied).length,
      };
    });
    const recorded = floor();
    const notes = [
      `${all.agree} of ${all.runs} runs agree with Java (${percent(all.agree, all.runs)}), ${all.over} over-report, ${all.under} under-report, ${all.notRun} not run; ${selection.cases.length} enabled R4 cases at ${selection.commit.slice(0, 12)}`,
      `over-reports by our error rules: ${grouped(runs.filter((r) => r.verdict === 'over').map((r) => r.why)).join('; ') || 'none'}`,
      `under-reports by module: ${grouped(runs.filter((r) => r.verdict === 'under').map((r) => r.module)).join('; ') || 'none'}`,
      `not run: ${grouped(runs.filter((r) => r.verdict === 'not run').map((r) => r.why)).join('; ') || 'none'}`,
      `not scored (an option Preflight lacks): ${grouped(selection.cases.flatMap((c) => c.notScored ?? [])).join('; ')}`,
      `not copied: ${grouped(selection.cases.flatMap((c) => (c.notCopied ? [c.notCopied.replace(/:.*/, '')] : []))).join('; ')}`,
      `floor (${FLOOR_FILE.replace(/.*tests\//, 'tests/')}, recorded ${recorded.recorded}): agree ≥ ${recorded.agree}, over ≤ ${recorded.over}; ${
        all.agree >= recorded.agree && all.over <= recorded.over ? 'held' : 'NOT HELD'
      }`,
    ];
    const changed = changedSince(recorded, runs);
    if (changed.length > 0) notes.push(`changed since the floor: ${changed.join('; ')}`);
    if (options?.flags.includes('--record')) {
      writeFileSync(
        FLOOR_FILE,
        `${JSON.stringify(floorOf(runs, new Date().toISOString().slice(0, 10)), null, 2)}\n`,
      );
      notes.push(`recorded as the floor: agree ${all.agree}, over ${all.over}`);
    }
    return {
      params: { runs: all.runs, commit: selection.commit.slice(0, 12) },
      columns: ['module', 'cases', 'runs', 'agree', 'over', 'under', 'not run', 'not scored', 'not copied'],
      rows,
      notes,
    };
  },
};
