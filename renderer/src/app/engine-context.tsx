import { createContext, useContext, type ReactNode } from 'react';
import type { EngineClient } from '../transport/client';
import type { HostApi } from '../transport/host-api';

/** What the UI needs from its surroundings: the engine, the desktop host (null in a browser), uploads (browser only). */
export interface Environment {
  readonly engine: EngineClient;
  readonly host: HostApi | null;
  readonly upload: ((file: File) => Promise<{ path: string } | { error: string }>) | null;
}

const EnvironmentContext = createContext<Environment | null>(null);

export function EnvironmentProvider({ value, children }: { value: Environment; children: ReactNode }) {
  return <EnvironmentContext.Provider value={value}>{children}</EnvironmentContext.Provider>;
}

export function useEnvironment(): Environment {
  const env = useContext(EnvironmentContext);
  if (!env) throw new Error('useEnvironment outside EnvironmentProvider');
  return env;
}
