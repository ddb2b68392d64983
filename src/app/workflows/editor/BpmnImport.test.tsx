/**
 * The BPMN import's report in the analyst's words: a MIWG reference model from another tool is
 * added and what it held that the workflow does not carry is listed from the reader's account
 * (another tool's extensions named, an attached boundary event not listed: it is carried over); a
 * Camunda model's account shows each line's name, count, first place and effect, what was read by
 * a choice, and the drawing's details counted, never a value of the file; a file that is not
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
    expect(rows.filter((row) => /^element \S*\/bpmn:boundaryEvent/.test(row))).toEqual([]);
    // another tool's extensions are named, not dropped silently
    expect(rows.some((row) => row.includes('triso:'))).toBe(true);
    expect(onImport).toHaveBeenCalledTimes(1);
  });

  it('shows the reader account of a Camunda model: timers, what was not used, where, and its effect', async () => {
    const referral = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="d">
  <bpmn:process id="Referral" name="Referral">
    <bpmn:startEvent id="Start" />
    <bpmn:intermediateCatchEvent id="Wait5d" name="Wait for reply">
      <bpmn:timerEventDefinition id="T1"><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P5D</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="Reminder" name="Reminder due">
      <bpmn:timerEventDefinition id="T2"><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">=reminderDue</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="Poll" name="Check again">
      <bpmn:timerEventDefinition id="T3"><bpmn:timeCycle xsi:type="bpmn:tFormalExpression">R3/PT10M</bpmn:timeCycle></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:userTask id="Book" name="Book">
      <bpmn:extensionElements><zeebe:formDefinition formKey="patient-4711" /></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Wait5d" />
    <bpmn:sequenceFlow id="F2" sourceRef="Wait5d" targetRef="Reminder" />
    <bpmn:sequenceFlow id="F3" sourceRef="Reminder" targetRef="Poll" />
    <bpmn:sequenceFlow id="F4" sourceRef="Poll" targetRef="Book" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="D"><bpmndi:BPMNPlane id="P" bpmnElement="Referral">
    <bpmndi:BPMNShape id="Start_di" bpmnElement="Start"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="F1_di" bpmnElement="F1"><di:waypoint x="136" y="118" /><di:waypoint x="200" y="118" /></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;
    const onImport = vi.fn();
    render(<BpmnImport project={sampleProject()} onImport={onImport} onOpen={() => {}} />);
    await userEvent.upload(
      screen.getByLabelText(LABEL),
      new File([referral], 'referral.bpmn', { type: 'application/xml' }),
    );
    const report = await screen.findByRole('region', { name: 'BPMN import result' }, { timeout: 20_000 });
    const wait = onImport.mock.calls[0]?.[0].steps.find((step: { id: string }) => step.id === 'Wait5d');
    expect(wait.waitMin).toBe(7200);
    const notCarried = within(report).getByRole('region', { name: 'Not carried over from the BPMN file' });
    const rowOf = (table: HTMLElement, name: string) =>
      within(table)
        .getAllByRole('row')
        .map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent))
        .find((cells) => cells[0]?.endsWith(name));
    expect(rowOf(notCarried, 'bpmn:timerEventDefinition/bpmn:timeDuration')).toEqual([
      'element bpmn:timerEventDefinition/bpmn:timeDuration',
      'once',
      'element Reminder',
      expect.stringMatching(
        /^the timer is an expression the process engine works out per case, so its wait is left at 0 minutes/,
      ),
    ]);
    expect(rowOf(notCarried, 'zeebe:formDefinition@formKey')?.[3]).toMatch(/^a setting of another tool/);
    const byChoice = within(report).getByRole('region', { name: 'Read from the BPMN file by a choice' });
    expect(rowOf(byChoice, 'bpmn:timerEventDefinition/bpmn:timeCycle')?.[3]).toMatch(/one period/);
    expect(within(report).getByText(/^Details of the drawing not kept \(\d+ items\)/)).toBeTruthy();
    // names and places only: never a value of the file
    expect(report.textContent).not.toContain('reminderDue');
    expect(report.textContent).not.toContain('patient-4711');
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
