// A TCP proxy between the service and Postgres (or anything else) for fault tests:
// pass  — forwards both ways;
// stall — connections are accepted and kept open but no byte moves either way (a server or network
//         that hangs); what was sent meanwhile is delivered when the proxy passes again;
// cut   — every connection is destroyed and new ones are refused at once (a server that is down).
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export type ProxyMode = 'pass' | 'stall' | 'cut';

export interface TcpProxy {
  port: number;
  readonly mode: ProxyMode;
  pass(): void;
  stall(): void;
  cut(): void;
  /** Connections currently open from clients. */
  readonly connections: number;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream?: Socket;
  flowing: boolean;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: ProxyMode = 'pass';
  const pairs = new Set<Pair>();

  const destroy = (pair: Pair) => {
    pairs.delete(pair);
    pair.client.destroy();
    pair.upstream?.destroy();
  };

  const flow = (pair: Pair) => {
    if (pair.flowing) return;
    pair.flowing = true;
    if (!pair.upstream) {
      const upstream = connect(target.port, target.host);
      pair.upstream = upstream;
      upstream.on('error', () => destroy(pair)).on('close', () => destroy(pair));
    }
    pair.client.pipe(pair.upstream!);
    pair.upstream!.pipe(pair.client);
    pair.client.resume();
    pair.upstream!.resume();
  };

  const hold = (pair: Pair) => {
    if (!pair.flowing) return;
    pair.flowing = false;
    pair.client.unpipe();
    pair.upstream?.unpipe();
    pair.client.pause();
    pair.upstream?.pause();
  };

  const server: Server = createServer((client) => {
    if (mode === 'cut') return client.destroy();
    const pair: Pair = { client, flowing: false };
    pairs.add(pair);
    client.on('error', () => destroy(pair)).on('close', () => destroy(pair));
    client.pause();
    if (mode === 'pass') flow(pair);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    port,
    get mode() {
      return mode;
    },
    get connections() {
      return pairs.size;
    },
    pass() {
      mode = 'pass';
      for (const pair of pairs) flow(pair);
    },
    stall() {
      mode = 'stall';
      for (const pair of pairs) hold(pair);
    },
    cut() {
      mode = 'cut';
      for (const pair of [...pairs]) destroy(pair);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const pair of [...pairs]) destroy(pair);
        server.close(() => resolve());
      }),
  };
}
