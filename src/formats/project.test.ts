import { describe, expect, it } from 'vitest';
import { canonicalSha256Hex } from '../core/hash/canonicalJson.ts';
import { PROBLEM_CODES as C, type FormatProblem } from './loading.ts';
import { createProjectFile, PROJECT_FORMAT, type ProjectFile, parseProjectFile } from './project.ts';
import * as fixtures from './testing/fixtures.ts';
import { nth } from './testing/fixtures.ts';

const pairs = (problems: FormatProblem[]) => problems.map((p) => [p.path, p.code]);

/** Builds the text of an exported file, optionally editing it after the hash was computed. */
function exported(edit?: (file: ProjectFile) => void, rehash = false): string {
  const file = fixtures.projectFile();
  edit?.(file);
  if (rehash) file.integrity.sha256 = canonicalSha256Hex(file.project);
  return JSON.stringify(file, null, 2);
}

describe('createProjectFile', () => {
  it('tags, stamps and hashes the project', () => {
    const project = fixtures.project();
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
    const project = fixtures.project();
    nth(project.workflows, 0).arrivalsPerHour = Number.NaN;
    expect(() => createProjectFile(project, { now: '2025-03-02T12:00:00Z', appVersion: '1' })).toThrow(
      TypeError,
    );
  });
});

describe('parseProjectFile', () => {
  it('round-trips an exported project, whatever the indentation', () => {
    const file = fixtures.projectFile();
    for (const text of [
      JSON.stringify(file),
      JSON.stringify(file, null, 2),
      `\uFEFF${JSON.stringify(file, null, '\t')}\n`,
    ]) {
      expect(parseProjectFile(text)).toEqual({ ok: true, value: file });
    }
  });

  it('round-trips with key order changed (the hash is over canonical JSON)', () => {
    const file = fixtures.projectFile();
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

  const table: { description: string; input: string; expected: [string, string][] }[] = [
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
      input: JSON.stringify(fixtures.currentWorkflow()),
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
      description: 'semantic problems of embedded documents carry full paths',
      input: exported((f) => {
        nth(nth(f.project.workflows, 0).steps, 2).lane = 'doctor';
        nth(nth(f.project.samplePlans, 0).population.strata, 1).id = 'patients';
      }, true),
      expected: [
        ['/project/workflows/0/steps/2/lane', C.unknownReference],
        ['/project/samplePlans/0/population/strata/1/id', C.duplicateId],
      ],
    },
    {
      description: 'duplicate ids across the project',
      input: exported((f) => {
        nth(f.project.workflows, 1).id = nth(f.project.workflows, 0).id;
        nth(f.project.workflows, 1).baseline = 'elsewhere';
        nth(f.project.datasets, 1).id = 'patients';
      }, true),
      expected: [
        ['/project/workflows/1/id', C.duplicateId],
        ['/project/datasets/1/id', C.duplicateId],
        ['/project/workflows/1/baseline', C.unknownReference],
      ],
    },
    {
      description: 'replaces and retired must name steps of the baseline',
      input: exported((f) => {
        nth(nth(f.project.workflows, 1).steps, 1).replaces = ['form', 'fax-back'];
        nth(f.project.workflows, 1).retired = ['shred'];
      }, true),
      expected: [
        ['/project/workflows/1/steps/1/replaces/1', C.unknownReference],
        ['/project/workflows/1/retired/0', C.unknownReference],
      ],
    },
    {
      description: 'a baseline that is a future workflow',
      input: exported((f) => {
        nth(f.project.workflows, 1).baseline = 'intake-future-2';
        f.project.workflows.push({ ...fixtures.futureWorkflow(), id: 'intake-future-2' });
      }, true),
      expected: [['/project/workflows/1/baseline', C.unknownReference]],
    },
    {
      description: 'a dataset contract that is not a schema',
      input: exported((f) => {
        nth(f.project.datasets, 0).contract = 'nope';
      }, true),
      expected: [['/project/datasets/0/contract', C.unknownReference]],
    },
    {
      description: 'settings are open; unknown fields elsewhere are not',
      input: exported((f) => {
        f.project.meta.settings.futureThing = { deep: [1, 'x'] };
        (f.project.datasets[0] as unknown as Record<string, unknown>).content = 'a,b\n1,2';
      }, true),
      expected: [['/project/datasets/0/content', C.unknownField]],
    },
  ];
  it.each(table)('$description', ({ input, expected }) => {
    const result = parseProjectFile(input);
    expect(result.ok ? [] : pairs(result.problems)).toEqual(expected);
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
