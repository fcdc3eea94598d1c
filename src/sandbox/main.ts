import { API_URL_VARIABLES, DEFAULT_SANDBOX_PORT, definedEnv } from '../config.ts';
import type { IntegrationType } from '../generated/prisma/enums.ts';
import { integrations } from '../integrations/registry.ts';
import { startSandbox } from './index.ts';
import { SANDBOX_MODULES } from './modules.ts';
import { restoreFastPrototypes } from '../fast-prototypes.ts';

restoreFastPrototypes(); // the registry imports ioredis (see fast-prototypes.ts)

const env = definedEnv(process.env);
const port = Number(env.SANDBOX_PORT ?? DEFAULT_SANDBOX_PORT);
const sandbox = await startSandbox({ port, host: env.SANDBOX_HOST ?? '127.0.0.1' });

const overrides = (Object.entries(API_URL_VARIABLES) as [IntegrationType, string][]).map(([type, name]) => [
  name,
  type === 'SLACK' ? sandbox.slackApiUrl : sandbox.urlOf(integrations[type].sandbox.service),
]);
console.log(`Sandbox for ${SANDBOX_MODULES.map((m) => m.service).join(', ')} on ${sandbox.url} (page: ${sandbox.url}/)
${SANDBOX_MODULES.map((m) => `  ${m.service}: ${m.service === 'slack' ? sandbox.slackApiUrl : `${sandbox.urlOf(m.service)}/`}`).join('\n')}

A service started with SANDBOX=on${port === DEFAULT_SANDBOX_PORT ? '' : ` SANDBOX_PORT=${port}`} on this host sends its sandbox stores here.
Or point every store at it (tests, staging) with:
${overrides.map(([name, url]) => `${name}=${url}`).join('\n')}

Controls: POST ${sandbox.url}/_sandbox/fail | /_sandbox/latency | /_sandbox/reset, GET ${sandbox.url}/_sandbox/state`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
