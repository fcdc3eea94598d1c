import type { CheckContext, CheckResult } from '../definition.ts';
import { DeliveryError } from '../types.ts';
import { call, gorgiasHttp } from './client.ts';
import { gorgiasOrigin } from './origin.ts';

/** `POST /stores/:storeId/integrations/gorgias/test`: one authenticated read of the account. */
export async function checkGorgias(ctx: CheckContext): Promise<CheckResult> {
  const section = ctx.store.config.gorgias;
  const apiKey = ctx.store.config.secrets.gorgias?.apiKey;
  if (!section?.account || !section.email || !apiKey) return { ok: false, error: 'Gorgias is not configured: account, email and apiKey are needed' };
  try {
    const api = gorgiasHttp({ origin: gorgiasOrigin(ctx), email: section.email, apiKey, timeoutMs: ctx.requestTimeoutMs });
    const account = await call(undefined, () => api.get<{ domain?: string }>('/account'));
    return { ok: true, detail: `Signed in to the Gorgias account ${account.domain ?? section.account} as ${section.email}` };
  } catch (err) {
    const status = err instanceof DeliveryError ? err.status : undefined;
    if (status === 401 || status === 403)
      return { ok: false, error: `Gorgias refused the credentials of ${section.email} (${status}): check the email and the API key` };
    return { ok: false, error: (err as Error).message };
  }
}
