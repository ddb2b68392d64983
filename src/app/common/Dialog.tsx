import { type ReactNode, useEffect, useId, useRef, useState } from 'react';

interface DialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  onClose: () => void;
}

/**
 * A modal built on the native <dialog>: focus trapping, Escape and the inert background come
 * from the browser, which keeps keyboard and screen-reader use right without a library.
 */
export function Dialog({ open, title, children, onClose }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} aria-labelledby={titleId} onClose={onClose} className="dialog">
      {open && (
        <>
          <h2 id={titleId}>{title}</h2>
          {children}
        </>
      )}
    </dialog>
  );
}

interface ConfirmProps {
  open: boolean;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}

/** Asks before anything that cannot be undone (delete, wipe). */
export function ConfirmDialog({ open, title, message, confirmLabel, onConfirm, onCancel }: ConfirmProps) {
  return (
    <Dialog open={open} title={title} onClose={onCancel}>
      <div className="dialog-body">{message}</div>
      <div className="dialog-actions">
        {/* biome-ignore lint/a11y/noAutofocus: in a modal <dialog>, focus on the safe choice is the expected behaviour */}
        <button type="button" onClick={onCancel} autoFocus>
          Cancel
        </button>
        <button type="button" className="danger" onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}

interface PromptProps {
  open: boolean;
  title: string;
  label: string;
  /** says the rule next to the field, e.g. "Up to 120 characters." */
  hint?: string;
  initial: string;
  submitLabel: string;
  /**
   * Checks the text on submit: the value to submit, or the message shown in place of submitting.
   * Text is never cut silently: a value that breaks the rule is refused with its reason.
   */
  check: (value: string) => { ok: true; value: string } | { ok: false; message: string };
  onSubmit: (value: string) => void;
  onCancel: () => void;
}

/** Asks for one line of text, e.g. a project name, and refuses text that breaks `check` in place. */
export function PromptDialog(props: PromptProps) {
  return (
    <Dialog open={props.open} title={props.title} onClose={props.onCancel}>
      {/* Dialog mounts its children only while open: each opening starts from `initial`, error-free */}
      <PromptForm {...props} />
    </Dialog>
  );
}

function PromptForm({ label, hint, initial, submitLabel, check, onSubmit, onCancel }: PromptProps) {
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();
  const [error, setError] = useState<string | null>(null);
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ');
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const result = check(String(new FormData(event.currentTarget).get('value') ?? ''));
        if (result.ok) onSubmit(result.value);
        else setError(result.message);
      }}
    >
      <label htmlFor={inputId}>{label}</label>
      <input
        autoComplete="off"
        id={inputId}
        name="value"
        defaultValue={initial}
        // biome-ignore lint/a11y/noAutofocus: inside a modal <dialog> that exists to fill in this one field
        autoFocus
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        onChange={() => setError(null)}
      />
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary">
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
