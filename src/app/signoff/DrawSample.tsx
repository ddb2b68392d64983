/**
 * Drawing the sample of a locked plan (docs/product.md#sign-off): the user chooses the files the
 * plan was locked with again; each file's fingerprint is checked against the lock and the sample is
 * drawn in the sample worker, then saved as a new review (`review/put`).
 */
import { useId, useRef, useState } from 'react';
import { drawSampleInWorker } from '../../../workers/sampleClient.ts';
import { toJobError } from '../../core/jobs/errors.ts';
import { actingStaffId } from '../../core/project/signoffSettings.ts';
import { drawnSampleOf, newReview } from '../../core/signoff/review/index.ts';
import { STRATIFY_BY_VALIDATION } from '../../core/signoff/sampling/index.ts';
import type { Project } from '../../formats/project.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import type { ReviewActions } from './reviewActions.ts';
import { rememberSampleFiles } from './sampleFiles.ts';

/** The column contract of the plan's dataset, for a plan stratified by validation outcome. */
function strataContractOf(plan: SamplePlan, project: Project) {
  if (plan.population.stratifyBy !== STRATIFY_BY_VALIDATION) return undefined;
  const id = project.datasets.find((d) => d.name === plan.population.dataset)?.contract;
  const doc = project.schemas.find((s) => s.id === id);
  return doc ? { name: doc.name, schema: doc.schema as Record<string, unknown> } : undefined;
}

export function DrawSample({
  plan,
  hash,
  mappingKey,
  project,
  actions,
}: {
  plan: SamplePlan;
  hash: string;
  mappingKey: string | undefined;
  project: Project;
  actions?: ReviewActions;
}) {
  const inputId = useId();
  const [status, setStatus] = useState<{ kind: 'idle' | 'working' | 'error'; text?: string }>({
    kind: 'idle',
  });
  const controller = useRef<AbortController | null>(null);
  const contract = strataContractOf(plan, project);
  if (plan.population.stratifyBy === STRATIFY_BY_VALIDATION && !contract) {
    return (
      <p className="notice">
        This plan forms its strata from the outcome of validation, but no column contract in this project
        belongs to {plan.population.dataset}. Add the contract to the dataset in the Migration workspace
        first.
      </p>
    );
  }
  if (!mappingKey) {
    return (
      <p className="notice">
        No mapping in this project reads {plan.population.dataset}, so Preflight does not know which column
        identifies a record. Add the mapping first.
      </p>
    );
  }
  const draw = async (files: File[]) => {
    if (!actions || files.length === 0) return;
    const locked = plan.lock?.datasets ?? [];
    const unknown = files.find((f) => !locked.some((d) => d.name === f.name));
    if (unknown) {
      setStatus({
        kind: 'error',
        text: `${unknown.name} is not one of the files this plan was locked with (${locked.map((d) => d.name).join(', ')}).`,
      });
      return;
    }
    controller.current = new AbortController();
    setStatus({ kind: 'working', text: 'Drawing the sample… 0 %' });
    try {
      const outcome = await drawSampleInWorker(plan, files, mappingKey, {
        signal: controller.current.signal,
        ...(contract ? { contract } : {}),
        onProgress: (p) =>
          setStatus({
            kind: 'working',
            text: `Drawing the sample… ${p.total ? Math.min(100, Math.floor((p.done / p.total) * 100)) : 0} %`,
          }),
      });
      if (!outcome.ok) {
        setStatus({ kind: 'error', text: outcome.message });
        return;
      }
      for (const input of outcome.document.inputs) {
        const lockedFile = locked.find((d) => d.name === input.file);
        if (lockedFile && lockedFile.sha256 !== input.sha256) {
          setStatus({
            kind: 'error',
            text: `${input.file} is not the file this plan was locked with: its SHA-256 fingerprint differs (${input.sha256.slice(0, 12)}… instead of ${lockedFile.sha256.slice(0, 12)}…). Choose the same file, or make a new plan for the changed data.`,
          });
          return;
        }
      }
      const missing = locked.filter((d) => !outcome.document.inputs.some((i) => i.file === d.name));
      if (missing.length > 0) {
        setStatus({
          kind: 'error',
          text: `Choose every file the plan was locked with; missing: ${missing.map((d) => d.name).join(', ')}.`,
        });
        return;
      }
      const mapping = project.mappings.find((m) => m.source === plan.population.dataset);
      const review = newReview({
        id: actions.newId(),
        plan,
        planHash: hash,
        sample: drawnSampleOf(
          outcome.document,
          actions.now(),
          actingStaffId(project.meta.settings, project.meta.roster),
        ),
        ...(mapping ? { mapping: { id: mapping.id, version: mapping.version } } : {}),
      });
      setStatus({ kind: 'working', text: 'Saving the drawn sample…' });
      await actions.commit({ type: 'review/put', review });
      // the review reads its records from the same files: not asked for again in this page session
      rememberSampleFiles(review.sample.inputs, files);
      setStatus({ kind: 'idle' });
    } catch (error) {
      const jobError = toJobError(error);
      setStatus({
        kind: 'error',
        text: jobError.name === 'JobCancelledError' ? 'Drawing was cancelled.' : jobError.message,
      });
    } finally {
      controller.current = null;
    }
  };
  return (
    <div>
      <p>
        Choose the data file{(plan.lock?.datasets.length ?? 0) > 1 ? 's' : ''} the plan was locked with again.
        Preflight checks each file's fingerprint and draws the sample in the background; the files stay on
        this computer.
        {contract &&
          ` First every record is checked against the column contract “${contract.name}”: records with at least one error, or whose key appears more than once, form the flagged stratum.`}
      </p>
      <label htmlFor={inputId}>Data files for the sample</label>{' '}
      <input
        id={inputId}
        type="file"
        accept=".csv,text/csv"
        multiple
        disabled={!actions || status.kind === 'working'}
        onChange={(e) => void draw([...(e.currentTarget.files ?? [])])}
      />
      {status.kind === 'working' && (
        <p role="status">
          {status.text}{' '}
          <button type="button" onClick={() => controller.current?.abort()}>
            Cancel
          </button>
        </p>
      )}
      {status.kind === 'error' && <p role="alert">{status.text}</p>}
    </div>
  );
}
