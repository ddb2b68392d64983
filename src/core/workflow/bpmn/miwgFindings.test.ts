/**
 * Findings that hold on real models: every public BPMN model in the repository (the 21 BPMN MIWG
 * reference models, the models written in the style of other tools' exports in
 * tests/fixtures/bpmn-vendors/, and the demo clinic's refill export) imported and analysed, each finding
 * listed here with why it is true after reading the model. A finding not listed is a false one
 * (or a regression) and fails the test; so does a listed one that disappears.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bpmnModelBytes, bpmnModelFiles } from '../../../../tests/fixtures/miwg.ts';
import { analyzeWorkflow } from '../analyze.ts';
import { buildGraph, expectedVisits } from '../graph.ts';
import { decodeXmlBytes } from './decode.ts';
import { importBpmn } from './importBpmn.ts';

/** `rule/check stepId` of each true finding, by model, with why it is true. */
const TRUE_FINDINGS: Record<string, { finding: string; why: string }[]> = {
  'A.4.0.bpmn': [
    {
      finding: 'structure/branches-without-chances _6fed62c8-8241-4a1d-ae67-266fda7dcead',
      why: '"Task 3" has two unconditioned outgoing flows: an implicit parallel split (bpmnlint no-implicit-split), analysed as one (both branches end apart)',
    },
  ],
  'A.4.1.bpmn': [
    {
      finding: 'structure/branches-without-chances sid-34E8C3A5-5C2A-4593-AC67-038B737814D7',
      why: 'the same implicit parallel split as A.4.0, exported by another tool',
    },
  ],
  'B.2.0.bpmn': [
    {
      finding: 'structure/split-without-join _dec393e7-f182-4d31-b05f-e33ac3a5e35f',
      why: '"Inclusive Gateway 1" is closed by a parallel join: a case that skips a branch waits there forever',
    },
  ],
  'bonita-clinic-roles-no-flows.bpmn': [
    {
      finding: 'structure/no-flows ',
      why: 'the steps are drawn in their lanes with no sequence flow between them: one cause, one finding (not five unreachable steps and dead ends)',
    },
  ],
  'prescription-refill.current.bpmn': [
    {
      finding: 'manual-transcription take-phone-message,phone-pharmacy',
      why: 'the demo model types the prescription on a paper slip and again on the phone',
    },
    {
      finding: 'click-burden call-patient-book-visit',
      why: 'the demo model gives this step 12 clicks, over the budget of 10',
    },
  ],
};

const REFILL = 'prescription-refill.current.bpmn';

function bytesOf(name: string): Uint8Array<ArrayBuffer> {
  if (name !== REFILL) return bpmnModelBytes(name);
  return new Uint8Array(readFileSync(new URL(`../../../../samples/workflows/${REFILL}`, import.meta.url)));
}

describe('findings on the public BPMN models', () => {
  it.each([...bpmnModelFiles(), REFILL])('%s: only true findings', async (name) => {
    const decoded = decodeXmlBytes(bytesOf(name));
    if (!decoded.ok) throw new Error(`${name}: ${decoded.message}`);
    const { workflow } = await importBpmn(decoded.text);
    expect(workflow).toBeDefined();
    if (!workflow) return;
    const found = analyzeWorkflow(workflow).findings.map((f) => {
      const check = (f.evidence as { check?: unknown } | undefined)?.check;
      return `${f.rule}${typeof check === 'string' ? `/${check}` : ''} ${f.stepIds.join(',')}`;
    });
    expect(found.sort()).toEqual((TRUE_FINDINGS[name] ?? []).map((t) => t.finding).sort());
  });

  it.each([
    ['A.4.0.bpmn', '_6fed62c8-8241-4a1d-ae67-266fda7dcead'],
    ['A.4.1.bpmn', 'sid-34E8C3A5-5C2A-4593-AC67-038B737814D7'],
  ])(
    "%s: the task's two unconditioned flows are taken both, each as often as the task",
    async (name, task) => {
      const decoded = decodeXmlBytes(bytesOf(name));
      if (!decoded.ok) throw new Error(name);
      const { workflow } = await importBpmn(decoded.text);
      if (!workflow) throw new Error(name);
      const graph = buildGraph(workflow);
      expect(graph.blocks.map((b) => [b.split, b.kind])).toContainEqual([task, 'parallel']);
      const visits = expectedVisits(graph).visits;
      const own = visits.get(task) ?? 0;
      expect(own).toBeGreaterThan(0);
      for (const edge of graph.outgoing.get(task) ?? []) expect(visits.get(edge.to)).toBeCloseTo(own, 9);
      const message = analyzeWorkflow(workflow).findings.find((f) => f.stepIds.includes(task))?.message;
      expect(message).toContain('takes all of them at once');
    },
  );
});

/** Small models written the way modelling tools export them (content invented). */
const HEAD =
  '<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://bpmn.io/schema/bpmn">';

async function findingsOf(process: string): Promise<string[]> {
  const { workflow } = await importBpmn(
    `${HEAD}<bpmn:process id="p">${process}</bpmn:process></bpmn:definitions>`,
  );
  if (!workflow) throw new Error('no workflow');
  return analyzeWorkflow(workflow).findings.map((f) => {
    const check = (f.evidence as { check?: unknown } | undefined)?.check;
    return `${f.rule}${typeof check === 'string' ? `/${check}` : ''} ${f.stepIds.join(',')}`;
  });
}

describe('findings on exports made the way tools write them', () => {
  it('a file whose sequence flows were lost gives one finding, not one per step', async () => {
    expect(
      await findingsOf(
        '<bpmn:startEvent id="s"/><bpmn:userTask id="a" name="Triage"/><bpmn:serviceTask id="b" name="Order"/><bpmn:endEvent id="e"/>',
      ),
    ).toEqual(['structure/no-flows ']);
  });

  it('a task with two unconditioned flows out, closed by a parallel join, is a parallel split', async () => {
    const process = `
        <bpmn:startEvent id="s"/><bpmn:userTask id="t" name="Check results"/>
        <bpmn:userTask id="x" name="Call patient"/><bpmn:userTask id="y" name="Write letter"/>
        <bpmn:parallelGateway id="j"/><bpmn:endEvent id="e"/>
        <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
        <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="x"/>
        <bpmn:sequenceFlow id="f3" sourceRef="t" targetRef="y"/>
        <bpmn:sequenceFlow id="f4" sourceRef="x" targetRef="j"/>
        <bpmn:sequenceFlow id="f5" sourceRef="y" targetRef="j"/>
        <bpmn:sequenceFlow id="f6" sourceRef="j" targetRef="e"/>`;
    const { workflow } = await importBpmn(
      `${HEAD}<bpmn:process id="p">${process}</bpmn:process></bpmn:definitions>`,
    );
    if (!workflow) throw new Error('no workflow');
    const graph = buildGraph(workflow);
    expect(graph.blocks).toEqual([{ split: 't', join: 'j', kind: 'parallel', branches: [['x'], ['y']] }]);
    expect(Object.fromEntries(expectedVisits(graph).visits)).toMatchObject({ x: 1, y: 1, j: 1, e: 1 });
    const findings = analyzeWorkflow(workflow).findings;
    expect(findings.map((f) => `${f.rule} ${f.stepIds.join(',')}`)).toEqual(['structure t']);
    expect(findings[0]?.message).toContain("BPMN's implicit parallel split");
  });

  it('a boundary timer, a merge and a link pair give no finding', async () => {
    expect(
      await findingsOf(`
        <bpmn:startEvent id="s"/><bpmn:exclusiveGateway id="split" name="Urgent?"/>
        <bpmn:userTask id="fast" name="See now"/><bpmn:userTask id="slow" name="Book"/>
        <bpmn:boundaryEvent id="late" name="30 min" attachedToRef="slow"><bpmn:timerEventDefinition/></bpmn:boundaryEvent>
        <bpmn:userTask id="chase" name="Chase"/>
        <bpmn:exclusiveGateway id="merge"/>
        <bpmn:intermediateThrowEvent id="go"><bpmn:linkEventDefinition name="page2"/></bpmn:intermediateThrowEvent>
        <bpmn:intermediateCatchEvent id="land"><bpmn:linkEventDefinition name="page2"/></bpmn:intermediateCatchEvent>
        <bpmn:endEvent id="e"/>
        <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="split"/>
        <bpmn:sequenceFlow id="f2" sourceRef="split" targetRef="fast"/>
        <bpmn:sequenceFlow id="f3" sourceRef="split" targetRef="slow"/>
        <bpmn:sequenceFlow id="f4" sourceRef="fast" targetRef="merge"/>
        <bpmn:sequenceFlow id="f5" sourceRef="slow" targetRef="merge"/>
        <bpmn:sequenceFlow id="f6" sourceRef="late" targetRef="chase"/>
        <bpmn:sequenceFlow id="f7" sourceRef="chase" targetRef="merge"/>
        <bpmn:sequenceFlow id="f8" sourceRef="merge" targetRef="go"/>
        <bpmn:sequenceFlow id="f9" sourceRef="land" targetRef="e"/>`),
    ).toEqual([]);
  });

  /** Start → triage → (link "to-clinic") … (link "to-clinic") → see doctor → end, as `throw` and `catch` write the pair. */
  const linkPair = (thrower: string, catcher: string, within = (body: string) => body) => `
        <bpmn:startEvent id="s"/><bpmn:userTask id="a" name="Triage"/>
        ${within(`${thrower}${catcher}`)}
        <bpmn:userTask id="b" name="See doctor"/><bpmn:endEvent id="e"/>
        <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="a"/>
        <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="go"/>
        <bpmn:sequenceFlow id="f3" sourceRef="land" targetRef="b"/>
        <bpmn:sequenceFlow id="f4" sourceRef="b" targetRef="e"/>`;

  it.each([
    [
      'the link definitions share a name',
      '<bpmn:intermediateThrowEvent id="go" name="Go to clinic"><bpmn:linkEventDefinition id="lt" name="to-clinic"/></bpmn:intermediateThrowEvent>',
      '<bpmn:intermediateCatchEvent id="land" name="From triage"><bpmn:linkEventDefinition id="lc" name="to-clinic"/></bpmn:intermediateCatchEvent>',
    ],
    [
      'only the events are named (the definitions are not)',
      '<bpmn:intermediateThrowEvent id="go" name="to-clinic"><bpmn:linkEventDefinition id="lt"/></bpmn:intermediateThrowEvent>',
      '<bpmn:intermediateCatchEvent id="land" name="to-clinic"><bpmn:linkEventDefinition id="lc"/></bpmn:intermediateCatchEvent>',
    ],
    [
      'one names its definition, the other only the event',
      '<bpmn:intermediateThrowEvent id="go" name="Go on"><bpmn:linkEventDefinition id="lt" name="to-clinic"/></bpmn:intermediateThrowEvent>',
      '<bpmn:intermediateCatchEvent id="land" name="to-clinic"><bpmn:linkEventDefinition id="lc"/></bpmn:intermediateCatchEvent>',
    ],
    [
      "the throw's definition names its target (names differ)",
      '<bpmn:intermediateThrowEvent id="go" name="A"><bpmn:linkEventDefinition id="lt" name="A"><bpmn:target>lc</bpmn:target></bpmn:linkEventDefinition></bpmn:intermediateThrowEvent>',
      '<bpmn:intermediateCatchEvent id="land" name="B"><bpmn:linkEventDefinition id="lc" name="B"/></bpmn:intermediateCatchEvent>',
    ],
    [
      "the catch's definition names its source (no names)",
      '<bpmn:intermediateThrowEvent id="go"><bpmn:linkEventDefinition id="lt"/></bpmn:intermediateThrowEvent>',
      '<bpmn:intermediateCatchEvent id="land"><bpmn:linkEventDefinition id="lc"><bpmn:source>lt</bpmn:source></bpmn:linkEventDefinition></bpmn:intermediateCatchEvent>',
    ],
  ])('a link throw and its catch are one path when %s', async (_, thrower, catcher) => {
    const process = linkPair(thrower, catcher);
    expect(await findingsOf(process)).toEqual([]);
    const { workflow } = await importBpmn(
      `${HEAD}<bpmn:process id="p">${process}</bpmn:process></bpmn:definitions>`,
    );
    expect(workflow?.flows.map((f) => `${f.from}>${f.to}`)).toContain('go>land');
  });

  it('a link pair inside a sub-process is one path there, not to a same-named catch outside', async () => {
    const thrower =
      '<bpmn:intermediateThrowEvent id="go"><bpmn:linkEventDefinition name="next"/></bpmn:intermediateThrowEvent>';
    const catcher =
      '<bpmn:intermediateCatchEvent id="land"><bpmn:linkEventDefinition name="next"/></bpmn:intermediateCatchEvent>';
    const inner = `<bpmn:subProcess id="sp" name="Check-in">
        <bpmn:startEvent id="is"/><bpmn:intermediateThrowEvent id="igo"><bpmn:linkEventDefinition name="next"/></bpmn:intermediateThrowEvent>
        <bpmn:intermediateCatchEvent id="iland"><bpmn:linkEventDefinition name="next"/></bpmn:intermediateCatchEvent><bpmn:endEvent id="ie"/>
        <bpmn:sequenceFlow id="i1" sourceRef="is" targetRef="igo"/><bpmn:sequenceFlow id="i2" sourceRef="iland" targetRef="ie"/>
      </bpmn:subProcess>`;
    const process = `${linkPair(thrower, catcher)}${inner}
        <bpmn:sequenceFlow id="f5" sourceRef="e0" targetRef="sp"/><bpmn:startEvent id="e0"/>`;
    const { workflow } = await importBpmn(
      `${HEAD}<bpmn:process id="p">${process}</bpmn:process></bpmn:definitions>`,
    );
    const flows = workflow?.flows.map((f) => `${f.from}>${f.to}`) ?? [];
    expect(flows).toContain('go>land');
    expect(flows).toContain('igo>iland');
    expect(flows).not.toContain('igo>land');
    expect(flows).not.toContain('go>iland');
  });
});
