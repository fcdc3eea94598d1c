/**
 * A question asked again by its shape (with signals/reask.ts), when the words differ:
 *
 * - the customer corrects what the reply understood: "I'm not trying to return it, I want the M
 *   switched to an L", "I don't need to change anything, I just need to see …", "sure, I'm past that
 *   stage", "that's not what I asked", "I'm happy with the mattress itself, it's the delivery part";
 * - the same kind of question twice, with a reply between that holds no answer of that kind: "what's
 *   the weight limit?" — a product blurb — "how heavy a person can it hold?" (an amount asked, no
 *   number given); "does it come assembled or will I need to put it together?" — a blurb — "will the
 *   legs be attached, or is there building to do?" (a choice asked, neither side named); "when …?" —
 *   no day, date or duration — "how long …?".
 *
 * The reply's answer kinds are marks put among its content words (replyMarks), so reask.ts reads
 * them with the rest.
 */
import { MONTHS_BUT_MAY } from './months.ts';

/** what a question asks for */
export type QuestionKind = 'time' | 'clock' | 'price' | 'count' | 'measure' | 'choice' | 'place' | 'other';

/** reply marks: the reply holds a number, a day/date/duration, a place */
export const MARK_NUMBER = '!number';
export const MARK_MONEY = '!money';
export const MARK_MEASURE = '!measure';
export const MARK_CLOCK = '!clock';
export const MARK_TIME = '!time';
export const MARK_PLACE = '!place';
/** the reply says where to look it up ("you can see your renewal date in Account"): an answer of every kind but a choice */
export const MARK_POINTER = '!pointer';

const TIME_WORDS = new Set([
  'soon',
  'shortly',
  'now',
  'next',
  'within',
  'until',
  'once',
  'later',
  'today',
  'tomorrow',
  'tonight',
  'yesterday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  'day',
  'days',
  'week',
  'weeks',
  'month',
  'months',
  'hour',
  'hours',
  'minutes',
  'immediately',
  'instantly',
  'weekend',
  'morning',
  'afternoon',
  'evening',
  ...MONTHS_BUT_MAY,
]);
const NUMBER_WORDS = new Set(['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'twelve', 'twenty', 'hundred', 'half', 'dozen']);
const PLACE_WORDS = new Set([
  'store',
  'branch',
  'centre',
  'center',
  'locker',
  'lockers',
  'office',
  'depot',
  'warehouse',
  'shop',
  'street',
  'road',
  'avenue',
  'lane',
  'drive',
  'postcode',
  'zip',
  'flat',
  'apartment',
  'apt',
  'suite',
  'close',
  'way',
  'st',
  'rd',
  'ave',
]);

const LOOK_UP = new Set(['see', 'find', 'check', 'view', 'look']);

const MONEY_WORDS = new Set(['pounds', 'dollars', 'euros', 'p', 'pence', 'quid', 'cents', 'usd', 'gbp', 'eur']);
const UNIT_WORDS = new Set([
  'kg',
  'kgs',
  'kilos',
  'kilograms',
  'g',
  'grams',
  'lb',
  'lbs',
  'pounds',
  'stone',
  'cm',
  'mm',
  'm',
  'metres',
  'meters',
  'inches',
  'inch',
  'feet',
  'ft',
  'litres',
  'liters',
  'l',
  'ml',
  'watts',
  'w',
  'volts',
  'v',
  'mah',
  'people',
  'persons',
  'adults',
  'guests',
  'x',
  'by',
  'seats',
  'seater',
]);
const TIME_UNIT_WORDS = new Set([
  'day',
  'days',
  'week',
  'weeks',
  'month',
  'months',
  'hour',
  'hours',
  'minutes',
  'mins',
  'year',
  'years',
  'working',
  'business',
]);
const CLOCK_WORDS = new Set(['am', 'pm', 'morning', 'afternoon', 'evening', 'midday', 'noon', 'midnight', 'between', 'slot', 'oclock']);
const GLUED_UNIT = /^\d[\d.,]*(?:kg|kgs|g|lb|lbs|st|cm|mm|m|in|ft|l|ml|w|v|mah|x\d+)$/;
const GLUED_CLOCK = /^\d{1,2}(?:[:.]\d\d)?(?:am|pm)$|^\d{1,2}[:.]\d\d$/;

/** Marks of what a reply can answer: a number, money, a measure, a time, a clock time, a place, a pointer. */
export function replyMarks(toks: readonly string[]): string[] {
  let num = false;
  let money = false;
  let measure = false;
  let time = false;
  let clock = false;
  let place = false;
  let pointer = false;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const next = toks[i + 1] ?? '';
    if (t === 'you' && next === 'can' && LOOK_UP.has(toks[i + 2] ?? '')) pointer = true;
    const c = t.charCodeAt(0);
    if (c === 163 || c === 36 || c === 8364) {
      if (/\d/.test(t)) money = num = true;
    } else if (c >= 48 && c <= 57) {
      num = true;
      if (MONEY_WORDS.has(next)) money = true;
      if (GLUED_UNIT.test(t) || UNIT_WORDS.has(next)) measure = true;
      if (GLUED_CLOCK.test(t) || next === 'am' || next === 'pm') clock = time = true;
      if (TIME_UNIT_WORDS.has(next)) time = true;
    } else if (NUMBER_WORDS.has(t)) {
      num = true;
      if (UNIT_WORDS.has(next)) measure = true;
      if (TIME_UNIT_WORDS.has(next)) time = true;
    }
    if (t === 'free' || t === 'nothing') money = true;
    if (TIME_WORDS.has(t)) time = true;
    if (CLOCK_WORDS.has(t)) clock = true;
    if (PLACE_WORDS.has(t)) place = true;
  }
  const out: string[] = [];
  if (num) out.push(MARK_NUMBER);
  if (money) out.push(MARK_MONEY);
  if (measure) out.push(MARK_MEASURE);
  if (time) out.push(MARK_TIME);
  if (clock) out.push(MARK_CLOCK);
  if (place) out.push(MARK_PLACE);
  if (pointer) out.push(MARK_POINTER);
  return out;
}

/** nouns that ask a price, or a measure, when asked for ("what's the price", "the weight limit") */
const PRICE_NOUNS = new Set(['price', 'cost', 'fee', 'charge', 'total', 'amount', 'postage']);
const MEASURE_NOUNS = new Set([
  'weight',
  'limit',
  'capacity',
  'size',
  'dimensions',
  'height',
  'width',
  'length',
  'depth',
  'maximum',
  'max',
  'minimum',
  'min',
  'load',
  'rating',
  'wattage',
  'voltage',
  'volume',
]);
/** amount nouns that are also adjectives ("a total fire ban", "the maximum setting"): nouns only before punctuation, an amount noun or a function word */
const MODIFIER_NOUNS = new Set(['total', 'max', 'maximum', 'minimum', 'min']);
const AFTER_AMOUNT = new Set([
  '',
  '?',
  '.',
  ',',
  '!',
  'of',
  'for',
  'on',
  'to',
  'is',
  'be',
  'with',
  'if',
  'please',
  'then',
  'including',
  'inc',
  'incl',
  ...PRICE_NOUNS,
  ...MEASURE_NOUNS,
]);
const MEASURE_ADJ = new Set(['heavy', 'big', 'tall', 'wide', 'long', 'deep', 'high', 'large', 'far', 'old', 'thick', 'strong', 'hot', 'loud']);
const TIME_UNITS = new Set(['hours', 'days', 'weeks', 'minutes', 'months', 'years', 'mins', 'hrs']);
const MEASURE_UNITS = new Set([
  'kilos',
  'kg',
  'kgs',
  'pounds',
  'lbs',
  'stone',
  'litres',
  'liters',
  'watts',
  'cm',
  'inches',
  'metres',
  'meters',
  'feet',
  'people',
  'persons',
  'adults',
  'guests',
]);
const ASKS_FOR = new Set(['the', 'whats', 'its', 'a', 'max', 'maximum']);

/** "when will …", "when does …" ask a time; "when it arrives, will …" does not */
const WHEN_AUX = new Set([
  'will',
  'would',
  'does',
  'do',
  'did',
  'is',
  'are',
  'can',
  'could',
  'should',
  'shall',
  'might',
  'am',
  'was',
  'were',
  'exactly',
  'roughly',
  'approximately',
  'abouts',
  '?',
]);

/** The kind of the last question of a message's tokens. */
export function questionKind(toks: readonly string[]): QuestionKind {
  // the last sentence that ends with "?" (else the whole message)
  let end = toks.lastIndexOf('?');
  if (end < 0) end = toks.length;
  let start = end - 1;
  while (start > 0 && toks[start - 1] !== '.' && toks[start - 1] !== '?' && toks[start - 1] !== '!') start--;
  let kind: QuestionKind = 'other';
  for (let k = Math.max(0, start); k < end; k++) {
    const t = toks[k]!;
    const next = toks[k + 1] ?? '';
    if (t === 'what' && next === 'time') return 'clock';
    if (
      (t === 'when' && WHEN_AUX.has(next)) ||
      ((t === 'what' || t === 'which') && (next === 'day' || next === 'date')) ||
      (t === 'how' && (next === 'soon' || next === 'quickly'))
    )
      return 'time';
    if (t === 'how' && next === 'long' && toks[k + 2] !== 'is' && toks[k + 2] !== 'are') return 'time';
    if (t === 'how' && next === 'many') return TIME_UNITS.has(toks[k + 2] ?? '') ? 'time' : MEASURE_UNITS.has(toks[k + 2] ?? '') ? 'measure' : 'count';
    if (t === 'how' && next === 'much')
      return toks[k + 2] === 'time' ? 'time' : MEASURE_UNITS.has(toks[k + 2] ?? '') || toks[k + 2] === 'weight' ? 'measure' : 'price';
    if (t === 'how' && MEASURE_ADJ.has(next)) return 'measure';
    // "a total fire ban", "the max setting": a word that names an amount only as a noun, used here before another noun
    if (kind === 'other' && ASKS_FOR.has(toks[k - 1] ?? '') && !(MODIFIER_NOUNS.has(t) && !AFTER_AMOUNT.has(next))) {
      if (PRICE_NOUNS.has(t)) kind = 'price';
      else if (MEASURE_NOUNS.has(t)) kind = 'measure';
    }
    if (t === 'where' || ((t === 'which' || t === 'what') && next === 'address') || ((t === 'nearest' || t === 'closest') && k > start)) return 'place';
    // a choice outranks a noun that asks for an amount ("the label or the postage, is that on me or on you")
    if (t === 'or' && k > start && next !== 'not' && next !== 'something' && next !== 'anything') kind = 'choice';
  }
  return kind;
}

/** Two questions of these kinds ask the same sort of thing. */
export function sameKind(a: QuestionKind, b: QuestionKind): boolean {
  if (a === 'other' || b === 'other') return false;
  return a === b || (a === 'clock' && b === 'time') || (a === 'time' && b === 'clock');
}

/** Whether the reply words (with replyMarks) hold an answer of this kind; 'other' cannot be told. */
export function replyAnswersKind(kind: QuestionKind, replyWords: readonly string[]): boolean {
  if (kind !== 'choice' && replyWords.indexOf(MARK_POINTER) >= 0) return true;
  if (kind === 'price') return replyWords.indexOf(MARK_MONEY) >= 0;
  if (kind === 'measure') return replyWords.indexOf(MARK_MEASURE) >= 0;
  if (kind === 'count') return replyWords.indexOf(MARK_NUMBER) >= 0;
  if (kind === 'clock') return replyWords.indexOf(MARK_CLOCK) >= 0;
  if (kind === 'time') return replyWords.indexOf(MARK_TIME) >= 0;
  if (kind === 'place') return replyWords.indexOf(MARK_PLACE) >= 0;
  // a choice is answered when the reply names one of its sides (choiceSides)
  return true;
}

/** where the sentence holding position at starts */
function sentenceStart(toks: readonly string[], at: number): number {
  let k = at;
  while (k > 0 && toks[k - 1] !== '.' && toks[k - 1] !== '?' && toks[k - 1] !== '!' && toks[k - 1] !== ',') k--;
  return k;
}

/** The words of a question's choice ("assembled or … put it together"): content next to "or". */
export function choiceSides(toks: readonly string[], content: (t: string) => string): string[] {
  const out: string[] = [];
  const or = toks.lastIndexOf('or');
  if (or < 0) return out;
  // not the question's subject ("are the sheets cotton or polyester": the reply names the sheets anyway)
  let from = or - 2;
  while (from < or && from > 0 && from <= sentenceStart(toks, or) + 2) from++;
  for (let k = Math.max(0, from); k < Math.min(toks.length, or + 5); k++) {
    const c = k === or ? '' : content(toks[k]!);
    if (c !== '' && out.indexOf(c) < 0) out.push(c);
  }
  return out;
}

const CORRECTION: readonly RegExp[] = [
  / (?:i am|im|i m|we are|were) not (?:trying|asking|looking|wanting|after|talking|on about|interested in|worried about|bothered about) /,
  // not "great, then I don't need to print anything": a conclusion drawn from the answer
  / (?<!(?:then|so) )(?:i|we) (?:dont|do not|didnt|did not) (?:need|want|wish|mean|ask|care) (?:to |about |for |if |how |a |an |the |any )/,
  / (?:thats|that is|that was|this is|its|it is) not (?:what|the question|my question|what i) /,
  / (?:my|the) question (?:was|is) /,
  / (?:past|beyond|passed) that (?:stage|point|bit|part) /,
  / (?:i am|im|we are|were) (?:happy|fine|ok|okay) with the [^.!?]{1,40} (?:its|it is|it s|what i|the) /,
  / (?:you|youve|you have) (?:misunderstood|misread|got the wrong|not understood) /,
  / (?:that|this) (?:doesnt|does not|didnt|did not) (?:answer|tell me|help with) /,
  / (?:i|we) (?:already )?know (?:that|this|how|about) [,.]? (?:but|i|my|what) /,
  // the reply told what the customer already knew: "yes i know how it works", "I know all that"
  / (?:i|we) (?:already )?know (?:how (?:it|that|this|they) works?|all (?:that|this)|that already|that bit|that part|the (?:policy|process|rules)) /,
  // the customer says they are putting the same question in other words
  / (?:let me|to|ill|i will|i ll|can i|i should|maybe i should) (?:rephrase|reword|put it (?:another|a different) way|ask (?:it |that |this )?(?:differently|another way|a different way)) /,
  / what i (?:mean|meant|am asking|m asking|was asking|want to know|(?:should|would|d) like to know|need to know|am trying to (?:find out|work out|understand)|want to find out|need to find out) (?:is|was) /,
  // "to put it plainly, then: …", "that is the general position. For my own order …"
  / (?:to )?put (?:it|that) (?:plainly|simply|bluntly|clearly|another way|differently) /,
  / (?:that is|thats|that s|this is|i know that s|i know thats|i know that is) (?:the |your )?(?:general|usual|standard|generic|normal) (?:position|policy|answer|rule|process|timeframe|procedure|info|information|line) /,
  // "Yes, I know it's under warranty. I'm asking whether I'll have to pay anything": the question put again, said so
  / (?:i am|im|i m|we are|were) (?:only |just |simply |really )?asking (?:whether|if|about|how|when|what|which|where|because) /,
  / in other words /,
  / (?:my|the) (?:question|point) (?:is|was) (?:simply|just|really|actually|only) /,
];

/**
 * Weaker signs of the same question again, read like "I know, but": "I just want to know if …",
 * "I need to know whether …", "what are they made of though?", "not wrapping, just a note …",
 * "sorry to ask again, but …" — they count only when the reply left the first question's words out.
 */
const ASKS_AGAIN: readonly RegExp[] = [
  / (?:i|we) (?:just|only|simply|really|still) (?:want|need|wanted|needed|would like|d like) to know /,
  // "all I want is …" (not "thanks, that's all I needed": a closing)
  / (?<!(?:that|thats|that is|its|it is) )all (?:i|we) (?:want|need|wanted|needed|asked|am asking|m asking) /,
  / (?:i|we) (?:need|want|needed|wanted) to know (?:if|whether|how|when|what|where|which) /,
  / (?:sorry|apologies) (?:to|for) (?:ask|asking) (?:again|twice|once more) /,
  / (?:i|we) (?:do not|dont|don t) doubt (?:it|that|this|you) [,.]? but /,
  / (?:i am|im|i m|we are|were) (?:wondering|trying to find out) (?:whether|if|about|how|when|what|which|where) /,
  / though \? /,
  /^ (?:no |sorry |ok |right )?[,.]? ?not (?:the |a |an |my )?[^ .,!?]+(?: [^ .,!?]+)? [,.] (?:i mean|i meant|just|i want|i need|i am|im|i m|i was|my) /,
];

/** "Perfect.", "Great, thanks.": the customer took the answer before asking on */
const SATISFIED =
  /^ (?:perfect|great|lovely|brilliant|excellent|awesome|nice|nice one|cheers|thanks|thank you|amazing|fab|fabulous|super|wonderful|ok great|ok thanks|ok perfect|that s great|thats great)(?: thanks| thank you)? [,.!]/;

/** The customer puts the question again, in a weaker way than correctsReply; the words that say it, or null. */
export function asksAgainAside(text: string): string | null {
  if (SATISFIED.test(text)) return null;
  for (const re of ASKS_AGAIN) {
    const m = re.exec(text);
    if (m !== null) return m[0].trim();
  }
  return null;
}

/** The customer says the reply took the question for another one; the words that say it, or null. */
export function correctsReply(text: string): string | null {
  for (const re of CORRECTION) {
    const m = re.exec(text);
    if (m !== null) return m[0].trim();
  }
  return null;
}

const SETTLED =
  / (?:found it|(?<!(?:have|has|youve|weve|theyve|you|they|we|he|she) )got it|that worked|thats worked|that works|all sorted|sorted now|makes sense|that helps|perfect thanks|brilliant thanks|fair enough|no worries|(?<!(?:is|would|will|be) )(?:thats|that is|that) fine|should be fine) (?!(?:, )?but )/;

/** The customer says the reply worked or takes the answer ("found it", "got it, thanks", "fair enough", "that's fine, I'll go standard") before asking on; not "fair enough, but …". */
export function settles(text: string): boolean {
  return SETTLED.test(text);
}

/** the words one of SETTLED's phrases holds: without one, settles() is false (a gate before building the text) */
const SETTLE_CUES = new Set(['found', 'got', 'worked', 'works', 'sorted', 'sense', 'helps', 'perfect', 'brilliant', 'enough', 'worries', 'fine']);

/** False when settles() is certainly false for a message of these tokens. */
export function maySettle(toks: readonly string[]): boolean {
  for (let k = 0; k < toks.length; k++) if (SETTLE_CUES.has(toks[k]!)) return true;
  return false;
}

/** every pattern of correctsReply and asksAgainAside holds one of these words */
const AGAIN_CUES = new Set(
  'not dont didnt question point past beyond passed happy fine ok okay misunderstood misread wrong got youve doesnt know rephrase reword put ask mean meant asking wondering trying doubt plainly simply bluntly clearly differently general usual standard generic normal other want need wanted needed all sorry apologies though'.split(
    ' ',
  ),
);

/** False when correctsReply and asksAgainAside certainly find nothing in a message of these tokens. */
export function mayAskAgain(toks: readonly string[]): boolean {
  for (let k = 0; k < toks.length; k++) if (AGAIN_CUES.has(toks[k]!)) return true;
  return false;
}

/** The message puts a question again in other words (correctsReply or asksAgainAside), asked or not. */
export function asksAgain(toks: readonly string[], text: () => string): boolean {
  if (!mayAskAgain(toks)) return false;
  const t = text();
  return correctsReply(t) !== null || asksAgainAside(t) !== null;
}
