import type { Reviewer } from '../../formats/review.ts';

/**
 * The three fields that name a person who signs or decides when no roster names them: full name,
 * job title and staff number, labelled for their part ("Signer's full name"). Autofill is off:
 * names and staff numbers are not kept by the browser. The caller gives the ids (its own labels
 * and messages point at them) and the group around the fields.
 */
export function PersonFields({
  part,
  person,
  onChange,
  ids,
}: {
  /** who the person is here, as the labels say it: "Signer", "Approver", "Adjudicator" */
  part: string;
  person: Reviewer;
  onChange: (person: Reviewer) => void;
  ids: { name: string; role: string; staff: string };
}) {
  return (
    <>
      <label htmlFor={ids.name}>{part}'s full name</label>
      <input
        id={ids.name}
        value={person.name}
        autoComplete="off"
        onChange={(e) => onChange({ ...person, name: e.currentTarget.value })}
      />
      <label htmlFor={ids.role}>{part}'s job title</label>
      <input
        id={ids.role}
        value={person.role}
        autoComplete="off"
        onChange={(e) => onChange({ ...person, role: e.currentTarget.value })}
      />
      <label htmlFor={ids.staff}>{part}'s staff number</label>
      <input
        id={ids.staff}
        value={person.id}
        autoComplete="off"
        onChange={(e) => onChange({ ...person, id: e.currentTarget.value })}
      />
    </>
  );
}
