import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Workflow } from '../../../formats/workflow.ts';
import { sampleProject, sampleWorkflow } from '../testSamples.ts';
import { NewWorkflowForm, WorkflowImport } from './WorkflowImport.tsx';

const project = sampleProject();
const fileOf = (name: string, json: unknown) =>
  new File([JSON.stringify(json)], name, { type: 'application/json' });

describe('WorkflowImport', () => {
  it('refuses a bad workflow file, listing its problems by place, and imports nothing', async () => {
    const onImport = vi.fn();
    render(<WorkflowImport project={project} onImport={onImport} />);
    const bad = structuredClone(sampleWorkflow('lab-results.current')) as Workflow;
    (bad.steps[2] as { touchMin: number }).touchMin = -5;
    await userEvent.upload(
      screen.getByLabelText('Import a workflow file (preflight.workflow/v1 JSON)'),
      fileOf('bad.json', bad),
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('“bad.json” was not imported');
    expect(alert.textContent).toContain('Nothing in the project was changed.');
    expect(alert.textContent).toContain('/steps/2/touchMin');
    expect(onImport).not.toHaveBeenCalled();
  });

  it('names the chosen file when a byte of it is not UTF-8', async () => {
    const onImport = vi.fn();
    render(<WorkflowImport project={project} onImport={onImport} />);
    await userEvent.upload(
      screen.getByLabelText('Import a workflow file (preflight.workflow/v1 JSON)'),
      new File([new Uint8Array([0x7b, 0x0a, 0x22, 0xe9, 0x22, 0x7d])], 'latin1.json'),
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(
      'latin1.json is not valid UTF-8 text: the byte at line 2, byte 3 cannot be read in that encoding',
    );
    expect(onImport).not.toHaveBeenCalled();
  });

  it('imports a good file as a copy when its id is taken, saying so', async () => {
    const onImport = vi.fn();
    render(<WorkflowImport project={project} onImport={onImport} />);
    const good = sampleWorkflow('lab-results.current');
    await userEvent.upload(screen.getByLabelText(/^Import a workflow file/), fileOf('good.json', good));
    await vi.waitFor(() => expect(onImport).toHaveBeenCalledOnce());
    const [imported, note] = onImport.mock.lastCall as [Workflow, string];
    expect(imported.name).toBe(`${good.name} (imported)`);
    expect(imported.id).not.toBe(good.id);
    expect(note).toMatch(/added as a copy/);
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('NewWorkflowForm', () => {
  it('creates a current workflow with one lane, ready to draw', async () => {
    const onCreate = vi.fn();
    render(<NewWorkflowForm project={project} onCreate={onCreate} />);
    const create = screen.getByRole('button', { name: 'Create and open' });
    expect((create as HTMLButtonElement).disabled).toBe(true);
    await userEvent.type(screen.getByRole('textbox', { name: 'Name' }), 'Reception (test)');
    await userEvent.click(create);
    const [created] = onCreate.mock.lastCall as [Workflow];
    expect(created).toMatchObject({ name: 'Reception (test)', state: 'current' });
    expect(created.lanes).toHaveLength(1);
  });

  it('creates a future workflow naming the current one it replaces, from its roles', async () => {
    const onCreate = vi.fn();
    render(<NewWorkflowForm project={project} onCreate={onCreate} />);
    const lab = sampleWorkflow('lab-results.current');
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Name' }),
      'Lab results on the new EHR, draft 2',
    );
    await userEvent.click(screen.getByRole('radio', { name: 'Future (on the new EHR)' }));
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Replaces the current workflow' }),
      lab.name,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Create and open' }));
    const [created] = onCreate.mock.lastCall as [Workflow];
    expect(created).toMatchObject({ state: 'future', baseline: lab.id });
    expect(created.lanes.map((l) => [l.name, l.staff])).toEqual(lab.lanes.map((l) => [l.name, l.staff]));
    expect(created.steps.map((s) => s.kind)).toEqual(['start']);
  });
});
