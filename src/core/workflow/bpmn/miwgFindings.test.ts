/**
 * Findings that hold on real models: every public BPMN model in the repository (the 21 BPMN MIWG
 * reference models and the demo clinic's refill export) imported and analysed, each finding
 * listed here with why it is true after reading the model. A finding not listed is a false one
 * (or a regression) and fails the test; so does a listed one that disappears.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { miwgBytes, miwgFiles } from '../../../../tests/fixtures/miwg.ts';
import { analyzeWorkflow } from '../analyze.ts';
import { decodeXmlBytes } from './decode.ts';
import { importBpmn } from './importBpmn.ts';

/** `rule/check stepId` of each true finding, by model, with why it is true. */
const TRUE_FINDINGS: Record<string, { finding: string; why: string }[]> = {
  'A.4.0.bpmn': [
    {
      finding: 'structure/branches-without-chances _6fed62c8-8241-4a1d-ae67-266fda7dcead',
      why: '"Task 3" has two unconditioned outgoing flows: an implicit split (bpmnlint no-implicit-split)',
    },
  ],
  'A.4.1.bpmn': [
    {
      finding: 'structure/branches-without-chances sid-34E8C3A5-5C2A-4593-AC67-038B737814D7',
      why: 'the same implicit split as A.4.0, exported by another tool',
    },
  ],
  'B.2.0.bpmn': [
    {
      finding: 'structure/split-without-join _dec393e7-f182-4d31-b05f-e33ac3a5e35f',
      why: '"Inclusive Gateway 1" is closed by a parallel join: a case that skips a branch waits there forever',
    },
  ],
  'prescription-refill.current.bpmn': [
    {
      finding: 'manual-transcription take-phone-message,phone-pharmacy',
      why: 'the demo model types the prescription on a paper slip and again on the phone',
    },
    {
      finding: 'click-burden call-patient-book-visit',
      why: 'the demo model gives this step 12 clicks, over the budget of 10',
    },
  ],
};

const REFILL = 'prescription-refill.current.bpmn';

function bytesOf(name: string): Uint8Array<ArrayBuffer> {
  if (name !== REFILL) return miwgBytes(name);
  return new Uint8Array(readFileSync(new URL(`../../../../samples/workflows/${REFILL}`, import.meta.url)));
}

describe('findings on the public BPMN models', () => {
  it.each([...miwgFiles(), REFILL])('%s: only true findings', async (name) => {
    const decoded = decodeXmlBytes(bytesOf(name));
    if (!decoded.ok) throw new Error(`${name}: ${decoded.message}`);
    const { workflow } = await importBpmn(decoded.text);
    expect(workflow).toBeDefined();
    if (!workflow) return;
    const found = analyzeWorkflow(workflow).findings.map((f) => {
      const check = (f.evidence as { check?: unknown } | undefined)?.check;
      return `${f.rule}${typeof check === 'string' ? `/${check}` : ''} ${f.stepIds.join(',')}`;
    });
    expect(found.sort()).toEqual((TRUE_FINDINGS[name] ?? []).map((t) => t.finding).sort());
  });
});
