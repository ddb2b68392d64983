import { useEffect, useRef, useState } from 'react';
import { FhirServerError, originOf } from '../../fhir/errors.ts';
import {
  checkTransactionBundle,
  TransactionBundleError,
  type TransactionSummary,
  writeTransaction,
} from '../../fhir/transaction.ts';
import { useFhirConnection } from './fhirConnectionStore.ts';

type Problem = { message: string; advice?: string };

function problemOf(error: unknown): Problem {
  if (error instanceof FhirServerError) return { message: error.message, advice: error.advice };
  if (error instanceof TransactionBundleError) return { message: error.message };
  return {
    message:
      'Something went wrong sending the records. Sending them again is safe; if it keeps happening, report it.',
  };
}

const records = (n: number) => `${n.toLocaleString()} ${n === 1 ? 'record' : 'records'}`;

/**
 * Sends a FHIR transaction Bundle (e.g. the sign-off bundle) to the FHIR server connected on the
 * Migration workspace: says which server (or how to connect one), asks to confirm, shows progress
 * with Cancel, then what the server wrote, or what went wrong and what to do.
 *
 * @param bundle the transaction Bundle (every entry `PUT Type/id`, checked here before it is offered);
 *   keep the same object while it does not change (useMemo): a new one starts the steps over
 * @param describe what is being sent, in the user's words ("the sign-off of Go-live 2026")
 */
export function SendBundleToServer({ bundle, describe }: { bundle: unknown; describe: string }) {
  const connection = useFhirConnection();
  const [step, setStep] = useState<'idle' | 'confirm' | 'sending'>('idle');
  const [result, setResult] = useState<TransactionSummary>();
  const [problem, setProblem] = useState<Problem>();
  const abort = useRef<AbortController>(undefined);
  useEffect(() => () => abort.current?.abort(), []);
  // a new Bundle or server starts over: an old result must not seem to belong to it
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the inputs change
  useEffect(() => {
    setStep('idle');
    setResult(undefined);
    setProblem(undefined);
  }, [bundle, connection]);

  const checked = checkTransactionBundle(bundle);
  if (!connection) {
    return (
      <div className="send-bundle">
        <p>
          No FHIR server is connected. To send {describe} to the new EHR’s FHIR server, connect to it in the
          FHIR server section of the Migration workspace, then come back here.
        </p>
      </div>
    );
  }
  const where = originOf(connection.baseUrl);
  if (!checked.ok) {
    return (
      <div className="send-bundle">
        <div className="error" role="alert">
          <p>{new TransactionBundleError(checked.problems).message}</p>
        </div>
      </div>
    );
  }

  async function send() {
    if (!connection) return;
    abort.current = new AbortController();
    setStep('sending');
    setProblem(undefined);
    setResult(undefined);
    try {
      setResult(await writeTransaction(connection, bundle, { signal: abort.current.signal }));
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setStep('idle');
    }
  }

  const count = checked.targets.length;
  return (
    <div className="send-bundle">
      {step === 'idle' && (
        <div className="row">
          <p>
            Connected to {where}
            {connection.capabilities.transactions ? '' : ', which does not say it accepts transactions'}.
          </p>
          <button type="button" onClick={() => setStep('confirm')}>
            {result || problem ? 'Send again' : 'Send to the FHIR server'}
          </button>
        </div>
      )}
      {step === 'confirm' && (
        <div className="row">
          <p>
            Send {describe} ({records(count)}) to {where}? The server writes all of it or none of it. Sending
            it again later replaces the same records; it never makes copies.
          </p>
          <button type="button" className="primary" onClick={() => void send()}>
            Send {records(count)}
          </button>
          <button type="button" onClick={() => setStep('idle')}>
            Cancel
          </button>
        </div>
      )}
      {step === 'sending' && (
        <p role="status">
          Sending {records(count)} to {where}…{' '}
          <button type="button" onClick={() => abort.current?.abort()}>
            Cancel
          </button>
        </p>
      )}
      {problem && (
        <div className="error" role="alert">
          <p>{problem.message}</p>
          {problem.advice && <p>{problem.advice}</p>}
        </div>
      )}
      {result && (
        <div role="status">
          <p>
            {where} wrote {records(result.entries.length)} in one transaction:{' '}
            {result.created.toLocaleString()} created, {result.updated.toLocaleString()} updated
            {result.unchanged > 0 ? `, ${result.unchanged.toLocaleString()} unchanged` : ''}.
          </p>
          <details>
            <summary>Records written</summary>
            <ul>
              {result.entries.map((e) => (
                <li key={e.index}>
                  {e.resourceType}/{e.id}
                  {e.etag ? ` (version ${e.etag})` : ''}
                </li>
              ))}
            </ul>
          </details>
        </div>
      )}
    </div>
  );
}
