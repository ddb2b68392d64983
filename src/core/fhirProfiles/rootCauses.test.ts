/**
 * One defect, one problem: a defect that makes a profile's slice go unmatched, a reference's
 * target break its target profile, or a second claimed profile say the same again is reported
 * once, where it is, and what follows from it is folded under it (`causedBy` on the resource's
 * issues; `derived` in the report, each counted; in the resource's OperationOutcome, each issue that
 * follows names its root cause's place). Cases are IPS 2.0.0 examples with one defect.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  extensionsPackage,
  type IpsExample,
  ipsExamples,
  ipsPackage,
} from '../../../tests/fixtures/ipsPackage.ts';
import {
  createFhirRun,
  createFhirSession,
  type FhirIssue,
  type FhirSession,
  generatedModules,
  issueKey,
  toOperationOutcome,
} from '../fhir/index.ts';
import { validatorProfiles } from './check.ts';
import { createProfileRegistry } from './registry.ts';
import type { StructureDefinition } from './types.ts';

type Json = Record<string, unknown>;

const IPS = 'http://hl7.org/fhir/uv/ips/StructureDefinition/';
const CLINIC_FLAG = 'http://example.org/fhir/StructureDefinition/clinic-flag';

let examples: IpsExample[];
let session: FhirSession;

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const example = (name: string): Json => {
  const found = examples.find((e) => e.name === name);
  if (!found) throw new Error(`no IPS example ${name}`);
  return clone(found.resource);
};
/** The resource of the minimal IPS Bundle's entry of this type. */
const entryOf = (bundle: Json, type: string): Json => {
  const entry = (bundle.entry as { resource: Json }[]).find((e) => e.resource.resourceType === type);
  if (!entry) throw new Error(`no ${type} entry`);
  return entry.resource;
};

beforeAll(async () => {
  examples = await ipsExamples();
  const ips = await ipsPackage();
  // a clinic's own Flag profile copied from the IPS one: a Flag claiming both hears each rule twice
  const flag = clone(
    ips.structureDefinitions.find((sd) => sd.id === 'Flag-alert-uv-ips') as StructureDefinition,
  );
  flag.url = CLINIC_FLAG;
  flag.id = 'clinic-flag';
  const clinic = { ...ips, name: 'test.clinic', structureDefinitions: [flag], dependencies: [] };
  session = await createFhirSession(generatedModules, {
    profiles: validatorProfiles(createProfileRegistry([ips, extensionsPackage(), clinic])),
  });
});

interface RootCase {
  name: string;
  resource: () => Json;
  /** the root causes: rule, location, message */
  roots: [string, string, string][];
  /** warnings of the specification's own bindings that stand beside them (before them): rule, location, message */
  warnings?: [string, string, string][];
  /** what follows from them: rule and location */
  derived: [string, string][];
}

const CASES: RootCase[] = [
  {
    name: "a Patient entry breaking an IPS invariant: the Bundle's 'patient' and 'composition' slices follow",
    resource: () => {
      const bundle = example('Bundle-bundle-minimal.json');
      entryOf(bundle, 'Patient').name = [{ use: 'official' }];
      return bundle;
    },
    roots: [
      [
        'fhir-profile-invariant',
        'Bundle.entry[1].resource.name[0]',
        'Patient.name: ips-pat-1: Patient.name.given, Patient.name.family or Patient.name.text SHALL be present (Patient-uv-ips, the target of Composition.subject in Composition-uv-ips)',
      ],
    ],
    // the Composition no longer conforms, so the Condition is not held to Condition-uv-ips, whose
    // additional binding allows LOINC's "Problem": the specification's extensible binding speaks
    warnings: [
      [
        'fhir-code-not-in-value-set-extensible',
        'Bundle.entry[4].resource.category[0]',
        'Expected a coding from http://terminology.hl7.org/CodeSystem/condition-category (a code from ConditionCategoryCodes, one of: encounter-diagnosis, problem-list-item): the binding is extensible, so use one of its codes unless none fits',
      ],
    ],
    derived: [
      ['fhir-profile-type', 'Bundle.entry[0].resource.subject.reference'],
      ['fhir-profile-slice', 'Bundle.entry'],
      ['fhir-profile-slice', 'Bundle.entry'],
    ],
  },
  {
    name: 'a Patient entry that claims the IPS profile without a birth date: the slice follows, named once',
    resource: () => {
      const bundle = example('Bundle-bundle-minimal.json');
      const patient = entryOf(bundle, 'Patient');
      patient.meta = { profile: [`${IPS}Patient-uv-ips`] };
      delete patient.birthDate;
      return bundle;
    },
    roots: [
      [
        'fhir-profile-cardinality',
        'Bundle.entry[1].resource.birthDate',
        "Patient.birthDate: requires at least 1, found 0 (Patient-uv-ips, slice 'patient' of Bundle-uv-ips)",
      ],
    ],
    derived: [['fhir-profile-slice', 'Bundle.entry']],
  },
  {
    name: "a Composition status outside R4's codes: the base layer's error is the root of the slice",
    resource: () => {
      const bundle = example('Bundle-bundle-minimal.json');
      entryOf(bundle, 'Composition').status = 'draft';
      return bundle;
    },
    roots: [
      [
        'fhir-value-not-allowed',
        'Bundle.entry[0].resource.status',
        'Expected one of: preliminary, final, amended, entered-in-error',
      ],
    ],
    derived: [['fhir-profile-slice', 'Bundle.entry']],
  },
  {
    name: 'a Flag claiming the IPS profile and a copy of it: the copy repeats the fixed status',
    resource: () => {
      const flag = example('Flag-546482.json');
      flag.status = 'inactive';
      flag.meta = { profile: [`${IPS}Flag-alert-uv-ips`, CLINIC_FLAG] };
      return flag;
    },
    roots: [
      [
        'fhir-profile-value',
        'Flag.status',
        "Flag.status: must be 'active', as the profile fixes it (Flag-alert-uv-ips)",
      ],
    ],
    derived: [['fhir-profile-value', 'Flag.status']],
  },
];

/** The issue an issue follows from, to the end of the chain. */
function rootOf(issue: FhirIssue, issues: readonly FhirIssue[]): FhirIssue | undefined {
  let current: FhirIssue | undefined = issue;
  while (current?.causedBy !== undefined) {
    const key: string = current.causedBy;
    current = issues.find((i) => issueKey(i) === key);
  }
  return current;
}

const notInformation = (i: FhirIssue) => i.severity !== 'information';

describe('profile issues by root cause', () => {
  it.each(CASES)('$name', async ({ resource, roots, warnings, derived }) => {
    const issues = (await session.validate(resource())).issues.filter(notInformation);
    const found = issues.filter((i) => i.causedBy === undefined);
    expect(found.map((i) => [i.rule, i.location, i.message])).toEqual([...(warnings ?? []), ...roots]);
    const follow = issues.filter((i) => i.causedBy !== undefined);
    expect(follow.map((i) => [i.rule, i.location])).toEqual(derived);
    // every issue that follows leads to a root cause of the resource, never to nothing
    for (const i of follow) expect(found).toContain(rootOf(i, issues));
  });

  it.each(CASES)('the OperationOutcome marks what follows with its root cause: $name', async (c) => {
    const issues = (await session.validate(c.resource())).issues;
    const outcome = toOperationOutcome(issues) as { issue: { diagnostics: string }[] };
    const marked = outcome.issue.flatMap((entry, n) => {
      const follows = /; follows from issue (\d+) \(its root cause\)$/.exec(entry.diagnostics);
      if (!follows) return [];
      const root = issues[Number(follows[1]) - 1] as FhirIssue;
      return [[issues[n]?.rule, issues[n]?.location, root.rule, root.location]];
    });
    // each issue that follows, and only those, names its root cause by its place in the outcome
    expect(marked).toEqual(
      issues
        .filter((i) => i.causedBy !== undefined)
        .map((i) => {
          const root = rootOf(i, issues) as FhirIssue;
          return [i.rule, i.location, root.rule, root.location];
        }),
    );
    // a note (information) a second profile repeats follows its first saying; the defects are these
    const rootRules = new Set<string | undefined>(c.roots.map((r) => r[0]));
    expect(
      marked.filter(([, , rule]) => rootRules.has(rule)).map(([, , rule, location]) => [rule, location]),
    ).toEqual(c.derived.map(() => [c.roots[0]?.[0], c.roots[0]?.[1]]));
  });

  it.each(CASES)('the report lists only the root causes, and counts what follows: $name', async (c) => {
    const copies = 3;
    const ndjson = `${Array.from({ length: copies }, () => JSON.stringify(c.resource())).join('\n')}\n`;
    const run = createFhirRun(session);
    await run.addNdjson(
      'export.ndjson',
      (async function* () {
        yield ndjson;
      })(),
    );
    const report = run.report({ startedAt: '', generatedAt: '', totalMs: 0, version: 'test' });
    // errors only: a Flag's subject not in the export is a warning of its own
    const problems = report.issues.filter((i) => i.severity === 'error');
    expect(problems.map((i) => [i.rule, i.count])).toEqual(c.roots.map(([rule]) => [rule, copies]));
    const folded = problems.flatMap((i) => i.derived ?? []);
    expect(folded.reduce((n, d) => n + d.count, 0)).toBe(c.derived.length * copies);
    // nothing is lost: the summary still counts every occurrence, folded ones included
    expect(report.summary.errors).toBe((c.roots.length + c.derived.length) * copies);
    expect(report.summary.invalid).toBe(copies);
  });
});
