/**
 * The printed evidence pack carries the steering decision's manifestation: its rationale and, per
 * signature, the printed name, role, date-time with zone and meaning word for word — not only
 * names and dates.
 */
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { assessReadiness, evidencePack, STEERING_GO_MEANING } from '../../core/readiness/index.ts';
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
});
