import { WebClient, LogLevel } from '@slack/web-api';
import type { Config } from '../../config-shape.ts';
import type { StoreRecord } from '../../stores/store-directory.ts';
import { DeliveryError } from '../types.ts';
import { SANDBOX_SLACK_TOKEN, slackApiUrl } from '../base-urls.ts';
import { head } from '../../text/code-points.ts';

const clients = new Map<string, WebClient>();

/** The store's bot token, else the operator's default (never for a sandbox store). */
export function slackToken(config: Config, store: StoreRecord): string | undefined {
  return store.config.secrets.slack?.botToken ?? (store.sandbox ? SANDBOX_SLACK_TOKEN : config.slack.botToken);
}

/**
 * One client per base URL and token; retries belong to the queue, so the SDK's are off
 * (notes/stack.md). `store` null = the operator's own token, outside any store.
 */
export function slackClient(config: Config, store: StoreRecord | null, token: string, timeoutMs = 15_000): WebClient {
  const apiUrl = slackApiUrl(config, store);
  const key = `${apiUrl}|${timeoutMs}|${token}`;
  let client = clients.get(key);
  if (!client) {
    client = new WebClient(token, {
      slackApiUrl: apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: timeoutMs,
      // A failed call is the worker's to record (with its error class); the SDK's own WARN line would repeat it.
      logLevel: LogLevel.ERROR,
    });
    if (clients.size > 1000) clients.clear();
    clients.set(key, client);
  }
  return client;
}

const RETRYABLE_PLATFORM_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);

/** Maps @slack/web-api errors (by their documented codes) to retry semantics. */
export function slackError(err: unknown): DeliveryError {
  const e = err as { code?: string; retryAfter?: number; data?: { error?: string; errors?: string[] }; statusCode?: number; message?: string };
  switch (e.code) {
    case 'slack_webapi_rate_limited_error':
      return new DeliveryError('Slack rate limited the request', false, (e.retryAfter ?? 1) * 1000, 429);
    case 'slack_webapi_platform_error': {
      const code = e.data?.error ?? 'unknown_error';
      const detail = e.data?.errors?.length ? `${code} (${e.data.errors.join('; ')})` : code;
      return new DeliveryError(head(`Slack: ${detail}`, 1000), !RETRYABLE_PLATFORM_ERRORS.has(code));
    }
    case 'slack_webapi_http_error': {
      const status = e.statusCode ?? 500;
      return new DeliveryError(`Slack answered HTTP ${status}`, status < 500 && status !== 408, undefined, status);
    }
    default:
      return new DeliveryError(`Slack request failed: ${e.message ?? String(err)}`, false);
  }
}
