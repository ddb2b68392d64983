import './analysis.css';
import { type KeyboardEvent, useId, useRef, useState } from 'react';
import type { Workflow } from '../../../formats/workflow.ts';
import { CapacityPanel } from './CapacityPanel.tsx';
import { ComparePanel } from './ComparePanel.tsx';
import { FindingsPanel } from './FindingsPanel.tsx';
import { RoleChecklist } from './RoleChecklist.tsx';
import { RuleSettings } from './RuleSettings.tsx';
import { StepsTable } from './StepsTable.tsx';
import { findingsSummary } from './severity.ts';
import { useProcessAnalysis } from './useProcessAnalysis.ts';

type TabId = 'findings' | 'compare' | 'roles' | 'capacity' | 'settings';

/** Steps a finding pointed at, and a counter that moves focus to them on each request. */
interface Highlight {
  workflowId: string;
  stepIds: ReadonlySet<string>;
  request: number;
}

const NONE: ReadonlySet<string> = new Set();

/**
 * The analysis of one process: its current workflow and, when there is one, the future workflow
 * that replaces it — findings linked to their steps, the comparison, the training checklists per
 * role, go-live capacity and the project's check settings. Tabs follow the WAI-ARIA tabs pattern
 * (arrow keys, Home and End move between tabs).
 */
export function PairAnalysis({
  title,
  current,
  future,
  projectSettings,
  onWorkflowChange,
  onSettingsChange,
}: {
  title: string;
  current: Workflow | undefined;
  future: Workflow | undefined;
  projectSettings: Readonly<Record<string, unknown>>;
  onWorkflowChange?: (workflow: Workflow) => void;
  onSettingsChange?: (settings: Record<string, unknown>) => void;
}) {
  const analysis = useProcessAnalysis(current, future, projectSettings);
  const [tab, setTab] = useState<TabId>('findings');
  const [shown, setShown] = useState<'future' | 'current'>(future ? 'future' : 'current');
  const [highlight, setHighlight] = useState<Highlight | null>(null);
  const id = useId();
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const main = future ?? current;
  if (!main) return null;

  const tabs: { id: TabId; label: string }[] = [
    { id: 'findings', label: 'Findings' },
    ...(analysis.comparison
      ? [
          { id: 'compare' as const, label: 'Today vs planned' },
          { id: 'roles' as const, label: 'Training by role' },
        ]
      : []),
    { id: 'capacity', label: 'Go-live capacity' },
    { id: 'settings', label: 'Check settings' },
  ];
  const selected = tabs.some((t) => t.id === tab) ? tab : 'findings';

  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const moves: Record<string, number> = {
      ArrowRight: index + 1,
      ArrowLeft: index - 1,
      Home: 0,
      End: tabs.length - 1,
    };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = (target + tabs.length) % tabs.length;
    const nextTab = tabs[next];
    if (!nextTab) return;
    setTab(nextTab.id);
    tabRefs.current[next]?.focus();
  };

  const shownWorkflow = shown === 'future' && future ? future : (current ?? main);
  const shownAnalysis = shownWorkflow === future ? analysis.future : analysis.current;
  const showSteps = (workflowId: string, stepIds: string[]) =>
    setHighlight((h) => ({ workflowId, stepIds: new Set(stepIds), request: (h?.request ?? 0) + 1 }));
  const highlightOf = (w: Workflow) => (highlight?.workflowId === w.id ? highlight.stepIds : NONE);
  const requestOf = (w: Workflow) => (highlight?.workflowId === w.id ? highlight.request : 0);

  return (
    <section className="analysis" aria-label={`Analysis of ${title}`}>
      <div role="tablist" aria-label={`Analysis of ${title}`} className="tab-list">
        {tabs.map((t, index) => (
          <button
            key={t.id}
            ref={(el) => {
              tabRefs.current[index] = el;
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${t.id}`}
            aria-selected={selected === t.id}
            aria-controls={`${id}-panel-${t.id}`}
            tabIndex={selected === t.id ? 0 : -1}
            onClick={() => setTab(t.id)}
            onKeyDown={(event) => onKeyDown(event, index)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel-${selected}`} aria-labelledby={`${id}-tab-${selected}`}>
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
                />
              )}
              <div className="findings-steps">
                <StepsTable
                  workflow={shownWorkflow}
                  highlighted={highlightOf(shownWorkflow)}
                  focusRequest={requestOf(shownWorkflow)}
                />
                {shownWorkflow === future && current && (
                  <StepsTable
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
        {selected === 'roles' && analysis.comparison && <RoleChecklist comparison={analysis.comparison} />}
        {selected === 'capacity' && <CapacityPanel workflow={main} onWorkflowChange={onWorkflowChange} />}
        {selected === 'settings' && (
          <RuleSettings projectSettings={projectSettings} onSettingsChange={onSettingsChange} />
        )}
      </div>
    </section>
  );
}
