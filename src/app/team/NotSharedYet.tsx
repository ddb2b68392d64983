/**
 * What an empty workspace of a shared project shows in place of the demo clinic: what the team
 * has not shared yet and who on the team can share it. A shared project is the team's, so
 * replacing it with the demo would help nobody; the person needs to know whom to ask. Who can is
 * read from the role × action table the server refuses by (src/core/teamRoles), never written
 * here. Readiness shows it over every kind of evidence; Workflows, Migration and Sign-off each
 * over their own, through {@link EmptyWorkspace}.
 */
import type { ReactNode } from 'react';
import type { SharedEvidenceKind, UnsharedEvidence } from '../../core/readiness/index.ts';
import { type Role, rolesThatMay } from '../../core/teamRoles/index.ts';

/** Each role as a sentence names one of its members. */
const ROLE_NOUNS: Readonly<Record<Role, string>> = {
  lead: 'the lead',
  analyst: 'an analyst',
  data: 'the data team',
  reviewer: 'a clinician reviewer',
  steering: 'the steering committee',
  viewer: 'a viewer',
};

/** What is missing, and how it reaches the team once someone who may shares it. */
const KIND_WORDS: Readonly<Record<SharedEvidenceKind, { missing: string; how: string }>> = {
  workflows: {
    missing: 'No workflow is shared yet.',
    how: 'shares the current and planned workflows from the Workflows screen',
  },
  extracts: {
    missing: 'No legacy extract is shared yet.',
    how: 'shares each extract’s check set by adding it on the Migration screen',
  },
  'validation-runs': {
    missing: 'No validation run is shared yet.',
    how: 'shares a run’s summary (its counts and hashes, never the records) by checking the extracts on the Migration screen',
  },
  'sample-plans': {
    missing: 'No sign-off sample plan is shared yet.',
    how: 'draws and shares the clinicians’ sample on the Sign-off screen',
  },
};

/** "the lead or the data team": the roles of a sentence, joined. */
function whoWords(roles: readonly Role[]): string {
  const nouns = roles.map((r) => ROLE_NOUNS[r]);
  if (nouns.length <= 1) return nouns[0] ?? 'nobody';
  return `${nouns.slice(0, -1).join(', ')} or ${nouns.at(-1)}`;
}

/** A sentence starting with what a role does: its first letter up. */
const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The empty state of a shared project (see the header): `children` say, in the clinic's words,
 * what the screen shows once the team has shared it; then each of `missing` and who can share it.
 */
export function NotSharedYet({
  missing,
  children,
}: {
  missing: readonly UnsharedEvidence[];
  children: ReactNode;
}) {
  return (
    <div className="empty-state" data-testid="not-shared-yet">
      {children}
      <ul aria-label="Not shared yet">
        {missing.map((m) => (
          <li key={m.kind}>
            {KIND_WORDS[m.kind].missing} {sentence(whoWords(rolesThatMay(m.sharedBy)))}{' '}
            {KIND_WORDS[m.kind].how}.
          </li>
        ))}
      </ul>
      <p>
        Your own role on the team project is under Team projects; a lead of the project changes it there if it
        should be another.
      </p>
    </div>
  );
}
