import type { StoreRecord } from '../../stores/store-directory.ts';
import { helpdeskOrigin } from '../base-urls.ts';
import type { BaseUrlSpec } from '../definition.ts';
import { DeliveryError, type DeliveryContext } from '../types.ts';

/** GORGIAS_API_URL replaces https://{account}.gorgias.com for every store (tests, staging). */
export const gorgiasBaseUrl: BaseUrlSpec<{ account?: string }> = {
  overrideEnv: 'GORGIAS_API_URL',
  realOrigin(section) {
    if (!section?.account) throw new DeliveryError('Gorgias is enabled but no account is configured', true);
    return `https://${section.account}.gorgias.com`;
  },
};

/** The origin of a store's Gorgias calls; the client appends /api/… */
export function gorgiasOrigin(ctx: { config: DeliveryContext['config']; store: Pick<StoreRecord, 'id' | 'sandbox' | 'config'> }): string {
  return helpdeskOrigin(ctx.config, ctx.store, { type: 'GORGIAS', key: 'gorgias', baseUrl: gorgiasBaseUrl });
}
