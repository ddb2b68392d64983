/**
 * Who may do what in a shared project: the six roles of a go-live team and the one table of what
 * each may do. Every project route names its action and asks {@link mayDo}; nothing else decides
 * (`projects.test.ts` checks every role × action against this table, and asks each route once
 * allowed and once refused on the real server). The browser reads the same table (the roster's
 * role list, who confirms a key, who signs): it is here, in the core, so neither side keeps a copy.
 *
 * Constraints: a person with no current membership (never added, removed, or past the end date
 * of their membership) is not in this table at all — the project is "not found" to them (404),
 * so a stranger cannot learn that it exists. A current member whose role lacks the action is
 * refused with 403 and told whom to ask. Adding an action means adding its row here and its
 * route; the test table then covers it for every role.
 */

/** The roles of a go-live team, as the project roster names them (DESIGN.md §7). */
export const ROLES = ['lead', 'analyst', 'data', 'reviewer', 'steering', 'viewer'] as const;
/** A member's role in one project. */
export type Role = (typeof ROLES)[number];

/**
 * Each role in the words of the roster: the roster, the role picker, the "What each role can do"
 * table and docs/team.md name the roles so.
 */
export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  lead: 'Lead',
  analyst: 'Analyst',
  data: 'Data team',
  reviewer: 'Clinician reviewer',
  steering: 'Steering committee',
  viewer: 'Viewer',
};

/** What a member can ask of a project through the API, each behind one route. */
export const ACTIONS = [
  'read-project',
  'rename-project',
  'add-member',
  'change-member',
  'remove-member',
  'read-audit',
  'read-workflows',
  'edit-workflows',
  'sign',
  'manage-signing',
  'read-records',
  'edit-data-checks',
  'share-runs',
  'edit-plans',
  'edit-readiness',
  'edit-data-dictionary',
  'record-steering',
  'record-steering-meeting',
  'assign-reviews',
  'review-records',
  'record-packet-decisions',
  'sign-steering',
  'read-sample-results',
] as const;
/** One thing a member can ask of a project. */
export type ProjectAction = (typeof ACTIONS)[number];

/**
 * The role × action table. Reading the project (its name, roster and your own role) is every
 * member's; managing the roster and reading the project's audit log are the lead's, as user
 * rights are in REDCap: the person accountable for the go-live decides who works on it.
 */
export const ROLE_ACTIONS: Readonly<Record<ProjectAction, readonly Role[]>> = {
  'read-project': ['lead', 'analyst', 'data', 'reviewer', 'steering', 'viewer'],
  'rename-project': ['lead'],
  'add-member': ['lead'],
  'change-member': ['lead'],
  'remove-member': ['lead'],
  'read-audit': ['lead'],
  // the team's workflows are seen by everyone on it and drawn by those who design the process
  'read-workflows': ['lead', 'analyst', 'data', 'reviewer', 'steering', 'viewer'],
  'edit-workflows': ['lead', 'analyst'],
  // registering one's own signing key and signing: the roles whose signatures mean something
  sign: ['lead', 'data', 'reviewer', 'steering'],
  // confirming or revoking members' keys and setting the signing idle time: the lead, as the roster
  'manage-signing': ['lead'],
  // the project's shared records (sharedRecords.ts): everyone on the team reads them; each kind is
  // written by the role accountable for it, and a viewer writes none
  'read-records': ['lead', 'analyst', 'data', 'reviewer', 'steering', 'viewer'],
  // check sets, contracts, mappings and accepted issues (what is checked, and what is let pass):
  // the data team's work; so is changing or removing a run's summary another member shared
  'edit-data-checks': ['lead', 'data'],
  // sharing the summary of a validation run one made (counts and SHA-256s, no record content): a
  // run measures the extracts by the team's agreed checks, and a problem an analyst's run found
  // must reach the team, not stay in her browser; a role that holds no extracts shares none
  'share-runs': ['lead', 'analyst', 'data'],
  // sample plans and the sign-off roster: the lead's, who answers for the sign-off
  'edit-plans': ['lead'],
  // the readiness forms (gates, training, cutover, rollback…): the lead and the analysts
  'edit-readiness': ['lead', 'analyst'],
  // the data dictionary's links (which column, field or element carries each data item): the
  // analysts, who know the steps, and the data team, who know the extracts — one readiness record
  // written under this action rather than the forms' own
  'edit-data-dictionary': ['lead', 'analyst', 'data'],
  // go/no-go decisions: the steering committee's alone
  'record-steering': ['steering'],
  // the go/no-go meeting record (who was asked and attended, the quorum rule, the conditions for
  // go): the lead, who calls the meeting and sets its quorum, and the committee, who hold it — one
  // readiness record written under this action rather than the forms' own
  'record-steering-meeting': ['lead', 'steering'],
  // sending a locked sample's record pairs to reviewers and saying who reviews which pass: the lead
  'assign-reviews': ['lead'],
  // reading one's assigned record pairs and posting decisions on them: the clinician reviewers,
  // and the lead, who may take a pass or adjudicate; the assignment says which records and pass
  'review-records': ['lead', 'reviewer'],
  // recording in the server's order the decisions she merged from offline review packets: the
  // lead, who alone exports packets and merges their results
  'record-packet-decisions': ['lead'],
  // signing go or no-go on the server, each member from her own machine: the steering committee
  'sign-steering': ['steering'],
  // a sample's result as the server computes it (counts, verdict, fingerprint; no record content):
  // the lead, who signs the sign-off, the data lead, who approves the result from her machine, the
  // steering committee, whose go/no-go is taken on it, and the analysts and viewers, whose
  // Readiness judges the same shared record as the committee's; not the reviewers, while a review
  // is blind (a result's counts tell where the two passes disagreed)
  'read-sample-results': ['lead', 'analyst', 'data', 'steering', 'viewer'],
};

/**
 * What each action is, in the words a refusal uses ("your role cannot …"); the rows of the "What
 * each role can do" table and of docs/team.md, whose test fails when the document's copy differs.
 */
export const ACTION_WORDS: Readonly<Record<ProjectAction, string>> = {
  'read-project': 'open this project',
  'rename-project': 'rename this project',
  'add-member': 'add people to this project',
  'change-member': 'change a member’s role or end date',
  'remove-member': 'remove people from this project',
  'read-audit': 'read this project’s audit log',
  'read-workflows': 'open this project’s workflows',
  'edit-workflows': 'share, change, name versions of or restore this project’s workflows',
  sign: 'register a signing key or sign in this project',
  'manage-signing': 'confirm or revoke signing keys, or change how long a signing session lasts',
  'read-records': 'open this project’s shared records',
  'edit-data-checks':
    'change this project’s check sets, contracts, mappings or accepted issues, or another member’s run summaries',
  'share-runs': 'share the summaries of validation runs in this project',
  'edit-plans': 'change this project’s sample plans or sign-off roster',
  'edit-readiness': 'change this project’s readiness records',
  'edit-data-dictionary': 'decide the links of this project’s data dictionary',
  'record-steering': 'record this project’s steering decisions',
  'record-steering-meeting':
    'record this project’s go/no-go meeting (its attendees, quorum and conditions for go)',
  'assign-reviews': 'send sampled records to reviewers or assign who reviews them',
  'review-records': 'review sampled records',
  'record-packet-decisions': 'record decisions merged from review packets',
  'sign-steering': 'sign this project’s go or no-go',
  'read-sample-results': 'see the results of this project’s samples',
};

/**
 * Who confirms another member's signing key (within `manage-signing`'s route, which a data lead
 * reaches for this alone): a lead, or the data lead — so a project with one lead still has a
 * second person to confirm the lead's own key. Nobody confirms their own key: the confirmer
 * vouches, in person, that the key is its owner's.
 */
export const KEY_CONFIRMERS: readonly Role[] = ['lead', 'data'];

/** The roles that may do `action`, in {@link ROLES} order. */
export function rolesThatMay(action: ProjectAction): Role[] {
  return ROLES.filter((role) => mayDo(role, action));
}

/** Whether `role` may do `action`. */
export function mayDo(role: Role, action: ProjectAction): boolean {
  return ROLE_ACTIONS[action].includes(role);
}

/** The actions `role` may do, in table order (the app shows only these). */
export function actionsOf(role: Role): ProjectAction[] {
  return ACTIONS.filter((action) => mayDo(role, action));
}
