/**
 * FHIR files on the Migration workspace: the chosen .json / .ndjson files, the validation layers
 * (each switchable), the run in the FHIR validator worker with progress and cancel, the result in
 * the shared report view with "open at location", and the OperationOutcome export.
 *
 * Loaded on demand (React.lazy from CheckExtracts), so the layer table and this screen stay out
 * of the main bundle; the validator itself loads only in its worker.
 */
import './fhirValidation.css';
import { Fragment, useEffect, useId, useMemo, useState } from 'react';
import type { FhirValidateRequest } from '../../../workers/fhirValidateApi.ts';
import { type FhirValidationProgress, fhirOutcomesInWorker } from '../../../workers/fhirValidateClient.ts';
import type { UnknownExtensionSeverity } from '../../core/fhir/index.ts';
import { FHIR_LAYERS, type FhirLayer, LAYER_DESCRIPTIONS } from '../../core/fhir/index.ts';
import { toJobError } from '../../core/jobs/errors.ts';
import type { ProjectChange } from '../../core/project/changes.ts';
import { FHIR_LAYER_TITLES, fhirRowSetWaivers, localDay } from '../../core/validation/index.ts';
import type { IssueExample, Report } from '../../formats/report.ts';
import { readProjectWaivers } from '../../formats/waivers.ts';
import { downloadBlob } from '../common/download.ts';
import { formatBytes, formatCount, formatDuration } from '../common/format.ts';
import { APP_VERSION } from '../projects/projectSession.ts';
import { FhirPackages } from './FhirPackages.tsx';
import { type FhirRecordTarget, FhirRecordViewer } from './FhirRecordViewer.tsx';
import {
  fhirCheckOptions,
  publishFhirPackages,
  settingsWithFhirChecks,
  useFhirCheckChoices,
} from './fhirCheckChoices.ts';
import { useKeptRun } from './Rehearsals.tsx';
import { useFhirPackages } from './useFhirPackages.ts';
import { fhirValidationRun, useFhirValidation } from './useFhirValidation.ts';
import type { ValidationReport } from './ValidationReport.tsx';

const PERCENT = 100;

/** The choices for extensions the specification does not define, as the CLI's --unknown-extensions values. */
const UNKNOWN_EXTENSION_CHOICES: readonly { value: UnknownExtensionSeverity; label: string }[] = [
  { value: 'error', label: 'As errors: a resource with one counts as invalid' },
  { value: 'warning', label: 'As warnings: listed, but the resource still counts as valid' },
];

function percentOf(progress: FhirValidationProgress | null): number {
  return progress?.total ? Math.floor((progress.done / progress.total) * PERCENT) : 0;
}

/** "12,000 resources/s, about 3 s left" from a byte-based progress that also counts resources. */
function speed(progress: FhirValidationProgress): string {
  const perSecond = progress.done > 0 ? (progress.ratePerSecond * progress.resources) / progress.done : 0;
  const eta = progress.etaSeconds === null ? '' : `, about ${formatDuration(progress.etaSeconds)} left`;
  return `${formatCount(Math.round(perSecond))} resources/s${eta}`;
}

/** "line 3, column 14" (a JSON syntax error's example) as numbers. */
function syntaxPosition(column: string | undefined): { line: number; column: number } | undefined {
  const match = /^line (\d+), column (\d+)$/.exec(column ?? '');
  return match ? { line: Number(match[1]), column: Number(match[2]) } : undefined;
}

/** The FHIR files chosen on the Migration workspace, their validation and its result. */
export function FhirValidation({
  files,
  onRemove,
  onSaveReport,
  ReportView,
  projectId,
  settings,
  dispatch,
  droppedPackages,
  onPackagesTaken,
}: {
  files: readonly File[];
  onRemove: (file: File) => void;
  /** the open project, whose settings record its implementation guide packages */
  projectId: string;
  settings: Record<string, unknown>;
  /** stores project changes (packages added or removed, profiles chosen); absent: read only */
  dispatch?: ((change: ProjectChange) => void) | undefined;
  /** package files dropped on the workspace's extract drop zone, to add */
  droppedPackages?: readonly File[];
  onPackagesTaken?: () => void;
  onSaveReport?: ((report: Report) => Promise<void>) | undefined;
  /**
   * The shared report view (ValidationReport), passed in by the workspace: imported here, it would
   * make the bundler split the page's own code into a second chunk (tests/bench/RESULTS.md).
   */
  ReportView: typeof ValidationReport;
}) {
  // kept in the project and shared with the FHIR server panel, whose pulls are validated with them
  const { layers, unknownExtensions, allowExampleUrls } = useFhirCheckChoices(settings);
  const chooseChecks = dispatch
    ? (nextLayers: readonly FhirLayer[], nextUnknown: UnknownExtensionSeverity, nextAllow?: boolean) =>
        dispatch({
          type: 'project/settings',
          settings: settingsWithFhirChecks(settings, nextLayers, nextUnknown, nextAllow),
        })
    : undefined;
  const [target, setTarget] = useState<FhirRecordTarget | undefined>(undefined);
  const { ready, job, start, cancel } = useFhirValidation();
  const titleId = useId();
  const running = job?.status === 'running';
  const progress = (job?.progress ?? null) as FhirValidationProgress | null;
  const run = fhirValidationRun(job);
  const packages = useFhirPackages(projectId, settings, dispatch);
  const { add: addPackages } = packages;
  // a chosen profile whose package is gone is not asked for
  const profiles = useMemo(
    () =>
      packages.profiles.filter((url) => packages.packages.some((p) => p.profiles.some((c) => c.url === url))),
    [packages.profiles, packages.packages],
  );
  const packagesReady = packages.loaded && !packages.busy;
  useEffect(() => {
    publishFhirPackages(projectId, {
      projectId,
      specs: packages.specs,
      profiles,
      ready: packagesReady,
      read: packages.packages,
      missing: packages.missing,
    });
  }, [projectId, packages.specs, profiles, packagesReady, packages.packages, packages.missing]);
  useEffect(() => () => publishFhirPackages(projectId, undefined), [projectId]);
  useEffect(() => {
    if (!droppedPackages?.length || !addPackages) return;
    onPackagesTaken?.();
    void addPackages(droppedPackages);
  }, [droppedPackages, addPackages, onPackagesTaken]);
  // every finished run is kept in the project, for the rehearsals' comparison, as CSV runs are
  const kept = useKeptRun(run?.outcome.ok ? run.outcome.report : undefined, onSaveReport);

  const toggle = (layer: FhirLayer, on: boolean) => {
    chooseChecks?.(
      FHIR_LAYERS.filter((l) => (l === layer ? on : layers.includes(l))),
      unknownExtensions,
    );
  };

  const validate = () => {
    setTarget(undefined);
    // the project's waivers limited to rows: the run counts the occurrences inside them
    const rowSets = fhirRowSetWaivers(readProjectWaivers(settings).waivers, localDay(new Date()));
    start({
      toolVersion: APP_VERSION,
      inputs: files.map((file) => ({ file, name: file.name })),
      ...(rowSets.length > 0 ? { rowSets } : {}),
      ...fhirCheckOptions(
        {
          layers,
          unknownExtensions,
          allowExampleUrls,
          packages: { projectId, specs: packages.specs, profiles, ready: true },
        },
        projectId,
      ),
    });
  };

  const open = (example: IssueExample) => {
    if (!run?.outcome.ok) return;
    const name = example.input ?? run.request.inputs[0]?.name;
    const input = run.request.inputs.find((i) => i.name === name);
    if (!input || example.row === undefined) return;
    const syntax = syntaxPosition(example.column);
    setTarget((t) => ({
      file: input.file,
      name: input.name,
      row: example.row as number,
      location: syntax ? '' : (example.column ?? ''),
      index: run.outcome.ok ? run.outcome.index.find((i) => i.input === input.name) : undefined,
      syntax,
      seq: (t?.seq ?? 0) + 1,
    }));
  };

  return (
    <section aria-labelledby={titleId} className="fhir-validation">
      <h4 id={titleId}>FHIR files</h4>
      <p>
        FHIR R4 resources, Bundles and bulk exports (NDJSON, one resource per line, any size) are checked here
        against the FHIR R4 specification, on this computer.
      </p>
      <FhirPackages state={packages} disabled={running} />
      {files.length > 0 && (
        <ul className="fhir-files">
          {files.map((file) => (
            <li key={file.name}>
              {file.name} <span className="hint">({formatBytes(file.size)})</span>{' '}
              <button type="button" disabled={running} onClick={() => onRemove(file)}>
                Remove {file.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      <fieldset className="fhir-layers" disabled={running || !chooseChecks}>
        <legend>Checks to run</legend>
        <p className="hint">
          Kept with the project, for these files and for records pulled from a FHIR server.
        </p>
        {FHIR_LAYERS.map((layer) => (
          <Fragment key={layer}>
            <label>
              <input
                type="checkbox"
                checked={layer === 'json' || layers.includes(layer)}
                disabled={layer === 'json'}
                onChange={(event) => toggle(layer, event.currentTarget.checked)}
              />{' '}
              <strong>{FHIR_LAYER_TITLES[layer]}</strong>: {LAYER_DESCRIPTIONS[layer]}
              {layer === 'json' ? ' Always on: nothing can be checked without reading the JSON.' : ''}
            </label>
            {layer === 'extensions' && (
              <>
                <UnknownExtensionsChoice
                  value={unknownExtensions}
                  checked={layers.includes('extensions')}
                  onChange={(value) => chooseChecks?.(layers, value)}
                />
                <ExampleUrlsChoice
                  value={allowExampleUrls === true}
                  checked={layers.includes('extensions')}
                  onChange={(value) => chooseChecks?.(layers, unknownExtensions, value)}
                />
              </>
            )}
          </Fragment>
        ))}
      </fieldset>
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={!ready || running || files.length === 0 || packages.busy || !packages.loaded}
          onClick={validate}
        >
          Validate {files.length === 1 ? '1 FHIR file' : `${files.length} FHIR files`}
        </button>
        {running && (
          <button type="button" onClick={cancel}>
            Cancel FHIR validation
          </button>
        )}
      </div>

      {running && (
        <div className="progress-block">
          <progress max={PERCENT} value={percentOf(progress)} aria-label={`Validating ${job.subject}`} />
          <p aria-live="polite">
            {progress
              ? `${progress.input || job.subject}: ${percentOf(progress)} % — ${formatBytes(progress.done)} of ${formatBytes(progress.total ?? 0)}, ${formatCount(progress.resources)} resources · ${speed(progress)}`
              : 'Starting…'}
          </p>
        </div>
      )}
      {job?.status === 'cancelled' && (
        <p className="job-outcome" role="status">
          FHIR validation of {job.subject}: {job.message}
          {progress
            ? ` It stopped at ${percentOf(progress)} % (${formatCount(progress.resources)} resources checked).`
            : ''}
        </p>
      )}
      {job?.status === 'failed' && (
        <p className="error job-outcome" role="alert">
          FHIR validation of {job.subject}: {job.message}
        </p>
      )}
      {run && !run.outcome.ok && (
        <div className="error job-outcome" role="alert">
          <p>{run.outcome.problem.message}</p>
          <p>What to do: {run.outcome.problem.advice}</p>
        </div>
      )}
      {run?.outcome.ok && (
        <>
          <ReportView
            key={run.outcome.report.generatedAt}
            report={run.outcome.report}
            onSave={onSaveReport}
            kept={kept}
            onOpenExample={open}
          />
          <OutcomeExports request={run.request} generatedAt={run.outcome.report.generatedAt} />
        </>
      )}
      {target && <FhirRecordViewer key={target.seq} target={target} />}
    </section>
  );
}

/**
 * How extensions the specification does not define count (the CLI's `--unknown-extensions`), under
 * the Extensions layer whose rule it changes; off with that layer.
 */
function UnknownExtensionsChoice({
  value,
  checked,
  onChange,
}: {
  value: UnknownExtensionSeverity;
  /** whether the Extensions layer runs */
  checked: boolean;
  onChange: (value: UnknownExtensionSeverity) => void;
}) {
  const id = useId();
  return (
    <fieldset className="fhir-unknown-extensions" disabled={!checked} aria-describedby={id}>
      <legend>Report unknown extensions</legend>
      <p id={id} className="hint">
        An unknown extension is an extra field, added by a country or a software vendor, that the FHIR
        specification does not define: the target system may ignore or refuse it. Choose warnings for exports
        full of national or vendor extensions.
        {checked ? '' : ' Switch Extensions on to check them.'}
      </p>
      {UNKNOWN_EXTENSION_CHOICES.map((choice) => (
        <label key={choice.value}>
          <input
            type="radio"
            name={`${id}-choice`}
            value={choice.value}
            checked={value === choice.value}
            onChange={() => onChange(choice.value)}
          />{' '}
          {choice.label}
        </label>
      ))}
    </fieldset>
  );
}

/**
 * Whether extensions at example addresses pass unjudged (the CLI's `--allow-example-urls`,
 * the HL7 Java validator's `-allow-example-urls true`), under the Extensions layer whose rule it
 * changes; off with that layer, and off by default: a real export never needs it.
 */
function ExampleUrlsChoice({
  value,
  checked,
  onChange,
}: {
  value: boolean;
  /** whether the Extensions layer runs */
  checked: boolean;
  onChange: (value: boolean) => void;
}) {
  const id = useId();
  return (
    <div className="fhir-example-urls">
      <label>
        <input
          type="checkbox"
          checked={value}
          disabled={!checked}
          aria-describedby={id}
          onChange={(event) => onChange(event.currentTarget.checked)}
        />{' '}
        Accept extensions at example addresses (example.org, example.com) — for test data only
      </label>
      <p id={id} className="hint">
        An extension nobody defines counts as unknown, and a modifier one as an error: it changes what a
        record means. Test and training files often carry made-up ones at example addresses: tick this for
        those only, never for a clinic's real export.
      </p>
    </div>
  );
}

/**
 * One OperationOutcome per resource, on request: the files are validated again in the worker. The
 * download is a FHIR `collection` Bundle, the form the HL7 Java validator writes for several files
 * and implementation guides publish their outcomes in, so the target's tools read it as they read
 * theirs (the CLI writes the same bytes with `--outcomes-format bundle`).
 */
function OutcomeExports({ request, generatedAt }: { request: FhirValidateRequest; generatedAt: string }) {
  const [state, setState] = useState<{ busy: boolean; message: string }>({ busy: false, message: '' });
  const stamp = generatedAt.slice(0, 19).replaceAll(':', '-');
  const make = () => {
    setState({ busy: true, message: 'Checking the files again to write one OperationOutcome per resource…' });
    fhirOutcomesInWorker(request, 'bundle').then(
      (made) => {
        if (!made.ok) {
          setState({ busy: false, message: `${made.problem.message} ${made.problem.advice}` });
          return;
        }
        downloadBlob(`operation-outcomes-${stamp}.json`, made.blob);
        setState({ busy: false, message: 'OperationOutcomes exported.' });
      },
      (error: unknown) => setState({ busy: false, message: toJobError(error).message }),
    );
  };
  return (
    <div className="row export-row">
      <span>
        Each resource's problems as a FHIR OperationOutcome, with line and column, in one Bundle as the HL7
        validator writes them:
      </span>
      <button type="button" disabled={state.busy} onClick={make}>
        Export OperationOutcomes (FHIR Bundle)
      </button>
      {state.message && (
        <span role="status" className="save-status">
          {state.message}
        </span>
      )}
    </div>
  );
}
