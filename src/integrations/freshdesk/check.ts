import axios, { AxiosError } from 'axios';
import { failed, passed, unreachableReason, type IntegrationCheck } from '../../stores/check-result.ts';
import { freshdeskOrigin } from './origin.ts';

/** GET /api/v2/agents/me with the store's API key: the agent the key belongs to. */
export const checkFreshdesk: IntegrationCheck = async (config, store, timeoutMs) => {
  const fd = store.config.freshdesk;
  const apiKey = store.config.secrets.freshdesk?.apiKey;
  if (!fd?.domain) return failed('Freshdesk needs the account host (freshdesk.domain, e.g. acme.freshdesk.com).');
  if (!apiKey) return failed('No Freshdesk API key: set freshdesk.apiKey (Profile settings → Your API Key).');
  let origin: string;
  try {
    origin = freshdeskOrigin(config, store);
  } catch (err) {
    return failed((err as Error).message);
  }
  try {
    const { data } = await axios.get<{ contact?: { name?: string; email?: string } }>(`${origin}/api/v2/agents/me`, {
      auth: { username: apiKey, password: 'X' },
      timeout: timeoutMs,
      maxRedirects: 0,
    });
    const who = data.contact?.name ?? data.contact?.email ?? 'an agent';
    return passed(`Freshdesk accepted the API key of ${who}${data.contact?.email && data.contact.name ? ` <${data.contact.email}>` : ''} on ${fd.domain}.`);
  } catch (err) {
    const status = err instanceof AxiosError ? err.response?.status : undefined;
    if (status === 401 || status === 403) return failed(`Freshdesk did not accept the API key (HTTP ${status}): check freshdesk.apiKey.`);
    if (status === 404) return failed(`Freshdesk has no helpdesk at ${fd.domain} (HTTP 404): check freshdesk.domain.`);
    if (status === 429) return failed('Freshdesk is rate limiting this account right now; try again in a minute.');
    if (status) return failed(`Freshdesk answered HTTP ${status} at ${origin}.`);
    return failed(`Could not reach Freshdesk at ${origin}: ${unreachableReason(err, timeoutMs) ?? (err as Error).message}.`);
  }
};
