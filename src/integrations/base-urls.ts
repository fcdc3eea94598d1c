// Where a store's helpdesk calls go. The one rule (DESIGN §4): an operator override (*_API_URL)
// redirects every store; otherwise a sandbox store calls the local sandbox and every other store its
// real helpdesk. A store's config names an account (subdomain, domain), never a URL.
import type { Config } from '../config.ts';
import type { StoreRecord } from '../stores/store-directory.ts';
import { DeliveryError } from './types.ts';

export const SLACK_API_URL = 'https://slack.com/api/';
/** The sandbox accepts any xoxb- token; a sandbox store without its own never gets the operator's. */
export const SANDBOX_SLACK_TOKEN = 'xoxb-sandbox';

type StoreTarget = Pick<StoreRecord, 'id' | 'sandbox' | 'config'>;

function sandboxOrigin(config: Config, store: StoreTarget): string {
  if (config.sandbox.url) return config.sandbox.url;
  throw new DeliveryError(
    `Store ${store.id} is a sandbox store, but this process runs without the sandbox (set SANDBOX=on to serve sandbox stores)`,
    true,
  );
}

/** The @slack/web-api `slackApiUrl` (trailing slash) for this store, or for the operator's own token (no store). */
export function slackApiUrl(config: Config, store: StoreTarget | null): string {
  if (config.slack.apiUrl) return config.slack.apiUrl;
  if (store?.sandbox) return `${sandboxOrigin(config, store)}/slack/api/`;
  return SLACK_API_URL;
}

/** Replaces https://{subdomain}.zendesk.com; the client appends /api/v2/… */
export function zendeskOrigin(config: Config, store: StoreTarget): string {
  const subdomain = store.config.zendesk?.subdomain;
  if (!subdomain) throw new DeliveryError('Zendesk is enabled but no subdomain is configured', true);
  if (config.zendeskApiUrl) return config.zendeskApiUrl;
  if (store.sandbox) return `${sandboxOrigin(config, store)}/zendesk`;
  return `https://${subdomain}.zendesk.com`;
}

/** Replaces https://{domain}; the client appends /api/v2/… */
export function freshdeskOrigin(config: Config, store: StoreTarget): string {
  const domain = store.config.freshdesk?.domain;
  if (!domain) throw new DeliveryError('Freshdesk is enabled but no domain is configured', true);
  if (config.freshdeskApiUrl) return config.freshdeskApiUrl;
  if (store.sandbox) return `${sandboxOrigin(config, store)}/freshdesk`;
  return `https://${domain}`;
}
