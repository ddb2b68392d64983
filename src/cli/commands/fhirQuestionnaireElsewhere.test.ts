/**
 * A QuestionnaireResponse whose Questionnaire is not in its own file, through the command a clinic
 * runs: the Questionnaire in a package given with `--ig`, or in another file of the same run, is
 * found by its canonical URL and version; an item's value set the package defines judges coded
 * answers; a Questionnaire found nowhere leaves the response said not checked.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tgz } from '../../../tests/fixtures/tgz.ts';
import { usCoreExamples } from '../../../tests/fixtures/usCorePackage.ts';
import { runCli } from '../cliTestKit.ts';

const URL = 'http://clinic.example.org/fhir/Questionnaire/intake';
const VS = 'http://clinic.example.org/fhir/ValueSet/smoking';
const CS = 'http://clinic.example.org/fhir/CodeSystem/smoking';

const questionnaire = (version: string, linkId: string) => ({
  resourceType: 'Questionnaire',
  id: `intake-${version}`,
  url: URL,
  version,
  status: 'active',
  item: [
    { linkId, text: 'Weight', type: 'decimal' },
    { linkId: 'smoking', text: 'Smoking', type: 'choice', answerValueSet: VS },
  ],
});

const codeSystem = {
  resourceType: 'CodeSystem',
  id: 'smoking',
  url: CS,
  status: 'active',
  content: 'complete',
  concept: [
    { code: 'never', display: 'Never' },
    { code: 'daily', display: 'Daily' },
  ],
};
const valueSet = {
  resourceType: 'ValueSet',
  id: 'smoking',
  url: VS,
  status: 'active',
  compose: { include: [{ system: CS }] },
};

/** A completed response naming `canonical`, with a weight and a smoking answer. */
const response = (canonical: string, smoking: string) => ({
  resourceType: 'QuestionnaireResponse',
  id: 'r1',
  questionnaire: canonical,
  status: 'completed',
  item: [
    { linkId: 'weight', answer: [{ valueDecimal: 71.5 }] },
    { linkId: 'smoking', answer: [{ valueCoding: { system: CS, code: smoking } }] },
  ],
});

type Report = { issues: { rule: string; severity: string; location?: string; count: number }[] };

describe('fhir validate: a QuestionnaireResponse against a Questionnaire from elsewhere', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'preflight-qr-elsewhere-'));
    // two versions of the Questionnaire: 1.0 names its first item "weight", 2.0 "weightKg"
    const files: Record<string, string> = {
      'package/package.json': JSON.stringify({ name: 'clinic.forms', version: '1.0.0' }),
      'package/Questionnaire-intake-1.json': JSON.stringify(questionnaire('1.0', 'weight')),
      'package/Questionnaire-intake-2.json': JSON.stringify(questionnaire('2.0', 'weightKg')),
      'package/CodeSystem-smoking.json': JSON.stringify(codeSystem),
      'package/ValueSet-smoking.json': JSON.stringify(valueSet),
    };
    await writeFile(path.join(dir, 'forms.tgz'), tgz(files));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const validate = async (file: string, body: unknown, extra: string[]): Promise<Report['issues']> => {
    await writeFile(path.join(dir, file), JSON.stringify(body));
    const { out, err } = await runCli(['fhir', 'validate', '--json', ...extra, file], dir);
    if (!out.trim().startsWith('{')) throw new Error(err);
    return (JSON.parse(out) as Report).issues.filter((i) => i.rule.startsWith('fhir-questionnaire'));
  };

  it('checks the answers against the version of the Questionnaire the response names, from the package', async () => {
    const v1 = await validate('v1.json', response(`${URL}|1.0`, 'never'), ['--ig', 'forms.tgz']);
    expect(v1).toEqual([]);
    const v2 = await validate('v2.json', response(`${URL}|2.0`, 'never'), ['--ig', 'forms.tgz']);
    expect(v2.map((i) => `${i.rule} ${i.severity}`)).toEqual(['fhir-questionnaire-answer error']);
  });

  it("judges a coded answer against the item's value set the package defines", async () => {
    const issues = await validate('code.json', response(`${URL}|1.0`, 'weekly'), ['--ig', 'forms.tgz']);
    expect(issues.map((i) => `${i.rule} ${i.severity}`)).toEqual(['fhir-questionnaire-answer error']);
  });

  it('checks the answers against a Questionnaire in another file of the same run', async () => {
    await writeFile(path.join(dir, 'form.json'), JSON.stringify(questionnaire('2.0', 'weightKg')));
    await writeFile(path.join(dir, 'answers.json'), JSON.stringify(response(`${URL}|2.0`, 'never')));
    const { out } = await runCli(['fhir', 'validate', '--json', 'form.json', 'answers.json'], dir);
    const issues = (JSON.parse(out) as Report).issues.filter((i) => i.rule.startsWith('fhir-questionnaire'));
    // the item "weight" is not the Questionnaire's; the value set is not loaded, so said not checked
    expect(issues.map((i) => `${i.rule} ${i.severity}`).sort()).toEqual([
      'fhir-questionnaire-answer error',
      'fhir-questionnaire-not-checked information',
    ]);
  });

  it("checks US Core's QuestionnaireResponse examples against their Questionnaires' files, and finds nothing", async () => {
    const examples = (await usCoreExamples()).filter((e) =>
      ['Questionnaire', 'QuestionnaireResponse'].includes(e.resource.resourceType as string),
    );
    const names: string[] = [];
    for (const e of examples) {
      await writeFile(path.join(dir, e.name), JSON.stringify(e.resource));
      names.push(e.name);
    }
    const questionnaireRules = async (files: string[]) => {
      const { out } = await runCli(['fhir', 'validate', '--json', ...files], dir);
      return (JSON.parse(out) as Report).issues
        .filter((i) => i.rule.startsWith('fhir-questionnaire'))
        .map((i) => `${i.rule} ×${i.count}`);
    };
    // without the Questionnaires' files, the three responses naming them are not checked ...
    const responses = names.filter((n) => n.startsWith('QuestionnaireResponse-'));
    expect(await questionnaireRules(responses)).toEqual(['fhir-questionnaire-not-checked ×3']);
    // ... with them in the run, they are checked, and fit
    expect(await questionnaireRules(names)).toEqual([]);
  });

  it('says the response not checked when no package or file of the run holds its Questionnaire', async () => {
    const issues = await validate('none.json', response(`${URL}|1.0`, 'never'), []);
    expect(issues.map((i) => i.rule)).toEqual(['fhir-questionnaire-not-checked']);
  });
});
