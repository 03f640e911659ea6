/** The window: top bar (with background work), left navigation, the selected screen. */
import { useEffect } from 'react';
import { EventsScreen } from '../features/event/EventsScreen';
import { ExportsScreen } from '../features/exports/ExportsScreen';
import { FeedsScreen } from '../features/feeds/FeedsScreen';
import { ImportHistoryScreen } from '../features/imports/ImportHistoryScreen';
import { ImportWizard } from '../features/wizard/ImportWizard';
import { WizardProvider } from '../features/wizard/wizard-state';
import { JobsIndicator } from './JobsIndicator';
import { JobsProvider } from './jobs';
import { LiveQueriesProvider } from './LiveQueriesProvider';
import { NavigationProvider, useNavigation, type Route, type ScreenId } from './navigation';

const SCREENS: readonly { id: ScreenId; label: string }[] = [
  { id: 'feeds', label: 'Feeds' },
  { id: 'wizard', label: 'Open feed' },
  { id: 'events', label: 'Events' },
  { id: 'imports', label: 'Imports' },
  { id: 'search', label: 'Search' },
  { id: 'exports', label: 'Exports' },
  { id: 'reference', label: 'Reference' },
];

function Screen({ route }: { route: Route }) {
  switch (route.screen) {
    case 'feeds':
      return <FeedsScreen />;
    case 'wizard':
      return <ImportWizard />;
    case 'events':
      return <EventsScreen feedId={route.feedId ?? null} eventUuid={route.eventUuid ?? null} />;
    case 'imports':
      return <ImportHistoryScreen importId={route.importId ?? null} />;
    case 'exports':
      return <ExportsScreen />;
    case 'search':
    case 'reference':
      return (
        <section className="screen">
          <p className="muted">This part of Ferry is not built yet.</p>
        </section>
      );
    default: {
      const exhaustive: never = route;
      return exhaustive;
    }
  }
}

/** `/` jumps to the current screen's search box, as in MISP's and most analyst tools' lists. */
function useSlashToSearch() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement;
      if (t.closest('input, textarea, select, [contenteditable="true"]')) return;
      const box = document.querySelector<HTMLInputElement>('main [data-search]');
      if (!box) return;
      e.preventDefault();
      box.focus();
      box.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

function Shell() {
  const { route, go } = useNavigation();
  useSlashToSearch();
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">Ferry</span>
        <JobsIndicator />
      </header>
      <nav className="sidenav" aria-label="Main">
        <ul>
          {SCREENS.map((s) => (
            <li key={s.id}>
              <button type="button" aria-current={route.screen === s.id ? 'page' : undefined} onClick={() => go({ screen: s.id } as Route)}>
                {s.label}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content">
        {/* Keyed by the route: opening Events on another feed starts that screen afresh. */}
        <Screen key={JSON.stringify(route)} route={route} />
      </main>
    </div>
  );
}

export function App({ initialRoute }: { initialRoute?: Route }) {
  return (
    <LiveQueriesProvider>
      <NavigationProvider initial={initialRoute}>
        <JobsProvider>
          <WizardProvider>
            <Shell />
          </WizardProvider>
        </JobsProvider>
      </NavigationProvider>
    </LiveQueriesProvider>
  );
}
