import { useCallback, useEffect, useRef, useState } from 'react';
import type { ProjectFileProgress } from '../../../workers/projectFileApi.ts';
import { readProjectFileInWorker } from '../../../workers/projectFileClient.ts';
import { byteSizeWords } from '../../core/byteSize/index.ts';
import { isJobCancelled } from '../../core/jobs/errors.ts';
// files above it are refused before reading: a project holds no raw extracts
import { MAX_PROJECT_FILE_BYTES } from '../../formats/project.ts';
import type { ProjectSession } from './projectSession.ts';

/** What the import shows while it runs. */
export type ProjectImportState =
  | { phase: 'idle' }
  | { phase: 'running'; fileName: string; progress: ProjectFileProgress | null };

/**
 * Owns one project-file import (its only owner): the worker reads, parses and checks the file with
 * progress and cancel; the session only stores the checked result, or shows why it was refused.
 */
export function useProjectImport(session: ProjectSession) {
  const [state, setState] = useState<ProjectImportState>({ phase: 'idle' });
  const controller = useRef<AbortController | null>(null);

  const start = useCallback(
    async (file: File) => {
      controller.current?.abort();
      if (file.size > MAX_PROJECT_FILE_BYTES) {
        session.refuse(
          `“${file.name}” was not imported: at ${byteSizeWords(file.size)} it is too large to be a Preflight project file (projects hold no raw extracts). Nothing stored was changed.`,
        );
        return;
      }
      const abort = new AbortController();
      controller.current = abort;
      setState({ phase: 'running', fileName: file.name, progress: null });
      try {
        const result = await readProjectFileInWorker(file, {
          signal: abort.signal,
          onProgress: (progress) => {
            if (!abort.signal.aborted) setState({ phase: 'running', fileName: file.name, progress });
          },
        });
        if (controller.current !== abort) return;
        await session.importChecked(file.name, result);
      } catch (error) {
        if (controller.current !== abort) return;
        if (isJobCancelled(error)) {
          session.inform(`Import of “${file.name}” cancelled. Nothing stored was changed.`);
        } else {
          const reason = error instanceof Error ? error.message : 'The import stopped unexpectedly.';
          session.refuse(`“${file.name}” was not imported: ${reason} Nothing stored was changed.`);
        }
      } finally {
        if (controller.current === abort) {
          controller.current = null;
          setState({ phase: 'idle' });
        }
      }
    },
    [session],
  );

  const cancel = useCallback(() => controller.current?.abort(), []);

  useEffect(() => () => controller.current?.abort(), []);

  return { state, start, cancel };
}
