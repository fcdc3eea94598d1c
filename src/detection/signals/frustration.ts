/**
 * Frustration stated as facts, at the conversation level: "on hold for 2 hours", "three emails
 * unanswered", "still no refund" (findComplaintFacts, facts.ts) count against the conversation's
 * sentiment unless the customer later says the problem is over.
 *
 * - A fact inside a question opened by a question word does not count ("do you refuse returns on
 *   swimwear?", "where is my order?").
 * - A later resolution ("it arrived this morning", "all sorted", "never mind, found it", "my bad")
 *   cancels the facts before it; a later bare acknowledgement ("ok thanks") cancels only facts told
 *   in a question that the assistant answered ("the parcel is a day late, any news?"); a polite
 *   closing does not cancel a complaint ("… still nothing. Thanks in advance", "never arrived" …
 *   "ok thanks, have a nice day").
 * - Unresolved facts put the computed conversation sentiment at most at FACT_SENTIMENT (one kind of
 *   fact) or MANY_FACTS_SENTIMENT (two kinds or more), so NEGATIVE_SENTIMENT fires and its reason
 *   names them.
 */
import { factsInTokens, type ComplaintFact, type ComplaintKind } from '../facts.ts';
import { compileGate, compilePatterns, compileTagged, inQuestion, isSentenceMark, matchTagged, openPatternsSplit, tokenText } from './pattern.ts';
import { elapsedFact, rhetoricalFact } from './elapsed.ts';
import { quotedClaim } from './quoted-claim.ts';
import { findSarcasm, hasIronicEmoji, maybeSarcastic } from './sarcasm.ts';

export const FACT_SENTIMENT = -0.6;
export const MANY_FACTS_SENTIMENT = -0.7;

const RESOLVED = compilePatterns([
  're:(?<! when| once| after| before| until| if| since| day| time| because) (?:it|its|parcel|package|order|refund|money|replacement|exchange|sofa|item|one|everything|all|they|them|goods|delivery|shipment)(?: has| have| finally| just| now| actually)? (?:arrived|came|turned up|showed up|came through|went through|got here|been released|been delivered|was delivered|were delivered) (?:today |this morning |yesterday |now |at last |finally |in the end |safely |fine |ok |okay |and |after all |[.,!] |$)',
  '(it|its|parcel|package|order|refund|money|replacement|sofa|item|everything) (is|are) here (now)?',
  'here now',
  // "just arrived while I was typing", "it's just turned up actually!"
  're:^ (?:oh |ah |ok |okay )?(?:it |its |it s )?(?:just|finally) (?:arrived|came|turned up|showed up|got here) ',
  // "they've literally just pulled up", "the driver's here now"
  're: (?:they|driver|courier|van|he|she)(?: have| ve| has| s| is| are)?(?: literally| finally| just| now)+ (?:pulled up|turned up|showed up|arrived|here now|at the door) ',
  '(arrived|came|delivered|turned up|showed up) (this morning|today|yesterday|now|at last|finally|in the end)',
  're: (?:i|we|ive|weve|finally|just|have|has) (?:have )?(?:received|got|collected|picked up) (?:it|them|the (?:refund|parcel|package|order|item|replacement|money|text|sms|notification|code|tracking))(?! back)',
  '(all|its|it|is|now|everything|problem|issue|that|thats) (sorted|resolved|fixed|solved|good|fine|ok|okay|working) (now)?',
  '(sorted|resolved|fixed|solved) (it|now|already|everything)',
  '(works|working|worked|fixed|solved) (now|fine|perfectly|great|again|it|this time|first time)',
  // a fix the reply suggested, tried: "omg that worked its back on", "that did the trick, thank you"
  're: (?:that|this) (?:has |just |actually )?(?:worked|did the trick|did it)(?= (?:[.!]|its|it|thanks|thank|ty|thx|cheers|perfectly|a treat|$))',
  // what was not working named, then worked: "ok that discount code worked 🎉", "the new password worked, thanks"
  're: (?:that|this|the) (?:new |discount |promo |voucher |reset |other |second )?(?:code|voucher|coupon|password|link|card|payment|fix|reset|update|cable|charger|app) (?:has |just |now |finally |actually )?worked(?= (?:[.!]|now|thanks|thank|ty|thx|cheers|perfectly|fine|this time|🎉|🙌|👍|😊|🙏|$))',
  're: (?:its|it is|it s|thats|that is) (?:all )?back (?:on|up|working|to normal)(?: now| again)?(?= (?:[.,!]|thanks|thank|ty|thx|cheers|$))',
  '(order|payment|it) (placed|went through|is through|has gone through)',
  '(that|thats|this|it|all) (sorted|done|solved|resolved) (then|now|thanks|cheers)',
  '(never mind|nevermind|no worries|no problem|no bother|false alarm|ignore my|no need|panic over|forget my last|scratch that|all good)',
  // the tracking moved on: "it just updated to 'out for delivery'", "the tracking is moving again"
  're: (?:it|tracking|status|order|parcel|package)(?: has| have| is| s)?(?: actually| now| finally| just| also)* (?:updated|changed|moved|gone|switched) (?:on )?to (?:out for delivery|in transit|dispatched|shipped|on its way|with the courier|arriving|scheduled) ',
  '(tracking|it|parcel|package|order) (is|has|s)? (started)? (moving|moved) (again|now|at last|finally)',
  're:(?<! say| says| said| saying| claim| claims| claiming| think| thinks| its| it| was| is| blame| blaming| not) (?:my bad|my mistake|my fault) ',
  // "the rider delivered it to the guard": the delivery "rider" of Indian, Filipino, Nigerian English
  '(courier|driver|rider|postman|postwoman|neighbour|neighbor|husband|wife|partner|son|daughter|he|she|they) ~3 (dropped|brought|delivered|left|collected|picked up|found) (it|them|the parcel|the package|the order|it off|off)',
  'found it',
  '(that|which|this) explains (it|that|everything|why)',
  '(that|it) makes sense (now)?',
  'all (there|here|present|accounted for)',
  '(its|it|has|have|they) (just|finally) (arrived|come|came|turned up|landed)',
  'there it is',
  '(happy|pleased|satisfied|glad) (with|about) (the|this|that|it|how|your)',
  '(thanks|thank you|cheers|ta|thx) for (sorting|fixing|resolving|solving|the quick|your help|the help|helping)',
  'sorry for my ~2 (message|messages|complaint|rant|email)',
  'sorry (for|about) the (bother|trouble|fuss|hassle|confusion|false alarm|panic)',
  '(money|refund|it|payment|funds|cash) ~1 (is|are|s)? back (in|on|into) (my|the|our) (account|card|bank)',
  // the customer takes back their tone: "sorry for the grumpy start", "sorry for being short with you"
  '(sorry|apologies) (for|about) (the|my|being|that) ~2 (grumpy|grumpiness|attitude|moan|moany|moaning|short|snappy|rude|tone|rant|ranting|outburst|impatient|impatience|shouty|shouting|caps|venting|abrupt|harsh|cross|earlier|start|messages|message)',
  // it was there all along: "omg it was there", "it was at the front desk the whole time"
  '(it|they|its|parcel|package) (was|were) (there|right there|here)',
  // went to look and found it: "just went down and its there" (not "they are there, with an address that is not ours"; not "its there in the app but …")
  're: (?:went|gone|go|checked|looked|ran|popped|nipped|walked|came) (?:[^ .,!?]+ ){0,4}and (?:its|it is|theyre|they are) (?:right |actually |just )?there (?!in the app|on the app|on the (?:tracking|website|site|map)|but |though |apparently )',
  '(the whole time|all along)',
  '(happy|sorted|fine|all good|good|ok|okay) now $',
  '(one|it|charge|payment|one of them|the other|duplicate) (has|have)? (now|just|already)? (dropped off|disappeared|been released|been reversed|gone from pending|been voided|been cancelled)',
  '(you|they) (kindly)? (replaced|refunded|exchanged|fixed|sorted|swapped)',
  're: (?:its|it|it is|theyre|they are|all) in (?:[.,!] |$)',
  '(not a|no) (big|huge|major)? deal (at all)?',
  '(thats|that|what|such) a relief',
  // the trouble headed off: "crisis averted", "disaster avoided"
  // (not said mocking: "crisis averted my foot")
  're: (?:crisis|disaster|drama|catastrophe) (?:averted|avoided)(?! my foot| not| yeah right| as if| apparently| supposedly)',
  // the missing parcel was with someone who kept it: "the neighbour had it in their porch", "reception had them all along"
  're: (?:neighbour|neighbours|neighbor|neighbors|next door|reception|concierge|porter|mailroom|post room)(?: had| has| took| kept| was keeping| had been keeping)(?: it| them| the (?:parcel|package|order|box|delivery))(?: in| all| safe| for)? ',
  // what would not power on does now: "its on now and the screen lit up", "it finally turned on"
  're:(?<! when| once| after| before| until| if| since| because) (?:it|its|it s|screen|display|light|lights|motor|engine|battery)(?: has| have| is| s)?(?: finally| now| just| actually)* (?:lit up|came on|come on|turned on|switched on|powered on|powered up|booted up|fired up|started up|on now|on again)(?= (?:[.,!]|now|again|and|finally|at last|thanks|thank|ty|cheers|😊|🙌|🎉|👍|$))',
  // the answer taken as settling it: "I'll keep an eye on it but sounds fine", "sounds good, thanks"
  're: (?:but |that |thats |that s |it |all )?sounds (?:fine|good|ok|okay|great|perfect|about right)(?= (?:[.,!]|thanks|thank|ty|cheers|then|to me|😊|👍|$))',
  // the wait greeted as over when the reply says it is done: "ooo finally 🙌", "yay finally!"
  're:^ (?:(?:oh|ooh|ooo|oooh|yay|yes|omg|ah|aah) )?finally (?:[!] |🙌 |🎉 |🥳 |😍 |🤩 |yay |woo |woohoo )',
  '(i|we) (can|could) (now)? see (it|them|the refund|the money|the payment|the parcel|the order|the tracking) (now|moving|in my account|there|on my account|updated)',
]);

/** words of RESOLVED and the fact patterns here that cues.ts's anchor lists (RESOLVED_ANCHORS, MORE_FACT_ANCHORS) lack */
export const MORE_RESOLVED_ANCHORS: readonly string[] =
  'apologies along disappeared replaced refunded exchanged swapped reversed voided relief pulled bother updated changed moved moving gone switched averted avoided neighbour neighbours neighbor neighbors reception concierge porter mailroom lit powered booted fired sounds finally'.split(
    ' ',
  );
export const MORE_FACT_EXTRA_ANCHORS: readonly string[] =
  'broken damaged cracked smashed shattered dented torn ripped defective faulty leaking scratched crushed mouldy moldy rotten expired stained snapped chipped soaked ruined destroyed unusable charges payments transactions debits deductions arriving due expected estimated pushed moved delayed asked requested applied offered offering offer offers given gave got sent sending instead says said shows showed showing status tracking pending processing been birthday party wedding event christening anniversary trip holiday flight funeral occasion game match show concert interview take different'.split(
    ' ',
  );

export const ACK_WORDS: ReadonlySet<string> = new Set([
  'ok',
  'okay',
  'k',
  'kk',
  'thanks',
  'thank',
  'you',
  'thx',
  'ty',
  'cheers',
  'ta',
  'great',
  'perfect',
  'cool',
  'lovely',
  'brilliant',
  'good',
  'nice',
  'awesome',
  'fab',
  'fantastic',
  'super',
  'excellent',
  'done',
  'noted',
  'got',
  'it',
  'understood',
  'sure',
  'alright',
  'right',
  'fine',
  'will',
  'do',
  'sounds',
  'to',
  'know',
  'for',
  'the',
  'update',
  'help',
  'info',
  'information',
  'reply',
  'answer',
  'again',
  'so',
  'much',
  'a',
  'lot',
  'makes',
  'sense',
  'that',
  'explains',
  'ah',
  'oh',
  'i',
  'see',
  'yes',
  'yeah',
  'yep',
  'no',
  'worries',
  'all',
  'have',
  'nice',
  'day',
  'bye',
  'goodbye',
  'very',
  'kind',
  'of',
  'wait',
  'then',
  'well',
  'tip',
  'ha',
  'haha',
  'll',
  'am',
  'happy',
  'wonderful',
]);
/** sarcasm tells that keep a short "thanks" from counting as an acknowledgement */
export const NOT_ACK: ReadonlySet<string> = new Set([
  '🙃',
  '🙄',
  '😒',
  '😤',
  '😡',
  '😠',
  'nothing',
  'useless',
  'not',
  'no',
  'never',
  'still',
  'again',
  'without',
  'another',
  'wrong',
  'broken',
  'late',
  'but',
  'nt',
  'dont',
  'didnt',
  'doesnt',
  'isnt',
  'wasnt',
  'cant',
  'wont',
  'yet',
  'right',
]);

export const THANKS: ReadonlySet<string> = new Set([
  'thanks',
  'thank',
  'thx',
  'ty',
  'cheers',
  // thanks in the words of English spoken alongside other languages ("asante sana" in Kenya, "salamat po" in the Philippines)
  'asante',
  'salamat',
  'perfect',
  'great',
  'brilliant',
  'lovely',
  'awesome',
  'cool',
  'ok',
  'okay',
]);

/**
 * A short message made only of acknowledgements and thanks ("ok thanks for the update", "great 👍"),
 * or a short thanks with a few more words ("Thanks, that helps a lot!", "Perfect, I will wait for
 * the email then") — never one with a sarcasm or complaint tell ("thanks for nothing 🙃").
 */
export function isAcknowledgement(toks: readonly string[]): boolean {
  if (toks.length > 16) return false;
  let words = 0;
  let other = 0;
  let thanks = false;
  for (const t of toks) {
    const c = t.charCodeAt(0);
    if (t === '.' || t === ',' || t === '!') continue;
    if (t === '?') return false;
    if (NOT_ACK.has(t)) return false;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (++words > 10) return false;
      if (THANKS.has(t)) thanks = true;
      if (!ACK_WORDS.has(t)) other++;
    }
    // emoji and emoticons: only the sarcastic ones (NOT_ACK) disqualify
  }
  return words > 0 && (other === 0 || (thanks && words <= 8));
}

const NEGATORS = new Set(['not', 'never', 'nt', 'isnt', 'wasnt', 'doesnt', 'didnt', 'hasnt', 'havent', 'hadnt', 'wont', 'cant', 'stopped', 'still', 'no']);
/** "it arrived broken", "came without the cable": an arrival that is the complaint itself */
const BAD_ARRIVAL =
  /(?:arrived|came|come|delivered|turned up|showed up|here) (?:[.,!] )?(?:(?:but|and|in|with|its|it is|all) )?(?:(?:the|a|an) )?(?:[^ .,!?]+ )?(?:broken|damaged|cracked|smashed|shattered|late|wrong|empty|open|opened|without|missing|torn|ripped|dented|scratched|faulty|defective|dead|soaked|wet|chipped|bent|crushed|leaking|stained|incomplete|used|in pieces) /;

/** after "it came": the problem is in what came */
const STILL_BAD =
  / (?:same (?:fault|problem|issue|defect)|dead|broken|damaged|faulty|wrong (?:item|size|colour|color|one|thing)|doesnt work|does not work|not working|stopped working|empty|cracked|smashed|torn|leaking|missing|soaked|ruined|destroyed|crushed|dented|scratched|stained|ripped|snapped|chipped|mouldy|moldy|rotten|unusable|mush) /;

/** a problem said to persist after the resolution words: "… still on my card", "… still not refunded", "… still says pending" */
const STILL_THERE =
  / still (?:on|in|showing|shows|says|saying|not|no|hasnt|havent|isnt|arent|wasnt|pending|charged|charging|missing|waiting|there|sitting|stuck|taken|being charged) /;

/** after the resolution words: the customer still needs something ("…, but I need to know …", "… but we still want …") */
const STILL_ASKING = /^ (?:now )?(?:[,.] )?but (?:i|we) (?:still |really |actually |do |just )?(?:need|needed|want|wanted|asked|meant|was asking|am asking) /;

/** True when the message says a problem is over ("it arrived", "all sorted", "never mind"). */
export function saysResolved(text: string): boolean {
  return resolvedAt(text, 0) >= 0;
}

/** Where, from `from` on, the text says a problem is over (−1 if it does not). */
function resolvedAt(text: string, from: number): number {
  const rest = from > 0 ? text.slice(from) : text;
  const m = RESOLVED.exec(rest);
  if (m === null) return -1;
  const at = m.index + from;
  if (BAD_ARRIVAL.test(rest)) return -1;
  // "each date came and went": a date passing is no arrival
  if (rest.startsWith('went ', m.index + m[0].length)) return -1;
  // "my replacement came today. Same fault as the first pair": it came, and the problem with it
  if (STILL_BAD.test(rest.slice(m.index + m[0].length - 1))) return -1;
  // "the oven arrived yesterday and it has a big dent in the door": a complaint fact told later in the same sentence is what came
  if (factAfterInSentence(rest, m.index + m[0].length - 1)) return -1;
  // "The order is fine. The second charge is still on my card": one thing is fine, another problem is still there
  if (STILL_THERE.test(rest.slice(m.index + m[0].length - 1))) return -1;
  // "plant-based is good, but I need to know whether …": granting part of the answer before asking for what it left out
  if (STILL_ASKING.test(rest.slice(m.index + m[0].length - 1))) return -1;
  if (inQuestion(text, at + 1)) return -1;
  // "Maybe the courier delivered it spiritually": an arrival guessed at (or only claimed: "apparently it was delivered") is none
  if (guessed(text, at)) return -1;
  // the two words before: "not working now", "still not sorted"
  const before = text
    .slice(Math.max(0, at - 24), at)
    .trim()
    .split(' ');
  for (let k = Math.max(0, before.length - 2); k < before.length; k++) if (NEGATORS.has(before[k]!)) return -1;
  return at;
}

/** A complaint fact (facts.ts) in the rest of the sentence of tokenText `text` from position `from` on. */
function factAfterInSentence(text: string, from: number): boolean {
  let end = from;
  while (end < text.length && !SENTENCE_END.has(text[end]!)) end++;
  const toks = text
    .slice(from, end)
    .split(' ')
    .filter((t) => t !== '');
  return toks.length >= 3 && factsInTokens(toks).length > 0;
}
const SENTENCE_END = new Set(['.', '!', '?']);

/** words that make what follows in the sentence a guess or someone else's claim */
const GUESSING = / (?:maybe|perhaps|probably|presumably|apparently|supposedly|i guess|i suppose) /;

/** The sentence of `text` that holds position `at` opens, before `at`, with a guess ("maybe", "apparently"). */
function guessed(text: string, at: number): boolean {
  const from = Math.max(text.lastIndexOf(' . ', at), text.lastIndexOf(' ! ', at), text.lastIndexOf(' ? ', at), 0);
  return GUESSING.test(text.slice(from, at + 1));
}

export interface FactFinding {
  kind: ComplaintKind | 'sarcasm';
  match: string;
  /** position in the customer messages given (oldest first) */
  message: number;
}

/**
 * Facts the conversation level adds to facts.ts: time elapsed since a promise ("that was a month
 * ago", "it's now the 28th"), a status that does not move ("still says processing"), a replacement
 * that failed too, refunds turned into store credit.
 */
const DAMAGED_STATE =
  'broken|damaged|cracked|smashed|shattered|dented|torn|ripped|defective|faulty|leaking|scratched|crushed|mouldy|moldy|rotten|expired|stained|snapped|chipped|soaked|ruined|destroyed|unusable';

export const MORE_FACT_GROUPS: readonly (readonly [ComplaintKind, readonly string[]])[] = [
  [
    'waiting',
    [
      '(that|this|which) was #num (day|days|week|weeks|month|months|year|fortnight|ages) ago',
      // the reply's promise heard before: "That's what it said 3 weeks ago.", "that's what you told me a week ago"
      '(that|thats|that is|which is) (what|exactly what) (it|you|u|they|your site|the site|the tracking) (said|says|told me|told us|promised|promised me) #num (week|weeks|month|months|fortnight) ago',
      '(that|thats|that is|which is) (what|exactly what) (it|you|u|they|your site|the site|the tracking) (said|says|told me|told us|promised|promised me) ([5-9]|[1-9][0-9]|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|several) days ago',
      '(that|this|which) was (over|more than|almost|nearly) (a|#num) (day|days|week|weeks|month|months|year|fortnight) ago',
      're: (?:it|its|it is|today is) now (?:the )?\\d+(?:st|nd|rd|th)? ',
      '#num (days|weeks|months) ago ~8 still',
      'still (says|shows|showing|processing|pending|stuck|in transit|awaiting|being processed|preparing|not shipped|not dispatched|unshipped)',
      '(first|second|third|fourth|fifth|sixth|2nd|3rd|4th|5th|6th|nth) (week|day|month|weekend) (now|running|in a row|of waiting|without|with no|and)',
      're: (?:it|its|now|today|this is|were on|we are on|im on|i am on) (?:is )?day (?:\\d+|two|three|four|five|six|seven|eight|nine|ten) ',
      '(took|taken|take|taking|booked) ~2 (days|day|time|morning|afternoon) off (work)? ~6 (delivery|courier|engineer|fitter|installation|nobody|no one|noone)',
      '(promised|told|said|supposed|meant|due|expected|booked|guaranteed) ~10 (,)? (it|its|it is|now|today is|today|and its) (now)? (monday|tuesday|wednesday|thursday|friday|saturday|sunday)',
      '(sitting|stuck|sat|held|lying|waiting) ~5 for #num (days|weeks|months|day|week|month)',
      '(sitting|stuck|sat|held|lying|waiting) ~5 for (over|more than|almost|nearly) (a|#num) (days|weeks|months|day|week|month)',
      // a status that has not moved for long: "in transit for 11 days", "at customs for over a week" ("in transit for 2 days" is normal)
      '(in transit|at customs|in customs|at the depot|in the depot) for (over|more than|almost|nearly)? ([5-9]|[1-9][0-9]|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|twenty|several) days',
      '(in transit|at customs|in customs|at the depot|in the depot) for (over|more than|almost|nearly)? #num (weeks|months|week|month|fortnight)',
      // a date moved on: "is now showing January 4th", "now arriving next week"
      're: now (?:showing|saying|says|arriving|due|expected|estimated|pushed back to|moved to|delayed until|delayed to) (?:for |on |until |to )?(?:next (?:week|month)|january|february|march|april|june|july|august|september|october|november|december|mid|late|the end) ',
      '(has|have) now? taken #num (weeks|months|days)',
      // a status that has not moved since a day: "says 'out for delivery' since Friday"
      're: (?:says|said|shows|showed|showing|stuck|sat|sitting|status|tracking|pending|processing|been (?:on|in|at|out|stuck|sat|sitting|showing|marked|pending|processing|saying))(?: [^ .,!?]+){0,5} since (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|last|yesterday|january|february|march|april|june|july|august|september|october|november|december|early|mid) ',
      // a status unmoved for long, named in the customer's words: 'has been in "Sorting Centre, Birmingham" for 19 days'
      're: (?:been|sitting|sat|stuck) (?:in|at) (?:[^.!?]{0,30} )?(?:sorting|depot|hub|warehouse|facility|distribution|customs|transit|centre|center)\\b[^.!?]{0,40}? for (?:over |more than |almost |nearly )?(?:(?:[5-9]|[1-9][0-9]|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|twenty|several) days|(?:a|an|one|two|three|four|\\d+) (?:week|weeks|month|months|fortnight)) ',
      // the occasion it was for has passed: "the party was on Saturday", "his birthday was yesterday"
      're: (?:birthday|party|wedding|event|christening|anniversary|trip|holiday|flight|funeral|occasion|game|match|show|concert|interview) (?:was|were) (?:on )?(?:yesterday|last (?:week|night|weekend|month)|monday|tuesday|wednesday|thursday|friday|saturday|sunday|the \\d+(?:st|nd|rd|th)) ',
      '(birthday|party|wedding|event|christening|anniversary|trip|holiday|occasion) (came and went|has passed|has been and gone|is over)',
    ],
  ],
  [
    'no_reply',
    [
      '(no one|nobody|noone) (came|showed|showed up|turned up|knocked|rang|called|tried|arrived|bothered)',
      '(attempted|tried) (delivery)? #num times',
      '(was|were|been|am) (at)? home all (day|morning|afternoon)',
      '(was|were|been|am|have been) (at)? home (every|each|all) (one|day|time|of)',
      '(attempted|failed|missed) (delivery|deliveries) ~4 (#num) (days|times|mornings) (in a row|running)',
      '(automatic|automated|auto) (reply|replies|response|responses) ~4 (nothing|no|never|then)',
    ],
  ],
  [
    'broken',
    [
      '(replacement|new one|second one|exchange|other one|another one|replacement one) ~5 (broken|damaged|cracked|faulty|defective|dead|scratched|smashed|wrong|same problem|same issue|same fault|same crack|too|as well|also)',
      '(damaged|broken|smashed|cracked|crushed|dented) (in|during) (the|your)? (delivery|transit|shipping|post|courier)',
      // "the castle fell apart before the party even started", "came apart in my hands"
      '(fell|came|falling|coming|comes|falls|fallen|come) apart',
      // what a thing is when it came damaged: "it's ripped", "the screen is cracked" (no "dead": "dead easy")
      `(it|its|that|thats|theyre|is|are|was|were) (already|completely|totally|badly|all|now)? (${DAMAGED_STATE})`,
    ],
  ],
  [
    'not_received',
    [
      '(i|we) (have|got|ve got|still have|received|ve received) nothing',
      '(says|shows|showing|marked) ~1 delivered ~8 (nothing|no parcel|no package|not here|never)',
      '(still)? (have|got|received|with) no (product|item|items|parcel|package|order|goods|money|refund|sofa|table|bed)',
      '(no|zero) (updates|update|replies|reply|answer|answers|response|news|product|refund|money back)',
    ],
  ],
  [
    'charged',
    [
      '(taken|took|take|taking|charged|debited|billed) (the|my|a|our)? (payment|money|amount) (twice|two times|double|again)',
      '(charged|billed|debited) ~6 (two|three|four|five|six|several|multiple|2|3|4|5|6) (separate|different)? (orders|occasions|times|months|bills|invoices|deliveries)',
      '(shows|showing|show|see|seeing|are|theres|got|have|had|taken|took|made|been|with) (two|2|three|3|four|4) (charges|payments|transactions|debits|deductions)',
      're: (?:charged|billed|debited|took|taken|take) (?:[^ .!?]+ ){0,7}and (?:then )?again ',
    ],
  ],
  [
    'refused',
    [
      '(isnt|is not|not|wasnt|was not|arent|never) eligible',
      '(pay|paying|pay for) ~3 (return|returns) (postage|shipping|delivery|costs|fee|label)',
      // the same with a price in pounds and pence, which the tokenizer splits at its point: "pay £4.95 for the return label" → "pay 4 . 95 for …"
      // (the split hides the question from the sentence test, so a "?" closing the sentence is checked here)
      're: (?:pay|paying) (?:\\d+ )?[.,] \\d+ (?:[^ .,!?]+ ){0,3}(?:return|returns) (?:postage|shipping|delivery|costs|fee|label) (?![^.!?]*\\?)',
      '(closed|rejected|declined|denied) (without|with no) (a|any)? (refund|reply|explanation|answer|compensation)',
      '(offered|offering|offer|get|given) ~3 (#num|a) ~1 (off|discount|voucher|percent) instead',
      '(keeps|kept|keep) (saying|telling|rejecting|refusing|declining|blocking)',
      '(say|says|said|saying|claim|claims|claiming|blame|blaming|blamed|insist|insists) ~2 (its|it is|it was|was|that it was|that its)? (my|our) (fault|mistake|problem|responsibility)',
      '(told|said|says|offered|offering|offer) ~5 (only|just) ~3 (store credit|credit|a voucher|voucher|vouchers|a repair|repair|an exchange|exchange|a discount|points)',
      '(dont|do not|didnt) want (a|the|your|store)? (store)? (credit|voucher|vouchers|repair|discount|points|gift card)',
      '(money|refund|cash) (back)? (not|instead of) (a|the)? (voucher|credit|store credit|gift card|points)',
    ],
  ],
];
const MORE_FACTS = compileTagged<ComplaintKind>(MORE_FACT_GROUPS);
/** what each raw ("re:") pattern of MORE_FACT_GROUPS needs, in order (see compileGate) */
export const MORE_FACTS_RE_NEEDS: readonly string[] = [
  'it|its|today now',
  'it|its|now|today|this|were|we|im|i day',
  'now',
  'since',
  'been|sitting|sat|stuck for',
  'birthday|party|wedding|event|christening|anniversary|trip|holiday|flight|funeral|occasion|game|match|show|concert|interview was|were',
  'charged|billed|debited|took|taken|take again',
  'pay|paying return|returns',
];
/** words each MORE_FACTS pattern needs: the regular expression runs only where one of them could match */
const MORE_FACT_PATTERNS = MORE_FACT_GROUPS.flatMap(([, patterns]) => patterns);

/**
 * Facts of issue #12's blind batches, kept apart from MORE_FACTS so that its regular expression stays
 * as short as before and this one runs only where its own gate opens: the chat not answering the
 * customer ("going round in circles", "you're not listening", "the same answer"), the wrong item sent,
 * a fault denied or called misuse.
 */
export const EXTRA_FACT_GROUPS: readonly (readonly [ComplaintKind, readonly string[]])[] = [
  [
    'no_reply',
    [
      // the customer says this conversation is not answering them
      '(going|go|goes|gone|running|run|round) (round|around|in) (in)? circles',
      '(not getting|getting|get) (anywhere|nowhere)',
      '(you are|youre|you|ur|its|it is|this is) (not|arent|isnt|still not) (listening|reading|understanding|helping|answering|getting it)',
      '(you|u) (dont|do not|didnt|did not|cant|cannot|clearly dont) (understand|read|listen|get it|get what)',
      '(not|isnt|wasnt|is not|was not|hardly|zero) (helpful|helping|useful) (at all)?',
      '(waste|wasting|wasted) (of)? (my|so much|so much of my|an hour of my|a lot of)? time',
      '(keep|keeps|kept) (giving|sending|saying|repeating|telling|pasting|copying) (me)? (the same|that|this|it)',
      '(same|identical|copy pasted|copy and paste|scripted|generic|canned) (answer|answers|reply|replies|response|responses|message)',
      '(read|reading) (my|what i|the) (message|messages|wrote|said|question|chat|email) (properly|please|again|first)?',
      // told different things by different people: "three agents gave me three different dates"
      '(#num|two|three|four|five|several|multiple) different ~1 (dates|answers|things|stories|excuses|times|reasons|explanations|information|updates)',
      // asked for one thing, given another: "I asked for a refund and got a discount code"
      '(asked|requested|applied) for (a|an|my|the)? (refund|replacement|exchange|callback|call back|manager|repair|compensation) ~2 (and|but) (got|was given|received|was offered|was sent|they sent|you sent|all i got)',
      '(told|given|got|get|getting|giving) (me)? (a)? different (date|answer|story|excuse|reason|explanation|thing) (each|every) (time)?',
    ],
  ],
  [
    'broken',
    [
      '(wrong|incorrect) (product|item|size|colour|color|shade|model|one|thing|order|parcel|book|part|version) ~3 (you|they|was|were|got)? (sent|delivered|received|arrived|came|shipped)',
      '(you|they|the warehouse) (sent|delivered|shipped|gave) (me|us)? (the|a|an)? (wrong|incorrect)',
      'not what (i|we) (ordered|paid for|bought|asked for)',
      '(ordered|bought|paid for) ~6 (,|and|but)? (got|received|was sent|were sent|you sent|they sent|arrived as) ~2 (#num|a|an|the|some)? ~3 (instead|wrong|different)?',
    ],
  ],
  [
    'refused',
    [
      '(i|we) (didnt|did not|never) (damage|break|drop|misuse|scratch|crack|smash|dent|cause|touch|bend|open) (it|that|this|them|the|anything)',
      '(came|arrived|was delivered|were delivered|turned up) (like that|like this|that way|this way|in that state|in this state|already broken|already damaged|already cracked)',
      '(say|says|said|saying|claim|claims|claimed|call|calls|called|blame|blaming|blamed|insist|insists|decided|deemed|class|classed|classified|considered|treat|treated) ~3 (misuse|user damage|user error|wear and tear|wear-and-tear|accidental damage|cosmetic damage|not a fault|not faulty|not covered|my fault)',
      // something else offered in place of what was promised: "… offering 20% off my next order instead"
      're: (?:offered|offering|offer|offers|given|gave|sent|sending) (?:[^ .!?]+ ){0,6}instead ',
    ],
  ],
];
const EXTRA_FACTS = compileTagged<ComplaintKind>(EXTRA_FACT_GROUPS);
/** one gate for MORE_FACTS' patterns and then EXTRA_FACTS' (openPatternsSplit: one pass over a message's tokens for both) */
const MORE_AND_EXTRA_GATE = compileGate(
  [...MORE_FACT_PATTERNS, ...EXTRA_FACT_GROUPS.flatMap(([, patterns]) => patterns)],
  [...MORE_FACTS_RE_NEEDS, 'offered|offering|offer|offers|given|gave|sent|sending instead'],
);

const ASKING_OPENERS = new Set([
  'can',
  'could',
  'will',
  'would',
  'is',
  'are',
  'do',
  'does',
  'did',
  'what',
  'how',
  'when',
  'where',
  'which',
  'any',
  'and',
  'also',
  'should',
]);

/**
 * "great. can I burn logs in it", "Super. Last thing, … is this fabric better?": a praise word that
 * opens the message and then a new question is how people say "yes, and …", not irony; so is a
 * curiosity told ("great. also curious about …", "lovely. wondering if …").
 */
const CURIOUS: ReadonlySet<string> = new Set(['curious', 'wondering', 'wondered']);

function praiseThenQuestion(text: string, praise: string): boolean {
  const at = text.indexOf(` ${praise}`);
  if (at < 0 || at > 8) return false;
  const rest = text.slice(at + praise.length + 1);
  if (rest.includes(' ? ')) return true;
  const m = /^ (?:[.,!] )*(?:(?:ok|okay|so|last one|last thing|one more thing|also) (?:[.,!] )*)?([a-z]+) /.exec(rest);
  // "great. also curious about the 'kill bill' chew toy": a new question told as curiosity
  return m !== null && (ASKING_OPENERS.has(m[1]!) || CURIOUS.has(m[1]!));
}

/** "no big deal", "no rush", "not urgent": a wait the customer says does not matter */
const MINIMISED =
  / (?:no (?:big |huge )?deal|not a (?:big |huge |major )?(?:deal|problem|issue)|no rush|no hurry|not urgent|no biggie|no stress|no pressure|not in a (?:rush|hurry)|in no (?:rush|hurry)|barely noticeable|hardly noticeable|not the end of the world) /;
/** kinds of fact a customer can wave away ("a day late, no big deal", "a dented shade, not a huge deal") */
const MINOR_KINDS: ReadonlySet<string> = new Set(['waiting', 'broken', 'not_received']);

/**
 * A thanks that closes what was asked, longer than an acknowledgement ("ok, thanks for letting me know,
 * have a nice day"): a thanks word, no question, no complaint or sarcasm tell (NOT_ACK), at most 16 words.
 */
export function politeThanks(toks: readonly string[]): boolean {
  if (toks.length > 24) return false;
  let thanks = false;
  let words = 0;
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    if (t === '?' || NOT_ACK.has(t)) return false;
    if (t === 'thanks' || t === 'thank' || t === 'cheers' || t === 'thx' || t === 'ty' || t === 'asante' || t === 'salamat') thanks = true;
    // "Much obliged." thanks; "I'd be obliged if you could …" asks
    else if (t === 'obliged' && (toks[k - 1] === 'much' || toks[k - 1] === 'most')) thanks = true;
    const c = t.charCodeAt(0);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) words++;
  }
  return thanks && words <= 16;
}

const OCCASION = /^(?:birthday|party|wedding|event|christening|anniversary|trip|holiday|flight|funeral|occasion|game|match|show|concert|interview) /;
const THANKED = / (?:thanks|thank you|cheers|thx|ty) /;
/** words that tell something arrived ("yours came this morning", "it turned up today") */
const ARRIVAL = / (?:arrived|came|turned up|showed up|got here|was delivered|were delivered) /;
/** an occasion the order was for, told as passed ("the wedding was saturday") */
function missedOccasion(f: FactFinding): boolean {
  return f.kind === 'waiting' && OCCASION.test(f.match);
}

/** a new one arriving in place of the damaged one: "the replacement arrived", "the new jar has arrived" */
const REPLACED = / (?:replacement|replacements|new [^ .,!?]+|another one|resent|re sent|second one) /;

/**
 * What an arrival leaves open: an occasion missed, and damage unless a new one came in its place ("the
 * gummies arrived as one giant melted brick" … "It was delivered in the box you sent it in": the arrival is
 * where the damage happened, not its end; "the replacement arrived" ends it).
 */
function leftByArrival(text: string): (f: FactFinding) => boolean {
  const replaced = REPLACED.test(text);
  return (f) => missedOccasion(f) || (f.kind === 'broken' && !replaced);
}

const NO_WORRIES = / no worries(?: at all)? /g;

/** The tokenText without its "no worries": what else in it says a problem is over. */
export function withoutNoWorries(text: string): string {
  return text.includes(' no worries ') ? text.replace(NO_WORRIES, ' ') : text;
}

/** "asking again for my sister": a fact about someone else's errand */
const ON_BEHALF = / (?:again|twice) for (?:my|his|her|their|a|an|someone|somebody|another|our) /;

/**
 * Unresolved frustration facts of a conversation. `messages` are the customer messages' tokens and
 * token hashes, oldest first; `mayHaveFacts: false` skips the fact search of a message known to
 * have no word a fact can start with.
 */
export interface FactMessage {
  toks: readonly string[];
  /** the message's text as written (for what tokens lose, such as single quotes) */
  raw?: string;
  hashes: readonly number[];
  /** false: no word a fact can start with (skip the search) */
  mayHaveFacts?: boolean;
  /** false: no word of the resolution patterns */
  mayResolve?: boolean;
  /** true: a word of the sarcasm patterns */
  maySarcasm?: boolean;
  /** tokenText(toks), when already built (it is cached here when built) */
  tt?: string;
  /** false: no word of the conversation-level fact patterns (MORE_FACTS) */
  mayHaveMoreFacts?: boolean;
  /** false: no number and no word signals/elapsed.ts needs */
  mayHaveElapsed?: boolean;
  /** isAcknowledgement(toks), when already known */
  ack?: boolean;
  /**
   * Whether the assistant reply just before this message answered concretely; false when it was canned
   * ("it's on its way", "refunds take 5–10 days"): an acknowledgement then does not close what was
   * asked. Called only when there is something to close; absent counts as answered.
   */
  answered?: () => boolean;
  /** short spans in double quotes (tokenize()'s `quoted`) */
  quoted?: number;
  /** the token stream's word entries (tokenize(text, n, LEX)): lets factsInTokens skip words that cannot open a fact */
  ents?: Parameters<typeof factsInTokens>[2];
  /** factsInTokens(toks, hashes, ents) when already known (null: none); the list is not changed */
  facts?: ComplaintFact[] | null;
}

const NOTHING_OPEN: [null, null] = [null, null];

function textOf(m: FactMessage): string {
  return (m.tt ??= tokenText(m.toks));
}

export function unresolvedFacts(messages: readonly FactMessage[]): FactFinding[] {
  let out: FactFinding[] = [];
  const asked: boolean[] = [];
  for (let k = 0; k < messages.length; k++) {
    const m = messages[k]!;
    let text = '';
    // a resolution closes what came before; an acknowledgement closes what was asked ("a day late,
    // any news?" — answered — "ok thanks"), not what was complained of ("never arrived" … "ok thanks")
    if (out.length > 0) {
      // "the wedding was saturday" … "yours came this morning": an arrival after the occasion ends the wait, not the occasion missed
      if (m.mayResolve !== false && saysResolved((text = textOf(m)))) out = ARRIVAL.test(text) ? out.filter(leftByArrival(text)) : [];
      else if ((m.ack || politeThanks(m.toks)) && (m.answered === undefined || m.answered())) out = out.filter((f) => asked[f.message] !== true);
    }
    asked[k] = m.toks.length > 0 && m.toks[m.toks.length - 1] === '?';
    const known = m.mayHaveFacts === false ? null : m.facts;
    const facts: ComplaintFact[] = known === null ? [] : known !== undefined ? known : factsInTokens(m.toks, m.hashes, m.ents);
    // the patterns each gate leaves open: the regular expressions try only those
    const [moreOpen, extraOpen] =
      facts.length === 0 && m.mayHaveMoreFacts !== false ? openPatternsSplit(MORE_AND_EXTRA_GATE, m.toks, m.hashes, MORE_FACT_PATTERNS.length) : NOTHING_OPEN;
    const mayMore = moreOpen !== null;
    const mayExtra = extraOpen !== null;
    // a complaint fact in a message whose praise outweighs it ("a photo of someone else's door. super."): the praise may be ironic
    const praisedFact = m.mayHaveFacts === false && m.facts !== undefined && m.facts !== null && m.facts.length > 0;
    const maySarcasm = facts.length === 0 && m.maySarcasm === true && (praisedFact || maybeSarcastic(m.toks, m.hashes, m.quoted ?? 0));
    // time passed + something not happening, by structure (signals/elapsed.ts), when no pattern found a fact
    const elapsed = facts.length === 0 && !mayMore && !mayExtra && m.mayHaveElapsed !== false ? elapsedFact(m.toks, messages[k - 1]?.toks) : null;
    // a complaint asked as a question ("why has it taken 3 weeks?"): kept although asked
    const rhetorical = facts.length === 0 && elapsed === null && m.mayHaveElapsed !== false && !mayMore && !mayExtra ? rhetoricalFact(m.toks) : null;
    if (rhetorical !== null) {
      out.push({ kind: 'waiting', match: rhetorical, message: k });
      continue;
    }
    // a claim in scare quotes ("the 'waterproof' jacket"), when nothing else was found (signals/quoted-claim.ts)
    const claim = facts.length === 0 && elapsed === null && m.raw !== undefined ? quotedClaim(m.raw) : null;
    if (facts.length === 0 && !mayMore && !mayExtra && !maySarcasm && elapsed === null && claim === null) continue;
    if (text === '') text = textOf(m);
    // the conversation-level patterns and sarcasm only matter when facts.ts found nothing here
    if (mayMore || mayExtra) {
      const more: { tag: ComplaintKind; match: string; at: number }[] = [];
      if (mayMore) matchTagged(MORE_FACTS, text, more, moreOpen);
      if (mayExtra) matchTagged(EXTRA_FACTS, text, more, extraOpen);
      for (const x of more) if (!facts.some((f) => f.kind === x.tag)) facts.push({ kind: x.tag, match: x.match });
    }
    if (facts.length === 0 && (mayMore || mayExtra) && m.mayHaveElapsed !== false) {
      const found = elapsedFact(m.toks, messages[k - 1]?.toks);
      if (found !== null) facts.push({ kind: 'waiting', match: found });
    } else if (elapsed !== null) facts.push({ kind: 'waiting', match: elapsed });
    if (facts.length === 0 && maySarcasm) {
      const irony = findSarcasm(text, m.toks, m.quoted ?? 0, praisedFact);
      // "oh no worries at all, i only ordered it 3 weeks ago … 👏👏": with a sarcastic emoji, the ironic praise makes the "no worries" ironic too
      if (irony !== null && (!saysResolved(text) || hasIronicEmoji(m.toks)) && !praiseThenQuestion(text, irony))
        facts.push({ kind: 'sarcasm' as ComplaintKind, match: irony });
    }
    // "so 'next day' is more of a vibe than a promise. No worries, she'll just …": "no worries" after a claim just mocked is ironic too
    if (facts.length === 0 && claim !== null && !saysResolved(withoutNoWorries(text))) facts.push({ kind: 'sarcasm' as ComplaintKind, match: claim });
    if (facts.length === 0) continue;
    const before = out.length;
    let pos = 0;
    // "a day late, no big deal": the customer says the wait does not matter
    const minimised = MINIMISED.test(text);
    for (const f of facts) {
      if (minimised && MINOR_KINDS.has(f.kind)) continue;
      const at = text.indexOf(` ${f.match} `, pos);
      if (at >= 0) pos = at + 1;
      if (at >= 0 && (inQuestion(text, at + 1) || supposed(text, at))) continue;
      if (f.kind === 'repeat_contact' && ON_BEHALF.test(text)) continue;
      // "boots that are already broken in", "my old pair were broken at the heel": not damage to what we sent
      if (f.kind === 'broken' && at >= 0 && notOurDamage(text, at, f.match)) continue;
      // "just got my refund for the melted chocolate 🙏": the damage told with its remedy received, nothing after it
      if (f.kind === 'broken' && at >= 0 && remedied(text, at, f.match)) continue;
      // "the party was on Saturday and the balloons were a hit, thanks!": an occasion told with thanks went well
      if (f.kind === 'waiting' && OCCASION.test(f.match) && THANKED.test(text)) continue;
      // fields written out: an object spread here cost as much as the whole fact search
      out.push({ kind: f.kind, match: f.match, message: k });
    }
    // every fact sat in a question: "why has it taken 3 weeks for my refund?" still complains
    if (out.length === before && m.mayHaveElapsed !== false) {
      const asked = rhetoricalFact(m.toks);
      if (asked !== null) out.push({ kind: 'waiting', match: asked, message: k });
    }
    // "… charged twice, but it was just a pending authorisation, my bad!": resolved in the same message
    if (out.length > 0 && m.mayResolve !== false && resolvedAfterFacts(text, facts)) out = out.filter((f) => f.message !== k);
  }
  return out;
}

/** what "broken in" is followed by when something was damaged: "broken in half", "broken in transit" */
const BROKEN_IN_DAMAGE = /^ in (?:half|halves|two|three|several|multiple|many|pieces|bits|places|transit|delivery|the|a|an|my|your|its|shipping|post|\d+)\b/;
/** a part or a new one looked for to replace the customer's own broken thing: "a replacement for a broken hinge" */
const REPLACEMENT_FOR =
  / (?:replacement|replacements|spare|spares|new one|new ones) (?:part |parts )?for (?:a|an|my|our|the|his|her|their) (?:[^ .,!?]+ )?(?:broken|cracked|damaged|snapped|worn) /;
/** the broken thing is what the shop sent */
const FROM_US = / (?:you|your|sent|arrived|delivered|came|received|order|ordered|bought from) /;

/** the sentence of tokenText around position at */
function sentenceOf(text: string, at: number): string {
  let s = at;
  while (s > 0 && !(text.charCodeAt(s) === 32 && isSentenceMark(text, s - 1))) s--;
  let e = at + 1;
  while (e < text.length && !isSentenceMark(text, e)) e++;
  return `${text.slice(s, e)} `;
}

/** the customer's own earlier thing, the reason for buying a new one: "my old pair", "our old kettle" */
const OWN_OLD = / (?:my|our|his|her|their|the) (?:old|former)(?: [^ .,!?]+){0,2} (?:(?:was|were|is|are|had|has|got|just|finally|all) )?(?:[^ .,!?]+ )?$/;

/**
 * A damage word that is no damage to what we sent: the leather idiom "broken in" ("boots that are
 * already broken in", "broken in yet?") and the customer's old thing worn out ("my old pair were
 * broken at the heel after 2 winters, so I want something sturdier").
 */
function notOurDamage(text: string, at: number, match: string): boolean {
  const end = at + match.length + 1;
  if (match.endsWith(' broken') && text.startsWith(' in ', end) && !BROKEN_IN_DAMAGE.test(text.slice(end, end + 24))) return true;
  // "I'm looking for a replacement for a broken cupboard hinge": the customer's own broken thing, the reason to buy (not "… you sent")
  const around = text.slice(at > 40 ? at - 40 : 0, end + 40);
  if (FIXTURE_BEFORE.test(text.slice(at > 40 ? at - 40 : 0, at + 1))) return true;
  if (OWN_PREVIOUS.test(sentenceOf(text, at)) && !FROM_US.test(sentenceOf(text, at))) return true;
  if (REPLACEMENT_FOR.test(around) && !FROM_US.test(sentenceOf(text, at))) return true;
  if (!text.includes(' old ') && !text.includes(' former ')) return false;
  let s = at;
  const stop = at > 60 ? at - 60 : 0;
  while (s > stop) {
    const c = text.charCodeAt(s - 1);
    if ((c === 46 || c === 33 || c === 63 || c === 44) && text.charCodeAt(s) === 32) break;
    s--;
  }
  return OWN_OLD.test(text.slice(s > 0 ? s - 1 : 0, end + 1).replace(/ [^ ]+ $/, ' '));
}

/** the remedy received, told before the damage: "got my refund for the melted …", "my replacement for the cracked jar came" */
const REMEDY =
  / (?:got|received|had|have|just got) (?:my|the|a|our|your) (?:full )?(?:refund|replacement|replacements|credit|money back|new one|new ones) (?:for|of) /;
/** more trouble after the remedy: "… but the new one is melted too" */
const MORE_TROUBLE = / (?:but|still|again|too|also|as well|however) /;

function remedied(text: string, at: number, match: string): boolean {
  const sentence = sentenceOf(text, at);
  const start = sentence.indexOf(match.split(' ')[0]!);
  const head = ` ${match} `;
  if (!REMEDY.test(head) && !REMEDY.test(sentence.slice(0, Math.max(0, start) + 1))) return false;
  return !MORE_TROUBLE.test(text.slice(at + match.length));
}

/** a fixture of the customer's building, not what we sent: "the lift was broken", "our doorbell is broken" */
const FIXTURE_BEFORE =
  / (?:the|our|my|their|his|her) (?:lift|lifts|elevator|elevators|doorbell|buzzer|intercom|letterbox|front gate|gate|street light|streetlight|stairlift|door entry) (?:(?:was|is|were|are|s|has been|had been|got) )?$/;
/** the customer's own earlier one, the reason to buy: "the last bowl I had cracked", "my previous one I owned" */
const OWN_PREVIOUS = / (?:my|our|the) (?:previous|last|old) (?:[^ .,!?]+ ){1,2}(?:i|we) (?:had|owned|used) /;

/** "if the lid is cracked when it arrives, …": a supposition earlier in the clause, not a fact told */
const SUPPOSING = / (?:if|whether|unless|in case|worried|afraid|hope|hopefully|suppose|imagine) /;

/** "I thought it was broken at first lol": a belief taken back, a few words before the fact, with no "but" between */
const THOUGHT_BEFORE = / (?:thought|assumed|figured) (?:[^ .,!?]+ ){0,3}$/;
/** what takes the belief back after it: "at first", a laugh, "turns out", "but it's fine" (not "and it is") */
const TAKEN_BACK =
  / (?:at first|for a second|for a moment|lol|haha|ha|lmao|😂|🤣|😅|turns out|turned out|but (?:it|they|its) (?:s |is |was |were |are )?(?:fine|ok|okay|just|actually|not|wasnt|werent|isnt|arent)) /;

function supposed(text: string, at: number): boolean {
  let s = at;
  const stop = at > 80 ? at - 80 : 0;
  while (s > stop) {
    const c = text.charCodeAt(s - 1);
    if ((c === 46 || c === 33 || c === 63 || c === 44) && text.charCodeAt(s) === 32) break;
    s--;
  }
  const clause = text.slice(s > 0 ? s - 1 : 0, at + 1);
  return SUPPOSING.test(clause) || (THOUGHT_BEFORE.test(clause) && TAKEN_BACK.test(sentenceOf(text, at)));
}

function resolvedAfterFacts(text: string, facts: readonly ComplaintFact[]): boolean {
  const last = facts[facts.length - 1]!;
  const at = text.lastIndexOf(` ${last.match} `);
  if (at < 0) return false;
  return resolvedAt(text, at + last.match.length + 1) >= 0;
}

/** The sentiment cap for these facts (0 when none). */
export function factSentimentCap(facts: readonly FactFinding[]): number {
  if (facts.length === 0) return 0;
  const kinds: FactFinding['kind'][] = [];
  for (const f of facts) if (kinds.indexOf(f.kind) < 0) kinds.push(f.kind);
  return kinds.length >= 2 || facts.length >= 3 ? MANY_FACTS_SENTIMENT : FACT_SENTIMENT;
}

/** "waiting: "on hold for 2 hours"; no_reply: "nobody answered"" (at most `max` facts). */
export function describeFacts(facts: readonly FactFinding[], max = 3): string {
  const parts: string[] = [];
  for (const f of facts) {
    if (parts.length >= max) break;
    const s = `${f.kind.replace('_', ' ')} ("${f.match}")`;
    if (parts.indexOf(s) < 0) parts.push(s);
  }
  return parts.join(', ');
}

/**
 * The end of a message says the problem is over: its last sentence ("… my bad!"), or the sentence
 * before a last one that only thanks ("Found it! Behind the bin like you said. Thanks").
 */
export function closingResolves(text: string): boolean {
  const last = lastSentence(text);
  if (saysResolved(last)) return true;
  const words = last.trim().split(' ');
  for (const w of words) if (w !== '' && w !== ',' && !THANKS.has(w) && !ACK_WORDS.has(w)) return false;
  return saysResolved(`${text.slice(0, text.length - last.length)} `);
}

/** The last sentence of a tokenText ("… it was just a pending authorisation . my bad !" → " my bad "). */
export function lastSentence(text: string): string {
  let end = text.length;
  // skip trailing markers
  while (end > 2 && /[.!?] $/.test(text.slice(end - 2, end))) end -= 2;
  const body = text.slice(0, end);
  const cut = Math.max(body.lastIndexOf(' . '), body.lastIndexOf(' ! '), body.lastIndexOf(' ? '));
  return cut < 0 ? body : body.slice(cut + 2);
}
