import { Engine, type RuleProperties } from 'json-rules-engine';
import { Invalid } from '../cases/errors.ts';
import { INTEGRATION_KEYS } from '../integrations/registry.ts';

export const RULE_FACTS = ['sentiment', 'confidence', 'keywords', 'intent', 'turns', 'customerTier', 'orderTotal', 'channel', 'hourOfDay'] as const;
const OPERATORS = [
  'equal',
  'notEqual',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
] as const;
const EVENT_TYPES = ['escalate', 'suppress', 'setPriority', 'route'] as const;
const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'];
/** Rule `route` targets: every registered integration, by its config section name. */
const ROUTABLE: readonly string[] = INTEGRATION_KEYS;

export type RuleFacts = Record<(typeof RULE_FACTS)[number], unknown>;

export interface RuleOutcome {
  fired: { name: string; type: string; params?: Record<string, unknown> }[];
  escalate: boolean;
  suppress: boolean;
  priority?: string;
  route?: { integrations?: string[]; slackChannel?: string };
}

type Json = Record<string, unknown>;

const MAX_RULE_DEPTH = 24;

/** Stops counting past `limit`, so even a pathologically nested value is cheap to check. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (limit === 0) return true;
  return Object.values(value).some((v) => nestsDeeperThan(v, limit - 1));
}

function checkCondition(node: unknown, where: string, problems: string[]) {
  if (!node || typeof node !== 'object') return problems.push(`${where}: must be an object`);
  const c = node as Json;
  for (const key of ['all', 'any'] as const) {
    if (key in c) {
      if (!Array.isArray(c[key])) return problems.push(`${where}.${key}: must be an array`);
      for (const [i, child] of (c[key] as unknown[]).entries()) checkCondition(child, `${where}.${key}[${i}]`, problems);
      return;
    }
  }
  if ('not' in c) return checkCondition(c.not, `${where}.not`, problems);
  if ('condition' in c) return problems.push(`${where}: shared condition references are not supported`);
  if (!RULE_FACTS.includes(c.fact as never)) problems.push(`${where}: unknown fact "${String(c.fact)}" (facts: ${RULE_FACTS.join(', ')})`);
  if (!OPERATORS.includes(c.operator as never)) problems.push(`${where}: unknown operator "${String(c.operator)}" (operators: ${OPERATORS.join(', ')})`);
  if (!('value' in c)) return problems.push(`${where}: needs a value`);
  const value = c.value as Json | null;
  const reference = value !== null && typeof value === 'object' && !Array.isArray(value) && 'fact' in value;
  if (reference && !RULE_FACTS.includes(value.fact as never))
    problems.push(`${where}.value: unknown fact "${String(value.fact)}" (facts: ${RULE_FACTS.join(', ')})`);
  // json-rules-engine calls value.indexOf for these: anything but a list fails at evaluation time.
  if ((c.operator === 'in' || c.operator === 'notIn') && !Array.isArray(value))
    problems.push(`${where}.value: operator "${c.operator}" needs a list of values`);
}

function checkEvent(event: unknown, where: string, problems: string[]) {
  const e = (event ?? {}) as Json;
  const params = (e.params ?? {}) as Json;
  if (!EVENT_TYPES.includes(e.type as never)) return problems.push(`${where}.type: unknown event type "${String(e.type)}" (types: ${EVENT_TYPES.join(', ')})`);
  if (e.type === 'setPriority' && !PRIORITIES.includes(params.priority as string))
    problems.push(`${where}.params.priority: must be one of ${PRIORITIES.join(', ')}`);
  if (e.type === 'route') {
    const integrations = params.integrations;
    if (integrations !== undefined && (!Array.isArray(integrations) || integrations.some((i) => !ROUTABLE.includes(i))))
      problems.push(`${where}.params.integrations: must be a list of ${ROUTABLE.join(', ')}`);
    if (params.slackChannel !== undefined && typeof params.slackChannel !== 'string')
      problems.push(`${where}.params.slackChannel: must be a channel name or ID`);
    if (integrations === undefined && params.slackChannel === undefined) problems.push(`${where}.params: route needs integrations or slackChannel`);
  }
}

/** Rejects, when a store saves them, rules that would only fail when a conversation is evaluated. */
export function validateRules(rules: unknown[]): void {
  const problems: string[] = [];
  rules.forEach((rule, i) => {
    const r = rule as Json;
    const where = `rules[${i}]${typeof r.name === 'string' ? ` ("${r.name}")` : ''}`;
    // Deep nesting would overflow the stack of the checks below and of JSON serialisation.
    if (nestsDeeperThan(rule, MAX_RULE_DEPTH)) {
      problems.push(`${where}: nests more than ${MAX_RULE_DEPTH} levels deep`);
      return;
    }
    if (typeof r.name !== 'string' || !r.name.trim()) problems.push(`${where}.name: every rule needs a name`);
    checkCondition(r.conditions, `${where}.conditions`, problems);
    checkEvent(r.event, `${where}.event`, problems);
    if (problems.length === 0) {
      try {
        new Engine().addRule(r as unknown as RuleProperties);
      } catch (err) {
        problems.push(`${where}: ${(err as Error).message}`);
      }
    }
  });
  if (problems.length) throw new Invalid(`Invalid store rules: ${problems.join('; ')}`, problems);
}

const engines = new WeakMap<object, Engine>();

/** Runs a store's rules over the decision's facts. */
export async function runRules(rules: unknown[], facts: RuleFacts): Promise<RuleOutcome> {
  const outcome: RuleOutcome = { fired: [], escalate: false, suppress: false };
  if (rules.length === 0) return outcome;
  let engine = engines.get(rules);
  if (!engine) {
    engine = new Engine(rules as RuleProperties[], { allowUndefinedFacts: true });
    engines.set(rules, engine);
  }
  const { results } = await engine.run(facts);
  for (const result of results) {
    const event = result.event!;
    const params = event.params as Json | undefined;
    outcome.fired.push({ name: result.name, type: event.type, params });
    if (event.type === 'escalate') outcome.escalate = true;
    if (event.type === 'suppress') outcome.suppress = true;
    if (event.type === 'setPriority') outcome.priority = params?.priority as string;
    if (event.type === 'route')
      outcome.route = {
        ...outcome.route,
        ...(params?.integrations ? { integrations: params.integrations as string[] } : {}),
        ...(params?.slackChannel ? { slackChannel: params.slackChannel as string } : {}),
      };
  }
  return outcome;
}
