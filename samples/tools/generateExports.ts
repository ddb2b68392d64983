/**
 * Generator of the demo clinic's files from the later steps of its journey — what another tool
 * hands Preflight, or what the app exports after review and sign-off — so that every `preflight`
 * command has an input in samples/ and each command's `--help` example runs on the samples:
 *
 * - `logs/prescription-refill.current.csv`: the event log of one weekday of the current refill
 *   workflow, played with its own staff by the seeded queueing clinic (seed 7), as a clinic system
 *   would log it (start and complete of each activity, the person and their role);
 * - `workflows/prescription-refill.current.bpmn`: that workflow as BPMN 2.0, as export-bpmn writes it;
 * - `signoff/patients-by-file.auditlog.json`: the whole-file sample plan locked on `patients.csv`,
 *   its sample drawn by `preflight sample`, the first three drawn records decided by a nurse, and
 *   the clinical lead's signature over them — without WebAuthn (a generator holds no
 *   authenticator), so it verifies with a warning;
 * - `signoff/patients-by-file.bundle.json`: that sign-off as the FHIR R4 transaction Bundle the
 *   Sign-off workspace exports (every entry a PUT: safe to send twice);
 * - `projects/demo-clinic.evidence-pack.json`: the demo project's readiness evidence pack (no-go,
 *   no steering decision yet), as the Readiness screen downloads it.
 *
 * Constraints: output is a pure function of the samples and the package version (fixed dates,
 * seeded play, no clock, no randomness); `generateExports.test.ts` regenerates and compares the
 * bytes. Regenerate after changing a sample they derive from: `npx tsx samples/tools/generateExports.ts`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Papa from 'papaparse';
import { main } from '../../src/cli/main.ts';
import { sha256Hex } from '../../src/core/hash/index.ts';
import { assessReadiness, evidencePack } from '../../src/core/readiness/index.ts';
import { signoffBundle } from '../../src/core/signoff/exports/index.ts';
import { addDecision, drawnSampleOf, newReview, shownHash } from '../../src/core/signoff/review/index.ts';
import { lockPlan, planHash, type SampleDocument } from '../../src/core/signoff/sampling/index.ts';
import {
  addSignature,
  chainHeadOf,
  GO_LIVE_MEANING,
  pendingAuditEntries,
  prepareSignature,
  signatureEntryFor,
} from '../../src/core/signoff/signing/index.ts';
import { exportBpmn } from '../../src/core/workflow/bpmn/index.ts';
import { playQueuedLog, queuedCsv } from '../../src/core/workflow/eventlog/index.ts';
import { createAuditLogFile } from '../../src/formats/auditLog.ts';
import { loadProjectFile } from '../../src/formats/project.ts';
import type { Decision, Reviewer, Signature } from '../../src/formats/review.ts';
import { loadSamplePlan, type SamplePlan } from '../../src/formats/samplePlan.ts';
import { loadWorkflow } from '../../src/formats/workflow.ts';

const SAMPLES = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The seed and length of the played log (the back-test's fixture is the same clinic over five days). */
const LOG_SEED = 7;
const LOG_DAYS = 1;

/** When the sample was drawn, decided, signed and exported: the week after the demo project. */
const DRAWN_AT = '2024-07-15T08:00:00Z';
const EXPORTED_AT = '2024-07-16T17:00:00-04:00';

/** Records of the drawn sample decided in the generated review (the rest are still to review). */
const DECIDED = 3;

const NURSE: Reviewer = { name: 'Dana Reyes', role: 'Registered nurse', id: 'RN-204' };
const CLINICAL_LEAD: Reviewer = { name: 'Sam Okafor', role: 'Clinical lead', id: 'CL-7' };

/** The generated files, by their path under samples/. */
export type ExportFiles = Record<string, string>;

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function read(path: string): string {
  return readFileSync(join(SAMPLES, path), 'utf8');
}

function refillWorkflow() {
  const loaded = loadWorkflow(JSON.parse(read('workflows/prescription-refill.current.json')));
  if (!loaded.ok) throw new Error('samples/workflows/prescription-refill.current.json does not load');
  return loaded.value;
}

/** The whole-file plan locked on the extract it samples. */
function lockedPlan(): SamplePlan {
  const loaded = loadSamplePlan(JSON.parse(read('plans/patients-by-file.sampleplan.json')));
  if (!loaded.ok) throw new Error('samples/plans/patients-by-file.sampleplan.json does not load');
  const bytes = readFileSync(join(SAMPLES, 'legacy', 'patients.csv'));
  return lockPlan(
    loaded.value,
    [{ name: 'patients.csv', sha256: sha256Hex(bytes), bytes: bytes.length }],
    DRAWN_AT,
  );
}

/** The locked plan's sample, drawn by `preflight sample` as the Sign-off workspace draws it. */
async function drawnSample(plan: SamplePlan): Promise<SampleDocument> {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-demo-exports-'));
  try {
    writeFileSync(join(dir, 'plan.json'), json(plan));
    const out: string[] = [];
    const err: string[] = [];
    // from the repository's root, so the sample names the file as every clone has it
    const root = resolve(SAMPLES, '..');
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), cwd: root };
    const args = ['sample', join(dir, 'plan.json'), 'samples/legacy/patients.csv', '--key', 'patient_id'];
    const code = await main([...args, '--json'], io);
    if (code !== 0) throw new Error(`preflight sample exited ${code}: ${err.join(' ')}`);
    return JSON.parse(out.join('\n')) as SampleDocument;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The sign-off of the whole-file sample: its audit log and its FHIR transaction Bundle. */
async function signoff(): Promise<{ auditLog: string; bundle: string }> {
  const plan = lockedPlan();
  const hash = planHash(plan);
  const document = await drawnSample(plan);
  let review = newReview({
    id: 'patients-file-review',
    plan,
    planHash: hash,
    sample: drawnSampleOf(document, DRAWN_AT),
  });
  const rows = Papa.parse<string[]>(read('legacy/patients.csv'), { skipEmptyLines: true }).data;
  const header = rows[0] as string[];
  const stratum = review.sample.strata[0];
  if (!stratum) throw new Error('the whole-file sample has no stratum');
  stratum.records.slice(0, DECIDED).forEach((record, i) => {
    const cells = rows[record.row] as string[];
    const shown = {
      planHash: hash,
      stratum: stratum.id,
      recordKey: record.key,
      source: { file: 'patients.csv', row: record.row, header, cells },
      mapping: null,
      target: null,
      alignment: [],
    };
    const decision: Decision = {
      id: `d${i + 1}`,
      planHash: hash,
      stratum: stratum.id,
      recordKey: record.key,
      row: record.row,
      file: 'patients.csv',
      reviewer: NURSE,
      decidedAt: `2024-07-15T09:${String(10 + 5 * i).padStart(2, '0')}:00-04:00`,
      outcome: 'accept',
      findings: [],
      shownSha256: shownHash(shown),
    };
    review = addDecision(review, decision);
  });
  const entries = pendingAuditEntries(undefined, [review], new Set());
  const prepared = prepareSignature({
    id: 'signature-1',
    review,
    signer: CLINICAL_LEAD,
    signedAt: '2024-07-16T16:30:00-04:00',
    meaning: GO_LIVE_MEANING,
    chain: chainHeadOf(entries),
  });
  const signature = {
    ...prepared,
    reauthentication: { method: 'none', reason: 'This browser offers no WebAuthn.' },
  } as Signature;
  review = addSignature(review, signature);
  const chain = [...entries, signatureEntryFor(entries.at(-1), review.id, signature)];
  const auditLog = createAuditLogFile({
    projectId: 'demo-clinic',
    exportedAt: EXPORTED_AT,
    entries: chain,
    reviews: [review],
    plans: [plan],
  });
  const bundle = signoffBundle({ plan, review, now: EXPORTED_AT, entries: chain });
  return { auditLog: json(auditLog), bundle: json(bundle) };
}

/** The demo project's evidence pack, made when the demo project was exported. */
function evidencePackText(): string {
  const loaded = loadProjectFile(JSON.parse(read('projects/demo-clinic.preflight.json')));
  if (!loaded.ok) throw new Error('samples/projects/demo-clinic.preflight.json does not load');
  const { project } = loaded.value;
  return json(evidencePack(project, assessReadiness(project), project.meta.updatedAt));
}

/** Every generated file's text, by its path under samples/. */
export async function generateExports(): Promise<ExportFiles> {
  const workflow = refillWorkflow();
  const { auditLog, bundle } = await signoff();
  return {
    'logs/prescription-refill.current.csv': queuedCsv(
      playQueuedLog(workflow, { seed: LOG_SEED, days: LOG_DAYS }),
    ),
    'workflows/prescription-refill.current.bpmn': await exportBpmn(workflow),
    'signoff/patients-by-file.auditlog.json': auditLog,
    'signoff/patients-by-file.bundle.json': bundle,
    'projects/demo-clinic.evidence-pack.json': evidencePackText(),
  };
}

/** The path of a generated file under samples/. */
export function samplePath(name: string): string {
  return join(SAMPLES, name);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  for (const [name, text] of Object.entries(await generateExports())) {
    mkdirSync(dirname(samplePath(name)), { recursive: true });
    writeFileSync(samplePath(name), text);
    console.log(`wrote samples/${name}`);
  }
}
