import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useRef, useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../../formats/workflow.ts';
import { sampleProject } from '../testSamples.ts';
import { DetailsCard } from './DetailsCard.tsx';
import { Inspector } from './Inspector.tsx';
import { flowKey, NOTHING_SELECTED, type Selection } from './selection.ts';
import { useWorkflowEditor } from './useWorkflowEditor.ts';

const project = sampleProject();
const intake = project.workflows.find((w) => w.id === 'patient-intake-current');
if (!intake) throw new Error('the demo has no workflow');
const step = intake.steps.find((s) => s.kind === 'task' && s.medium !== 'phone');
if (!step) throw new Error('the intake has no task');

/** The inspector as the editor holds it: the edit history, the drafts, the selection; each save kept. */
function Harness({
  saved,
  selected,
  start = intake as Workflow,
}: {
  saved: Workflow[];
  selected: Selection;
  start?: Workflow;
}) {
  const [workflow, setWorkflow] = useState<Workflow>(start);
  const editor = useWorkflowEditor(workflow, (change) => {
    if (change.type !== 'workflow/put') return;
    saved.push(change.workflow);
    setWorkflow(change.workflow);
  });
  const [drafts, setDrafts] = useState<ReadonlyMap<string, string>>(new Map());
  const [selection, setSelection] = useState(selected);
  const firstFieldRef = useRef<HTMLInputElement | null>(null);
  return (
    <Inspector
      workflow={editor.workflow}
      project={project}
      selection={selection}
      apply={editor.apply}
      drafts={drafts}
      setDraft={(key, text) =>
        setDrafts((before) => {
          const next = new Map(before);
          if (text === null) next.delete(key);
          else next.set(key, text);
          return next;
        })
      }
      firstFieldRef={firstFieldRef}
      onRemoveSelection={() => {}}
      onSelect={setSelection}
    />
  );
}

const stepNow = (saved: Workflow[]) => (saved.at(-1) ?? intake).steps.find((s) => s.id === step.id);

describe('Inspector with nothing selected', () => {
  it('is named once, by the card\'s "Workflow settings" line, with no second heading when unfolded', async () => {
    const user = userEvent.setup();
    render(
      <DetailsCard shown onToggle={() => {}} nothingSelected readOnly={false}>
        <Harness saved={[]} selected={NOTHING_SELECTED} />
      </DetailsCard>,
    );
    await user.click(screen.getByRole('button', { name: 'Workflow settings' }));
    const card = screen.getByRole('complementary', { name: 'Inspector' });
    expect(
      within(card)
        .getAllByRole('heading')
        .map((h) => h.textContent),
    ).toEqual(['Workflow settings']);
    expect(within(card).getByRole('region', { name: 'Workflow settings' })).toBeTruthy();
    expect(within(card).getByRole('textbox', { name: 'Name' })).toBeTruthy();
  });
});

describe('Inspector of a step', () => {
  it('sets the medium and the system', async () => {
    const saved: Workflow[] = [];
    render(<Harness saved={saved} selected={{ ...NOTHING_SELECTED, steps: [step.id] }} />);
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Medium (how the step is done)' }),
      'Phone',
    );
    expect(stepNow(saved)?.medium).toBe('phone');
    const system = screen.getByRole('combobox', { name: 'System' });
    await userEvent.clear(system);
    await userEvent.paste('Phone system');
    expect(stepNow(saved)?.system).toBe('Phone system');
  });

  it('shows a negative time where it is typed, keeps it as typed, and saves only a valid one', async () => {
    const saved: Workflow[] = [];
    render(<Harness saved={saved} selected={{ ...NOTHING_SELECTED, steps: [step.id] }} />);
    const touch = screen.getByRole('textbox', { name: 'Touch time (minutes)' });
    await userEvent.clear(touch);
    await userEvent.paste('-3');
    expect(touch.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Cannot be negative: enter 0 or more minutes.')).toBeTruthy();
    expect((touch as HTMLInputElement).value).toBe('-3');
    expect(saved.some((w) => (w.steps.find((s) => s.id === step.id)?.touchMin ?? 0) < 0)).toBe(false);
    await userEvent.clear(touch);
    await userEvent.paste('4');
    expect(touch.getAttribute('aria-invalid')).toBeNull();
    expect(stepNow(saved)?.touchMin).toBe(4);
  });

  it('adds a data item with the keyboard and removes it again', async () => {
    const saved: Workflow[] = [];
    render(<Harness saved={saved} selected={{ ...NOTHING_SELECTED, steps: [step.id] }} />);
    await userEvent.type(
      screen.getByRole('combobox', { name: 'Add a data item to data entered' }),
      'callback number{Enter}',
    );
    expect(stepNow(saved)?.enters).toContain('callback number');
    await userEvent.click(screen.getByRole('button', { name: 'Remove callback number' }));
    expect(stepNow(saved)?.enters).not.toContain('callback number');
  });

  it('connects the step to another from a list, and lists the new flow', async () => {
    const saved: Workflow[] = [];
    render(<Harness saved={saved} selected={{ ...NOTHING_SELECTED, steps: [step.id] }} />);
    const connect = screen.getByRole('combobox', { name: 'Connect to step' }) as HTMLSelectElement;
    const target = within(connect).getAllByRole('option').at(-1) as HTMLOptionElement;
    await userEvent.selectOptions(connect, target);
    await userEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect((saved.at(-1) as Workflow).flows).toContainEqual(
      expect.objectContaining({ from: step.id, to: target.value }),
    );
    expect(screen.getByRole('button', { name: `to ${target.textContent}` })).toBeTruthy();
  });
});

describe('Inspector of a flow', () => {
  it('says when the branches leaving a step do not add up, and still saves the draft', async () => {
    const saved: Workflow[] = [];
    const decision = intake.steps.find((x) => x.label === 'Eligibility verified?');
    const room = intake.steps.find((x) => x.label === 'Room patient');
    if (!decision || !room) throw new Error('the intake has no eligibility decision');
    render(
      <Harness saved={saved} selected={{ ...NOTHING_SELECTED, flows: [flowKey(decision.id, room.id)] }} />,
    );
    expect(
      screen.getByRole('heading', { name: 'Flow from Eligibility verified? to Room patient' }),
    ).toBeTruthy();
    const probability = screen.getByRole('textbox', { name: 'Branch probability (0 to 1)' });
    await userEvent.clear(probability);
    await userEvent.paste('0.5');
    expect(probability.getAttribute('aria-invalid')).toBe('true');
    expect(
      screen.getByText('The branches leaving this step add up to 65 %; they must add up to 100 %.'),
    ).toBeTruthy();
    // a draft that does not add up is still saved: the analyst fixes the other branch next
    expect(saved.at(-1)?.flows.find((f) => f.from === decision.id && f.to === room.id)?.probability).toBe(
      0.5,
    );
  });
});

describe('Inspector of a planned step', () => {
  it('traces the step to the current steps it replaces, from a searchable list', async () => {
    const saved: Workflow[] = [];
    const planned = project.workflows.find((w) => w.id === 'patient-intake-future');
    const portal = planned?.steps.find((x) => x.label.startsWith('Pre-register in the patient portal'));
    if (!planned || !portal) throw new Error('the planned intake has no portal step');
    render(<Harness saved={saved} start={planned} selected={{ ...NOTHING_SELECTED, steps: [portal.id] }} />);
    const replaces = screen.getByRole('group', { name: 'Replaces current steps' });
    await userEvent.type(
      within(replaces).getByRole('searchbox', { name: 'Search replaces current steps' }),
      'consent',
    );
    const shown = within(replaces).getAllByRole('checkbox');
    expect(shown.length).toBeLessThan(6);
    await userEvent.click(within(replaces).getByRole('checkbox', { name: /Sign paper consent/ }));
    const traced = saved.at(-1)?.steps.find((x) => x.id === portal.id)?.replaces ?? [];
    const consent = intake.steps.find((x) => /Sign paper consent/.test(x.label));
    expect(traced).toContain(consent?.id);
    expect(
      (within(replaces).getByRole('checkbox', { name: /Sign paper consent/ }) as HTMLInputElement).checked,
    ).toBe(true);
  });
});
