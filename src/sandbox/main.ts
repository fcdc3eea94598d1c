import { DEFAULT_SANDBOX_PORT, definedEnv } from '../config.ts';
import { startSandbox } from './index.ts';

const env = definedEnv(process.env);
const port = Number(env.SANDBOX_PORT ?? DEFAULT_SANDBOX_PORT);
const sandbox = await startSandbox({ port, host: env.SANDBOX_HOST ?? '127.0.0.1' });

console.log(`Sandbox for Slack, Zendesk and Freshdesk on ${sandbox.url} (page: ${sandbox.url}/)
  Slack API:     ${sandbox.slackApiUrl}
  Zendesk API:   ${sandbox.zendeskUrl}/api/v2/
  Freshdesk API: ${sandbox.freshdeskUrl}/api/v2/

A service started with SANDBOX=on${port === DEFAULT_SANDBOX_PORT ? '' : ` SANDBOX_PORT=${port}`} on this host sends its sandbox stores here.
Or point every store at it (tests, staging) with:
SLACK_API_URL=${sandbox.slackApiUrl}
ZENDESK_API_URL=${sandbox.zendeskUrl}
FRESHDESK_API_URL=${sandbox.freshdeskUrl}

Controls: POST ${sandbox.url}/_sandbox/fail | /_sandbox/latency | /_sandbox/reset, GET ${sandbox.url}/_sandbox/state`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
