/**
 * What a review screen says instead of its typed-name decision form when the review is decided on
 * the team server (useDecisionPlace.ts): who decides there, where, and a link to the team project's
 * page, where each reviewer and adjudicator finds her records under "My assigned records".
 */
import { serialiseRoute } from '../route.ts';
import type { DecisionPlace } from './useDecisionPlace.ts';

/** The team project's page, where "My assigned records" is. */
function teamProjectHref(teamProjectId: string): string {
  return serialiseRoute({ workspace: 'team', teamProject: teamProjectId });
}

/** Where a review's records (`what: 'review'`) or its adjudications are decided, and the way there. */
export function DecideOnServer({
  place,
  what,
}: {
  place: Extract<DecisionPlace, { kind: 'server' }>;
  what: 'review' | 'adjudication';
}) {
  const link =
    place.teamProjectId === undefined ? (
      'the team project’s page'
    ) : (
      <a href={teamProjectHref(place.teamProjectId)}>the team project’s page</a>
    );
  const who =
    what === 'review'
      ? 'Each reviewer decides the records the lead assigned her'
      : 'The adjudicator the lead named (the lead herself, when she adjudicates) rules on each record waiting';
  return (
    <div className="decide-on-server" data-testid={`decide-on-server-${what}`}>
      <p>
        {place.sent
          ? `This review was sent to the team server, so it is decided there, by each person signed in as herself — never under a typed name. ${who} under “My assigned records” on `
          : `This project is shared with the team server, so its reviews are decided there, by each person signed in as herself — never under a typed name. Send the sample to the reviewers first; then ${who.charAt(0).toLowerCase()}${who.slice(1)} under “My assigned records” on `}
        {link}.
      </p>
      {place.sent && <p className="hint">What is decided there shows here as it is made.</p>}
    </div>
  );
}
