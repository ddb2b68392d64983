/**
 * Checking a sign-off file (the JSON of "Export the sign-off") in the Sign-off workspace, as
 * `preflight signoff verify --server <address>` does: the same core verifier, and, when this app
 * is served by a team server and the file names entries of its log, the same question to the
 * server's public anchor — so a file cut short and sealed again, rewritten without its signatures
 * or with its printed head edited shows here too, not only at the command line.
 *
 * Never a silent pass: when there is no team server, it cannot be reached, or the file carries no
 * record of it, the verdict says the file was checked on this computer only, and why.
 *
 * Constraint: only the server this app is served from is asked (a page may not ask another
 * origin), and the words name it; a file made on another team server is checked with the CLI.
 */
import { useEffect, useId, useRef, useState } from 'react';
import {
  type AnchorFetch,
  anchorAsker,
  logKeysAsker,
  MAX_AUDIT_LOG_BYTES,
  type SignoffFileVerification,
  serverEntriesNamed,
  verifySignoffJson,
} from '../../core/signoff/exports/index.ts';
import { serverCoverageText } from '../../core/signoff/signing/index.ts';
import { AUDIT_LOG_FORMAT } from '../../formats/auditLog.ts';
import { isPlainObject } from '../../formats/loading.ts';
import { JsonFileInput } from '../common/JsonFileInput.tsx';

type Verified = Extract<SignoffFileVerification, { status: 'verified' }>;

/** What the check found, in the terms the verdict is said in. */
type SignoffFileOutcome =
  /** every entry of the server's the file names is the server's, at its place */
  | { kind: 'confirmed'; server: string; result: Verified }
  /** intact as far as the file shows; not compared with the team server, for `why` */
  | {
      kind: 'offline';
      why: 'no-server' | 'no-record' | 'unreachable';
      server?: string;
      /** why the server could not be asked (unreachable) */
      reason?: string;
      result: Verified;
    }
  /** changed after it was made; `server`: the server that said so */
  | { kind: 'changed'; server?: string; message: string }
  /** not a sign-off file at all */
  | { kind: 'not-signoff'; message: string };

type State =
  | { phase: 'idle' }
  | { phase: 'checking'; fileName: string }
  | { phase: 'done'; fileName: string; outcome: SignoffFileOutcome };

/**
 * Checks the sign-off file named `fileName` (its parsed JSON: `json`): offline, and against the team server at
 * `server` (its address) through `fetchImpl` when the file names entries of a team server's log.
 */
async function checkSignoffFile(
  fileName: string,
  json: unknown,
  server: string | undefined,
  fetchImpl: AnchorFetch,
): Promise<SignoffFileOutcome> {
  if (!isPlainObject(json) || json.format !== AUDIT_LOG_FORMAT) {
    // shaped like a sign-off file with another tag: the tag was changed
    if (isPlainObject(json) && Array.isArray(json.entries) && 'integrity' in json)
      return { kind: 'changed', message: 'its format tag was changed' };
    return {
      kind: 'not-signoff',
      message:
        'it is not a sign-off file. Choose the file made by “Export the sign-off (JSON)” (a review packet is opened under “Open a review packet”)',
    };
  }
  const named = serverEntriesNamed(json) > 0;
  const offline = async (): Promise<SignoffFileOutcome | Verified> => {
    const result = await verifySignoffJson(fileName, json);
    if (result.status === 'verified') return result;
    return { kind: 'changed', message: result.message };
  };
  if (server === undefined || !named) {
    const result = await offline();
    if ('kind' in result) return result;
    return {
      kind: 'offline',
      why: server === undefined ? 'no-server' : 'no-record',
      ...(server ? { server } : {}),
      result,
    };
  }
  // the server's entries, and the keys its signed heads in the file must be signed with
  const result = await verifySignoffJson(fileName, json, {
    server: anchorAsker(server, fetchImpl),
    serverKeys: logKeysAsker(server, fetchImpl),
  });
  if (result.status === 'verified') return { kind: 'confirmed', server, result };
  if (result.status === 'tampered')
    return {
      kind: 'changed',
      ...(result.reason === 'server-anchor' ? { server } : {}),
      message: result.message,
    };
  // the server did not answer: what the file alone shows is still worth saying, as offline only
  const alone = await offline();
  if ('kind' in alone) return alone;
  const reason = result.message.replace(
    /^cannot check (the signed tree heads' keys )?against the team server: /,
    '',
  );
  return { kind: 'offline', why: 'unreachable', server, reason, result: alone };
}

/** The browser's fetch, called as a plain function (it refuses to run with another `this`). */
const pageFetch: AnchorFetch = (input, init) => fetch(input, init);

/**
 * Choose a sign-off file and read the verdict. `server`: the address of the team server this app
 * is served by (absent: none). `fetchImpl`: how the server is asked (the tests give a stub).
 */
export function SignoffFileCheck({
  server,
  fetchImpl = pageFetch,
}: {
  server?: string;
  fetchImpl?: AnchorFetch;
}) {
  const id = useId();
  const [state, setState] = useState<State>({ phase: 'idle' });
  /** the file chosen last: an answer about another is no longer wanted (nor once the screen is left) */
  const latest = useRef<File | null>(null);
  useEffect(
    () => () => {
      latest.current = null;
    },
    [],
  );
  const finish = (file: File, outcome: SignoffFileOutcome) => {
    if (latest.current === file) setState({ phase: 'done', fileName: file.name, outcome });
  };

  const check = async (file: File, json: unknown) => {
    let outcome: SignoffFileOutcome;
    try {
      outcome = await checkSignoffFile(file.name, json, server, fetchImpl);
    } catch (error) {
      outcome = {
        kind: 'not-signoff',
        message: `it could not be checked (${error instanceof Error ? error.message : 'unexpected error'})`,
      };
    }
    finish(file, outcome);
  };

  return (
    <section className="card signoff-file-check" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Check a sign-off file</h3>
      <p className="hint">
        Given a sign-off file (JSON) by the lead, or kept from earlier? Check that nobody changed it since
        Preflight made it and that its signatures hold.
        {checkHint(server)}
      </p>
      <p>
        <JsonFileInput
          label="Sign-off file to check (JSON)"
          what="a sign-off file"
          maxBytes={MAX_AUDIT_LOG_BYTES}
          onChosen={(file) => {
            latest.current = file;
            setState({ phase: 'checking', fileName: file.name });
          }}
          onRead={({ file, json }) => void check(file, json)}
          onRefused={(file, message) => finish(file, { kind: 'not-signoff', message })}
        />
      </p>
      <div role="status" data-testid="signoff-file-verdict">
        {state.phase === 'checking' && <p>Checking “{state.fileName}”…</p>}
        {state.phase === 'done' && <Verdict fileName={state.fileName} outcome={state.outcome} />}
      </div>
    </section>
  );
}

/** The command that checks a file against any team server, given its address. */
const VERIFY_COMMAND = 'npx preflight signoff verify <file> --server <the team server’s address>';

/** Which team server this app asks, and how a file of another one is checked. */
function otherServerAdvice(server: string): string {
  return `This app asks only the team server it is served from, ${server}. A file made on another team server is checked against that server with the command line: ${VERIFY_COMMAND} (your IT team can run it).`;
}

/** What the check does with the file, said before one is chosen. */
function checkHint(server: string | undefined): string {
  if (server === undefined)
    return ' This app is not connected to a team server, so the file is checked on this computer only, and it stays in this browser.';
  return ` A file recorded by the team server at ${server} is also compared with that server’s own record, which nobody can rewrite. The file stays in this browser; only its fingerprints (hashes) are sent to ${server}. ${otherServerAdvice(server)}`;
}

/** What to do with a file that was changed. */
const CHANGED_ADVICE =
  'Do not rely on this file. Ask the lead for a new export of the sign-off from Preflight, and keep this file aside for whoever looks after your audit records: it was changed after it was made.';

function Verdict({ fileName, outcome }: { fileName: string; outcome: SignoffFileOutcome }) {
  if (outcome.kind === 'not-signoff')
    return (
      <p className="fail">
        “{fileName}” was not checked: {outcome.message}.
      </p>
    );
  if (outcome.kind === 'changed')
    return (
      <div className="pack-verdict pack-verdict-tampered">
        <p>
          <strong>
            {outcome.server === undefined
              ? `${fileName}: changed after Preflight made it.`
              : `${fileName}: checked against the team server at ${outcome.server}: this file is not what the server recorded.`}
          </strong>{' '}
          What is wrong: {outcome.message}.
        </p>
        <p>
          {CHANGED_ADVICE}
          {outcome.server === undefined ? '' : ` ${otherServerAdvice(outcome.server)}`}
        </p>
      </div>
    );
  if (outcome.kind === 'confirmed')
    return (
      <div className="pack-verdict pack-verdict-verified">
        <p>
          <strong>
            {fileName}: checked against the team server at {outcome.server}: every entry is the server’s.
          </strong>{' '}
          Nothing was cut from the end, rewritten or edited since the server recorded this export, and every
          signature holds.
        </p>
        <Summary result={outcome.result} />
      </div>
    );
  return (
    <div className="pack-verdict pack-verdict-stale">
      <p>
        <strong>{fileName}: checked on this computer only (offline) — not confirmed by a team server.</strong>{' '}
        The file holds together and its signatures hold, but a file cut short and sealed again, or rewritten
        without its signatures, can only be caught by comparing it with the team server.
      </p>
      <p>{offlineReason(outcome)}</p>
      <Summary result={outcome.result} />
    </div>
  );
}

function offlineReason(outcome: Extract<SignoffFileOutcome, { kind: 'offline' }>): string {
  if (outcome.why === 'no-server')
    return `This app is not connected to a team server. To compare the file with one, open it in the Preflight your team server serves, or ask your IT team to run ${VERIFY_COMMAND}. A clinic without a team server relies on the file and the head printed on the report.`;
  if (outcome.why === 'unreachable')
    return `The team server at ${outcome.server} could not be asked: ${outcome.reason}. Try again when this computer can reach it.`;
  return `The file carries no record of the team server at ${outcome.server}: it was made on another team server, its review was not sent to this one, it was exported while signed out of it, or the record was removed. If the review was signed on this team server, ask the lead to export it again while signed in, and check the new file. ${otherServerAdvice(outcome.server as string)}`;
}

/** What the file holds: its trail and its signatures, each with its meaning. */
function Summary({ result }: { result: Verified }) {
  const signatures = [
    ...(result.signatures ?? []).map((s) => ({
      id: s.id,
      line: `${s.signer.name} (${s.signer.role}), ${s.signedAt}: “${s.meaning}”${s.replacedBy ? ' — replaced by a later signature' : ''}`,
    })),
    ...(result.serverSignatures ?? []).map((s) => ({
      id: s.id,
      line: `${s.signer.name} (${s.signer.role}), ${s.signedAt}: “${s.meaning}”, signed on the team server. ${serverCoverageText(s, s.kind)}.`,
    })),
  ];
  return (
    <>
      <p>
        {result.entries} entries in the audit trail
        {result.decisionsChecked ? ', every decision present and unchanged' : ''};{' '}
        {signatures.length === 0
          ? 'no signatures.'
          : `${signatures.length} ${signatures.length === 1 ? 'signature' : 'signatures'}:`}
      </p>
      {signatures.length > 0 && (
        <ul aria-label="Signatures in the file">
          {signatures.map((s) => (
            <li key={s.id}>{s.line}</li>
          ))}
        </ul>
      )}
      {(result.warnings ?? []).length > 0 && (
        <ul aria-label="Worth knowing">
          {(result.warnings ?? []).map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </>
  );
}
