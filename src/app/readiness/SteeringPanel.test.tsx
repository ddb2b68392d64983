/**
 * The steering committee's decision as the Readiness screen shows it: a colleague's change made
 * first to the decision recorded in this project is told beside it, in words.
 */
import 'fake-indexeddb/auto';
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { decidedProject, goProject } from '../../core/readiness/testing/crafted.ts';
import { conflictBeside, publishConflict } from '../team/testing/conflictBeside.ts';
import { ReadinessWorkspace } from './ReadinessWorkspace.tsx';

describe('SteeringPanel', () => {
  it('tells a colleague’s change made first to the decision beside it, her rationale and yours', async () => {
    const { project, decision } = decidedProject(goProject());
    publishConflict('steering-decision', decision.id, decision, {
      ...decision,
      rationale: 'Every gate passes; the support rota is agreed with the lab.',
    });
    render(<ReadinessWorkspace project={project} tab="steering" onTab={() => {}} dispatch={() => {}} />);
    const rows = conflictBeside(
      await screen.findByTestId('steering-decision'),
      await screen.findByRole('list', { name: 'Decision signatures' }),
      'steering committee decision',
    );
    expect(rows).toEqual([
      [
        'rationale',
        'Every gate passes; the support rota is agreed with the lab.',
        'Every gate passes; the support rota is agreed.',
      ],
    ]);
  });
});
