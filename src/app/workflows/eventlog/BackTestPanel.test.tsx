/**
 * The back-test's words per result: the verdict for a model that reproduces the log, one that does
 * not (naming the steps and why), one the log cannot check, and a kept result of a changed
 * workflow; each step's row; and a new discovery clears an earlier verdict. The check itself runs
 * in the event-log worker (backTest.spec.ts runs it once in Chromium); here the worker's answer is
 * given (the panel's `backTest`), so only the panel is under test. Which logs are reproduced or
 * flagged is proven in src/core/workflow/eventlog/backTest.test.ts.
 */
import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { BackTestJobOutcome } from '../../../../workers/eventLogApi.ts';
import type { BackTestResult as BackTestFigures } from '../../../formats/project.ts';
import { fixtureWorkflowBackTest } from '../../../formats/testing/fixtures.ts';
import { BackTestPanel, BackTestResult } from './BackTestPanel.tsx';
import type { DiscoverRequest } from './eventLogJobs.ts';

const trusted: BackTestFigures = fixtureWorkflowBackTest().result;

/** The same figures with the first step's waits longer than the model's. */
const flagged: BackTestFigures = {
  ...trusted,
  steps: trusted.steps.map((s, i) => (i === 0 ? { ...s, status: 'longer-than-model' } : s)),
  reproduced: 0,
  verdict: 'not-trusted',
};

const verdict = () => screen.getByTestId('back-test-verdict').textContent;
const row = (step: string) =>
  within(screen.getByRole('rowheader', { name: step }).closest('tr') as HTMLElement)
    .getAllByRole('cell')
    .map((cell) => cell.textContent);

describe('the back-test result', () => {
  it('says the model reproduces the log, and gives each step its figures or why it was not checked', () => {
    render(<BackTestResult result={trusted} />);
    expect(verdict()).toBe(
      'The model reproduces this log: at the one checked step the simulated waits match the waits recorded. Its capacity figures can be planned on.',
    );
    expect(row('Fill in form')).toEqual([
      '6.4 min',
      '5 min',
      '6.1 min',
      '5 min to 7.2 min',
      '1.2 min',
      'Matches',
    ]);
    expect(row('Insured?').at(-1)).toBe(
      'Not checked: too few waits in the log (staff time from the workflow: none in the log)',
    );
  });

  it('says the model does not reproduce the log, names the step and what to correct', () => {
    render(<BackTestResult result={flagged} />);
    expect(verdict()).toMatch(
      /^The model does not reproduce this log: at 1 of 1 checked steps \(Fill in form\) the waits differ from those recorded\. People waited longer than the model explains: .* Correct the staff per role before planning on its capacity figures\.$/,
    );
    expect(row('Fill in form').at(-1)).toBe('Does not match: longer waits than the model');
  });

  it('says when the log cannot check the model, and a kept result of a changed workflow never says to plan on it', () => {
    const { unmount } = render(<BackTestResult result={{ ...trusted, verdict: 'cannot-check' }} />);
    expect(verdict()).toMatch(/^This log cannot check the model: no step has enough recorded waits/);
    unmount();
    render(<BackTestResult result={trusted} stale />);
    expect(verdict()).toMatch(
      /^The model as it was then reproduced this log: .* Check again before planning/,
    );
    expect(verdict()).not.toMatch(/can be planned on/);
  });
});

describe('the back-test panel', () => {
  it("shows the worker's verdict, and a new discovery leaves no earlier verdict on screen", async () => {
    const outcome: BackTestJobOutcome = { ok: true, backTest: flagged as never };
    const backTest = async () => outcome;
    const request = {
      file: new File(['x'], 'clinic.csv'),
      read: {},
      filters: {},
    } as unknown as DiscoverRequest;
    const { rerender } = render(<BackTestPanel request={request} backTest={backTest} />);
    fireEvent.click(screen.getByRole('button', { name: 'Check the model against this log' }));
    expect((await screen.findByTestId('back-test-verdict')).textContent).toMatch(
      /^The model does not reproduce this log/,
    );
    rerender(<BackTestPanel request={{ ...request }} backTest={backTest} />);
    expect(screen.queryByTestId('back-test-verdict')).toBeNull();
  });
});
