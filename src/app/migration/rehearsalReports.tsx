/**
 * The project's kept runs, for the report views of the Migration screen: an export of a run
 * carries its comparison with the run before it (fixed, new, still failing, worse), as the CLI's
 * `--compare` writes it, whichever view the run is shown in. On a project shared with a team
 * server the run before is the team's (any member's shared run, as the Rehearsals card compares);
 * one whose summary kept no problems gives no comparison.
 */
import { createContext, type ReactNode, useCallback, useContext, useMemo } from 'react';
import {
  type RehearsalCheck,
  rehearsalHistory,
  type SharedRunSummary,
} from '../../core/teamRecords/index.ts';
import { compareRuns, isComparable, rehearsalKey, runOfReport } from '../../core/validation/index.ts';
import type { Report } from '../../formats/report.ts';

const RehearsalReportsContext = createContext<readonly RehearsalCheck[]>([]);

/**
 * Gives the report views below it the project's rehearsals: its kept runs (`reports`) and, on a
 * shared project, the runs the team shared (`shared`; absent: this browser's alone).
 */
export function RehearsalReportsProvider({
  reports,
  shared,
  children,
}: {
  reports: readonly Report[];
  shared?: readonly SharedRunSummary[] | undefined;
  children: ReactNode;
}) {
  const checks = useMemo(() => rehearsalHistory(reports, shared), [reports, shared]);
  return <RehearsalReportsContext.Provider value={checks}>{children}</RehearsalReportsContext.Provider>;
}

/**
 * A function giving a report with its comparison to the previous run of the same check, when the
 * project kept one made earlier (a report that carries a comparison already keeps it). The run
 * itself, kept under the same time, is never its own previous run.
 */
export function useWithComparison(): (report: Report) => Report {
  const checks = useContext(RehearsalReportsContext);
  return useCallback(
    (report: Report) => {
      if (report.comparison) return report;
      const at = Date.parse(report.generatedAt);
      const key = rehearsalKey(report);
      const previous = checks
        .find((c) => c.key === key)
        ?.runs.filter(
          (r) => Date.parse(r.run.generatedAt) < at && (report.id === undefined || r.run.id !== report.id),
        )
        .at(-1);
      return previous && isComparable(previous.run)
        ? { ...report, comparison: compareRuns(previous.run, runOfReport(report)) }
        : report;
    },
    [checks],
  );
}
