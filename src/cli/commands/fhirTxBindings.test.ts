/**
 * HL7's terminology suite on resources, through the command a clinic runs: a sample of one suite's
 * cases (every verdict it has, valid, warning and not valid) as NDJSON, its code systems, value
 * sets and binding profiles as a package given with `--ig`, and each resource's verdict on the
 * bound element, read from `--outcomes`, equal to `validate-code`'s. The whole table runs through
 * the same function the command calls (src/core/fhirProfiles/txBindings.test.ts).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tgz } from '../../../tests/fixtures/tgz.ts';
import {
  KNOWN_DISAGREEMENTS,
  onBoundElement,
  txBindingSuites,
  verdictOf,
} from '../../../tests/fixtures/txBindings.ts';
import { runCli } from '../cliTestKit.ts';

/** The suites sampled: between them every verdict, displays, filters and inactive concepts. */
const SUITES = ['validation', 'inactive'];
/** Cases of each verdict taken from each suite. */
const PER_VERDICT = 2;

const suites = txBindingSuites().filter((s) => SUITES.includes(s.suite));
const sampleOf = (cases: (typeof suites)[number]['cases']) =>
  (['ok', 'warning', 'error'] as const).flatMap((v) =>
    cases
      .filter((c) => c.resource !== undefined && !(c.name in KNOWN_DISAGREEMENTS) && c.expected === v)
      .slice(0, PER_VERDICT),
  );

describe('the tx suite through `fhir validate --ig`: the verdict on a resource is validate-code’s', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'preflight-tx-bindings-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('samples every verdict', () => {
    expect(suites.map((s) => s.suite).sort()).toEqual([...SUITES].sort());
    const verdicts = new Set(suites.flatMap((s) => sampleOf(s.cases).map((c) => c.expected)));
    expect(verdicts).toEqual(new Set(['ok', 'warning', 'error']));
  });

  for (const name of SUITES)
    it(`gives each sampled resource of "${name}" the verdict validate-code gives its case`, async () => {
      const suite = suites.find((s) => s.suite === name);
      if (!suite) throw new Error(`no suite ${name}`);
      const picked = sampleOf(suite.cases);
      const files: Record<string, string> = {
        'package/package.json': JSON.stringify({ name: suite.pkg.name, version: suite.pkg.version }),
      };
      const resources = [...suite.pkg.structureDefinitions, ...suite.pkg.valueSets, ...suite.pkg.codeSystems];
      for (const [i, r] of resources.entries())
        files[`package/${(r as { resourceType: string }).resourceType}-${i}.json`] = JSON.stringify(r);
      await writeFile(path.join(dir, `${name}.tgz`), tgz(files));
      const cases = picked.map((c) => `${JSON.stringify(c.resource)}\n`).join('');
      await writeFile(path.join(dir, `${name}.ndjson`), cases);
      const outcomesFile = `${name}-outcomes.ndjson`;
      await runCli(
        ['fhir', 'validate', '--ig', `${name}.tgz`, `${name}.ndjson`, '--outcomes', outcomesFile],
        dir,
      );
      const lines = (await readFile(path.join(dir, outcomesFile), 'utf8')).trim().split('\n');
      const verdicts = new Map<number, string>();
      for (const line of lines) {
        const { row, outcome } = JSON.parse(line) as {
          row: number;
          outcome: { issue?: { severity: string; expression?: string[] }[] };
        };
        const issues = (outcome.issue ?? []).map((i) => ({
          severity: i.severity,
          location: i.expression?.[0] ?? '',
        }));
        verdicts.set(row, verdictOf(onBoundElement(issues)));
      }
      expect(picked.map((c, i) => `${c.name}: ${verdicts.get(i + 1) ?? 'missing'}`)).toEqual(
        picked.map((c) => `${c.name}: ${c.expected}`),
      );
    });
});
