/**
 * Whether the finding marks are drawn on the diagram: on unless the user switched them off, and
 * remembered per tab (sessionStorage) so reopening a workflow or reloading keeps the choice. A view setting, not part of the project:
 * it is neither saved with the project nor exported.
 */
import { useCallback, useState } from 'react';

/** The sessionStorage key of the switch. */
const FINDING_MARKS_KEY = 'preflight.findingMarks';

function read(): boolean {
  try {
    return sessionStorage.getItem(FINDING_MARKS_KEY) !== 'off';
  } catch {
    return true;
  }
}

/** The switch of the finding marks and its setter (which remembers the choice). */
export function useFindingMarksShown(): [boolean, (shown: boolean) => void] {
  const [shown, setShown] = useState(read);
  const set = useCallback((next: boolean) => {
    setShown(next);
    try {
      if (next) sessionStorage.removeItem(FINDING_MARKS_KEY);
      else sessionStorage.setItem(FINDING_MARKS_KEY, 'off');
    } catch {
      // storage disabled: the switch holds until the editor closes
    }
  }, []);
  return [shown, set];
}
