import { z } from 'zod';
import { slack as slackSandbox } from '../../sandbox/slack.ts';
import { secretValue } from '../config-fields.ts';
import { defineIntegration } from '../definition.ts';
import { withRateLimits } from '../rate-limits.ts';
import { SLACK_API_URL } from '../base-urls.ts';
import { slackAdapter } from './adapter.ts';
import { checkSlack } from './check.ts';

const PRIORITIES = ['URGENT', 'HIGH', 'MEDIUM', 'LOW'] as const;

export const slackChannel = z
  .string()
  .min(1)
  .max(80)
  .regex(/^#?[a-z0-9][a-z0-9._-]*$|^[CGD][A-Z0-9]{6,}$/, 'must be a channel name like #support or an ID like C0123ABCD');

/**
 * Slack: a message per case in the store's channel, updates in its thread. Its inbound side
 * (buttons, the slash command) is signed with the operator's SLACK_SIGNING_SECRET, not a store
 * secret, and acts on cases directly: its routes are in src/http/inbound-routes.ts.
 */
export const slack = defineIntegration({
  type: 'SLACK',
  key: 'slack',
  label: 'Slack',
  docs: 'a message per case in the store\'s channel (by priority if set), updates in its thread, "Take Case" and "View Full Context" buttons, `/escalation` commands',
  config: {
    schema: z
      .object({
        enabled: z.boolean(),
        channel: slackChannel,
        channelsByPriority: z.partialRecord(z.enum(PRIORITIES), slackChannel).optional(),
        botToken: secretValue(/^xox[a-z]-/, 'must be a Slack bot token (xoxb-…)').optional(),
      })
      .strict(),
    secretFields: ['botToken'],
    // Without its own token a store uses the operator's SLACK_BOT_TOKEN.
    requiredSecrets: [],
  },
  isEnabled: (section) => !!section?.enabled,
  adapter: withRateLimits(slackAdapter),
  // 50 cases/s × (2 calls × 200 ms + up to 0.5 s a history reply waits for its channel's spare slot,
  // see SLACK_CHANNEL_LIMIT) = 45 in flight; room for bursts.
  concurrency: 64,
  baseUrl: { overrideEnv: 'SLACK_API_URL', realOrigin: () => SLACK_API_URL },
  check: (ctx) => checkSlack(ctx.config, ctx.store, ctx.requestTimeoutMs),
  settings: {
    label: 'Slack',
    fields: [
      { name: 'channel', label: 'Channel', hint: '#support-escalations, or a channel ID (C…)' },
      ...PRIORITIES.map((p) => ({ name: `channel_${p}`, label: `${p} cases go to`, hint: 'optional; empty = the channel above' })),
      { name: 'botToken', label: 'Bot token', secret: true, hint: 'xoxb-…' },
    ],
  },
  sandbox: slackSandbox,
  demo: { enabled: true, channel: '#support-escalations', channelsByPriority: { URGENT: '#support-urgent' }, botToken: 'xoxb-sandbox-demo' },
});
