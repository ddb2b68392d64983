/**
 * The trace on the Migration screen: the project's data dictionary resolved once
 * (`createTraceIndex`, src/core/trace) and given to every report shown below it, so each failing
 * issue carries `usedBy` — on screen and in the report saved or exported from it. Without a
 * provider a report is shown as it is.
 */
import { createContext, type ReactNode, useContext, useMemo } from 'react';
import { createTraceIndex, type TraceIndex, traceReport } from '../../core/trace/index.ts';
import { readDataDictionary } from '../../formats/dataDictionary.ts';
import type { Project } from '../../formats/project.ts';
import type { Report } from '../../formats/report.ts';

const TraceContext = createContext<TraceIndex | null>(null);

/** Gives the reports below it what depends on each failing issue, from `project`'s dictionary. */
export function TraceProvider({ project, children }: { project: Project; children: ReactNode }) {
  const index = useMemo(
    () => createTraceIndex(project, readDataDictionary(project.meta.settings)),
    [project],
  );
  return <TraceContext.Provider value={index}>{children}</TraceContext.Provider>;
}

/** `report` with `usedBy` on each failing issue the project's dictionary traces (as it is without a provider). */
export function useTracedReport(report: Report): Report {
  const index = useContext(TraceContext);
  return useMemo(() => (index ? traceReport(report, index) : report), [report, index]);
}
