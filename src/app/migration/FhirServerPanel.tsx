import { useEffect, useId, useRef, useState } from 'react';
import { validateFhirInWorker } from '../../../workers/fhirValidateClient.ts';
import { FHIR_LAYERS } from '../../core/migration/fhir/rules.ts';
import { checkServerAllowed } from '../../fhir/allowlist.ts';
import { connectFhirServer, type FhirConnection } from '../../fhir/connection.ts';
import { FhirServerError } from '../../fhir/errors.ts';
import { MappingSetupError, mapCsvStream } from '../../fhir/legacyRecords.ts';
import { type PullProgress, pullResources } from '../../fhir/pull.ts';
import {
  FIELD_LABELS,
  RECONCILED_FIELDS,
  type ReconcileResult,
  reconcilePatients,
} from '../../fhir/reconcile.ts';
import type { Mapping } from '../../formats/mapping.ts';
import { getFhirConnection, setFhirConnection, useFhirConnection } from '../common/fhirConnectionStore.ts';
import { SendBundleToServer } from '../common/SendBundleToServer.tsx';
import { ALLOWED_FHIR_ORIGINS } from '../fhirOrigins.ts';
import { APP_VERSION } from '../projects/projectSession.ts';

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

type Problem = { message: string; advice?: string };

/** A chosen Bundle file that is not offered for sending (unreadable, or invalid FHIR R4). */
class BundleFileError extends Error {
  override name = 'BundleFileError';
}

function problemOf(error: unknown): Problem {
  if (error instanceof FhirServerError) return { message: error.message, advice: error.advice };
  if (error instanceof MappingSetupError || error instanceof BundleFileError)
    return { message: error.message };
  if (error instanceof Error && error.name === 'Utf8DecodeError') return { message: error.message };
  return {
    message: 'Something went wrong talking to the server. Try again; if it keeps happening, report it.',
  };
}

/**
 * Connect to a FHIR server, see what it offers, pull its Patients (progress, cancel) and reconcile
 * them with a legacy patients file. Only servers on the build's allowlist can be reached (the
 * page's CSP); another address gets a message saying how to allow it. The token stays in memory.
 */
export function FhirServerPanel({ mappings }: { mappings: readonly Mapping[] }) {
  const ids = { address: useId(), token: useId(), file: useId(), mapping: useId(), bundle: useId() };
  const [address, setAddress] = useState(() => getFhirConnection()?.baseUrl ?? '');
  const [token, setToken] = useState('');
  // kept for the page, not the panel: the sign-off workspace sends its bundle over it
  const connection = useFhirConnection();
  const setConnection = setFhirConnection;
  const [busy, setBusy] = useState<'connect' | 'pull' | 'reconcile' | 'check'>();
  const [outgoing, setOutgoing] = useState<{ name: string; bundle: unknown }>();
  const [problem, setProblem] = useState<Problem>();
  const [progress, setProgress] = useState<string>();
  const [pulled, setPulled] = useState<PullProgress & { note: string }>();
  const [result, setResult] = useState<ReconcileResult>();
  const patientMappings = mappings.filter(
    (m) => m.target.type === 'fhir' && m.target.resourceType === 'Patient',
  );
  const [mappingId, setMappingId] = useState(patientMappings[0]?.id ?? '');
  const fileRef = useRef<HTMLInputElement>(null);
  const abort = useRef<AbortController>(undefined);
  useEffect(() => () => abort.current?.abort(), []);

  async function run(
    kind: 'connect' | 'pull' | 'reconcile' | 'check',
    work: (signal: AbortSignal) => Promise<void>,
  ) {
    abort.current = new AbortController();
    setBusy(kind);
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

  const connect = () =>
    run('connect', async (signal) => {
      setConnection(undefined);
      setPulled(undefined);
      setResult(undefined);
      const refused = checkServerAllowed(address.trim(), ALLOWED_FHIR_ORIGINS, window.location.origin);
      if (refused) throw refused;
      setConnection(await connectFhirServer({ baseUrl: address, token: token.trim() || undefined }, signal));
    });

  const pull = (c: FhirConnection) =>
    run('pull', async (signal) => {
      setPulled(undefined);
      const done = await pullResources(c, {
        resourceType: 'Patient',
        signal,
        onPage: (_resources, p) =>
          setProgress(
            `Read ${p.resources.toLocaleString()}${p.total === undefined ? '' : ` of ${p.total.toLocaleString()}`} patients…`,
          ),
      });
      setPulled(done);
    });

  const reconcile = (c: FhirConnection) =>
    run('reconcile', async (signal) => {
      setResult(undefined);
      const file = fileRef.current?.files?.[0];
      const mapping = patientMappings.find((m) => m.id === mappingId);
      if (!file) throw new FhirServerError('bad-address', 'Choose the patients file first.', '');
      if (!mapping)
        throw new FhirServerError('bad-address', 'This project has no mapping to FHIR Patient.', '');
      setResult(
        await reconcilePatients(c, {
          extract: mapCsvStream(bytesOf(file), mapping, file.name),
          signal,
          onProgress: (p) =>
            setProgress(
              p.phase === 'extract'
                ? `Reading ${file.name}: ${p.records.toLocaleString()} rows…`
                : `Reading the server’s patients: ${p.resources.toLocaleString()}…`,
            ),
        }),
      );
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
        served{ALLOWED_FHIR_ORIGINS.length > 0 ? ` (${ALLOWED_FHIR_ORIGINS.join(', ')})` : ' (none yet)'}. The
        access token is kept only until you close this page.
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
            <button type="button" disabled={busy !== undefined} onClick={() => void pull(connection)}>
              Pull patients
            </button>
          </div>
          {pulled && (
            <p>
              Read {pulled.resources.toLocaleString()} patients. {pulled.note}
            </p>
          )}
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
          {result && (
            <table>
              <caption>Reconcile: {result.matched.toLocaleString()} patients matched by identifier</caption>
              <tbody>
                <tr>
                  <th scope="row">Missing on the server</th>
                  <td>{result.missingOnServer.count}</td>
                </tr>
                <tr>
                  <th scope="row">On the server but not in the file</th>
                  <td>{result.extraOnServer.count}</td>
                </tr>
                {RECONCILED_FIELDS.map((f) => (
                  <tr key={f}>
                    <th scope="row">{`${FIELD_LABELS[f][0]?.toUpperCase()}${FIELD_LABELS[f].slice(1)} differs`}</th>
                    <td>{result.mismatches[f].count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
