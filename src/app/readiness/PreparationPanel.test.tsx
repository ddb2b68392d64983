/**
 * The preparation records are edited where the Pre-launch and Go-live phases judge them: a mock
 * go-live added and filled in, a partner's state changed, and each card says what it still wants
 * in the words the phases give.
 */
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useMemo, useState } from 'react';
import { describe, expect, it } from 'vitest';
import { assessReadiness } from '../../core/readiness/index.ts';
import { goProject } from '../../core/readiness/testing/crafted.ts';
import {
  readCommunicationPlan,
  readDressRehearsal,
  readPartnerReadiness,
  withCommunicationPlan,
  withDressRehearsal,
  withPartnerReadiness,
} from '../../formats/goLivePreparation.ts';
import type { Project } from '../../formats/project.ts';
import { conflictBeside, publishConflict } from '../team/testing/conflictBeside.ts';
import { PreparationPanel } from './PreparationPanel.tsx';

function Harness({ initial, kept }: { initial: Project; kept: Record<string, unknown>[] }) {
  const [project, setProject] = useState(initial);
  const result = useMemo(() => assessReadiness(project), [project]);
  const settings = project.meta.settings;
  const keep = (next: Record<string, unknown>) => {
    kept.push(next);
    setProject((p) => ({ ...p, meta: { ...p.meta, settings: next } }));
  };
  return (
    <PreparationPanel
      rehearsal={readDressRehearsal(settings)}
      communication={readCommunicationPlan(settings)}
      partners={readPartnerReadiness(settings)}
      summary={result.preparation}
      reasons={[...result.reasons, ...result.risks]}
      onRehearsal={(r) => keep(withDressRehearsal(settings, r))}
      onCommunication={(c) => keep(withCommunicationPlan(settings, c))}
      onPartners={(p) => keep(withPartnerReadiness(settings, p))}
    />
  );
}

/** The go project without the three records. */
function bare(): Project {
  const p = goProject();
  const { dressRehearsal: _d, communicationPlan: _c, partnerReadiness: _p, ...settings } = p.meta.settings;
  return { ...p, meta: { ...p.meta, settings } };
}

describe('PreparationPanel', () => {
  it('tells a colleague’s change made first beside the card of the record it concerns, and nowhere else', () => {
    const settings = goProject().meta.settings;
    const cards = [
      { key: 'dressRehearsal', title: 'Dress rehearsal', record: readDressRehearsal(settings) },
      { key: 'communicationPlan', title: 'Communication plan', record: readCommunicationPlan(settings) },
      {
        key: 'partnerReadiness',
        title: 'Vendor and interface readiness',
        record: readPartnerReadiness(settings),
      },
    ];
    for (const { key, title, record } of cards) {
      publishConflict('readiness-record', key, record, { ...record, note: 'Moved to the week after' });
      render(<Harness initial={goProject()} kept={[]} />);
      const card = screen.getByRole('region', { name: new RegExp(`^${title}`) });
      // the card's first field or button (its own, not the conflict's)
      const field = [...card.querySelectorAll<HTMLElement>('table, button')].find(
        (e) => !e.closest('[data-testid="conflict-beside"]'),
      ) as HTMLElement;
      expect(conflictBeside(card, field, title.toLowerCase())).toEqual([
        ['note', 'Moved to the week after', 'nothing'],
      ]);
      expect(screen.getAllByTestId('conflict-beside')).toHaveLength(1);
      cleanup();
    }
  });

  it('records a mock go-live and a peak-load run until the rehearsal is ready', () => {
    const kept: Record<string, unknown>[] = [];
    render(<Harness initial={bare()} kept={kept} />);
    expect(screen.getByTestId('rehearsal-state').textContent).toBe('Not recorded');
    fireEvent.click(screen.getByRole('button', { name: 'Add a mock go-live' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Mock go-live 1: role' }), {
      target: { value: 'Front desk' },
    });
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Front desk: scripts run' }), {
      target: { value: '10' },
    });
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Front desk: scripts passed' }), {
      target: { value: '9' },
    });
    expect(screen.getByTestId('rehearsal-state').textContent).toBe('Incomplete');
    expect(
      within(screen.getByRole('list', { name: 'Dress rehearsal: still wanting' }))
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'Dress rehearsal: Front desk failed 1 of 10 scripts. Fix and run them again.',
      'Dress rehearsal: no peak-load rehearsal is recorded; the capacity simulation plans a peak of 4 cases an hour (“Check-in planned”).',
    ]);
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Front desk: scripts passed' }), {
      target: { value: '10' },
    });
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Cases an hour' }), { target: { value: '5' } });
    expect(screen.getByTestId('rehearsal-state').textContent).toBe('Ready');
    expect(kept.at(-1)?.dressRehearsal).toEqual({
      roles: [{ role: 'Front desk', scriptsRun: 10, scriptsPassed: 10, issuesFound: 0, issuesOpen: 0 }],
      peakLoad: { outcome: 'held', casesPerHour: 5 },
    });
  });

  it('lists partners with their owner and state, and names one not ready', () => {
    render(<Harness initial={bare()} kept={[]} />);
    expect(screen.getByTestId('partners-state').textContent).toBe('Not recorded');
    fireEvent.click(screen.getByRole('button', { name: 'Add a partner' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Partner 1: name' }), {
      target: { value: 'Lab interface' },
    });
    fireEvent.change(screen.getByRole('combobox', { name: 'Partner 1: kind' }), {
      target: { value: 'interface' },
    });
    expect(
      screen.getByRole('list', { name: 'Vendor and interface readiness: still wanting' }).textContent,
    ).toContain('the interface “Lab interface” is not started');
    fireEvent.change(screen.getByRole('textbox', { name: 'Partner 1: owner' }), {
      target: { value: 'Sam Okafor' },
    });
    fireEvent.change(screen.getByRole('combobox', { name: 'Partner 1: state' }), {
      target: { value: 'ready' },
    });
    fireEvent.change(screen.getByLabelText('Partner 1: tested end to end'), {
      target: { value: '2026-11-19' },
    });
    expect(screen.getByTestId('partners-state').textContent).toBe('Ready');
  });

  it('shows the records only when the project cannot be changed', () => {
    const project = goProject();
    const result = assessReadiness(project);
    render(
      <PreparationPanel
        rehearsal={readDressRehearsal(project.meta.settings)}
        communication={readCommunicationPlan(project.meta.settings)}
        partners={readPartnerReadiness(project.meta.settings)}
        summary={result.preparation}
        reasons={[]}
      />,
    );
    expect(screen.queryByRole('button', { name: 'Add a partner' })).toBeNull();
    expect(screen.getByTestId('communication-state').textContent).toBe('Ready');
  });
});
