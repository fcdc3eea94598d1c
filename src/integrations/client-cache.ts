import http from 'node:http';
import https from 'node:https';

/** Keep-alive agents for the helpdesk clients built on axios: a delivery reuses the connection of the one before. */
export const keepAliveAgents = {
  httpAgent: new http.Agent({ keepAlive: true, maxSockets: 256 }),
  httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 256 }),
};

/** Bound on the clients a process keeps (one per destination: base URL + credentials + timeout). */
const MAX_CLIENTS = 1000;

/**
 * One client per destination, built on first use and reused after. The key holds credentials: it
 * stays in memory and is never logged. Cleared when too many destinations have been seen.
 */
export function clientCache<T>(): (key: string, make: () => T) => T {
  const clients = new Map<string, T>();
  return (key, make) => {
    let client = clients.get(key);
    if (client === undefined) {
      client = make();
      if (clients.size >= MAX_CLIENTS) clients.clear();
      clients.set(key, client);
    }
    return client;
  };
}
