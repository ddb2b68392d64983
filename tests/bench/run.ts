/**
 * Preflight's benchmarks: `npx tsx tests/bench/run.ts [id …]` (all when no id is given).
 * Prints one table per benchmark and writes everything to `tests/bench/results/<ISO time>.json`
 * (git-ignored) with the machine it ran on, so runs can be compared later.
 *
 * Arguments starting with `--` are flags handed to every selected benchmark (e.g. `--record`).
 *
 * To add a benchmark: write a `*.bench.ts` exporting a `BenchEntry` and append it to `benchmarks`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchEntry, BenchResult } from './bench.ts';
import { bpmnImportBench, workflowLayoutBench } from './bpmn.bench.ts';
import { csvDuckdbBench } from './csvDuckdb.bench.ts';
import { csvRecordsBench } from './csvRecords.bench.ts';
import { eventLogConformanceBench, eventLogDiscoveryBench } from './eventLog.bench.ts';
import { eventLogBrowserBench } from './eventLogBrowser.bench.ts';
import { eventLogGzipMemoryBench } from './eventLogGzipMemory.bench.ts';
import { eventLogMemoryBench } from './eventLogMemory.bench.ts';
import { failingRowsExportBench } from './failingRowsExport.bench.ts';
import { fhirCliBench } from './fhirCli.bench.ts';
import { fhirProfilesBench } from './fhirProfiles.bench.ts';
import { fhirProfilesExportBench } from './fhirProfilesExport.bench.ts';
import { fhirUsCoreBench } from './fhirUsCore.bench.ts';
import { fhirValidationBench } from './fhirValidation.bench.ts';
import { findingRulesBench } from './findingRules.bench.ts';
import { hl7CasesBench } from './hl7Cases.bench.ts';
import { mappedFhirBench } from './mappedFhir.bench.ts';
import { mappingBench } from './mapping.bench.ts';
import { parquetBench } from './parquet.bench.ts';
import { postgresEngineBench } from './postgresEngine.bench.ts';
import { postgresScaleBench } from './postgresScale.bench.ts';
import { processMapBrowserBench } from './processMapBrowser.bench.ts';
import { reviewDecisionCostBench } from './reviewDecisionCost.bench.ts';
import { sampleStrataBench } from './sampleStrata.bench.ts';
import { sha256FileBench } from './sha256File.bench.ts';
import { teamServerLoadBench } from './teamServer.bench.ts';
import { txSuiteBench } from './txSuite.bench.ts';
import { validateBench } from './validate.bench.ts';
import { validateBrowserBench } from './validateBrowser.bench.ts';
import { waiversBench } from './waivers.bench.ts';
import { workflowAnalysisBench, workflowSimulationBench } from './workflowAnalysis.bench.ts';
import { workflowCompareBench } from './workflowCompare.bench.ts';
import { workflowEditorBench } from './workflowEditor.bench.ts';
import { xesExtraDateBench } from './xesExtraDate.bench.ts';

/** Every benchmark, in the order they run. New benchmarks append here. */
export const benchmarks: BenchEntry[] = [
  sha256FileBench,
  workflowAnalysisBench,
  workflowSimulationBench,
  findingRulesBench,
  workflowCompareBench,
  validateBench,
  csvRecordsBench,
  mappingBench,
  bpmnImportBench,
  workflowLayoutBench,
  eventLogDiscoveryBench,
  eventLogConformanceBench,
  eventLogBrowserBench,
  processMapBrowserBench,
  eventLogMemoryBench,
  eventLogGzipMemoryBench,
  workflowEditorBench,
  fhirValidationBench,
  fhirProfilesBench,
  fhirProfilesExportBench,
  fhirUsCoreBench,
  fhirCliBench,
  mappedFhirBench,
  sampleStrataBench,
  validateBrowserBench,
  failingRowsExportBench,
  waiversBench,
  teamServerLoadBench,
  postgresEngineBench,
  parquetBench,
  csvDuckdbBench,
  txSuiteBench,
  xesExtraDateBench,
  hl7CasesBench,
  reviewDecisionCostBench,
  postgresScaleBench,
];

const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

function formatTable(result: BenchResult): string {
  const cells = [
    result.columns,
    ...result.rows.map((row) => result.columns.map((c) => String(row[c] ?? ''))),
  ];
  const widths = result.columns.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
  const [header = [], ...body] = cells;
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

async function runAll(args: string[]): Promise<void> {
  const flags = args.filter((a) => a.startsWith('--'));
  const ids = args.filter((a) => !a.startsWith('--'));
  const unknown = ids.filter((id) => !benchmarks.some((b) => b.id === id));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown benchmark(s): ${unknown.join(', ')}. Known: ${benchmarks.map((b) => b.id).join(', ')}`,
    );
  }
  const selected = ids.length > 0 ? benchmarks.filter((b) => ids.includes(b.id)) : benchmarks;
  const startedAt = new Date();
  const results = [];
  for (const bench of selected) {
    process.stdout.write(`\n${bench.title} (${bench.id})\n`);
    const t0 = performance.now();
    const result = await bench.run({ flags });
    const durationMs = Math.round(performance.now() - t0);
    process.stdout.write(`${formatTable(result)}\n`);
    for (const note of result.notes ?? []) process.stdout.write(`  ${note}\n`);
    process.stdout.write(
      `  params ${JSON.stringify(result.params)}; took ${(durationMs / 1000).toFixed(1)} s\n`,
    );
    results.push({ id: bench.id, title: bench.title, durationMs, ...result });
  }
  const cpus = os.cpus();
  const report = {
    startedAt: startedAt.toISOString(),
    environment: {
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      arch: os.arch(),
      cpu: cpus[0]?.model ?? 'unknown',
      cpuCount: cpus.length,
    },
    results,
  };
  await mkdir(RESULTS_DIR, { recursive: true });
  // Colons are not allowed in Windows file names.
  const file = path.join(RESULTS_DIR, `${startedAt.toISOString().replaceAll(':', '-')}.json`);
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\nwrote ${path.relative(process.cwd(), file)}\n`);
}

// Run only when executed (`tsx tests/bench/run.ts`), not when another script imports the table.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runAll(process.argv.slice(2));
}
