// A Postgres session of its own for LISTEN (src/stores/change-feed.ts, src/delivery/relay.ts): how it
// is opened, how long to wait before opening another after losing it, and how a lost one is let go.
import pg from 'pg';

const RECONNECT_MS = [250, 500, 1000, 2000, 5000];

/** A client for LISTEN; a query of its own (a check, a ping) that gets no answer in `queryTimeoutMs` ends it. */
export function listeningClient(databaseUrl: string, applicationName: string, queryTimeoutMs: number): pg.Client {
  return new pg.Client({
    connectionString: databaseUrl,
    keepAlive: true,
    connectionTimeoutMillis: 3000,
    query_timeout: queryTimeoutMs,
    application_name: applicationName,
  });
}

/** The wait before the next connection after `failures` lost ones in a row. */
export const reconnectDelayMs = (failures: number): number => RECONNECT_MS[Math.min(failures, RECONNECT_MS.length - 1)]!;

/** Stops hearing a client and closes it; its late errors are nobody's concern. */
export async function letGo(client: pg.Client): Promise<void> {
  client.removeAllListeners('notification');
  client.removeAllListeners('end');
  client.on('error', () => {});
  await client.end().catch(() => {});
}
