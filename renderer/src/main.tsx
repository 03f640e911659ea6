import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { EnvironmentProvider, type Environment } from './app/engine-context';
import { createClient } from './transport/client';
import { createElectronTransport } from './transport/electron';
import { hostClient } from './transport/host-api';
import { createWebTransport, takeToken, uploadFile } from './transport/web';
import './styles.css';

function environment(): Environment | string {
  const host = hostClient();
  if (host) return { engine: createClient(createElectronTransport()), host, upload: null };
  const token = takeToken();
  if (!token) return 'This page needs the address printed by `ferry serve` (it carries an access token).';
  return { engine: createClient(createWebTransport(token)), host: null, upload: (file) => uploadFile(file, token) };
}

const root = createRoot(document.getElementById('root')!);
const env = environment();
root.render(
  <StrictMode>
    {typeof env === 'string' ? (
      <p role="alert" className="error-box">
        {env}
      </p>
    ) : (
      <EnvironmentProvider value={env}>
        <App />
      </EnvironmentProvider>
    )}
  </StrictMode>,
);
