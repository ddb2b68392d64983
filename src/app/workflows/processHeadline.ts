/**
 * The headline of one process on the Workflows list: its workflows (today's and the planned one)
 * and the few numbers that say how it runs — staff time, waiting and handoffs per patient, and what
 * the checks flag — without the full analysis, which has its own page per process.
 */
import { comparedPair, groupByProcess } from '../../core/workflow/index.ts';
import type { Finding } from '../../core/workflow/rules/index.ts';
import type { Workflow } from '../../formats/workflow.ts';
import { analyseProcess } from './analysis/useProcessAnalysis.ts';

/** A workflow's numbers per patient, or why it has none. */
export type HeadlineNumbers =
  | { ok: true; touchMin: number; waitMin: number; handoffs: number }
  | { ok: false; reason: string };

/** One process as the list shows it. */
export interface ProcessHeadline {
  /** the process's key: the part of its address that names it */
  key: string;
  title: string;
  /** the process's workflows, current before future */
  workflows: Workflow[];
  current?: { workflow: Workflow; numbers: HeadlineNumbers; findings: readonly Finding[] };
  future?: { workflow: Workflow; numbers: HeadlineNumbers; findings: readonly Finding[] };
}

/** "patient-intake" → "Patient intake" */
export function processTitle(process: string): string {
  const words = process.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function numbersOf(metrics: ReturnType<typeof analyseProcess>['current']): HeadlineNumbers {
  if (!metrics) return { ok: false, reason: 'not analysed' };
  if (!metrics.metrics.ok) return { ok: false, reason: 'cannot be timed: it has a loop with no way out' };
  const m = metrics.metrics.metrics;
  return { ok: true, touchMin: m.touchMin, waitMin: m.waitMin + m.queueWaitMin, handoffs: m.handoffs };
}

/** The headline of every process of `workflows`, in the order the processes first appear. */
export function processHeadlines(
  workflows: readonly Workflow[],
  projectSettings: Readonly<Record<string, unknown>>,
): ProcessHeadline[] {
  return groupByProcess(workflows).map(([key, group]) => {
    const { current, future } = comparedPair(group);
    const analysis = analyseProcess(current, future, projectSettings);
    return {
      key,
      title: processTitle(key),
      workflows: group,
      ...(current && analysis.current
        ? {
            current: {
              workflow: current,
              numbers: numbersOf(analysis.current),
              findings: analysis.current.findings,
            },
          }
        : {}),
      ...(future && analysis.future
        ? {
            future: {
              workflow: future,
              numbers: numbersOf(analysis.future),
              findings: analysis.future.findings,
            },
          }
        : {}),
    };
  });
}
