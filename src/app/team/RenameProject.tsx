/**
 * The lead's "Rename project" control on a team project's screen: a button that opens an inline
 * form with the current name. A refusal is said next to the field in the server's words and what
 * was typed stays; the form closes only once the server has kept the new name.
 */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';

/** The longest name the server keeps (its own limit, repeated so the field stops there). */
const MAX_NAME = 200;

/** "Rename project", opening an inline form; shown only to a role the server lets rename. */
export function RenameProject({
  name,
  onRename,
}: {
  name: string;
  /** asks the server; resolves to the refusal's words, or undefined once renamed */
  onRename(name: string): Promise<string | undefined>;
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState(name);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (open) inputRef.current?.select();
  }, [open]);

  if (!open)
    return (
      <button
        type="button"
        onClick={() => {
          setDraft(name);
          setError(undefined);
          setOpen(true);
        }}
      >
        Rename project
      </button>
    );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const wanted = draft.trim();
    if (wanted === '') {
      setError('Give the project a name.');
      return;
    }
    if (wanted === name) {
      setOpen(false);
      return;
    }
    setBusy(true);
    const refused = await onRename(wanted);
    setBusy(false);
    setError(refused);
    if (refused === undefined) setOpen(false);
  };

  return (
    <form className="team-form team-rename" onSubmit={submit} aria-label="Rename project">
      <label htmlFor={id}>New project name</label>
      <input
        ref={inputRef}
        id={id}
        autoComplete="off"
        className="team-input team-input-wide"
        value={draft}
        maxLength={MAX_NAME}
        onChange={(e) => setDraft(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-err` : undefined}
      />
      <button type="submit" className="primary" disabled={busy}>
        Save name
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {error && (
        <p id={`${id}-err`} className="team-error team-form-note" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
