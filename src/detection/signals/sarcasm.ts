/**
 * Sarcasm at the message level: ironic praise next to a bad situation — "great, another week without
 * my order, just perfect", "wow amazing service, 5 days to answer a yes or no question", "Perfect
 * timing, the present arrives a week after the birthday. Bravo." — read as frustration (a fact of
 * kind "sarcasm" for signals/frustration.ts), unless the message says the problem is over.
 *
 * Praise ("great", "perfect", "love how", "thanks a lot", "well done", "bravo", "what a lovely
 * surprise") counts as ironic only with a sign of trouble in the same message: a delay counted in
 * days or weeks, "again", "another", "still", "without", "empty", "wrong", "died", "never", "no …".
 * A few tells are ironic on their own ("thanks for nothing", "yeah right", "love that for me",
 * "heard that one before").
 */
import { factsInTokens } from '../facts.ts';
import { LEX } from '../sentiment.ts';
import { compileGate, compilePatterns, gateOpen, tokenText } from './pattern.ts';

const PRAISE = compilePatterns([
  '(oh|wow|wah|just|how|so|really|absolutely|simply|truly) (great|wonderful|brilliant|perfect|fantastic|amazing|lovely|nice|awesome|superb|excellent|impressive|marvellous|marvelous|splendid|fab|fabulous|terrific|delightful|charming)',
  '(great|wonderful|brilliant|perfect|fantastic|amazing|lovely|nice|awesome|superb|excellent|impressive|stellar|top notch|outstanding|fab|fabulous|terrific) (service|job|work|quality|timing|stuff|guys|company|customer service|support|team|experience|communication|logistics|delivery|tracking|one|product|purchase|buy)',
  '(great|good|nice|lovely|fantastic|brilliant) to (know|hear|see|learn)',
  're:^ (?:oh|ah|well) (?:good|joy|goody|lovely|super|splendid) [,.!]',
  '(10|ten) (10|out of ten|out of 10) ~3 (experience|service|would|again)',
  '(very|so|really|most|how) (reassuring|comforting|encouraging|helpful|useful|professional|efficient|convenient)',
  '(amazing|funny|interesting|incredible|great|impressive|fascinating) how',
  // "wah, wonderful.": "wah" is the "wow" of Indian and Singapore / Malaysian English
  're:^ (?:(?:oh|ah|wow|wah|well|yeah) (?:[,!] )?)?(?:great|wonderful|brilliant|perfect|fantastic|amazing|lovely|nice|awesome|superb|excellent|fab|terrific|cool|super)(?: (?:cool|great|nice))* [,.!] ',
  're:(?:[.!,] |^ )(?:amazing|brilliant|great|perfect|fantastic|lovely|wonderful|superb|super|splendid|terrific|excellent|marvellous|bravo|impressive|classy|genius|nice one|great stuff|good job|nice work|well played|yay) (?:[.!] |$)',
  're:^ (?:yay|woohoo|hooray|genius)',
  // one pattern per phrase: a top-level '|' would be read as alternatives of the neighbouring words only
  'great stuff',
  'nice one',
  'good job',
  'nice work',
  'top effort',
  '(real|absolute) legend',
  '(10|ten) (10|out of ten|out of 10) for',
  'love (that|how|it when|the way|being|waiting)',
  're: (?:love|loving|enjoy|enjoying|adore) (?:reading|getting|finding|paying|hearing|seeing|having|spending|being|waiting|chasing|explaining|receiving) ',
  '(thanks|thank you) (a lot|so much|a bunch|very much|loads|heaps) (for)?',
  '(really|truly|so) appreciate (it|that|this)',
  'well done',
  'bravo',
  'slow clap',
  'hats off',
  'kudos',
  'round of applause',
  'gold star',
  'ten out of ten',
  '10 10',
  '(five|5) stars',
  'what a (lovely|nice|great|pleasant|wonderful|fantastic|brilliant|fun) (surprise|experience|service|way|start)',
  '(just|simply) (perfect|great|wonderful|brilliant|lovely|fantastic|what i needed)',
  '(exactly|just) what i (needed|wanted)',
  // praise of the effort or the gift: "fair play to your courier", "very generous of you", "takes real talent", "appreciate the creativity"
  'fair play',
  '(very|so|how|most) (generous|kind|thoughtful|considerate) of',
  // "you're too kind" to a reply that did nothing
  '(you are|youre) (too|so|very|most) (kind|generous|good to (me|us))',
  // "Oh, very high quality.": the quality the reply claimed, praised back
  '(very|such|really|so|oh) high (quality|standard|standards)',
  'takes (real|some|true)? (talent|skill|effort)',
  'quite the (novelty|achievement|feat|surprise|experience|talent)',
  '(appreciate|admire|love) the (creativity|effort|imagination|originality|innovation)',
  '(super|very|so|really|lightning|blazing) (speedy|quick|fast|prompt|efficient)',
  '(delightful|lovely|wonderful|memorable|magical|excellent) (unboxing|surprise|product|start|gift|touch|use)',
  're: (?:🙃|🙄|👏|😒)',
  // praise of the value after paying for what did not come: "money very well spent", "worth every single cent", "best 90 bucks I've spent"
  'money (very|so|really)? well spent',
  'worth every (single)? (penny|cent|dollar|pound|euro|rupee|peso|buck)',
  'best ~2 (bucks|quid|pounds|dollars|euros|rupees|pesos) ~3 spent',
  // the price paid named: "£89 very well spent", "best £1,899 I've ever spent" (the currency sign is not a token)
  're: \\d[\\d,. ]* (?:very |so |really |truly )?well spent ',
  're: best \\d[\\d,. ]* (?:i |we )(?:have |ve )?(?:ever )?spent ',
  '(great|good|lovely|brilliant|nice) way (of|to) (look|looking|see|seeing|put|putting) (at)? it',
  // praise of how something worked or of its value: "it worked so well the first time", "real value for money"
  '(worked|works|went) (so|really|very|super|such|amazingly|incredibly|brilliantly|beautifully|perfectly) well',
  '(real|great|such|amazing|excellent|brilliant|top|fantastic|incredible) value for money',
]);

/** Ironic on their own. */
const TELL_PATTERNS = [
  '(thanks|thank you|cheers) for nothing',
  // thanks refused to the shop: "no thanks to you" ("no thanks, I'm fine" declines; "no thanks to the courier" is the courier's)
  'no thanks to (you|u|ya|yall|yourselves)',
  'no thanks to your (company|team|service|staff|shop|store|site|website|app|support|lot|chat|chatbot|bot|customer)',
  'yeah|yea|ya (right|sure)',
  'sure (sure|thing|you will|you do)',
  'love that for me',
  '(just|only|all i) (get|got) (a|an)? (sorry|apology|apologies|excuses|voucher|automated)',
  'heard that (one)? before',
  'as if',
  'what a joke',
  'shocker',
  'surprise surprise',
  '(color|colour) me surprised',
  'how (convenient|surprising|original)',
  'nothing says ~3 like',
  'cant fault the consistency',
  // praise passed on to enemies: "would recommend to all my enemies", "I'd recommend it to my worst enemy"
  'recommend ~3 (to)? (my|all my|your|our|their) (worst)? (enemy|enemies)',
  // the customer says it outright: "I am delighted you took that as a compliment. It was not one.", "I was being sarcastic"
  'took (that|it|this|my message|my comment) as (a)? (compliment|praise)',
  '(that|it|this) (wasnt|isnt|was not|is not) (a|one)? compliment',
  '(i|we) (was|am|were|are) being (sarcastic|ironic)',
  '(that|it) was (sarcasm|sarcastic|irony|ironic)',
  // "must be coming by canal boat": the pace of a delivery mocked
  'must be (coming|travelling|traveling|arriving|walking|sent|shipped|delivered|going) (by|on|via) ~2 (boat|canal|pigeon|snail|horse|donkey|camel|foot|tortoise|turtle|raft|mule|rowing|horseback)',
];
const TELLS = compilePatterns(TELL_PATTERNS);
const TELLS_GATE = compileGate(TELL_PATTERNS, []);

/** what arrived wrong: "came with a dent the size of my fist", "ripped straight down the middle" */
const ARRIVED_DAMAGED = [
  'dent',
  'dented',
  'ripped',
  'torn',
  'tear',
  'crushed',
  'smashed',
  'shattered',
  'leaking',
  'faulty',
  'defective',
  'scratched',
  'stained',
  'expired',
  'mouldy',
  'moldy',
  'rotten',
  'snapped',
  // "the derailleur hanger's bent and there's a gouge in the frame" ("bent over backwards" is read apart)
  'bent',
  'buckled',
  'warped',
  'gouge',
  'gouged',
  'gouges',
];

const TROUBLE = new Set([
  'again',
  'another',
  'still',
  'without',
  'empty',
  'wrong',
  'broken',
  'died',
  'dead',
  'never',
  'nothing',
  'late',
  'later',
  'after',
  'missing',
  'lost',
  'cancelled',
  'canceled',
  'cancelling',
  'cancel',
  'delayed',
  'processing',
  'waiting',
  'nobody',
  'noone',
  'instead',
  'no',
  'not',
  'nt',
  'didnt',
  'doesnt',
  'isnt',
  'wasnt',
  'havent',
  'hasnt',
  'cant',
  'wont',
  'days',
  'weeks',
  'months',
  'hours',
  'week',
  'month',
  'third',
  'fourth',
  'fifth',
  'twice',
  'damaged',
  'cracked',
  'stuck',
  'ignored',
  'only',
  'yet',
  'even',
  'charged',
  'minutes',
  'minute',
  'hour',
  'soaked',
  'sorry',
  'unpaid',
  'refused',
  'rejected',
  'else',
  'extra',
  'longer',
  'slower',
  'worse',
  'error',
  '404',
  'seconds',
  'actually',
  'but',
  'times',
  'every',
  '0',
  'zero',
  'broke',
  'except',
  'queue',
  'queuing',
  'queueing',
  ...ARRIVED_DAMAGED,
  // a printing mistake on what was personalised: "the typo is beautifully crisp"
  'typo',
  'typos',
  'misspelt',
  'misspelled',
  'misprint',
  'misprinted',
  'rattle',
  'rattles',
  'rattling',
  'dies',
  // what came in place of what was ordered, or spoilt on the way: "I do appreciate the creativity of your substitutions"
  'substituted',
  'substitution',
  'substitutions',
  'thawed',
  'defrosted',
  'melted',
]);
/**
 * Trouble words that say nothing bad on their own ("nice, that's longer than my old one", "oh nice, I
 * didn't know that", "perfect, I'll pick that then, no rush on the rest"): praise next to them is
 * ironic only when a span of time and a negation meet ("great, 3 weeks and not a word") or a strong
 * trouble word is there too.
 */
const SPAN_TROUBLE = new Set([
  'days',
  'weeks',
  'months',
  'hours',
  'week',
  'month',
  'minutes',
  'minute',
  'hour',
  'seconds',
  'later',
  'after',
  'longer',
  'times',
  'yet',
]);
const NEGATING_TROUBLE = new Set(['no', 'not', 'nt', 'didnt', 'doesnt', 'isnt', 'wasnt', 'havent', 'hasnt', 'cant', 'wont', 'still']);
const WEAK_TROUBLE = new Set([
  ...SPAN_TROUBLE,
  ...NEGATING_TROUBLE,
  'only',
  'even',
  'actually',
  'but',
  'every',
  'else',
  'extra',
  'sorry',
  'cancel',
  'cancelling',
]);

/** Whether the trouble words of a message (those left in `clean`, a tokenText) make praise in it ironic. */
function troubled(toks: readonly string[], clean: string, strongOnly = false): boolean {
  let span = false;
  let negation = false;
  for (const t of toks) {
    if (!TROUBLE.has(t) || !clean.includes(` ${t} `)) continue;
    if (t === 'every' && !clean.includes(' every time ')) continue;
    if (!WEAK_TROUBLE.has(t)) return true;
    if (SPAN_TROUBLE.has(t)) span = true;
    else if (NEGATING_TROUBLE.has(t)) negation = true;
  }
  return span && negation && !strongOnly;
}

/**
 * Whether a message (its tokenText and tokens) tells of something wrong: a strong trouble word, a span
 * of time with a negation, or a complaint fact (facts.ts).
 */
export function signOfTrouble(text: string, toks: readonly string[]): boolean {
  let span = false;
  for (const t of toks) {
    if (WENT_WRONG.has(t)) return true;
    if (SPAN_TROUBLE.has(t)) span = true;
  }
  // "… again to get it in 9 days": a strong trouble word with a span of time ("no blisters after a 10 mile walk" is none)
  if (span) {
    const clean = text.replace(HARMLESS, ' ');
    for (const t of toks) if (TROUBLE.has(t) && !WEAK_TROUBLE.has(t) && clean.includes(` ${t} `)) return true;
  }
  return factsInTokens(toks).length > 0;
}

/** words that say something went wrong whatever the tone around them (unlike "never" in "I'll never shop anywhere else") */
const WENT_WRONG = new Set([
  'broken',
  'broke',
  'damaged',
  'cracked',
  'missing',
  'empty',
  'wrong',
  'stuck',
  'lost',
  'late',
  'delayed',
  'cancelled',
  'canceled',
  'charged',
  'refused',
  'rejected',
  'error',
  'died',
  ...ARRIVED_DAMAGED,
  'substituted',
  'substitution',
  'substitutions',
  'thawed',
  'defrosted',
  'melted',
]);

/** "very generous of you", "so helpful", "truly impressive": an intensified positive word of the lexicon */
const INTENSIFIERS = new Set([
  'so',
  'very',
  'really',
  'just',
  'truly',
  'absolutely',
  'most',
  'such',
  'incredibly',
  'super',
  'sooo',
  'soooo',
  'oh',
  'wow',
  'how',
]);
/** positive words that are politeness, not praise */
const POLITE = new Set(['thanks', 'thank', 'ok', 'okay', 'fine', 'sure', 'please', 'like', 'well', 'want', 'kind', 'hope', 'glad', 'happy', 'pleased']);
const STRONG_PRAISE = 1.8;

function intensifiedPraise(toks: readonly string[]): string | null {
  for (let k = 1; k < toks.length; k++) {
    if (!INTENSIFIERS.has(toks[k - 1]!)) continue;
    const w = toks[k]!;
    if (POLITE.has(w)) continue;
    const e = LEX.get(w);
    if (e !== undefined && e.s >= STRONG_PRAISE && !(w === 'fair' && complexion(toks, k))) return `${toks[k - 1]} ${w}`;
  }
  return null;
}

/** whose looks "fair" describes: the customer or their own ("I'm very fair", "my son is very fair", "very fair skin") */
const FAIR_ONES = new Set(['skin', 'skinned', 'complexion', 'complexioned', 'hair', 'haired', 'she', 'he', 'son', 'daughter', 'baby', 'kids', 'we']);
/** "fair" at k tells a complexion, not that something is fair: "I burn easily, I'm very fair", "very fair skin" */
function complexion(toks: readonly string[], k: number): boolean {
  if (FAIR_ONES.has(toks[k + 1] ?? '')) return true;
  const verb = toks[k - 2] ?? '';
  if (verb === 'am' || verb === 'im') return true;
  return (verb === 'is' || verb === 's' || verb === 'are') && FAIR_ONES.has(toks[k - 3] ?? '');
}
/** "no problem", "no worries", "not bad", "great, but (a new question)", "nothing to return yet, just checking", "thank you once again": trouble words that are not trouble;
 *  "was worried I'd cancelled the whole thing" is a worry over; "I'll come back if it's wrong" a condition ahead; "it's CD or nothing" only that;
 *  "it came and wasn't broken at all, great", "dropped them once, they seem fine, nothing broken" damage denied;
 *  "I'll give the bent one to my friend" the replaced item given away */
const HARMLESS =
  /(?:(?:\d+|a|two|three|a few|a couple of) (?:days?|weeks?|hours?) (?:early|earlier|ahead|sooner)|(?:second|third|fourth|fifth|nth|\d+(?:st|nd|rd|th)) time (?:i|we) (?:have |ve )?(?:ordered|bought|shopped|used|purchased)|(?:great|good|nice|perfect|lovely|cool|brilliant|super|thanks|ok|okay) (?:[,.!] )?but|no (?:problem|worries|rush|hurry|need)|nothing (?:(?:lol|haha|really|at all|much|to [a-z]+(?: back| in| out| off)?|yet|[,.!]) ){0,3}(?:i |we )?(?:just|only)|same (?:(?:order|thing|stock|items?|as before|as last time) )?again|not bad|never mind|no doubt|(?:thank you|thanks|thx|ty)(?: so much| very much)?(?: once)? again|(?:order|ordering|buy|buying|shop|shopping|use|using|recommend|come|coming|visit)(?: from you| here| with you)? again|(?:was|were) (?:a bit |a little |so |really |slightly )?(?:worried|afraid|scared|panicking)(?: [^ .,!?]+){0,6}|(?:if|in case|should) (?:it|they|that|this|one|mine|the [^ .,!?]+) (?:is |are |was |turns out |ends up |comes |arrives |goes )?(?:the |a )?(?:wrong|broken|damaged|faulty|defective|late|missing|cracked|dead|stuck)|[^ .,!?]+ or nothing|bent over backwards|(?:give|giving|keep|keeping|donate|donating|recycle|recycling|pass|passing) (?:on )?the (?:old |first )?(?:damaged|broken|bent|dented|cracked|scratched|torn|faulty|snapped) (?:one|ones|copy|item|set)|(?:from|at|with|in|on|by|than) another (?:shop|store|retailer|website|site|seller|company|brand|supplier|jeweller|jewellers|place|online shop|trader)|(?:not|nt|wasnt|isnt|arent|werent|never|nothing|nothing is|nothing was|nothing got|nothing seems|nothing looks) (?:even )?(?:broken|damaged|cracked|smashed|shattered|dented|scratched|chipped|crushed|bent|torn|ripped|faulty|defective|leaking|missing)) /g;

export const SARCASM_ANCHORS: readonly string[] = (
  'reassuring comforting encouraging helpful useful professional efficient convenient funny interesting incredible fascinating know hear see learn genius yay woohoo hooray played great wonderful brilliant perfect fantastic amazing lovely nice awesome superb excellent impressive marvellous marvelous splendid fab fabulous terrific delightful charming stellar outstanding cool super job classic classy sorry apology apologies excuses automated ' +
  'love thanks thank appreciate bravo clap kudos hats applause star stars 10 ten done joke surprise shocker convenient surprising original yeah yea ya sure heard cheers if exactly 🙃 🙄 👏 😒 ' +
  'very truly absolutely incredibly honestly seriously genuinely enjoy enjoying adore loving legend legends effort nothing fault ' +
  'worked works went value play generous thoughtful considerate talent skill novelty achievement feat creativity imagination originality innovation speedy unboxing memorable magical admire money worth spent way must compliment sarcastic ironic sarcasm irony wah kind high recommend enemy enemies'
).split(' ');

/**
 * False when findSarcasm(tokenText(toks), toks, scareQuotes) is certainly null: no word a tell needs,
 * no trouble word and no scare quotes (praise alone is not ironic). Lets the caller skip building the text.
 */
export function maybeSarcastic(toks: readonly string[], hashes: readonly number[], scareQuotes = 0): boolean {
  if (scareQuotes > 0) return true;
  for (let k = 0; k < toks.length; k++) if (TROUBLE.has(toks[k]!)) return true;
  return gateOpen(TELLS_GATE, toks, hashes);
}

/**
 * The ironic words of a message's tokenText, or null. `statedFact`: the message states a complaint
 * fact (facts.ts), which makes praise in it ironic as a trouble word does.
 */
export function findSarcasm(text: string, toks: readonly string[], scareQuotes = 0, statedFact = false): string | null {
  const tell = TELLS.exec(text);
  if (tell !== null) return tell[0].trim();
  if (statedFact) {
    const found = PRAISE.exec(text);
    if (found !== null)
      return found[0]
        .split(' ')
        .filter((w) => w !== '' && w !== '.' && w !== '!' && w !== ',')
        .join(' ');
  }
  // praise is ironic only with trouble: without a trouble word or scare quotes, no need to look for it
  let troubleWord = false;
  for (let k = 0; k < toks.length && !troubleWord; k++) troubleWord = TROUBLE.has(toks[k]!);
  if (!troubleWord && scareQuotes <= 0) return null;
  const found = PRAISE.exec(text);
  const praise = found !== null ? found[0].trim() : intensifiedPraise(toks);
  if (praise === null) return null;
  // scare quotes around what was promised ("the "gift wrapped" present") are trouble too
  if (scareQuotes > 0) return praise;
  // "good to know, no water, wait an hour": the answer taken in; ironic only with a strong trouble word ("good to know, another week then")
  return troubled(toks, text.replace(HARMLESS, ' '), TAKEN_IN.test(praise)) ? praise : null;
}

/** a word of the lexicon that scores negative ("problem", "useless") */
function negativeWord(toks: readonly string[]): boolean {
  for (const t of toks) if ((LEX.get(t)?.s ?? 0) < 0) return true;
  return false;
}

/** praise that says an answer was taken in: "good to know", "great to learn" */
const TAKEN_IN = /^(?:good|great|nice|lovely|useful|handy) to (?:know|learn)$/;

/**
 * Praise of two words or more ("how lovely", "top notch service", "great to know", "10/10",
 * "really appreciate that", "so helpful") in a message's tokenText, or null. A bare "great," or
 * "lovely," opening a reply is left out: it is how people say yes.
 */
export function ironicPraise(text: string, toks: readonly string[]): string | null {
  // the first praise of two words or more, past one-word openers and thanks ("Amazing. … Really, thank you. Best £1,899 I've ever spent.")
  let rest = text;
  for (let tries = 0; tries < 4; tries++) {
    const found = PRAISE.exec(rest);
    if (found === null) break;
    const words = found[0]
      .trim()
      .split(' ')
      .filter((w) => w !== ',' && w !== '.' && w !== '!');
    const p = words.join(' ');
    if (words.length >= 2 && (tries === 0 || !THANKS_PRAISE.test(p))) return p;
    rest = rest.slice(found.index + Math.max(1, found[0].length - 1));
  }
  return intensifiedPraise(toks);
}

/** an assistant reply that admits a problem or refuses ("I'm sorry for the mix-up", "unfortunately … can't be extended") */
export const ADMITS =
  /\b(?:sorry|apologi[sz]e|apologies|unfortunately|regret|afraid|unable to|not able to|can(?:'|’)?t|cannot|isn(?:'|’)?t possible|not possible|no longer|won(?:'|’)?t be able|not eligible|not covered|doesn(?:'|’)?t cover)\b/i;

const SARCASTIC_EMOJI = new Set(['🙃', '🙄', '👏', '😒']);

/** The message holds a sarcastic emoji (🙃 🙄 👏 😒). */
export function hasIronicEmoji(toks: readonly string[]): boolean {
  for (let k = 0; k < toks.length; k++) if (SARCASTIC_EMOJI.has(toks[k]!)) return true;
  return false;
}
/** praise a customer means: thanks phrases are politeness, not irony, unless an emoji says otherwise */
const THANKS_PRAISE = /^(?:thanks|thank you|really appreciate|truly appreciate|so appreciate)/;

/**
 * Praise strong enough to be ironic after a problem: two words or more of praise that is not a thanks
 * ("just brilliant", "top-notch service", "10/10 for creativity"), a sarcastic emoji, or the same
 * positive word said twice or more in a short message ("cool cool cool", "legend. real legend").
 */
export function strongPraise(text: string, toks: readonly string[]): string | null {
  for (const t of toks) if (SARCASTIC_EMOJI.has(t)) return t;
  const p = ironicPraise(text, toks);
  if (p !== null && !THANKS_PRAISE.test(p)) return p;
  if (toks.length <= 16) {
    for (let k = 0; k < toks.length; k++) {
      const w = toks[k]!;
      const e = LEX.get(w);
      if (w.length < 3 || ((e === undefined || e.s <= 0) && w !== 'legend')) continue;
      const again = toks.indexOf(w, k + 1);
      // "its fine just scratched, bike's fine too": the same state told of two things, not praise said over ("fine. fine.")
      if (again > k && !(STATES.has(w) && wordsBetween(toks, k, again) >= 3)) return `${w} ${w}`;
    }
  }
  return null;
}

/** a state, not praise: said again of another thing a few words on, it is a report ("the lock's fine just scratched, bike's fine too"), not "fine. fine." */
const STATES = new Set(['fine', 'ok', 'okay', 'alright', 'safe', 'intact', 'undamaged', 'unharmed']);

function wordsBetween(toks: readonly string[], a: number, b: number): number {
  let n = 0;
  for (let k = a + 1; k < b; k++) if (/^[a-z0-9]/.test(toks[k]!)) n++;
  return n;
}

/** praise of the price paid ("£89 very well spent", "best £1,899 I've ever spent", "worth every penny") */
const VALUE_PRAISE = / (?:well spent|ever spent|(?:i|we) (?:have |ve )?spent|worth every) /;

/** a customer message for praiseAfterProblem */
export interface IronyTurn {
  /** index into the conversation's messages */
  index: number;
  toks: readonly string[];
  /** tokenText(toks), when already built (it is cached here when built) */
  tt?: string;
}

/** a statement that asks: "wanted to ask about", "I'd like to know", "I was wondering", "quick question" */
const ENQUIRY =
  / (?:(?:wanted|want|wanting|like|love|need|needed) to (?:ask|know|check|enquire|inquire|find out)|(?:was|am|m|were) (?:just )?wondering|quick question|a question about) /;

function problemTold(toks: readonly string[], score: number): boolean {
  // a question with a trouble word is an enquiry ("can I cancel if it hasn't shipped?"), not a problem told
  if (toks.indexOf('?') >= 0) return false;
  // "I'm thinking about buying … but wanted to ask about your refund policy first": an enquiry in statement form, its
  // negative words ("refund") are what it asks about; a trouble word still makes it a problem ("I wanted to ask why it still …")
  if (score <= -0.2 && !ENQUIRY.test(` ${toks.join(' ')} `)) return true;
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    // "you bent over backwards for me": an idiom of effort, not damage
    if (t === 'bent' && toks[k + 1] === 'over') continue;
    if (TROUBLE.has(t) && t !== 'but' && t !== 'only' && t !== 'even' && t !== 'actually' && t !== 'every') return true;
  }
  return false;
}

/**
 * Sarcasm across turns: one of the last two customer messages praises strongly (strongPraise) after an
 * earlier customer message told a problem (a trouble word or a negative score), with no assistant reply
 * between them that reports an action, no question in the praise and no resolution (`resolved`); a
 * thanks, or praise right after a reply that answered (`answered`), counts only with a sarcastic emoji.
 * `scores` are the turns' sentiment scores (aligned with `turns`). Returns the position (in `turns`) of
 * the ironic message and its words, or null.
 */
export function praiseAfterProblem(
  messages: readonly unknown[],
  turns: readonly IronyTurn[],
  scores: readonly { readonly score: number }[],
  acted: (text: string) => boolean,
  answered: (text: string) => boolean,
  resolved: (text: string) => boolean,
): { turn: number; match: string } | null {
  const n = turns.length;
  // the earliest problem told before each of the last two messages: found once, cheapest test first
  let problem = -1;
  for (let p = 0; p < n - 1 && problem < 0; p++) if (problemTold(turns[p]!.toks, scores[p]?.score ?? 0)) problem = p;
  if (problem < 0) return null;
  for (let c = n - 1; c >= 1 && c >= n - 2; c--) {
    if (c <= problem) break;
    const m = turns[c]!;
    if (m.toks.indexOf('?') >= 0) continue;
    const text = (m.tt ??= tokenText(m.toks));
    const praise = strongPraise(text, m.toks);
    if (praise === null) continue;
    // "good to know, thanks" after an answer is how people say thank you: only an emoji makes it ironic
    if (!SARCASTIC_EMOJI.has(praise)) {
      // "Good to know. I'll fill it in then" takes the answer in, as a thanks does (unless more praise follows, "Great to know. Top-notch
      // service", or a word of trouble: "good to know, i'll just run on the frame then. the BELT is the problem")
      let thanks = TAKEN_IN.test(praise) && strongPraise(text.replace(` ${praise} `, ' '), m.toks) === null && !negativeWord(m.toks);
      for (const t of m.toks) if (t === 'thanks' || t === 'thank' || t === 'cheers' || t === 'appreciated' || t === 'ty' || t === 'thx') thanks = true;
      // "Really, thank you. Best £1,899 I've ever spent." with the problem left open: praise of the price paid is about the
      // purchase, not thanks for the answer (only a reply that acted on the problem makes it sincere, below)
      const value = VALUE_PRAISE.test(text);
      if (thanks && !value) continue;
      const before = messages[m.index - 1] as { role?: unknown; text?: unknown } | null;
      if (
        !value &&
        before &&
        typeof before === 'object' &&
        before.role === 'assistant' &&
        typeof before.text === 'string' &&
        answered(before.text.length > 1000 ? before.text.slice(0, 1000) : before.text)
      )
        continue;
    }
    if (resolved(text)) continue;
    let action = false;
    for (let k = turns[problem]!.index + 1; k < m.index && !action; k++) {
      const r = messages[k] as { role?: unknown; text?: unknown } | null;
      if (r && typeof r === 'object' && r.role === 'assistant' && typeof r.text === 'string')
        action = acted(r.text.length > 1000 ? r.text.slice(0, 1000) : r.text);
    }
    if (!action) return { turn: c, match: praise };
  }
  return null;
}
