/**
 * A field of a record whose values are a fixed list (a step's kind, a partner's state), chosen in a
 * select that shows each value in words.
 */

/** `text` with its first letter capital. */
export const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** A select of `values`, each shown as its `words` with a capital first letter. */
export function WordSelect<V extends string>({
  label,
  value,
  values,
  words,
  disabled,
  onChange,
}: {
  label: string;
  value: V;
  values: readonly V[];
  words: Readonly<Record<V, string>>;
  disabled: boolean;
  onChange: (value: V) => void;
}) {
  return (
    <select
      aria-label={label}
      value={value}
      disabled={disabled}
      onChange={(e) => onChange(e.currentTarget.value as V)}
    >
      {values.map((v) => (
        <option key={v} value={v}>
          {capital(words[v])}
        </option>
      ))}
    </select>
  );
}

/** A {@link WordSelect} in its own table cell, as the readiness tables' other cells (RecordTable.tsx). */
export function WordSelectCell<V extends string>(props: Parameters<typeof WordSelect<V>>[0]) {
  return (
    <td>
      <WordSelect {...props} />
    </td>
  );
}
