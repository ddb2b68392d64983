/**
 * The form that gives someone a role (inviting someone, adding a member): the person, the role
 * and the end day under the caller's words, sent as the form sends them; the submit button off
 * while busy; what the chosen role can do beside them; autofill off on every field.
 */
import { render, screen } from '@testing-library/react';
import userEventBase from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { RoleGivingForm } from './RoleGivingForm.tsx';
import { ROLE_LABELS, type TeamRole } from './teamClient.ts';
import { useRoleAndEnd } from './useRoleAndEnd.ts';

const userEvent = userEventBase.setup({ delay: null });

type Sent = { email: string; role: TeamRole; expiresOn: string | null };

/** The form as a screen holds it; `onSend` is told what it sends. */
function Form({ busy, onSend }: { busy: boolean; onSend: (sent: Sent) => void }) {
  const [email, setEmail] = useState('');
  const roleAndEnd = useRoleAndEnd('analyst');
  return (
    <RoleGivingForm
      id="f"
      title="Add someone by e-mail"
      note="For people who have signed in once."
      person={{
        name: 'email',
        label: 'E-mail',
        value: email,
        onChange: setEmail,
        maxLength: 320,
        email: true,
      }}
      choice={roleAndEnd.fields}
      roleLabel="Role"
      endLabel="Access ends (optional)"
      submit="Add to project"
      busy={busy}
      onSubmit={(e) => {
        e.preventDefault();
        onSend({ email, ...roleAndEnd.chosen });
        roleAndEnd.clearEnd();
      }}
    />
  );
}

describe('RoleGivingForm', () => {
  it('sends the person, the role and the end day chosen; no end day is null', async () => {
    const onSend = vi.fn();
    render(<Form busy={false} onSend={onSend} />);
    expect(screen.getByRole('form', { name: 'Add someone by e-mail' })).toBeTruthy();
    await userEvent.type(screen.getByLabelText('E-mail'), 'ana@clinic.example');
    await userEvent.selectOptions(
      screen.getByLabelText('Role'),
      screen.getByRole('option', { name: ROLE_LABELS.reviewer }),
    );
    await userEvent.type(screen.getByLabelText('Access ends (optional)'), '2027-01-31');
    await userEvent.click(screen.getByRole('button', { name: 'Add to project' }));
    expect(onSend).toHaveBeenLastCalledWith({
      email: 'ana@clinic.example',
      role: 'reviewer',
      expiresOn: '2027-01-31',
    });
    // the end day is emptied once sent: the next person has none unless one is chosen
    expect((screen.getByLabelText('Access ends (optional)') as HTMLInputElement).value).toBe('');
    await userEvent.click(screen.getByRole('button', { name: 'Add to project' }));
    expect(onSend).toHaveBeenLastCalledWith({
      email: 'ana@clinic.example',
      role: 'reviewer',
      expiresOn: null,
    });
  });

  it('needs an e-mail address when the person is named by one, and keeps autofill off', async () => {
    const onSend = vi.fn();
    render(<Form busy={false} onSend={onSend} />);
    const email = screen.getByLabelText('E-mail') as HTMLInputElement;
    expect(email.type).toBe('email');
    expect(email.required).toBe(true);
    expect(email.maxLength).toBe(320);
    expect(email.getAttribute('autocomplete')).toBe('off');
    await userEvent.click(screen.getByRole('button', { name: 'Add to project' }));
    expect(onSend).not.toHaveBeenCalled();
  });

  it('shows what the role chosen can do, and follows the choice', async () => {
    render(<Form busy={false} onSend={() => {}} />);
    await userEvent.click(screen.getByRole('button', { name: /What each role can do/ }));
    expect(screen.getByRole('columnheader', { name: `${ROLE_LABELS.analyst} (chosen)` })).toBeTruthy();
    await userEvent.selectOptions(
      screen.getByLabelText('Role'),
      screen.getByRole('option', { name: ROLE_LABELS.reviewer }),
    );
    expect(screen.getByRole('columnheader', { name: `${ROLE_LABELS.reviewer} (chosen)` })).toBeTruthy();
    expect(screen.queryByRole('columnheader', { name: `${ROLE_LABELS.analyst} (chosen)` })).toBeNull();
  });

  it('cannot be submitted while busy', async () => {
    const onSend = vi.fn();
    render(<Form busy onSend={onSend} />);
    await userEvent.type(screen.getByLabelText('E-mail'), 'ana@clinic.example');
    const button = screen.getByRole('button', { name: 'Add to project' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    await userEvent.click(button);
    expect(onSend).not.toHaveBeenCalled();
  });
});
