/**
 * Feeds: one row per feed with its status; the pane on the right shows the selected feed, or the form being filled
 * (add, edit, remove, metadata import). Long work started here (fetch, cache) runs as a job in the top bar.
 */
import { useCallback, useState } from 'react';
import { useEngineQuery } from '../../app/engine-query';
import { useNavigation } from '../../app/navigation';
import type { FeedSummary } from '../../app/types';
import { SplitView } from '../../components/SplitView';
import { useWizard } from '../wizard/wizard-state';
import { FeedDetails } from './FeedDetails';
import { FeedForm } from './FeedForm';
import { FeedsTable, type FeedPaneRequest } from './FeedsTable';
import { MetadataImportPanel, type MetadataPanelKind } from './MetadataImportPanel';
import { RemoveFeedPanel } from './RemoveFeedPanel';
import { useFeedCommands } from './feed-commands';

type Pane =
  | { readonly kind: 'none' }
  | { readonly kind: 'add' }
  | { readonly kind: FeedPaneRequest; readonly id: number }
  | { readonly kind: MetadataPanelKind };

interface Notice {
  readonly text: string;
  readonly failed: boolean;
}

export function FeedsScreen() {
  const feeds = useEngineQuery('feeds.list', {});
  const [pane, setPane] = useState<Pane>({ kind: 'none' });
  const [notice, setNotice] = useState<Notice | null>(null);
  const wizard = useWizard();
  const { go } = useNavigation();
  const reload = feeds.reload;
  const report = useCallback((text: string, failed = false) => setNotice({ text, failed }), []);
  const commands = useFeedCommands(report, reload);
  const list = feeds.data ?? [];
  const paneFeed = 'id' in pane ? list.find((f) => f.id === pane.id) : undefined;
  const openPane = useCallback((feed: FeedSummary, kind: FeedPaneRequest) => setPane({ kind, id: feed.id }), []);
  const close = () => setPane({ kind: 'none' });

  const detail = (() => {
    switch (pane.kind) {
      case 'none':
        return null;
      case 'add':
        return (
          <FeedForm
            key="add"
            onCancel={close}
            onSaved={(f) => {
              report(`Added feed ${f.settings.name}.`);
              setPane({ kind: 'details', id: f.id });
              reload();
            }}
          />
        );
      case 'details':
        return paneFeed ? <FeedDetails feed={paneFeed} commands={commands} open={(kind) => setPane({ kind, id: paneFeed.id })} onClose={close} /> : null;
      case 'edit':
        return paneFeed ? (
          <FeedForm
            key={`edit-${paneFeed.id}`}
            feed={paneFeed}
            onCancel={() => setPane({ kind: 'details', id: paneFeed.id })}
            onSaved={(f) => {
              report(`Saved feed ${f.settings.name}.`);
              setPane({ kind: 'details', id: f.id });
              reload();
            }}
          />
        ) : null;
      case 'remove':
        return paneFeed ? (
          <RemoveFeedPanel
            feed={paneFeed}
            onCancel={() => setPane({ kind: 'details', id: paneFeed.id })}
            onRemoved={(message) => {
              report(message);
              close();
              reload();
            }}
          />
        ) : null;
      case 'metadata':
      case 'defaults':
        return <MetadataImportPanel key={pane.kind} kind={pane.kind} onImported={reload} onClose={close} />;
      default: {
        const exhaustive: never = pane;
        return exhaustive;
      }
    }
  })();

  return (
    <section className="screen" aria-labelledby="feeds-title">
      <header className="screen-header">
        <h1 id="feeds-title">Feeds</h1>
        <span className="muted">{feeds.data ? `${list.length} feed${list.length === 1 ? '' : 's'}` : ''}</span>
        <div className="toolbar" role="toolbar" aria-label="Feed actions">
          <button type="button" onClick={() => setPane({ kind: 'add' })}>
            Add feed…
          </button>
          <button
            type="button"
            onClick={() => {
              wizard.reset();
              go({ screen: 'wizard' });
            }}
          >
            Open folder or zip…
          </button>
          <button type="button" onClick={() => setPane({ kind: 'metadata' })}>
            Import feed metadata…
          </button>
          <button type="button" onClick={() => setPane({ kind: 'defaults' })}>
            Load default feed list…
          </button>
          <button type="button" disabled={list.length === 0} onClick={() => void commands.exportMetadata('all')}>
            Export all metadata
          </button>
        </div>
      </header>
      {notice && (
        <p role={notice.failed ? 'alert' : 'status'} className={notice.failed ? 'notice error-text' : 'notice'}>
          {notice.text}
          <button type="button" className="icon" aria-label="Dismiss message" onClick={() => setNotice(null)}>
            ×
          </button>
        </p>
      )}
      {feeds.error && (
        <p role="alert" className="error-box">
          Cannot list the feeds: {feeds.error.message}
        </p>
      )}
      <SplitView
        id="feeds"
        detailLabel="Feed pane"
        defaultWidth={460}
        detail={detail}
        onClose={close}
        list={<FeedsTable feeds={list} activeId={paneFeed?.id ?? null} commands={commands} onOpen={openPane} />}
      />
    </section>
  );
}
