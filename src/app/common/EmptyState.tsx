import type { ReactNode } from 'react';

/**
 * What an empty workspace shows (a new project has no workflows, extracts or plans yet): what will
 * be possible here, in the clinic's words, and a way to see it working in the demo clinic.
 * `onOpenDemo` is left out when the open project is the demo clinic itself.
 */
export function EmptyState({ children, onOpenDemo }: { children: ReactNode; onOpenDemo?: () => void }) {
  return (
    <div className="empty-state">
      {children}
      {onOpenDemo && (
        <button type="button" className="primary" onClick={onOpenDemo}>
          Open the demo clinic
        </button>
      )}
    </div>
  );
}
