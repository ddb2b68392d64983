/**
 * Analysis settings: the documented defaults (schema `default`s, rules/README.md) equal the code's;
 * severity overrides and `off` work through analyzeWorkflow; bad settings give problems at JSON
 * Pointers and fall back to defaults instead of throwing; the settings file format loads.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ANALYSIS_THRESHOLD_NAMES,
  DEFAULT_ANALYSIS_THRESHOLDS,
  loadAnalysisSettings,
  WORKFLOW_RULE_IDS,
} from '../../formats/analysisSettings.ts';
import { createProjectFile, loadProjectFile } from '../../formats/project.ts';
import { identifyFormat, loadAny } from '../../formats/registry.ts';
import { fixtureProject } from '../../formats/testing/fixtures.ts';
import { analyzeWorkflow } from './analyze.ts';
import { WORKFLOW_RULES } from './rules/index.ts';
import { linear, step } from './rules/testing/builders.ts';
import { defaultSeverities, resolveAnalysisSettings, resolveProjectAnalysisSettings } from './settings.ts';

const schema = JSON.parse(
  readFileSync(new URL('../../formats/analysisSettings.schema.json', import.meta.url), 'utf8'),
) as {
  $defs: {
    thresholds: { properties: Record<string, { default: number }> };
    severities: { properties: Record<string, unknown> };
  };
};
const readme = readFileSync(new URL('./rules/README.md', import.meta.url), 'utf8');

describe('documented defaults', () => {
  it('the schema documents every threshold with the code default', () => {
    const documented = Object.fromEntries(
      Object.entries(schema.$defs.thresholds.properties).map(([name, p]) => [name, p.default]),
    );
    expect(documented).toEqual({ ...DEFAULT_ANALYSIS_THRESHOLDS });
    expect(Object.keys(documented)).toEqual(ANALYSIS_THRESHOLD_NAMES);
  });

  it('the schema lists exactly the rule ids of the rule table, in its order', () => {
    expect(Object.keys(schema.$defs.severities.properties)).toEqual(WORKFLOW_RULES.map((r) => r.id));
    expect([...WORKFLOW_RULE_IDS]).toEqual(WORKFLOW_RULES.map((r) => r.id));
  });

  it.each(ANALYSIS_THRESHOLD_NAMES)('rules/README.md documents threshold %s with its default', (name) => {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${name}\``));
    expect(row, `a row for ${name}`).toBeDefined();
    const cell = row?.split('|')[2]?.trim().replaceAll(',', '');
    expect(Number(cell)).toBe(DEFAULT_ANALYSIS_THRESHOLDS[name]);
  });

  it.each(WORKFLOW_RULES.map((r) => [r.id, r.severity] as const))(
    'rules/README.md gives %s its default severity %s',
    (id, severity) => {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${id}\``));
      expect(row?.split('|')[2]?.trim()).toBe(severity);
    },
  );

  it('no input means all defaults and no problems', () => {
    expect(resolveAnalysisSettings(undefined)).toEqual({
      settings: { thresholds: { ...DEFAULT_ANALYSIS_THRESHOLDS }, severities: defaultSeverities() },
      problems: [],
    });
  });
});

describe('overrides', () => {
  // a 60-click checkout: click-burden errors by default
  const busy = linear([step('checkout', { clicks: 60 })], { casesPerDay: 100 });
  const rules = (settings?: Parameters<typeof analyzeWorkflow>[1]) =>
    analyzeWorkflow(busy, settings).findings.filter((f) => f.rule === 'click-burden');

  it('a severity override sets the base level; raised findings go one level above it', () => {
    const base = rules().map((f) => f.severity);
    expect(base).toEqual(['error', 'error']);
    const asInfo = rules({ settings: { severities: { 'click-burden': 'info' } } }).map((f) => f.severity);
    expect(asInfo).toEqual(['warn', 'warn']);
  });

  it("'off' does not run the rule", () => {
    expect(rules({ settings: { severities: { 'click-burden': 'off' } } })).toEqual([]);
  });

  it('thresholds change what is found', () => {
    expect(
      rules({ settings: { thresholds: { clickBudgetPerStep: 60, clickBudgetPerRolePerDay: 3000 } } }),
    ).toEqual([]);
  });

  it('the resolved settings are returned with the analysis', () => {
    const result = analyzeWorkflow(busy, {
      settings: { thresholds: { utilisationLimit: 0.8 }, severities: { structure: 'warn' } },
    });
    expect(result.settings.thresholds.utilisationLimit).toBe(0.8);
    expect(result.settings.severities.structure).toBe('warn');
    expect(result.settings.severities['golive-capacity']).toBe('error');
  });
});

describe('bad settings: problems at JSON Pointers, defaults kept, never a throw', () => {
  const cases: {
    description: string;
    input: unknown;
    problems: { path: string; code: string }[];
    check?: (r: ReturnType<typeof resolveAnalysisSettings>) => void;
  }[] = [
    {
      description: 'an unknown rule id',
      input: { severities: { 'digitised-paper-step': 'warn', 'click-burden': 'info' } },
      problems: [{ path: '/severities/digitised-paper-step', code: 'unknown-field' }],
      check: (r) => expect(r.settings.severities['click-burden']).toBe('info'),
    },
    {
      description: 'a severity that is not off/info/warn/error',
      input: { severities: { structure: 'warning' } },
      problems: [{ path: '/severities/structure', code: 'not-allowed' }],
      check: (r) => expect(r.settings.severities.structure).toBe('error'),
    },
    {
      description: 'an out-of-range threshold (utilisation over 1) keeps its default, the others count',
      input: { thresholds: { utilisationLimit: 1.5, clickBudgetPerStep: 12 } },
      problems: [{ path: '/thresholds/utilisationLimit', code: 'out-of-range' }],
      check: (r) => {
        expect(r.settings.thresholds.utilisationLimit).toBe(0.85);
        expect(r.settings.thresholds.clickBudgetPerStep).toBe(12);
      },
    },
    {
      description: 'a negative click budget and a threshold of the wrong type',
      input: { thresholds: { clickBudgetPerStep: -1, waitFloorMin: '5' } },
      problems: [
        { path: '/thresholds/clickBudgetPerStep', code: 'out-of-range' },
        { path: '/thresholds/waitFloorMin', code: 'wrong-type' },
      ],
    },
    {
      description: 'an unknown threshold',
      input: { thresholds: { clickBudget: 12 } },
      problems: [{ path: '/thresholds/clickBudget', code: 'unknown-field' }],
    },
    { description: 'not an object', input: [1, 2], problems: [{ path: '', code: 'wrong-type' }] },
    { description: 'null', input: null, problems: [{ path: '', code: 'wrong-type' }] },
  ];
  it.each(cases)('$description', ({ input, problems, check }) => {
    const result = resolveAnalysisSettings(input);
    expect(result.problems.map((p) => ({ path: p.path, code: p.code }))).toEqual(problems);
    for (const p of result.problems) expect(p.message).not.toMatch(/1\.5|warning|digitised/);
    check?.(result);
  });

  it('project settings: under meta.settings.workflowAnalysis, paths from the project', () => {
    const result = resolveProjectAnalysisSettings({
      clickBudget: 10,
      workflowAnalysis: { thresholds: { carriedOverWaitShare: 0 }, severities: { 'no-op-decision': 'off' } },
    });
    expect(result.problems.map((p) => p.path)).toEqual([
      '/meta/settings/workflowAnalysis/thresholds/carriedOverWaitShare',
    ]);
    expect(result.settings.severities['no-op-decision']).toBe('off');
    expect(result.settings.thresholds.carriedOverWaitShare).toBe(0.7);
  });

  it('importing a project with bad analysis settings warns at their path and still loads', () => {
    const project = fixtureProject();
    project.meta.settings = {
      workflowAnalysis: { severities: { 'no-such-rule': 'warn', structure: 'off' } },
    };
    const loaded = loadProjectFile(
      createProjectFile(project, { now: '2025-03-02T12:00:00Z', appVersion: '0.1.0' }),
    );
    expect(loaded.ok).toBe(true);
    if (loaded.ok) {
      expect(loaded.warnings?.map((w) => [w.path, w.code])).toEqual([
        ['/project/meta/settings/workflowAnalysis/severities/no-such-rule', 'unknown-field'],
      ]);
    }
  });

  it('a project without analysis settings gets the defaults', () => {
    expect(resolveProjectAnalysisSettings({}).problems).toEqual([]);
  });

  it('analyzeWorkflow reports the problems and still runs', () => {
    const result = analyzeWorkflow(linear([step('a')]), {
      settings: { thresholds: { utilisationLimit: 2 } } as never,
    });
    expect(result.settingsProblems.map((p) => p.path)).toEqual(['/thresholds/utilisationLimit']);
    expect(result.settings.thresholds.utilisationLimit).toBe(0.85);
  });
});

describe('the settings file format (preflight.analysissettings/v1)', () => {
  it('loads a tagged file and preflight check knows it', () => {
    const file = {
      format: 'preflight.analysissettings/v1',
      thresholds: { clickBudgetPerStep: 15 },
      severities: { 'click-burden': 'info' },
    };
    expect(loadAnalysisSettings(file).ok).toBe(true);
    expect(identifyFormat(file)).toMatchObject({ status: 'current', format: { title: 'analysis settings' } });
    expect(loadAny(file).ok).toBe(true);
  });
  it('a settings file is strict: an unknown rule id refuses it with its path', () => {
    const result = loadAnalysisSettings({
      format: 'preflight.analysissettings/v1',
      severities: { nope: 'warn' },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.path)).toEqual(['/severities/nope']);
  });
  it('the tag is required in a file but optional in a project', () => {
    expect(loadAnalysisSettings({ thresholds: {} }).ok).toBe(false);
    expect(resolveAnalysisSettings({ format: 'preflight.analysissettings/v1' }).problems).toEqual([]);
  });
  it('a newer version is refused with the update message', () => {
    const result = loadAny({ format: 'preflight.analysissettings/v2' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]?.code).toBe('newer-version');
  });
});

describe('resolving settings never throws (fast-check; a failure prints its seed)', () => {
  const settingsLike = fc.oneof(
    fc.jsonValue(),
    fc.record(
      {
        thresholds: fc.dictionary(fc.constantFrom(...ANALYSIS_THRESHOLD_NAMES, 'other'), fc.jsonValue()),
        severities: fc.dictionary(
          fc.constantFrom(...WORKFLOW_RULE_IDS, 'other'),
          fc.constantFrom('off', 'info', 'warn', 'error', 'warning', 1),
        ),
      },
      { requiredKeys: [] },
    ),
  );
  it('for any JSON: full settings, every value valid, problems under the base path', () => {
    fc.assert(
      fc.property(settingsLike, (input) => {
        const { settings, problems } = resolveAnalysisSettings(input, '/base');
        for (const p of problems) expect(p.path.startsWith('/base')).toBe(true);
        expect(Object.keys(settings.thresholds).sort()).toEqual([...ANALYSIS_THRESHOLD_NAMES].sort());
        for (const value of Object.values(settings.thresholds)) expect(Number.isFinite(value)).toBe(true);
        for (const id of WORKFLOW_RULE_IDS)
          expect(['off', 'info', 'warn', 'error']).toContain(settings.severities[id]);
        // whatever was accepted validates on its own: resolving the resolved settings finds nothing
        expect(
          resolveAnalysisSettings({ thresholds: settings.thresholds, severities: settings.severities })
            .problems,
        ).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
