import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { applyEdit } from '../../../core/workflow/edit/index.ts';
import { findingsByCause } from '../../../core/workflow/index.ts';
import {
  type LostEdit,
  MemoryServer,
  putBack,
  SharedWorkflowCopy,
} from '../../../core/workflow/shared/index.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { causeWords } from '../shared/lostWords.ts';
import { sampleWorkflow } from '../testSamples.ts';
import { FindingsPanel } from './FindingsPanel.tsx';
import { analyseProcess } from './useProcessAnalysis.ts';

const current = sampleWorkflow('patient-intake.current');
const future = sampleWorkflow('patient-intake.future');
const analysis = (() => {
  const { future: planned } = analyseProcess(current, future, {});
  if (!planned) throw new Error('the planned intake has no analysis');
  return planned;
})();

function renderPanel(onShowSteps = vi.fn()) {
  render(
    <FindingsPanel
      workflow={future}
      baseline={current}
      analysis={analysis}
      onShowSteps={onShowSteps}
      compact
    />,
  );
  return onShowSteps;
}

const findingsList = () => screen.getByRole('region', { name: /^What Preflight found in Patient intake/ });

describe('FindingsPanel on the process page', () => {
  it('counts the planted findings of the planned intake, one per root cause', () => {
    renderPanel();
    expect(screen.getByRole('heading', { level: 4 }).textContent).toMatch(
      /8 problems, 4 warnings, 6 notes \(one finding per root cause\)$/,
    );
    const offered = within(screen.getByRole('combobox', { name: 'Check' }))
      .getAllByRole('option')
      .map((o) => o.textContent);
    for (const title of [
      'Paper step rebuilt on screen (1)',
      'Waiting carried over (1)',
      'Approvals in a row (1)',
      'Same data entered twice (1)',
      'Data re-keyed between systems (1)',
      'Print, sign, scan back (1)',
      'Decision that changes nothing (1)',
      'Current step not accounted for (2)',
    ]) {
      expect(offered, title).toContain(title);
    }
  });

  it('folds a root cause’s reason until opened, naming the other checks it trips', async () => {
    renderPanel();
    const summary = screen.getByText(/^Approve self-pay .* → Billing lead co-approves the discount/, {
      selector: 'summary',
    });
    expect(summary.textContent).toMatch(/— also waiting carried over, approvals in a row$/);
    const details = summary.closest('details');
    expect(details?.open).toBe(false);
    await userEvent.click(summary);
    expect(details?.open).toBe(true);
    expect(within(details as HTMLElement).getByText(/still waits 22 of 25 min/)).toBeTruthy();
  });

  it('filters by check and by role, and says how many are shown', async () => {
    renderPanel();
    const check = screen.getByRole('combobox', { name: 'Check' });
    const role = screen.getByRole('combobox', { name: 'Role' });
    await userEvent.selectOptions(check, 'Too many clicks (12)');
    expect(screen.getByText('Showing 12 of 18 findings')).toBeTruthy();
    const headings = within(findingsList())
      .getAllByRole('heading', { level: 6 })
      .map((h) => h.textContent);
    expect(headings).toEqual([
      'Too many clicks click-burden (4)',
      'Too many clicks click-burden (2)',
      'Too many clicks click-burden (6)',
    ]);
    await userEvent.selectOptions(role, 'Front desk (6)');
    expect(screen.getByText('Showing 3 of 18 findings')).toBeTruthy();
    await userEvent.selectOptions(check, 'All checks');
    expect(screen.getByText('Showing 6 of 18 findings')).toBeTruthy();
    await userEvent.selectOptions(role, 'All roles');
    expect(screen.queryByText(/^Showing/)).toBeNull();
  });

  it('a finding’s button asks for its steps, in the workflow the steps belong to', async () => {
    const onShowSteps = renderPanel();
    await userEvent.click(
      screen.getAllByRole('button', {
        name: (name) => name.startsWith('Show the') && name.includes(future.name),
      })[0] as HTMLElement,
    );
    expect(onShowSteps).toHaveBeenLastCalledWith(future.id, expect.any(Array));
    // an untraced step of today is today's, not the plan's
    const untraced = screen.getAllByRole('button', { name: /in Patient intake — current/ })[0] as HTMLElement;
    await userEvent.click(untraced);
    expect(onShowSteps).toHaveBeenLastCalledWith(current.id, expect.any(Array));
    const [, stepIds] = onShowSteps.mock.lastCall as [string, string[]];
    expect(stepIds.every((id) => current.steps.some((s) => s.id === id))).toBe(true);
  });

  it('shows the findings chosen on the diagram first, focused, with a way back', async () => {
    const onClear = vi.fn();
    render(
      <FindingsPanel
        workflow={future}
        baseline={current}
        analysis={analysis}
        onShowSteps={vi.fn()}
        chosen={{ where: 'Check in', findings: analysis.findings.slice(0, 2), onClear, choice: 1 }}
      />,
    );
    const heading = screen.getByRole('heading', { name: /^On the diagram, Check in: / });
    expect(document.activeElement).toBe(heading);
    await userEvent.click(screen.getByRole('button', { name: 'Back to all findings' }));
    expect(onClear).toHaveBeenCalledOnce();
  });
});

describe('FindingsPanel after a removal another analyst’s flows pointed to', () => {
  /** Ben removes “Copy insurance card” while Ana connects three steps to it: the server orders his first. */
  async function merged() {
    const base = sampleWorkflow('patient-intake.current');
    const server = new MemoryServer(base);
    const ana = SharedWorkflowCopy.opened('ana', base, 0);
    const ben = SharedWorkflowCopy.opened('ben', base, 0);
    ben.change(applyEdit(ben.workflow, { type: 'step/remove', id: 'copy-insurance-card' }).workflow);
    const from = base.steps.filter(
      (s) =>
        s.id !== 'copy-insurance-card' &&
        s.kind !== 'end' &&
        !base.flows.some((f) => f.from === s.id && f.to === 'copy-insurance-card'),
    );
    ana.change(
      applyEdit(ana.workflow, {
        type: 'batch',
        edits: from.slice(0, 3).map((s) => ({
          type: 'flow/add' as const,
          flow: { from: s.id, to: 'copy-insurance-card', transfer: 'none' as const },
        })),
      }).workflow,
    );
    await ben.sync(server.transport('Ben Lyst'));
    await ana.sync(server.transport('Ana Lyst'));
    return { workflow: ana.workflow, lost: ana.lost[0] as LostEdit };
  }
  const findingsOf = (w: Workflow) => analyseProcess(w, undefined, {}).current?.findings ?? [];

  it('leads with the cause, one item, and folds the findings that follow from it under it', async () => {
    const { workflow, lost } = await merged();
    const analysed = analyseProcess(workflow, undefined, {}).current as NonNullable<
      ReturnType<typeof analyseProcess>['current']
    >;
    // the reproduction: 24 structure problems, the flows' cause among them by a step's id
    expect(analysed.findings.filter((f) => f.rule === 'structure')).toHaveLength(24);
    const { caused } = findingsByCause(
      analysed.findings,
      [{ id: lost.id, without: putBack(workflow, lost, false) }],
      findingsOf,
    );
    const follow = caused[0]?.findings ?? [];
    render(
      <FindingsPanel
        workflow={workflow}
        baseline={undefined}
        analysis={analysed}
        onShowSteps={vi.fn()}
        causes={[{ id: lost.id, says: causeWords(lost), findings: follow }]}
      />,
    );
    const groups = findingsList().querySelectorAll('.finding-group');
    const first = groups[0] as HTMLElement;
    expect(within(first).getAllByRole('listitem')[0]?.firstElementChild?.textContent).toBe(
      'Ben Lyst removed “Photocopy insurance card and photo ID”; 3 flows of yours pointed to it.',
    );
    expect(within(first).getByText(/findings? follows? from it$/, { selector: 'summary' }).textContent).toBe(
      `${follow.length} findings follow from it`,
    );
    // under the cause: the flows pointing nowhere, the step left without a way out, and every
    // step no case reaches since the removal; left in the list: what Ana's own flows say
    const under = follow.map((f) => f.evidence.check);
    expect(under.filter((c) => c === 'missing-step')).toHaveLength(3);
    expect(under.filter((c) => c === 'dead-end')).toHaveLength(1);
    expect(under.filter((c) => c === 'unreachable')).toHaveLength(17);
    const rest = analysed.findings.filter((f) => f.rule === 'structure' && !follow.includes(f));
    expect(rest.map((f) => f.evidence.check)).toEqual(Array(3).fill('branches-without-chances'));
    const listed = [...groups].slice(1).map((g) => g.textContent ?? '');
    expect(listed.join(' ')).not.toMatch(/no longer in the workflow|No case reaches/);
  });
});

describe('FindingsPanel on the demo refill: the chart stack measured in its log', () => {
  it('shows the kept hand-off with the measured batching hours inside the in-basket root cause', async () => {
    const refillCurrent = sampleWorkflow('prescription-refill.current');
    const refillFuture = sampleWorkflow('prescription-refill.future');
    const { future: planned } = analyseProcess(refillCurrent, refillFuture, {});
    if (!planned) throw new Error('the planned refill has no analysis');
    render(
      <FindingsPanel
        workflow={refillFuture}
        baseline={refillCurrent}
        analysis={planned}
        onShowSteps={vi.fn()}
        compact
      />,
    );
    const summary = screen.getByText(/Sign the pended refill in the in-basket/, { selector: 'summary' });
    expect(summary.textContent).toMatch(/batched hand-off kept$/);
    await userEvent.click(summary);
    const details = summary.closest('details') as HTMLElement;
    const kept = within(details).getByText(/keeps today’s hand-off from Medical assistant to Physician/);
    expect(kept.textContent).toMatch(/0\.7 h \(57 %\) held for a batch \(35 batches of 4–6 cases/);
  });
});
