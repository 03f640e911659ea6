/**
 * The import wizard's state, kept by the window rather than the wizard screen: leaving the wizard (to look at the
 * events while a fetch runs) and coming back finds it where it was. Other screens open it on a path (a feed's
 * "Preview") with `openSource`.
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import type { IpcError } from '../../../../shared/ipc/envelope';
import { useEnvironment } from '../../app/engine-context';
import { useJobs } from '../../app/jobs';
import type { FeedPreview, ImportMode, ImportRequest } from '../../app/types';

export const WIZARD_STEPS = [
  { id: 'source', label: 'Source' },
  { id: 'preview', label: 'Events' },
  { id: 'destination', label: 'Fetch or cache' },
  { id: 'progress', label: 'Progress' },
  { id: 'report', label: 'Report' },
] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number]['id'];

/** Which feed the import belongs to: found by path or created (auto), an existing one, or a new one by name. */
export type FeedChoice = { readonly kind: 'auto' } | { readonly kind: 'existing'; readonly id: number } | { readonly kind: 'new'; readonly name: string };

export interface WizardState {
  readonly step: WizardStep;
  readonly opening: boolean;
  readonly openError: IpcError | null;
  readonly preview: FeedPreview | null;
  /** Event uuids ticked for fetch; all of them after opening. */
  readonly selected: ReadonlySet<string>;
  readonly search: string;
  /** The event shown read-only in the detail pane. */
  readonly openedEvent: string | null;
  readonly mode: ImportMode;
  readonly feed: FeedChoice;
  readonly jobId: number | null;
  /** The analyst chose to import a feed whose checksums or signature do not match. */
  readonly acceptAltered: boolean;
}

interface Wizard {
  readonly state: WizardState;
  openSource(path: string, preset?: Preset): Promise<void>;
  /** A fresh wizard with the feed and mode chosen, waiting for a source (a network feed's local copy). */
  begin(preset: Preset): void;
  goTo(step: WizardStep): void;
  setSelected(selected: ReadonlySet<string>): void;
  setSearch(search: string): void;
  openEvent(uuid: string | null): void;
  setMode(mode: ImportMode): void;
  setFeed(feed: FeedChoice): void;
  setAcceptAltered(accept: boolean): void;
  /** Starts the import as a job and moves to the progress step. */
  start(feedLabel: string): void;
  reset(): void;
}

const INITIAL: WizardState = {
  step: 'source',
  opening: false,
  openError: null,
  preview: null,
  selected: new Set(),
  search: '',
  openedEvent: null,
  mode: 'fetch',
  feed: { kind: 'auto' },
  jobId: null,
  acceptAltered: false,
};

/** The request the wizard's choices stand for; `events` only when a subset is ticked (all otherwise). */
export function importRequest(state: WizardState): ImportRequest | null {
  if (!state.preview) return null;
  const feed = state.feed;
  const base: ImportRequest = { source: state.preview.source.path, mode: state.mode, ...(state.acceptAltered ? { acceptAltered: true } : {}) };
  const withFeed: ImportRequest =
    feed.kind === 'existing' ? { ...base, feedId: feed.id } : feed.kind === 'new' ? { ...base, feedName: feed.name.trim() } : base;
  const all = state.preview.events;
  if (state.mode === 'cache' || state.selected.size === all.length) return withFeed;
  return { ...withFeed, events: all.filter((e) => state.selected.has(e.uuid)).map((e) => e.uuid) };
}

interface Preset {
  readonly feed?: FeedChoice;
  readonly mode?: ImportMode;
}

function fresh(preset: Preset): WizardState {
  return { ...INITIAL, feed: preset.feed ?? INITIAL.feed, mode: preset.mode ?? INITIAL.mode };
}

const WizardContext = createContext<Wizard | null>(null);

export function WizardProvider({ children }: { children: ReactNode }) {
  const { engine } = useEnvironment();
  const jobs = useJobs();
  const [state, setState] = useState<WizardState>(INITIAL);
  const opened = useRef(0);
  const patch = useCallback((p: Partial<WizardState>) => setState((s) => ({ ...s, ...p })), []);

  const openSource = useCallback(
    async (path: string, preset: Preset = {}) => {
      const ticket = ++opened.current;
      setState({ ...fresh(preset), opening: true });
      const result = await engine.call('feeds.preview', { source: path });
      if (ticket !== opened.current) return;
      if (result.ok) patch({ opening: false, preview: result.value, selected: new Set(result.value.events.map((e) => e.uuid)) });
      else patch({ opening: false, openError: result.error });
    },
    [engine, patch],
  );

  const start = useCallback(
    (feedLabel: string) => {
      const request = importRequest(state);
      if (!request) return;
      const verb = request.mode === 'cache' ? 'Cache' : 'Fetch';
      const jobId = jobs.startImport(request, `${verb} ${feedLabel}`);
      patch({ jobId, step: 'progress' });
    },
    [jobs, patch, state],
  );

  const value = useMemo<Wizard>(
    () => ({
      state,
      openSource,
      begin: (preset) => {
        opened.current++;
        setState(fresh(preset));
      },
      goTo: (step) => patch({ step }),
      setSelected: (selected) => patch({ selected }),
      setSearch: (search) => patch({ search }),
      openEvent: (openedEvent) => patch({ openedEvent }),
      setMode: (mode) => patch({ mode }),
      setFeed: (feed) => patch({ feed }),
      setAcceptAltered: (acceptAltered) => patch({ acceptAltered }),
      start,
      reset: () => {
        opened.current++;
        setState(INITIAL);
      },
    }),
    [state, openSource, patch, start],
  );
  return <WizardContext.Provider value={value}>{children}</WizardContext.Provider>;
}

export function useWizard(): Wizard {
  const wizard = useContext(WizardContext);
  if (!wizard) throw new Error('useWizard outside WizardProvider');
  return wizard;
}
