import { describe, expect, it } from 'vitest';
import { canonicalSha256Hex } from '../core/hash/index.ts';
import { PROBLEM_CODES as C, type FormatProblem, type Migration } from './loading.ts';
import {
  createProjectFile,
  EMBEDDED_FORMATS,
  loadProjectFile,
  MAX_PROJECT_KEY_CHARS,
  MAX_PROJECT_TEXT_CHARS,
  PROJECT_FORMAT,
  type ProjectFile,
  type ProjectReport,
  parseProjectFile,
} from './project.ts';
import * as fixtures from './testing/fixtures.ts';
import { nth } from './testing/fixtures.ts';
import { WORKFLOW_FORMAT, type Workflow, workflowFormat } from './workflow.ts';

const pairs = (problems: FormatProblem[]) => problems.map((p) => [p.path, p.code]);

/**
 * A report as project files held them before report ids: no `id` (typed as a project's report
 * only so it can be put into a file the test writes).
 */
function idless(): ProjectReport {
  const { id: _dropped, ...report } = fixtures.fixtureReport();
  return report as ProjectReport;
}

/** Builds the text of an exported file, optionally editing it after the hash was computed. */
function exported(edit?: (file: ProjectFile) => void, rehash = false): string {
  const file = fixtures.fixtureProjectFile();
  edit?.(file);
  if (rehash) file.integrity.sha256 = canonicalSha256Hex(file.project);
  return JSON.stringify(file, null, 2);
}

describe('createProjectFile', () => {
  it('tags, stamps and hashes the project', () => {
    const project = fixtures.fixtureProject();
    const file = createProjectFile(project, { now: new Date('2025-03-02T12:00:00Z'), appVersion: '1.2.3' });
    expect(file).toEqual({
      format: PROJECT_FORMAT,
      exportedAt: '2025-03-02T12:00:00.000Z',
      app: { name: 'preflight', version: '1.2.3' },
      project,
      integrity: { sha256: canonicalSha256Hex(project) },
    });
  });

  it('refuses a project JSON cannot carry', () => {
    const project = fixtures.fixtureProject();
    nth(project.workflows, 0).arrivalsPerHour = Number.NaN;
    expect(() => createProjectFile(project, { now: '2025-03-02T12:00:00Z', appVersion: '1' })).toThrow(
      TypeError,
    );
  });
});

describe('parseProjectFile', () => {
  it('round-trips an exported project, whatever the indentation', () => {
    const file = fixtures.fixtureProjectFile();
    for (const text of [
      JSON.stringify(file),
      JSON.stringify(file, null, 2),
      `\uFEFF${JSON.stringify(file, null, '\t')}\n`,
    ]) {
      expect(parseProjectFile(text)).toEqual({ ok: true, value: file });
    }
  });

  it('round-trips with key order changed (the hash is over canonical JSON)', () => {
    const file = fixtures.fixtureProjectFile();
    const reversed = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reversed)
        : typeof value === 'object' && value !== null
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([k, v]) => [k, reversed(v)]),
            )
          : value;
    expect(parseProjectFile(JSON.stringify(reversed(file))).ok).toBe(true);
  });

  /** `expected`: the problems that refuse the file; `warnings`: those of an ok result */
  const table: {
    description: string;
    input: string;
    expected: [string, string][];
    warnings?: [string, string][];
  }[] = [
    {
      description: 'invalid JSON',
      input: '{\n  "format": "preflight.project/v1",\n}',
      expected: [['', C.invalidJson]],
    },
    {
      description: 'not a Preflight file',
      input: '{"resourceType": "Bundle"}',
      expected: [['', C.notPreflight]],
    },
    {
      description: 'another Preflight format',
      input: JSON.stringify(fixtures.fixtureWorkflow()),
      expected: [['/format', C.wrongFormat]],
    },
    {
      description: 'a newer version',
      input: exported((f) => {
        (f as { format: string }).format = 'preflight.project/v2';
      }),
      expected: [['/format', C.newerVersion]],
    },
    {
      description: 'an edit after export breaks integrity',
      input: exported((f) => {
        f.project.meta.name = 'Edited';
      }),
      expected: [['/integrity/sha256', C.integrityMismatch]],
    },
    {
      description: 'a malformed hash is a schema problem',
      input: exported((f) => {
        f.integrity.sha256 = 'sha256-abc';
      }),
      expected: [['/integrity/sha256', C.wrongForm]],
    },
    {
      description: 'integrity and schema problems together',
      input: exported((f) => {
        (f.project.meta as { createdAt: unknown }).createdAt = 5;
      }),
      expected: [
        ['/integrity/sha256', C.integrityMismatch],
        ['/project/meta/createdAt', C.wrongType],
      ],
    },
    {
      description: 'schema problems of embedded documents carry full paths',
      input: exported((f) => {
        delete (nth(nth(f.project.workflows, 0).steps, 2) as { lane?: string }).lane;
        (nth(nth(f.project.mappings, 0).fields, 0) as { const?: unknown }).const = 1;
      }, true),
      expected: [
        ['/project/workflows/0/steps/2/lane', C.missingField],
        ['/project/mappings/0/fields/0', C.conflictingFields],
      ],
    },
    {
      description: 'semantic problems of embedded documents (draft states) are warnings with full paths',
      input: exported((f) => {
        nth(nth(f.project.workflows, 0).steps, 2).lane = 'doctor';
        nth(nth(f.project.samplePlans, 0).population.strata, 1).id = 'patients';
      }, true),
      expected: [],
      warnings: [
        ['/project/workflows/0/steps/2/lane', C.unknownReference],
        ['/project/samplePlans/0/population/strata/1/id', C.duplicateId],
      ],
    },
    {
      description: 'branch probabilities that do not sum to 1 are a warning (an editor draft)',
      input: exported((f) => {
        nth(nth(f.project.workflows, 0).flows, 2).probability = 0.5;
      }, true),
      expected: [],
      warnings: [['/project/workflows/0/steps/2', C.probabilitySum]],
    },
    {
      description: 'a redacted report holding values is refused, not a warning',
      input: exported((f) => {
        nth(f.project.reports, 0).redacted = true;
      }, true),
      expected: [
        ['/project/reports/0/issues/0/examples/0/value', C.notRedacted],
        ['/project/reports/0/crossFile/duplicateKeys/0/key', C.notRedacted],
        ['/project/reports/0/profiles/0/top', C.notRedacted],
        ['/project/reports/0/profiles/0/min', C.notRedacted],
        ['/project/reports/0/profiles/0/max', C.notRedacted],
      ],
    },
    {
      description: 'duplicate ids across the project are refused (they would share a storage key)',
      input: exported((f) => {
        nth(f.project.workflows, 1).id = nth(f.project.workflows, 0).id;
        nth(f.project.workflows, 1).baseline = 'elsewhere';
        nth(f.project.datasets, 1).id = 'd1';
      }, true),
      expected: [
        ['/project/workflows/1/id', C.duplicateId],
        ['/project/datasets/1/id', C.duplicateId],
      ],
    },
    {
      description: 'two reports with the same id are refused',
      input: exported((f) => {
        nth(f.project.reports, 0).id = 'run-1';
        f.project.reports.push({
          ...fixtures.fixtureReport(),
          id: 'run-1',
          generatedAt: '2025-03-04T00:00:00Z',
        });
      }, true),
      expected: [['/project/reports/1/id', C.duplicateId]],
    },
    {
      description: 'two reports without an id (an older file) and the same generatedAt are refused',
      input: exported((f) => {
        f.project.reports = [idless(), idless()];
      }, true),
      expected: [['/project/reports/1/generatedAt', C.duplicateId]],
    },
    {
      description: 'a report without an id whose generatedAt is an earlier report id is refused',
      input: exported((f) => {
        nth(f.project.reports, 0).id = idless().generatedAt;
        f.project.reports.push(idless());
      }, true),
      expected: [['/project/reports/1/generatedAt', C.duplicateId]],
    },
    {
      description: 'reports without an id but different generatedAt import',
      input: exported((f) => {
        f.project.reports = [idless(), { ...idless(), generatedAt: '2025-03-04T00:00:00Z' }];
      }, true),
      expected: [],
    },
    {
      description: 'replaces and retired that name no step of the baseline are warnings',
      input: exported((f) => {
        nth(nth(f.project.workflows, 1).steps, 1).replaces = ['form', 'fax-back'];
        nth(f.project.workflows, 1).retired = ['shred'];
      }, true),
      expected: [],
      warnings: [
        ['/project/workflows/1/steps/1/replaces/1', C.unknownReference],
        ['/project/workflows/1/retired/0', C.unknownReference],
      ],
    },
    {
      description: 'a baseline that is not a workflow of the project is a warning',
      input: exported((f) => {
        nth(f.project.workflows, 1).baseline = 'elsewhere';
      }, true),
      expected: [],
      warnings: [['/project/workflows/1/baseline', C.unknownReference]],
    },
    {
      description: 'a baseline that is a future workflow is a warning',
      input: exported((f) => {
        nth(f.project.workflows, 1).baseline = 'intake-future-2';
        f.project.workflows.push({ ...fixtures.fixtureFutureWorkflow(), id: 'intake-future-2' });
      }, true),
      expected: [],
      warnings: [['/project/workflows/1/baseline', C.unknownReference]],
    },
    {
      description: 'a dataset contract that is not a schema is a warning',
      input: exported((f) => {
        nth(f.project.datasets, 0).contract = 'nope';
      }, true),
      expected: [],
      warnings: [['/project/datasets/0/contract', C.unknownReference]],
    },
    {
      description: 'a check set (layout, key, mapping, links) round-trips',
      input: exported((f) => {
        const [first, second] = [nth(f.project.datasets, 0), nth(f.project.datasets, 1)];
        Object.assign(first, {
          quote: "'",
          lineEnding: 'CRLF',
          header: true,
          key: 'patient_id',
          references: [{ column: 'patient_id', target: second.id, targetColumn: 'patient_id' }],
        });
      }, true),
      expected: [],
    },
    {
      description: 'a check set naming a mapping or a file not in the project is a warning',
      input: exported((f) => {
        Object.assign(nth(f.project.datasets, 0), {
          mapping: 'gone',
          references: [{ column: 'patient_id', target: 'gone', targetColumn: 'patient_id' }],
        });
      }, true),
      expected: [],
      warnings: [
        ['/project/datasets/0/mapping', C.unknownReference],
        ['/project/datasets/0/references/0/target', C.unknownReference],
      ],
    },
    {
      description: 'a damaged check set is refused at its path',
      input: exported((f) => {
        Object.assign(nth(f.project.datasets, 0), {
          lineEnding: 'crlf',
          key: '',
          references: [{ column: 'a' }],
        });
      }, true),
      expected: [
        ['/project/datasets/0/lineEnding', C.notAllowed],
        ['/project/datasets/0/key', C.tooShort],
        ['/project/datasets/0/references/0/target', C.missingField],
        ['/project/datasets/0/references/0/targetColumn', C.missingField],
      ],
    },
    {
      description: 'a project from before go-live checks were kept imports',
      input: exported((f) => {
        delete f.project.workflowChecks;
      }, true),
      expected: [],
    },
    {
      description: 'a go-live check of a workflow not in the project is a warning',
      input: exported((f) => {
        nth(f.project.workflowChecks ?? [], 0).id = 'removed-workflow';
      }, true),
      expected: [],
      warnings: [['/project/workflowChecks/0/id', C.unknownReference]],
    },
    {
      description: 'a damaged go-live check is refused at its path',
      input: exported((f) => {
        const check = nth(f.project.workflowChecks ?? [], 0);
        check.workflowSha256 = 'not-a-hash';
        (check.result as { skipped: unknown }).skipped = { kiosk: -1 };
        delete (check.result as { cases?: unknown }).cases;
      }, true),
      expected: [
        ['/project/workflowChecks/0/workflowSha256', C.wrongForm],
        ['/project/workflowChecks/0/result/cases', C.missingField],
        ['/project/workflowChecks/0/result/skipped/kiosk', C.outOfRange],
      ],
    },
    {
      description:
        'a go-live check saying how it read sub-processes and message starts imports; a damaged one is refused',
      input: exported((f) => {
        const result = nth(f.project.workflowChecks ?? [], 0).result;
        result.subProcesses = { lab: 'inner', referral: 'outer' };
        result.messageStarts = { 'lab-in': { runsAtOnce: 3, casesBeyond: 0 } };
        (result.subProcesses as Record<string, string>).other = 'sideways';
        (result.messageStarts as Record<string, { runsAtOnce: number }>).late = {
          runsAtOnce: 0,
          casesBeyond: 1,
        } as never;
      }, true),
      expected: [
        ['/project/workflowChecks/0/result/subProcesses/other', C.notAllowed],
        ['/project/workflowChecks/0/result/messageStarts/late/runsAtOnce', C.outOfRange],
      ],
    },
    {
      description:
        'a go-live check with what its log showed of the forecast load imports; a damaged one is refused',
      input: exported((f) => {
        const check = nth(f.project.workflowChecks ?? [], 0);
        check.observed = {
          cases: 40,
          activeHours: 8,
          meanCaseMin: 31.5,
          lanes: {
            nurse: { instances: 40, timed: 40, touchMin: 260, designedTouchMin: 160, people: 2 },
            desk: { instances: -1, timed: 0, touchMin: 0, designedTouchMin: 0, people: 0 },
          },
        };
        (check.observed.lanes.nurse as unknown as Record<string, unknown>).caseIds = [];
      }, true),
      expected: [
        ['/project/workflowChecks/0/observed/lanes/nurse/caseIds', C.unknownField],
        ['/project/workflowChecks/0/observed/lanes/desk/instances', C.outOfRange],
      ],
    },
    {
      description: 'two go-live checks of one workflow are refused (one last check per workflow)',
      input: exported((f) => {
        f.project.workflowChecks?.push(fixtures.fixtureWorkflowCheck('w2'));
      }, true),
      expected: [['/project/workflowChecks/1/id', C.duplicateId]],
    },
    {
      description: 'a project from before process maps were kept imports',
      input: exported((f) => {
        delete f.project.logMaps;
      }, true),
      expected: [],
    },
    {
      description: 'a damaged kept process map is refused at its path',
      input: exported((f) => {
        const kept = nth(f.project.logMaps ?? [], 0);
        kept.log.sha256 = 'not-a-hash';
        (nth(kept.map.edges, 0) as { n: number }).n = -1;
        (nth(kept.map.activities, 0) as unknown as Record<string, unknown>).caseIds = ['V001'];
      }, true),
      expected: [
        ['/project/logMaps/0/log/sha256', C.wrongForm],
        ['/project/logMaps/0/map/activities/0/caseIds', C.unknownField],
        ['/project/logMaps/0/map/edges/0/n', C.outOfRange],
      ],
    },
    {
      description: 'a kept map with a stack of conditions, one on a kept column, imports',
      input: exported((f) => {
        nth(f.project.logMaps ?? [], 0).filters.attributes = [
          { attribute: 'column', column: 'department', values: ['Cardiology'], keep: 'with' },
          { attribute: 'role', values: ['Lab'], keep: 'without' },
        ];
      }, true),
      expected: [],
    },
    {
      description: 'a condition on the resource column, or with an empty column name, is refused',
      input: exported((f) => {
        nth(f.project.logMaps ?? [], 0).filters.attributes = [
          { attribute: 'resource' as 'role', values: ['Dr Lee'], keep: 'with' },
          { attribute: 'column', column: '', values: ['Cardiology'], keep: 'with' },
        ];
      }, true),
      expected: [
        ['/project/logMaps/0/filters/attributes/0/attribute', C.notAllowed],
        ['/project/logMaps/0/filters/attributes/1/column', C.tooShort],
      ],
    },
    {
      description: 'two kept process maps with one id are refused',
      input: exported((f) => {
        f.project.logMaps?.push(fixtures.fixtureLogMap());
      }, true),
      expected: [['/project/logMaps/1/id', C.duplicateId]],
    },
    {
      description: 'a project from before back-tests were kept imports',
      input: exported((f) => {
        delete f.project.workflowBackTests;
      }, true),
      expected: [],
    },
    {
      description: "a back-test without the log file's hash imports (the file could not be read again)",
      input: exported((f) => {
        delete nth(f.project.workflowBackTests ?? [], 0).log.sha256;
      }, true),
      expected: [],
    },
    {
      description: 'a back-test of a workflow not in the project is a warning',
      input: exported((f) => {
        nth(f.project.workflowBackTests ?? [], 0).id = 'removed-workflow';
      }, true),
      expected: [],
      warnings: [['/project/workflowBackTests/0/id', C.unknownReference]],
    },
    {
      description: 'a damaged back-test is refused at its path',
      input: exported((f) => {
        const kept = nth(f.project.workflowBackTests ?? [], 0);
        kept.log.sha256 = 'not-a-hash';
        (kept.result as { verdict: string }).verdict = 'maybe';
        (nth(kept.result.steps, 0) as unknown as Record<string, unknown>).caseIds = ['V001'];
        delete (kept as { testedAt?: unknown }).testedAt;
      }, true),
      expected: [
        ['/project/workflowBackTests/0/testedAt', C.missingField],
        ['/project/workflowBackTests/0/log/sha256', C.wrongForm],
        ['/project/workflowBackTests/0/result/steps/0/caseIds', C.unknownField],
        ['/project/workflowBackTests/0/result/verdict', C.notAllowed],
      ],
    },
    {
      description: 'two back-tests of one workflow are refused (one last back-test per workflow)',
      input: exported((f) => {
        f.project.workflowBackTests?.push(fixtures.fixtureWorkflowBackTest('w1'));
      }, true),
      expected: [['/project/workflowBackTests/1/id', C.duplicateId]],
    },
    {
      description: 'settings are open; unknown fields elsewhere are not',
      input: exported((f) => {
        f.project.meta.settings.futureThing = { deep: [1, 'x'] };
        (f.project.datasets[0] as unknown as Record<string, unknown>).content = 'a,b\n1,2';
      }, true),
      expected: [['/project/datasets/0/content', C.unknownField]],
    },
    {
      description: 'kept FHIR checks load; a check a later version added is a warning, not a refusal',
      input: exported((f) => {
        f.project.meta.settings.fhirChecks = { off: ['bindings', 'lint'], unknownExtensions: 'warning' };
      }, true),
      expected: [],
      warnings: [['/project/meta/settings/fhirChecks/off/1', C.notAllowed]],
    },
    {
      description:
        'a go/no-go meeting record loads; a condition without its text and a bad due day are refused',
      input: exported((f) => {
        f.project.meta.settings.steeringMeeting = {
          attendees: [{ name: 'Dr Osei', role: 'CMIO', steering: true, attended: true }],
          quorum: { minSteering: 1, roles: ['CMIO'] },
          conditions: [{ owner: 'Lee' }, { text: 'Recheck', due: '10 Jan' }],
        };
      }, true),
      expected: [
        ['/project/meta/settings/steeringMeeting/conditions/0/text', C.missingField],
        ['/project/meta/settings/steeringMeeting/conditions/1/due', C.wrongForm],
      ],
    },
    {
      description: 'kept FHIR checks with an unknown severity are refused',
      input: exported((f) => {
        f.project.meta.settings.fhirChecks = { unknownExtensions: 'ignore' };
      }, true),
      expected: [['/project/meta/settings/fhirChecks/unknownExtensions', C.notAllowed]],
    },
  ];
  it.each(table)('$description', ({ input, expected, warnings = [] }) => {
    const result = parseProjectFile(input);
    expect(result.ok ? [] : pairs(result.problems)).toEqual(expected);
    if (expected.length === 0) expect(result.ok && pairs(result.warnings ?? [])).toEqual(warnings);
  });

  it.each([
    {
      description: 'a text value over 1,048,576 characters',
      edit: (f: ProjectFile) => {
        f.project.meta.name = 'y'.repeat(MAX_PROJECT_TEXT_CHARS + 1);
      },
      says: 'the text starting at line {line}, column {column} is longer than 1,048,576 characters, far more than any project holds, so the file was not read; export the project again from Preflight, or ask whoever sent it for a new export',
    },
    {
      description: 'a property name over 16,384 characters',
      edit: (f: ProjectFile) => {
        (f.project.meta as unknown as Record<string, unknown>)['y'.repeat(MAX_PROJECT_KEY_CHARS + 1)] = 1;
      },
      says: 'the property name starting at line {line}, column {column} is longer than 16,384 characters, far more than any project holds, so the file was not read; export the project again from Preflight, or ask whoever sent it for a new export',
    },
  ])('refuses $description where it starts, before parsing, never quoting it', ({ edit, says }) => {
    const text = exported(edit, true);
    // where the hostile string's opening quote is, counted as editors count
    const at = text.indexOf(`"${'y'.repeat(64)}`);
    const line = text.slice(0, at).split('\n').length;
    const column = at - text.lastIndexOf('\n', at);
    const result = parseProjectFile(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.code).toBe(C.textTooLong);
    expect(result.problems[0]?.message).toBe(
      says.replace('{line}', String(line)).replace('{column}', String(column)),
    );
    expect(result.problems[0]?.message).not.toContain('yyyy');
  });

  it('reads a text value of exactly 1,048,576 characters', () => {
    const result = parseProjectFile(
      exported((f) => {
        f.project.workflows[0] = {
          ...(f.project.workflows[0] as Workflow),
          description: 'y'.repeat(MAX_PROJECT_TEXT_CHARS - 2),
        };
      }, true),
    );
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('gives the line and column of a syntax error', () => {
    const result = parseProjectFile('{\n  "format": "preflight.project/v1",\n}');
    expect(result.ok ? '' : result.problems[0]?.message).toBe(
      'not valid JSON: a comma before "}" (trailing comma) at line 3, column 1',
    );
  });

  it('says what a tampered file is', () => {
    const result = parseProjectFile(
      exported((f) => {
        f.project.meta.name = 'x';
      }),
    );
    expect(result.ok ? '' : result.problems[0]?.message).toBe(
      'the project does not match its integrity hash: the file was damaged or edited after export',
    );
  });
});

describe('reports written without an id (project files from before report ids)', () => {
  /** An exported file whose reports have no id, as Preflight wrote them before report ids. */
  function oldFile(): ProjectFile {
    const file = fixtures.fixtureProjectFile();
    const { id: _dropped, ...withoutId } = nth(file.project.reports, 0);
    file.project.reports = [
      withoutId,
      { ...withoutId, generatedAt: '2025-03-04T00:00:00Z' },
    ] as ProjectReport[];
    file.integrity.sha256 = canonicalSha256Hex(file.project);
    return file;
  }

  it('import, each report given its generatedAt as id (the key it was stored under)', () => {
    const result = parseProjectFile(JSON.stringify(oldFile()));
    expect(result.ok && result.warnings).toBe(undefined);
    if (!result.ok) throw new Error('expected the old file to import');
    expect(result.value.project.reports.map((r) => r.id)).toEqual([
      idless().generatedAt,
      '2025-03-04T00:00:00Z',
    ]);
  });

  it('gets the same ids on every import, and the parsed input keeps its reports as written', () => {
    const file = oldFile();
    const json = JSON.parse(JSON.stringify(file));
    const first = loadProjectFile(json);
    const second = loadProjectFile(JSON.parse(JSON.stringify(file)));
    expect(first).toEqual(second);
    expect(json.project.reports.every((r: { id?: string }) => r.id === undefined)).toBe(true);
  });

  it('keeps a report id that is there', () => {
    const result = parseProjectFile(JSON.stringify(fixtures.fixtureProjectFile()));
    expect(result.ok && result.value.project.reports.map((r) => r.id)).toEqual(['r1']);
  });
});

describe('embedded documents of an older version', () => {
  const V0 = 'preflight.workflow/v0';
  /** A made-up v0 workflow that called its name "title"; registered only in this test. */
  const renameTitle: Migration = {
    from: V0,
    to: WORKFLOW_FORMAT,
    migrate: ({ title, ...rest }) => ({ ...rest, format: WORKFLOW_FORMAT, name: title }),
  };
  const withWorkflowMigrations = (...migrations: Migration[]) => ({
    formats: { ...EMBEDDED_FORMATS, workflows: { ...workflowFormat, migrations } },
  });

  /** An exported file whose first workflow is written in v0 (hashed as written, like a real export). */
  function withV0Workflow(): { text: string; file: ProjectFile } {
    const file = fixtures.fixtureProjectFile();
    const { name, ...rest } = nth(file.project.workflows, 0);
    (file.project.workflows as unknown[])[0] = { ...rest, format: V0, title: name };
    file.integrity.sha256 = canonicalSha256Hex(file.project);
    return { text: JSON.stringify(file), file };
  }

  it('are migrated before the schema check, and the result holds the migrated documents', () => {
    const { text } = withV0Workflow();
    const result = parseProjectFile(text, withWorkflowMigrations(renameTitle));
    expect(result.ok ? [] : pairs(result.problems)).toEqual([]);
    if (!result.ok) return;
    expect(result.value.project.workflows[0]).toEqual(fixtures.fixtureWorkflow());
    expect(result.value.project.workflows[1]).toEqual(fixtures.fixtureFutureWorkflow());
    // integrity is of the file as written, which still says v0
    expect(result.value.integrity.sha256).toBe(JSON.parse(text).integrity.sha256);
  });

  it('does not change the parsed input (the migration runs on a copy)', () => {
    const { file } = withV0Workflow();
    const json = structuredClone(file);
    const result = parseProjectFile(JSON.stringify(json), withWorkflowMigrations(renameTitle));
    expect(result.ok).toBe(true);
    expect(json).toEqual(file);
  });

  it('without a migration, an older embedded document is refused as unsupported', () => {
    const result = parseProjectFile(withV0Workflow().text);
    expect(result.ok ? [] : pairs(result.problems)).toEqual([
      ['/project/workflows/0/format', C.unsupportedVersion],
    ]);
  });

  it('a migration that throws is a problem at the document, never an exception or its message', () => {
    const throwing: Migration = {
      ...renameTitle,
      migrate: () => {
        throw new Error('Jane Q. Patient');
      },
    };
    const result = parseProjectFile(withV0Workflow().text, withWorkflowMigrations(throwing));
    expect(result.ok ? [] : pairs(result.problems)).toEqual([
      ['/project/workflows/0/format', C.migrationFailed],
    ]);
    expect(JSON.stringify(result)).not.toContain('Jane');
  });

  it('an embedded document of a newer version is refused as newer', () => {
    const file = fixtures.fixtureProjectFile();
    (nth(file.project.workflows, 0) as { format: string }).format = 'preflight.workflow/v2';
    file.integrity.sha256 = canonicalSha256Hex(file.project);
    const result = parseProjectFile(JSON.stringify(file));
    expect(result.ok ? [] : pairs(result.problems)).toEqual([
      ['/project/workflows/0/format', C.newerVersion],
    ]);
  });
});
