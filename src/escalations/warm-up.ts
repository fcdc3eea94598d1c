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
  [
    c('How long does delivery to Germany take?'),
    a('3-5 business days.'),
    c('What about returns, are they free?'),
    a('Yes, within 30 days.'),
    c('Ok. Can I pay with Klarna as well?'),
  ],
  // The tokenizer's rare shapes (order number, hashtag, mention, glued words, capitals, "o'clock", single
  // quotes, an elongated word): each first met in traffic recompiled tokenize() (8 times over the own set, 4 with this).
  [
    c("Ordered at 9 o'clock, #A-1042 is STILL not here @acme #neveragain NeverAgain"),
    a("Sorry! It will be with you 'soon'."),
    c("'soon' lol. It's too small anyway, sooooo disappointing, I'd have waited 2 weeks for nothing if I hadn't checked"),
  ],
];

/**
 * The customer and order objects in the shapes chat backends send: some fields, all, none. The
 * detector's compiled code depends on the shapes it has seen; a shape first met after the warm-up
 * (a customer without `tier`, say) threw that code away in the first second of traffic.
 */
const CUSTOMERS = [
  { name: 'Warm Up', email: 'warm-up@example.com', tier: 'vip' },
  { name: 'Warm Up', email: 'warm-up@example.com' },
  { id: 'cus_1', email: 'warm-up@example.com', phone: '+1 555 0100', profileId: 'p-1' },
  undefined,
];
const ORDERS = [undefined, { number: '1001', total: 70 }, { number: '1002', total: 12.5, currency: 'EUR', status: 'shipped' }];

/** The warm-up's request bodies (exported for its test: they must exercise every path). */
export const WARM_UP_BODIES = SAMPLES.map((messages, i) => ({
  conversationId: `warm-up-${i}`,
  channel: 'web_chat',
  ...(i % 4 === 3 ? {} : { aiConfidence: i % 2 ? 0.42 : 0.91 }),
  ...(CUSTOMERS[i % CUSTOMERS.length] ? { customer: CUSTOMERS[i % CUSTOMERS.length] } : {}),
  ...(ORDERS[i % ORDERS.length] ? { order: ORDERS[i % ORDERS.length] } : {}),
  messages,
}));

const WARM_UP_JSON = WARM_UP_BODIES.map((body) => JSON.stringify(body));

/** Rounds run at the least: V8 marks detect() for optimisation after about this many calls. */
const MIN_ROUNDS = 250;
/** Once its optimised code runs, a round takes under 1/2.5 of an early round's time (4–5× less here). */
const OPTIMISED_SPEED_UP = 2.5;
/** Rounds run on once the optimised code runs, so a sample it was not compiled for deoptimises here, not in traffic. */
const SETTLE_ROUNDS = 50;
/** The warm-up's bound, whatever the machine or V8's flags: it delays the API's start. */
const MAX_WARM_UP_MS = 2000;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[sorted.length >> 1]!;
}

/**
 * Runs the request schema and the detector over every sample, in rounds, until the optimised detect()
 * runs (its compile takes 0.3–0.8 s on a background thread and ended after a fixed 250 rounds, in the
 * first burst of traffic) and SETTLE_ROUNDS more, or `maxMs`; returns the milliseconds it took.
 */
export function warmUpDetector(maxMs = MAX_WARM_UP_MS): number {
  const started = performance.now();
  const settings = compileSettings({});
  const roundMs: number[] = [];
  let earlyMs = 0;
  let optimisedAt = -1;
  for (let r = 0; ; r++) {
    const roundStarted = performance.now();
    // As a request arrives: parsed from JSON text (its objects' shapes are not an object literal's), validated as the route does.
    for (const body of WARM_UP_JSON) {
      const parsed = escalateBody.safeParse(JSON.parse(body));
      if (parsed.success) detect(parsed.data, settings);
    }
    const now = performance.now();
    roundMs.push(now - roundStarted);
    if (r === 60) earlyMs = median(roundMs.slice(20));
    if (optimisedAt < 0 && r >= MIN_ROUNDS && median(roundMs.slice(-10)) * OPTIMISED_SPEED_UP <= earlyMs) optimisedAt = r;
    if ((optimisedAt >= 0 && r >= optimisedAt + SETTLE_ROUNDS) || now - started >= maxMs) break;
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
