import { type ReactNode, useEffect, useId, useRef } from 'react';

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
  initial: string;
  submitLabel: string;
  onSubmit: (value: string) => void;
  onCancel: () => void;
}

/** Asks for one line of text, e.g. a project name. Blank input is refused in place. */
export function PromptDialog({ open, title, label, initial, submitLabel, onSubmit, onCancel }: PromptProps) {
  const inputId = useId();
  return (
    <Dialog open={open} title={title} onClose={onCancel}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const value = String(new FormData(event.currentTarget).get('value') ?? '').trim();
          if (value) onSubmit(value);
        }}
      >
        <label htmlFor={inputId}>{label}</label>
        <input id={inputId} name="value" defaultValue={initial} required maxLength={120} autoFocus />
        <div className="dialog-actions">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary">
            {submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
