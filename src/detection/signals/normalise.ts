/**
 * Word normalisation for "the same question reworded" (REPEATED_QUESTION): a light suffix stemmer
 * and a small table of support-chat synonyms, so that "when will my order get here?", "what's the
 * delivery date for my package?" and "so when does it arrive?" share their content.
 *
 * canonical(word) → the word's concept ("order", "parcel", "package" → "~item"; "refund",
 * "reimbursed", "money back" → "~refund"), else its stem ("resetting" → "reset", "labels" →
 * "label"), or '' for words that carry no content in a repeated question ("asking", "actually",
 * "whether", "or", "not"). Results are cached (bounded).
 *
 * A package was considered: compromise and wink-nlp are far slower than the detector's budget
 * (stack.md), and word-vector packages ship hundreds of MB; a synonym table of the support domain is
 * small, fast and explainable.
 */
import { WordTable } from '../wordtable.ts';
import { MONTHS_BUT_MAY } from './months.ts';

const CONCEPTS: Readonly<Record<string, readonly string[]>> = {
  '~item': [
    'order',
    'orders',
    'ordered',
    'package',
    'packages',
    'parcel',
    'parcels',
    'shipment',
    'item',
    'items',
    'purchase',
    'stuff',
    'goods',
    'product',
    'products',
  ],
  '~collect': ['collect', 'collecting', 'collection', 'pick', 'pickup', 'click', 'fetch'],
  '~shop': ['store', 'stores', 'shop', 'shops', 'branch', 'showroom', 'warehouse'],
  // a company named with its legal suffix ("Harlow & Pike Ltd", "Acme Inc") is the company
  '~company': ['company', 'business', 'vat', 'corporate', 'organisation', 'organization', 'ltd', 'llc', 'plc', 'inc', 'pty', 'gmbh'],
  // delivering and arriving are one subject: "when will it get here" = "the delivery date"
  '~arrive': [
    'delivery',
    'deliveries',
    'deliver',
    'delivers',
    'delivered',
    'delivering',
    'ship',
    'ships',
    'shipped',
    'shipping',
    'postage',
    'courier',
    'post',
    'posted',
    'dispatch',
    'dispatched',
    'arrive',
    'arrives',
    'arrived',
    'arriving',
    'arrival',
    'come',
    'comes',
    'coming',
    'came',
    'reach',
    'reaches',
    'sent',
    'here',
    'land',
    'lands',
    'show',
    'turn',
    'eta',
    'expect',
    'expected',
    'expecting',
    'receive',
    'received',
    'receiving',
    'process',
    'processed',
    'processing',
    'way',
    'send',
    'sending',
    'track',
    'tracking',
    'status',
  ],
  '~when': [
    'when',
    'date',
    'day',
    'long',
    'soon',
    'time',
    'eta',
    'yet',
    'morning',
    'afternoon',
    'evening',
    'slot',
    'tomorrow',
    'today',
    'tonight',
    'hour',
    // a date named by its month or its occasion: "before December 20th" = "for Christmas"
    ...MONTHS_BUT_MAY,
    'christmas',
    'xmas',
    'birthday',
    'weekend',
  ],
  '~refund': [
    'refund',
    'refunds',
    'refunded',
    'refunding',
    'reimburse',
    'reimbursed',
    'reimbursement',
    'repay',
    'repaid',
    'money',
    'back',
    'credited',
    'compensation',
    'compensate',
  ],
  '~return': ['return', 'returns', 'returned', 'returning', 'label', 'labels', 'postage'],
  '~cancel': ['cancel', 'cancels', 'cancelled', 'canceled', 'cancelling', 'canceling', 'cancellation', 'stop'],
  '~charge': ['charge', 'charges', 'charged', 'payment', 'payments', 'pay', 'paid', 'debit', 'debited', 'bill', 'billed', 'transaction', 'amount'],
  '~change': [
    'change',
    'changes',
    'changed',
    'changing',
    'update',
    'updated',
    'correct',
    'corrected',
    'amend',
    'amended',
    'modify',
    'edit',
    'fix',
    'fixed',
    'swap',
  ],
  '~address': ['address', 'addresses', 'destination', 'location', 'postcode', 'zip'],
  '~status': ['where', 'status', 'news', 'progress', 'happening', 'whereabouts', 'updates'],
  '~login': ['login', 'log', 'logging', 'logged', 'sign', 'signing', 'signin', 'password', 'passwords', 'account', 'access'],
  // "can't log in", "won't let me sign in", "login not working": the failure is the shared content
  '~fail': [
    'work',
    'works',
    'working',
    'worked',
    'function',
    'functioning',
    'operate',
    'cant',
    'cannot',
    'wont',
    'doesnt',
    'didnt',
    'isnt',
    'fail',
    'fails',
    'failed',
    'failing',
    'error',
    'broken',
    'stuck',
    'unable',
  ],
  '~promise': ['promise', 'promised', 'said', 'told', 'assured', 'guaranteed', 'confirmed'],
  '~stock': ['stock', 'available', 'availability', 'sell', 'sold', 'buy', 'separately', 'spare', 'carry'],
  '~voucher': ['voucher', 'vouchers', 'code', 'codes', 'discount', 'coupon', 'promo', 'credit', 'gift'],
  '~broken': ['broken', 'damaged', 'cracked', 'faulty', 'defective', 'smashed', 'shattered', 'dented'],
  '~assembled': ['assembled', 'assemble', 'assembly', 'attached', 'attach', 'screw', 'screwed', 'mounted', 'installed', 'install', 'together'],
  '~size': ['size', 'sizes', 'sizing', 'fit', 'fits', 'smaller', 'bigger', 'larger', 'small', 'big', 'large', 'tight', 'loose'],
  '~region': ['europe', 'european', 'eu', 'uk', 'british', 'english', 'england', 'usa', 'american', 'america', 'continental', 'international'],
  '~warranty': ['warranty', 'warranties', 'guarantee', 'guarantees', 'guaranteed', 'cover', 'covered'],
  '~split': ['split', 'half', 'part', 'parts', 'partial', 'partly', 'rest', 'remainder', 'remaining'],
  '~plug': ['socket', 'sockets', 'outlet', 'outlets', 'plug', 'plugs', 'voltage', 'adapter', 'adaptor'],
  '~compatible': ['compatible', 'compatibility', 'use', 'usable', 'suitable', 'support', 'supports'],
  '~price': ['price', 'prices', 'priced', 'expensive', 'cheaper', 'cheap', 'much', 'cost', 'costs', 'fee', 'fees'],
  '~invoice': ['invoice', 'invoices', 'receipt', 'receipts'],
  '~replace': ['replacement', 'replace', 'replaced', 'exchange', 'exchanged', 'another'],
  '~wrong': ['wrong', 'incorrect', 'different', 'mistake', 'mixed', 'instead'],
  '~need': [
    'need',
    'needs',
    'want',
    'wants',
    'like',
    'know',
    'tell',
    'asking',
    'ask',
    'asked',
    'wondering',
    'wonder',
    'whether',
    'actually',
    'or',
    'not',
    'just',
    'even',
    'so',
    'then',
    'mean',
    'exactly',
    'please',
    'going',
    'get',
    'got',
    'getting',
    'gonna',
    'yes',
    'which',
    'why',
    'how',
    'does',
    'do',
    'did',
    'is',
    'are',
    'will',
    'can',
    'could',
    'would',
    'am',
    'i',
    'my',
    'me',
    'you',
    'your',
    'the',
    'a',
    'an',
    'to',
    'for',
    'of',
    'on',
    'in',
    'with',
    'this',
    'that',
    'what',
    'whats',
    'again',
    'still',
    'or',
    'no',
    'sorry',
    'question',
    'questions',
    'quick',
    'more',
    'hello',
    'hey',
    'hi',
    'thanks',
    'thank',
    'help',
    'info',
    'mean',
    'answer',
    'basically',
    'really',
    '0',
    '1',
    '2',
    '3',
    '4',
    '5',
    '6',
    '7',
    '8',
    '9',
  ],
};

const TABLE = new Map<string, string>();
for (const [concept, words] of Object.entries(CONCEPTS)) {
  for (const w of words) if (!TABLE.has(w)) TABLE.set(w, concept === '~need' ? '' : concept);
}

const CACHE = new WordTable<string>(1024);
const CACHE_MAX = 20000;

/** A light English suffix stemmer ("resetting" → "reset", "labels" → "label", "replies" → "reply"). */
export function stem(w: string): string {
  const n = w.length;
  if (n <= 3) return w;
  const c0 = w.charCodeAt(0);
  if (c0 >= 48 && c0 <= 57) return w; // numbers and order references stay as they are
  let s = w;
  if (s.endsWith('ies') && n > 4) s = `${s.slice(0, -3)}y`;
  else if (s.endsWith('ing') && n > 5) s = undouble(s.slice(0, -3));
  else if (s.endsWith('ed') && n > 4) s = undouble(s.slice(0, -2));
  else if (s.endsWith('es') && n > 4 && /(?:ss|x|ch|sh)es$/.test(s)) s = s.slice(0, -2);
  else if (s.endsWith('s') && !s.endsWith('ss') && !s.endsWith('us') && n > 3) s = s.slice(0, -1);
  else if (s.endsWith('ly') && n > 5) s = s.slice(0, -2);
  else if (s.endsWith('ness') && n > 6) s = s.slice(0, -4);
  if (s.length > 3 && s.endsWith('e')) s = s.slice(0, -1);
  return s;
}

function undouble(s: string): string {
  const n = s.length;
  if (n >= 4 && s.charCodeAt(n - 1) === s.charCodeAt(n - 2) && !/[lsz]/.test(s[n - 1]!)) return s.slice(0, -1);
  return s;
}

/** The concept or stem of a word ('' when it carries no content in a question). */
export function canonical(w: string, hash?: number): string {
  const c0 = w.charCodeAt(0);
  // numbers and order references: as they are, not cached; a single digit ("1 year or 2") is not a subject
  if (c0 >= 48 && c0 <= 57) return w.length === 1 ? '' : w;
  const cached = hash === undefined ? CACHE.get(w) : CACHE.get(w, hash);
  if (cached !== undefined) return cached;
  let c = TABLE.get(w);
  if (c === undefined) {
    const s = stem(w);
    c = TABLE.get(s) ?? s;
  }
  if (CACHE.size >= CACHE_MAX) CACHE.clear();
  if (hash === undefined) CACHE.set(w, c);
  else CACHE.set(w, c, hash);
  return c;
}
