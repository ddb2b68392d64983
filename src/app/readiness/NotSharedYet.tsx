/**
 * What an empty shared project's Readiness shows in place of the demo clinic: what the team has
 * not shared yet and who on the team can share it. A shared project is the team's, so replacing
 * it with the demo would help nobody; the person needs to know whom to ask. Who can is read from
 * the role × action table the server refuses by (src/core/teamRoles), never written here.
 */
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
    how: 'shares a run’s summary (its counts and hashes, never the records) by saving it on the Migration screen',
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

/** The empty state of a shared project (see the header); `teamProjectName` names the team project. */
export function NotSharedYet({
  missing,
  teamProjectName,
}: {
  missing: readonly UnsharedEvidence[];
  teamProjectName: string;
}) {
  return (
    <div className="empty-state" data-testid="readiness-not-shared-yet">
      <p>
        The team has shared nothing this screen can weigh yet in “{teamProjectName}”. As the team shares its
        evidence, this screen shows for each phase whether the clinic is ready to go live, and why not.
      </p>
      <ul aria-label="Not shared yet">
        {missing.map((m) => (
          <li key={m.kind}>
            {KIND_WORDS[m.kind].missing} {sentence(whoWords(rolesThatMay(m.sharedBy)))}{' '}
            {KIND_WORDS[m.kind].how}.
          </li>
        ))}
      </ul>
      <p>Your own role on the team project is under Team projects; ask the lead if it should be another.</p>
    </div>
  );
}
