/** Which screen is shown and what it was opened on (a feed filter, an event, an import report). */
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';

/** What the Events screen hands to a new export: its facets, or the events chosen there. */
export interface ExportPreset {
  /** Said in the form, e.g. "the 3 events tagged tlp:white" or an event's title. */
  readonly label: string;
  readonly events?: readonly string[];
  readonly origin?: number;
  readonly tag?: string;
  readonly org?: string;
  readonly dateFrom?: string;
  readonly dateUntil?: string;
}

export type Route =
  | { readonly screen: 'feeds' }
  | { readonly screen: 'wizard' }
  | { readonly screen: 'events'; readonly feedId?: number; readonly eventUuid?: string }
  | { readonly screen: 'imports'; readonly importId?: number }
  | { readonly screen: 'search' }
  /** `jobId`: open the result of that export job (from the top bar); `preset`: a new export of those events. */
  | { readonly screen: 'exports'; readonly jobId?: number; readonly preset?: ExportPreset }
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
