/** The window: left navigation, the selected screen. Screens arrive with their issues; unbuilt ones say so plainly. */
import { useState } from 'react';
import { PreviewScreen } from '../features/preview/PreviewScreen';

const SCREENS = [
  { id: 'open', label: 'Open feed' },
  { id: 'feeds', label: 'Feeds' },
  { id: 'events', label: 'Events' },
  { id: 'search', label: 'Search' },
  { id: 'exports', label: 'Exports' },
  { id: 'reference', label: 'Reference' },
] as const;
type ScreenId = (typeof SCREENS)[number]['id'];

function Screen({ id }: { id: ScreenId }) {
  switch (id) {
    case 'open':
      return <PreviewScreen />;
    case 'feeds':
    case 'events':
    case 'search':
    case 'exports':
    case 'reference':
      return (
        <section className="screen">
          <p className="muted">This part of Ferry is not built yet.</p>
        </section>
      );
    default: {
      const exhaustive: never = id;
      return exhaustive;
    }
  }
}

export function App() {
  const [screen, setScreen] = useState<ScreenId>('open');
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">Ferry</span>
      </header>
      <nav className="sidenav" aria-label="Main">
        <ul>
          {SCREENS.map((s) => (
            <li key={s.id}>
              <button type="button" aria-current={screen === s.id ? 'page' : undefined} onClick={() => setScreen(s.id)}>
                {s.label}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content">
        <Screen id={screen} />
      </main>
    </div>
  );
}
