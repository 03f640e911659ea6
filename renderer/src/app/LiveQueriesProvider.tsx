/** The window's query cache (live-queries.ts), connected to the engine's `library.changed` for as long as it is shown. */
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { useEnvironment } from './engine-context';
import { connectLiveQueries, createQueryClient } from './live-queries';

export function LiveQueriesProvider({ children, client }: { children: ReactNode; client?: QueryClient }) {
  const { engine } = useEnvironment();
  const [queryClient] = useState(() => client ?? createQueryClient());
  useEffect(() => connectLiveQueries(engine, queryClient), [engine, queryClient]);
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
