/**
 * Requests for a person by shape (MANUAL, with manual.ts's OPEN_REQUEST): a wish or a question frame,
 * someone on the company's side, and a way of reaching them — in whatever order the customer puts
 * them. "I'd like to raise this with a staff member", "Is anybody from your returns team able to look
 * at this?", "Can I be transferred to someone?", "Any humans around?", "Would it be ok if someone
 * called me instead?", "A phone call would be much easier", "I'd like a word with your manager".
 *
 * A role noun alone never fires ("my travel agent", "a gift for my manager"); neither does someone
 * who is not staff doing something else ("can someone else collect it", "will someone need to be
 * in"), nor paying or ordering by phone.
 *
 * The shapes run behind their own gate (signals/pattern.ts): only those whose words are all in the
 * message are tried.
 */
import { compileGate, compileTagged, matchTagged, openPatterns } from './pattern.ts';

/** someone on the company's side, in open wording ("one person", "a named contact": a trade buyer wanting a fixed contact; "a customer care executive": a support worker's title in formal Indian English) */
export const ANYONE =
  '(someone|somebody|anyone|anybody|a person|a human|humans|a real person|an actual person|a real human|a human being|a colleague|colleague|colleagues|a member of staff|member of staff|members of staff|a staff member|staff member|staff|your staff|a team member|team member|one of you|one of your team|one of your staff|one of your colleagues|your team|the team|a manager|your manager|the manager|a supervisor|your supervisor|an advisor|an adviser|an agent|a real agent|a live agent|an employee|an actual employee|a representative|a rep|a specialist|head office|whoever|the person|the people|someone senior|someone else|(your|the) ([^ .,!?]+ )?(team|department|dept|office)|(one|a single|a named|one named|a dedicated|one dedicated) (person|contact|human)|(a|an|your|the|one of your|any) ((customer|client) )?((care|service|services|support|sales|senior) )?(executive|executives))';

/** someone as the subject of "is … available": not "the team" ("is the team working on a fix?") */
const ANYONE_SUBJECT =
  '(someone|somebody|anyone|anybody|a person|a human|a real person|an actual person|a member of staff|one of your team|one of your staff|a manager|a supervisor|a colleague)';

/** the customer wishes or asks */
const WISH =
  '(can|could|would|will|may|might|please|pls|want|wanted|need|like|love|prefer|rather|wish|hoping|hope|appreciate|grateful|possible|chance|let|able)';

export const PERSON_SHAPES: readonly string[] = [
  // "I'd like to raise this with a staff member", "I would prefer to deal with a human", "could I get an email from someone at head office"
  `${WISH} ~6 (speak|talk|chat|deal|discuss|raise|flag|go through|talk through|sort|explain|escalate|refer) ~3 (with|to|by) ${ANYONE}`,
  `${WISH} ~6 (call|email|message|reply|response|answer|contact|ring|phone|hear) ~3 (from|by) ${ANYONE}`,
  // "I'd like a word with your manager", "a proper conversation with someone who works there"
  `${WISH} ~4 (word|words|conversation|chat|call|phone call|meeting|discussion) (with|from) ~1 ${ANYONE}`,
  // "Can I be transferred to someone?", "could I get passed on to a human?"
  '(be|get|being|getting) (transferred|passed|put through|connected|referred|escalated|forwarded|handed over|sent through) (on|over|through)? (to|with) ~2 (someone|somebody|a|an|human|person|your|the|one|staff|member|manager|supervisor|colleague)',
  // "Is anybody from your returns department able to help?", "are any of your staff around to help?", "is anyone actually able to set the terms up?"
  `(is|are|isnt|arent) ${ANYONE_SUBJECT} (from|in|on|at)? ~4 (available|around|free|on hand|on shift|working|in today|able to (help|look|check|assist|sort|call|ring|phone|speak|talk|chat|deal|review|fix|answer|see|explain|confirm|contact|get back|give me|tell me|set|arrange|action|process|organise|organize)|(able|free) to ~1 (help|look|check|assist|sort|call|ring|phone|speak|talk|chat|deal|review|fix|answer|see|explain|confirm|contact|get back|give me|tell me|set|arrange|action|process|organise|organize))`,
  '(is|are|isnt|arent) (any|any of) (your)? (humans|people|staff|real people|real humans|agents|advisors|advisers|employees|colleagues) ~4 (available|around|free|on hand|on shift|working|in today|able to help|able to look|able to check)',
  // "Any humans around?", "any real people there?"
  're:^ (?:hello |hi |so |ok )?(?:[,.!?] )?(?:is there |are there )?any (?:real |actual )?(?:humans?|people|persons?|staff|agents?|one|body) (?:around|there|here|about|available|working|on|in|at all|awake)',
  // "Would it be ok if someone called me instead?", "might be easier if someone phoned me"
  `(if|could|can|would|will|maybe|perhaps|might|please|prefer|rather) ~4 ${ANYONE} (called|rang|phoned|emailed|contacted|messaged|got back to|gets back to|calls|rings|phones|emails|contacts) (me|us|my|back)`,
  // "A phone call would be much easier", "a callback would be great"
  '(phone call|call|callback|call back|ring|ring back|phone) (would|might|could) (be)? ~2 (easier|better|quicker|simpler|great|good|helpful|ideal|preferable|best|nice|lovely|appreciated|much appreciated)',
  // "is a callback possible?", "is a phone call an option?"
  '(is|would) (a|an)? (callback|call back|phone call|ring back) ~2 (possible|available|an option|ok|okay)',
  // "Can we do this over the phone instead?", "Can we talk on the phone?"
  '(can|could|would|shall|may) (we|i|you) ~4 (over|on|by) the (phone|telephone) (instead|please|rather)? ($|[,?!.]|instead|please|rather)',
  // "Who's the right person to talk to about this?"
  '(right|best|correct|appropriate|proper) (person|people|team|department|one) to (talk|speak|contact|ask|call|email|write|go|deal)',
  // "Will anyone actually read this?", "is a real person even reading this?"
  `(will|does|do|is|are|has|would) (anyone|anybody|someone|somebody|a human|a person|a real person|an actual person|humans|people|a real human|any human) ~2 ((read|reading|see|seeing|look at|check|checking|monitor|monitoring) (this|these|my|any of this|any of these|messages|the chat|the chats|chats)|respond|reply|answer|listening)`,
  // "Someone with a pulse", "a human with a brain please"
  '(someone|somebody|a human|a person|anyone|anybody) (with a pulse|with a heartbeat|who breathes|with a brain)',
  // "Could I have the phone number of someone who can help?"
  `(number|phone number|email|email address|contact details|details|direct line|name) (of|for) ${ANYONE} (who|that|in|at|from|to) ~3`,
  // "If there's a person available I'd like to talk to them"
  '(there|theres) (is|s|are)? (a|an|any) ~1 (person|human|people|humans|staff|manager|supervisor|member of staff|agent|advisor) (available|free|around|working|on hand)',
  // "can a real person look at my refund", "could a person please check"
  `(can|could|would|will|please) ~2 (a|an|some|one) ~1 (person|human|colleague|member of staff|staff member|employee|real person|human being) ~3 (look|check|review|see|handle|sort|confirm|call|ring|phone|contact|help|answer|deal|get|read|take|reply|respond)`,
  // "I'd like this to go to a human", "please hand this over to somebody", "can this go to someone who can decide?"
  `(can|could|would|will|please|like|want|need|let|should) ~4 (go|pass|hand|forward|refer|escalate|move|bump|be passed|be sent|be handed|be forwarded|be referred|be moved) (this|it|me|my case|my query|my complaint|my issue)? (over|on|up|across)? (to|with) ${ANYONE}`,
  // "Someone needs to look at this properly"
  `${ANYONE_SUBJECT} (from|in|on|at)? ~3 (needs|has|must|should|ought) to (look|check|review|see|sort|deal|call|ring|phone|contact|get back|answer|reply|fix|handle|get in touch|take)`,
  // "This needs human eyes on it", "I want a real person's attention on this", "my query requires a human representative"
  '(need|needs|needed|want|like|please|deserve|deserves|require|requires) ~3 (human|real person|actual person|real persons|real human) (eyes|attention|intervention|involvement|review|help|support|response|contact|touch|representative|agent|advisor|adviser)',
  // "Do you have staff I can speak to?"
  '(do you have|have you got|is there|are there) ~2 (staff|people|humans|someone|anyone|anybody|a person|an actual person|a real person|a human|any humans|a manager) (i|we) (can|could) (speak|talk|chat|call|ring|email|contact|reach|write)',
  // "Is there a corporate sales person or account manager I could get in touch with?", "do you have a business team we can email?"
  '(do you have|have you got|is there|are there) ~6 (person|people|manager|managers|rep|reps|representative|representatives|contact|team|department|dept|someone|somebody|anyone|anybody|staff|human|agent|advisor|adviser|specialist|officer) (i|we) (can|could|might|may) (speak|talk|chat|call|ring|phone|email|contact|reach|write|get in touch|deal)',
  // "Someone from support, please."
  '(someone|somebody|a human|a real person|an actual person|a person) (from|in|on) (your|the)? ~2 (support|team|customer service|customer services|customer care|billing|accounts|returns|complaints|staff|company|office) (,)? (please|pls|now|asap|thanks)',
];

/** a match of the shapes that is not a request for a person: paying or ordering by phone, the courier calling */
export const NOT_A_PERSON_REQUEST =
  / (?:be|being) (?:there|home|in|around) to (?:help (?:unload|carry|lift|move|sign)|sign|receive|unload|collect|let)| (?:pay|paying|paid|order|ordering|ordered|buy|buying|bought|book|booking|booked|renew|top up|topping up|than) (?:[^ .,!?]+ ){0,2}(?:by|over|on) (?:the )?(?:phone|telephone) | (?:pass|passing|send|sending|forward|give|giving|extend) (?:on |along )?(?:my |our |a |the |big |huge )*(?:thanks|thank you|compliments|praise|gratitude|appreciation|kind words|regards|best wishes|congratulations) /;

const COMPILED = compileTagged(PERSON_SHAPES.map((p, k) => [k, [p]] as const));
const GATE = compileGate(PERSON_SHAPES, ['any (humans|human|people|persons|person|staff|agents|agent|one|body)']);

/**
 * The shapes that match a message's tokenText, each with its first match (in pattern order), or null.
 * `toks` / `hashes`: the tokens the text was made of and their hashes, when the caller has them.
 */
export function personShapeMatches(text: string, toks?: readonly string[], hashes?: readonly number[]): { match: string; at: number }[] | null {
  const open = toks !== undefined ? openPatterns(GATE, toks, hashes ?? []) : openPatterns(GATE, text.trim().split(' '), []);
  if (open === null) return null;
  const found: { tag: number; match: string; at: number }[] = [];
  matchTagged(COMPILED, text, found, open);
  return found.length === 0 ? null : found;
}
