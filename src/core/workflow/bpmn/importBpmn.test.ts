/**
 * BPMN import: bad input becomes a clear problem (never an exception), and each BPMN construct
 * maps as documented in importBpmn.ts — or is listed as not carried over.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../../formats/workflow.ts';
import { decodeXmlBytes } from './decode.ts';
import { importBpmn, importBpmnBytes } from './importBpmn.ts';
import type { BpmnProblem } from './types.ts';

const NS = 'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"';
const DI_NS =
  'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"';
const PF_NS = 'xmlns:preflight="urn:preflight:bpmn:1"';

/** A definitions document around `body` (root elements and diagrams). */
function bpmn(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<definitions ${NS} ${DI_NS} ${PF_NS} xmlns:acme="urn:acme" id="defs" targetNamespace="urn:test">\n${body}\n</definitions>`;
}

async function workflowOf(body: string) {
  const result = await importBpmn(bpmn(body));
  if (!result.workflow) throw new Error(`no workflow: ${JSON.stringify(result.problems)}`);
  return { ...result, workflow: result.workflow };
}

function step(workflow: Workflow, id: string) {
  const found = workflow.steps.find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
}

describe('bad input is a problem, never an exception', () => {
  const cases: { description: string; input: string; expected: Partial<BpmnProblem> }[] = [
    { description: 'empty text', input: '', expected: { code: 'not-xml', severity: 'error' } },
    { description: 'not XML', input: 'Patient,Date\n1,2', expected: { code: 'not-xml', line: 1, column: 1 } },
    {
      description: 'a broken tag, with its line',
      input: `<definitions ${NS}>\n<process id="p">\n<task id="t"></process></definitions>`,
      expected: { code: 'not-xml', line: 3 },
    },
    {
      description: 'XML that is not BPMN',
      input: '<?xml version="1.0"?><invoice xmlns="urn:x"><line/></invoice>',
      expected: { code: 'not-bpmn', severity: 'error' },
    },
    {
      description: 'definitions of another namespace',
      input: '<definitions xmlns="urn:not-bpmn"><process id="p"/></definitions>',
      expected: { code: 'not-bpmn' },
    },
    {
      description: 'BPMN without any process',
      input: bpmn(''),
      expected: { code: 'empty', severity: 'error' },
    },
    {
      description: 'a task name over 1,048,576 characters, where it starts',
      input: bpmn(`<process id="p">\n  <task id="t" name="${'Patient'.repeat(150_000)}"/></process>`),
      expected: { code: 'too-long', severity: 'error', line: 4, column: 3 },
    },
  ];

  it.each(cases)('$description', async ({ input, expected }) => {
    const result = await importBpmn(input);
    expect(result.workflow).toBeUndefined();
    expect(result.problems[0]).toMatchObject(expected);
    expect(result.problems[0]?.message).not.toMatch(/Patient|invoice line/);
  });

  it('refuses a file that holds only a diagram, saying what to export instead', async () => {
    // Activiti Designer's export of an unsaved process: a diagram whose shapes name nothing
    const result = await importBpmn(
      `<definitions ${NS} xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:omgdc="http://www.omg.org/spec/DD/20100524/DC"><bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="pl" bpmnElement="myProcess"><bpmndi:BPMNShape id="sh" bpmnElement="textannotation1"><omgdc:Bounds height="50" width="201" x="30" y="20"/></bpmndi:BPMNShape></bpmndi:BPMNPlane></bpmndi:BPMNDiagram></definitions>`,
    );
    expect(result.workflow).toBeUndefined();
    const empty = result.problems.find((p) => p.code === 'empty');
    expect(empty?.message).toContain('only a diagram');
    expect(empty?.message).toContain('export the process again');
    expect(result.problems.filter((p) => p.code === 'unresolved-reference').map((p) => p.elementId)).toEqual([
      'pl',
      'sh',
    ]);
  });

  it('refuses a 2 MiB name, far under the size limit, at its line and column, before reading it', async () => {
    const name = 'N'.repeat(2 * 1024 * 1024);
    const text = bpmn(
      `<process id="p">\n  <startEvent id="s"/>\n  <task id="t" name="${name}"/>\n</process>`,
    );
    const result = await importBpmnBytes(new TextEncoder().encode(text));
    expect(result.workflow).toBeUndefined();
    // the definitions element is line 2, the process line 3: the task's tag starts line 5, column 3
    expect(result.problems).toEqual([
      expect.objectContaining({ severity: 'error', code: 'too-long', line: 5, column: 3 }),
    ]);
    expect(result.problems[0]?.message).toContain('longer than 1,048,576 characters');
    expect(result.problems[0]?.message).toContain(
      'remove or shorten it in the modelling tool and export again',
    );
    expect(result.problems[0]?.message).not.toContain('NNNN');
  });

  it.each([
    { length: 900, refused: false },
    { length: 1_100, refused: true },
  ])(
    'a name of $length characters against a bound of 1,000: refused $refused',
    async ({ length, refused }) => {
      const text = bpmn(`<process id="p"><task id="t" name="${'n'.repeat(length)}"/></process>`);
      const result = await importBpmn(text, { maxTokenChars: 1_000 });
      expect(result.problems.some((p) => p.code === 'too-long')).toBe(refused);
      expect(result.workflow === undefined).toBe(refused);
    },
  );

  it('says which namespace BPMN definitions need', async () => {
    const result = await importBpmn('<definitions xmlns="urn:not-bpmn"/>');
    expect(result.problems[0]?.message).toContain('http://www.omg.org/spec/BPMN/20100524/MODEL');
  });

  it('reports an unresolved reference by element id and keeps the rest', async () => {
    const result = await workflowOf(
      '<process id="p"><task id="a"/><sequenceFlow id="f" sourceRef="a" targetRef="missing"/></process>',
    );
    expect(result.problems).toContainEqual(
      expect.objectContaining({ code: 'unresolved-reference', elementId: 'f', severity: 'warning' }),
    );
    expect(result.workflow.steps.map((s) => s.id)).toEqual(['a']);
    expect(result.notCarriedOver).toContainEqual(
      expect.objectContaining({ elementId: 'f', elementType: 'bpmn:SequenceFlow' }),
    );
  });

  it('reports an unknown BPMN element with its line and reads around it', async () => {
    const result = await workflowOf('<process id="p">\n<task id="a"/>\n<fancyTask id="b"/>\n</process>');
    expect(result.problems).toContainEqual(
      expect.objectContaining({ code: 'unreadable-element', severity: 'warning', line: 5 }),
    );
    expect(result.workflow.steps.map((s) => s.id)).toEqual(['a']);
  });

  it('expands no entities of a document type (no "billion laughs", no external files)', async () => {
    const lol = Array.from({ length: 10 }, () => '&lol;').join('');
    const result = await importBpmn(`<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY lol "lol"><!ENTITY lol2 "${lol}"><!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<definitions ${NS}><process id="p"><task id="t" name="&lol2;&xxe;"/></process></definitions>`);
    expect(result.workflow?.steps[0]?.label).toBe('&lol2;&xxe;');
  });

  it('never throws, whatever the text (property)', async () => {
    const fragments = fc.constantFrom(
      '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">',
      '</definitions>',
      '<process id="p">',
      '</process>',
      '<task id="t"/>',
      '<sequenceFlow id="f" sourceRef="t" targetRef="t"/>',
      '<laneSet><lane id="l"><flowNodeRef>t</flowNodeRef></lane></laneSet>',
      '<subProcess id="s">',
      '</subProcess>',
      '<boundaryEvent id="b" attachedToRef="s"/>',
      '<?xml version="1.0" encoding="ISO-8859-1"?>',
      '<!-- c -->',
      '&amp;',
      '<',
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fragments, fc.string()), { maxLength: 12 }), async (parts) => {
        const result = await importBpmn(parts.join(''));
        expect(Array.isArray(result.problems)).toBe(true);
        if (!result.workflow) expect(result.problems.some((p) => p.severity === 'error')).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('decodeXmlBytes reads the declared encoding', () => {
  const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
  const cases = [
    {
      description: 'ISO-8859-1 with an accented name',
      bytes: latin1('<?xml version="1.0" encoding="ISO-8859-1"?><a n="Caf\u00e9"/>'),
      text: 'Café',
    },
    {
      // Yaoqiang BPMN Editor on a Mac declares Java's name of Mac OS Roman; 0x8E is é there
      description: 'MacRoman, by Java’s name, with an accented name',
      bytes: Uint8Array.from([
        ...latin1('<?xml version="1.0" encoding="MacRoman"?><a n="Caf'),
        0x8e,
        ...latin1('"/>'),
      ]),
      text: 'Café',
    },
    {
      description: 'ISO-8859-1 by Java’s name ISO8859_1',
      bytes: latin1('<?xml version="1.0" encoding="ISO8859_1"?><a n="Caf\u00e9"/>'),
      text: 'Café',
    },
    {
      description: 'UTF-8 without a declaration',
      bytes: new TextEncoder().encode('<a n="Café"/>'),
      text: 'Café',
    },
    {
      description: 'UTF-8 with a byte-order mark',
      bytes: new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('<a n="Café"/>')]),
      text: 'Café',
    },
    {
      description: 'UTF-16 LE with a byte-order mark',
      bytes: new Uint8Array([0xff, 0xfe, ...[...'<a n="Café"/>'].flatMap((c) => [c.charCodeAt(0), 0])]),
      text: 'Café',
    },
  ];
  it.each(cases)('$description', ({ bytes, text }) => {
    const result = decodeXmlBytes(bytes);
    expect(result.ok && result.text).toContain(text);
  });

  it('refuses an encoding it cannot read, saying what to do', () => {
    const result = decodeXmlBytes(latin1('<?xml version="1.0" encoding="x-klingon"?><a/>'));
    expect(result).toMatchObject({ ok: false, code: 'unsupported-encoding' });
    expect(!result.ok && result.message).toContain('UTF-8');
  });

  it('refuses bytes that are not UTF-8 when no other encoding is declared, saying where', () => {
    expect(decodeXmlBytes(latin1('<a>\n<b n="Caf\u00e9"/>'))).toEqual({
      ok: false,
      code: 'invalid-encoding',
      message:
        'the file is not valid UTF-8 text: the byte at line 2, byte 13 cannot be read in that encoding; save it again as UTF-8',
    });
  });

  it('imports an ISO-8859-1 file without an encoding warning', async () => {
    const decoded = decodeXmlBytes(
      latin1(
        `<?xml version="1.0" encoding="ISO-8859-1"?><definitions ${NS}><process id="p"><task id="t" name="R\u00e9ception"/></process></definitions>`,
      ),
    );
    if (!decoded.ok) throw new Error(decoded.message);
    const result = await importBpmn(decoded.text);
    expect(result.problems).toEqual([]);
    expect(result.workflow?.steps[0]?.label).toBe('Réception');
  });
});

describe('references and elements as other tools write them', () => {
  it('resolves a reference written as a qualified name of the file’s own namespace', async () => {
    // IBM Process Designer: attachedToRef="Process:…", the prefix bound to the targetNamespace
    const result = await importBpmn(
      `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:Process="urn:clinic:intake" targetNamespace="urn:clinic:intake" xmlns:other="urn:elsewhere">
        <bpmn:process id="p"><bpmn:startEvent id="s"/><bpmn:serviceTask id="lab" name="Order labs"/><bpmn:endEvent id="e"/>
        <bpmn:boundaryEvent id="late" attachedToRef="Process:lab"><bpmn:timerEventDefinition/></bpmn:boundaryEvent>
        <bpmn:boundaryEvent id="lost" attachedToRef="other:lab"><bpmn:errorEventDefinition/></bpmn:boundaryEvent>
        <bpmn:userTask id="chase" name="Chase the lab"/>
        <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="lab"/><bpmn:sequenceFlow id="f2" sourceRef="lab" targetRef="e"/>
        <bpmn:sequenceFlow id="f3" sourceRef="late" targetRef="chase"/><bpmn:sequenceFlow id="f4" sourceRef="chase" targetRef="e"/>
        </bpmn:process></bpmn:definitions>`,
    );
    const step = (id: string) => result.workflow?.steps.find((s) => s.id === id);
    expect(step('late')?.boundary?.attachedTo).toBe('lab');
    // a prefix of another namespace names another file's element: not resolved, and said so
    expect(step('lost')?.boundary).toBeUndefined();
    expect(result.problems.map((p) => [p.code, p.elementId])).toEqual([['unresolved-reference', 'lost']]);
  });

  it('reads the branch chances of BIMP simulation settings, and only those in 0–1', async () => {
    // Signavio and Apromore write BIMP's settings beside the process; the chances are per flow
    const result = await importBpmn(
      `<definitions ${NS} xmlns:qbp="http://www.qbp-simulator.com/Schema201212"><process id="p"><startEvent id="s"/><exclusiveGateway id="g"/><task id="a" name="Book"/><task id="b" name="Write back"/><task id="c" name="Phone"/>
      <sequenceFlow id="f0" sourceRef="s" targetRef="g"/><sequenceFlow id="f1" sourceRef="g" targetRef="a"/><sequenceFlow id="f2" sourceRef="g" targetRef="b"/><sequenceFlow id="f3" sourceRef="g" targetRef="c"/></process>
      <qbp:processSimulationInfo id="sim"><qbp:sequenceFlows><qbp:sequenceFlow elementId="f1" executionProbability="0.7"/><qbp:sequenceFlow executionProbability="0.25" elementId="f2"/><qbp:sequenceFlow elementId="f3" executionProbability="5"/></qbp:sequenceFlows></qbp:processSimulationInfo></definitions>`,
    );
    const chance = (to: string) =>
      result.workflow?.flows.find((f) => f.from === 'g' && f.to === to)?.probability;
    expect([chance('a'), chance('b'), chance('c')]).toEqual([0.7, 0.25, undefined]);
    expect(result.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(
        /^the simulation settings of BIMP at line \d+, column \d+ are another tool's: their 2 branch chances are read/,
      ),
    ]);
  });

  it('ignores settings named like BIMP’s in another namespace', async () => {
    const result = await importBpmn(
      `<definitions ${NS} xmlns:sim="urn:other-simulator"><process id="p"><exclusiveGateway id="g"/><task id="a"/><task id="b"/><sequenceFlow id="f1" sourceRef="g" targetRef="a"/><sequenceFlow id="f2" sourceRef="g" targetRef="b"/></process>
      <sim:processSimulationInfo><sim:sequenceFlow elementId="f1" executionProbability="0.7"/></sim:processSimulationInfo></definitions>`,
    );
    expect(result.workflow?.flows.map((f) => f.probability)).toEqual([undefined, undefined]);
  });

  it('gives one warning per kind of unknown element, with the place of the first', async () => {
    // MID Innovator writes its own drawing, <geometry> and <waypoint> without a namespace
    const result = await importBpmn(
      `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">\n<bpmn:process id="p">\n<bpmn:task id="a"><geometry x="1" y="2" width="3" height="4"/></bpmn:task>\n<bpmn:task id="b"><geometry x="1" y="2" width="3" height="4"/></bpmn:task>\n<bpmn:task id="c"><geometry x="1" y="2" width="3" height="4"/></bpmn:task>\n<bpmn:sequenceFlow id="f" sourceRef="a" targetRef="b"><waypoint x="1" y="2"/></bpmn:sequenceFlow>\n</bpmn:process></bpmn:definitions>`,
    );
    expect(result.problems.map((p) => [p.code, p.line])).toEqual([
      ['unreadable-element', 3],
      ['unreadable-element', 6],
    ]);
    expect(result.problems[0]?.message).toMatch(
      /^3 <geometry> elements at line 3, column \d+ and after are not BPMN 2\.0/,
    );
    expect(result.problems[1]?.message).toMatch(/^an element at line 6/);
    expect(result.workflow?.steps.map((s) => s.id)).toEqual(['a', 'b', 'c']);
  });

  it('keeps an element whose id is not an XML name, under a repaired id, and says so once', async () => {
    // Bonita writes "eventdef-2 hours"; bpmn-moddle drops such an element (a timer would lose its timer)
    const { workflow, problems } = await workflowOf(`
      <process id="p">
        <userTask id="Change dressing"/>
        <boundaryEvent id="late" attachedToRef="Change dressing"><timerEventDefinition id="eventdef-2 hours"/></boundaryEvent>
        <endEvent id="e"/>
        <sequenceFlow id="f" sourceRef="Change dressing" targetRef="e">
          <conditionExpression xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:java="http://jcp.org/en/jsr/detail?id=270" xsi:type="tFormalExpression" evaluatesToTypeRef="java:java.lang.Boolean"/>
        </sequenceFlow>
        <sequenceFlow id="g" sourceRef="late" targetRef="e"/>
      </process>`);
    expect(problems.map((p) => [p.code, p.line, p.elementId])).toEqual([
      ['invalid-id', 5, 'Change_dressing'],
    ]);
    expect(problems[0]?.message).toMatch(
      /^2 element ids are not a valid XML name \(the first, "Change dressing"/,
    );
    expect(step(workflow, 'late').boundary).toEqual({
      attachedTo: 'Change_dressing',
      trigger: 'timer',
      interrupting: true,
    });
    expect(workflow.flows.map((f) => [f.from, f.to])).toContainEqual(['Change_dressing', 'e']);
  });

  it('reads data joined to a task by a plain association, and a step-less process as no pool', async () => {
    // itp-commerce writes the data drawn outside the pools in a process of its own, joined to
    // tasks by associations (as BPMN 1 drew data), not by data associations
    const { workflow, notCarriedOver } = await workflowOf(`
      <collaboration id="c">
        <participant id="front" name="Front desk" processRef="p1"/>
        <participant id="clinic" name="Clinic" processRef="p2"/>
      </collaboration>
      <process id="p1"><task id="scan" name="Scan letter"/></process>
      <process id="p2"><task id="book" name="Book"/><task id="wait" name="Waiting list"/></process>
      <process id="holder">
        <dataStoreReference id="pas" name="Patient administration system"/>
        <association id="a1" sourceRef="pas" targetRef="book"/>
        <association id="a2" sourceRef="wait" targetRef="pas"/>
      </process>`);
    expect(workflow.pools?.map((p) => p.id)).toEqual(['front', 'clinic']);
    expect(workflow.dataObjects).toEqual([
      {
        id: 'pas',
        label: 'Patient administration system',
        kind: 'store',
        readBy: ['book'],
        writtenBy: ['wait'],
      },
    ]);
    expect(notCarriedOver.map((n) => n.elementId)).not.toContain('a1');
  });
});

describe('mapping of BPMN elements', () => {
  it.each([
    ['task', 'task', 'digital'],
    ['userTask', 'task', 'digital'],
    ['manualTask', 'task', 'paper'],
    ['serviceTask', 'task', 'digital'],
    ['sendTask', 'task', 'digital'],
    ['receiveTask', 'task', 'digital'],
    ['scriptTask', 'task', 'digital'],
    ['businessRuleTask', 'task', 'digital'],
    ['callActivity', 'task', 'digital'],
    ['startEvent', 'start', 'digital'],
    ['endEvent', 'end', 'digital'],
    ['exclusiveGateway', 'decision', 'digital'],
    ['inclusiveGateway', 'inclusive-join', 'digital'],
    ['parallelGateway', 'parallel-join', 'digital'],
    ['eventBasedGateway', 'decision', 'digital'],
    ['complexGateway', 'decision', 'digital'],
    ['intermediateCatchEvent', 'wait', 'digital'],
    ['intermediateThrowEvent', 'task', 'digital'],
  ])('%s → %s', async (type, kind, medium) => {
    const { workflow } = await workflowOf(`<process id="p"><${type} id="x"/></process>`);
    expect(step(workflow, 'x')).toMatchObject({
      kind,
      medium,
      touchMin: 0,
      waitMin: 0,
      clicks: 0,
      enters: [],
    });
  });

  it.each([
    { type: 'parallelGateway', split: 'parallel-split', join: 'parallel-join' },
    { type: 'inclusiveGateway', split: 'inclusive-split', join: 'inclusive-join' },
  ])(
    'imports a $type pair as a split and a join, with no note and nothing listed',
    async ({ type, split, join }) => {
      const { workflow, notCarriedOver, problems } = await workflowOf(`<process id="p">
      <startEvent id="s"/><${type} id="g1"/><task id="a"/><task id="b"/><${type} id="g2"/><endEvent id="e"/>
      <sequenceFlow id="f1" sourceRef="s" targetRef="g1"/><sequenceFlow id="f2" sourceRef="g1" targetRef="a"/>
      <sequenceFlow id="f3" sourceRef="g1" targetRef="b"/><sequenceFlow id="f4" sourceRef="a" targetRef="g2"/>
      <sequenceFlow id="f5" sourceRef="b" targetRef="g2"/><sequenceFlow id="f6" sourceRef="g2" targetRef="e"/>
    </process>`);
      expect(problems).toEqual([]);
      expect(step(workflow, 'g1')).toMatchObject({ kind: split });
      expect(step(workflow, 'g2')).toMatchObject({ kind: join });
      expect(step(workflow, 'g1').notes).toBeUndefined();
      expect(notCarriedOver).toEqual([]);
    },
  );

  it('reads a gateway direction over its flows, and lists the joining of a mixed gateway', async () => {
    const { workflow, notCarriedOver } = await workflowOf(`<process id="p">
      <parallelGateway id="d" gatewayDirection="Diverging"/><task id="a"/>
      <parallelGateway id="m"/><task id="b"/><task id="c"/>
      <sequenceFlow id="f1" sourceRef="d" targetRef="a"/><sequenceFlow id="f2" sourceRef="a" targetRef="m"/>
      <sequenceFlow id="f3" sourceRef="d" targetRef="m"/><sequenceFlow id="f4" sourceRef="m" targetRef="b"/>
      <sequenceFlow id="f5" sourceRef="m" targetRef="c"/>
    </process>`);
    expect(step(workflow, 'd').kind).toBe('parallel-split');
    expect(step(workflow, 'm').kind).toBe('parallel-split');
    expect(notCarriedOver).toEqual([
      expect.objectContaining({ elementId: 'm', elementType: 'bpmn:ParallelGateway' }),
    ]);
  });

  it('notes how an event-based gateway differs from a decision, on the step and in the list', async () => {
    const { workflow, notCarriedOver } = await workflowOf(
      '<process id="p"><eventBasedGateway id="g"/></process>',
    );
    expect(step(workflow, 'g').notes).toContain('the first event to happen decides the branch');
    expect(notCarriedOver).toContainEqual(
      expect.objectContaining({ elementId: 'g', elementType: 'bpmn:EventBasedGateway' }),
    );
  });

  it('names a step without a name after its type', async () => {
    const { workflow } = await workflowOf(
      '<process id="p"><exclusiveGateway id="g"/><task id="t" name="  "/></process>',
    );
    expect(workflow.steps.map((s) => s.label)).toEqual(['Exclusive gateway', 'Task']);
  });

  it('makes lanes of a laneSet, flattening nested lanes with their path', async () => {
    const { workflow, notCarriedOver } = await workflowOf(`
      <process id="p" name="Clinic"><laneSet id="ls">
        <lane id="desk" name="Front desk"><flowNodeRef>a</flowNodeRef></lane>
        <lane id="clinical" name="Clinical"><flowNodeRef>b</flowNodeRef><flowNodeRef>c</flowNodeRef>
          <childLaneSet id="cls">
            <lane id="nurse" name="Nurse"><flowNodeRef>b</flowNodeRef></lane>
            <lane id="md" name="Physician"><flowNodeRef>c</flowNodeRef></lane>
          </childLaneSet>
        </lane></laneSet>
        <task id="a"/><task id="b"/><task id="c"/><task id="d"/>
      </process>`);
    expect(workflow.lanes).toEqual([
      { id: 'desk', name: 'Front desk', staff: 1 },
      { id: 'nurse', name: 'Clinical / Nurse', staff: 1 },
      { id: 'md', name: 'Clinical / Physician', staff: 1 },
      { id: 'p', name: 'Clinic (no lane)', staff: 1 },
    ]);
    expect(workflow.steps.map((s) => s.lane)).toEqual(['desk', 'nurse', 'md', 'p']);
    expect(notCarriedOver).toContainEqual(
      expect.objectContaining({
        elementId: 'clinical',
        elementType: 'bpmn:Lane',
        what: 'the nesting of lanes',
      }),
    );
  });

  it('keeps pools (a lane of each without a laneSet) and message flows in their own list', async () => {
    const { workflow, notCarriedOver } = await workflowOf(`
      <collaboration id="c">
        <participant id="patient" name="Patient"/>
        <participant id="clinic" name="Clinic" processRef="p"/>
        <messageFlow id="m" name="Referral" sourceRef="patient" targetRef="t"/>
        <messageFlow id="m2" sourceRef="t" targetRef="patient"/>
      </collaboration>
      <process id="p"><laneSet><lane id="desk" name="Front desk"><flowNodeRef>t</flowNodeRef></lane></laneSet>
        <task id="t"/></process>`);
    expect(workflow.pools).toEqual([
      { id: 'patient', name: 'Patient' },
      { id: 'clinic', name: 'Clinic' },
    ]);
    expect(workflow.lanes).toEqual([
      { id: 'patient', name: 'Patient', staff: 1, pool: 'patient' },
      { id: 'desk', name: 'Front desk', staff: 1, pool: 'clinic' },
    ]);
    expect(step(workflow, 't').lane).toBe('desk');
    expect(workflow.name).toBe('Clinic'); // the pool of the first process
    expect(workflow.messageFlows).toEqual([
      { id: 'm', from: 'patient', to: 't', label: 'Referral' },
      { id: 'm2', from: 't', to: 'patient' },
    ]);
    // a message is not a flow of the order of work
    expect(workflow.flows).toEqual([]);
    expect(notCarriedOver).toEqual([]);
  });

  it('flattens a sub-process: entry, inner steps, and outgoing flows from its end', async () => {
    const { workflow } = await workflowOf(`
      <process id="p">
        <startEvent id="s"/><subProcess id="sub" name="Check in">
          <startEvent id="in"/><task id="work"/><endEvent id="out"/>
          <sequenceFlow id="f1" sourceRef="in" targetRef="work"/><sequenceFlow id="f2" sourceRef="work" targetRef="out"/>
        </subProcess><endEvent id="e"/>
        <sequenceFlow id="f0" sourceRef="s" targetRef="sub"/><sequenceFlow id="f3" sourceRef="sub" targetRef="e"/>
      </process>`);
    expect(workflow.flows.map((f) => `${f.from}→${f.to}`)).toEqual([
      'in→work',
      'work→out',
      's→sub',
      'out→e',
      'sub→in',
    ]);
    expect(workflow.steps.map((s) => `${s.id}:${s.kind}`)).toEqual([
      's:start',
      'sub:task',
      'in:task',
      'work:task',
      'out:task',
      'e:end',
    ]);
  });

  it('keeps a boundary event attached to its activity, as a wait in its lane reached from it', async () => {
    const { workflow, notCarriedOver } = await workflowOf(`
      <process id="p"><laneSet><lane id="l" name="Nurse"><flowNodeRef>t</flowNodeRef></lane></laneSet>
        <task id="t"/><boundaryEvent id="b" attachedToRef="t" cancelActivity="false"><timerEventDefinition/></boundaryEvent>
        <boundaryEvent id="e" attachedToRef="t"><errorEventDefinition/></boundaryEvent>
        <task id="escalate"/><sequenceFlow id="f" sourceRef="b" targetRef="escalate"/>
      </process>`);
    expect(step(workflow, 'b')).toMatchObject({
      kind: 'wait',
      lane: 'l',
      boundary: { attachedTo: 't', trigger: 'timer', interrupting: false },
    });
    expect(step(workflow, 'e').boundary).toEqual({ attachedTo: 't', trigger: 'error', interrupting: true });
    expect(workflow.flows.map((f) => `${f.from}→${f.to}`)).toEqual(['b→escalate', 't→b', 't→e']);
    expect(notCarriedOver.map((n) => n.elementId)).toEqual([]);
  });

  it('enters an event sub-process by its event, and keeps its ends as ends', async () => {
    const { workflow } = await workflowOf(`
      <process id="p"><startEvent id="s"/><task id="t"/><endEvent id="e"/>
        <sequenceFlow id="f1" sourceRef="s" targetRef="t"/><sequenceFlow id="f2" sourceRef="t" targetRef="e"/>
        <subProcess id="esp" triggeredByEvent="true">
          <startEvent id="es" isInterrupting="false"><messageEventDefinition/></startEvent>
          <task id="handle"/><endEvent id="ee"/>
          <sequenceFlow id="g1" sourceRef="es" targetRef="handle"/><sequenceFlow id="g2" sourceRef="handle" targetRef="ee"/>
        </subProcess>
      </process>`);
    expect(step(workflow, 'esp').boundary).toEqual({ trigger: 'message', interrupting: false });
    expect(step(workflow, 'ee').kind).toBe('end');
    expect(workflow.flows.map((f) => `${f.from}→${f.to}`)).toContain('esp→es');
  });

  it('connects a link throw event to the link catch event of the same name', async () => {
    const { workflow, notCarriedOver } = await workflowOf(`
      <process id="p"><startEvent id="s"/><intermediateThrowEvent id="go"><linkEventDefinition name="A"/></intermediateThrowEvent>
        <intermediateCatchEvent id="land"><linkEventDefinition name="A"/></intermediateCatchEvent><endEvent id="e"/>
        <intermediateThrowEvent id="lost"><linkEventDefinition name="B"/></intermediateThrowEvent>
        <sequenceFlow id="f1" sourceRef="s" targetRef="go"/><sequenceFlow id="f2" sourceRef="land" targetRef="e"/>
      </process>`);
    expect(workflow.flows.map((f) => `${f.from}→${f.to}`)).toContain('go→land');
    expect(notCarriedOver.map((n) => `${n.elementId}: ${n.what}`)).toEqual([
      'lost: the link to its paired link event',
    ]);
  });

  it('follows a compensation boundary event with its handler', async () => {
    const { workflow, notCarriedOver } = await workflowOf(`
      <process id="p"><task id="book"/><boundaryEvent id="c" attachedToRef="book"><compensateEventDefinition/></boundaryEvent>
        <task id="cancel" isForCompensation="true"/><association id="a" sourceRef="c" targetRef="cancel"/>
      </process>`);
    expect(step(workflow, 'c').boundary?.trigger).toBe('compensation');
    expect(workflow.flows.map((f) => `${f.from}→${f.to}`)).toContain('c→cancel');
    expect(notCarriedOver.map((n) => n.elementId)).toEqual([]);
  });

  it("marks an activity's conditional and default flows (a choice, not flows taken at once)", async () => {
    const { workflow } = await workflowOf(`
      <process id="p"><task id="t" default="d"/><task id="a"/><task id="b"/><task id="c"/>
        <sequenceFlow id="d" sourceRef="t" targetRef="a"/>
        <sequenceFlow id="k" sourceRef="t" targetRef="b"><conditionExpression>urgent</conditionExpression></sequenceFlow>
        <sequenceFlow id="n" sourceRef="a" targetRef="c"/>
      </process>`);
    expect(workflow.flows.map((f) => `${f.from}→${f.to} ${f.branch ?? '-'}`)).toEqual([
      't→a default',
      't→b condition',
      'a→c -',
    ]);
  });

  it('keeps flow names and conditions in the source step notes, annotations beside the steps', async () => {
    const { workflow, notCarriedOver } = await workflowOf(`
      <process id="p"><exclusiveGateway id="g"/><task id="yes" name="Book"/>
        <sequenceFlow id="f" name="insured" sourceRef="g" targetRef="yes"><conditionExpression>ok == true</conditionExpression></sequenceFlow>
        <textAnnotation id="ta"><text>Often skipped</text></textAnnotation>
        <association id="as" sourceRef="yes" targetRef="ta"/>
        <textAnnotation id="loose"><text>x</text></textAnnotation>
      </process>`);
    expect(step(workflow, 'g').notes).toBe('→ "Book": insured (condition: ok == true)');
    expect(step(workflow, 'yes').notes).toBeUndefined();
    expect(workflow?.annotations).toEqual([
      { id: 'ta', text: 'Often skipped', steps: ['yes'] },
      { id: 'loose', text: 'x' },
    ]);
    expect(notCarriedOver).toEqual([]);
  });

  it('keeps data objects and stores with what reads and writes them', async () => {
    const { workflow, notCarriedOver } = await workflowOf(`
      <process id="p">
        <dataObject id="do" name="Referral letter"/><dataObjectReference id="dor" dataObjectRef="do"/>
        <dataStoreReference id="ehr" name="EHR"/>
        <task id="t"><property id="t_in" name="__targetRef_placeholder"/>
          <dataInputAssociation id="dia"><sourceRef>ehr</sourceRef><targetRef>t_in</targetRef></dataInputAssociation>
          <dataOutputAssociation id="doa"><targetRef>dor</targetRef></dataOutputAssociation>
        </task>
        <task id="u"><dataInputAssociation id="dib"><sourceRef>dor</sourceRef></dataInputAssociation></task>
      </process>`);
    expect(workflow.dataObjects).toEqual([
      { id: 'dor', label: 'Referral letter', kind: 'object', readBy: ['u'], writtenBy: ['t'] },
      { id: 'ehr', label: 'EHR', kind: 'store', readBy: ['t'] },
    ]);
    expect(notCarriedOver).toEqual([]);
  });

  it('reads references sharing one data object or data store as one document with every link', async () => {
    // as Camunda and Signavio draw a document again where it is used, named by its state
    const { workflow, notCarriedOver } = await workflowOf(`
      <process id="p">
        <dataObject id="do" name="ID document"/>
        <dataObjectReference id="scanned" name="ID document [scanned]" dataObjectRef="do"/>
        <dataObjectReference id="checked" name="ID document [checked]" dataObjectRef="do"/>
        <dataStoreReference id="ehr" dataStoreRef="store"/>
        <dataStoreReference id="ehr-again" name="EHR" dataStoreRef="store"/>
        <task id="scan"><dataOutputAssociation id="a1"><targetRef>scanned</targetRef></dataOutputAssociation></task>
        <task id="check"><property id="c_in" name="__targetRef_placeholder"/>
          <dataInputAssociation id="a2"><sourceRef>scanned</sourceRef><targetRef>c_in</targetRef></dataInputAssociation>
          <dataOutputAssociation id="a3"><targetRef>checked</targetRef></dataOutputAssociation>
          <dataOutputAssociation id="a4"><targetRef>ehr-again</targetRef></dataOutputAssociation>
        </task>
        <task id="file"><property id="f_in" name="__targetRef_placeholder"/>
          <dataInputAssociation id="a5"><sourceRef>checked</sourceRef><targetRef>f_in</targetRef></dataInputAssociation>
          <dataInputAssociation id="a6"><sourceRef>ehr</sourceRef><targetRef>f_in</targetRef></dataInputAssociation>
        </task>
      </process>
      <dataStore id="store"/>`);
    // each further drawing is kept with its own id and name and the links drawn to it, which are
    // the document's too
    expect(workflow.dataObjects).toEqual([
      {
        id: 'scanned',
        label: 'ID document',
        kind: 'object',
        readBy: ['check', 'file'],
        writtenBy: ['scan', 'check'],
        drawings: [{ id: 'checked', label: 'ID document [checked]', readBy: ['file'], writtenBy: ['check'] }],
      },
      {
        id: 'ehr',
        label: 'EHR',
        kind: 'store',
        readBy: ['file'],
        writtenBy: ['check'],
        drawings: [{ id: 'ehr-again', writtenBy: ['check'] }],
      },
    ]);
    expect(notCarriedOver).toEqual([]);
  });

  it('warns about a preflight:dataReference that names no other reference and reads it alone', async () => {
    const { workflow, problems } = await workflowOf(`
      <process id="p">
        <dataObjectReference id="sheet" name="Lab sheet"/>
        <dataObjectReference id="copy" name="Lab sheet copy">
          <extensionElements><preflight:dataReference of="nowhere"/></extensionElements>
        </dataObjectReference>
        <task id="t"><dataOutputAssociation id="a1"><targetRef>copy</targetRef></dataOutputAssociation></task>
      </process>`);
    expect(problems.map((p) => [p.code, p.severity, p.elementId])).toEqual([
      ['unreadable-element', 'warning', 'copy'],
    ]);
    expect(problems[0]?.message).toContain('preflight:dataReference');
    expect(workflow.dataObjects?.map((d) => [d.id, d.writtenBy])).toEqual([
      ['sheet', undefined],
      ['copy', ['t']],
    ]);
  });

  it('lists loops, vendor extensions and data objects nothing draws; keeps groups', async () => {
    const { workflow, notCarriedOver } = await workflowOf(`
      <process id="p">
        <dataObject id="do"/>
        <task id="t" acme:color="red"><extensionElements><acme:config/></extensionElements>
          <standardLoopCharacteristics/>
        </task>
        <group id="grp"/>
      </process>`);
    expect(notCarriedOver.map((n) => `${n.elementId} ${n.elementType}`)).toEqual([
      'do bpmn:DataObject',
      't bpmn:Task',
      't xmlns:acme',
    ]);
    expect(workflow?.groups).toEqual([{ id: 'grp' }]);
    expect(notCarriedOver.find((n) => n.elementType === 'xmlns:acme')?.what).toContain(
      '2 extension elements',
    );
  });

  it('reads positions from DI (shape centre) and turns vertical lanes into horizontal ones', async () => {
    const body = (horizontal: boolean) => `
      <process id="p"><laneSet><lane id="l"><flowNodeRef>t</flowNodeRef></lane></laneSet><task id="t"/><startEvent id="s"/></process>
      <bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="pl" bpmnElement="p">
        <bpmndi:BPMNShape id="l_di" bpmnElement="l" isHorizontal="${horizontal}"><dc:Bounds x="0" y="0" width="600" height="200"/></bpmndi:BPMNShape>
        <bpmndi:BPMNShape id="t_di" bpmnElement="t"><dc:Bounds x="100" y="60" width="100" height="80"/></bpmndi:BPMNShape>
        <bpmndi:BPMNShape id="s_di" bpmnElement="s"><dc:Bounds x="20" y="82" width="36" height="36"/></bpmndi:BPMNShape>
      </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>`;
    const flat = await workflowOf(body(true));
    expect(step(flat.workflow, 't').position).toEqual({ x: 100, y: 60 });
    expect(step(flat.workflow, 's').position).toEqual({ x: -12, y: 60 });
    const vertical = await workflowOf(body(false));
    expect(step(vertical.workflow, 't').position).toEqual({ x: 50, y: 110 }); // centre (150, 100) turned
    expect(vertical.notCarriedOver).toContainEqual(
      expect.objectContaining({ elementId: 'l', what: 'the vertical orientation of its lanes' }),
    );
  });

  it('takes no positions from the page of a collapsed sub-process (its own coordinates)', async () => {
    const { workflow } = await workflowOf(`
      <process id="p"><subProcess id="sub"><task id="inner"/></subProcess></process>
      <bpmndi:BPMNDiagram id="d1"><bpmndi:BPMNPlane id="pl1" bpmnElement="p">
        <bpmndi:BPMNShape id="sub_di" bpmnElement="sub"><dc:Bounds x="100" y="100" width="100" height="80"/></bpmndi:BPMNShape>
      </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
      <bpmndi:BPMNDiagram id="d2"><bpmndi:BPMNPlane id="pl2" bpmnElement="sub">
        <bpmndi:BPMNShape id="inner_di" bpmnElement="inner"><dc:Bounds x="100" y="100" width="100" height="80"/></bpmndi:BPMNShape>
      </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>`);
    expect(step(workflow, 'sub').position).toEqual({ x: 100, y: 100 });
    expect(step(workflow, 'inner').position).toBeUndefined();
  });

  it('leaves positions out without DI', async () => {
    const { workflow } = await workflowOf('<process id="p"><task id="t"/></process>');
    expect(step(workflow, 't').position).toBeUndefined();
  });

  it('merges two sequence flows between the same steps and lists the second', async () => {
    const { workflow, notCarriedOver } = await workflowOf(`
      <process id="p"><exclusiveGateway id="g"/><task id="t"/>
        <sequenceFlow id="f1" sourceRef="g" targetRef="t"/><sequenceFlow id="f2" sourceRef="g" targetRef="t"/></process>`);
    expect(workflow.flows).toEqual([{ from: 'g', to: 't', transfer: 'none' }]);
    expect(notCarriedOver).toEqual([
      expect.objectContaining({ elementId: 'f2', elementType: 'bpmn:SequenceFlow' }),
    ]);
  });
});

describe('the preflight extension', () => {
  it('carries approvals, clinical attributes, probabilities and the workflow fields', async () => {
    const { workflow, problems } = await workflowOf(`
      <process id="p" name="Refill">
        <extensionElements><preflight:workflow id="refill-future" process="refill" state="future" baseline="refill-current"
          arrivalsPerHour="4.5" casesPerDay="30" capacityFactor="0.5" productivityFactor="0.7"><preflight:retired>old</preflight:retired></preflight:workflow></extensionElements>
        <laneSet><lane id="md" name="Physician"><extensionElements><preflight:lane staff="3"/></extensionElements><flowNodeRef>ok</flowNodeRef><flowNodeRef>g</flowNodeRef><flowNodeRef>a</flowNodeRef><flowNodeRef>b</flowNodeRef></lane></laneSet>
        <userTask id="ok" name="Approve refill"><extensionElements><preflight:step kind="approval" medium="fax" system="EHR"
          touchMin="2.5" waitMin="240" clicks="12"><preflight:enters>dose</preflight:enters><preflight:replaces>sign-paper</preflight:replaces></preflight:step></extensionElements></userTask>
        <exclusiveGateway id="g"/><task id="a"/><task id="b"/>
        <sequenceFlow id="f1" sourceRef="ok" targetRef="g"><extensionElements><preflight:flow transfer="paper"/></extensionElements></sequenceFlow>
        <sequenceFlow id="f2" sourceRef="g" targetRef="a"><extensionElements><preflight:flow probability="0.25"/></extensionElements></sequenceFlow>
        <sequenceFlow id="f3" sourceRef="g" targetRef="b"><extensionElements><preflight:flow probability="0.75" transfer="electronic"/></extensionElements></sequenceFlow>
      </process>`);
    expect(problems).toEqual([]);
    expect(workflow).toMatchObject({
      id: 'refill-future',
      name: 'Refill',
      process: 'refill',
      state: 'future',
      baseline: 'refill-current',
      arrivalsPerHour: 4.5,
      casesPerDay: 30,
      retired: ['old'],
      goLive: { capacityFactor: 0.5, productivityFactor: 0.7 },
      lanes: [{ id: 'md', name: 'Physician', staff: 3 }],
    });
    expect(step(workflow, 'ok')).toEqual({
      id: 'ok',
      label: 'Approve refill',
      lane: 'md',
      kind: 'approval',
      medium: 'fax',
      system: 'EHR',
      touchMin: 2.5,
      waitMin: 240,
      clicks: 12,
      enters: ['dose'],
      replaces: ['sign-paper'],
    });
    expect(workflow.flows).toEqual([
      { from: 'ok', to: 'g', transfer: 'paper' },
      { from: 'g', to: 'a', probability: 0.25, transfer: 'none' },
      { from: 'g', to: 'b', probability: 0.75, transfer: 'electronic' },
    ]);
  });

  it('warns about extension values out of range and uses the defaults', async () => {
    const { workflow, problems } = await workflowOf(`
      <process id="p"><task id="t"><extensionElements><preflight:step kind="meeting" medium="pigeon" touchMin="-3" clicks="2.5"/></extensionElements></task>
      <task id="u"/><sequenceFlow id="f" sourceRef="t" targetRef="u"><extensionElements><preflight:flow probability="7" transfer="teleport"/></extensionElements></sequenceFlow></process>`);
    expect(step(workflow, 't')).toMatchObject({ kind: 'task', medium: 'digital', touchMin: 0, clicks: 2 });
    expect(workflow.flows).toEqual([{ from: 't', to: 'u', transfer: 'none' }]);
    expect(problems.map((p) => `${p.code} ${p.elementId}`)).toEqual([
      'unreadable-element t',
      'unreadable-element t',
      'unreadable-element t',
      'unreadable-element f',
      'unreadable-element f',
    ]);
  });

  it('warns about a workflow state that is neither current nor future, on its process', async () => {
    const { workflow, problems } = await workflowOf(
      '<process id="p"><extensionElements><preflight:workflow state="past"/></extensionElements><task id="t"/></process>',
    );
    expect(workflow.state).toBe('current');
    expect(problems).toEqual([expect.objectContaining({ code: 'unreadable-element', elementId: 'p' })]);
  });

  it('reports a workflow that breaks the format (probabilities) as problems with a path, keeping it', async () => {
    const { workflow, problems } = await workflowOf(`
      <process id="p"><exclusiveGateway id="g"/><task id="a"/><task id="b"/>
        <sequenceFlow id="f1" sourceRef="g" targetRef="a"><extensionElements><preflight:flow probability="0.5"/></extensionElements></sequenceFlow>
        <sequenceFlow id="f2" sourceRef="g" targetRef="b"><extensionElements><preflight:flow probability="0.2"/></extensionElements></sequenceFlow></process>`);
    expect(workflow.flows).toHaveLength(2);
    expect(problems).toEqual([
      expect.objectContaining({ code: 'invalid-workflow', path: '/steps/0', severity: 'error' }),
    ]);
  });
});

describe('importBpmnBytes', () => {
  const encode = (text: string) => new TextEncoder().encode(text);
  const noDiagram = bpmn(
    '<process id="p"><startEvent id="s"/><task id="t"/><sequenceFlow id="f" sourceRef="s" targetRef="t"/></process>',
  );

  it('lays out a file without a diagram when asked, left to right', async () => {
    const result = await importBpmnBytes(encode(noDiagram), { layoutWithoutDiagram: true });
    const [s, t] = result.workflow?.steps ?? [];
    expect(s?.position && t?.position && t.position.x > s.position.x).toBe(true);
  });

  it('leaves positions out when not asked', async () => {
    const result = await importBpmnBytes(encode(noDiagram));
    expect(result.workflow?.steps.every((step) => step.position === undefined)).toBe(true);
  });

  it('makes an undecodable file a fatal problem', async () => {
    const result = await importBpmnBytes(Uint8Array.from([0x3c, 0x61, 0xff, 0x3e]));
    expect(result).toEqual({
      notCarriedOver: [],
      account: { reader: 'bpmn', used: [], lines: [] },
      problems: [expect.objectContaining({ code: 'invalid-encoding', severity: 'error' })],
    });
  });
});

describe("a step's measured figures (preflight:step observed)", () => {
  const withObserved = (observed: string) =>
    workflowOf(`<process id="p"><task id="t" name="Sort the slips"><extensionElements>
      <preflight:step kind="task" medium="paper" observed="${observed.replace(/"/g, '&quot;')}" />
    </extensionElements></task></process>`);

  it('are read back as the step measured them', async () => {
    const { workflow, problems } = await withObserved(JSON.stringify({ n: 12, cases: 12 }));
    expect(step(workflow, 't').observed).toEqual({ n: 12, cases: 12 });
    expect(problems).toEqual([]);
  });

  it('are left out, said, when they are not JSON or break the format', async () => {
    const notJson = await withObserved('{n: 12');
    expect(step(notJson.workflow, 't').observed).toBeUndefined();
    expect(notJson.problems.map((p) => p.message)).toContainEqual(
      expect.stringContaining('preflight:step observed is not an object in JSON; left out'),
    );
    const broken = await withObserved(JSON.stringify({ n: 'twelve' }));
    expect(step(broken.workflow, 't').observed).toBeUndefined();
    expect(broken.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(broken.problems.map((p) => p.message)).toContainEqual(
      'step "t": its preflight:step observed figures break the workflow format; left out',
    );
  });
});
