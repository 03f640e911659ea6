/** Mount a screen (or the whole window) with the providers it lives in (a fresh query cache each time), talking to a fake engine. */
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { HostClient } from '../../../shared/ipc/host-contract';
import { EnvironmentProvider } from '../../../renderer/src/app/engine-context';
import { JobsProvider } from '../../../renderer/src/app/jobs';
import { LiveQueriesProvider } from '../../../renderer/src/app/LiveQueriesProvider';
import { NavigationProvider, type Route } from '../../../renderer/src/app/navigation';
import { WizardProvider } from '../../../renderer/src/features/wizard/wizard-state';
import { App } from '../../../renderer/src/app/App';
import { createClient } from '../../../renderer/src/transport/client';
import type { FakeHandlers } from '../../../renderer/src/transport/fake';
import { createScriptedTransport, type ScriptedTransport } from './scripted-transport';

export function renderWithEngine(ui: ReactElement, handlers: FakeHandlers, route: Route = { screen: 'feeds' }, host: HostClient | null = null): ScriptedTransport {
  const transport = createScriptedTransport(handlers);
  render(
    <EnvironmentProvider value={{ engine: createClient(transport), host, upload: null }}>
      <LiveQueriesProvider>
        <NavigationProvider initial={route}>
          <JobsProvider>
            <WizardProvider>{ui}</WizardProvider>
          </JobsProvider>
        </NavigationProvider>
      </LiveQueriesProvider>
    </EnvironmentProvider>,
  );
  return transport;
}

/** The inputs sent on one channel, in order. */
export function inputsOf(transport: { calls: { channel: string; input: unknown }[] }, channel: string): unknown[] {
  return transport.calls.filter((c) => c.channel === channel).map((c) => c.input);
}

/** The whole window (top bar, navigation, screens) on a fake engine. */
export function renderApp(handlers: FakeHandlers, route: Route = { screen: 'feeds' }): ScriptedTransport {
  const transport = createScriptedTransport(handlers);
  render(
    <EnvironmentProvider value={{ engine: createClient(transport), host: null, upload: null }}>
      <App initialRoute={route} />
    </EnvironmentProvider>,
  );
  return transport;
}
