/**
 * Requests for a person (MANUAL trigger): "can I talk to a human", "transfer me to an agent", "I want
 * a real person", "representative please", "get me your manager" (findPersonRequest, on words), and
 * in open wording (findOpenPersonRequest, on tokenText): "could somebody from your team ring me?",
 * "is there anyone on your side who could check this?", "can a colleague of yours take a look",
 * "please have someone contact me", "can I get a call back", "I'd rather do this by phone".
 *
 * Rule, on the words of one customer message: a person noun (human, person, agent, representative,
 * manager, supervisor, operator, someone …) preceded
 *  - within 5 words by a contact verb (talk, speak, chat, transfer, connect, escalate, put through,
 *    reach …), or
 *  - within 3 words by a desire verb (want, need, get, give, like, request …),
 * and the verb not negated within the 3 words before it ("I don't need to talk to a manager"); or
 * "real/live/actual person|human|agent|people"; or a short message made only of a person noun and
 * filler ("agent!!", "human please").
 */
import { compilePatterns } from './signals/pattern.ts';
import { NOT_A_PERSON_REQUEST, personShapeMatches } from './signals/person-shapes.ts';

export const PERSON = new Set([
  'human',
  'humans',
  'person',
  'agent',
  'agents',
  'representative',
  'rep',
  'manager',
  'supervisor',
  'operator',
  'someone',
  'somebody',
  'staff',
  'employee',
  'associate',
  'whoever',
  'boss',
  'advisor',
  'adviser',
]);
/**
 * Role nouns: reported as keywords only when the message asks for one ("get me a manager"), never
 * when used neutrally ("a gift for my manager", "the travel agent", "HumanTouch massager").
 */
export const ROLE_KEYWORDS: readonly string[] = [
  'real person',
  'live person',
  'live agent',
  'human',
  'agent',
  'manager',
  'supervisor',
  'representative',
  'operator',
];
/** Words without which a message cannot be a request for a person (a cheap pre-filter). */
export const PERSON_REQUEST_WORDS: readonly string[] = [...PERSON, 'people'];
const CONTACT = new Set([
  'talk',
  'speak',
  'chat',
  'transfer',
  'connect',
  'escalate',
  'put',
  'reach',
  'contact',
  'pass',
  'forward',
  'redirect',
  'route',
  'switch',
  'call',
  'explain',
  'discuss',
]);
const DESIRE = new Set(['want', 'need', 'get', 'give', 'like', 'request', 'demand', 'prefer']);
const WOULD = new Set(['would', 'id', 'wd', 'd', 'should', 'wouldnt', 'shouldnt']);
const NEGATORS = new Set(['dont', 'not', 'no', 'never', 'doesnt', 'didnt', 'wont', 'cant', 'without']);
const REAL = new Set(['real', 'live', 'actual']);
const ARTICLE_THE = 'the';
const FILLER = new Set([
  'please',
  'pls',
  'plz',
  'now',
  'a',
  'an',
  'the',
  'me',
  'to',
  'i',
  'want',
  'need',
  'just',
  'give',
  'get',
  'customer',
  'service',
  'support',
  'live',
  'real',
  'talk',
  'speak',
  'with',
  'your',
  'ok',
  'okay',
  'hello',
  'hi',
  'asap',
  'immediately',
  'already',
]);

export interface PersonRequest {
  /** the words that made the request, e.g. "transfer me to an agent" */
  phrase: string;
}

function negatedBefore(words: readonly string[], k: number): boolean {
  for (let m = k - 1; m >= 0 && m >= k - 3; m--) if (NEGATORS.has(words[m]!)) return true;
  return false;
}

const ABOUT_SOMEONE = new Set(['the', 'this', 'that', 'she', 'he', 'her', 'his', 'your', 'they']);

/** "is the model in the ad a real person", "does the monitor have a real person detection": about someone or something, not a request */
function asksWhetherReal(words: readonly string[], p: number): boolean {
  const next = words[p + 1];
  if (
    next !== undefined &&
    next !== 'or' &&
    next !== 'please' &&
    next !== 'to' &&
    next !== 'who' &&
    next !== 'that' &&
    next !== 'now' &&
    next !== 'on' &&
    next !== 'here'
  )
    if (words.slice(Math.max(0, p - 8), p).some((w) => w === 'have' || w === 'has' || w === 'does')) return true;
  for (let k = Math.max(0, p - 9); k < p - 2; k++)
    if ((words[k] === 'is' || words[k] === 'are' || words[k] === 'was') && ABOUT_SOMEONE.has(words[k + 1]!)) return true;
  return false;
}

/** Finds an explicit request for a person in a message's words, or null. */
export function findPersonRequest(words: readonly string[]): PersonRequest | null {
  const n = words.length;
  if (n === 0) return null;
  // a short message made only of a person noun and filler ("agent", "human please")
  if (n <= 6) {
    let person = -1;
    let onlyFiller = true;
    for (let k = 0; k < n; k++) {
      const w = words[k]!;
      if (PERSON.has(w) && w !== 'someone' && w !== 'somebody') person = k;
      else if (!FILLER.has(w)) {
        onlyFiller = false;
        break;
      }
    }
    if (onlyFiller && person >= 0 && !negatedBefore(words, person)) return { phrase: words.join(' ') };
  }
  for (let p = 0; p < n; p++) {
    const w = words[p]!;
    const realPeople = w === 'people' && p > 0 && REAL.has(words[p - 1]!);
    if (!PERSON.has(w) && !realPeople) continue;
    if (p > 0 && REAL.has(words[p - 1]!) && w !== 'someone' && w !== 'somebody') {
      // "the Real Person audiobook" names a thing; "a real person" asks for one; "is the model in the ad a real person" asks about someone
      if (!negatedBefore(words, p - 1) && (p < 2 || words[p - 2] !== ARTICLE_THE) && !asksWhetherReal(words, p))
        return { phrase: words.slice(Math.max(0, p - 4), p + 1).join(' ') };
      continue;
    }
    for (let k = p - 1; k >= 0 && k >= p - 5; k--) {
      const c = words[k]!;
      if (!CONTACT.has(c) && !(DESIRE.has(c) && p - k <= 3)) continue;
      // "if I give it to someone else": giving away, not "give me someone"
      if (c === 'give' && words[k + 1] !== 'me' && words[k + 1] !== 'us') continue;
      // "I like 'Agent Maya' on the tag": liking, not "I'd like an agent"
      if (c === 'like' && !WOULD.has(words[k - 1] ?? '')) continue;
      // "please pass on my thanks to whoever packed it": passing praise on, not asking for a person
      if (passesOnPraise(words, k, p)) break;
      // "I'll pass that on to our practice manager": the customer hands something to their own people
      if (handsOnToOwn(words, k, p)) break;
      if (!negatedBefore(words, k)) return { phrase: words.slice(k, p + 1).join(' ') };
      break;
    }
  }
  return null;
}

/** passing something on (not "pass me to …") to a person of the customer's own side ("our manager", "my colleague") */
const HANDED_ON = new Set(['pass', 'forward', 'explain', 'redirect', 'route']);
function handsOnToOwn(words: readonly string[], from: number, to: number): boolean {
  if (!HANDED_ON.has(words[from]!) || words[from + 1] === 'me' || words[from + 1] === 'us') return false;
  for (let k = from + 1; k < to; k++) if (words[k] === 'our' || words[k] === 'my') return true;
  return false;
}

/** what a customer asks to be passed on to someone when it is no hand-over */
const PASSED_ON = new Set(['thanks', 'compliments', 'praise', 'gratitude', 'appreciation', 'regards', 'wishes', 'congratulations', 'kind']);
function passesOnPraise(words: readonly string[], from: number, to: number): boolean {
  for (let k = from + 1; k < to; k++) if (PASSED_ON.has(words[k]!)) return true;
  return false;
}

const STAFF =
  '(someone|somebody|anyone|anybody|a person|a human|a real person|an actual person|a real human|a colleague|your colleague|your colleagues|one of your colleagues|a member of staff|a member of your team|a staff member|member of staff|one of your team|one of your staff|one of the team|one of your people|someone else|a manager|your manager|a supervisor|your supervisor|a specialist|an expert|a technician|an engineer|a human being|a team member|the team|your team|whoever|people|your boss|the boss|an advisor|an adviser|a advisor|(one of )?(your|a|the) (pharmacists?|nurses?|opticians?)|(a |an |one |any |some )?(real |actual |human )?members? of (your |the )(customer |support |service |care |complaints |returns |billing |sales )?(team|staff)|(your|the) (customer service|customer services|customer care|support|complaints|complaint|returns|billing|refunds|escalations|accounts|technical|tech|service|care|repairs) (team|department|dept|staff|people)|(one of )?(your|the) (advisors|advisers|agents|staff|colleagues|people|experts|specialists|representatives|reps|managers|supervisors|team members|staff members|engineers|technicians))';
const STAFF_ACTS =
  '(drop me|send me|get me|give me|let me know|call|ring|phone|contact|email|look|check|help|review|handle|pick this up|pick it up|take this over|take over this|take over my|step in|intervene|get involved|look into|resolve|fix|get back|get in touch|reach|reach out|take|speak|talk|deal|sort|give me|investigate|see|assist|follow up|chat|explain|confirm|answer|message|write|text)';
const IN_PERSON = / (?:in|at) (?:the|your|a) (?:[^ .,!?]+ )?(?:store|shop|branch|showroom) | (?:come|pop|drop) (?:in|by|into) | in person /;
/** "will the courier call me before they deliver": someone else's call, not a hand-over to the company's staff */
const THIRD_PARTY =
  / (?:courier|driver|delivery|postman|postie|carrier|dpd|ups|fedex|dhl|evri|hermes|they|he|she|bank|neighbour|neighbor|husband|wife|partner) /;
const NEGATED = /(?:^| )(?:dont|do not|not|no|never|without|didnt|doesnt|wont|no need)(?: [^ .,!?]+){0,2} ?$/;

const OPEN_REQUEST = compilePatterns([
  `(can|could|would|will|may|might|please|pls|plz|possible for|can i have|could i have|id like|i would like|any chance|is it possible|i want|i need|i would appreciate it if|id appreciate it if) ~3 ${STAFF} ~6 ${STAFF_ACTS}`,
  `(be|get|being|getting) (contacted|called|rung|phoned|emailed|helped|called back) by ~1 ${STAFF}`,
  `(is|are|isnt|arent) there ~1 ${STAFF} ~6 (who|that|i can|i could|to talk|to speak|to chat|could|can|available|on your side|in your team|from your team|i may)`,
  `(is|are|isnt|arent) there ~1 (a|any)? (human|person|people|staff|real person|manager|humans) (there|at all|working|available|here)? (there|at all|working|available|here)? $`,
  `(have|get|ask|send) ${STAFF} ~4 (call|ring|phone|contact|email|look|check|come|get back|reach|to call|to contact|to ring|to look)`,
  `(can|could|would|will|please|pls|plz|you|someone|somebody|anyone) ~3 (call|ring|phone) me`,
  `(call|ring|phone) me (back|on|at|tomorrow|today|tonight|this|asap|please|when|now|#num)`,
  `(get|have|request|want|like|arrange|need|book|schedule|receive) (a|an)? (call back|callback|phone call|ring back|call from)`,
  `(want|like|need|request|arrange|book|schedule) (a|an) (call|ring|phone call)`,
  `give (me|us) a (ring|call|bell|buzz)`,
  `(pass|put|hand|transfer|send|connect|forward|escalate) (me|us) (on|through|over|to|onwards)`,
  `(need|needs|needed) (a|an)? (someone|somebody|a person|a human|real person|human being|member of staff|manager|supervisor|specialist) (who|to|that)`,
  `(have|get|book|arrange|schedule|set up) (a|an)? ~1 (call|chat|word|phone call|conversation|video call) (with|from) ~2 ${STAFF}`,
  `who (else)? (can|could|should|do|would) (i|we) (speak|talk|contact|write|complain|ring|call|email|escalate|go)`,
  `(like|want|need|wish|going|have|request) to escalate`,
  `(discuss|talk|speak|chat|deal|sort) ~3 with (your|the|a) ~2 (team|department|staff|people|colleagues|manager|supervisor) ~2 (directly|in person|by phone|not here|not the bot|please)`,
  `(someone|somebody|anyone|the person|whoever|person|people) (in charge|senior|responsible|more senior|higher up|with authority|above you)`,
  `(please)? escalate (this|it|my case|my complaint|my issue|my query|the matter) $`,
  `(number|email|email address|address|contact|contact details|phone number|line) (for|of) (your|the)? (complaints|complaint|customer service|customer care|support team|escalations|management|head office) (department|team|line|manager)?`,
  `(real|actual|human) (staff|people|person|humans|agents) (i|we) (can|could) (email|call|ring|phone|speak|talk|write|contact|reach)`,
  `(speak|talk|chat) with (whoever|the person|someone|somebody) (is|who is|in) ~1 (charge|responsible|manager|senior)`,
  `(need|want|like|get) (some)? (help|assistance|support|advice)? (from|with|by) (a|an|one of your)? (person|human|real person|human being|member of staff|staff member|colleague|someone|somebody)`,
  `is (anybody|anyone|someone|somebody|there anybody|there anyone) (actually|really|even)? (there|here|reading|listening|awake|home|real)`,
  `(get hold of|get through to|get in touch with|reach|contact|speak to|talk to) (a|an|someone|somebody|your)? ~1 (human|person|real person|member of staff|manager|supervisor|someone|somebody|people)`,
  `(looked at|looked into|reviewed|checked|handled|dealt with|seen|escalated|answered) ~2 by (a|an|one of|someone|somebody|your|a real|an actual|real|actual) ~4 (person|human|member|colleague|agent|manager|supervisor|staff|team|someone|somebody|people)`,
  `(is there|do you have|what is|whats|give me|send me|can i have|can i get) (a|your|the|any)? (phone|telephone|contact|direct)? (number|phone number|line|hotline) ~4 (ring|call|phone|talk|speak|reach|someone|somebody|a person)`,
  `(rather|prefer|easier|better|quicker|simpler) ~6 (by|over|on) (the)? (phone|telephone)`,
  `(discuss|talk|speak|explain|go through|sort) ~4 (by|over|on) (the)? (phone|telephone)`,
  `(speak|talk|chat|speaking|talking|chatting) (this|it|things)? (through|over)? (with|to) ~2 (member of staff|staff member|member of your team|colleague|colleagues|team member|specialist|expert|someone|somebody|a person|a human|a manager|a supervisor|people|${STAFF})`,
  `(name|number|direct line|line|email|email address|contact details|details) (of|for) (whoever|the person|someone|somebody) ~3 (handles|deals with|manages|runs|is in charge|looks after|is responsible)`,
  `(not|no|rather than|instead of) (a|the|this|an)? (bot|robot|machine|assistant|ai|chatbot|automated|virtual assistant)`,
  `(escalate|pass|forward|transfer|refer) ~3 (to|on to|onto) ~2 ${STAFF}`,
  `(needs|need|has|have|should|must) (to)? (go|be sent|be passed|be escalated|be referred|be handed|be looked at|be seen|be checked|be reviewed|be handled|be dealt with) (to|by|on to) ${STAFF}`,
  `(dont|do not|not|no longer|refuse to) (want|wish|like|going|willing) to (talk|speak|chat|deal) (to|with) (a|an|this|the|your)? (bot|robot|machine|ai|chatbot|computer|automated|virtual)`,
  `(sick|tired|fed up|had enough|enough) (of)? (talking|speaking|chatting|dealing)? (to|with)? (a|an|this|the|your)? (bot|robot|machine|chatbot|automated|computer)`,
  're:^ (?:please |pls |ok |just )?(?:transfer|escalate|connect|forward) (?:me |this |it )?(?:please |pls |now |asap |already )?(?:[.!?] )*$',
  `(speak|talk|chat|put me through|transfer me|connect me|pass me) (to|with) (your|the)? (customer service|customer services|customer care|customer support|complaints|support team|complaints team|complaints department|head office)`,
  `(want|need|like|going|try|trying) to (call|ring|phone) (you|them|your team|your office|someone|somebody|a person|a human)`,
  `(is there|do you have|what is|whats|give me|send me|can i have|can i get) (a|your|the|any)? ~2 (phone|telephone|contact|direct) (number|line) (to|so|i can|for)? ~3 (ring|call|phone|talk|speak|reach)`,
]);

const OPEN_REQUEST_ALL = new RegExp(OPEN_REQUEST.source, 'g');

/** a person of the company who does the work: "the actual jeweller", "the technician who repaired it", "a real person" */
const WORKER =
  '(?:person|people|human|jeweller|jewellers|jeweler|goldsmith|technician|engineer|tailor|repairer|mechanic|craftsman|craftsperson|specialist|expert|pharmacist|optician|manager|supervisor|staff|team|someone|somebody|member of (?:staff|your team)|one of your (?:team|staff|people|jewellers|technicians|engineers))';
/**
 * The customer would be easier talking to a person: "I'd feel better talking to the actual jeweller who has it on their bench",
 * "I'd be more comfortable speaking with a real person". A wish, in whatever way they reach them (so not a store visit).
 */
const COMFORT_TALKING = new RegExp(
  ` (?:feel|be|feels|d feel|d be|would feel|would be) (?:a lot |much |so much |far )?(?:better|happier|more comfortable|more confident|more at ease|easier|safer) (?:just )?(?:talking|speaking|chatting|dealing) (?:to|with) (?:the |a |an |your |one of the )?(?:actual |real |same |person |human )?${WORKER} `,
);

/**
 * A request for a person in open wording in a message's tokenText (see signals/pattern.ts), or null.
 * `toks` / `hashes`: the tokens the text was made of and their hashes, when the caller has them.
 */
export function findOpenPersonRequest(text: string, toks?: readonly string[], hashes?: readonly number[]): PersonRequest | null {
  // "I'd feel better talking to the actual jeweller who has it on their bench": a wish for the person doing the work, by phone or in person
  const comfort = COMFORT_TALKING.exec(text);
  if (comfort !== null && isRequestAt(text, comfort.index, comfort[0])) return { phrase: comfort[0].trim() };
  OPEN_REQUEST_ALL.lastIndex = 0;
  let m = OPEN_REQUEST_ALL.exec(text);
  const shapes = m === null ? personShapeMatches(text, toks, hashes) : null;
  if (m === null && shapes === null) return null;
  // "is there someone in the Leeds store who can help me choose": a visit, not a hand-over
  if (IN_PERSON.test(text)) return null;
  // the first request not negated ("I don't need anyone to call me … can someone check the order?")
  for (; m !== null; m = OPEN_REQUEST_ALL.exec(text)) {
    if (isRequestAt(text, m.index, m[0])) return { phrase: m[0].trim() };
    OPEN_REQUEST_ALL.lastIndex = m.index + 1;
  }
  if (shapes !== null) for (const f of shapes) if (isRequestAt(text, f.at, f.match)) return { phrase: f.match.trim() };
  return null;
}

/**
 * The customer's own plan to see the professional at the counter: "ill get the pseudo one and talk to the
 * pharmacist then", "I'm going to ask the optician when I pick them up" — told as what they will do, not
 * asked of us ("can I talk to the pharmacist?", "I want to talk to a manager then", "I feel ill and need to talk to
 * the pharmacist" stay requests).
 */
const OWN_PLAN_AT_COUNTER =
  / (?:ill|i will|we will|well|im going to|i am going to|were going to|we are going to|im gonna|i am gonna|i shall) (?:(?!need |needs |want |wanna |like |have to |has to |must |please )[^ .,!?]+ ){0,6}?(?:talk|speak|chat|ask|check) (?:to |with )?(?:the|a|my|your) (?:pharmacists?|nurses?|opticians?) /;

/** A match at `at` is a request: not negated, not someone else's call, not paying or ordering by phone, not the customer's own plan to ask at the counter. */
function isRequestAt(text: string, at: number, match: string): boolean {
  const before = text.slice(Math.max(0, at - 30), at + 1);
  return (
    !NEGATED.test(before) &&
    !THIRD_PARTY.test(match) &&
    !NOT_A_PERSON_REQUEST.test(text.slice(Math.max(0, at - 30), at + match.length + 20)) &&
    !OWN_PLAN_AT_COUNTER.test(text.slice(Math.max(0, at - 60), at + match.length + 1))
  );
}

/** The role noun a request names ("transfer me to an agent" → "agent"), for KEYWORD_MATCH, or null. */
export function roleKeyword(phrase: string): string | null {
  for (const k of ROLE_KEYWORDS) {
    const at = phrase.indexOf(k);
    if (at < 0) continue;
    const end = at + k.length;
    if ((at === 0 || phrase[at - 1] === ' ') && (end === phrase.length || phrase[end] === ' ' || phrase[end] === 's')) return k;
  }
  return null;
}

/** Words without which findOpenPersonRequest cannot match (a cheap per-message pre-filter). */
export const PERSON_OPEN_CUES: readonly string[] = (
  'someone somebody anyone anybody person human colleague colleagues staff member team manager supervisor specialist expert technician engineer whoever people ' +
  'call ring phone telephone callback bell buzz bot robot machine assistant ai chatbot automated virtual ' +
  'who escalate department complaints staff humans agents discuss charge senior responsible authority transfer connect forward boss advisor adviser computer speak talk ' +
  'talking speaking chatting advisors advisers representatives reps managers supervisors specialists experts engineers technicians handles ' +
  'transferred referred forwarded escalated callback pulse heartbeat employee employees pharmacist pharmacists nurse nurses optician opticians'
).split(' ');
