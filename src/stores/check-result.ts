import type { Config } from '../config-shape.ts';
import type { StoreRecord } from './store-directory.ts';

/** What POST /stores/:id/integrations/:type/test answers (DESIGN §3): a fact, or a sentence saying what is wrong. */
export type CheckResult = { ok: true; detail: string } | { ok: false; error: string };

export const passed = (detail: string): CheckResult => ({ ok: true, detail });
export const failed = (error: string): CheckResult => ({ ok: false, error });

/** A credentials check of one helpdesk: real calls through the adapter's SDK, nothing created. */
export type IntegrationCheck = (config: Config, store: StoreRecord, timeoutMs: number) => Promise<CheckResult>;

/** The network-level reason a call did not get an answer, in words; undefined when it did get one. */
export function unreachableReason(err: unknown, timeoutMs: number): string | undefined {
  for (let e = err as { code?: string; name?: string; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    const code = e.code ?? '';
    if (code === 'ECONNREFUSED') return 'the connection was refused (nothing listens there)';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return 'its host name does not resolve';
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return 'the connection was cut before an answer';
    if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'the host cannot be reached from here';
    if (/CERT|SSL|TLS/.test(code)) return `its TLS certificate was refused (${code})`;
    if (code === 'ETIMEDOUT' || code === 'ECONNABORTED' || code === 'UND_ERR_CONNECT_TIMEOUT' || e.name === 'TimeoutError' || e.name === 'AbortError')
      return `no answer within ${Math.round(timeoutMs / 100) / 10} s`;
  }
  return undefined;
}
