/**
 * What a Camunda model states about waiting and about who does the work: BPMN timers become the
 * step's wait and survive export; performers and Camunda assignments are kept and written back;
 * what cannot be kept is in the reader's account with its effect; a boundary event a tool wrote
 * inside the sub-process it sits on stays a boundary event.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../../tests/fixtures/external.ts';
import { analyzeWorkflow } from '../analyze.ts';
import { exportBpmn, importBpmn } from './index.ts';
import { bpmnStructure } from './structure.ts';

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">`;

/** A Camunda 8 referral: triage, then wait for the patient's reply (`timer`), then book. */
function referral(timer: string): string {
  return `${HEAD}
  <bpmn:process id="Referral" name="Referral" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:userTask id="Triage" name="Triage referral" />
    <bpmn:intermediateCatchEvent id="Wait" name="Wait for reply">
      <bpmn:timerEventDefinition id="TimerDef">${timer}</bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:userTask id="Book" name="Book appointment" />
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Triage" />
    <bpmn:sequenceFlow id="F2" sourceRef="Triage" targetRef="Wait" />
    <bpmn:sequenceFlow id="F3" sourceRef="Wait" targetRef="Book" />
    <bpmn:sequenceFlow id="F4" sourceRef="Book" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;
}

const duration = (text: string) =>
  `<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">${text}</bpmn:timeDuration>`;

async function waitStep(xml: string) {
  const result = await importBpmn(xml);
  const step = result.workflow?.steps.find((s) => s.id === 'Wait');
  if (!result.workflow || !step) throw new Error('no wait step');
  return { result, step, workflow: result.workflow };
}

describe('BPMN timers', () => {
  it('makes a 5-day timer a wait of 7,200 minutes that the analysis counts', async () => {
    const { step, workflow, result } = await waitStep(referral(duration('P5D')));
    expect(step.waitMin).toBe(7200);
    expect(step.bpmn?.timer).toEqual({ kind: 'duration', expression: 'P5D' });
    expect(result.account.used).toContain('bpmn:timerEventDefinition/bpmn:timeDuration');
    const analysis = analyzeWorkflow(workflow);
    if (!analysis.metrics.ok) throw new Error('no metrics');
    expect(analysis.metrics.metrics.cycleMin).toBeGreaterThanOrEqual(7200);
  });

  it.each([
    { description: 'hours', expression: 'PT4H', minutes: 240 },
    { description: 'days, hours and minutes', expression: 'P1DT2H30M', minutes: 1590 },
    { description: 'a decimal fraction of hours', expression: 'PT1.5H', minutes: 90 },
    { description: 'weeks', expression: 'P2W', minutes: 20160 },
  ])('reads a duration in $description', async ({ expression, minutes }) => {
    const { step } = await waitStep(referral(duration(expression)));
    expect(step.waitMin).toBe(minutes);
  });

  it('writes the timer back with its expression, and reads the same wait again', async () => {
    const { workflow } = await waitStep(referral(duration('P5D')));
    const xml = await exportBpmn(workflow);
    expect(xml).toMatch(/<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P5D<\/bpmn:timeDuration>/);
    const again = await waitStep(xml);
    expect(again.step.waitMin).toBe(7200);
    expect(again.step.bpmn?.timer).toEqual({ kind: 'duration', expression: 'P5D' });
  });

  it('reads a repeating timer as one period, said as a choice', async () => {
    const { step, result } = await waitStep(
      referral('<bpmn:timeCycle xsi:type="bpmn:tFormalExpression">R3/PT10M</bpmn:timeCycle>'),
    );
    expect(step.waitMin).toBe(10);
    expect(step.bpmn?.timer).toEqual({ kind: 'cycle', expression: 'R3/PT10M' });
    expect(result.account.lines).toContainEqual(
      expect.objectContaining({
        name: 'bpmn:timerEventDefinition/bpmn:timeCycle',
        handling: 'interpreted',
        where: { elementId: 'Wait' },
      }),
    );
  });

  it.each([
    {
      description: 'a date',
      timer: '<bpmn:timeDate xsi:type="bpmn:tFormalExpression">2026-03-01T09:00:00Z</bpmn:timeDate>',
      name: 'bpmn:timerEventDefinition/bpmn:timeDate',
      effect: /fixed date and time/,
    },
    {
      description: 'an engine expression',
      timer: duration('=reminderDue'),
      name: 'bpmn:timerEventDefinition/bpmn:timeDuration',
      effect: /expression the process engine works out/,
    },
    {
      description: 'a cron schedule',
      timer: '<bpmn:timeCycle xsi:type="bpmn:tFormalExpression">0 0 9 * * MON</bpmn:timeCycle>',
      name: 'bpmn:timerEventDefinition/bpmn:timeCycle',
      effect: /schedule/,
    },
  ])(
    'accounts for a timer of $description it cannot turn into minutes, and keeps it for export',
    async ({ timer, name, effect }) => {
      const { step, result, workflow } = await waitStep(referral(timer));
      expect(step.waitMin).toBe(0);
      const line = result.account.lines.find((l) => l.name === name);
      expect(line).toMatchObject({ handling: 'not-used', kind: 'element', where: { elementId: 'Wait' } });
      expect(line?.effect).toMatch(effect);
      expect(line?.effect).toMatch(/0 minutes/);
      const written = await exportBpmn(workflow);
      expect(written).toContain(step.bpmn?.timer?.expression);
    },
  );

  it('reads a boundary timer as the wait of its exception path and writes it back on its activity', async () => {
    const xml = `${HEAD}
  <bpmn:process id="Reminders" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:userTask id="Review" name="Review results" />
    <bpmn:boundaryEvent id="Overdue" name="4 hours" attachedToRef="Review" cancelActivity="false">
      <bpmn:timerEventDefinition id="TimerDef">${duration('PT4H')}</bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:sendTask id="Remind" name="Remind clinician" />
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Review" />
    <bpmn:sequenceFlow id="F2" sourceRef="Review" targetRef="End" />
    <bpmn:sequenceFlow id="F3" sourceRef="Overdue" targetRef="Remind" />
  </bpmn:process>
</bpmn:definitions>`;
    const { workflow } = await importBpmn(xml);
    const overdue = workflow?.steps.find((s) => s.id === 'Overdue');
    expect(overdue).toMatchObject({ waitMin: 240, boundary: { attachedTo: 'Review', trigger: 'timer' } });
    const written = await exportBpmn(workflow as NonNullable<typeof workflow>);
    expect(written).toMatch(/<bpmn:boundaryEvent id="Overdue"[^>]*attachedToRef="Review"/);
    expect(written).toContain('>PT4H</bpmn:timeDuration>');
  });
});

it('keeps a timer that starts the process for export, and counts no wait for it', async () => {
  const xml = `${HEAD}
  <bpmn:process id="Daily" isExecutable="true">
    <bpmn:startEvent id="Every9">
      <bpmn:timerEventDefinition id="T"><bpmn:timeCycle xsi:type="bpmn:tFormalExpression">R/P1D</bpmn:timeCycle></bpmn:timerEventDefinition>
    </bpmn:startEvent>
    <bpmn:userTask id="Call" name="Call the list" />
    <bpmn:sequenceFlow id="F1" sourceRef="Every9" targetRef="Call" />
  </bpmn:process>
</bpmn:definitions>`;
  const { workflow, account } = await importBpmn(xml);
  const start = workflow?.steps.find((step) => step.id === 'Every9');
  expect(start).toMatchObject({
    kind: 'start',
    waitMin: 0,
    bpmn: { timer: { kind: 'cycle', expression: 'R/P1D' } },
  });
  expect(account.lines).toContainEqual(
    expect.objectContaining({ name: 'bpmn:timerEventDefinition/bpmn:timeCycle', handling: 'interpreted' }),
  );
  expect(await exportBpmn(workflow as NonNullable<typeof workflow>)).toContain('>R/P1D</bpmn:timeCycle>');
});

describe('performers', () => {
  const xml = `${HEAD}
  <bpmn:resource id="Nurse" name="Triage nurse" />
  <bpmn:process id="Intake" isExecutable="true">
    <bpmn:userTask id="Check" name="Check insurance" camunda:assignee="frontdesk" camunda:candidateGroups="reception,billing" />
    <bpmn:userTask id="Triage" name="Triage">
      <bpmn:humanPerformer id="HP"><bpmn:resourceRef>Nurse</bpmn:resourceRef></bpmn:humanPerformer>
    </bpmn:userTask>
    <bpmn:userTask id="Sign" name="Sign off">
      <bpmn:potentialOwner id="PO">
        <bpmn:resourceAssignmentExpression>
          <bpmn:formalExpression>group(physicians)</bpmn:formalExpression>
        </bpmn:resourceAssignmentExpression>
      </bpmn:potentialOwner>
    </bpmn:userTask>
    <bpmn:userTask id="Call" name="Call patient">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition assignee="=caseOwner" candidateGroups="care-team" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="F1" sourceRef="Check" targetRef="Triage" />
    <bpmn:sequenceFlow id="F2" sourceRef="Triage" targetRef="Sign" />
    <bpmn:sequenceFlow id="F3" sourceRef="Sign" targetRef="Call" />
  </bpmn:process>
</bpmn:definitions>`;
  const expected = {
    Check: [
      { source: 'camunda:assignee', value: 'frontdesk' },
      { source: 'camunda:candidateGroups', value: 'reception,billing' },
    ],
    Triage: [{ source: 'humanPerformer', value: 'Triage nurse' }],
    Sign: [{ source: 'potentialOwner', value: 'group(physicians)' }],
    Call: [
      { source: 'zeebe:assignee', value: '=caseOwner' },
      { source: 'zeebe:candidateGroups', value: 'care-team' },
    ],
  };

  it('keeps BPMN resource roles and Camunda 7 and 8 assignments on the step', async () => {
    const { workflow, notCarriedOver, account } = await importBpmn(xml);
    const performers = Object.fromEntries(
      (workflow?.steps ?? []).map((step) => [step.id, step.bpmn?.performers]),
    );
    expect(performers).toEqual(expected);
    expect(account.used).toEqual(
      expect.arrayContaining([
        'bpmn:userTask@camunda:assignee',
        'bpmn:userTask/bpmn:humanPerformer',
        'bpmn:userTask/bpmn:potentialOwner',
        'zeebe:assignmentDefinition@assignee',
      ]),
    );
    // kept, so not among another tool's settings that are lost
    expect(notCarriedOver.filter((entry) => entry.elementType.startsWith('xmlns:'))).toEqual([]);
  });

  it('writes them back, and reads the same performers again', async () => {
    const { workflow } = await importBpmn(xml);
    const written = await exportBpmn(workflow as NonNullable<typeof workflow>);
    expect(written).toContain('xmlns:camunda="http://camunda.org/schema/1.0/bpmn"');
    expect(written).toContain('xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"');
    const again = await importBpmn(written);
    expect(again.problems).toEqual([]);
    const performers = Object.fromEntries(
      (again.workflow?.steps ?? []).map((step) => [step.id, step.bpmn?.performers]),
    );
    expect(performers).toEqual(expected);
  });

  it('reads the performers of Camunda’s own resource-role model', async () => {
    const text = readFileSync(
      externalFixture('camunda-bpmn-models', 'camunda-bpmn-model', 'ResourceRolesTest.bpmn'),
      'utf8',
    );
    const { workflow } = await importBpmn(text);
    expect(workflow?.steps.flatMap((step) => step.bpmn?.performers ?? [])).toEqual([
      { source: 'performer', value: 'user' },
      { source: 'humanPerformer', value: 'user' },
      { source: 'potentialOwner', value: 'Batman' },
    ]);
  });
});

describe('boundary events of other tools', () => {
  it('keeps a boundary event written inside the sub-process it sits on as a boundary event', async () => {
    // bpmn-js-properties-panel's model: a compensation boundary event inside its own host
    const text = readFileSync(
      externalFixture('camunda-bpmn-models', 'bpmn-js-properties-panel', 'zeebe-TaskListenerProps.bpmn'),
      'utf8',
    );
    const { workflow } = await importBpmn(text);
    if (!workflow) throw new Error('no workflow');
    const event = workflow.steps.find((step) => step.id === 'CompensationBoundaryEvent');
    expect(event?.boundary?.attachedTo).toBe('SubProcess');
    expect(event?.within).toBeUndefined();
    expect(bpmnStructure(workflow).attached.get('CompensationBoundaryEvent')).toBe('SubProcess');
    const written = await exportBpmn(workflow);
    expect(written).toMatch(
      /<bpmn:boundaryEvent id="CompensationBoundaryEvent"[^>]*attachedToRef="SubProcess"/,
    );
  });
});
