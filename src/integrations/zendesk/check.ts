import zendesk from 'node-zendesk';
import { failed, passed, unreachableReason, type IntegrationCheck } from '../../stores/check-result.ts';
import { zendeskOrigin } from './origin.ts';

// node-zendesk is CommonJS: the named import type-checks but crashes under Node (notes/stack.md).
const { createClient } = zendesk;

interface Me {
  id: number | null;
  email?: string;
  name?: string;
  role?: string;
  active?: boolean;
}

/** GET /api/v2/users/me with the store's email and API token: who Zendesk says we are. */
export const checkZendesk: IntegrationCheck = async (config, store, timeoutMs) => {
  const zd = store.config.zendesk;
  const token = store.config.secrets.zendesk?.apiToken;
  if (!zd?.subdomain || !zd.email) return failed('Zendesk needs the account name (zendesk.subdomain) and the agent email (zendesk.email).');
  if (!token) return failed('No Zendesk API token: set zendesk.apiToken (Admin Center → Apps and integrations → Zendesk API).');
  let origin: string;
  try {
    origin = zendeskOrigin(config, store);
  } catch (err) {
    return failed((err as Error).message);
  }
  const client = createClient({
    username: zd.email,
    token,
    subdomain: zd.subdomain,
    endpointUri: `${origin}/api/v2`,
    throwOriginalException: true,
    transportConfig: {
      transportFn: (uri: string, o: { method: string; headers: Record<string, string>; body?: string }) =>
        fetch(uri, { method: o.method, headers: o.headers, body: o.body, signal: AbortSignal.timeout(timeoutMs) }),
      responseAdapter: (res: Response) => ({
        json: () => res.json(),
        status: res.status,
        headers: { get: (name: string) => res.headers.get(name) },
        statusText: res.statusText,
      }),
    },
  });
  let status: number;
  let me: Me | undefined;
  try {
    const answer = (await client.users.me()) as unknown as { response: { status: number }; result: unknown };
    status = answer.result instanceof Error ? ((answer.result as { statusCode?: number }).statusCode ?? answer.response.status) : answer.response.status;
    me = answer.result instanceof Error ? undefined : (answer.result as Me);
  } catch (err) {
    const code = (err as { statusCode?: number }).statusCode;
    if (typeof code !== 'number') return failed(`Could not reach Zendesk at ${origin}: ${unreachableReason(err, timeoutMs) ?? (err as Error).message}.`);
    status = code;
  }
  if (status === 401 || status === 403)
    return failed(
      `Zendesk did not accept the email ${zd.email} with this API token (HTTP ${status}): check zendesk.email and zendesk.apiToken, and that token access is on.`,
    );
  if (status === 404) return failed(`Zendesk has no account "${zd.subdomain}" (HTTP 404): check zendesk.subdomain (acme for acme.zendesk.com).`);
  if (status === 429) return failed('Zendesk is rate limiting this account right now; try again in a minute.');
  if (status >= 300 || !me) return failed(`Zendesk answered HTTP ${status} at ${origin}.`);
  // Anonymous requests get an "anonymous user" with no id instead of a 401.
  if (me.id === null || me.id === undefined)
    return failed(`Zendesk did not accept the email ${zd.email} with this API token: check zendesk.email and zendesk.apiToken.`);
  if (me.role === 'end-user') return failed(`${me.email ?? zd.email} is an end user in Zendesk, not an agent: tickets need an agent or admin account.`);
  if (me.active === false) return failed(`The Zendesk user ${me.email ?? zd.email} is suspended or inactive.`);
  return passed(`Zendesk accepted the token of ${me.name ?? me.email ?? zd.email} (${me.role ?? 'agent'}) on ${zd.subdomain}.`);
};
