import axios, { AxiosError, type AxiosInstance } from 'axios';
import { DeliveryError, type DeliveryContext, errorForStatus, parseRetryAfter } from '../types.ts';
import { clientCache, keepAliveAgents } from '../client-cache.ts';
import { throttleRequest } from '../rate-limits.ts';

/**
 * The Gorgias REST API: `{origin}/api/…`, JSON, HTTP Basic with a user's email and that user's API
 * key. No retries here: the delivery queue owns them (and reads Retry-After from the error).
 */
export interface GorgiasCredentials {
  origin: string;
  email: string;
  apiKey: string;
  timeoutMs: number;
}

const clients = clientCache<AxiosInstance>();

/** One keep-alive client per account (origin + user + API key). */
export function gorgiasHttp(c: GorgiasCredentials): AxiosInstance {
  return clients(`${c.origin}|${c.timeoutMs}|${c.email}|${c.apiKey}`, () =>
    axios.create({
      baseURL: `${c.origin}/api`,
      auth: { username: c.email, password: c.apiKey },
      timeout: c.timeoutMs,
      headers: { accept: 'application/json' },
      ...keepAliveAgents,
    }),
  );
}

/** Gorgias documents an `error` attribute without its inner shape: say what it carries, whatever it is. */
export function errorDetail(data: unknown): string {
  if (data === undefined || data === null || data === '') return '(no body)';
  if (typeof data === 'string') return data;
  const error = (data as { error?: unknown }).error;
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object') {
    const { msg, message, data: fields } = error as { msg?: unknown; message?: unknown; data?: unknown };
    const text = typeof msg === 'string' ? msg : typeof message === 'string' ? message : undefined;
    if (text) return fields ? `${text} ${JSON.stringify(fields)}` : text;
  }
  return JSON.stringify(data);
}

/**
 * One request (of the delivery `ctx`, whose account limit it waits for; undefined outside a delivery);
 * any failure becomes a DeliveryError (408/409/429/5xx retryable, with Retry-After).
 */
export async function call<T>(ctx: DeliveryContext | undefined, fn: () => Promise<{ data: T }>): Promise<T> {
  await throttleRequest(ctx);
  try {
    return (await fn()).data;
  } catch (err) {
    if (err instanceof AxiosError && err.response) {
      const { status, data, headers } = err.response;
      throw errorForStatus('Gorgias', status, errorDetail(data), parseRetryAfter(headers['retry-after']));
    }
    throw new DeliveryError(`Gorgias request failed: ${(err as Error).message}`, false);
  }
}

/** Gorgias lists: `{data: [...], meta: {next_cursor}}` (cursor pagination). */
interface Page<T> {
  data: T[];
  meta?: { next_cursor?: string | null; prev_cursor?: string | null };
}

/** Every item of a cursor-paginated list, up to `maxPages` pages of 100. */
export async function listAll<T>(ctx: DeliveryContext, api: AxiosInstance, path: string, params: Record<string, unknown>, maxPages = 20): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const batch = await call(ctx, () => api.get<Page<T>>(path, { params: { ...params, limit: 100, ...(cursor ? { cursor } : {}) } }));
    items.push(...(batch.data ?? []));
    cursor = batch.meta?.next_cursor ?? undefined;
    if (!cursor) break;
  }
  return items;
}
