// Every integration, exhaustively: a type of the IntegrationType enum without its definition here is a
// compile error. Queues, workers, the store config, routing, echo rules, inbound routes, the sandbox
// and the README's table are derived from this record.
import type { z } from 'zod';
import type { IntegrationType } from '../generated/prisma/enums.ts';
import type { IntegrationDefinition } from './definition.ts';
import { freshdesk } from './freshdesk/definition.ts';
import { gorgias } from './gorgias/definition.ts';
import { slack } from './slack/definition.ts';
import { webhook } from './webhook/definition.ts';
import { zendesk } from './zendesk/definition.ts';

export type AnyIntegration = IntegrationDefinition<string, z.ZodType, string>;
export type IntegrationRegistry = { readonly [K in IntegrationType]: IntegrationDefinition<string, z.ZodType, string, K> };

export const integrations = {
  SLACK: slack,
  ZENDESK: zendesk,
  FRESHDESK: freshdesk,
  WEBHOOK: webhook,
  GORGIAS: gorgias,
} as const satisfies IntegrationRegistry;

export type Integrations = typeof integrations;
/** The store-config section names: 'slack' | 'zendesk' | … */
export type IntegrationKey = Integrations[IntegrationType]['key'];

export const INTEGRATION_TYPES = Object.keys(integrations) as IntegrationType[];
export const INTEGRATION_KEYS = INTEGRATION_TYPES.map((t) => integrations[t].key) as IntegrationKey[];

export function definitionOf(type: IntegrationType): AnyIntegration {
  return integrations[type];
}

/** By section name ('zendesk'), as in `/webhooks/:helpdesk/:storeId` and rule `route` targets. */
export function definitionByKey(key: string): AnyIntegration | undefined {
  return Object.values(integrations).find((d) => d.key === key);
}

/**
 * The one echo rule: a change that came from a helpdesk's own webhook (its timeline source is the
 * helpdesk's key) is not pushed back to that helpdesk. Slack has no such webhook: a click there is
 * answered by updating the Slack message itself, and other changes are posted to its thread.
 */
export function echoSourceOf(type: IntegrationType): string | undefined {
  const d = definitionOf(type);
  return d.inbound ? d.key : undefined;
}

/** The integration a timeline source must not be pushed back to, if any. */
export function echoTargetOf(source: string): IntegrationType | undefined {
  return INTEGRATION_TYPES.find((t) => echoSourceOf(t) === source);
}

/** The integrations a store has enabled, optionally narrowed to a rule's `route` list (section names). */
export function enabledIntegrations(config: object, only?: string[]): IntegrationType[] {
  const sections = config as Record<string, unknown>;
  const enabled = INTEGRATION_TYPES.filter((t) => {
    const d = definitionOf(t);
    return d.isEnabled(sections[d.key] as never);
  });
  if (!only) return enabled;
  const wanted = new Set(only.map((s) => s.toLowerCase()));
  return enabled.filter((t) => wanted.has(definitionOf(t).key));
}
