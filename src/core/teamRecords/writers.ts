/**
 * Who may write each shared record: the action of the role table (src/core/teamRoles) that the
 * server asks before it keeps a write or a removal, and that a screen asks before it offers one.
 * Both read it here, so a screen never offers a write the server would refuse.
 *
 * Constraint: each kind is written under one action, but for the readiness records named in
 * {@link READINESS_RECORD_ACTIONS}, each written under its own: the data dictionary is kept as a
 * readiness record (the board's failing data reads its links), yet its links are decided by the
 * analysts and the data team; the go/no-go meeting record is the lead's, who calls the meeting,
 * and the steering committee's, who hold it; the Readiness forms stay the lead's and the analysts'.
 * A record someone else wrote may want more than its write action ({@link recordOverwriteAction}):
 * a run's summary is shared by whoever ran it, and changed by another member only under the data
 * checks' action.
 */
import { PROJECT_DATA_DICTIONARY_KEY } from '../../formats/dataDictionary.ts';
import { PROJECT_STEERING_MEETING_KEY } from '../../formats/steeringMeeting.ts';
import type { ProjectAction } from '../teamRoles/index.ts';
import type { SharedRecordKind } from './kinds.ts';

/** The action that writes each kind: the role accountable for it. */
const WRITE_ACTIONS: Readonly<Record<SharedRecordKind, ProjectAction>> = {
  'check-set': 'edit-data-checks',
  contract: 'edit-data-checks',
  mapping: 'edit-data-checks',
  waiver: 'edit-data-checks',
  'report-summary': 'share-runs',
  'sample-plan': 'edit-plans',
  roster: 'edit-plans',
  'readiness-record': 'edit-readiness',
  'steering-decision': 'record-steering',
};

/** The readiness records (by key) written under an action of their own rather than `edit-readiness`. */
const READINESS_RECORD_ACTIONS: Readonly<Record<string, ProjectAction>> = {
  [PROJECT_DATA_DICTIONARY_KEY]: 'edit-data-dictionary',
  [PROJECT_STEERING_MEETING_KEY]: 'record-steering-meeting',
};

/** The action of the role table that writes (or removes) record `id` of `kind`. */
export function recordWriteAction(kind: SharedRecordKind, id: string): ProjectAction {
  if (kind === 'readiness-record' && Object.hasOwn(READINESS_RECORD_ACTIONS, id))
    return READINESS_RECORD_ACTIONS[id] as ProjectAction;
  return WRITE_ACTIONS[kind];
}

/** The kinds whose record another member wrote is changed (or removed) under an action of its own. */
const OVERWRITE_ACTIONS: Readonly<Partial<Record<SharedRecordKind, ProjectAction>>> = {
  // an analyst shares her own runs; the data team answers for what the team's runs say
  'report-summary': 'edit-data-checks',
};

/**
 * The action that changes or removes record `id` of `kind` when another member wrote it last:
 * its own where {@link OVERWRITE_ACTIONS} names one, else the one that writes it.
 */
export function recordOverwriteAction(kind: SharedRecordKind, id: string): ProjectAction {
  return OVERWRITE_ACTIONS[kind] ?? recordWriteAction(kind, id);
}
