import { freshdeskAdapter } from './freshdesk/adapter.ts';
import { slackAdapter } from './slack/adapter.ts';
import type { AdapterRegistry } from './types.ts';
import { webhookAdapter } from './webhook/adapter.ts';
import { zendeskAdapter } from './zendesk/adapter.ts';

export const adapters: AdapterRegistry = {
  SLACK: slackAdapter,
  ZENDESK: zendeskAdapter,
  FRESHDESK: freshdeskAdapter,
  WEBHOOK: webhookAdapter,
};
