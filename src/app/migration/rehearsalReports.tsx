/**
 * The project's kept runs, for the report views of the Migration screen: an export of a run
 * carries its comparison with the run before it (fixed, new, still failing, worse), as the CLI's
 * `--compare` writes it, whichever view the run is shown in.
 */
import { createContext, type ReactNode, useCallback, useContext } from 'react';
import { compareReports, previousRehearsal } from '../../core/validation/index.ts';
import type { Report } from '../../formats/report.ts';

const RehearsalReportsContext = createContext<readonly Report[]>([]);

/** Gives the report views below it the project's kept runs. */
export function RehearsalReportsProvider({
  reports,
  children,
}: {
  reports: readonly Report[];
  children: ReactNode;
}) {
  return <RehearsalReportsContext.Provider value={reports}>{children}</RehearsalReportsContext.Provider>;
}

/**
 * A function giving a report with its comparison to the previous run of the same check, when the
 * project kept one made earlier (a report that carries a comparison already keeps it). The run
 * itself, kept under the same time, is never its own previous run.
 */
export function useWithComparison(): (report: Report) => Report {
  const reports = useContext(RehearsalReportsContext);
  return useCallback(
    (report: Report) => {
      if (report.comparison) return report;
      const at = Date.parse(report.generatedAt);
      const earlier = reports.filter((r) => Date.parse(r.generatedAt) < at);
      const previous = previousRehearsal(earlier, report);
      return previous ? { ...report, comparison: compareReports(previous, report) } : report;
    },
    [reports],
  );
}
