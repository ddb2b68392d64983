/**
 * The BPMN import's report in the analyst's words: a MIWG reference model from another tool is
 * added and what it held that the workflow does not carry is listed by element (another tool's
 * extensions named, an attached boundary event not listed: it is carried over); a file that is not
 * BPMN is refused, saying so, and nothing is imported. jsdom has no Worker: the worker's API
 * (workers/bpmnApi.ts, the same code the worker runs) answers in the test's thread (the component
 * project's stand-in, src/app/workflows/editor/testing/inProcessBpmnClient.ts). The worker
 * itself is run by workflowBpmn.spec.ts in Chromium; what the importer carries over is proven in
 * src/core/workflow/bpmn (importBpmn.test.ts, miwg.test.ts).
 */
import { readFileSync } from 'node:fs';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { externalFixture } from '../../../../tests/fixtures/external.ts';
import { sampleProject } from '../testSamples.ts';
import { BpmnImport } from './BpmnImport.tsx';

const LABEL = /^Import a BPMN 2\.0 file/;

describe('the BPMN import report', () => {
  it('adds a reference model from another tool and lists what was not carried over', async () => {
    const onImport = vi.fn();
    render(<BpmnImport project={sampleProject()} onImport={onImport} onOpen={() => {}} />);
    const bytes = readFileSync(externalFixture('bpmn-miwg', 'Reference', 'C.8.0.bpmn'));
    await userEvent.upload(
      screen.getByLabelText(LABEL),
      new File([bytes], 'C.8.0.bpmn', { type: 'application/xml' }),
    );
    const report = await screen.findByRole('region', { name: 'BPMN import result' }, { timeout: 20_000 });
    expect(within(report).getByRole('status').textContent).toMatch(/^Added “.+” from “C\.8\.0\.bpmn”/);
    expect(within(report).getByRole('heading', { name: /^Not carried over \(\d+\)$/ })).toBeTruthy();
    const rows = within(report)
      .getAllByRole('row')
      .map((row) => row.textContent ?? '');
    expect(rows.length).toBeGreaterThan(5);
    // the boundary event is carried over, attached to its task: it is not in the list
    expect(rows.filter((row) => row.includes('_f8fcb377-3d7d-4138-9a7e-6ab58b97e29d'))).toEqual([]);
    // another tool's extensions are named, not dropped silently
    expect(rows.some((row) => row.includes('xmlns:triso'))).toBe(true);
    expect(onImport).toHaveBeenCalledTimes(1);
  });

  it('refuses a file that is not BPMN, saying so, and imports nothing', async () => {
    const onImport = vi.fn();
    render(<BpmnImport project={sampleProject()} onImport={onImport} onOpen={() => {}} />);
    await userEvent.upload(
      screen.getByLabelText(LABEL),
      new File(['name,dob\n'], 'patients.bpmn', { type: 'application/xml' }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('“patients.bpmn” could not become a workflow');
    expect(alert.textContent).toContain('Nothing in the project was changed.');
    expect(onImport).not.toHaveBeenCalled();
  });
});
