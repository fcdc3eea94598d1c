// Where a store's helpdesk calls go. The one rule (DESIGN §4): an operator override (*_API_URL)
// redirects every store; otherwise a sandbox store calls the local sandbox and every other store its
// real helpdesk. A store's config names an account (subdomain, domain), never a URL.
import type { Config } from '../config-shape.ts';
import type { IntegrationType } from '../generated/prisma/enums.ts';
import type { BaseUrlSpec } from './definition.ts';
import type { StoreRecord } from '../stores/store-directory.ts';
import { DeliveryError } from './types.ts';

export const SLACK_API_URL = 'https://slack.com/api/';
/** The sandbox accepts any xoxb- token; a sandbox store without its own never gets the operator's. */
export const SANDBOX_SLACK_TOKEN = 'xoxb-sandbox';

type StoreTarget = Pick<StoreRecord, 'id' | 'sandbox' | 'config'>;

function sandboxOrigin(config: Config, store: StoreTarget): string {
  if (config.sandbox.url) return config.sandbox.url;
  throw new DeliveryError(`Store ${store.id} is a sandbox store, but this process runs without the sandbox (set SANDBOX=on to serve sandbox stores)`, true);
}

/** The @slack/web-api `slackApiUrl` (trailing slash) for this store, or for the operator's own token (no store). */
export function slackApiUrl(config: Config, store: StoreTarget | null): string {
  if (config.slack.apiUrl) return config.slack.apiUrl;
  if (store?.sandbox) return `${sandboxOrigin(config, store)}/slack/api/`;
  return SLACK_API_URL;
}

/** What helpdeskOrigin needs to know of a definition. */
export interface OriginTarget {
  type: IntegrationType;
  /** The store-config section, and the sandbox module serving this helpdesk (`${sandbox}/${key}`). */
  key: string;
  // biome-ignore lint/suspicious/noExplicitAny: the section type is the definition's own
  baseUrl: BaseUrlSpec<any>;
}

/**
 * The origin of a store's calls to a helpdesk; its client appends the API paths. The account is
 * checked first (a store without one fails for good, override or not).
 */
export function helpdeskOrigin(config: Config, store: StoreTarget, target: OriginTarget): string {
  const real = target.baseUrl.realOrigin((store.config as unknown as Record<string, unknown>)[target.key]);
  const override = config.apiUrls[target.type];
  if (override) return override;
  if (store.sandbox) return `${sandboxOrigin(config, store)}/${target.key}`;
  return real;
}
