/**
 * "What each role can do", beside the role picker where the lead gives someone a role: the core's
 * role × action table (the one the server refuses by) in the clinic's words, with the role chosen
 * in the form highlighted. The same table, with the rules beside it, is docs/team.md.
 *
 * Constraints: it is drawn only while open, so a closed guide adds no table to the page (the
 * roster repeats forms). On a phone the six columns do not fit: there the chosen role's own list
 * (what it can do, what it cannot) stands in for the table, which CSS hides.
 */
import { useId, useState } from 'react';
import {
  ACTION_WORDS,
  ACTIONS,
  KEY_CONFIRMERS,
  mayDo,
  type ProjectAction,
  ROLE_LABELS,
  ROLES,
  type Role,
} from '../../core/teamApi/index.ts';

/** An action's words as a line of its own ("Open this project"). */
const actionLine = (action: ProjectAction) => {
  const words = ACTION_WORDS[action];
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/**
 * A disclosure of the role table; `selected` is the role chosen in the form it sits in, `who` the
 * person the form is for, where the page repeats the form per person (part of the button's name).
 */
export function RoleGuide({ selected, who }: { selected: Role; who?: string }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const chosen = ROLE_LABELS[selected];
  const can = ACTIONS.filter((action) => mayDo(selected, action));
  const cannot = ACTIONS.filter((action) => !mayDo(selected, action));
  return (
    <div className="role-guide">
      <button
        type="button"
        className="role-guide-toggle"
        aria-expanded={open}
        aria-controls={`${id}-body`}
        onClick={() => setOpen(!open)}
      >
        <span className="role-guide-caret" aria-hidden="true" />
        What each role can do
        {who !== undefined && (
          <>
            {' '}
            <span className="visually-hidden">(choosing the role of {who})</span>
          </>
        )}
      </button>
      {open && (
        <div id={`${id}-body`} className="role-guide-body">
          <div className="table-scroll role-guide-wide">
            <table className="role-guide-table">
              <caption>
                What each role can do in this project; {chosen}, the role chosen here, is highlighted
              </caption>
              <thead>
                <tr>
                  <th scope="col">What</th>
                  {ROLES.map((role) => (
                    <th
                      scope="col"
                      key={role}
                      className={role === selected ? 'role-guide-chosen' : undefined}
                    >
                      {ROLE_LABELS[role]}
                      {role === selected && (
                        <>
                          {' '}
                          <span className="visually-hidden">(chosen)</span>
                        </>
                      )}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {ACTIONS.map((action) => (
                  <tr key={action}>
                    <th scope="row">{actionLine(action)}</th>
                    {ROLES.map((role) => (
                      <td key={role} className={role === selected ? 'role-guide-chosen' : undefined}>
                        {mayDo(role, action) ? (
                          <>
                            <span aria-hidden="true">✓</span>
                            <span className="visually-hidden">yes</span>
                          </>
                        ) : (
                          <>
                            <span aria-hidden="true" className="role-guide-no">
                              —
                            </span>
                            <span className="visually-hidden">no</span>
                          </>
                        )}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="role-guide-narrow">
            <h4 id={`${id}-can`}>{chosen} can</h4>
            <ul aria-labelledby={`${id}-can`}>
              {can.map((action) => (
                <li key={action}>{actionLine(action)}</li>
              ))}
            </ul>
            {cannot.length > 0 && (
              <>
                <h4 id={`${id}-cannot`}>{chosen} cannot</h4>
                <ul aria-labelledby={`${id}-cannot`} className="role-guide-cannot">
                  {cannot.map((action) => (
                    <li key={action}>{actionLine(action)}</li>
                  ))}
                </ul>
              </>
            )}
            <p className="team-note">Choose another role above to see what it can do.</p>
          </div>
          <p className="team-note">
            A signing key is confirmed by a {KEY_CONFIRMERS.map((role) => ROLE_LABELS[role]).join(' or ')}{' '}
            member other than its owner. A record’s two reviewers are two people and its adjudicator is
            neither; clinician reviewers do not see a sample’s results, whose counts would tell them where the
            two passes disagreed.
          </p>
        </div>
      )}
    </div>
  );
}
