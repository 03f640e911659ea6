/** Which screen is shown and what it was opened on (a feed filter, an event, an import report). */
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';

export type Route =
  | { readonly screen: 'feeds' }
  | { readonly screen: 'wizard' }
  | { readonly screen: 'events'; readonly feedId?: number; readonly eventUuid?: string }
  | { readonly screen: 'imports'; readonly importId?: number }
  | { readonly screen: 'search' }
  /** `jobId`: open the result of that export job (from the top bar). */
  | { readonly screen: 'exports'; readonly jobId?: number }
  | { readonly screen: 'reference' };

export type ScreenId = Route['screen'];

interface Navigation {
  readonly route: Route;
  go(route: Route): void;
}

const NavigationContext = createContext<Navigation | null>(null);

export function NavigationProvider({ initial = { screen: 'feeds' }, children }: { initial?: Route; children: ReactNode }) {
  const [route, go] = useState<Route>(initial);
  const value = useMemo(() => ({ route, go }), [route]);
  return <NavigationContext.Provider value={value}>{children}</NavigationContext.Provider>;
}

/** Outside a provider (a screen rendered alone in a test) navigation does nothing. */
const DETACHED: Navigation = { route: { screen: 'feeds' }, go: () => {} };

export function useNavigation(): Navigation {
  return useContext(NavigationContext) ?? DETACHED;
}
