/**
 * A complaint the assistant took for praise: the customer tells of something wrong — often wrapped in
 * irony ("great, just great. fridge came with a dent the size of my fist") — and the reply thanks them
 * for their kind words or is glad ("Thank you for your feedback! We're glad your delivery arrived
 * safely", "Glad to hear your table arrived!", "We're happy you're enjoying your purchase!"). Whatever
 * the customer meant, the reply did not hear the problem, so it is still open: a fact of kind
 * "sarcasm" for the conversation's sentiment (signals/frustration.ts).
 *
 * Not when the customer's message says the problem is over ("it arrived this morning, thanks"), holds no
 * sign of trouble ("the chairs arrived early and look amazing" — "Glad to hear!") or tells that the
 * product withstood it ("someone tried to nick it, the lock had scratches all over but held").
 */
import { tokenText } from './pattern.ts';
import { signOfTrouble } from './sarcasm.ts';

/** a reply that is glad or thanks for praise, in its opening words */
const GLAD_REPLY =
  /^[^a-z]{0,4}(?:(?:hi|hello|hey)\b[^.!?]{0,30}[.!,]\s*)?(?:(?:thank you|thanks)(?: so much| very much)? for (?:your|the|sharing|letting us know how)(?: kind| lovely| wonderful| great| positive)? ?(?:words|feedback|review)|(?:we(?:'|’)re|we are|i(?:'|’)m|i am|so)(?: so| really| very| truly)? (?:glad|happy|delighted|thrilled|pleased) (?:to hear|you|your|that|the|it)|(?:glad|great|happy|lovely|wonderful|so good) to hear|(?:great|wonderful|fantastic|brilliant|awesome|lovely|amazing) news|(?:wonderful|fantastic|brilliant|awesome|amazing|yay)[!.]|haha\b)/i;

/** Whether an assistant reply opens glad or thanking for praise ("Glad to hear …", "Thank you for your feedback!"). */
export function gladReply(text: string): boolean {
  return GLAD_REPLY.test(text.length > 200 ? text.slice(0, 200) : text);
}

/** other cheerful openings that take the customer's words as good news: "That's wonderful to hear!", "Thank you for choosing …", "We truly value your feedback" */
const CHEER_REPLY =
  /^[^a-z]{0,4}(?:(?:hi|hello|hey)\b[^.!?]{0,30}[.!,]\s*)?(?:(?:that(?:'|’)?s|that is|it(?:'|’)?s|what) (?:so |really )?(?:wonderful|great|lovely|fantastic|brilliant|amazing|awesome|good) (?:to hear|news)|thank you for (?:choosing|shopping with|your (?:order|purchase))|we (?:truly |really |always )?(?:value|appreciate) your (?:feedback|business|kind)|we hope (?:you|he|she|they|your)\b)/i;

/** GLAD_REPLY and CHEER_REPLY in one expression: one anchored attempt per reply */
const CHEERFUL = new RegExp(`${GLAD_REPLY.source.slice(0, -1)}|${CHEER_REPLY.source.slice(CHEER_REPLY.source.indexOf(')?(?:') + 5)}`, 'i');

/** A glad reply (gladReply) or another cheerful opening (CHEER_REPLY). Both are anchored and bounded: no need to cut the text. */
export function cheerfulReply(text: string): boolean {
  return CHEERFUL.test(text);
}

/** a customer contradicting what was said: "it isn't", "can't assemble it", "nobody's done anything" */
const CONTRADICTS = new Set([
  'not',
  'isnt',
  'cant',
  'cannot',
  'nobody',
  'noone',
  'never',
  'doesnt',
  'didnt',
  'dont',
  'wont',
  'aint',
  'arent',
  'wasnt',
  'werent',
  'couldnt',
  'hasnt',
  'havent',
  'nothing',
  'without',
]);
const THANKS_WORDS = new Set(['thanks', 'thank', 'cheers', 'thx', 'ty', 'appreciate']);
/** a laugh shared with the reply: "lol", "haha" (a smiling emoji is checked by code point) */
const LAUGHS = new Set(['lol', 'haha', 'hahaha', 'lmao', 'xx', 'xxx', 'hehe']);
/** ironic or despairing emoji: no shared laugh ("bestie i am not enjoying it 💀", "it isnt 😭") */
const IRONIC_EMOJI = new Set(['🙃', '🙄', '😒', '🤡', '💀', '😭', '😩', '😫', '😤', '😡', '😠']);

/** "can't wait", "not bad", "nothing else", "couldn't be happier", "don't worry": a negation that is no contradiction */
function harmlessNegation(toks: readonly string[], k: number): boolean {
  const t = toks[k]!;
  const a = toks[k + 1] ?? '';
  const b = toks[k + 2] ?? '';
  if ((t === 'cant' || t === 'cannot') && a === 'wait') return true;
  if (t === 'not' && (a === 'bad' || a === 'too' || a === 'long')) return true;
  if (t === 'nothing' && (a === 'else' || a === 'more')) return true;
  if (t === 'couldnt' && b === 'happier') return true;
  if ((t === 'dont' || t === 'never') && (a === 'worry' || a === 'mind')) return true;
  return false;
}

/**
 * The customer answering a cheerful reply by contradicting it: a message of praise or trouble, a
 * glad or cheerful reply ("That's wonderful to hear!", "I'm glad you're enjoying the tracking
 * feature!"), and the customer's next message negates it ("yes that's the trick. it says delivered.
 * it isn't.", "can't assemble it") with no thanks, no new question and no shared laugh. The reply did
 * not hear the problem. Returns the position in `turns` and the reply's index, or null.
 */
export function cheerContradicted(
  messages: readonly unknown[],
  turns: readonly MisreadTurn[],
  resolved: (text: string) => boolean,
  look = 2,
): { turn: number; reply: number } | null {
  for (let c = turns.length - 1; c >= 0 && c >= turns.length - look; c--) {
    const m = turns[c]!;
    if (m.index < 2) continue;
    const reply = messages[m.index - 1] as { role?: unknown; text?: unknown } | null | undefined;
    const before = messages[m.index - 2] as { role?: unknown } | null | undefined;
    if (!reply || typeof reply !== 'object' || reply.role !== 'assistant' || typeof reply.text !== 'string') continue;
    if (!before || typeof before !== 'object' || before.role !== 'customer') continue;
    const toks = m.toks;
    if (toks.length === 0 || toks[toks.length - 1] === '?') continue;
    // the openings are anchored: one attempt each, cheaper than reading the message
    if (!cheerfulReply(reply.text)) continue;
    let negation = false;
    let friendly = false;
    for (let k = 0; k < toks.length && !friendly; k++) {
      const t = toks[k]!;
      if (THANKS_WORDS.has(t) || LAUGHS.has(t) || (t.codePointAt(0)! > 0x2000 && !IRONIC_EMOJI.has(t))) friendly = true;
      else if (CONTRADICTS.has(t) && !harmlessNegation(toks, k)) negation = true;
    }
    if (friendly || !negation) continue;
    if (resolved((m.tt ??= tokenText(toks)))) continue;
    return { turn: c, reply: m.index - 1 };
  }
  return null;
}

export interface MisreadTurn {
  /** index into the conversation's messages */
  index: number;
  toks: readonly string[];
  /** tokenText(toks), when already built (it is cached here when built) */
  tt?: string;
}

/**
 * the product withstood what was done to it ("lock had scratches all over but held", "dented but still works") or is fine
 * but for a mark ("its fine just scratched"): a glad reply heard it right
 */
const WITHSTOOD =
  / but (?:it |they |the [^ .,!?]+ |its |it is |it has |still )?(?:held|survived|held up|held firm|did its job|did the job|still works|still working|still work|works fine|worked fine) | (?:fine|ok|okay|alright|grand) (?:, )?(?:just|only) (?:a (?:bit|little) |a few |some )?(?:scratched|scuffed|marked|scratches|scuffs|marks|a scratch|a scuff|a mark|cosmetic) /;

/**
 * The latest customer message (among the last `look` customer messages) whose next message is a glad
 * reply although it told of trouble; the position in `turns` and the reply's index, or null.
 * `resolved(text)`: the message says the problem is over.
 */
export function misreadComplaint(
  messages: readonly unknown[],
  turns: readonly MisreadTurn[],
  resolved: (text: string) => boolean,
  look = 3,
): { turn: number; reply: number } | null {
  for (let c = turns.length - 1; c >= 0 && c >= turns.length - look; c--) {
    const m = turns[c]!;
    const next = messages[m.index + 1] as { role?: unknown; text?: unknown } | null | undefined;
    if (!next || typeof next !== 'object' || next.role !== 'assistant' || typeof next.text !== 'string') continue;
    if (!cheerfulReply(next.text)) continue;
    const text = (m.tt ??= tokenText(m.toks));
    if (!signOfTrouble(text, m.toks) || resolved(text) || WITHSTOOD.test(text)) continue;
    return { turn: c, reply: m.index + 1 };
  }
  return null;
}
