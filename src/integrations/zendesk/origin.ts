import type { Config } from '../../config-shape.ts';
import type { StoreRecord } from '../../stores/store-directory.ts';
import { helpdeskOrigin } from '../base-urls.ts';
import type { BaseUrlSpec } from '../definition.ts';
import { DeliveryError } from '../types.ts';

export const zendeskBaseUrl: BaseUrlSpec<{ subdomain?: string }> = {
  overrideEnv: 'ZENDESK_API_URL',
  realOrigin(section) {
    if (!section?.subdomain) throw new DeliveryError('Zendesk is enabled but no subdomain is configured', true);
    return `https://${section.subdomain}.zendesk.com`;
  },
};

/** Replaces https://{subdomain}.zendesk.com; the client appends /api/v2/… */
export function zendeskOrigin(config: Config, store: Pick<StoreRecord, 'id' | 'sandbox' | 'config'>): string {
  return helpdeskOrigin(config, store, { type: 'ZENDESK', key: 'zendesk', baseUrl: zendeskBaseUrl });
}
