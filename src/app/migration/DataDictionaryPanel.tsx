/**
 * "Data dictionary" on the Migration screen: which legacy column, mapping field or FHIR element
 * carries each data item the workflows' steps type or read. Links are suggested from names
 * (src/core/trace) and a person confirms or rejects each; a link nothing suggested is made by
 * hand; items nothing carries yet are listed. Only decisions are kept, in the project's settings
 * (`meta.settings.dataDictionary`), so they are saved, exported and read by `validate --project`.
 * Every decision is a change of the dictionary (`applyDictionaryChange`): the panel holds no copy.
 */
import { useId, useMemo, useState } from 'react';
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
import { type DataDictionary, readDataDictionary, withDataDictionary } from '../../formats/dataDictionary.ts';
import type { Project } from '../../formats/project.ts';
import { plural } from '../common/format.ts';
import { TableScroll } from '../common/TableScroll.tsx';

/** Who decides a link: the people the dictionary is theirs to keep. */
const DECIDERS = ['Data lead', 'Analyst'] as const;

/** The props of {@link DataDictionaryPanel}. */
export interface DataDictionaryPanelProps {
  project: Project;
  /** stores the project's new settings; absent: the dictionary is shown, not changed */
  onChange?: ((settings: Record<string, unknown>) => void) | undefined;
  /** the time of a decision (tests pass a fixed one) */
  now?: () => Date;
}

/** The panel (see the file header). */
export function DataDictionaryPanel({ project, onChange, now = () => new Date() }: DataDictionaryPanelProps) {
  const id = useId();
  const [by, setBy] = useState<string>(DECIDERS[0]);
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
      {onChange && (
        <p>
          <label>
            Deciding as{' '}
            <select value={by} onChange={(e) => setBy(e.target.value)}>
              {DECIDERS.map((d) => (
                <option key={d}>{d}</option>
              ))}
            </select>
          </label>
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
                {onChange && <th scope="col">Decide</th>}
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
                  {onChange && (
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
                {onChange && <th scope="col">Undo</th>}
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
                    {onChange && (
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
      {onChange && candidates.length > 0 && (
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
