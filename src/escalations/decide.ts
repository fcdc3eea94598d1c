import { compileSettings, computePriority, detect, type CompiledSettings, type Priority } from '../detection/index.ts';
import { runRules } from '../rules/store-rules.ts';
import type { StoreRecord } from '../stores/store-directory.ts';
import type { EscalateBody } from './schemas.ts';
import type { FullDecision } from '../cases/decision.ts';

export type { FullDecision };

const compiled = new WeakMap<object, CompiledSettings>();

function settingsFor(store: StoreRecord): CompiledSettings {
  let settings = compiled.get(store.config);
  if (!settings) {
    settings = compileSettings(store.config.detection ?? {});
    compiled.set(store.config, settings);
  }
  return settings;
}

/** The detector's decision, then the store's rules over its facts (DESIGN §3, store rules). */
export async function evaluateConversation(store: StoreRecord, body: EscalateBody, now = new Date()): Promise<FullDecision> {
  const decision: FullDecision = detect(body, settingsFor(store));
  const rules = store.config.rules ?? [];
  if (rules.length === 0) return decision;
  const outcome = await runRules(rules, {
    sentiment: decision.sentiment,
    confidence: decision.confidence,
    keywords: decision.keywords,
    intent: decision.intent,
    turns: decision.turns,
    customerTier: body.customer?.tier ?? null,
    orderTotal: body.order?.total ?? null,
    channel: body.channel,
    hourOfDay: now.getUTCHours(),
  });
  for (const rule of outcome.fired) {
    decision.triggers.push({
      type: 'RULE_MATCH',
      value: rule.name,
      threshold: null,
      reason: `Store rule "${rule.name}" fired (${rule.type}${rule.params ? ` ${JSON.stringify(rule.params)}` : ''})`,
    });
  }
  if (outcome.escalate) {
    decision.shouldEscalate = true;
    // The detector ranked its own triggers only; a rule that escalates is a trigger like the others (PRIORITY.md).
    decision.priority = computePriority({
      triggers: decision.triggers,
      riskFlags: decision.riskFlags,
      intent: decision.intent,
      customerTier: body.customer?.tier,
      orderTotal: body.order?.total,
    });
  }
  if (outcome.suppress) {
    decision.shouldEscalate = false;
    decision.suppressed = true;
  }
  if (outcome.priority) decision.priority = outcome.priority as Priority;
  if (outcome.route) decision.route = outcome.route;
  return decision;
}
