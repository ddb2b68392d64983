/**
 * `preflight signoff verify <project-audit.json> [--server <url>]`: a shared project's audit log
 * as its lead exported it from the team server — the chain, the printed head, every signature
 * (its key registered by its signer and confirmed before it, its meaning, its assertion, no
 * assertion used twice) and, with `--server`, every entry against the server's own log, so a cut
 * and re-sealed export, or one rewritten without its signatures, is caught without a printed head.
 * The checks are core (src/core/signoff/serverChain.ts); this file reads, asks and prints.
 *
 * Why ask the server and not a head file: a head file travels with the export and is edited with
 * it; the server is the one copy the person who tampered cannot rewrite (its log refuses UPDATE
 * and DELETE). The question needs no sign-in — a hash is unguessable, so the server tells nothing
 * to anyone who does not hold the entry already — so it runs from any computer on the clinic's
 * network, in a script or by hand.
 */
import { type AnchorFetch, anchorAsker } from '../../core/signoff/index.ts';
import {
  checkAgainstServer,
  type ServerSignature,
  verifyServerSignatures,
} from '../../core/signoff/serverChain.ts';
import { loadProjectAudit, PROJECT_AUDIT_FORMAT } from '../../formats/projectAudit.ts';

/** What verifying a project's exported log finds (`--json` prints it). */
export type ProjectAuditVerification =
  | {
      file: string;
      status: 'verified';
      format: typeof PROJECT_AUDIT_FORMAT;
      entries: number;
      head: string;
      signatures: ServerSignature[];
      /** with `--server`: how many entries the server has written for the project since the export */
      server?: { url: string; laterEntries: number };
      warnings: string[];
    }
  | {
      file: string;
      status: 'tampered';
      format: typeof PROJECT_AUDIT_FORMAT;
      entry: number | 'head';
      message: string;
    }
  | { file: string; status: 'unreachable'; message: string };

/** Node's fetch, for asking the team server's anchor. */
export const nodeFetch: AnchorFetch = (input, init) => fetch(input, init);

/** Verifies an exported project log `json` read from `file`, against the server at `server` if given. */
export async function verifyProjectAuditExport(
  file: string,
  json: unknown,
  server?: string,
): Promise<ProjectAuditVerification> {
  const tampered = (entry: number | 'head', message: string): ProjectAuditVerification => ({
    file,
    status: 'tampered',
    format: PROJECT_AUDIT_FORMAT,
    entry,
    message,
  });
  const loaded = loadProjectAudit(json);
  if (!loaded.ok) {
    const [first] = loaded.problems;
    const index = /^\/entries\/(\d+)/.exec(first?.path ?? '')?.[1];
    if (first?.path === '/head') return tampered('head', `the printed head ${first.message}`);
    if (index !== undefined)
      return tampered(Number(index) + 1, `entry ${Number(index) + 1} ${first?.message ?? 'is not valid'}`);
    return tampered(
      0,
      `${first?.path || 'the file'}: ${first?.message ?? 'is not a valid project audit log'}`,
    );
  }
  const { entries, head } = loaded.value;
  const signed = await verifyServerSignatures(entries);
  if (!signed.ok) return tampered(signed.projectSeq, signed.message);
  const warnings: string[] = [];
  let checked: { url: string; laterEntries: number } | undefined;
  if (server === undefined)
    warnings.push(
      'not checked against the server: an export cut short and re-sealed, or rewritten without its signatures, is caught only with --server <url>',
    );
  else {
    const reply = await anchorAsker(server, nodeFetch)(entries.map((e) => e.hash));
    if (typeof reply === 'string')
      return {
        file,
        status: 'unreachable',
        message: `cannot check against the server at ${server}: ${reply}`,
      };
    const against = checkAgainstServer(entries, reply);
    if (!against.ok) return tampered(against.projectSeq, against.message);
    checked = { url: server, laterEntries: against.laterEntries };
    if (against.laterEntries > 0)
      warnings.push(
        `the server has written ${against.laterEntries} more ${against.laterEntries === 1 ? 'entry' : 'entries'} for this project since this export: export it again for the latest`,
      );
  }
  if (head === undefined)
    warnings.push(
      'exported before the server printed its head in the file: compare its last hash with the server',
    );
  const last = entries[entries.length - 1];
  return {
    file,
    status: 'verified',
    format: PROJECT_AUDIT_FORMAT,
    entries: entries.length,
    head: last?.hash ?? '',
    signatures: signed.signatures,
    ...(checked === undefined ? {} : { server: checked }),
    warnings,
  };
}

/** The lines the command prints for `result`. */
export function projectAuditLines(result: ProjectAuditVerification): string[] {
  const { file } = result;
  if (result.status === 'unreachable') return [`${file}: NOT VERIFIED: ${result.message}`];
  if (result.status === 'tampered') return [`${file}: TAMPERED: ${result.message}`];
  const n = result.signatures.length;
  return [
    `${file}: verified project audit log: ${result.entries} entries, head ${result.head}; ${n} ${n === 1 ? 'signature' : 'signatures'}${result.server ? `; every entry is the server's (${result.server.url})` : ''}`,
    ...result.signatures.map(
      (s) =>
        `${file}: signature at entry ${s.projectSeq}: ${s.signer.name} (${s.signer.subject}), ${s.role}, ${s.signedAt}, meaning “${s.meaning}”${s.rationale === undefined ? '' : `, rationale “${s.rationale}”`}; signs ${s.hash}; WebAuthn assertion verified`,
    ),
    ...result.warnings.map((w) => `${file}: WARNING: ${w}`),
  ];
}
