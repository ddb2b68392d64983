/**
 * HL7's terminology ecosystem suite, general mode, offline (the repository's copy,
 * tests/fixtures/tx-ecosystem): the score the engine reaches per operation, the false alarms (a
 * valid code called invalid) and the refusals the suite expects, with the time the whole run takes.
 * The score is the figure here; src/core/terminology/txEcosystem.test.ts holds it. The time has no
 * reference in the same run (no other offline engine answers these cases); it is printed to show
 * what a run costs.
 */
import { txEcosystemRun } from '../fixtures/txEcosystem.ts';
import { type BenchEntry, measure } from './bench.ts';

export const txSuiteBench: BenchEntry = {
  id: 'tx-suite',
  title: "HL7's terminology suite (general mode, offline): score and run time",
  async run() {
    let run = txEcosystemRun();
    const timing = await measure(async () => {
      run = txEcosystemRun();
    });
    const { outcomes, notRun } = run;
    const operations = [...new Set(outcomes.map((o) => o.operation))].sort();
    const rows = operations.map((operation) => {
      const cases = outcomes.filter((o) => o.operation === operation);
      const answered = cases.filter((o) => o.answerExpected);
      const refusals = cases.filter((o) => !o.answerExpected);
      return {
        operation,
        cases: cases.length,
        'answers as expected': `${answered.filter((o) => o.asExpected).length} of ${answered.length}`,
        'refusals as expected': `${refusals.filter((o) => o.asExpected).length} of ${refusals.length}`,
        'false alarms': answered.filter((o) => o.expectedResult === true && o.actualResult === false).length,
      };
    });
    const all = outcomes.filter((o) => o.asExpected).length;
    return {
      params: { cases: outcomes.length, repeats: timing.samplesMs.length },
      columns: ['operation', 'cases', 'answers as expected', 'refusals as expected', 'false alarms'],
      rows,
      notes: [
        `${all} of ${outcomes.length} cases as the suite expects (${((100 * all) / outcomes.length).toFixed(1)} %)`,
        `whole suite: median ${timing.medianMs.toFixed(0)} ms, best ${timing.bestMs.toFixed(0)} ms (${(
          (1000 * outcomes.length) / timing.medianMs
        ).toFixed(0)} cases a second)`,
        `cases of the copy not run: ${
          Object.entries(notRun)
            .map(([what, count]) => `${what} ${count}`)
            .join(', ') || 'none'
        } (the copy holds the general mode; \`preflight fhir tx-suite\` on the whole suite names the modes it leaves)`,
      ],
    };
  },
};
