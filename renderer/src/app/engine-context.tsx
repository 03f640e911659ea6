import { createContext, useContext, type ReactNode } from 'react';
import type { UploadResponse } from '../../../shared/ipc/host-contract';
import type { EngineClient } from '../transport/client';
import type { HostClient } from '../transport/host-api';

/** What the UI needs from its surroundings: the engine, the desktop host (null in a browser), uploads (browser only). */
export interface Environment {
  readonly engine: EngineClient;
  readonly host: HostClient | null;
  readonly upload: ((file: File) => Promise<UploadResponse>) | null;
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
