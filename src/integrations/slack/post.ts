// The Slack Web API calls every delivery makes (chat.postMessage, and auth.test once per token), on
// node:http keep-alive (src/integrations/plain-http.ts) with a JSON body. @slack/web-api's WebClient
// (a p-queue, p-retry and fetch's streams per call) cost the worker more CPU than the post itself;
// it stays for the rarer calls (updates, look-ups, reconciles, checks). Failures carry the SDK's error
// codes, so slackError() and surelyNotPosted() read both alike.
import { parseJsonBody, plainRequest } from '../plain-http.ts';
import { parseRetryAfter } from '../types.ts';

/** A failed call, shaped like @slack/web-api's errors (`code`, and `data`, `statusCode` or `retryAfter`). */
export class SlackCallError extends Error {
  constructor(
    readonly code: 'slack_webapi_platform_error' | 'slack_webapi_rate_limited_error' | 'slack_webapi_http_error',
    message: string,
    readonly details: { data?: { ok: false; error?: string; errors?: string[] }; statusCode?: number; retryAfter?: number } = {},
  ) {
    super(message);
    this.name = 'SlackCallError';
  }
  get data() {
    return this.details.data;
  }
  get statusCode() {
    return this.details.statusCode;
  }
  get retryAfter() {
    return this.details.retryAfter;
  }
}

/** One Web API method, e.g. `chat.postMessage`; resolves with Slack's answer when it is `ok`. */
export async function slackCall<T extends object>(apiUrl: string, token: string, method: string, args: object, timeoutMs: number): Promise<T & { ok: true }> {
  const answer = await plainRequest(
    `${apiUrl}${method}`,
    { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(args) },
    timeoutMs,
  );
  if (answer.status === 429) {
    const retryAfter = parseRetryAfter(answer.headers.get('retry-after')) ?? 1;
    throw new SlackCallError('slack_webapi_rate_limited_error', `A rate limit was exceeded (retry after ${retryAfter} s)`, { retryAfter });
  }
  if (answer.status !== 200)
    throw new SlackCallError('slack_webapi_http_error', `An HTTP protocol error occurred: statusCode = ${answer.status}`, { statusCode: answer.status });
  let body: { ok?: boolean; error?: string; errors?: string[] } | undefined;
  try {
    body = parseJsonBody(answer.text) as typeof body;
  } catch {
    // below: not an answer Slack gives
  }
  if (!body || typeof body !== 'object') throw new Error(`Slack answered ${method} with something other than JSON`);
  if (body.ok !== true) {
    const data = { ...body, ok: false as const };
    throw new SlackCallError('slack_webapi_platform_error', `An API error occurred: ${body.error ?? 'unknown_error'}`, { data });
  }
  return body as T & { ok: true };
}
