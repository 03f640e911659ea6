/**
 * What can be done to a feed, as commands: the row menu, the feed pane's buttons and (later) the command palette all
 * call these, so they behave the same everywhere.
 */
import { useEnvironment } from '../../app/engine-context';
import { useJobs } from '../../app/jobs';
import { useNavigation } from '../../app/navigation';
import type { FeedSummary, ImportMode } from '../../app/types';
import { downloadText, safeFileName } from '../../components/download';
import { useWizard } from '../wizard/wizard-state';

/** Where a feed's files can be read from on this machine: the last folder or zip used, or its local path. */
export function localSource(feed: FeedSummary): string | null {
  if (feed.status.lastSource) return feed.status.lastSource;
  return feed.settings.inputSource === 'local' && feed.settings.sourceFormat === 'misp' ? feed.settings.url : null;
}

export interface FeedCommands {
  preview(feed: FeedSummary): void;
  run(feed: FeedSummary, mode: ImportMode): void;
  setEnabled(feed: FeedSummary, enabled: boolean): Promise<void>;
  setCaching(feed: FeedSummary, cachingEnabled: boolean): Promise<void>;
  exportMetadata(feeds: readonly FeedSummary[] | 'all'): Promise<void>;
  showEvents(feed: FeedSummary): void;
}

/** `report` shows a one-line outcome (or failure) in the screen's status line; `changed` reloads the feed list. */
export function useFeedCommands(report: (message: string, failed?: boolean) => void, changed: () => void): FeedCommands {
  const { engine } = useEnvironment();
  const jobs = useJobs();
  const wizard = useWizard();
  const { go } = useNavigation();

  const setFlag = async (feed: FeedSummary, change: { enabled: boolean } | { cachingEnabled: boolean }) => {
    const result = await engine.call('feeds.setEnabled', { id: feed.id, ...change });
    if (!result.ok) report(`${feed.settings.name}: ${result.error.message}`, true);
    changed();
  };

  return {
    preview(feed) {
      const source = localSource(feed);
      const preset = { feed: { kind: 'existing', id: feed.id } } as const;
      if (source) void wizard.openSource(source, preset);
      else wizard.begin(preset);
      go({ screen: 'wizard' });
    },
    run(feed, mode) {
      const source = localSource(feed);
      if (!source) {
        // A network feed: its files must come from a folder or zip the analyst brings; the wizard asks for it.
        wizard.begin({ feed: { kind: 'existing', id: feed.id }, mode });
        go({ screen: 'wizard' });
        return;
      }
      jobs.startImport({ source, feedId: feed.id, mode }, `${mode === 'fetch' ? 'Fetch' : 'Cache'} ${feed.settings.name}`);
      report(`${mode === 'fetch' ? 'Fetching' : 'Caching'} ${feed.settings.name} from ${source}; progress is in the top bar.`);
    },
    setEnabled: (feed, enabled) => setFlag(feed, { enabled }),
    setCaching: (feed, cachingEnabled) => setFlag(feed, { cachingEnabled }),
    async exportMetadata(feeds) {
      const result = await engine.call('feeds.exportMetadata', feeds === 'all' ? {} : { ids: feeds.map((f) => f.id) });
      if (!result.ok) return report(`Export failed: ${result.error.message}`, true);
      const one = feeds !== 'all' && feeds.length === 1 ? feeds[0] : undefined;
      const name = one ? `${safeFileName(one.settings.name)}.feed-metadata.json` : 'feed-metadata.json';
      downloadText(name, result.value.json);
      report(`Exported the metadata of ${result.value.count} feed${result.value.count === 1 ? '' : 's'} as ${name}.`);
    },
    showEvents(feed) {
      go({ screen: 'events', feedId: feed.id });
    },
  };
}
