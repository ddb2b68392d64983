import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useMemo, useState } from 'react';
import { describe, expect, it } from 'vitest';
import { assessReadiness } from '../../core/readiness/index.ts';
import { goProject, signedReview } from '../../core/readiness/testing/crafted.ts';
import type { Project } from '../../formats/project.ts';
import { type SafetyAnswer, withSafetyAnswer } from '../../formats/steering.ts';
import { conflictBeside, publishConflict } from '../team/testing/conflictBeside.ts';
import { SafetyPanel } from './SafetyPanel.tsx';

const NOW = '2026-11-24T10:00:00+01:00';

/** The panel as the Readiness screen holds it: the project in state, the result recomputed, every answer kept. */
function Harness({ initial, kept }: { initial: Project; kept: SafetyAnswer[] }) {
  const [project, setProject] = useState(initial);
  const result = useMemo(() => assessReadiness(project), [project]);
  return (
    <SafetyPanel
      items={result.safety}
      guides={result.safetyGuides}
      assessor="Rae Lindqvist"
      now={() => NOW}
      onSave={(answer) => {
        kept.push(answer);
        setProject((p) => ({
          ...p,
          meta: { ...p.meta, settings: withSafetyAnswer(p.meta.settings, answer) },
        }));
      }}
    />
  );
}

/** The go project with no safety answer: only the evidence speaks. */
function unanswered(): Project {
  const p = goProject();
  return { ...p, meta: { ...p.meta, settings: { ...p.meta.settings, safetyAssessment: { answers: [] } } } };
}

const guide = (name: string) => screen.getByRole('list', { name: `${name} practices` });
const practice = (guideName: string, title: string) =>
  within(guide(guideName))
    .getAllByRole('listitem')
    .find((li) => within(li).queryByRole('heading', { level: 5, name: title }) !== null) as HTMLElement;

describe('SafetyPanel', () => {
  it('tells a colleague’s change made first beside the practices, by the practice it concerns', () => {
    const answer = (status: SafetyAnswer['status']) => ({ item: 'hp-backup', status, by: 'Rae Lindqvist' });
    publishConflict(
      'readiness-record',
      'safetyAssessment',
      { answers: [answer('full')] },
      { answers: [answer('partial')] },
    );
    render(<Harness initial={unanswered()} kept={[]} />);
    expect(
      conflictBeside(
        screen.getByRole('region', { name: 'Safety self-assessment' }),
        screen.getByRole('list', { name: 'SAFER guides' }),
        'safety self-assessment',
      ),
    ).toEqual([
      [
        'answers “hp-backup”',
        'item hp-backup, status partial, by Rae Lindqvist',
        'item hp-backup, status full, by Rae Lindqvist',
      ],
    ]);
  });

  it('shows the eight SAFER guides, each with its state against its gate', () => {
    render(<Harness initial={unanswered()} kept={[]} />);
    const guides = within(screen.getByRole('list', { name: 'SAFER guides' })).getAllByRole('heading', {
      level: 4,
    });
    expect(guides.map((h) => h.textContent)).toEqual([
      'High Priority Practices',
      'Organizational Responsibilities',
      'Contingency Planning',
      'System Management',
      'Patient Identification',
      'Computerized Provider Order Entry with Decision Support',
      'Test Results Reporting and Follow-Up',
      'Clinician Communication',
    ]);
    expect(screen.getByTestId('safer-state-clinician-communication').textContent).toBe('Below its gate');
  });

  it('says why a practice is pre-filled from the evidence', () => {
    render(<Harness initial={unanswered()} kept={[]} />);
    const downtime = practice('Contingency Planning', 'Downtime procedures');
    expect(
      within(downtime).getByText(/^Pre-filled from the project's evidence: fully implemented, because/),
    ).toBeTruthy();
    expect(within(downtime).getByText('Fully implemented', { selector: '.badge' })).toBeTruthy();
  });

  it('does not pre-fill patient identification from a sample that fails on other errors, and says so', () => {
    const { plan, review } = signedReview(['accept', 'accept', 'reject']);
    render(<Harness initial={{ ...unanswered(), samplePlans: [plan], reviews: [review] }} kept={[]} />);
    const migrated = practice('Patient Identification', 'Migrated records on the right patient');
    expect(within(migrated).getByText('Not assessed', { selector: '.badge' })).toBeTruthy();
    expect(
      within(migrated).getByText("From the project's evidence (it does not decide this practice)"),
    ).toBeTruthy();
    expect(
      within(migrated).getByText(/but this is not pre-filled: .* fails the clinicians' review/),
    ).toBeTruthy();
  });

  it('rates on the five-point scale with an evidence grade; an older "partially" reads as some areas', async () => {
    const user = userEvent.setup();
    const title = 'Care-team contact details';
    const older = {
      item: 'care-team-contacts',
      status: 'partial' as const,
      by: 'Rae Lindqvist',
      at: '2026-11-01T08:00:00Z',
    };
    let project = unanswered();
    project = {
      ...project,
      meta: { ...project.meta, settings: withSafetyAnswer(project.meta.settings, older) },
    };
    const saved: SafetyAnswer[] = [];
    render(<Harness initial={project} kept={saved} />);
    const li = practice('Clinician Communication', title);
    expect(within(li).getByTestId('safety-level-care-team-contacts').textContent).toBe(
      'Partially in place in some areas · evidence: not graded',
    );
    await user.click(within(li).getByRole('button', { name: `Rate ${title}` }));
    expect(within(li).getByRole('radio', { name: 'Partially in place in some areas' })).toHaveProperty(
      'checked',
      true,
    );
    await user.click(within(li).getByRole('radio', { name: 'Fully in place in some areas' }));
    await user.selectOptions(within(li).getByLabelText(`Evidence grade for ${title}`), 'tested');
    await user.click(within(li).getByRole('button', { name: `Save ${title}` }));
    expect(saved.at(-1)).toEqual({ ...older, level: 'full-some', grade: 'tested', at: NOW });
    // fully in some areas is not fully implemented at the gates
    expect(
      within(practice('Clinician Communication', title)).getByText('Partially implemented', {
        selector: '.badge',
      }),
    ).toBeTruthy();
    expect(
      within(practice('Clinician Communication', title)).getByTestId('safety-level-care-team-contacts')
        .textContent,
    ).toBe('Fully in place in some areas · evidence: tested or observed');
  });

  it('rates a practice not applicable with owner and evidence; the guide then meets its gate', async () => {
    const user = userEvent.setup();
    const kept: SafetyAnswer[] = [];
    const base = unanswered();
    // two of the guide's three practices are rated already
    const settings = [
      { item: 'care-team-contacts', status: 'full' as const },
      { item: 'message-routing', status: 'partial' as const },
    ].reduce((s, a) => withSafetyAnswer(s, { ...a, by: 'Rae Lindqvist', at: NOW }), base.meta.settings);
    render(<Harness initial={{ ...base, meta: { ...base.meta, settings } }} kept={kept} />);
    expect(screen.getByTestId('safer-state-clinician-communication').textContent).toBe('Below its gate');
    const title = 'Patient messages answered';
    const li = practice('Clinician Communication', title);
    await user.click(within(li).getByRole('button', { name: `Rate ${title}` }));
    await user.click(within(li).getByRole('radio', { name: 'Not applicable' }));
    fireEvent.change(within(li).getByLabelText(`Owner of ${title}`), { target: { value: 'Dr Ines Moreau' } });
    fireEvent.change(within(li).getByLabelText(`Where the evidence for ${title} is kept`), {
      target: { value: 'No patient portal at go-live (steering minutes, 3 Nov)' },
    });
    await user.click(within(li).getByRole('button', { name: `Save ${title}` }));
    expect(kept.at(-1)).toEqual({
      item: 'patient-messages',
      owner: 'Dr Ines Moreau',
      evidence: 'No patient portal at go-live (steering minutes, 3 Nov)',
      status: 'na',
      by: 'Rae Lindqvist',
      at: NOW,
    });
    expect(screen.getByTestId('safer-state-clinician-communication').textContent).toBe('Meets its gate');
    expect(
      within(practice('Clinician Communication', title)).getByText('Not applicable', { selector: '.badge' }),
    ).toBeTruthy();
  });
});
