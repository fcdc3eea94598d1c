/**
 * A complaint the assistant took for praise: the customer tells of something wrong — often wrapped in
 * irony ("great, just great. fridge came with a dent the size of my fist") — and the reply thanks them
 * for their kind words or is glad ("Thank you for your feedback! We're glad your delivery arrived
 * safely", "Glad to hear your table arrived!", "We're happy you're enjoying your purchase!"). Whatever
 * the customer meant, the reply did not hear the problem, so it is still open: a fact of kind
 * "sarcasm" for the conversation's sentiment (signals/frustration.ts).
 *
 * Not when the customer's message says the problem is over ("it arrived this morning, thanks") or
 * holds no sign of trouble ("the chairs arrived early and look amazing" — "Glad to hear!").
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

export interface MisreadTurn {
  /** index into the conversation's messages */
  index: number;
  toks: readonly string[];
  /** tokenText(toks), when already built (it is cached here when built) */
  tt?: string;
}

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
    if (!gladReply(next.text)) continue;
    const text = (m.tt ??= tokenText(m.toks));
    if (!signOfTrouble(text, m.toks) || resolved(text)) continue;
    return { turn: c, reply: m.index + 1 };
  }
  return null;
}
