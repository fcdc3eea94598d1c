/**
 * Intent: keyword/phrase scoring over the customer's messages. Each phrase adds its weight to an
 * intent (3 = decisive, 2 = strong, 1 = hint); the intent with the highest total wins, ties broken
 * by INTENT_TIE_ORDER; no match → "other". Messages count with recency weights (the latest ×1,
 * earlier ones ×0.8 each, floor 0.4) so a new topic can take over. `detectedIntent` from the caller
 * wins when it is one of INTENTS.
 */
import { phraseWords } from './tokenize.ts';
import { PhraseTrie, type PhraseMatch } from './trie.ts';
import { INTENTS, type Intent } from './types.ts';

type Scored = Exclude<Intent, 'other'>;

export const INTENT_VOCABULARY: Readonly<Record<Scored, Readonly<Record<string, number>>>> = {
  legal: {
    lawyer: 5,
    lawyers: 5,
    attorney: 5,
    attorneys: 5,
    sue: 5,
    suing: 5,
    sued: 4,
    lawsuit: 5,
    court: 4,
    'legal action': 5,
    'take legal action': 5,
    'small claims': 5,
    litigation: 5,
    solicitor: 5,
    'class action': 5,
    legal: 2,
    'consumer protection': 4,
    'trading standards': 4,
    bbb: 3,
    'better business bureau': 4,
    'attorney general': 5,
    ftc: 3,
  },
  damaged_item: {
    damaged: 3,
    damage: 2,
    broken: 3,
    broke: 2,
    cracked: 3,
    shattered: 3,
    smashed: 3,
    dented: 3,
    defective: 3,
    faulty: 3,
    torn: 2,
    ripped: 2,
    scratched: 2,
    leaking: 3,
    leaks: 2,
    'doesnt work': 3,
    'does not work': 3,
    'not working': 3,
    'stopped working': 3,
    'arrived broken': 4,
    'arrived damaged': 4,
    malfunction: 3,
    malfunctioning: 3,
    'wrong item': 2,
    'missing parts': 3,
    'missing pieces': 3,
    dead: 1,
    'wont turn on': 3,
    'will not turn on': 3,
    'doesnt turn on': 3,
    unusable: 2,
    crushed: 3,
    stained: 2,
    'poor quality': 1,
    'caught fire': 3,
    overheating: 3,
    overheated: 3,
    exploded: 3,
    sparks: 2,
    replacement: 1,
    replace: 1,
  },
  refund_return: {
    refund: 3,
    refunds: 3,
    refunded: 3,
    reimburse: 3,
    reimbursement: 3,
    'money back': 3,
    return: 3,
    returns: 2,
    returning: 3,
    'return label': 4,
    'send it back': 3,
    'send back': 2,
    exchange: 2,
    replacement: 1,
    replace: 1,
    'store credit': 3,
    rma: 3,
  },
  cancellation: {
    cancel: 3,
    cancelled: 3,
    canceled: 3,
    cancelling: 3,
    canceling: 3,
    cancellation: 3,
    'cancel my order': 5,
    'cancel my subscription': 5,
    unsubscribe: 3,
    'stop my subscription': 4,
    'stop my order': 4,
    'close my account': 2,
    'dont want it anymore': 2,
  },
  billing: {
    charged: 3,
    charge: 2,
    charges: 2,
    'charged twice': 5,
    'double charged': 5,
    overcharged: 4,
    invoice: 3,
    receipt: 2,
    payment: 2,
    paid: 1,
    billing: 3,
    billed: 3,
    bill: 2,
    'credit card': 2,
    card: 1,
    subscription: 1,
    fee: 2,
    fees: 2,
    coupon: 2,
    discount: 2,
    'promo code': 3,
    'discount code': 3,
    price: 1,
    tax: 1,
    vat: 2,
    paypal: 1,
    transaction: 2,
  },
  delivery: {
    delivery: 3,
    deliver: 2,
    delivered: 2,
    shipping: 2,
    shipped: 2,
    ship: 1,
    shipment: 3,
    package: 2,
    parcel: 2,
    tracking: 3,
    'tracking number': 4,
    track: 2,
    courier: 3,
    carrier: 2,
    'in transit': 3,
    'where is my order': 4,
    'where is my package': 4,
    'where is my parcel': 4,
    'where my order': 3,
    'never arrived': 4,
    'hasnt arrived': 4,
    'has not arrived': 4,
    'not arrived': 3,
    'not received': 2,
    'never received': 2,
    arrive: 1,
    arrived: 1,
    late: 2,
    delayed: 2,
    delay: 2,
    lost: 1,
    ups: 2,
    fedex: 2,
    usps: 2,
    dhl: 2,
    'out for delivery': 4,
    dispatch: 2,
    dispatched: 2,
    eta: 2,
    address: 1,
  },
  account: {
    account: 3,
    login: 3,
    'log in': 3,
    'sign in': 3,
    'logged out': 3,
    password: 3,
    'reset password': 4,
    username: 3,
    'locked out': 4,
    locked: 2,
    '2fa': 3,
    'two factor': 3,
    verification: 2,
    verify: 2,
    'verification code': 3,
    profile: 2,
    'email address': 2,
    'delete my account': 4,
    hacked: 3,
  },
};

/** Tie order: the more specific / higher-risk intent first. */
export const INTENT_TIE_ORDER: readonly Scored[] = ['legal', 'damaged_item', 'refund_return', 'cancellation', 'billing', 'delivery', 'account'];

export const INTENT_LABELS: Readonly<Record<Intent, string>> = {
  refund_return: 'Refund/return',
  delivery: 'Delivery',
  damaged_item: 'Damaged item',
  billing: 'Billing',
  cancellation: 'Cancellation',
  account: 'Account',
  legal: 'Legal',
  other: 'Other',
};

export interface IntentHit {
  /** index in INTENT_TIE_ORDER */
  idx: number;
  weight: number;
}

export const INTENT_TRIE = new PhraseTrie<IntentHit[]>();
{
  const byPhrase = new Map<string, IntentHit[]>();
  for (let idx = 0; idx < INTENT_TIE_ORDER.length; idx++) {
    const vocab = INTENT_VOCABULARY[INTENT_TIE_ORDER[idx]!];
    for (const phrase of Object.keys(vocab)) {
      const key = phraseWords(phrase).join(' ');
      let hits = byPhrase.get(key);
      if (!hits) byPhrase.set(key, (hits = []));
      hits.push({ idx, weight: vocab[phrase]! });
    }
  }
  for (const [key, hits] of byPhrase) INTENT_TRIE.add(key.split(' '), hits);
}

const INTENT_SET = new Set<string>(INTENTS);

export function isIntent(v: unknown): v is Intent {
  return typeof v === 'string' && INTENT_SET.has(v);
}

/** Adds one message's intent evidence to `scores` (indexed like INTENT_TIE_ORDER). */
export function scoreIntentWords(words: readonly string[], weight: number, scores: Float64Array): void {
  const out: PhraseMatch<IntentHit[]>[] = [];
  INTENT_TRIE.scan(words, out);
  for (const m of out) {
    for (const h of m.value) scores[h.idx] = (scores[h.idx] ?? 0) + h.weight * weight;
  }
}

export function newIntentScores(): Float64Array {
  return new Float64Array(INTENT_TIE_ORDER.length);
}

export function pickIntent(scores: Float64Array): Intent {
  let best = -1;
  let bestScore = 0;
  for (let k = 0; k < scores.length; k++) {
    if (scores[k]! > bestScore) {
      bestScore = scores[k]!;
      best = k;
    }
  }
  return best < 0 ? 'other' : INTENT_TIE_ORDER[best]!;
}

/** Intent of a list of customer texts (oldest first); convenience for tests and callers. */
export function classifyIntent(texts: readonly string[], detectedIntent?: string): Intent {
  if (isIntent(detectedIntent)) return detectedIntent;
  const scores = newIntentScores();
  let w = 1;
  for (let k = texts.length - 1; k >= 0; k--) {
    scoreIntentWords(phraseWords(texts[k] ?? ''), w, scores);
    w = Math.max(0.4, w * 0.8);
  }
  return pickIntent(scores);
}
