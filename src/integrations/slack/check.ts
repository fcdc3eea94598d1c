import type { WebClient } from '@slack/web-api';
import { failed, passed, unreachableReason, type IntegrationCheck } from '../../stores/check-result.ts';
import { slackApiUrl } from '../base-urls.ts';
import { slackClient, slackToken } from './client.ts';

const CHANNEL_ID = /^[CGD][A-Z0-9]{6,}$/;
const TOKEN_ERRORS = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive', 'not_allowed_token_type']);
const MAX_LIST_PAGES = 20;

interface Channel {
  id?: string;
  name?: string;
  is_archived?: boolean;
  is_private?: boolean;
  is_member?: boolean;
}

const platformError = (err: unknown) => (err as { data?: { error?: string } }).data?.error;

/** A channel by ID (conversations.info) or by name (conversations.list: names are not accepted by info). */
async function findChannel(client: WebClient, channel: string): Promise<Channel | 'missing_scope' | undefined> {
  try {
    if (CHANNEL_ID.test(channel)) return (await client.conversations.info({ channel })).channel as Channel;
    const name = channel.replace(/^#/, '');
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const res = await client.conversations.list({
        types: 'public_channel,private_channel',
        exclude_archived: false,
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      });
      const found = (res.channels as Channel[] | undefined)?.find((c) => c.name === name);
      if (found) return found;
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) return undefined;
    }
    return undefined;
  } catch (err) {
    const code = platformError(err);
    if (code === 'channel_not_found') return undefined;
    if (code === 'missing_scope') return 'missing_scope';
    throw err;
  }
}

function problem(err: unknown, apiUrl: string, timeoutMs: number): string {
  const code = platformError(err);
  if (code && TOKEN_ERRORS.has(code))
    return `Slack did not accept the bot token (${code}): check slack.botToken (a bot token, xoxb-…, of an app installed in your workspace).`;
  if (code) return `Slack refused the check with "${code}".`;
  if ((err as { code?: string }).code === 'slack_webapi_rate_limited_error') return 'Slack is rate limiting this token right now; try again in a minute.';
  const status = (err as { statusCode?: number }).statusCode;
  if (status) return `Slack answered HTTP ${status} at ${apiUrl}.`;
  const why = unreachableReason(err, timeoutMs);
  return `Could not reach Slack at ${apiUrl}: ${why ?? (err as Error).message}.`;
}

/** auth.test proves the token; each configured channel must exist and be usable by the bot. */
export const checkSlack: IntegrationCheck = async (config, store, timeoutMs) => {
  const slack = store.config.slack;
  const token = slackToken(config, store);
  if (!token) return failed('No Slack bot token: set slack.botToken (or the operator sets SLACK_BOT_TOKEN).');
  let apiUrl: string;
  try {
    apiUrl = slackApiUrl(config, store);
  } catch (err) {
    return failed((err as Error).message);
  }
  const client = slackClient(config, store, token, timeoutMs);
  let who: string;
  try {
    const auth = await client.auth.test();
    who = `the bot ${auth.user ?? auth.user_id ?? '?'} in the workspace ${auth.team ?? auth.team_id ?? '?'}`;
  } catch (err) {
    return failed(problem(err, apiUrl, timeoutMs));
  }
  const channels = [...new Set([slack?.channel, ...Object.values(slack?.channelsByPriority ?? {})].filter((c): c is string => !!c))];
  if (!channels.length) return failed(`Slack accepted the token (${who}), but no channel is configured: set slack.channel.`);
  const notes: string[] = [];
  for (const channel of channels) {
    let found: Awaited<ReturnType<typeof findChannel>>;
    try {
      found = await findChannel(client, channel);
    } catch (err) {
      return failed(problem(err, apiUrl, timeoutMs));
    }
    if (found === 'missing_scope') {
      notes.push(`${channel} not checked (the token lacks the channels:read scope)`);
      continue;
    }
    if (!found) return failed(`Slack has no channel ${channel} that ${who} can see: check the name, or invite the bot to a private channel (/invite @bot).`);
    if (found.is_archived) return failed(`The Slack channel ${channel} is archived: nothing can be posted there.`);
    if (found.is_private && found.is_member === false) return failed(`The bot is not a member of the private channel ${channel}: invite it (/invite @bot).`);
    if (found.is_member === false) notes.push(`${channel} found (the bot is not a member: posting needs the chat:write.public scope)`);
    else notes.push(`${channel} found`);
  }
  return passed(`Slack accepted the token of ${who}; ${notes.join('; ')}.`);
};
