/**
 * `preflight workflow import-bpmn` and `export-bpmn` through main(): the MIWG reference models,
 * the sample workflows both ways, and every exit code.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { miwgDirectory, miwgFiles } from '../../../tests/fixtures/miwg.ts';
import { loadWorkflow, type Workflow } from '../../formats/workflow.ts';
import { runCli } from '../cliTestKit.ts';

const SAMPLES = path.resolve(import.meta.dirname, '../../../samples/workflows');
let dir: string;

function run(args: string[]) {
  return runCli(args, dir).then(({ code, out, err }) => ({ code, stdout: out, stderr: err }));
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-bpmn-'));
  await copyFile(path.join(SAMPLES, 'patient-intake.future.json'), path.join(dir, 'intake.json'));
  await writeFile(path.join(dir, 'notes.bpmn'), 'Patient called back, see chart');
  await writeFile(path.join(dir, 'other.xml'), '<?xml version="1.0"?><invoice><line/></invoice>');
  await writeFile(path.join(dir, 'not-json.json'), '{ "format": ');
  await writeFile(path.join(dir, 'mapping.json'), JSON.stringify({ format: 'preflight.mapping/v1' }));
  const broken = JSON.parse(await readFile(path.join(SAMPLES, 'lab-results.current.json'), 'utf8'));
  broken.steps[2].lane = 'Jane Q. Patient';
  await writeFile(path.join(dir, 'broken.json'), JSON.stringify(broken));
  const latin1 = `<?xml version="1.0" encoding="ISO-8859-1"?><definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p"><task id="t" name="R\u00e9ception"/></process></definitions>`;
  await writeFile(
    path.join(dir, 'latin1.bpmn'),
    Uint8Array.from(latin1, (c) => c.charCodeAt(0)),
  );
  await writeFile(
    path.join(dir, 'bad-probability.bpmn'),
    `<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:preflight="urn:preflight:bpmn:1"><process id="p">
      <exclusiveGateway id="g"/><task id="a"/><sequenceFlow id="f" sourceRef="g" targetRef="a">
      <extensionElements><preflight:flow probability="0.5"/></extensionElements></sequenceFlow></process></definitions>`,
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('preflight workflow import-bpmn', () => {
  it.each(miwgFiles())('imports MIWG %s to workflow JSON on stdout', async (name) => {
    const result = await run(['workflow', 'import-bpmn', path.join(miwgDirectory(), name)]);
    expect(result.code).toBe(0);
    const loaded = loadWorkflow(JSON.parse(result.stdout));
    expect(loaded.ok).toBe(true);
    if (result.stderr !== '') expect(result.stderr).toMatch(/^Not carried over from .* \(\d+\):\n {2}- /);
  });

  it('writes to -o and lists what was not carried over on stderr only', async () => {
    const source = path.join(miwgDirectory(), 'B.2.0.bpmn');
    const result = await run(['workflow', 'import-bpmn', source, '-o', 'b20.json']);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toMatch(
      /^ {2}- Not used: element bpmn:process\/bpmn:eventBasedGateway \(seen once, first at element [^)]+\): the event based gateway semantics/m,
    );
    expect(loadWorkflow(JSON.parse(await readFile(path.join(dir, 'b20.json'), 'utf8'))).ok).toBe(true);
  });

  it.each([
    { description: 'no file', args: [], message: 'give the BPMN file to import' },
    { description: 'two files', args: ['a.bpmn', 'b.bpmn'], message: 'one BPMN file at a time' },
    {
      description: 'a missing file',
      args: ['missing.bpmn'],
      message: 'cannot read "missing.bpmn": no such file',
    },
    { description: 'a directory', args: ['.'], message: 'it is a directory' },
    { description: 'text that is not XML', args: ['notes.bpmn'], message: 'not-xml' },
    { description: 'XML that is not BPMN', args: ['other.xml'], message: 'not-bpmn' },
  ])('exits 2 on $description', async ({ args, message }) => {
    const result = await run(['workflow', 'import-bpmn', ...args]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toContain('Patient called back');
  });

  it('reads the encoding the file declares (ISO-8859-1)', async () => {
    const result = await run(['workflow', 'import-bpmn', 'latin1.bpmn']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).steps[0].label).toBe('Réception');
  });

  it('exits 2 when the output cannot be written', async () => {
    const result = await run(['workflow', 'import-bpmn', 'latin1.bpmn', '-o', 'no/such/dir/out.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot write "no/such/dir/out.json": its folder does not exist');
  });

  it('lays out a file without a diagram', async () => {
    const result = await run(['workflow', 'import-bpmn', 'bad-probability.bpmn']);
    const steps = JSON.parse(result.stdout).steps as { position?: { x: number } }[];
    expect(steps.every((step) => step.position !== undefined)).toBe(true);
  });

  it('exits 1 when the workflow breaks a rule of the format, still writing it', async () => {
    const result = await run(['workflow', 'import-bpmn', 'bad-probability.bpmn']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).flows).toHaveLength(1);
    expect(result.stderr).toContain('error [invalid-workflow]');
  });
});

describe('preflight workflow import-bpmn: the reader account', () => {
  const referral = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d">
  <bpmn:process id="Referral" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:intermediateCatchEvent id="Wait5d" name="Wait for reply">
      <bpmn:timerEventDefinition id="T1"><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P5D</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="Reminder" name="Reminder due">
      <bpmn:timerEventDefinition id="T2"><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">=reminderDue</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:userTask id="Book" name="Book">
      <bpmn:extensionElements><zeebe:formDefinition formKey="patient-4711" /></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Wait5d" />
    <bpmn:sequenceFlow id="F2" sourceRef="Wait5d" targetRef="Reminder" />
    <bpmn:sequenceFlow id="F3" sourceRef="Reminder" targetRef="Book" />
  </bpmn:process>
</bpmn:definitions>`;

  beforeAll(async () => {
    await writeFile(path.join(dir, 'referral.bpmn'), referral);
  });

  it('lists on stderr what was not used, with count, place and effect, never a value', async () => {
    const result = await run(['workflow', 'import-bpmn', 'referral.bpmn']);
    expect(result.code).toBe(0);
    const workflow = JSON.parse(result.stdout) as Workflow;
    expect(workflow.steps.find((step) => step.id === 'Wait5d')?.waitMin).toBe(7200);
    expect(result.stderr).toContain(
      '  - Not used: element bpmn:timerEventDefinition/bpmn:timeDuration (seen once, first at element Reminder): the timer is an expression the process engine works out per case, so its wait is left at 0 minutes',
    );
    expect(result.stderr).toMatch(
      /^ {2}- Not used: attribute zeebe:formDefinition@formKey \(seen once, first at line 12, column \d+, element Book\): a setting of another tool/m,
    );
    // names, never values
    expect(result.stderr).not.toContain('reminderDue');
    expect(result.stderr).not.toContain('patient-4711');
  });

  it('prints the workflow, what was not carried over, the account and the problems with --json', async () => {
    const result = await run(['workflow', 'import-bpmn', 'referral.bpmn', '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report)).toEqual(['file', 'workflow', 'notCarriedOver', 'account', 'problems']);
    expect(report.account.reader).toBe('bpmn');
    expect(report.account.used).toContain('bpmn:timerEventDefinition/bpmn:timeDuration');
    expect(report.account.lines).toContainEqual(
      expect.objectContaining({
        kind: 'element',
        name: 'bpmn:timerEventDefinition/bpmn:timeDuration',
        handling: 'not-used',
        count: 1,
        where: { elementId: 'Reminder' },
      }),
    );
    expect(report.workflow.steps.find((step: { id: string }) => step.id === 'Wait5d').waitMin).toBe(7200);
    const withOutput = await run([
      'workflow',
      'import-bpmn',
      'referral.bpmn',
      '--json',
      '-o',
      'referral.json',
    ]);
    expect(Object.keys(JSON.parse(withOutput.stdout))).toEqual([
      'file',
      'notCarriedOver',
      'account',
      'problems',
    ]);
    expect(loadWorkflow(JSON.parse(await readFile(path.join(dir, 'referral.json'), 'utf8'))).ok).toBe(true);
  });
});

describe('preflight workflow export-bpmn', () => {
  it('exports a sample that import-bpmn reads back unchanged', async () => {
    const exported = await run(['workflow', 'export-bpmn', 'intake.json', '-o', 'intake.bpmn']);
    expect(exported).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const imported = await run(['workflow', 'import-bpmn', 'intake.bpmn']);
    expect(imported.code).toBe(0);
    // nothing of the workflow is left out: only the drawing's routes, which export draws again
    expect(imported.stderr.split('\n')).toEqual([
      expect.stringMatching(/^Details of the drawing not kept .*bpmndi:BPMNPlane\/bpmndi:BPMNEdge ×\d+/),
    ]);
    const original = JSON.parse(await readFile(path.join(dir, 'intake.json'), 'utf8')) as Workflow;
    expect(JSON.parse(imported.stdout)).toEqual(original);
  });

  it('prints the XML on stdout without -o', async () => {
    const result = await run(['workflow', 'export-bpmn', 'intake.json']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<bpmn:definitions /);
  });

  it.each([
    { description: 'a missing file', file: 'missing.json', code: 2, message: 'no such file' },
    { description: 'a file that is not JSON', file: 'not-json.json', code: 2, message: 'not JSON (line 1' },
    {
      description: 'another Preflight format',
      file: 'mapping.json',
      code: 2,
      message: 'preflight.workflow/v1',
    },
    { description: 'a BPMN file', file: 'notes.bpmn', code: 2, message: 'not JSON' },
    { description: 'a workflow with problems', file: 'broken.json', code: 1, message: '/steps/2/lane' },
  ])('exits $code on $description, writing nothing', async ({ file, code, message }) => {
    const result = await run(['workflow', 'export-bpmn', file]);
    expect(result.code).toBe(code);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toContain('Jane Q. Patient');
  });
});

it('--help lists both commands', async () => {
  const result = await run(['--help']);
  expect(result.stdout).toContain('workflow import-bpmn');
  expect(result.stdout).toContain('workflow export-bpmn');
});
