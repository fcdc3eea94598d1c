import { randomUUID } from 'node:crypto';
import axios, { AxiosError } from 'axios';
import { Webhook } from 'standardwebhooks';
import { failed, passed, unreachableReason, type IntegrationCheck } from '../../stores/check-result.ts';
import { PrivateAddressError, assertPublicUrl, guardedAgents, openAgents } from './address-guard.ts';

/** The event a check sends: receivers verify it like any other and may ignore its type. */
export const PING_EVENT = 'reva.ping';

/** A signed Standard Webhooks `reva.ping` to the configured URL: any 2xx proves the URL and the secret's use. */
export const checkWebhook: IntegrationCheck = async (config, store, timeoutMs) => {
  const url = store.config.webhook?.url;
  const secret = store.config.secrets.webhook?.secret;
  if (!url) return failed('No webhook URL: set webhook.url.');
  if (!secret) return failed('No webhook secret: set webhook.secret (whsec_…), which signs every event.');
  const allowPrivate = config.webhookAllowPrivate;
  try {
    if (!allowPrivate) assertPublicUrl(url);
  } catch (err) {
    return failed(`${url} is refused: ${(err as Error).message}.`);
  }
  const id = `msg_ping_${randomUUID().replace(/-/g, '')}`;
  const timestamp = new Date();
  const payload = JSON.stringify({
    type: PING_EVENT,
    timestamp: timestamp.toISOString(),
    data: { storeId: store.id, message: 'Test event from reva-escalations: no action needed' },
  });
  const started = Date.now();
  try {
    const res = await axios.post(url, payload, {
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'webhook-signature': new Webhook(secret).sign(id, timestamp, payload),
        'user-agent': 'reva-escalations',
      },
      timeout: timeoutMs,
      maxRedirects: 0,
      ...(allowPrivate ? openAgents : guardedAgents),
    });
    return passed(`${url} answered ${res.status} to a signed ${PING_EVENT} event in ${Date.now() - started} ms.`);
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause ?? err;
    if (cause instanceof PrivateAddressError) return failed(`${url} is refused: ${cause.message}.`);
    const status = err instanceof AxiosError ? err.response?.status : undefined;
    if (status && status >= 300 && status < 400) return failed(`${url} answered ${status} (a redirect): webhooks are not redirected, configure the final URL.`);
    if (status === 401 || status === 403)
      return failed(`${url} answered ${status} to a signed test event: check that the receiver verifies with the same secret (webhook.secret).`);
    if (status) return failed(`${url} answered ${status} to a signed test event.`);
    return failed(`Could not reach ${url}: ${unreachableReason(err, timeoutMs) ?? (err as Error).message}.`);
  }
};
