/**
 * The printed evidence pack carries the steering decision's manifestation: its rationale and, per
 * signature, the printed name, role, date-time with zone and meaning word for word — not only
 * names and dates. Until a current decision is signed, it ends its summary with a signature block
 * for the meeting; it names each SAFER guide with its state.
 */
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import {
  assessReadiness,
  evidencePack,
  STEERING_GO_MEANING,
  STEERING_NO_GO_MEANING,
} from '../../core/readiness/index.ts';
import { decidedProject, goProject } from '../../core/readiness/testing/crafted.ts';
import { EvidencePackView } from './EvidencePackView.tsx';

describe('EvidencePackView: the steering decision as signed', () => {
  it('prints the rationale and each signature with its meaning and date-time with zone', () => {
    const { project } = decidedProject(goProject());
    render(
      <EvidencePackView
        pack={evidencePack(project, assessReadiness(project), '2026-11-24T12:00:00+01:00')}
      />,
    );
    expect(screen.getByTestId('pack-rationale').textContent).toBe(
      'Rationale: Every gate passes; the support rota is agreed.',
    );
    const block = screen.getByRole('region', { name: 'Steering decision signatures' });
    const [signature] = within(block).getAllByRole('listitem');
    expect(signature?.textContent).toBe(
      `Dr Ines Moreau, Medical director (MD-1), signed 2026-11-24 at 10:00 (UTC+01:00): “${STEERING_GO_MEANING}” · without re-authentication`,
    );
  });

  it('prints the go/no-go signed on the team server: rationale, state and each manifestation', () => {
    const project = goProject();
    const result = assessReadiness(project);
    const pack = evidencePack(project, result, '2026-11-24T12:00:00Z', undefined, [
      {
        id: 'decision-1',
        decision: 'no-go',
        readiness: 'no-go',
        resultSha256: 'd'.repeat(64),
        rationale: 'The laboratory interface failed its test.',
        recordedAt: '2026-11-23T09:00:00+01:00',
        hash: 'c'.repeat(64),
        signatures: [
          {
            projectSeq: 12,
            signer: { subject: 'sam', name: 'Sam Steering' },
            role: 'steering',
            meaning: STEERING_NO_GO_MEANING,
            signedAt: '2026-11-23T08:05:00.000Z',
          },
        ],
      },
    ]);
    render(<EvidencePackView pack={pack} />);
    const block = screen.getByRole('region', { name: 'Steering decision signed on the team server' });
    expect(block.textContent).toContain('No-go, decided 2026-11-23 at 09:00 (UTC+01:00) — STALE');
    expect(block.textContent).toContain('Rationale: The laboratory interface failed its test.');
    const [signature] = within(block).getAllByRole('listitem');
    expect(signature?.textContent).toContain(
      `Sam Steering, steering committee, signed 2026-11-23 at 08:05 (UTC): “${STEERING_NO_GO_MEANING}”`,
    );
    expect(signature?.textContent).toContain('(entry 12 of the project’s log)');
  });

  it('prints no blank signature block once a current decision is signed', () => {
    const { project } = decidedProject(goProject());
    render(
      <EvidencePackView pack={evidencePack(project, assessReadiness(project), '2026-11-24T12:00:00Z')} />,
    );
    expect(screen.queryByTestId('pack-sign-block')).toBeNull();
  });
});

describe('EvidencePackView: the meeting pack', () => {
  const project = goProject();
  const pack = () => evidencePack(project, assessReadiness(project), '2026-11-24T12:00:00Z');

  it('ends the summary with a signature block: the decision, the rationale, each meaning and blank rows', () => {
    render(<EvidencePackView pack={pack()} />);
    const block = screen.getByTestId('pack-sign-block');
    within(block).getByRole('heading', { name: 'Decision of the steering committee' });
    expect(block.textContent).toContain('Go live');
    expect(block.textContent).toContain('Do not go live yet');
    expect(block.textContent).toContain(`For go: “${STEERING_GO_MEANING}”`);
    expect(block.textContent).toContain(`For no-go: “${STEERING_NO_GO_MEANING}”`);
    const table = within(block).getByRole('table', { name: 'Signatures' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Printed name', 'Role', 'Date and time (with zone)', 'Signature']);
    // no approver on the roster: three blank rows to write in
    expect(within(table).getAllByRole('row')).toHaveLength(4);
  });

  it('names the roster approvers in the signature block', () => {
    const named = { ...pack(), deciders: [{ name: 'Dr Ines Moreau', title: 'Medical director' }] };
    render(<EvidencePackView pack={named} />);
    const rows = within(screen.getByRole('table', { name: 'Signatures' })).getAllByRole('row');
    expect(rows.map((r) => r.textContent)).toEqual([
      'Printed nameRoleDate and time (with zone)Signature',
      'Dr Ines MoreauMedical director',
    ]);
  });

  it('names each SAFER guide with its state before the practices', () => {
    render(<EvidencePackView pack={pack()} />);
    const guides = within(screen.getByRole('list', { name: 'SAFER guides' })).getAllByRole('listitem');
    expect(guides).toHaveLength(8);
    expect(guides[0]?.textContent).toMatch(/^High Priority Practices: meets its gate \(/);
  });
});
