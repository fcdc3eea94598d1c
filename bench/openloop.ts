// Open-loop load at a fixed rate: request i leaves at start + i/rate whether or not earlier ones have
// answered (a closed loop like autocannon slows down with the server and hides queueing).
import http from 'node:http';

export interface Sent {
  /** Wall clock (ms) when the request was written: the start of POST -> Slack. */
  sentAt: number;
  /** How late it left against its schedule (ms): the load generator's own lag. */
  lagMs: number;
  status: number;
  latencyMs: number;
  body?: unknown;
  error?: string;
}

export interface OpenLoopOptions {
  url: string;
  rate: number;
  seconds: number;
  /** The request i: path, headers and JSON body. */
  request: (i: number) => { path: string; headers: Record<string, string>; body: unknown };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

function post(base: URL, path: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: base.hostname,
        port: base.port,
        path,
        method: 'POST',
        agent,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function openLoop(opts: OpenLoopOptions): Promise<Sent[]> {
  const base = new URL(opts.url);
  const total = Math.round(opts.rate * opts.seconds);
  const results: Sent[] = [];
  const inflight: Promise<void>[] = [];
  const start = Date.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / opts.rate;
    const wait = due - Date.now();
    if (wait > 1) await sleep(wait);
    const { path, headers, body } = opts.request(i);
    const payload = JSON.stringify(body);
    const sentAt = Date.now();
    const t0 = performance.now();
    inflight.push(
      post(base, path, headers, payload).then(
        ({ status, text }) => {
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = text;
          }
          results.push({ sentAt, lagMs: sentAt - due, status, latencyMs: performance.now() - t0, body: parsed });
        },
        (err: Error) => void results.push({ sentAt, lagMs: sentAt - due, status: 0, latencyMs: performance.now() - t0, error: err.message }),
      ),
    );
  }
  await Promise.all(inflight);
  return results;
}

export const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : Number.NaN);
