/**
 * A damaged or faulty item met with a refusal, across turns: the customer says the item is broken
 * ("the glass top arrived shattered", "the jug cracked on first use", "a tear along the seam") and
 * the assistant refuses or stalls ("we can't offer refunds on furniture", "not covered by our returns
 * policy", "please contact the manufacturer", "it must be sent back in its original packaging"), or the customer reports the refusal themselves ("your
 * email said no refund because the box was opened"). Read as a complaint fact of kind `refused`.
 *
 * Structure, not phrases: a damage word in a customer message, then a refusal frame in a later
 * assistant reply that reports no action, or in a customer message that has the damage word too.
 */

/** words that say the item itself is damaged or does not work */
export const DAMAGE_WORDS: readonly string[] = (
  'broken broke damaged damage cracked crack cracks shattered smashed torn tear tears ripped rip dented dent snapped snap faulty fault defective scratched scratch chipped chip ' +
  'leaking leaks leaked bent crushed dead split peeling frayed mouldy moldy stained dud crackle crackles crackling buzzing rattling wobbly wobbles loose malfunctioning stopped'
).split(' ');

const DAMAGE = new Set(DAMAGE_WORDS);
const DENIES = new Set(['not', 'no', 'nt', 'isnt', 'arent', 'wasnt', 'werent', 'never', 'nothing', 'without']);
const FILLER = new Set(['really', 'at', 'all', 'even', 'actually', 'remotely', 'anything', 'something']);

/**
 * The message (its tokens) names damage it does not deny: "the strap snapped", not "not faulty or
 * broken or anything, just sizing" nor "the one thing that isn't broken" (damage denied is no damage).
 */
export function damageTold(toks: readonly string[]): boolean {
  for (let k = 0; k < toks.length; k++) {
    if (!DAMAGE.has(toks[k]!)) continue;
    let j = k - 1;
    // a list joined by "or": "not faulty or broken"
    while (j >= 1 && toks[j] === 'or' && DAMAGE.has(toks[j - 1]!)) j -= 2;
    while (j >= 0 && FILLER.has(toks[j]!)) j--;
    if (j < 0 || !DENIES.has(toks[j]!)) return true;
  }
  return false;
}

/** an assistant reply that refuses, or sends the customer elsewhere */
const REFUSES =
  /\b(?:unable to|not able to|can(?:no|'|’)?t (?:offer|accept|issue|process|refund|provide|give|replace|exchange|do|take|authorise|authorize|approve)|can(?:no|'|’)?t be (?:returned|refunded|exchanged|accepted|replaced)|not (?:covered|eligible|refundable|returnable|possible|accepted|able)|non-?refundable|no refunds?\b|outside (?:the|our|of the|of our) (?:\w+ )?(?:return|returns|warranty|refund|guarantee)|(?:customer|buyer)(?:'|’)?s responsibility|(?:is|are) your responsibility|(?:do|does|will|would) not (?:cover|accept|refund|offer|qualify)|(?:don|doesn|won)(?:'|’)?t (?:cover|accept|refund|offer|qualify)|contact the (?:manufacturer|brand|courier|carrier|seller)|considered (?:wear|misuse|cosmetic|normal|user)|wear(?: and |-and-| & )tear|(?:is|are) excluded|not (?:a )?(?:manufacturing|factory) (?:defect|fault)|received in good condition|signed for in good condition|(?:delivery|delivered|arrived) in good condition|(?:was|were|been|is|are) (?:\w+ and )?(?:declined|rejected|denied|refused|turned down)|(?:we|i)(?: have|(?:'|’)ve)? (?:had to )?(?:decline|declined|reject|rejected|deny|denied|refuse|refused)\b(?! to)|(?:damage|damaged|caused) (?:after|by)|only (?:accept|offer|refund|replace|exchange|be returned)|we(?:'|’)?re afraid|unfortunately|(?:must|has to|have to|needs? to) be (?:sent back|returned|posted back|sent|posted)[^.!?]{0,20} (?:in|with) (?:its|the|their|all) original (?:packaging|box|condition|tags)|only (?:if|when) (?:it is|it's|its|they are|they're|unused|unopened|in (?:its|the) original))\b/i;

/** the customer reports a refusal: "they refused a refund", "your email says refund not possible" */
const REPORTED =
  / (?:refused|rejected|declined|denied|turned down|refusing|rejecting|wont refund|will not refund|no refund|refund not possible|not covered|not eligible|cant return|cannot return|cant be returned|have to pay|make me pay|charge me for|told me (?:to|i have to|its)) /;

/** an assistant reply that reports an action: the refusal then is not the last word */
export interface RefusalInput {
  /** every message of the conversation */
  messages: readonly unknown[];
  /** index into messages of the first customer message with a damage word */
  damageAt: number;
  /** an assistant reply reports an action ("I've sent a replacement") */
  acted: (text: string) => boolean;
}

/** The refusal after a damage report, as the words that refuse, or null. */
export function refusalAfterDamage(input: RefusalInput): string | null {
  const { messages, damageAt, acted } = input;
  let found: string | null = null;
  for (let k = damageAt + 1; k < messages.length; k++) {
    const m = messages[k] as { role?: unknown; text?: unknown } | null;
    if (!m || typeof m !== 'object' || typeof m.text !== 'string' || m.role !== 'assistant') continue;
    const text = m.text.length > 1000 ? m.text.slice(0, 1000) : m.text;
    if (acted(text)) return null; // a later action answers the refusal
    const r = REFUSES.exec(text);
    if (r !== null) found ??= r[0];
  }
  return found;
}

/** a return, refund or claim the customer says was turned down: "my return request was rejected", "Rejected with the same reason." */
const REQUEST_REJECTED =
  / (?:(?:return|returns|refund|claim|request|exchange|appeal|replacement)(?: request| claim)? (?:was |has been |got |is |were |have been )?(?:rejected|declined|denied|refused|turned down)|(?:return|refund|claim|request|exchange|replacement)(?: [^ .,!?]+){0,4} (?:but |and )?(?:it|this|that) (?:was|got|has been) (?:rejected|declined|denied|refused|turned down)|(?:^|[.!] )(?:rejected|declined|denied|refused) (?:again|with|for|because|twice)) /;

/**
 * A return, refund or claim the customer says was rejected, in a message's tokenText (no damage word
 * needed: "I resubmitted 2 times with 8 clear photos. Rejected with the same reason."), or null.
 */
export function reportedRejection(text: string): string | null {
  const r = REQUEST_REJECTED.exec(text);
  if (r === null) return null;
  const after = text.slice(r.index + r[0].length - 1);
  // asked ("was my return request rejected? …"), or put right since ("… I've resubmitted and it's accepted now")
  const end = after.search(/[.!?]/);
  if (end >= 0 && after[end] === '?') return null;
  if (OVER_SINCE.test(after)) return null;
  return r[0].trim();
}
const OVER_SINCE = / (?:accepted|approved|sorted|resolved|went through|gone through|came through|been processed|been refunded) /;

/** The refusal a customer reports in a message's tokenText that also names the damage, or null. */
export function reportedRefusal(text: string): string | null {
  const r = REPORTED.exec(text);
  return r === null ? null : r[0].trim();
}
