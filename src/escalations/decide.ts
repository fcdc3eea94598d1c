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

interface PendingDetection {
  body: EscalateBody;
  settings: CompiledSettings;
  resolve: (decision: FullDecision) => void;
  reject: (err: unknown) => void;
}

let pending: PendingDetection[] = [];

function detectPending(): void {
  const batch = pending;
  pending = [];
  for (const p of batch) {
    try {
      p.resolve(detect(p.body, p.settings));
    } catch (err) {
      p.reject(err);
    }
  }
}

/**
 * The conversations of the requests read in one turn of the event loop are detected one after another
 * at its end (setImmediate), not each between its own request's parsing and answer.
 *
 * Why: the detector reads many tables and much code, and between two requests the kernel's network
 * work and the HTTP, validation and serialization code push them out of the CPU's caches and TLB (on
 * this VM every system call empties the TLB: PTI without PCID). The first detection of a turn pays for
 * that; the ones right after it find everything warm. Measured in the API process under a closed loop
 * on /escalations/evaluate (16 connections, 2 cores): a detection took 60–100 µs of CPU one by one and
 * 33–36 µs in its turn's batch (7.7 a turn; the detector alone in a tight loop: 23 µs), and the API's
 * CPU a request went 0.15–0.19 → 0.12–0.13 ms. A lone request waits for nothing: its turn has no other work.
 */
function detectInTurn(body: EscalateBody, settings: CompiledSettings): Promise<FullDecision> {
  return new Promise((resolve, reject) => {
    if (pending.push({ body, settings, resolve, reject }) === 1) setImmediate(detectPending);
  });
}

/** The detector's decision, then the store's rules over its facts (DESIGN §3, store rules). */
export async function evaluateConversation(store: StoreRecord, body: EscalateBody, now = new Date()): Promise<FullDecision> {
  const decision: FullDecision = await detectInTurn(body, settingsFor(store));
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
