import { useCallback, useEffect, useRef, useState } from 'react';
import { hashFileInWorker } from '../../../workers/hashClient.ts';
import { isJobCancelled } from '../../core/jobs/errors.ts';
import type { Progress } from '../../core/jobs/progress.ts';

export type HashJobState =
  | { phase: 'idle' }
  | { phase: 'running'; fileName: string; progress: Progress | null }
  | { phase: 'done'; fileName: string; bytes: number; sha256: string; seconds: number }
  | { phase: 'cancelled'; fileName: string; progress: Progress | null }
  | { phase: 'failed'; fileName: string; message: string };

/** Owns one file-hashing job in the worker pool: start, progress, cancel (STYLE.md 2). */
export function useFileHash() {
  const [state, setState] = useState<HashJobState>({ phase: 'idle' });
  const controller = useRef<AbortController | null>(null);
  const lastProgress = useRef<Progress | null>(null);

  const start = useCallback(async (file: File) => {
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    lastProgress.current = null;
    const started = performance.now();
    setState({ phase: 'running', fileName: file.name, progress: null });
    try {
      const result = await hashFileInWorker(file, {
        signal: abort.signal,
        onProgress: (progress) => {
          if (abort.signal.aborted) return;
          lastProgress.current = progress;
          setState({ phase: 'running', fileName: file.name, progress });
        },
      });
      if (controller.current !== abort) return;
      setState({
        phase: 'done',
        fileName: file.name,
        bytes: result.bytes,
        sha256: result.sha256,
        seconds: (performance.now() - started) / 1000,
      });
    } catch (error) {
      if (controller.current !== abort) return;
      if (isJobCancelled(error)) {
        setState({ phase: 'cancelled', fileName: file.name, progress: lastProgress.current });
      } else {
        setState({
          phase: 'failed',
          fileName: file.name,
          message: error instanceof Error ? error.message : 'The job stopped unexpectedly.',
        });
      }
    }
  }, []);

  const cancel = useCallback(() => controller.current?.abort(), []);

  useEffect(() => () => controller.current?.abort(), []);

  return { state, start, cancel };
}
