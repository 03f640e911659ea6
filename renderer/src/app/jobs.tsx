/**
 * Long work (fetch and cache imports) runs as jobs owned by the window, not by a screen: the analyst can leave the
 * wizard while an import runs, watch it in the top bar, cancel it, and open its report when it is done. What the
 * import stores reaches the lists through `library.changed` (live-queries.ts), not through the job.
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import type { IpcError } from '../../../shared/ipc/envelope';
import type { ProgressEvent } from '../../../shared/ipc/wire';
import { useEnvironment } from './engine-context';
import type { ImportReport, ImportRequest } from './types';

export type JobStatus = 'running' | 'done' | 'failed' | 'cancelled';

export interface ImportJob {
  readonly id: number;
  /** What the job is about, e.g. "Fetch tweetfeed". */
  readonly title: string;
  readonly request: ImportRequest;
  readonly status: JobStatus;
  readonly progress: ProgressEvent | null;
  readonly report: ImportReport | null;
  readonly error: IpcError | null;
  /** The user closed its notice in the top bar. */
  readonly dismissed: boolean;
}

interface Jobs {
  readonly jobs: readonly ImportJob[];
  startImport(request: ImportRequest, title: string): number;
  cancel(id: number): void;
  dismiss(id: number): void;
}

const JobsContext = createContext<Jobs | null>(null);

function finished(job: ImportJob, result: { ok: true; value: ImportReport } | { ok: false; error: IpcError }): ImportJob {
  if (result.ok) return { ...job, status: result.value.status, report: result.value };
  return { ...job, status: result.error.code === 'cancelled' ? 'cancelled' : 'failed', error: result.error };
}

export function JobsProvider({ children }: { children: ReactNode }) {
  const { engine } = useEnvironment();
  const [jobs, setJobs] = useState<readonly ImportJob[]>([]);
  const controllers = useRef(new Map<number, AbortController>());
  const nextId = useRef(1);

  const update = useCallback((id: number, change: (job: ImportJob) => ImportJob) => {
    setJobs((all) => all.map((j) => (j.id === id ? change(j) : j)));
  }, []);

  const startImport = useCallback(
    (request: ImportRequest, title: string) => {
      const id = nextId.current++;
      const controller = new AbortController();
      controllers.current.set(id, controller);
      setJobs((all) => [...all, { id, title, request, status: 'running', progress: null, report: null, error: null, dismissed: false }]);
      void engine
        .call('feeds.import', request, { signal: controller.signal, onProgress: (progress) => update(id, (j) => ({ ...j, progress })) })
        .then((result) => {
          controllers.current.delete(id);
          update(id, (j) => finished(j, result));
        });
      return id;
    },
    [engine, update],
  );

  const cancel = useCallback((id: number) => controllers.current.get(id)?.abort(), []);
  const dismiss = useCallback((id: number) => update(id, (j) => ({ ...j, dismissed: true })), [update]);

  const value = useMemo(() => ({ jobs, startImport, cancel, dismiss }), [jobs, startImport, cancel, dismiss]);
  return <JobsContext.Provider value={value}>{children}</JobsContext.Provider>;
}

export function useJobs(): Jobs {
  const jobs = useContext(JobsContext);
  if (!jobs) throw new Error('useJobs outside JobsProvider');
  return jobs;
}

export function useJob(id: number | null): ImportJob | null {
  const { jobs } = useJobs();
  return id === null ? null : (jobs.find((j) => j.id === id) ?? null);
}

/** Percent done, or null while the total is unknown. */
export function jobPercent(progress: ProgressEvent | null): number | null {
  if (!progress || progress.total === null || progress.total <= 0) return null;
  return Math.min(100, Math.round((progress.done / progress.total) * 100));
}
