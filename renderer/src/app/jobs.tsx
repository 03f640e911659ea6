/**
 * Long work (fetch and cache imports, exports) runs as jobs owned by the window, not by a screen: the analyst can
 * leave the wizard or the export form while the work runs, watch it in the top bar, cancel it, and open its report
 * when it is done. What the work stores reaches the lists through `library.changed` (live-queries.ts), not through
 * the job.
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import type { IpcError } from '../../../shared/ipc/envelope';
import type { ProgressEvent } from '../../../shared/ipc/wire';
import { useEnvironment } from './engine-context';
import type { ExportReport, ExportRequest, ImportReport, ImportRequest } from './types';

export type JobStatus = 'running' | 'done' | 'failed' | 'cancelled';

interface JobBase {
  readonly id: number;
  /** What the job is about, e.g. "Fetch tweetfeed". */
  readonly title: string;
  readonly status: JobStatus;
  readonly progress: ProgressEvent | null;
  readonly error: IpcError | null;
  /** The user closed its notice in the top bar. */
  readonly dismissed: boolean;
}

export interface ImportJob extends JobBase {
  readonly kind: 'import';
  readonly request: ImportRequest;
  readonly report: ImportReport | null;
}

export interface ExportJob extends JobBase {
  readonly kind: 'export';
  readonly request: ExportRequest;
  readonly report: ExportReport | null;
}

export type Job = ImportJob | ExportJob;

interface Jobs {
  readonly jobs: readonly Job[];
  startImport(request: ImportRequest, title: string): number;
  startExport(request: ExportRequest, title: string): number;
  cancel(id: number): void;
  dismiss(id: number): void;
}

const JobsContext = createContext<Jobs | null>(null);

type Outcome<R> = { ok: true; value: R } | { ok: false; error: IpcError };

function failed<J extends Job>(job: J, error: IpcError): J {
  return { ...job, status: error.code === 'cancelled' ? 'cancelled' : 'failed', error };
}

function importFinished(job: ImportJob, result: Outcome<ImportReport>): ImportJob {
  return result.ok ? { ...job, status: result.value.status, report: result.value } : failed(job, result.error);
}

function exportFinished(job: ExportJob, result: Outcome<ExportReport>): ExportJob {
  return result.ok ? { ...job, status: 'done', report: result.value } : failed(job, result.error);
}

export function JobsProvider({ children }: { children: ReactNode }) {
  const { engine } = useEnvironment();
  const [jobs, setJobs] = useState<readonly Job[]>([]);
  const controllers = useRef(new Map<number, AbortController>());
  const nextId = useRef(1);

  const update = useCallback((id: number, change: (job: Job) => Job) => {
    setJobs((all) => all.map((j) => (j.id === id ? change(j) : j)));
  }, []);

  /** Registers a job and its controller; `run` starts the engine call and says how it ended. */
  const start = useCallback(
    (job: Omit<Job, 'id' | 'status' | 'progress' | 'report' | 'error' | 'dismissed'>, run: (id: number, signal: AbortSignal, onProgress: (p: ProgressEvent) => void) => Promise<(j: Job) => Job>) => {
      const id = nextId.current++;
      const controller = new AbortController();
      controllers.current.set(id, controller);
      setJobs((all) => [...all, { ...job, id, status: 'running', progress: null, report: null, error: null, dismissed: false } as Job]);
      void run(id, controller.signal, (progress) => update(id, (j) => ({ ...j, progress }))).then((finish) => {
        controllers.current.delete(id);
        update(id, finish);
      });
      return id;
    },
    [update],
  );

  const startImport = useCallback(
    (request: ImportRequest, title: string) =>
      start({ kind: 'import', title, request }, async (_id, signal, onProgress) => {
        const result = await engine.call('feeds.import', request, { signal, onProgress });
        return (j) => (j.kind === 'import' ? importFinished(j, result) : j);
      }),
    [engine, start],
  );

  const startExport = useCallback(
    (request: ExportRequest, title: string) =>
      start({ kind: 'export', title, request }, async (_id, signal, onProgress) => {
        const result = await engine.call('export.run', request, { signal, onProgress });
        return (j) => (j.kind === 'export' ? exportFinished(j, result) : j);
      }),
    [engine, start],
  );

  const cancel = useCallback((id: number) => controllers.current.get(id)?.abort(), []);
  const dismiss = useCallback((id: number) => update(id, (j) => ({ ...j, dismissed: true })), [update]);

  const value = useMemo(() => ({ jobs, startImport, startExport, cancel, dismiss }), [jobs, startImport, startExport, cancel, dismiss]);
  return <JobsContext.Provider value={value}>{children}</JobsContext.Provider>;
}

export function useJobs(): Jobs {
  const jobs = useContext(JobsContext);
  if (!jobs) throw new Error('useJobs outside JobsProvider');
  return jobs;
}

export function useImportJob(id: number | null): ImportJob | null {
  const { jobs } = useJobs();
  const job = id === null ? undefined : jobs.find((j) => j.id === id);
  return job?.kind === 'import' ? job : null;
}

export function useExportJob(id: number | null): ExportJob | null {
  const { jobs } = useJobs();
  const job = id === null ? undefined : jobs.find((j) => j.id === id);
  return job?.kind === 'export' ? job : null;
}

/** Percent done, or null while the total is unknown. */
export function jobPercent(progress: ProgressEvent | null): number | null {
  if (!progress || progress.total === null || progress.total <= 0) return null;
  return Math.min(100, Math.round((progress.done / progress.total) * 100));
}
