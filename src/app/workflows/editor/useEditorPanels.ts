/**
 * Whether the editor's two side panels are shown: "Add steps" (palette and lane form) on the left
 * and "Details" (the inspector) on the right. Both are shown until the user hides one; the choice
 * is remembered in this browser (localStorage), for every workflow and project, so the diagram
 * keeps the room the user gave it. A view setting, not part of the project: neither saved with
 * it nor exported, and "Close and wipe" clears it with the rest of web storage.
 */
import { useCallback, useState } from 'react';
import { pageLocalStorage } from '../../common/pageStorage.ts';

/** The localStorage key of the choice. */
export const EDITOR_PANELS_KEY = 'preflight.editorPanels';

/** Which side panels are shown. */
interface EditorPanels {
  palette: boolean;
  inspector: boolean;
}

const ALL_SHOWN: EditorPanels = { palette: true, inspector: true };

function read(): EditorPanels {
  try {
    const raw = pageLocalStorage()?.getItem(EDITOR_PANELS_KEY);
    if (!raw) return ALL_SHOWN;
    const stored = JSON.parse(raw) as Partial<Record<keyof EditorPanels, unknown>>;
    // anything but an explicit `false` shows the panel: a damaged entry never hides one
    return { palette: stored.palette !== false, inspector: stored.inspector !== false };
  } catch {
    return ALL_SHOWN;
  }
}

/** The panels shown and a setter that remembers the choice. */
export function useEditorPanels(): [EditorPanels, (change: Partial<EditorPanels>) => void] {
  const [panels, setPanels] = useState(read);
  const set = useCallback((change: Partial<EditorPanels>) => {
    setPanels((before) => {
      const next = { ...before, ...change };
      try {
        pageLocalStorage()?.setItem(EDITOR_PANELS_KEY, JSON.stringify(next));
      } catch {
        // storage full or blocked: the choice holds until the editor closes
      }
      return next;
    });
  }, []);
  return [panels, set];
}
