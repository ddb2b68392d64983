/**
 * "Data dictionary" on the Migration screen: which legacy column, mapping field or FHIR element
 * carries each data item the workflows' steps type or read. Links are suggested from names
 * (src/core/trace) and a person confirms or rejects each; a link nothing suggested is made by
 * hand; items nothing carries yet are listed. Only decisions are kept, in the project's settings
 * (`meta.settings.dataDictionary`), so they are saved, exported and read by `validate --project`.
 * Every decision is a change of the dictionary (`applyDictionaryChange`): the panel holds no copy.
 *
 * Who decides: in this browser's own project, the person says which of the dictionary's keepers
 * they decide as. In a project shared with a team server, the decider is the member signed in,
 * named with her role on the team project, shown and never chosen; the dictionary is a record
 * there written under its own action (`recordWriteAction`, read from the role table the server
 * refuses by: the lead, the analysts and the data team), and any other role sees it read-only,
 * with the reason and who can decide.
 */
import { useId, useMemo, useState } from 'react';
import { recordWriteAction } from '../../core/teamRecords/index.ts';
import { ACTION_WORDS, mayDo, type ProjectAction, rolesThatMay } from '../../core/teamRoles/index.ts';
import {
  applyDictionaryChange,
  type DictionaryChange,
  dataItems,
  dictionaryCandidates,
  suggestLinks,
  targetKey,
  targetLabel,
  unlinkedItems,
} from '../../core/trace/index.ts';
import {
  type DataDictionary,
  PROJECT_DATA_DICTIONARY_KEY,
  readDataDictionary,
  withDataDictionary,
} from '../../formats/dataDictionary.ts';
import type { Project } from '../../formats/project.ts';
import { plural } from '../common/format.ts';
import { TableScroll } from '../common/TableScroll.tsx';
import { type ProjectSharing, useProjectSharing } from '../team/projectSharing.ts';
import { ConflictBeside } from '../team/RecordConflict.tsx';
import { ROLE_LABELS } from '../team/teamClient.ts';
import { type MemberRoleRead, useMemberRole } from '../team/useMemberRole.ts';

/** Who decides a link in this browser's own project: the people the dictionary is theirs to keep. */
const DECIDERS = ['Data lead', 'Analyst'] as const;

/** The action of the role table that writes the dictionary on a team server: the server's own check. */
const DICTIONARY_ACTION: ProjectAction = recordWriteAction('readiness-record', PROJECT_DATA_DICTIONARY_KEY);

/**
 * Who decides a link here: chosen from {@link DECIDERS} (this browser's project), the member
 * signed in (a shared one), or nobody, with why; `waiting` while who decides is still read
 * (`why` empty while the sharing itself is).
 */
type Decider =
  | { kind: 'choose' }
  | { kind: 'member'; by: string }
  /** who decides is still being read: nothing is offered meanwhile */
  | { kind: 'waiting'; why: string }
  | { kind: 'nobody'; why: string };

/** The decider of a project shared as `sharing`, its member's role read as `member`. */
function deciderOf(sharing: ProjectSharing, member: MemberRoleRead | undefined): Decider {
  if (sharing.kind === 'local') return { kind: 'choose' };
  if (sharing.kind === 'reading') return { kind: 'waiting', why: '' };
  if (sharing.signer === undefined)
    return {
      kind: 'nobody',
      why: 'This project is shared with your clinic’s Preflight server: sign in to decide links, as yourself.',
    };
  if (member === undefined || member.state === 'reading')
    return { kind: 'waiting', why: 'Reading your role on the team project…' };
  if (member.state === 'failed')
    return {
      kind: 'nobody',
      why: `Your role on the team project could not be read, so links cannot be decided here: ${member.why}`,
    };
  const role = ROLE_LABELS[member.role];
  if (mayDo(member.role, DICTIONARY_ACTION)) return { kind: 'member', by: `${member.name} (${role})` };
  const who = rolesThatMay(DICTIONARY_ACTION)
    .map((r) => ROLE_LABELS[r])
    .join(', ');
  return {
    kind: 'nobody',
    why: `You see the dictionary read-only: your role on the team project (${role}) cannot ${ACTION_WORDS[DICTIONARY_ACTION]}. Who decides its links: ${who}.`,
  };
}

/** The props of {@link DataDictionaryPanel}. */
interface DataDictionaryPanelProps {
  project: Project;
  /** stores the project's new settings; absent: the dictionary is shown, not changed */
  onChange?: ((settings: Record<string, unknown>) => void) | undefined;
  /** the time of a decision (tests pass a fixed one) */
  now?: () => Date;
}

/** The panel (see the file header). */
export function DataDictionaryPanel({ project, onChange, now = () => new Date() }: DataDictionaryPanelProps) {
  const id = useId();
  const [chosen, setChosen] = useState<string>(DECIDERS[0]);
  const sharing = useProjectSharing(project.meta.id);
  const member = useMemberRole(sharing);
  const decider = deciderOf(sharing, member);
  const by = decider.kind === 'member' ? decider.by : chosen;
  // decisions are offered where they can be kept, and where the person deciding is known
  const editable = onChange !== undefined && (decider.kind === 'choose' || decider.kind === 'member');
  const dictionary = readDataDictionary(project.meta.settings);
  const items = useMemo(() => dataItems(project), [project]);
  const candidates = useMemo(() => dictionaryCandidates(project), [project]);
  const suggestions = suggestLinks(items, candidates, dictionary);
  const unlinked = unlinkedItems(items, dictionary);
  const steps = (item: string) => items.find((i) => i.item === item)?.uses.length ?? 0;
  const [manualItem, setManualItem] = useState('');
  const [manualTarget, setManualTarget] = useState('');

  if (items.length === 0) return null;
  const change = (c: DictionaryChange) => {
    const next: DataDictionary = applyDictionaryChange(dictionary, c);
    onChange?.(withDataDictionary(project.meta.settings, next));
  };
  const decide = (item: string, target: DictionaryChange['target'], decision: 'confirmed' | 'rejected') =>
    change({ type: 'decide', item, target, decision, by, at: now().toISOString() });
  const manual = candidates.find((c) => targetKey(c.target) === manualTarget);

  return (
    <section aria-labelledby={`${id}-title`} className="card data-dictionary">
      <h3 id={`${id}-title`}>Data dictionary</h3>
      <p>
        Which legacy column, mapping field or FHIR element carries each data item the workflows' steps type or
        read. A failing check on a linked column or element then names the steps, roles and cases an hour that
        depend on it. {plural(items.length, 'data item')}: {items.length - unlinked.length} linked,{' '}
        {unlinked.length} not linked yet; {plural(suggestions.length, 'suggestion')} to decide.
      </p>
      <ConflictBeside kind="readiness-record" id={PROJECT_DATA_DICTIONARY_KEY} what="data dictionary" />
      {onChange && decider.kind === 'choose' && (
        <p>
          <label>
            Deciding as{' '}
            <select value={chosen} onChange={(e) => setChosen(e.target.value)}>
              {DECIDERS.map((d) => (
                <option key={d}>{d}</option>
              ))}
            </select>
          </label>
        </p>
      )}
      {onChange && decider.kind === 'member' && (
        <p data-testid="dictionary-decider">
          Deciding as <strong>{decider.by}</strong>, signed in to the team server.
        </p>
      )}
      {onChange && decider.kind === 'waiting' && decider.why !== '' && <p className="hint">{decider.why}</p>}
      {onChange && decider.kind === 'nobody' && (
        <p className="hint" data-testid="dictionary-read-only">
          {decider.why}
        </p>
      )}
      {suggestions.length > 0 && (
        <TableScroll label="Suggested links, scrollable">
          <table className="wide stacked-table">
            <caption>Suggested from names</caption>
            <thead>
              <tr>
                <th scope="col">Data item</th>
                <th scope="col">Carried by</th>
                <th scope="col">Used in</th>
                {editable && <th scope="col">Decide</th>}
              </tr>
            </thead>
            <tbody>
              {suggestions.map(({ item, candidate }) => (
                <tr key={`${item}|${targetKey(candidate.target)}`}>
                  <th scope="row">
                    <code>{item}</code>
                  </th>
                  <td data-label="Carried by">{candidate.label}</td>
                  <td data-label="Used in">{plural(steps(item), 'step')}</td>
                  {editable && (
                    <td data-label="Decide">
                      {/* one block beside its label on a phone: the two choices stay together */}
                      <span>
                        <button
                          type="button"
                          aria-label={`Confirm ${item} is carried by ${candidate.label}`}
                          onClick={() => decide(item, candidate.target, 'confirmed')}
                        >
                          Confirm
                        </button>{' '}
                        <button
                          type="button"
                          aria-label={`Reject ${item} carried by ${candidate.label}`}
                          onClick={() => decide(item, candidate.target, 'rejected')}
                        >
                          Reject
                        </button>
                      </span>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {dictionary.links.length > 0 && (
        <TableScroll label="Decided links, scrollable">
          <table className="wide stacked-table">
            <caption>Decided</caption>
            <thead>
              <tr>
                <th scope="col">Data item</th>
                <th scope="col">Carried by</th>
                <th scope="col">Decision</th>
                {editable && <th scope="col">Undo</th>}
              </tr>
            </thead>
            <tbody>
              {dictionary.links.map((link) => {
                const label = targetLabel(link.target, project);
                return (
                  <tr key={`${link.item}|${targetKey(link.target)}`}>
                    <th scope="row">
                      <code>{link.item}</code>
                    </th>
                    <td data-label="Carried by">{label}</td>
                    <td data-label="Decision">
                      {link.decision === 'confirmed' ? 'Confirmed' : 'Rejected'}
                      {link.by ? ` by ${link.by}` : ''}
                      {link.at ? ` on ${link.at.slice(0, 10)}` : ''}
                    </td>
                    {editable && (
                      <td data-label="Undo">
                        <button
                          type="button"
                          aria-label={`Undo the decision on ${link.item} and ${label}`}
                          onClick={() => change({ type: 'undo', item: link.item, target: link.target })}
                        >
                          Undo
                        </button>
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
      {unlinked.length > 0 && (
        <>
          <h4 id={`${id}-unlinked`}>Not linked yet</h4>
          <ul aria-labelledby={`${id}-unlinked`} className="columns">
            {unlinked.map((i) => (
              <li key={i.item}>
                <code>{i.item}</code> ({plural(i.uses.length, 'step')})
              </li>
            ))}
          </ul>
        </>
      )}
      {editable && candidates.length > 0 && (
        <form
          aria-label="Link by hand"
          onSubmit={(e) => {
            e.preventDefault();
            if (manualItem && manual) decide(manualItem, manual.target, 'confirmed');
          }}
        >
          <label>
            Data item{' '}
            <select value={manualItem} onChange={(e) => setManualItem(e.target.value)}>
              <option value="">choose…</option>
              {items.map((i) => (
                <option key={i.item}>{i.item}</option>
              ))}
            </select>
          </label>{' '}
          <label>
            carried by{' '}
            <select value={manualTarget} onChange={(e) => setManualTarget(e.target.value)}>
              <option value="">choose…</option>
              {candidates.map((c) => (
                <option key={targetKey(c.target)} value={targetKey(c.target)}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>{' '}
          <button type="submit" disabled={!manualItem || !manual}>
            Link
          </button>
        </form>
      )}
    </section>
  );
}
