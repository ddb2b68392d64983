/**
 * The dialogs every risky or naming action goes through: a prompt refuses text that breaks its rule
 * in place, with the reason, keeping what was typed; a confirmation asks first, with the safe choice
 * focused. jsdom has no `showModal` (testing/nativeDialog.ts opens and closes it, nothing more).
 */
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkProjectName, MAX_PROJECT_NAME_LENGTH } from '../../formats/projectName.ts';
import { ConfirmDialog, PromptDialog } from './Dialog.tsx';
import { installDialogStandIn } from './testing/nativeDialog.ts';

beforeAll(installDialogStandIn);

const checkName = (value: string) => {
  const checked = checkProjectName(value);
  return checked.ok
    ? { ok: true as const, value: checked.name }
    : { ok: false as const, message: checked.message };
};

/** A button that opens the prompt, and what it handed on. */
function Prompt({ submitted, initial = '' }: { submitted: string[]; initial?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Name it
      </button>
      <PromptDialog
        open={open}
        title="New project"
        label="Project name"
        hint={`Up to ${MAX_PROJECT_NAME_LENGTH} characters.`}
        initial={initial}
        submitLabel="Create project"
        check={checkName}
        onCancel={() => setOpen(false)}
        onSubmit={(value) => {
          submitted.push(value);
          setOpen(false);
        }}
      />
    </>
  );
}

describe('PromptDialog', () => {
  it('states the rule, and hands on the trimmed name', async () => {
    const submitted: string[] = [];
    render(<Prompt submitted={submitted} />);
    await userEvent.click(screen.getByRole('button', { name: 'Name it' }));
    const dialog = screen.getByRole('dialog', { name: 'New project' });
    expect(dialog.textContent).toContain(`Up to ${MAX_PROJECT_NAME_LENGTH} characters.`);
    // the field has focus: the dialog exists to fill it in
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Project name' }));
    await userEvent.keyboard('  Clinic A  {Enter}');
    expect(submitted).toEqual(['Clinic A']);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('refuses a too-long name in place with the maximum, without cutting what was typed', async () => {
    const submitted: string[] = [];
    render(<Prompt submitted={submitted} />);
    await userEvent.click(screen.getByRole('button', { name: 'Name it' }));
    const field = screen.getByRole('textbox', { name: 'Project name' });
    const tooLong = 'N'.repeat(MAX_PROJECT_NAME_LENGTH + 5);
    await userEvent.click(field);
    await userEvent.paste(tooLong);
    await userEvent.click(screen.getByRole('button', { name: 'Create project' }));
    expect(screen.getByRole('alert').textContent).toContain(
      `at most ${MAX_PROJECT_NAME_LENGTH} characters long; this one has ${MAX_PROJECT_NAME_LENGTH + 5}`,
    );
    expect(field.getAttribute('aria-invalid')).toBe('true');
    // the message is read with the field
    expect(field.getAttribute('aria-describedby')).toContain(screen.getByRole('alert').id);
    expect((field as HTMLInputElement).value).toBe(tooLong);
    expect(submitted).toEqual([]);
    expect(screen.getByRole('dialog', { name: 'New project' })).toBeTruthy();
  });

  it('refuses a spaces-only name instead of silently doing nothing, and the message goes on typing', async () => {
    const submitted: string[] = [];
    render(<Prompt submitted={submitted} initial="Demo clinic" />);
    await userEvent.click(screen.getByRole('button', { name: 'Name it' }));
    const field = screen.getByRole('textbox', { name: 'Project name' });
    expect((field as HTMLInputElement).value).toBe('Demo clinic');
    await userEvent.clear(field);
    await userEvent.type(field, '    ');
    await userEvent.click(screen.getByRole('button', { name: 'Create project' }));
    expect(screen.getByRole('alert').textContent).toBe('A project needs a name: the name given is blank.');
    await userEvent.type(field, 'B');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(field.getAttribute('aria-invalid')).toBeNull();
    expect(submitted).toEqual([]);
  });

  it('Cancel closes it, and each opening starts again from the initial text, error-free', async () => {
    const submitted: string[] = [];
    render(<Prompt submitted={submitted} initial="Demo clinic" />);
    await userEvent.click(screen.getByRole('button', { name: 'Name it' }));
    const field = screen.getByRole('textbox', { name: 'Project name' });
    await userEvent.clear(field);
    await userEvent.click(screen.getByRole('button', { name: 'Create project' }));
    expect(screen.getByRole('alert')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Name it' }));
    expect((screen.getByRole('textbox', { name: 'Project name' }) as HTMLInputElement).value).toBe(
      'Demo clinic',
    );
    expect(screen.queryByRole('alert')).toBeNull();
    expect(submitted).toEqual([]);
  });
});

describe('ConfirmDialog', () => {
  function Confirm({ said }: { said: string[] }) {
    const [open, setOpen] = useState(false);
    return (
      <>
        <button type="button" onClick={() => setOpen(true)}>
          Delete
        </button>
        <ConfirmDialog
          open={open}
          title="Delete project?"
          message={<p>“Clinic A” will be removed from this browser.</p>}
          confirmLabel="Delete project"
          onCancel={() => {
            said.push('cancel');
            setOpen(false);
          }}
          onConfirm={() => {
            said.push('confirm');
            setOpen(false);
          }}
        />
      </>
    );
  }

  it('asks first, with Cancel focused, and Cancel does nothing else', async () => {
    const said: string[] = [];
    render(<Confirm said={said} />);
    await userEvent.click(screen.getByRole('button', { name: 'Delete' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete project?' });
    expect(dialog.textContent).toContain('“Clinic A” will be removed from this browser.');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
    // Enter on the focused button is the safe choice
    await userEvent.keyboard('{Enter}');
    // closing fires the dialog's close event, which (as in a browser) cancels once more: harmless
    expect(said[0]).toBe('cancel');
    expect(said).not.toContain('confirm');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('does the action only on its own button', async () => {
    const said: string[] = [];
    render(<Confirm said={said} />);
    await userEvent.click(screen.getByRole('button', { name: 'Delete' }));
    await userEvent.click(screen.getByRole('button', { name: 'Delete project' }));
    expect(said.filter((s) => s === 'confirm')).toEqual(['confirm']);
    expect(said[0]).toBe('confirm');
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
