import type { AddressInfo } from 'node:net';
import { Controls, type FailureRule } from './failures.ts';
import { buildServer } from './server.ts';
import type { SandboxModule } from './module.ts';
import { SANDBOX_MODULES } from './modules.ts';
import { createStore, type SandboxState, type Service } from './state.ts';

export type { FailureRule } from './failures.ts';
export type * from './state.ts';

export interface SandboxOptions {
  /** 0 = random free port (the default). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  logger?: boolean;
  /** Default: the sandbox module of every registered integration. */
  modules?: readonly SandboxModule[];
}

export interface Sandbox {
  /** http://127.0.0.1:PORT */
  url: string;
  /** `${url}/slack/api/`, the @slack/web-api `slackApiUrl` form (trailing slash). */
  slackApiUrl: string;
  /** `${url}/zendesk`; clients append /api/v2/… */
  zendeskUrl: string;
  /** `${url}/freshdesk`; clients append /api/v2/… */
  freshdeskUrl: string;
  /** `${url}/${service}`: the origin that replaces a helpdesk's real one (clients append its API paths). */
  urlOf(service: Service): string;
  /** One module's live records (read again after reset(): it gives the module fresh ones). */
  stateOf<S extends object>(module: SandboxModule<S>): S;
  /** Live, in-memory records (the same object across reset()). */
  state: SandboxState;
  /** Queue a failure; rules apply in order, each to `times` matching requests (default 1). */
  fail(rule: FailureRule): void;
  /** Answer every request of a service after `ms` (benchmarks). */
  setLatency(service: Service, ms: number): void;
  /** Clear state, queued failures and latency. */
  reset(): void;
  /** Polls state until the predicate returns something truthy, and resolves with it. */
  waitFor<T>(predicate: (s: SandboxState) => T | undefined | false, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const modules = opts.modules ?? SANDBOX_MODULES;
  const store = createStore(modules);
  const controls = new Controls();
  const app = buildServer(store, controls, modules, opts.logger ?? false);
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ port: opts.port ?? 0, host });
  const { port } = app.server.address() as AddressInfo;
  const publicHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${publicHost}:${port}`;

  return {
    url,
    slackApiUrl: `${url}/slack/api/`,
    zendeskUrl: `${url}/zendesk`,
    freshdeskUrl: `${url}/freshdesk`,
    urlOf: (service) => `${url}/${service}`,
    stateOf: <S extends object>(module: SandboxModule<S>) => store.state[module.service] as S,
    state: store.state,
    fail: (rule) => controls.add(rule),
    setLatency: (service, ms) => {
      controls.latency[service] = ms;
    },
    reset: () => {
      store.reset();
      controls.reset();
    },
    async waitFor<T>(predicate: (s: SandboxState) => T | undefined | false, timeoutMs = 5000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = predicate(store.state);
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`sandbox.waitFor: condition not met within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      controls.shutdown();
      await app.close();
    },
  };
}
