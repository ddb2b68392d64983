/**
 * Checking an evidence pack file on the Readiness screen, as `preflight readiness verify-pack`
 * does: the same core verifier, run in the project-file worker (it hashes every field and verifies
 * every signature). The verdict says verified, or each field that does not match and how; a pack
 * made from the open project is also compared with the project as it is now. A pack judged on the
 * team's shared record is compared, for a signed-in member, with the team's evidence as the
 * Readiness screen read it from the server (`team`); signed out or offline, with this browser's
 * copy, and the verdict says what it could not compare.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { PackFileVerification } from '../../../workers/projectFileApi.ts';
import { verifyEvidencePackInWorker } from '../../../workers/projectFileClient.ts';
import { isJobCancelled } from '../../core/jobs/errors.ts';
import type { PackTeamRecord } from '../../core/readiness/index.ts';
import { MAX_PROJECT_FILE_BYTES, type Project } from '../../formats/project.ts';
import { JsonFileInput } from '../common/JsonFileInput.tsx';

type State =
  | { phase: 'idle' }
  | { phase: 'checking'; fileName: string }
  | { phase: 'done'; fileName: string; result: PackFileVerification }
  | { phase: 'failed'; fileName: string; message: string };

const VERDICTS = {
  verified: {
    title: 'Verified',
    text: 'The pack is as Preflight made it: every figure hashes as it states, and the committee’s signatures hold over the readiness result it shows.',
  },
  tampered: {
    title: 'Changed after it was made',
    text: 'This pack is not as Preflight made it. Do not rely on it: ask for the pack again, or make it again from the project.',
  },
  stale: {
    title: 'Intact, but out of date',
    text: 'Nothing in the pack was changed, but it no longer describes the project or the committee’s decision as they are now.',
  },
} as const;

/**
 * The check of a pack file: choose it, and read the verdict. `team`: a shared project's evidence on
 * the team server as the Readiness screen read it (absent: not shared, signed out, or not read).
 */
export function PackVerifier({ project, team }: { project: Project; team?: PackTeamRecord | undefined }) {
  const id = useId();
  const [state, setState] = useState<State>({ phase: 'idle' });
  const running = useRef<AbortController | null>(null);
  useEffect(() => () => running.current?.abort(), []);

  const refuse = (file: File, message: string) => {
    running.current?.abort();
    running.current = null;
    setState({ phase: 'failed', fileName: file.name, message: `${message}.` });
  };

  const check = async (file: File) => {
    running.current?.abort();
    const abort = new AbortController();
    running.current = abort;
    setState({ phase: 'checking', fileName: file.name });
    try {
      const result = await verifyEvidencePackInWorker(file, project, {
        signal: abort.signal,
        ...(team ? { team } : {}),
      });
      if (running.current === abort) setState({ phase: 'done', fileName: file.name, result });
    } catch (error) {
      if (running.current !== abort || isJobCancelled(error)) return;
      setState({
        phase: 'failed',
        fileName: file.name,
        message: error instanceof Error ? error.message : 'the check stopped unexpectedly.',
      });
    }
  };

  return (
    <section className="card pack-verify no-print" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Check an evidence pack file</h3>
      <p className="hint">
        Given a pack (JSON) by someone else, or kept from earlier? Check that nobody changed it since
        Preflight made it and that the committee’s signatures hold. A pack made from this project is also
        compared with the project as it is now
        {team
          ? ', and with the team’s shared workflows, validation summaries and sample results as the server holds them'
          : ''}
        . The file stays in this browser.
      </p>
      <p>
        <JsonFileInput
          label="Evidence pack to check (JSON)"
          what="an evidence pack"
          maxBytes={MAX_PROJECT_FILE_BYTES}
          onFile={(file) => void check(file)}
          onRefused={refuse}
        />
      </p>
      <div role="status" data-testid="pack-verdict">
        {state.phase === 'checking' && <p>Checking “{state.fileName}”…</p>}
        {state.phase === 'failed' && (
          <p className="fail">
            “{state.fileName}” was not checked: {state.message}
          </p>
        )}
        {state.phase === 'done' && <Verdict fileName={state.fileName} result={state.result} />}
      </div>
    </section>
  );
}

/** What a pack judged on the team's shared record was compared with, and what it was not. */
function teamWords(result: Extract<PackFileVerification, { problems: unknown }>): string {
  const held = result.teamHeld ?? 0;
  if (result.againstTeam)
    return ` It was judged on the team’s shared record and compared with it as it is now: the shared records as this browser holds them, and the shared workflows, validation summaries and sample results as read from the team server.${held > 0 ? ` The ${held === 1 ? 'sample result' : `${held} sample results`} on the team server could not be read, so ${held === 1 ? 'it was' : 'they were'} not compared.` : ''}`;
  if (result.teamHeld === undefined) return '';
  return ` It was judged on the team’s shared record: the shared records were compared as this browser holds them, and the ${held === 1 ? 'artefact' : `${held} artefacts`} only the team server holds (shared workflows, validation summaries, sample results) ${held === 1 ? 'was' : 'were'} not compared.`;
}

function Verdict({ fileName, result }: { fileName: string; result: PackFileVerification }) {
  if (result.verdict === 'unreadable')
    return (
      <p className="fail">
        “{fileName}” cannot be checked: {result.message}.
      </p>
    );
  const words = VERDICTS[result.verdict];
  return (
    <div className={`pack-verdict pack-verdict-${result.verdict}`}>
      <p>
        <strong>
          {fileName}: {words.title}.
        </strong>{' '}
        {words.text}
        {result.againstProject
          ? ''
          : ' It was made from another project than the one open, so its evidence was not compared with a project.'}
        {teamWords(result)}
      </p>
      {result.problems.length > 0 && (
        <ul aria-label="What does not match">
          {result.problems.map((p) => (
            <li key={`${p.field}:${p.message}`}>
              <code>{p.field}</code>: {p.message}
              {p.kind === 'stale' ? ' (out of date)' : ''}
            </li>
          ))}
        </ul>
      )}
      {result.checked.length > 0 && (
        <details>
          <summary>What was checked</summary>
          <ul aria-label="What was checked">
            {result.checked.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
