import './analysis.css';
import { type ReactNode, useId, useState } from 'react';
import type { Workflow } from '../../../formats/workflow.ts';
import { plural } from '../../common/format.ts';
import { Tabs } from '../../common/Tabs.tsx';
import { PROCESS_TABS, type ProcessTab } from '../../route.ts';
import { CapacityPanel } from './CapacityPanel.tsx';
import { ComparePanel } from './ComparePanel.tsx';
import { FindingsPanel } from './FindingsPanel.tsx';
import { RoleChecklist } from './RoleChecklist.tsx';
import { RuleSettings } from './RuleSettings.tsx';
import { StepsTable } from './StepsTable.tsx';
import { findingsSummary } from './severity.ts';
import { useProcessAnalysis } from './useProcessAnalysis.ts';

/** Steps a finding pointed at, and a counter that moves focus to them on each request. */
interface Highlight {
  workflowId: string;
  stepIds: ReadonlySet<string>;
  request: number;
}

const NONE: ReadonlySet<string> = new Set();

/**
 * A workflow's steps table, folded until the user opens it or a finding asks to show its steps
 * (each request opens it, so the steps are there to be focused).
 */
function FoldedSteps({
  workflow,
  highlighted,
  focusRequest,
}: {
  workflow: Workflow;
  highlighted: ReadonlySet<string>;
  focusRequest: number;
}) {
  const [open, setOpen] = useState(false);
  const [openedFor, setOpenedFor] = useState(0);
  // a new request to show steps opens the table during render, before its focus effect runs
  if (focusRequest !== openedFor) {
    setOpenedFor(focusRequest);
    if (focusRequest !== 0) setOpen(true);
  }
  return (
    <details
      className="steps-fold"
      open={open}
      onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>
        Steps of {workflow.name} ({workflow.state === 'current' ? 'today' : 'planned'},{' '}
        {plural(workflow.steps.length, 'step')})
      </summary>
      <StepsTable workflow={workflow} highlighted={highlighted} focusRequest={focusRequest} />
    </details>
  );
}

/** The tabs that need both a current and a planned workflow. */
const PAIR_TABS: ReadonlySet<ProcessTab> = new Set(['compare', 'training']);

/**
 * The page of one process, as tabs: its map (the workflows, to open in the editor), the findings
 * linked to their steps, today's workflow against the planned one that replaces it, the training
 * checklists per role, go-live capacity and the project's check settings. Which tab is shown is
 * part of the address (`tab`, changed through `onTab`), so Back and Forward step through them.
 */
export function PairAnalysis({
  title,
  current,
  future,
  tab,
  onTab,
  map,
  capacityHref,
  modelStanding,
  projectSettings,
  onWorkflowChange,
  onSettingsChange,
}: {
  title: string;
  current: Workflow | undefined;
  future: Workflow | undefined;
  tab: ProcessTab;
  onTab: (tab: ProcessTab, options: { replace: boolean }) => void;
  /** the Map tab's content */
  map: ReactNode;
  /** where the header's note of a finished capacity study leads (this process's capacity tab) */
  capacityHref: string;
  /** on the Capacity tab, above the study: whether today's workflow's model was checked against a log */
  modelStanding?: ReactNode;
  projectSettings: Readonly<Record<string, unknown>>;
  onWorkflowChange?: (workflow: Workflow) => void;
  onSettingsChange?: (settings: Record<string, unknown>) => void;
}) {
  const analysis = useProcessAnalysis(current, future, projectSettings);
  const [shown, setShown] = useState<'future' | 'current'>(future ? 'future' : 'current');
  const [highlight, setHighlight] = useState<Highlight | null>(null);
  const id = useId();
  const main = future ?? current;
  if (!main) return null;

  const paired = current !== undefined && future !== undefined;
  const tabs = PROCESS_TABS.filter((t) => paired || !PAIR_TABS.has(t.id));
  const selected = tabs.some((t) => t.id === tab) ? tab : null;
  const label = PROCESS_TABS.find((t) => t.id === tab)?.label ?? '';

  const shownWorkflow = shown === 'future' && future ? future : (current ?? main);
  const shownAnalysis = shownWorkflow === future ? analysis.future : analysis.current;
  const showSteps = (workflowId: string, stepIds: string[]) =>
    setHighlight((h) => ({ workflowId, stepIds: new Set(stepIds), request: (h?.request ?? 0) + 1 }));
  const highlightOf = (w: Workflow) => (highlight?.workflowId === w.id ? highlight.stepIds : NONE);
  const requestOf = (w: Workflow) => (highlight?.workflowId === w.id ? highlight.request : 0);

  return (
    <section className="analysis" aria-label={`Analysis of ${title}`}>
      <Tabs label={`Analysis of ${title}`} tabs={tabs} selected={selected} onSelect={onTab}>
        <h3 className="visually-hidden">{label}</h3>
        {selected === null && (
          <p className="empty">
            {label} needs both today's workflow and a planned one that replaces it. This process has only{' '}
            {current ? "today's" : 'a planned'} workflow: add the other one, or choose another tab.
          </p>
        )}
        {selected === 'map' && map}
        {selected === 'findings' && (
          <>
            {current && future && (
              <fieldset className="segmented">
                <legend className="visually-hidden">Findings of</legend>
                {(['future', 'current'] as const).map((which) => {
                  const w = which === 'future' ? future : current;
                  const a = which === 'future' ? analysis.future : analysis.current;
                  return (
                    <label key={which}>
                      <input
                        type="radio"
                        name={`${id}-shown`}
                        checked={shown === which}
                        onChange={() => setShown(which)}
                      />
                      {which === 'future' ? 'Planned' : 'Today'}: {w.name} —{' '}
                      {a ? findingsSummary(a.findings) : ''}
                    </label>
                  );
                })}
              </fieldset>
            )}
            <div className="findings-layout">
              {shownAnalysis && (
                <FindingsPanel
                  workflow={shownWorkflow}
                  baseline={shownWorkflow === future ? current : undefined}
                  analysis={shownAnalysis}
                  onShowSteps={showSteps}
                  compact
                />
              )}
              <div className="findings-steps">
                <FoldedSteps
                  workflow={shownWorkflow}
                  highlighted={highlightOf(shownWorkflow)}
                  focusRequest={requestOf(shownWorkflow)}
                />
                {shownWorkflow === future && current && (
                  <FoldedSteps
                    workflow={current}
                    highlighted={highlightOf(current)}
                    focusRequest={requestOf(current)}
                  />
                )}
              </div>
            </div>
          </>
        )}
        {selected === 'compare' && analysis.comparison && <ComparePanel comparison={analysis.comparison} />}
        {selected === 'training' && analysis.comparison && <RoleChecklist comparison={analysis.comparison} />}
        {selected === 'capacity' && (
          <>
            {modelStanding}
            <CapacityPanel
              workflow={main}
              href={capacityHref}
              onWorkflowChange={onWorkflowChange}
              {...(main === future && current ? { baseline: current } : {})}
              {...(analysis.future ? { waitFloorMin: analysis.future.settings.thresholds.waitFloorMin } : {})}
            />
          </>
        )}
        {selected === 'settings' && (
          <RuleSettings projectSettings={projectSettings} onSettingsChange={onSettingsChange} />
        )}
      </Tabs>
    </section>
  );
}
