import type { Config } from '../../config-shape.ts';
import type { StoreRecord } from '../../stores/store-directory.ts';
import { helpdeskOrigin } from '../base-urls.ts';
import type { BaseUrlSpec } from '../definition.ts';
import { DeliveryError } from '../types.ts';

export const freshdeskBaseUrl: BaseUrlSpec<{ domain?: string }> = {
  overrideEnv: 'FRESHDESK_API_URL',
  realOrigin(section) {
    if (!section?.domain) throw new DeliveryError('Freshdesk is enabled but no domain is configured', true);
    return `https://${section.domain}`;
  },
};

/** Replaces https://{domain}; the client appends /api/v2/… */
export function freshdeskOrigin(config: Config, store: Pick<StoreRecord, 'id' | 'sandbox' | 'config'>): string {
  return helpdeskOrigin(config, store, { type: 'FRESHDESK', key: 'freshdesk', baseUrl: freshdeskBaseUrl });
}
