import { z } from 'zod';
import type { RuleTarget, Service } from './module.ts';

export type { RuleTarget };

export const failureRuleSchema = z.object({
  /** A sandbox module's name: 'slack', 'zendesk', … */
  service: z.string().min(1).max(50),
  /**
   * Slack: the method name ('chat.postMessage', 'chat.*'). Zendesk/Freshdesk: 'VERB /path' or '/path'
   * ('POST /api/v2/tickets', 'PUT /api/v2/tickets/*'); '*' is a wildcard, a trailing '.json' is ignored.
   */
  method: z.string().min(1).optional(),
  status: z.number().int().min(100).max(599).optional(),
  retryAfter: z.number().min(0).optional(),
  hangMs: z.number().min(0).optional(),
  times: z.number().int().min(1).optional(),
  slackError: z.string().min(1).optional(),
  delayAfterCommitMs: z.number().min(0).optional(),
  /**
   * A helpdesk that commits late: the request is accepted, nothing happens for this long, then the
   * work is done (message, ticket, note stored) and the connection is closed without an answer.
   */
  commitAfterMs: z.number().min(0).optional(),
  /**
   * A helpdesk that commits at the worst moment: the request is accepted and carried out only just
   * after the next request to the same target (the caller's retry, which has already looked and found
   * nothing) was carried out; then its connection is closed without an answer. commitAfterMs, if set,
   * caps the wait (default 60 s). Unlike a fixed delay, this does not depend on when the retry comes.
   */
  commitAfterRetry: z.boolean().optional(),
});
export type FailureRule = z.infer<typeof failureRuleSchema>;

const stripJson = (p: string) => p.replace(/\.json$/, '');

function glob(pattern: string, value: string): boolean {
  const re = pattern
    .split('*')
    .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${re}$`).test(value);
}

export function ruleMatches(rule: FailureRule, target: RuleTarget): boolean {
  if (!rule.method) return true;
  const [verb, path] = rule.method.includes(' ') ? rule.method.split(/\s+/, 2) : ['*', rule.method];
  if (verb !== '*' && verb?.toUpperCase() !== target.verb.toUpperCase()) return false;
  return glob(stripJson(path ?? ''), stripJson(target.path));
}

interface HeldRequest {
  service: Service;
  rule: FailureRule;
  release: () => void;
}

export class Controls {
  rules: (FailureRule & { remaining: number })[] = [];
  private held: HeldRequest[] = [];
  latency: Record<Service, number> = {};
  private sleepers = new Set<() => void>();
  private closed = false;

  add(rule: FailureRule): void {
    this.rules.push({ ...failureRuleSchema.parse(rule), remaining: rule.times ?? 1 });
  }

  /** The first queued rule that applies to this request, consumed once. */
  take(service: Service, target: RuleTarget): FailureRule | undefined {
    const rule = this.rules.find((r) => r.service === service && ruleMatches(r, target));
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules.splice(this.rules.indexOf(rule), 1);
    return rule;
  }

  reset(): void {
    this.rules = [];
    this.latency = {};
    for (const h of this.held.splice(0)) h.release();
  }

  /** Resolves once another request to the rule's target has been carried out (or after maxMs). */
  holdUntilRepeated(service: Service, rule: FailureRule, maxMs: number): Promise<void> {
    return new Promise((resolve) => {
      const entry: HeldRequest = { service, rule, release: () => {} };
      const done = () => {
        this.held = this.held.filter((h) => h !== entry);
        resolve();
      };
      entry.release = done;
      this.held.push(entry);
      void this.sleep(maxMs).then(done);
    });
  }

  /** A request was carried out: every request held for one like it lands now. */
  carriedOut(service: Service, target: RuleTarget): void {
    for (const h of this.held.filter((h) => h.service === service && ruleMatches(h.rule, target))) h.release();
  }

  /** A delay that close() can cut short, so a hanging request never blocks shutdown. */
  sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  shutdown(): void {
    this.closed = true;
    for (const done of [...this.sleepers]) done();
  }
}
