import { describe, expect, it } from 'vitest';
import { deliveryErrorClass } from '../../src/metrics.ts';
import { errorForStatus, DeliveryError } from '../../src/integrations/types.ts';
import { slackError } from '../../src/integrations/slack/client.ts';

describe('delivery error classes', () => {
  it("come from the helpdesk's status, else from the adapter's permanent flag", () => {
    expect(deliveryErrorClass(errorForStatus('Zendesk', 429, 'slow down', 3))).toBe('rate_limited');
    expect(deliveryErrorClass(errorForStatus('Freshdesk', 401, 'no'))).toBe('auth');
    expect(deliveryErrorClass(errorForStatus('Zendesk', 403, 'no'))).toBe('auth');
    expect(deliveryErrorClass(errorForStatus('Webhook endpoint', 408, 'late'))).toBe('timeout');
    expect(deliveryErrorClass(errorForStatus('Zendesk', 422, 'invalid'))).toBe('client_error');
    expect(deliveryErrorClass(errorForStatus('Freshdesk', 503, 'down'))).toBe('server_error');
    // Slack answers errors with HTTP 200 and a code: bad token or channel → the store's settings.
    expect(deliveryErrorClass(slackError({ code: 'slack_webapi_platform_error', data: { error: 'invalid_auth' } }))).toBe('config');
    expect(deliveryErrorClass(slackError({ code: 'slack_webapi_platform_error', data: { error: 'channel_not_found' } }))).toBe('config');
    expect(deliveryErrorClass(slackError({ code: 'slack_webapi_rate_limited_error', retryAfter: 2 }))).toBe('rate_limited');
    // No answer at all (refused, cut, timed out): retryable, the network.
    expect(deliveryErrorClass(new DeliveryError('Zendesk request failed: fetch failed', false))).toBe('network');
    expect(deliveryErrorClass(undefined)).toBe('none');
  });
});
