import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { FhirValidateOutcome, FhirValidateRequest } from '../../../workers/fhirValidateApi.ts';
import { type FhirValidationProgress, validateFhirInWorker } from '../../../workers/fhirValidateClient.ts';
import { FHIR_LAYERS } from '../../core/fhir/index.ts';
import { fhirRowSetWaivers, localDay } from '../../core/validation/index.ts';
import { checkServerAllowed } from '../../fhir/allowlist.ts';
import { connectFhirServer, DEFAULT_TIMEOUT_MS, type FhirConnection } from '../../fhir/connection.ts';
import { FhirServerError, originOf } from '../../fhir/errors.ts';
import { MappingSetupError, mapCsvStream } from '../../fhir/legacyRecords.ts';
import { type ExportState, pullResources } from '../../fhir/pull.ts';
import {
  addPulledPage,
  type PulledSet,
  pulledFile,
  pulledFileName,
  startPulledSet,
} from '../../fhir/pulledRecords.ts';
import { type ReconcileResult, reconcilePatients } from '../../fhir/reconcile.ts';
import type { Mapping } from '../../formats/mapping.ts';
import type { Report } from '../../formats/report.ts';
import { readProjectWaivers } from '../../formats/waivers.ts';
import { downloadBlob } from '../common/download.ts';
import { getFhirConnection, setFhirConnection, useFhirConnection } from '../common/fhirConnectionStore.ts';
import { formatCount, plural } from '../common/format.ts';
import { SendBundleToServer } from '../common/SendBundleToServer.tsx';
import { ALLOWED_FHIR_ORIGINS } from '../fhirOrigins.ts';
import type { Job } from '../jobs/jobRegistry.ts';
import { useJobRegistry, useLatestJob } from '../jobs/useJobs.ts';
import { APP_VERSION } from '../projects/projectSession.ts';
import {
  describeFhirCheckChoices,
  fhirCheckOptions,
  packagesFor,
  useFhirCheckChoices,
} from './fhirCheckChoices.ts';
import { type ReconcileAbout, ReconcileList } from './ReconcileList.tsx';
import { useKeptRun } from './Rehearsals.tsx';
import type { ValidationReport } from './ValidationReport.tsx';

/** A file's bytes as an async iterable (a ReadableStream reader, which every browser has). */
async function* bytesOf(file: Blob): AsyncGenerator<Uint8Array> {
  const reader = file.stream().getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

type Problem = {
  message: string;
  advice?: string;
  /** a bulk export failed: the same records can be read page by page instead */
  pageByPage?: { resourceType: string };
};

/** A chosen Bundle file that is not offered for sending (unreadable, or invalid FHIR R4). */
class BundleFileError extends Error {
  override name = 'BundleFileError';
}

/** The wait for each answer offered on screen, in seconds. */
const TIMEOUT_RANGE = { min: 5, max: 600 } as const;

/**
 * The wait for each answer, kept for the page (like the connection, which reads it at every
 * request): a change applies to the next request, without connecting again.
 */
let timeoutSeconds = DEFAULT_TIMEOUT_MS / 1000;

/**
 * What was pulled, by file name, kept for the page while the user visits other workspaces. Memory
 * only: these are patient records, never stored or sent anywhere by the panel.
 */
const pulls = new Map<string, { baseUrl: string; set: PulledSet }>();

/** A pull that stopped with records read: its problem, with what became of them. */
class PullStopped extends Error {
  override name = 'PullStopped';
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

function problemOf(error: unknown): Problem {
  if (error instanceof PullStopped) return error.problem;
  if (error instanceof FhirServerError) {
    if (error.kind === 'timeout') {
      return {
        message: error.message,
        advice: `Check that the server is running and not overloaded, then try again. If it is only slow, raise “Wait for each answer” (now ${timeoutSeconds} seconds) and try again.`,
      };
    }
    return { message: error.message, advice: error.advice };
  }
  if (error instanceof MappingSetupError || error instanceof BundleFileError)
    return { message: error.message };
  if (error instanceof Error && error.name === 'Utf8DecodeError') return { message: error.message };
  return {
    message: 'Something went wrong talking to the server. Try again; if it keeps happening, report it.',
  };
}

/** The job kind of validating pulled records: its own slot, beside the FHIR files' run. */
const SERVER_VALIDATION_KIND = 'fhir-server-validation';

/** A finished validation of pulled records. */
interface ServerValidationRun {
  outcome: FhirValidateOutcome;
  request: FhirValidateRequest;
}

function serverValidationRun(job: Job | undefined): ServerValidationRun | null {
  if (job?.kind !== SERVER_VALIDATION_KIND || job.status !== 'done') return null;
  const run = job.result as Partial<ServerValidationRun> | null;
  return run?.outcome && run.request ? (run as ServerValidationRun) : null;
}

/** "Patient: 4,971 records, read page by page" — a pull's state in words. */
function pullState(set: PulledSet): string {
  if (!set.complete) {
    return set.stopped
      ? `stopped after ${plural(set.records, 'record')}${set.total === undefined ? '' : ` of ${formatCount(set.total)}`}; the records read are kept`
      : `reading… ${plural(set.records, 'record')}${set.total === undefined ? '' : ` of ${formatCount(set.total)}`}`;
  }
  const read = `all ${plural(set.records, 'record')}, read ${set.method === 'export' ? 'with bulk export ($export)' : 'page by page'}`;
  return set.serverProblems
    ? `${read}; the server reported ${plural(set.serverProblems, 'problem')} with the export, so records it could not export are missing (ask its administrator for the export’s error files)`
    : read;
}

/** Where a bulk export is, in words for the progress line. */
function exportProgress(state: ExportState, resourceType: string, server: string): string {
  switch (state.phase) {
    case 'kick-off':
      return `Asking ${server} to export its ${resourceType} records (bulk export)…`;
    case 'waiting': {
      const seconds = Math.round(state.nextCheckMs / 1000);
      return `${server} is preparing the ${resourceType} export${state.serverProgress ? ` (it says: “${state.serverProgress}”)` : ''}. Checking again in ${plural(seconds, 'second')} (check ${formatCount(state.checks)})…`;
    }
    case 'downloading':
      return `Downloading the ${resourceType} export${state.files > 1 ? `, file ${state.file} of ${state.files}` : ''}…`;
  }
}

/**
 * Connect to a FHIR server, see what it offers, pull its records (progress, cancel; what was read
 * is kept when a pull stops), validate or download them, and reconcile its Patients with a legacy
 * patients file. Only servers on the build's allowlist can be reached (the page's CSP); another
 * address gets a message saying how to allow it. The token stays in memory.
 */
export function FhirServerPanel({
  projectId,
  settings,
  mappings,
  onSaveReport,
  ReportView,
  allowedOrigins = ALLOWED_FHIR_ORIGINS,
}: {
  /** the open project (its implementation guide packages apply to a pull's validation) */
  projectId: string;
  /** the open project's settings: the FHIR checks kept there apply to a pull's validation */
  settings: Readonly<Record<string, unknown>>;
  mappings: readonly Mapping[];
  /** keeps a finished validation of pulled records in the project (for the rehearsals) */
  onSaveReport?: ((report: Report) => Promise<void>) | undefined;
  /** the shared report view, passed in by the workspace (see FhirValidation) */
  ReportView: typeof ValidationReport;
  /** the FHIR origins this copy may contact: the page's policy (a component test names its server) */
  allowedOrigins?: readonly string[];
}) {
  const ids = {
    address: useId(),
    token: useId(),
    timeout: useId(),
    timeoutHint: useId(),
    kind: useId(),
    file: useId(),
    mapping: useId(),
    bundle: useId(),
    pulled: useId(),
    checks: useId(),
  };
  const [address, setAddress] = useState(() => getFhirConnection()?.baseUrl ?? '');
  const [token, setToken] = useState('');
  const [timeout, setTimeoutField] = useState(String(timeoutSeconds));
  // kept for the page, not the panel: the sign-off workspace sends its bundle over it
  const connection = useFhirConnection();
  const setConnection = setFhirConnection;
  const [busy, setBusy] = useState<'connect' | 'pull' | 'reconcile' | 'check'>();
  const [outgoing, setOutgoing] = useState<{ name: string; bundle: unknown }>();
  const [problem, setProblem] = useState<Problem>();
  const [progress, setProgress] = useState<string>();
  const [, setPullsSeen] = useState(0);
  const refreshPulls = useCallback(() => setPullsSeen((n) => n + 1), []);
  const [kind, setKind] = useState('Patient');
  const [result, setResult] = useState<{ result: ReconcileResult; about: ReconcileAbout }>();
  const patientMappings = mappings.filter(
    (m) => m.target.type === 'fhir' && m.target.resourceType === 'Patient',
  );
  const [mappingId, setMappingId] = useState(patientMappings[0]?.id ?? '');
  const fileRef = useRef<HTMLInputElement>(null);
  const abort = useRef<AbortController>(undefined);
  useEffect(() => () => abort.current?.abort(), []);
  const registry = useJobRegistry();
  const validationJob = useLatestJob(SERVER_VALIDATION_KIND);
  const validation = serverValidationRun(validationJob);
  const report = validation?.outcome.ok ? validation.outcome.report : undefined;
  // a validation of pulled records is kept in the project like a check of files (Rehearsals.tsx)
  const kept = useKeptRun(report, onSaveReport);
  const validating = validationJob?.status === 'running';
  // the project's checks, chosen under "FHIR files": a pull is validated exactly as a file would be
  const choices = useFhirCheckChoices(settings);
  const packagesBusy = packagesFor(choices, projectId)?.ready === false;
  const validationProgress = (validationJob?.progress ?? null) as FhirValidationProgress | null;
  const pulled = [...pulls.entries()];
  const searchable = (connection?.capabilities.resources ?? [])
    .filter((r) => r.interactions.includes('search-type'))
    .map((r) => r.type)
    .sort((a, b) => (a === 'Patient' ? -1 : b === 'Patient' ? 1 : a.localeCompare(b)));

  async function run(
    action: 'connect' | 'pull' | 'reconcile' | 'check',
    work: (signal: AbortSignal) => Promise<void>,
  ) {
    abort.current = new AbortController();
    setBusy(action);
    setProblem(undefined);
    setProgress(undefined);
    try {
      await work(abort.current.signal);
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(undefined);
      setProgress(undefined);
    }
  }

  const changeTimeout = (value: string) => {
    setTimeoutField(value);
    const seconds = Number(value);
    if (Number.isInteger(seconds) && seconds >= TIMEOUT_RANGE.min && seconds <= TIMEOUT_RANGE.max)
      timeoutSeconds = seconds;
  };

  const connect = () =>
    run('connect', async (signal) => {
      setConnection(undefined);
      setResult(undefined);
      const refused = checkServerAllowed(address.trim(), allowedOrigins, window.location.origin);
      if (refused) throw refused;
      setConnection(
        await connectFhirServer(
          {
            baseUrl: address,
            token: token.trim() || undefined,
            // read at every request: the field's value applies at once
            timeoutSignal: () => AbortSignal.timeout(timeoutSeconds * 1000),
          },
          signal,
        ),
      );
    });

  const pull = (c: FhirConnection, resourceType: string, method?: 'paging') =>
    run('pull', async (signal) => {
      const name = pulledFileName(resourceType, c.baseUrl);
      const set = startPulledSet(resourceType);
      const exporting = c.capabilities.bulkExport && method !== 'paging';
      try {
        const done = await pullResources(c, {
          resourceType,
          signal,
          method,
          onExport: (state) => setProgress(exportProgress(state, resourceType, originOf(c.baseUrl))),
          onPage: (resources, p) => {
            addPulledPage(set, resources, p.total);
            // the first page replaces an earlier pull of this kind; until then, that one is kept
            if (set.records > 0) pulls.set(name, { baseUrl: c.baseUrl, set });
            refreshPulls();
            setProgress(
              exporting
                ? `Downloading the ${resourceType} export: ${plural(set.records, 'record')} read…`
                : `Read ${formatCount(set.records)}${set.total === undefined ? '' : ` of ${formatCount(set.total)}`} ${resourceType} records…`,
            );
          },
        });
        set.method = done.method;
        if (done.serverProblems) set.serverProblems = done.serverProblems;
        set.complete = true;
        pulls.set(name, { baseUrl: c.baseUrl, set });
      } catch (error) {
        const stopped = problemOf(error);
        set.stopped = stopped.message;
        // a failed export (not a cancelled one) has another way: ordinary searches, page by page
        const pageByPage =
          exporting && !(error instanceof FhirServerError && error.kind === 'cancelled')
            ? { resourceType }
            : undefined;
        if (pageByPage)
          stopped.advice =
            `${stopped.advice ?? ''} The same records can also be read page by page, with ordinary searches: slower, but it does not depend on the export.`.trim();
        if (set.records === 0) throw new PullStopped({ ...stopped, pageByPage });
        throw new PullStopped({
          message: stopped.message,
          advice:
            `${stopped.advice ?? ''} The ${plural(set.records, `${resourceType} record`)} read before it stopped are kept below: validate or download them, or pull again.`.trim(),
          pageByPage,
        });
      } finally {
        refreshPulls();
      }
    });

  const validatePulled = () => {
    if (!registry) return;
    const inputs = pulled
      .filter(([, p]) => p.set.records > 0)
      .map(([name, p]) => ({ file: pulledFile(p.set, p.baseUrl), name }));
    // the project's waivers limited to rows: the run counts the occurrences inside them, as for files
    const rowSets = fhirRowSetWaivers(readProjectWaivers(settings).waivers, localDay(new Date()));
    const request: FhirValidateRequest = {
      toolVersion: APP_VERSION,
      inputs,
      ...fhirCheckOptions(choices, projectId),
      ...(rowSets.length > 0 ? { rowSets } : {}),
    };
    registry.start({
      kind: SERVER_VALIDATION_KIND,
      label: 'FHIR validation of pulled records',
      subject: inputs.map((i) => i.name).join(', '),
      href: '#/migration',
      run: async ({ signal, reportProgress }) => ({
        outcome: await validateFhirInWorker(request, { signal, onProgress: reportProgress }),
        request,
      }),
    });
  };

  const reconcile = (c: FhirConnection) =>
    run('reconcile', async (signal) => {
      setResult(undefined);
      const file = fileRef.current?.files?.[0];
      const mapping = patientMappings.find((m) => m.id === mappingId);
      if (!file) throw new FhirServerError('bad-address', 'Choose the patients file first.', '');
      if (!mapping)
        throw new FhirServerError('bad-address', 'This project has no mapping to FHIR Patient.', '');
      const reconciled = await reconcilePatients(c, {
        extract: mapCsvStream(bytesOf(file), mapping, file.name),
        // every patient is listed on screen and in the exports, not a few examples
        examples: Number.POSITIVE_INFINITY,
        // the differing values, for this screen and the exports the user chooses (never the CLI's JSON)
        values: true,
        signal,
        onProgress: (p) =>
          setProgress(
            p.phase === 'extract'
              ? `Reading ${file.name}: ${p.records.toLocaleString()} rows…`
              : `Reading the server’s patients: ${p.resources.toLocaleString()}…`,
          ),
      });
      setResult({
        result: reconciled,
        about: { server: originOf(c.baseUrl), file: file.name, generatedAt: new Date().toISOString() },
      });
    });

  const checkBundle = (file: File) =>
    run('check', async (signal) => {
      setOutgoing(undefined);
      setProgress(`Checking ${file.name} against FHIR R4…`);
      // the project's FHIR validator first: a Bundle the server would refuse is caught here, with
      // one message per defect, before anything leaves this computer
      const outcome = await validateFhirInWorker(
        { inputs: [{ file, name: file.name }], layers: [...FHIR_LAYERS], toolVersion: APP_VERSION },
        { signal },
      );
      if (!outcome.ok) throw new BundleFileError(`${outcome.problem.message} ${outcome.problem.advice}`);
      const { errors } = outcome.report.summary;
      if (errors > 0) {
        throw new BundleFileError(
          `${file.name} has ${errors.toLocaleString()} ${errors === 1 ? 'error' : 'errors'} against FHIR R4, so it was not offered for sending. Check it under FHIR files above to see where, correct it, and choose it again.`,
        );
      }
      setOutgoing({ name: file.name, bundle: JSON.parse((await file.text()).replace(/^\uFEFF/, '')) });
    });

  return (
    <section aria-labelledby="fhir-server-title" className="card">
      <h3 id="fhir-server-title">FHIR server</h3>
      <p>
        Check what the new EHR’s FHIR server holds. Preflight can contact only the servers allowed where it is
        served{allowedOrigins.length > 0 ? ` (${allowedOrigins.join(', ')})` : ' (none yet)'}. The access
        token is kept only until you close this page.
      </p>
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault();
          void connect();
        }}
      >
        <label htmlFor={ids.address}>Server address</label>
        <input
          autoComplete="off"
          id={ids.address}
          type="url"
          required
          value={address}
          placeholder="https://fhir.example.org/r4"
          onChange={(e) => setAddress(e.target.value)}
        />
        <label htmlFor={ids.token}>Access token (optional)</label>
        <input
          id={ids.token}
          type="password"
          autoComplete="off"
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
        <label htmlFor={ids.timeout}>Wait for each answer (seconds)</label>
        <input
          id={ids.timeout}
          type="number"
          inputMode="numeric"
          min={TIMEOUT_RANGE.min}
          max={TIMEOUT_RANGE.max}
          step={1}
          required
          value={timeout}
          aria-describedby={ids.timeoutHint}
          onChange={(e) => changeTimeout(e.target.value)}
        />
        <span id={ids.timeoutHint} className="hint">
          How long to wait for the server to start answering each request before giving up (
          {TIMEOUT_RANGE.min} to {TIMEOUT_RANGE.max}); applies to the next request.
          {Number(timeout) !== timeoutSeconds &&
            ` Not a whole number from ${TIMEOUT_RANGE.min} to ${TIMEOUT_RANGE.max}: ${timeoutSeconds} seconds are used until it is.`}
        </span>
        <button type="submit" disabled={busy !== undefined}>
          Connect
        </button>
      </form>
      {busy && (
        <p role="status">
          {progress ?? (busy === 'connect' ? 'Connecting…' : 'Working…')}{' '}
          <button type="button" onClick={() => abort.current?.abort()}>
            Cancel
          </button>
        </p>
      )}
      {problem && (
        <div role="alert">
          <p>{problem.message}</p>
          {problem.advice && <p>{problem.advice}</p>}
          {problem.pageByPage && connection && (
            <p>
              <button
                type="button"
                disabled={busy !== undefined}
                onClick={() => void pull(connection, problem.pageByPage?.resourceType ?? kind, 'paging')}
              >
                Read {problem.pageByPage.resourceType} records page by page instead
              </button>
            </p>
          )}
        </div>
      )}
      {connection && (
        <>
          <p role="status">
            Connected to {connection.capabilities.software ?? 'a FHIR server'} (FHIR{' '}
            {connection.capabilities.fhirVersion ?? 'version not stated'}):{' '}
            {connection.capabilities.resources.length} kinds of record;{' '}
            {connection.capabilities.bulkExport
              ? 'offers bulk export'
              : 'no bulk export (records are read page by page)'}
            .
          </p>
          <div className="row">
            <label htmlFor={ids.kind}>Kind of record</label>
            <select id={ids.kind} value={kind} onChange={(e) => setKind(e.target.value)}>
              {(searchable.length > 0 ? searchable : ['Patient']).map((type) => (
                <option key={type} value={type}>
                  {type}
                </option>
              ))}
            </select>
            <button type="button" disabled={busy !== undefined} onClick={() => void pull(connection, kind)}>
              Pull records
            </button>
          </div>
        </>
      )}
      {pulled.length > 0 && (
        <section aria-labelledby={ids.pulled}>
          <h4 id={ids.pulled}>Pulled from the server</h4>
          <p className="hint">
            Kept on this computer until you close or reload this page, one NDJSON file per kind of record (one
            record per line, as a bulk export gives them, which Preflight, the CLI and most FHIR tools read).
            Pulling a kind again replaces it once the first records arrive.
          </p>
          <ul className="pulled">
            {pulled.map(([name, p]) => (
              <li key={name}>
                <strong>{p.set.resourceType}</strong> from {originOf(p.baseUrl)}: {pullState(p.set)}.{' '}
                <button
                  type="button"
                  disabled={p.set.records === 0}
                  onClick={() => downloadBlob(name, pulledFile(p.set, p.baseUrl))}
                >
                  Download {name}
                </button>
              </li>
            ))}
          </ul>
          <div className="row">
            <button
              type="button"
              className="primary"
              disabled={!registry || validating || busy === 'pull' || packagesBusy}
              aria-describedby={ids.checks}
              onClick={validatePulled}
            >
              Validate pulled records
            </button>
            {validating && (
              <button
                type="button"
                onClick={() => validationJob && registry?.cancel(validationJob.id, 'user')}
              >
                Cancel validation of pulled records
              </button>
            )}
          </div>
          <p id={ids.checks} className="hint">
            {packagesBusy
              ? 'Waiting for the implementation guide packages under “FHIR files” to be read.'
              : `With the project’s FHIR checks (chosen under “FHIR files”, shown once a FHIR file is added): ${describeFhirCheckChoices(choices, projectId)}`}
          </p>
          {validating && (
            <p role="status">
              Validating {validationJob.subject}:{' '}
              {validationProgress
                ? `${formatCount(validationProgress.resources)} records checked…`
                : 'starting…'}
            </p>
          )}
          {validationJob?.status === 'cancelled' && (
            <p role="status">Validation of pulled records: {validationJob.message}</p>
          )}
          {validationJob?.status === 'failed' && (
            <p role="alert">Validation of pulled records: {validationJob.message}</p>
          )}
          {validation && !validation.outcome.ok && (
            <div role="alert">
              <p>{validation.outcome.problem.message}</p>
              <p>What to do: {validation.outcome.problem.advice}</p>
            </div>
          )}
          {report && (
            <ReportView key={report.generatedAt} report={report} onSave={onSaveReport} kept={kept} />
          )}
        </section>
      )}
      {connection && (
        <>
          <div className="row">
            <label htmlFor={ids.file}>Legacy patients file</label>
            <input id={ids.file} ref={fileRef} type="file" accept=".csv,text/csv" />
            <label htmlFor={ids.mapping}>Mapping</label>
            <select id={ids.mapping} value={mappingId} onChange={(e) => setMappingId(e.target.value)}>
              {patientMappings.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
            <button
              type="button"
              disabled={busy !== undefined || patientMappings.length === 0}
              onClick={() => void reconcile(connection)}
            >
              Reconcile
            </button>
          </div>
          <div className="row">
            <label htmlFor={ids.bundle}>Send a transaction Bundle file</label>
            <input
              id={ids.bundle}
              type="file"
              accept=".json,application/fhir+json,application/json"
              disabled={busy !== undefined}
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void checkBundle(file);
              }}
            />
            <button type="button" disabled={busy !== undefined} onClick={() => setConnection(undefined)}>
              Forget this server
            </button>
          </div>
          {outgoing && <SendBundleToServer bundle={outgoing.bundle} describe={outgoing.name} />}
        </>
      )}
      {result && <ReconcileList result={result.result} about={result.about} />}
    </section>
  );
}
