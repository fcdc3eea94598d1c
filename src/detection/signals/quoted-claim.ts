/**
 * A claim the customer puts in scare quotes: the shop's word for the product or the order, quoted to
 * say it was not true — "the 'waterproof' jacket let the rain through", "my parcel was "delivered"
 * while I sat next to the door", "the 'indestructible' toy lasted 11 minutes". Read as irony (a fact of
 * kind "sarcasm" for signals/frustration.ts).
 *
 * Only a quoted span that is exactly one of the claims below counts: a quoted product or plan name
 * ("the 'Fresh Linen' candle", "the 'Download invoice' button") is no claim, and neither is a quote
 * inside a question ("is the 'waterproof' one any better?"), nor a claim the message then confirms
 * ("the 'indestructible' toy is actually indestructible").
 */

import { chosenLabel } from '../tokenize.ts';

/** claims about a product's quality or an order's state, as a shop words them */
const CLAIMS: ReadonlySet<string> = new Set([
  'waterproof',
  'water resistant',
  'water-resistant',
  'fresh',
  'indestructible',
  'unbreakable',
  'durable',
  'sturdy',
  'heavy duty',
  'heavy-duty',
  'in stock',
  'delivered',
  'dispatched',
  'shipped',
  'on its way',
  'out for delivery',
  'resolved',
  'fixed',
  'sorted',
  'next day',
  'next-day',
  'same day',
  'same-day',
  'express',
  'guaranteed',
  'brand new',
  'genuine',
  'authentic',
  'quality',
  'high quality',
  'premium',
  'luxury',
  'tracked',
  'priority',
  'safe',
  'secure',
  'helpful',
  'customer service',
  'gift wrapped',
  'gift-wrapped',
  'protective',
  'fits all',
  'one size',
  'easy',
  'simple',
  'processing',
  'refunded',
  'approved',
]);

/** a short span in single or double quotes, straight or curly, standing as its own words */
const QUOTED = /(?:^|[\s(])['"‘“]([A-Za-z][A-Za-z -]{0,22}[A-Za-z])['"’”](?=[\s.,!?;:)]|$)/g;
const MAX_TEXT = 3000;
const OPENING_QUOTES = new Set(["'", '"', '‘', '“']);
/** after a label quoted: words that say it is not so */
const CONTRADICTED =
  /\b(?:not|isnt|isn't|isn’t|hasnt|hasn't|hasn’t|wasnt|wasn't|wasn’t|havent|haven't|haven’t|didnt|didn't|didn’t|aint|nothing|never|nowhere|no one|nobody|no sign|no parcel|no package|still|yet)\b/;
/** an intensifier in front of a claim: "fully waterproof", "totally indestructible", "super easy" */
const INTENSIFIED = /^(?:(?:fully|completely|totally|entirely|super|really|very|truly|extra|ultra|perfectly|absolutely|genuinely|100 percent|guaranteed) )+/;

/** The claim quoted in scare quotes in a message's raw text ("'waterproof'"), or null. */
export function quotedClaim(text: string): string | null {
  if (typeof text !== 'string' || text.length === 0) return null;
  const t = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
  // cheap reject: no quote opening a word (an apostrophe inside "don't" opens none)
  if (t.indexOf(" '") < 0 && t.indexOf('"') < 0 && t.indexOf('‘') < 0 && t.indexOf('“') < 0 && t.charCodeAt(0) !== 39) return null;
  QUOTED.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = QUOTED.exec(t)) !== null) {
    // "'fully waterproof'", "'super easy'": the claim with the shop's own intensifier
    const claim = m[1]!.toLowerCase().replace(INTENSIFIED, '');
    if (!CLAIMS.has(claim)) continue;
    // 'it says "Out for delivery" for today, thanks', 'the status is "processing"': the system's label quoted, not scare quotes —
    // unless the message then says it is not so ('tracking says "delivered", it has not been', 'it says "delivered". nothing here.')
    const open = OPENING_QUOTES.has(t[m.index]!) ? m.index : m.index + 1;
    if (chosenLabel(t, open, m.index + m[0].length - 1) && !CONTRADICTED.test(t.slice(m.index + m[0].length).toLowerCase())) continue;
    // the sentence it sits in asks ("is the 'waterproof' one better?")
    const end = sentenceEnd(t, m.index + m[0].length);
    if (end < t.length && t[end] === '?') continue;
    // "the 'indestructible' toy is actually indestructible": the claim said again, unquoted, holds
    if (confirmed(t.toLowerCase(), claim)) continue;
    return `'${claim}'`;
  }
  return null;
}

const CONFIRMING = [
  'actually ',
  'really ',
  'truly ',
  'genuinely ',
  'actually is ',
  'really is ',
  'really are ',
  'actually are ',
  'is actually ',
  'are actually ',
  'is really ',
  'are really ',
  'is truly ',
  'are truly ',
];

function confirmed(lower: string, claim: string): boolean {
  for (const p of CONFIRMING) if (lower.includes(p + claim)) return true;
  return false;
}

function sentenceEnd(t: string, from: number): number {
  for (let k = from; k < t.length; k++) {
    const c = t[k];
    if (c === '.' || c === '!' || c === '?' || c === '\n') return k;
  }
  return t.length;
}
