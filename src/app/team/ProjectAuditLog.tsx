/**
 * A team project's audit log for its lead: a table of who did what and when, newest first, a
 * page at a time, narrowed to one kind of entry, one person or one record by the server (so a
 * member's many refused attempts never hide the entry the lead looks for), and "Download audit
 * log", which saves the server's whole export exactly as it came — the file `preflight check`
 * verifies, whatever the table shows. The server records each reading of the log, so a reading
 * is itself the log's newest entry; reads go through the page's cache of team reads, which shares
 * one request between two at once and serves none from memory.
 *
 * The server's signed head over the entries may carry an RFC 3161 time-stamp (`serve --tsa`):
 * this browser checks it as the log's witness (logWitness.ts) and says by whom and when it was
 * stamped, or why the stamp does not date this log — a warning the lead takes to the clinic's
 * administrator, never a refusal of the log. A head without one is said only when the project's
 * heads were stamped before. A stamp by another authority than the one this browser kept (the
 * clinic renewed its authority's certificate) the lead may accept once the administrator confirms
 * it: this browser then trusts the new authority for the project, and records the acceptance.
 *
 * Constraints: the file is saved byte for byte as the server's JSON (pretty-printed, no field
 * added or dropped) — its hashes are over the entries' content, so anything the screen changed
 * would break its check. Entries carry ids, names, roles and reasons, never record content; the
 * words here are built from those alone.
 */
import { useRef, useState } from 'react';
import {
  AUDIT_KINDS,
  type AuditFilter,
  auditKindLabel,
  type FilteredAudit,
} from '../../core/teamApi/index.ts';
import type { ExportedTreeHead, ProjectAuditFile, ServerAuditRecord } from '../../formats/projectAudit.ts';
import { downloadText } from '../common/download.ts';
import { acceptStampAuthority, type HeadStamp, witnessHeadStamp } from './logWitness.ts';
import { ROLE_LABELS, type TeamClient, TeamError, type TeamMember, type TeamRole } from './teamClient.ts';
import { logWitnessStore } from './useSharedRecords.ts';
import { useTeamQueryClient } from './useTeamRead.ts';

/** The first part of the cache key of the audit log's reads (never a change kind: no stream marks it). */
const AUDIT_READ = 'audit-log';

/** How many entries a page of the table shows; "Show older entries" adds as many again. */
const AUDIT_PAGE_SIZE = 20;

/**
 * The table's column headers, in order; on a phone each entry is a card and these name its lines
 * (the cells' `data-label`), so the words a sighted reader sees are the headers a screen reader hears.
 */
const AUDIT_COLUMNS = ['No.', 'When', 'Who', 'What happened'] as const;

/** When an entry was made, to the minute, with its zone: the server's clock is UTC. */
export const auditTime = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

const roleWords = (role: string | undefined) =>
  role !== undefined && role in ROLE_LABELS ? ROLE_LABELS[role as TeamRole] : (role ?? 'an unknown role');
const endWords = (end: string | undefined) =>
  end === undefined || end === 'none' ? 'no end date' : `access ending ${end}`;

/** What a refused attempt was an attempt on, in the lead's words. */
const REFUSED_ABOUT: Readonly<Record<string, string>> = {
  decision: 'a review decision',
  signature: 'a signature',
  key: 'a change to a signing key',
  role: 'a change to the roster',
};

/**
 * What an entry records, in plain words, without the person who did it. `nameOf` names a person
 * by their identity provider's subject (a member, or anyone the log itself names).
 */
export function auditWords(
  entry: ServerAuditRecord,
  nameOf: (subject: string | undefined) => string,
): string {
  const d = entry.detail;
  // an entry about a member names them (servers before that: the roster or the log's own names)
  const member = d.memberName ?? nameOf(d.subject);
  switch (entry.kind) {
    case 'project-created':
      return `Created the project “${d.name ?? ''}”`;
    case 'project-renamed':
      return `Renamed the project from “${d.previousName ?? ''}” to “${d.name ?? ''}”`;
    case 'member-added':
      return `Added ${member} as ${roleWords(d.role)}, ${endWords(d.expiresOn)}`;
    case 'member-changed': {
      const changes: string[] = [];
      if (d.role !== d.previousRole) changes.push(`role ${roleWords(d.previousRole)} → ${roleWords(d.role)}`);
      if (d.expiresOn !== d.previousExpiresOn)
        changes.push(`${endWords(d.previousExpiresOn)} → ${endWords(d.expiresOn)}`);
      return `Changed ${member}’s access${changes.length === 0 ? '' : `: ${changes.join('; ')}`}`;
    }
    case 'member-removed':
      return `Removed ${member} (${roleWords(d.role)}) from the project`;
    case 'audit-exported':
      return 'Read or downloaded this audit log';
    case 'workflow-shared':
      return `Shared the workflow “${d.name ?? ''}” with the team`;
    case 'workflow-version-named':
      return `Named a workflow version “${d.name ?? ''}”`;
    case 'workflow-restored':
      return `Restored a workflow to its version “${d.name ?? ''}”`;
    case 'signing-key-registered':
      return 'Registered a signing key';
    case 'signing-key-refused':
      return `Was refused a signing key: ${d.reason ?? 'no reason given'}`;
    case 'signing-key-confirmed':
      return `Confirmed ${nameOf(d.subject)}’s signing key`;
    case 'signing-key-confirm-refused':
      return `Was refused confirming ${nameOf(d.subject)}’s signing key: ${d.reason ?? 'no reason given'}`;
    case 'signing-key-revoked':
      return `Revoked ${nameOf(d.subject)}’s signing key: ${d.reason ?? 'no reason given'}`;
    case 'signing-settings-changed':
      return `Set signing to ask for a fresh sign-in after ${d.idleMinutes} minutes without signing (was ${d.previousIdleMinutes})`;
    case 'signature':
      return `Signed “${d.meaning ?? d.kind ?? 'a record'}” as ${roleWords(d.role)}`;
    case 'signature-refused':
      return `Was refused a signature “${d.meaning ?? d.kind ?? 'a record'}” as ${roleWords(d.role)}: ${d.reason ?? 'no reason given'}${d.keyOwner ? ` (${nameOf(d.keyOwner)}’s key)` : ''}`;
    case 'invitation-created':
      return `Made an invitation to join as ${roleWords(d.role)}${d.label ? ` for “${d.label}”` : ''}, ${endWords(d.expiresOn)}, usable until ${auditTime(d.validUntil ?? '')}`;
    case 'invitation-revoked':
      return `Withdrew an invitation to join as ${roleWords(d.role)}${d.label ? ` for “${d.label}”` : ''}`;
    case 'invitation-redeemed':
      return `Joined by invitation as ${roleWords(d.role)}, ${endWords(d.expiresOn)}`;
    case 'attempt-refused':
      return `Was refused ${REFUSED_ABOUT[d.about ?? ''] ?? 'an attempt'}: ${d.words ?? 'no reason given'}`;
    case 'refusal-repeated':
      return `Repeated the refused attempt of entry ${d.first ?? '?'} ${d.repeats ?? 'more'} more ${d.repeats === '1' ? 'time' : 'times'} (counted, not listed) since ${auditTime(d.since ?? entry.at)}`;
    case 'refusals-limited':
      return `Was refused more than ${d.limit ?? 'several'} different attempts within ${d.windowMinutes ?? 'a few'} minutes: the further ones are counted, not listed`;
    case 'person-relinked':
      return `Moved ${d.name ?? nameOf(d.fromSubject)} to the clinic’s new sign-in service (${d.toIssuer ?? ''})`;
    default:
      // every other kind by its label in the core's one table; a kind this version does not know, said as such
      return auditKindLabel(entry.kind);
  }
}

const TELL_ADMINISTRATOR = 'Tell the clinic’s administrator, and keep this audit log’s download as evidence.';

/**
 * What the lead reads of the time-stamp on the server's head over `size` entries: its authority
 * and time, or why it does not date this log; undefined when there is nothing to say (the server
 * has no time-stamp authority).
 */
function stampWords(stamp: HeadStamp, size: number): { warning: boolean; text: string } | undefined {
  const head = `its signed head over these ${size} entries`;
  switch (stamp.status) {
    case 'stamped':
      return {
        warning: false,
        text: `Time-stamped by ${stamp.authority} at ${auditTime(stamp.time)}: an outside authority signed that the server’s head over these ${size} entries existed then.`,
      };
    case 'unstamped':
      return stamp.stampedBefore
        ? {
            warning: false,
            text: `Not time-stamped: the server had no stamp from a time-stamp authority when it signed its head over these ${size} entries, though this project’s heads were stamped before (the authority did not answer, or the server no longer asks one). The next stamped head dates these entries too.`,
          }
        : undefined;
    case 'removed':
      return {
        warning: true,
        text: `Time-stamp taken off: this browser saw the server’s very same head over these ${size} entries time-stamped by ${stamp.authority} at ${auditTime(stamp.time)}, and the server now sends it without the stamp. A head is stamped once and keeps its stamp, so it was taken off on the server; a head without one could be one made later and dated back. ${TELL_ADMINISTRATOR}`,
      };
    case 'other-authority':
      return {
        warning: true,
        text: `Time-stamped by ${stamp.authority} at ${auditTime(stamp.time)} — not by ${stamp.trustedAuthority}, which stamped this project’s heads before in this browser. If the clinic did not change its time-stamp authority, someone may be dating the server’s heads with an authority of their own. ${TELL_ADMINISTRATOR}`,
      };
    case 'refused': {
      const why =
        stamp.problem === 'other-head'
          ? 'is for another head, so it does not date this log'
          : stamp.problem === 'signature'
            ? 'does not verify: its signature fails, so it was altered or not made by the authority it names'
            : stamp.problem === 'certificate'
              ? 'was signed with a certificate that is not one for time-stamping, or was not valid at the time it claims'
              : 'cannot be checked: it is not a time-stamp this app can read';
      return {
        warning: true,
        text: `The time-stamp the server sent with ${head} ${why}. The entries themselves are proved by the server’s signed heads, which members’ browsers check at each sync; only the time this stamp claims cannot be relied on. ${TELL_ADMINISTRATOR}`,
      };
    }
  }
}

/** A file name from the project's name: letters, digits and dashes only. */
function fileNameFor(projectName: string): string {
  const safe =
    projectName
      .replace(/[^A-Za-z0-9-]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'project';
  return `${safe}-audit-log.json`;
}

const wordsOf = (error: unknown) =>
  error instanceof TeamError ? error.message : 'Something went wrong; nothing was changed. Try again.';

/** The lead's view of a project's audit log: shown on request, newest first, and downloaded. */
export function ProjectAuditLog({
  client,
  projectId,
  projectName,
  members,
  stampOf = (head) => witnessHeadStamp(logWitnessStore(), projectId, head),
  acceptAuthority = (certificate) => acceptStampAuthority(logWitnessStore(), projectId, certificate),
}: {
  client: TeamClient;
  projectId: string;
  projectName: string;
  members: readonly TeamMember[];
  /** checks the time-stamp of the file's signed head (default: as this browser's log witness) */
  stampOf?: (head: ExportedTreeHead) => Promise<HeadStamp>;
  /** trusts the authority of a stamp by another one from now on (default: in this browser's witness) */
  acceptAuthority?: (certificate: string) => Promise<void>;
}) {
  const queries = useTeamQueryClient();
  const [file, setFile] = useState<(ProjectAuditFile & Partial<FilteredAudit>) | undefined>();
  // the lead's filters, as the form holds them ('' = any)
  const [kind, setKind] = useState('');
  const [person, setPerson] = useState('');
  const [record, setRecord] = useState('');
  const [shown, setShown] = useState(AUDIT_PAGE_SIZE);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [stamp, setStamp] = useState<
    { text: string; warning: boolean; newAuthority?: { name: string; certificate: string } } | undefined
  >();
  // only the latest reading's stamp is shown, whichever check ends last
  const reading = useRef(0);

  const checkStamp = (head: ExportedTreeHead | undefined) => {
    const mine = ++reading.current;
    setStamp(undefined);
    if (head === undefined) return;
    stampOf(head).then(
      (found) => {
        const words = stampWords(found, head.size);
        if (mine !== reading.current || words === undefined) return;
        setStamp(
          found.status === 'other-authority' && found.certificate !== ''
            ? { ...words, newAuthority: { name: found.authority, certificate: found.certificate } }
            : words,
        );
      },
      () => {
        // the browser's store refused: the log is shown without what its stamp says
      },
    );
  };

  /** reads the log (with `filter`, the entries that match it) through the page's cache of team reads */
  const fetchLog = async (filter: AuditFilter): Promise<ProjectAuditFile | undefined> => {
    setBusy(true);
    try {
      // each read is recorded by the server, so none is served from the cache: it shares one request
      const read = await queries.fetchQuery({
        queryKey: [AUDIT_READ, projectId, filter.kind ?? '', filter.person ?? '', filter.record ?? ''],
        queryFn: () => client.auditLog(projectId, filter),
        staleTime: 0,
      });
      setFile(read);
      setShown(AUDIT_PAGE_SIZE);
      setError(undefined);
      checkStamp(read.treeHead);
      return read;
    } catch (e) {
      setError(wordsOf(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  const accept = async (certificate: string) => {
    setBusy(true);
    try {
      await acceptAuthority(certificate);
      setError(undefined);
      checkStamp(file?.treeHead);
    } catch {
      setError('This browser could not keep the new time-stamp authority; nothing was changed. Try again.');
    } finally {
      setBusy(false);
    }
  };
  const filterOf = (): AuditFilter => ({
    ...(kind === '' ? {} : { kind }),
    ...(person === '' ? {} : { person }),
    ...(record.trim() === '' ? {} : { record: record.trim() }),
  });
  const download = async () => {
    // the download is always the whole log: the file that is verified, whatever the view shows
    const read = await fetchLog({});
    if (read !== undefined) downloadText(fileNameFor(projectName), `${JSON.stringify(read, null, 2)}\n`);
  };

  // people by subject: the roster first, then anyone the log names as the one who acted
  const names = new Map<string, string>();
  for (const entry of file?.entries ?? [])
    if (entry.actor !== null) names.set(entry.actor.subject, entry.actor.name);
  for (const m of members) names.set(m.subject, m.name ?? m.email ?? m.subject);
  const nameOf = (subject: string | undefined) =>
    subject === undefined ? 'someone' : (names.get(subject) ?? subject);

  const newestFirst = file === undefined ? [] : [...file.entries].reverse();
  const newAuthority = stamp?.newAuthority;
  const page = newestFirst.slice(0, shown);
  const older = newestFirst.length - page.length;

  return (
    <section className="team-audit" aria-labelledby="team-audit-h">
      <h3 id="team-audit-h">Audit log</h3>
      <p className="team-note">
        Every change to this project, numbered in order and chained so a changed or shortened copy is caught (
        <code>preflight check</code> verifies a downloaded file). Each reading is recorded too.
      </p>
      <fieldset className="team-audit-filter">
        <legend>Show only</legend>
        <label>
          Kind{' '}
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">Any kind</option>
            {/* named by `label`, not text, so an option is never taken for the table's or the roster's words */}
            {AUDIT_KINDS.map((k) => (
              <option key={k} value={k} label={auditKindLabel(k)} />
            ))}
          </select>
        </label>{' '}
        <label>
          Person{' '}
          <select value={person} onChange={(e) => setPerson(e.target.value)}>
            <option value="">Anyone</option>
            {[...names].map(([subject, name]) => (
              <option key={subject} value={subject} label={name} />
            ))}
          </select>
        </label>{' '}
        <label>
          Record (its number in the review, or its key){' '}
          <input
            value={record}
            maxLength={320}
            autoComplete="off"
            onChange={(e) => setRecord(e.target.value)}
          />
        </label>
      </fieldset>
      <button type="button" disabled={busy} onClick={() => void fetchLog(filterOf())}>
        {file === undefined ? 'Show audit log' : 'Refresh audit log'}
      </button>{' '}
      <button type="button" disabled={busy} onClick={() => void download()}>
        Download audit log
      </button>
      {error && (
        <p className="team-error" role="alert">
          {error}
        </p>
      )}
      {stamp &&
        (stamp.warning ? (
          <>
            <p className="team-warning" role="alert">
              {stamp.text}
            </p>
            {newAuthority && (
              <p className="team-note">
                If the administrator confirms the clinic renewed or changed its time-stamp authority to{' '}
                {newAuthority.name}, accept it: this browser then trusts it for this project’s stamps, and
                records that you accepted it in place of the one before.{' '}
                <button type="button" disabled={busy} onClick={() => void accept(newAuthority.certificate)}>
                  Accept the new authority
                </button>
              </p>
            )}
          </>
        ) : (
          <p className="team-note">{stamp.text}</p>
        ))}
      {file && (
        <div className="table-scroll">
          <table className="team-audit-table stacked-table" aria-label="Audit log entries">
            <caption className="team-note">
              {file.filter !== undefined
                ? `${newestFirst.length} of the log’s ${file.filter.total} entries match${older > 0 ? `; the newest ${page.length} shown` : ''}, newest first.`
                : older > 0
                  ? `The newest ${page.length} of ${newestFirst.length} entries, newest first.`
                  : `All ${newestFirst.length} entries, newest first.`}
            </caption>
            <thead>
              <tr>
                {AUDIT_COLUMNS.map((column) => (
                  <th key={column} scope="col">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {page.map((entry) => (
                <tr key={entry.seq}>
                  <td data-label={AUDIT_COLUMNS[0]}>{entry.projectSeq ?? entry.seq}</td>
                  <td data-label={AUDIT_COLUMNS[1]}>
                    <time dateTime={entry.at}>{auditTime(entry.at)}</time>
                  </td>
                  <td data-label={AUDIT_COLUMNS[2]}>{entry.actor?.name ?? 'Unknown'}</td>
                  <td data-label={AUDIT_COLUMNS[3]}>{auditWords(entry, nameOf)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {older > 0 && (
        <button type="button" onClick={() => setShown((n) => n + AUDIT_PAGE_SIZE)}>
          Show {Math.min(older, AUDIT_PAGE_SIZE)} older entries
        </button>
      )}
    </section>
  );
}
