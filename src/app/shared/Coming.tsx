import type { ReactNode } from 'react';

/** Says plainly what a workspace does not do yet, so nobody mistakes the shell for the product. */
export function Coming({ children }: { children: ReactNode }) {
  return (
    <aside className="coming" aria-label="Coming next">
      <h3>Coming here next</h3>
      <p>{children}</p>
    </aside>
  );
}
