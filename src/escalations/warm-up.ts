// A fresh API process runs the detector's code unoptimised at first: in the benchmark's first ten
// seconds a case cost a third more CPU than later, and the slowest POSTs came from those seconds.
// Before it listens, the API runs the detector (and the request schema) over a few conversations of
// every kind, so V8 has compiled the hot paths by the time the first customer's request arrives.
// It also opens its Postgres sessions and prepares the statements of a request on them: the first
// POST /escalate of a fresh process was answered in 38–40 ms against 6–10 ms a moment later.
import { escalateBody } from './schemas.ts';
import { compileSettings, detect, type Message } from '../detection/index.ts';
import type { SqlPool } from '../db/sql.ts';
import { warmUpPool } from '../db/warm-up.ts';
import { countEvaluationsUnlessOpen, insertCases } from './hot-path.ts';
import { writeAppends } from './follow-up.ts';
import { STORE_LOOK_UPS_OF_NOTHING } from '../stores/store-directory.ts';
import { formatWait } from '../sla/handoff.ts';

const c = (text: string): Message => ({ role: 'customer', text });
const a = (text: string): Message => ({ role: 'assistant', text });

/** Conversations of the kinds the detector tells apart, in the request's shape (made up, not from any set). */
const SAMPLES: Message[][] = [
  [c('Hi, do you ship to Canada?'), a('Yes, we ship to Canada in 5-7 business days.'), c('Great, thanks so much!')],
  [
    c('Where is my order #4821? It has been two weeks.'),
    a('I understand. Your parcel is in transit.'),
    c("That's what you said last week. This is the third time I'm asking!"),
    a('I understand. Your parcel is in transit.'),
    c('I want to speak to a manager right now.'),
  ],
  [c('The charger got really hot and started smoking, my son burned his hand'), a('I am sorry to hear that.'), c('He is 6. What do I do?')],
  [c('Oh great, another delay. Love that for me 🙃'), a('Sorry about the wait!'), c('Sure, no worries at all.')],
  [c('Can I return the blue jacket? https://shop.example/orders/99812'), a('Yes, within 30 days.'), c('Perfect 😊 thank you!!')],
  [
    c('I was charged twice, $89.90 each, for order 55120'),
    a('Refunds take 5-10 days.'),
    c('I asked why I was charged twice, not how long refunds take'),
    a('Refunds take 5-10 days.'),
    c('If this is not fixed I will dispute it with my bank and go to small claims'),
  ],
  [c('the lamp arrived broken, glass everywhere'), a('We can offer a 10% voucher.'), c("I don't want a voucher, I want a refund. I've sent photos twice")],
  [c('Do you have size 38 in the Fire Red sneakers?'), a('Yes, 38 is in stock.'), c('Cool, and can I cancel the gift wrap?')],
];

/** The warm-up's request bodies (exported for its test: they must exercise every path). */
export const WARM_UP_BODIES = SAMPLES.map((messages, i) => ({
  conversationId: `warm-up-${i}`,
  channel: 'web_chat',
  aiConfidence: i % 2 ? 0.42 : 0.91,
  customer: { name: 'Warm Up', email: 'warm-up@example.com', tier: i % 3 ? undefined : 'vip' },
  order: i % 2 ? { number: `${1000 + i}`, total: 40 + i * 30 } : undefined,
  messages,
}));

/** Runs the request schema and the detector `rounds` times over every sample; returns the milliseconds it took. */
export function warmUpDetector(rounds = 250): number {
  const started = performance.now();
  const settings = compileSettings({});
  for (let r = 0; r < rounds; r++) {
    for (const body of WARM_UP_BODIES) detect(escalateBody.parse(body), settings);
  }
  // The handoff's wait in words (src/sla/handoff.ts): a process's first Intl object sets up ICU, 13 ms
  // of a fresh API's first POST /escalate by its CPU profile.
  formatWait(20, 'en');
  return performance.now() - started;
}

/** Sessions of the API's pool opened at the start: a case statement rarely has another in flight beside it (GroupCommit). */
const REQUEST_SESSIONS = 2;

/**
 * Opens the API's Postgres sessions and prepares on each the statements of a request (the key and
 * store look-ups, the case writes) with nothing to find or write; returns the milliseconds it took.
 */
export async function warmUpStatements(sql: SqlPool): Promise<number> {
  const started = performance.now();
  await warmUpPool(sql, REQUEST_SESSIONS, [
    ...STORE_LOOK_UPS_OF_NOTHING,
    (s) => insertCases(s, []),
    (s) => countEvaluationsUnlessOpen(s, []),
    (s) => writeAppends(s, []),
  ]);
  return performance.now() - started;
}
