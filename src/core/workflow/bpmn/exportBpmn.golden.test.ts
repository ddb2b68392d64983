/**
 * The exported bytes do not move: every sample workflow (samples/workflows, the JSON ones and the
 * BPMN one imported), the collaboration samples, and every public BPMN model (MIWG and
 * vendor-style, imported) is exported and its SHA-256 compared with the digest recorded in
 * testing/exportBpmn.golden.json. A change to the writers that changes a file fails here; when the
 * change is meant, `npx vitest run src/core/workflow/bpmn/exportBpmn.golden.test.ts -u` records
 * the new digests (and the diff of that file shows which exports moved).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bpmnModelBytes, bpmnModelFiles } from '../../../../tests/fixtures/miwg.ts';
import { loadWorkflow, type Workflow } from '../../../formats/workflow.ts';
import { decodeXmlBytes } from './decode.ts';
import { exportBpmn } from './exportBpmn.ts';
import { importBpmn } from './importBpmn.ts';
import * as collaborationSamples from './testing/collaborationSamples.ts';

const SAMPLES = path.resolve(import.meta.dirname, '../../../../samples/workflows');

async function imported(name: string, text: string): Promise<Workflow> {
  const { workflow } = await importBpmn(text);
  if (!workflow) throw new Error(`${name}: no workflow`);
  return workflow;
}

/** Every workflow the golden file covers, by a stable name. */
function cases(): { name: string; workflow: () => Promise<Workflow> }[] {
  const samples = readdirSync(SAMPLES).sort();
  return [
    ...samples
      .filter((name) => name.endsWith('.json'))
      .map((name) => ({
        name: `samples/${name}`,
        workflow: async () => {
          const loaded = loadWorkflow(JSON.parse(readFileSync(path.join(SAMPLES, name), 'utf8')));
          if (!loaded.ok) throw new Error(`${name} does not load`);
          return loaded.value;
        },
      })),
    ...samples
      .filter((name) => name.endsWith('.bpmn'))
      .map((name) => ({
        name: `samples/${name}`,
        workflow: () => imported(name, readFileSync(path.join(SAMPLES, name), 'utf8')),
      })),
    ...Object.entries(collaborationSamples)
      .filter((entry): entry is [string, Workflow] => typeof entry[1] === 'object')
      .map(([name, workflow]) => ({ name: `collaboration/${name}`, workflow: async () => workflow })),
    ...bpmnModelFiles().map((name) => ({
      name: `models/${name}`,
      workflow: () => {
        const decoded = decodeXmlBytes(bpmnModelBytes(name));
        if (!decoded.ok) throw new Error(`${name}: ${decoded.message}`);
        return imported(name, decoded.text);
      },
    })),
  ];
}

describe('BPMN export golden digests', () => {
  it('exports every sample and public model byte for byte as recorded', async () => {
    const digests: Record<string, string> = {};
    for (const { name, workflow } of cases()) {
      const xml = await exportBpmn(await workflow());
      digests[name] = createHash('sha256').update(xml).digest('hex');
    }
    expect(Object.keys(digests).length).toBeGreaterThanOrEqual(40);
    await expect(`${JSON.stringify(digests, null, 2)}\n`).toMatchFileSnapshot(
      './testing/exportBpmn.golden.json',
    );
  }, 120_000);
});
