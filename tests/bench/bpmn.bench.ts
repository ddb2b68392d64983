/**
 * "bpmn import" and "workflow layout": the targets are BPMN import < 50 ms per MIWG
 * reference model (parse and mapping) and auto-layout of a generated 1,000-step, 8-lane workflow
 * < 2 s (in a worker; measured here in Node, the same code). Baselines measured in the same run:
 * - import vs bpmn-moddle's parse alone (fromXML), the floor any BPMN import built on it has, so
 *   the ratio is what the mapping adds;
 * - layout vs `stepRanks` (a longest-path layering of the same graph), the cheapest layered
 *   placement there is.
 */
import { bpmnModdle, decodeXmlBytes, importBpmn, stepRanks } from '../../src/core/workflow/bpmn/index.ts';
import { layoutWorkflow } from '../../src/core/workflow/layout/index.ts';
import { miwgBytes, miwgFiles } from '../fixtures/miwg.ts';
import { type BenchEntry, type BenchResult, measure } from './bench.ts';
import { generatedWorkflow } from './workflowFixtures.ts';

const IMPORT_TARGET_MS = 50;
const LAYOUT_TARGET_MS = 2000;
const LAYOUT_STEPS = 1000;
const LAYOUT_LANES = 8;
const LAYOUT_ARRIVALS_PER_HOUR = 10;

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** BPMN import time per MIWG reference model. */
export const bpmnImportBench: BenchEntry = {
  id: 'bpmn-import',
  title: 'BPMN import of each MIWG reference model (parse + mapping)',
  async run(): Promise<BenchResult> {
    const rows: BenchResult['rows'] = [];
    let over = 0;
    for (const name of miwgFiles()) {
      const decoded = decodeXmlBytes(miwgBytes(name));
      if (!decoded.ok) throw new Error(`${name}: ${decoded.message}`);
      const parse = await measure(() => bpmnModdle().fromXML(decoded.text), { warmups: 2, repeats: 7 });
      const full = await measure(() => importBpmn(decoded.text), { warmups: 2, repeats: 7 });
      const result = await importBpmn(decoded.text);
      if (full.medianMs >= IMPORT_TARGET_MS) over++;
      rows.push({
        file: name,
        kB: round(decoded.text.length / 1000),
        steps: result.workflow?.steps.length ?? 0,
        parseMs: round(parse.medianMs),
        importMs: round(full.medianMs),
        vsParse: round(full.medianMs / parse.medianMs, 2),
      });
    }
    const slowest = Math.max(...rows.map((r) => Number(r.importMs)));
    return {
      params: { files: rows.length, warmups: 2, repeats: 7 },
      columns: ['file', 'kB', 'steps', 'parseMs', 'importMs', 'vsParse'],
      rows,
      notes: [
        `target: < ${IMPORT_TARGET_MS} ms per file (median) — slowest ${slowest} ms; ${over} of ${rows.length} over`,
        'parseMs = bpmn-moddle fromXML alone; importMs = importBpmn (parse + mapping + format check); vsParse = importMs / parseMs',
      ],
    };
  },
};

/** Auto-layout of a generated 1,000-step, 8-lane workflow. */
export const workflowLayoutBench: BenchEntry = {
  id: 'workflow-layout',
  title: 'auto-layout (elkjs, lanes) of a 1,000-step, 8-lane workflow',
  async run(): Promise<BenchResult> {
    const workflow = generatedWorkflow(LAYOUT_STEPS, LAYOUT_LANES, LAYOUT_ARRIVALS_PER_HOUR);
    const ranks = await measure(async () => stepRanks(workflow), { warmups: 1, repeats: 5 });
    const layout = await measure(() => layoutWorkflow(workflow), { warmups: 1, repeats: 3 });
    // CPU time of one more run: on a shared, loaded machine wall time mostly measures the others
    const cpuBefore = process.cpuUsage();
    const result = await layoutWorkflow(workflow);
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const rows: BenchResult['rows'] = [
      {
        variant: 'stepRanks (longest-path layering)',
        bestMs: round(ranks.bestMs, 2),
        medianMs: round(ranks.medianMs, 2),
        vsRanks: 1,
      },
      {
        variant: 'layoutWorkflow (ELK layered + lane bands)',
        bestMs: round(layout.bestMs),
        medianMs: round(layout.medianMs),
        vsRanks: Math.round(layout.bestMs / ranks.bestMs),
      },
    ];
    const height = Object.values(result.lanes).reduce((sum, lane) => sum + lane.height, 0);
    return {
      params: { steps: LAYOUT_STEPS, lanes: LAYOUT_LANES, flows: workflow.flows.length, repeats: 3 },
      columns: ['variant', 'bestMs', 'medianMs', 'vsRanks'],
      rows,
      notes: [
        `target: < ${LAYOUT_TARGET_MS} ms — median ${round(layout.medianMs, 0)} ms wall, ${round(cpuMs, 0)} ms CPU (in the app it runs in a worker)`,
        `sanity: ${Object.keys(result.positions).length} steps placed, lanes ${round(height, 0)} units tall in total`,
        'vsRanks = variant best time / stepRanks best time',
      ],
    };
  },
};
