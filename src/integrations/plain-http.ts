// Requests to the helpdesks on node:http over the shared keep-alive agents: fetch's streams and header
// objects, and axios's config merging and interceptors, cost the worker more CPU than the call itself.
import http from 'node:http';
import https from 'node:https';
import { keepAliveAgents } from './client-cache.ts';

/** An answer, whatever its status, with its body read whole. */
export interface PlainAnswer {
  status: number;
  statusText: string;
  headers: { get(name: string): string | null };
  text: string;
}

export interface PlainRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/** One request; the whole exchange, body included, is bounded by `timeoutMs` (then a TimeoutError). */
export function plainRequest(uri: string, o: PlainRequest, timeoutMs: number): Promise<PlainAnswer> {
  const url = new URL(uri);
  const secure = url.protocol === 'https:';
  const headers: Record<string, string | number> = { ...o.headers };
  if (o.body !== undefined) headers['content-length'] = Buffer.byteLength(o.body);
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(url, {
      method: o.method,
      headers,
      agent: secure ? keepAliveAgents.httpsAgent : keepAliveAgents.httpAgent,
    });
    const timer = setTimeout(() => {
      const err = new Error(`no answer within ${timeoutMs} ms`);
      err.name = 'TimeoutError';
      req.destroy(err);
    }, timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      res.on('close', () => {
        clearTimeout(timer);
        if (!res.complete) reject(new Error('the connection was cut before the whole answer'));
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          headers: { get: (name) => headerValue(res.headers[name.toLowerCase()]) },
          text,
        });
      });
    });
    req.end(o.body);
  });
}

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A JSON body, or undefined for an empty one. */
export function parseJsonBody(text: string): unknown {
  return text === '' ? undefined : JSON.parse(text);
}
