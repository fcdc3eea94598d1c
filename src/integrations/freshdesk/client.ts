import { parseJsonBody, plainRequest } from '../plain-http.ts';

/** Freshdesk answered, with a status other than 2xx. */
export class FreshdeskHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly retryAfter: string | null,
  ) {
    super(`Freshdesk answered HTTP ${status}`);
  }
}

export type QueryParams = Record<string, string | number>;

/** The calls the adapter makes: JSON in, JSON out, HTTP Basic with the API key. */
export interface FreshdeskApi {
  get<T>(path: string, params?: QueryParams): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  delete(path: string): Promise<void>;
}

/**
 * A client on node:http (src/integrations/plain-http.ts). No redirects are followed: the API answers
 * where it is asked, and a redirected POST would turn into a GET.
 */
export function freshdeskApi(baseUrl: string, apiKey: string, timeoutMs: number): FreshdeskApi {
  const auth = `Basic ${Buffer.from(`${apiKey}:X`).toString('base64')}`;
  const send = async <T>(method: string, path: string, params?: QueryParams, body?: unknown): Promise<T> => {
    const query = params ? `?${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]))}` : '';
    const headers: Record<string, string> = { authorization: auth, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const answer = await plainRequest(`${baseUrl}${path}${query}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }, timeoutMs);
    if (answer.status < 200 || answer.status >= 300) throw new FreshdeskHttpError(answer.status, answer.text, answer.headers.get('retry-after'));
    return parseJsonBody(answer.text) as T;
  };
  return {
    get: (path, params) => send('GET', path, params),
    post: (path, body) => send('POST', path, undefined, body),
    put: (path, body) => send('PUT', path, undefined, body),
    delete: (path) => send('DELETE', path),
  };
}
