/**
 * The open project and the address kept in step. The address is where a switch starts when the
 * user opens one (a bookmark, a pasted link, Back or Forward, the project chooser): an address that
 * names another stored project opens it. When the session itself opens another project (a new
 * project, an import, a delete), the address follows. An address without a project part gains the
 * open project's id in place, so whatever the address bar shows can be copied and passed on.
 */

/** What is known when deciding. */
export interface AddressFacts {
  /** the session has opened its storage (before that no project is known) */
  ready: boolean;
  /** the project the address names; undefined: none (the project open now) */
  addressed: string | undefined;
  /** the open project; undefined: none open */
  open: string | undefined;
  /** the ids of the projects stored in this browser */
  known: ReadonlySet<string>;
  /** the open project changed by the session's own doing since the address was last in step */
  sessionSwitched: boolean;
  /** a switch to this project was asked for and has not ended yet */
  requested: string | undefined;
}

/** What to do about the address and the open project. */
export type AddressStep =
  /** nothing: they are in step (or nothing is known yet) */
  | { kind: 'none' }
  /** replace the address's project part (no new history entry) with the open project */
  | { kind: 'name-open'; project: string }
  /** switch to the project the address names (pending changes are saved first) */
  | { kind: 'open'; project: string }
  /** a switch to the address's project is under way */
  | { kind: 'opening'; project: string }
  /** the address names a project this browser does not hold: say so, switch nothing */
  | { kind: 'unknown'; project: string };

/** The one decision, given the facts (a table of cases tests it). */
export function addressStep(facts: AddressFacts): AddressStep {
  const { ready, addressed, open, known, sessionSwitched, requested } = facts;
  if (!ready) return { kind: 'none' };
  if (sessionSwitched && open !== undefined) return { kind: 'name-open', project: open };
  if (addressed === undefined)
    return open === undefined ? { kind: 'none' } : { kind: 'name-open', project: open };
  if (addressed === open) return { kind: 'none' };
  if (!known.has(addressed)) return { kind: 'unknown', project: addressed };
  if (requested === addressed) return { kind: 'opening', project: addressed };
  return { kind: 'open', project: addressed };
}
