/**
 * A complaint the company acted on and the customer thanked for: "the planter came cracked" — "I've
 * issued a full refund" — "that's heaps good of you, thanks heaps". The thanks at the end, after a
 * reply that reports an action (or after a concrete answer, when the customer also says it is over:
 * "it's just arrived, all there, thanks!"), with no push-back in between, closes the complaints told
 * before that reply. A polite closing after a reply that did nothing ("it's on its way" — "ok thanks")
 * closes nothing.
 */

/** words that thank */
const THANKS = new Set(['thanks', 'thank', 'cheers', 'thx', 'ty', 'appreciate', 'appreciated', 'grateful', 'ta', 'asante', 'salamat']);
/** words that keep a thanks from closing anything: the problem is still there, or the thanks is ironic */
const STILL_WRONG = new Set([
  'still',
  'again',
  'another',
  'nothing',
  'never',
  'useless',
  'wrong',
  'broken',
  'late',
  'without',
  'yet',
  'but',
  'however',
  'though',
  'although',
  '🙃',
  '🙄',
  '😒',
  '😤',
  '😡',
  '😠',
]);

/** "again" after the customer's own look is no recurrence: "I check again this morning, now is only one" */
const LOOKED = new Set(['check', 'checked', 'checking', 'look', 'looked', 'looking', 'refresh', 'refreshed', 'refreshing']);

/** what a contrast leads to when it ends well: "wasn't a big deal but nice to get it", "… but glad it's sorted" */
const GOOD_AFTER = new Set([
  'nice',
  'lovely',
  'great',
  'good',
  'glad',
  'happy',
  'pleased',
  'brilliant',
  'perfect',
  'fab',
  'fantastic',
  'appreciated',
  'grateful',
]);
const CONTRAST = new Set(['but', 'however', 'though', 'although']);

/** toks[k] keeps a thanks from closing anything (STILL_WRONG, except "checked again" and a contrast that turns to the good) */
function stillWrong(toks: readonly string[], k: number): boolean {
  const t = toks[k]!;
  if (!STILL_WRONG.has(t)) return false;
  // "no big deal but nice to have it", "but really glad": the contrast ends on the good side
  if (CONTRAST.has(t)) {
    const a = toks[k + 1] ?? '';
    return !(GOOD_AFTER.has(a) || ((a === 'really' || a === 'very' || a === 'so') && GOOD_AFTER.has(toks[k + 2] ?? '')));
  }
  return t !== 'again' || k === 0 || !LOOKED.has(toks[k - 1]!);
}

export interface ClosingTurn {
  /** index into the conversation's messages */
  index: number;
  toks: readonly string[];
  /** the customer says the last answer did not help */
  notHelped: boolean;
}

export interface ClosingInput {
  messages: readonly unknown[];
  /** the customer messages read, oldest first */
  customer: readonly ClosingTurn[];
  /** the customer messages' sentiment, aligned with the end of `customer` (older ones may be missing) */
  scores: readonly { readonly score: number }[];
  /** an assistant reply reports an action ("I've issued a refund", "sent a replacement") */
  acted: (text: string) => boolean;
  /** an assistant reply answers concretely (a day, a time) */
  concrete: (text: string) => boolean;
  /** the latest customer message says the problem is over ("it's arrived", "all sorted") */
  saysOver: () => boolean;
}

function replyText(m: unknown): string | null {
  if (!m || typeof m !== 'object') return null;
  const r = m as { role?: unknown; text?: unknown };
  if (r.role !== 'assistant' || typeof r.text !== 'string') return null;
  return r.text.length > 1000 ? r.text.slice(0, 1000) : r.text;
}

/**
 * The index (into messages) of the assistant reply whose action the customer's closing thanks accepts,
 * or −1 when the conversation does not end so.
 */
export function thankedAction(input: ClosingInput): number {
  const { messages, customer } = input;
  const scores = input.scores;
  const offset = customer.length - scores.length;
  const closing = closingThanks(customer);
  if (closing < 0 || closing < offset || scores[closing - offset]!.score < 0) return -1;
  const latest = customer[closing]!;
  const toks = latest.toks;
  if (toks.length === 0 || toks[toks.length - 1] === '?') return -1;
  let thanks = false;
  for (let k = 0; k < toks.length; k++) {
    if (stillWrong(toks, k)) return -1;
    if (THANKS.has(toks[k]!)) thanks = true;
  }
  if (!thanks) return -1;
  // the latest reply reporting an action, with no push-back from the customer after it
  let c = closing;
  for (let k = latest.index - 1; k >= 0; k--) {
    while (c >= 0 && customer[c]!.index > k) c--;
    if (c >= 0 && customer[c]!.index === k) {
      // push-back that is not negative ("actually my husband found one that fits, no need to refund") does not reopen it
      if (customer[c]!.notHelped && (c < offset || scores[c - offset]!.score < 0.1)) return -1;
      continue;
    }
    const text = replyText(messages[k]);
    if (text !== null && input.acted(text)) return k;
  }
  // no action reported: a concrete answer right before, and the customer says it is over
  for (let k = latest.index - 1; k >= 0; k--) {
    const m = messages[k] as { role?: unknown } | null;
    if (!m || typeof m !== 'object') continue;
    if (m.role === 'customer') return -1;
    const text = replyText(m);
    if (text === null) return -1;
    return input.concrete(text) && input.saysOver() ? k : -1;
  }
  return -1;
}

/** a short sign-off after the thanks: "nope that's it 👍", "all good", "bye", "nope that's everything, have a good day" */
const SIGN_OFF_WORDS = 8;

/**
 * The position (in `customer`) of the message that closes with thanks: the latest, or the one before
 * it when the latest is a short sign-off with no question and no complaint tell ("nope that's it 👍");
 * −1 when neither thanks.
 */
export function closingThanks(customer: readonly ClosingTurn[]): number {
  const n = customer.length;
  if (n === 0) return -1;
  if (hasThanks(customer[n - 1]!.toks)) return n - 1;
  if (n < 2) return -1;
  let words = 0;
  const last = customer[n - 1]!.toks;
  for (let k = 0; k < last.length; k++) {
    const t = last[k]!;
    if (t === '?' || stillWrong(last, k)) return -1;
    const c = t.charCodeAt(0);
    if (c >= 97 && c <= 122 && ++words > SIGN_OFF_WORDS) return -1;
  }
  return hasThanks(customer[n - 2]!.toks) ? n - 2 : -1;
}

function hasThanks(toks: readonly string[]): boolean {
  for (let k = 0; k < toks.length; k++) if (isThanks(toks[k]!)) return true;
  return false;
}

/** the first letters of THANKS' words: most tokens start otherwise, and the set is not asked about them */
const THANKS_INITIALS = new Uint8Array(128);
for (const w of THANKS) THANKS_INITIALS[w.charCodeAt(0)] = 1;

function isThanks(t: string): boolean {
  const c = t.charCodeAt(0);
  return c < 128 && THANKS_INITIALS[c] === 1 && THANKS.has(t);
}

/**
 * The customer ends on thanks: the latest message (or, when the latest is a short sign-off such as
 * "have a good evening", the one before it) thanks, asks nothing and has no complaint tell.
 */
export function endsOnThanks(customer: readonly ClosingTurn[], scores: readonly number[]): boolean {
  const n = customer.length;
  if (n === 0 || scores.length === 0) return false;
  if (thanksClose(customer[n - 1]!.toks, scores[scores.length - 1]!)) return true;
  const latest = customer[n - 1]!.toks;
  if (n < 2 || scores.length < 2 || latest.length > 8 || latest.indexOf('?') >= 0 || scores[scores.length - 1]! < 0) return false;
  return thanksClose(customer[n - 2]!.toks, scores[scores.length - 2]!);
}

function thanksClose(toks: readonly string[], score: number): boolean {
  if (score < 0 || toks.length === 0 || toks.indexOf('?') >= 0) return false;
  let thanks = false;
  for (let k = 0; k < toks.length; k++) {
    if (stillWrong(toks, k)) return false;
    if (THANKS.has(toks[k]!)) thanks = true;
  }
  return thanks;
}
