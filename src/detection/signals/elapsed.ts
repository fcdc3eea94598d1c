/**
 * Frustration stated as facts, by structure rather than by phrase: in one sentence of a statement,
 * time that has passed or a count of attempts ("6 weeks", "since October", "all morning", "last
 * Friday", "day 12", "the fifth time", "four times") together with something not happening or an
 * ongoing wait ("still", "hasn't", "no one", "without", "waiting", "chasing", "stuck") —
 * "the repair has taken 6 weeks and my daughter is left without a laptop", "no one has told me
 * anything since I returned it 5 weeks ago". Or a broken expectation: a promise, a due date or
 * what they were told, followed by a short sentence that says time passed or it did not happen
 * ("I was promised a call back on Monday. It's Thursday.", "It was supposed to arrive last week.
 * It didn't.").
 *
 * Not a complaint: a negation about the customer's own taste or needs ("it doesn't fit", "I don't
 * need it"), "no problem / no rush / never mind", something still working ("still works"), and
 * anything in a question (the caller skips facts inside questions).
 */
import { MONTH_WORDS } from './months.ts';

const UNITS = new Set([
  'min',
  'mins',
  'minutes',
  'hour',
  'hours',
  'hr',
  'hrs',
  'day',
  'days',
  'week',
  'weeks',
  'wks',
  'fortnight',
  'fortnights',
  'month',
  'months',
  'year',
  'years',
]);
const LONG_UNITS = new Set(['days', 'weeks', 'months', 'ages', 'forever', 'fortnight', 'hours', 'week', 'month', 'year', 'years']);
const QUANTITY = new Set([
  'a',
  'an',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'fifteen',
  'twenty',
  'thirty',
  'forty',
  'fifty',
  'sixty',
  'ninety',
  'couple',
  'few',
  'several',
  'many',
  'over',
  'nearly',
  'almost',
  'about',
  'around',
  'than',
]);
const COUNTS = new Set(['two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'several', 'multiple', 'many', 'countless', 'numerous']);
const WHOLE = new Set(['all', 'whole', 'entire']);
const SPANS = new Set([
  'lunch',
  'lunchbreak',
  'holiday',
  'day',
  'morning',
  'afternoon',
  'evening',
  'night',
  'week',
  'weekend',
  'month',
  'year',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
]);
const ORDINAL = new Set(['second', '2nd', 'third', '3rd', 'fourth', '4th', 'fifth', '5th', 'sixth', '6th', 'seventh', '7th', 'tenth', 'nth', 'umpteenth']);
const ATTEMPTS = new Set([
  'time',
  'order',
  'parcel',
  'one',
  'replacement',
  'attempt',
  'chat',
  'call',
  'email',
  'visit',
  'engineer',
  'delivery',
  'week',
  'day',
  'month',
  'weekend',
  'request',
  'complaint',
  'reminder',
]);
const WEEKDAYS = new Set(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);

const NEGATIVE = new Set([
  'not',
  'no',
  'never',
  'nt',
  'hasnt',
  'havent',
  'hadnt',
  'didnt',
  'doesnt',
  'dont',
  'wont',
  'cant',
  'cannot',
  'couldnt',
  'isnt',
  'wasnt',
  'arent',
  'werent',
  'nothing',
  'nobody',
  'noone',
  'without',
  'still',
]);
const WAITING = new Set([
  'waiting',
  'chasing',
  'chased',
  'stuck',
  'locked',
  'wasted',
  'lost',
  'missing',
  'disconnected',
  'ignored',
  'ignoring',
  'stranded',
  'left',
  'trying',
  'hold',
  'chase',
  'unanswered',
  'wait',
  // a failure state: "the third to arrive incomplete"
  'incomplete',
  'damaged',
  'broken',
  'faulty',
]);
/** before "chasing": the company did the chasing ("thanks for chasing", "you chased", "you've chased") */
const CHASED_FOR_US = new Set(['for', 'you', 'youve', 'u', 'yall']);
/** after a negation: the customer's own taste, needs or plans, not a failure */
const OWN_SIDE = new Set([
  'fit',
  'fits',
  'suit',
  'suits',
  'like',
  'liked',
  'want',
  'wanted',
  'need',
  'needed',
  'mind',
  'know',
  'knew',
  'think',
  'sure',
  'matter',
  'worry',
  'worries',
  'rush',
  'hurry',
  'problem',
  'problems',
  'issue',
  'issues',
  'used',
  'use',
  'opened',
  'worn',
  'bad',
  'doubt',
  'bother',
  'remember',
  'realise',
  'realize',
  'expect',
  'mean',
  'care',
  // "I still can't believe how easy that was", "the kids haven't stopped playing with it"
  'believe',
  // "3 months and not a scratch": good news
  'scratch',
  'scratches',
  'mark',
  'marks',
  'fault',
  'hitch',
  'complaint',
  'complaints',
  'snag',
  'glitch',
  'stopped',
  // "connected for 20 minutes with no drop": a failure that did not come back, good news
  'drop',
  'drops',
  'dropout',
  'dropouts',
  'crash',
  'crashes',
  'disconnection',
  'disconnections',
  'hiccup',
  'hiccups',
  'outage',
  'outages',
  'interruption',
  'interruptions',
  // "3 weeks on the balcony and no rust at all": a defect that did not show, good news
  'rust',
  'rusting',
  'fading',
  'fade',
  'damage',
  'crack',
  'cracks',
  'cracking',
  'leak',
  'leaks',
  'leaking',
  'peeling',
  'stains',
  'wobble',
  'squeak',
  'squeaks',
  'squeaking',
]);
/** a verb of how a thing looks or holds up, before its state: "still looks great", "still going strong", "still holding up well" */
export const LOOKS: ReadonlySet<string> = new Set([
  'looks',
  'look',
  'looking',
  'seems',
  'feels',
  'feel',
  'smells',
  'sounds',
  'holding',
  'holds',
  'going',
  'runs',
  'running',
  'sleeping',
  'sleeps',
]);
/** a good state after such a verb ("looks great", "going strong", "looking brand new") */
export const LOOKS_FINE: readonly string[] = [
  'great',
  'good',
  'fine',
  'perfect',
  'new',
  'brand',
  'amazing',
  'lovely',
  'beautiful',
  'gorgeous',
  'fresh',
  'strong',
  'up',
  'well',
  'solid',
  'nice',
  'excellent',
  'immaculate',
  'pristine',
];
/** after "still" and LOOKS: still fine (also "still looks ok", "still looks smart") */
const FINE_STATE = new Set([...LOOKS_FINE, 'ok', 'okay', 'smart']);
/** after "still": still fine */
const STILL_FINE = new Set([
  'works',
  'working',
  'work',
  'love',
  'loving',
  'good',
  'great',
  'fine',
  'perfect',
  'like',
  'use',
  'using',
  'valid',
  'available',
  'under',
  'covered',
  'in',
  'have',
  'got',
  'going',
  'wear',
  'wearing',
  'happy',
]);
const STILL_STUCK_IN = new Set(['boxes', 'transit', 'pieces', 'bits', 'storage', 'limbo', 'processing', 'the', 'our', 'my', 'a']);
/** words of a promise or an expectation */
const EXPECTED = new Set([
  'promised',
  'supposed',
  'told',
  'said',
  'meant',
  'due',
  'guaranteed',
  'assured',
  'confirmed',
  'booked',
  'scheduled',
  'expected',
  'should',
]);
const BREAKS = new Set(['.', '!', '?', ';']);
/** a delivery speed paid for: "I paid for express shipping", "paid for next-day" — a promise bought */
const SPEEDS = new Set(['express', 'next', 'nextday', 'priority', 'expedited', 'same', 'overnight', 'faster', 'fast', 'rush']);

const ARRIVED = new Set(['came', 'arrived', 'received', 'got', 'delivered', 'turned', 'showed', 'here']);

function arrivalIn(toks: readonly string[], start: number, end: number): boolean {
  for (let k = start; k < end; k++) if (ARRIVED.has(toks[k]!)) return true;
  return false;
}

/** "paid for (the) express …" at toks[k] ("I paid for express shipping. 10 days now.") */
function paidForSpeed(toks: readonly string[], k: number): boolean {
  if (toks[k] !== 'paid' || toks[k + 1] !== 'for') return false;
  const a = toks[k + 2] === 'the' || toks[k + 2] === 'an' ? toks[k + 3] : toks[k + 2];
  return a !== undefined && SPEEDS.has(a);
}
/** the customer's effort or the company's action, repeated: "sent the documents four times", "taken the payment three times" */
const EFFORT = new Set([
  'sent',
  'send',
  'called',
  'call',
  'rang',
  'phoned',
  'emailed',
  'email',
  'chased',
  'contacted',
  'written',
  'wrote',
  'messaged',
  'explained',
  'uploaded',
  'submitted',
  'filled',
  'reported',
  'complained',
  'taken',
  'took',
  'charged',
  'debited',
  'billed',
  'reset',
  'restarted',
  'reinstalled',
  'returned',
  'rebooked',
  'cancelled',
]);
const CHARGED = new Set(['charged', 'debited', 'billed', 'taken', 'took']);
const SMALL_COUNTS = new Set(['2', 'two', 'twice']);

function isNumber(t: string): boolean {
  const c = t.charCodeAt(0);
  return c >= 48 && c <= 57;
}

/** Index of a time-passed or attempt-count cue in toks[from, to), or −1. */
function elapsedAt(toks: readonly string[], from: number, to: number): number {
  for (let k = from; k < to; k++) {
    const t = toks[k]!;
    const next = k + 1 < to ? toks[k + 1]! : '';
    // "the lady fixed them in 2 minutes", "sorted it within an hour": how fast something was done, not a wait
    if (UNITS.has(next) && QUICK_UNITS.has(next) && doneQuickly(toks, k, from)) {
      k++;
      continue;
    }
    if (UNITS.has(next) && (isNumber(t) || QUANTITY.has(t)) && !(k >= from + 3 && toks[k - 1] === 'in' && toks[k - 2] === 'time' && toks[k - 3] === 'first')) {
      // "a day", "one hour" are short; counted amounts and long units are waiting
      if (isNumber(t) || LONG_UNITS.has(next) || (t !== 'a' && t !== 'an' && t !== 'one')) return k;
      if (k > from && (toks[k - 1] === 'over' || toks[k - 1] === 'than' || toks[k - 1] === 'nearly' || toks[k - 1] === 'almost')) return k;
    }
    if (isNumber(t) && /^\d+(?:h|hrs?|d|wks?|mins?)$/.test(t)) return k; // "3h", "40mins"
    if (t === 'since' && next !== '' && !BREAKS.has(next) && next !== ',') return k;
    if (t === 'ago' || t === 'ages' || t === 'forever') return k;
    // "first time in months i didn't wake up with my back killing me": the change for the better, not a wait
    if (t === 'in' && k >= from + 2 && toks[k - 1] === 'time' && toks[k - 2] === 'first') {
      k++;
      continue;
    }
    if ((t === 'for' || t === 'in') && (next === 'weeks' || next === 'months' || next === 'days' || next === 'hours')) return k;
    if (WHOLE.has(t) && SPANS.has(next)) return k;
    if (t === 'last' && (next === 'week' || next === 'month' || WEEKDAYS.has(next))) return k;
    if (t === 'day' && isNumber(next)) return k;
    if (ORDINAL.has(t) && ATTEMPTS.has(next)) return k;
    if (t === 'times' && k > from && (isNumber(toks[k - 1]!) || COUNTS.has(toks[k - 1]!))) return k - 1;
    if (t === 'twice') return k;
    // "every single week", "every day for a week"
    if (t === 'every' && (SPANS.has(next) || next === 'single' || next === 'time')) return k;
    // "passed between 4 departments", "five emails"
    if ((isNumber(t) || COUNTS.has(t)) && CONTACT_NOUNS.has(next) && t !== '1' && t !== '0') return k;
  }
  return -1;
}

const QUICK_UNITS = new Set(['min', 'mins', 'minutes', 'minute', 'hour', 'hours', 'hr', 'hrs']);
const DONE = new Set([
  'fixed',
  'sorted',
  'adjusted',
  'repaired',
  'solved',
  'resolved',
  'replaced',
  'done',
  'did',
  'finished',
  'swapped',
  'tightened',
  'refunded',
  'answered',
  'replied',
]);
const NOT_DONE = new Set(['not', 'nt', 'never', 'nothing', 'no', 'be', 'would', 'will', 'should', 'supposed', 'meant', 'promised', 'get', 'getting']);
/** the span at k ("2 minutes") after "in"/"within" that follows something done ("fixed them in 2 minutes"): speed */
function doneQuickly(toks: readonly string[], k: number, from: number): boolean {
  const p = toks[k - 1];
  if (p !== 'in' && p !== 'within' && p !== 'under') return false;
  for (let j = k - 2; j >= from && j >= k - 5; j--) {
    const t = toks[j]!;
    if (DONE.has(t)) return true;
    // "nothing fixed in 3 hours", "said it'd be fixed in 2 hours": none done, or only promised
    if (t === ',' || NOT_DONE.has(t)) return false;
  }
  return false;
}

/** what a customer counts when chasing: "4 departments", "five emails", "3 engineers" */
const CONTACT_NOUNS = new Set([
  'departments',
  'agents',
  'people',
  'emails',
  'calls',
  'phone',
  'chats',
  'messages',
  'engineers',
  'visits',
  'technicians',
  'attempts',
  'replacements',
  'complaints',
  'letters',
  'tickets',
  'deliveries',
  'missed',
  'different',
]);

/** "we've had no hot water", "I've got nothing": what the customer is without, never their own doing */
const DEPRIVED = new Set(['no', 'nothing', 'nobody', 'noone', 'without']);
const STILL_ASKED = new Set(['can', 'could', 'will', 'would', 'is', 'are', 'do', 'does', 'should', 'may']);
/** the customer unable to do something is an obstacle, not their own doing: "I can't log in" */
const UNABLE = new Set(['cant', 'cannot', 'couldnt']);

/** Whether the negation at toks[k] (not "still") says something did not happen to the customer. */
function negationUnmet(toks: readonly string[], k: number, from: number, to: number): boolean {
  const a = k + 1 < to ? toks[k + 1]! : '';
  const b = k + 2 < to ? toks[k + 2]! : '';
  if (OWN_SIDE.has(a) || OWN_SIDE.has(b)) return false;
  // "not a single problem", "not one scratch"
  if ((a === 'a' || a === 'one' || a === 'any') && b === 'single' && OWN_SIDE.has(k + 3 < to ? toks[k + 3]! : '')) return false;
  // "please don't deliver before the 20th": an instruction, not a failure
  if (k > from && toks[k - 1] === 'please') return false;
  // "i no it sold out last month": "know" typed or dictated as "no" ("I no receive it" still negates)
  if (toks[k] === 'no' && k > from && (toks[k - 1] === 'i' || toks[k - 1] === 'we') && KNOWN_CLAUSE.has(a)) return false;
  // "I haven't replied", "I'm not using it": the customer's own doing — unless nothing came to them
  if (!UNABLE.has(toks[k]!) && !DEPRIVED.has(toks[k]!) && ownSubject(toks, k, from) && !RECEIVED.has(a) && !RECEIVED.has(b)) return false;
  // "never had a problem", "no longer needed"
  if (toks[k] === 'never' && (a === 'had' || a === 'been')) return false;
  // "someone tried to nick my bike last week, didn't work": a thief's attempt that failed, good news
  if (a === 'work' && (toks[k] === 'didnt' || toks[k] === 'did' || toks[k] === 'never') && foiledAttempt(toks, k, from)) return false;
  // "can't wait", "cannot wait to see them": eagerness (not "can't wait any longer", "can't wait another week")
  if ((toks[k] === 'cant' || toks[k] === 'cannot') && a === 'wait' && !WAIT_LIMIT.has(b)) return false;
  // "she hasn't got out of it since Tuesday", "he hasn't taken them off", "they haven't stopped playing with it": someone on the customer's side enjoying the product
  if (k > from && HABIT_SUBJECTS.has(toks[k - 1]!) && keepsUsing(a, b, k + 3 < to ? toks[k + 3]! : '')) return false;
  // "she's not moved in 3 hours", "the dog hasn't budged since": a person or pet staying put on the product, not a parcel
  if (k > from && (ANIMATE.has(toks[k - 1]!) || (toks[k - 1] === 'has' && ANIMATE.has(toks[k - 2] ?? ''))) && STAYS.has(a) && !IT_WORDS.has(b)) return false;
  // "my mam doesn't do the internet", "I don't do social media": a habit of the customer's side ("you don't do refunds" is the shop's)
  if (
    a === 'do' &&
    HABIT_NEGATION.has(toks[k]!) &&
    k > from &&
    HABIT_SUBJECTS.has(toks[k - 1] === 'does' || toks[k - 1] === 'do' ? (toks[k - 2] ?? '') : toks[k - 1]!)
  )
    return false;
  return true;
}
/** what a thief tries: "tried to nick", "tried to steal", "tried to break in", "tried to cut the lock" */
const HARM_TRIED = new Set([
  'nick',
  'steal',
  'pinch',
  'snatch',
  'nab',
  'break',
  'cut',
  'force',
  'pick',
  'rob',
  'jemmy',
  'prise',
  'pry',
  'hack',
  'scam',
  'take',
]);
const SOMEONE_ELSE = new Set([
  'someone',
  'somebody',
  'thief',
  'thieves',
  'guy',
  'guys',
  'bloke',
  'kids',
  'lads',
  'scammer',
  'scammers',
  'burglar',
  'burglars',
  'people',
]);
/** "someone tried to nick my bike at the station last week, didn't work": the negation at k tells a harm someone else tried failed */
function foiledAttempt(toks: readonly string[], k: number, from: number): boolean {
  for (let j = k - 1; j >= 1 && j >= from && j >= k - 14; j--) {
    if (toks[j] === 'tried' || toks[j] === 'attempted') return SOMEONE_ELSE.has(toks[j - 1]!) && toks[j + 1] === 'to' && HARM_TRIED.has(toks[j + 2] ?? '');
    if (toks[j] === '.' || toks[j] === '!' || toks[j] === '?') return false;
  }
  return false;
}
/** what makes "can't wait" a limit reached rather than eagerness: "any longer", "another week", "forever" */
const WAIT_LIMIT = new Set(['any', 'much', 'longer', 'forever', 'another', 'more', 'till', 'until', 'for', 'around', 'all', 'weeks', 'days', 'months']);
/** after "i no": the start of what is known ("i no it …", "i no u …", "i no that …") */
const KNOWN_CLAUSE = new Set([
  'it',
  'its',
  'that',
  'this',
  'the',
  'u',
  'you',
  'ur',
  'your',
  'they',
  'theyre',
  'their',
  'there',
  'he',
  'she',
  'what',
  'how',
  'why',
  'when',
  'where',
  'if',
  'whether',
]);
const IT_WORDS = new Set(['it', 'them', 'that', 'this']);
/** someone (or a pet) who can stay put: "she", "the cat", "my son" */
const ANIMATE = new Set([
  'she',
  'he',
  'cat',
  'dog',
  'puppy',
  'kitten',
  'pup',
  'baby',
  'toddler',
  'son',
  'daughter',
  'husband',
  'wife',
  'partner',
  'dad',
  'mum',
  'mam',
  'mom',
  'nan',
  'gran',
  'grandma',
  'grandad',
]);
/** staying put, said without an object: "not moved", "hasn't budged", "not stirred" */
const STAYS = new Set(['moved', 'budged', 'stirred', 'shifted', 'woken', 'moving', 'budging']);
/** after "hasn't": got out of it, taken it off, put it down, stopped (using|wearing|playing …) */
function keepsUsing(a: string, b: string, c: string): boolean {
  if ((a === 'got' || a === 'gotten' || a === 'been') && b === 'out') return true;
  if ((a === 'taken' || a === 'took' || a === 'take') && IT_WORDS.has(b) && c === 'off') return true;
  if ((a === 'put' || a === 'let') && IT_WORDS.has(b) && (c === 'down' || c === 'go')) return true;
  return a === 'stopped' && b.length > 4 && b.endsWith('ing') && b !== 'working' && b !== 'charging';
}
const HABIT_NEGATION = new Set(['doesnt', 'dont', 'not']);
const HABIT_SUBJECTS = new Set([
  'i',
  'we',
  'she',
  'he',
  'mum',
  'mam',
  'mom',
  'dad',
  'nan',
  'gran',
  'grandma',
  'grandad',
  'husband',
  'wife',
  'partner',
  'son',
  'daughter',
]);

/** Index of something not happening or an ongoing wait in toks[from, to), or −1. */
function unmetAt(toks: readonly string[], from: number, to: number): number {
  for (let k = from; k < to; k++) {
    const t = toks[k]!;
    // "you keep moving the date", "they keep cancelling": the company's failing action, repeated
    if (
      (t === 'keep' || t === 'keeps') &&
      k > from &&
      (toks[k - 1] === 'you' || toks[k - 1] === 'they' || toks[k - 1] === 'it') &&
      (toks[k + 1] ?? '').endsWith('ing')
    )
      return k;
    if (WAITING.has(t)) {
      if (t === 'left' && toks[k + 1] !== 'without' && toks[k + 1] !== 'with') continue;
      if (t === 'hold' && toks[k - 1] !== 'on') continue;
      if (t === 'trying' && toks[k - 1] !== 'been') continue;
      if (t === 'wait' && toks[k - 1] !== 'to') continue;
      // "thanks for chasing the courier", "appreciate you chasing it": the company chased, for the customer
      if (
        (t === 'chasing' || t === 'chased' || t === 'chase') &&
        k > from &&
        (CHASED_FOR_US.has(toks[k - 1]!) || (toks[k - 1] === 'have' && toks[k - 2] === 'you'))
      )
        continue;
      return k;
    }
    if (!NEGATIVE.has(t)) continue;
    if (t === 'still') {
      const a = k + 1 < to ? toks[k + 1]! : '';
      // "still in boxes", "still in transit": not the "still in stock" that is fine
      if (STILL_FINE.has(a) && !(a === 'in' && STILL_STUCK_IN.has(k + 2 < to ? toks[k + 2]! : ''))) continue;
      // "still looks great", "still holding up well" (not "still looks damaged")
      if (LOOKS.has(a) && FINE_STATE.has(k + 2 < to ? toks[k + 2]! : '')) continue;
      // "can I still return it", "is it still available": asking, not waiting
      if (k >= from + 2 && STILL_ASKED.has(toks[k - 2]!) && (toks[k - 1] === 'i' || toks[k - 1] === 'it' || toks[k - 1] === 'we' || toks[k - 1] === 'you'))
        continue;
      // "still not sure": the negation after it decides
      if (NEGATIVE.has(a) && !negationUnmet(toks, k + 1, from, to)) continue;
      return k;
    }
    if (!negationUnmet(toks, k, from, to)) continue;
    return k;
  }
  return -1;
}

/** what the customer did not get: "I haven't received", "we still haven't heard" */
const RECEIVED = new Set(['received', 'receive', 'recieved', 'got', 'get', 'gotten', 'had', 'have', 'heard', 'been', 'seen', 'see']);
const SUBJECTS = new Set(['i', 'we', 'im', 'ive', 'weve', 'were']);

/** The negation at k has the customer as its subject ("I haven't", "I'm not", "we still don't"). */
function ownSubject(toks: readonly string[], k: number, from: number): boolean {
  for (let m = k - 1; m >= from && m >= k - 3; m--) {
    const w = toks[m]!;
    if (SUBJECTS.has(w)) return true;
    if (w !== 'am' && w !== 'have' && w !== 'still' && w !== 'just' && w !== 'really' && w !== 'do' && w !== 'are' && w !== 'had') return false;
  }
  return false;
}

function phrase(toks: readonly string[], a: number, b: number): string {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  return toks.slice(lo, Math.min(hi + 2, lo + 10)).join(' ');
}

/**
 * The first sentence of a statement with time passed and something not happening, or a promise
 * followed by a short sentence saying it was not kept; the words found (a span of `toks`), or null.
 * `earlier`: the tokens of the customer's message before, where a date of the month makes a short
 * "It's the 23rd." here a date passed.
 */
const WORKED = new Set(['was', 'were', 'worked', 'working', 'ran', 'been', 'works']);
const NEGATIONS_BEFORE = new Set(['not', 'never', 'barely', 'hardly', 'no', 'longer']);
const FINE_THEN = new Set(['fine', 'working', 'ok', 'okay', 'perfect', 'perfectly', 'great', 'flawlessly', 'normally']);

/** the sentence says it worked then: "was fine last week", "worked perfectly until yesterday", "had been working fine for months" */
function workedThen(toks: readonly string[], from: number, to: number): boolean {
  for (let k = from; k + 1 < to; k++) {
    if (!WORKED.has(toks[k]!)) continue;
    // "delivered last week, works fine": working now (not "doesn't work fine")
    if (toks[k] === 'works' && k > from && NEGATIONS_BEFORE.has(toks[k - 1]!)) continue;
    const a = toks[k + 1]!;
    if (FINE_THEN.has(a) || (a === 'working' && FINE_THEN.has(toks[k + 2] ?? ''))) return true;
    // "was absolutely fine", "was all fine"
    if ((a === 'absolutely' || a === 'all' || a === 'totally' || a === 'completely') && FINE_THEN.has(toks[k + 2] ?? '')) return true;
  }
  return false;
}

export function elapsedFact(toks: readonly string[], earlier?: readonly string[]): string | null {
  const n = toks.length;
  /** a date of the month in the customer's message before ("I paid for next-day on the 2nd"), for a short "It's the 23rd." here */
  const datedEarlier = earlier !== undefined && datedBefore(earlier, 0, earlier.length);
  let start = 0;
  let prevExpected = false;
  /** the sentence before tells a delivery speed paid for ("I paid for express shipping") */
  let prevPaidSpeed = false;
  /** a promise two sentences back, with a short sentence between ("… meant to come before Friday. She came home Friday. It didn't.") */
  let earlierExpected = false;
  /** the previous statement sentence's cues (−1: none), for a pair told across two sentences */
  let prevE = -1;
  let prevU = -1;
  let dated = false;
  for (let end = 0; end <= n; end++) {
    if (end < n && !BREAKS.has(toks[end]!)) continue;
    const question = end < n && toks[end] === '?';
    if (end > start && !question) {
      // "won't sync my library. Was fine last week.": the time it last worked, not a wait
      const e = workedThen(toks, start, end) ? -1 : elapsedAt(toks, start, end);
      const u = unmetAt(toks, start, end);
      if (e >= 0 && u >= 0) return phrase(toks, e, u);
      // "The tracking number doesn't exist. I've checked every day for a week."
      if (e >= 0 && prevU >= 0) return phrase(toks, e, Math.min(end - 1, e + 4));
      if (u >= 0 && prevE >= 0) return phrase(toks, u, Math.min(end - 1, u + 4));
      // "still hasn't come", "still no reply": an ongoing failure needs no date
      if (u >= 0 && toks[u] === 'still' && u + 1 < end && (NEGATIVE.has(toks[u + 1]!) || WAITING.has(toks[u + 1]!)) && unmetAt(toks, u + 1, end) === u + 1)
        return toks.slice(u, Math.min(end, u + 5)).join(' ');
      // "chasing this", "wasted my whole day", "left stranded": the words say it
      if (u >= 0 && STRONG_WAITING.has(toks[u]!)) return phrase(toks, u, Math.min(end - 1, u + 3));
      // "cancelled on the day, again", "third chat window today"
      let again = -1;
      let failed = -1;
      for (let k = start; k < end; k++) {
        const w = toks[k]!;
        if (AGAIN.has(w)) again = k;
        else if (FAILED.has(w) && !(k > start && SUBJECTS.has(toks[k - 1]!))) failed = k;
        else if (ORDINAL.has(w) && !SECOND.has(w) && CONTACT_ATTEMPTS.has(toks[k + 1] ?? '') && !purchaseCount(toks, k)) return phrase(toks, k, k + 1);
      }
      if (again >= 0 && failed >= 0) return phrase(toks, failed, again);
      if (e >= 0 && (toks[e + 1] === 'times' || toks[e] === 'twice')) {
        const small = SMALL_COUNTS.has(toks[e]!);
        for (let k = start; k < end; k++) {
          const w = toks[k]!;
          if (EFFORT.has(w) && (!small || CHARGED.has(w))) return phrase(toks, k, e + 1);
        }
      }
      // "I've sent five since Monday", "emailed 3 times": contact repeated, counted
      for (let k = start; k + 1 < end; k++) {
        if (!CONTACTED.has(toks[k]!)) continue;
        const c = toks[k + 1]!;
        if ((COUNTS.has(c) || (isNumber(c) && Number(c) >= 3 && Number(c) < 100)) && COUNT_FOLLOWERS.has(toks[k + 2] ?? '.')) return phrase(toks, k, k + 1);
      }
      // "Asked for the €14.99 back on Dec 21, Dec 28 and Jan 10": contact made on three dates or more
      const listed = contactOnDates(toks, start, end);
      if (listed >= 0) return phrase(toks, listed, Math.min(end - 1, listed + 4));
      // "I placed it on the 3rd and it's the 25th", "… due on the 10th. Today is the 19th."
      const today = todayDate(toks, start, end);
      if (today >= 0 && (dated || datedBefore(toks, start, today) || (datedEarlier && end - start <= 6)))
        return toks.slice(Math.max(start, today - 8), Math.min(end, today + 4)).join(' ');
      // "i ordered at 9am on monday" … "its sunday.": a short "it's <day>" after another weekday said before (this message or the one before)
      const todayW = todayWeekday(toks, start, end);
      if (
        todayW >= 0 &&
        end - start <= 6 &&
        (weekdayBefore(toks, 0, start, toks[todayW]!) || (earlier !== undefined && weekdayBefore(earlier, 0, earlier.length, toks[todayW]!)))
      )
        return toks.slice(start, end).join(' ');
      // "… promised a call back on Monday. It's Thursday." / "… supposed to arrive last week. It didn't."
      // "… was meant to connect the oven that day. We've been eating cold food for a fortnight."
      if (prevExpected && e >= 0 && LONG_UNITS.has(toks[e + 1] ?? '')) return toks.slice(start, end).join(' ');
      if (earlierExpected && end - start <= 6 && u >= 0 && toks[u] !== 'still') return toks.slice(start, end).join(' ');
      // "… would be fitted by October. Half the units are still in boxes in our hallway."
      if (prevExpected && end - start <= 12 && u >= 0 && toks[u] === 'still') return toks.slice(start, end).join(' ');
      if (prevExpected && end - start <= 8) {
        if (u >= 0) return toks.slice(start, end).join(' ');
        if (e >= 0) return toks.slice(start, end).join(' ');
        for (let k = start; k < end; k++)
          if (
            (WEEKDAYS.has(toks[k]!) || CLOCK.test(toks[k]!)) &&
            !ACCEPTED.has(toks[k + 1] === 'is' || toks[k + 1] === 'would' ? (toks[k + 2] ?? '') : (toks[k + 1] ?? ''))
          )
            return toks.slice(start, end).join(' ');
      }
      // "I paid for express shipping. 10 days now.": days gone by after a speed paid for, with no arrival told
      if (prevPaidSpeed && end - start <= 8 && e >= 0 && LONG_UNITS.has(toks[e + 1] ?? '') && !arrivalIn(toks, start, end))
        return toks.slice(start, end).join(' ');
      earlierExpected = prevExpected && end - start <= 8;
      prevExpected = false;
      prevPaidSpeed = false;
      for (let k = start; k + 1 < end && !prevPaidSpeed; k++) prevPaidSpeed = paidForSpeed(toks, k);
      for (let k = start; k < end; k++) {
        // "so it would arrive before my flight": what was paid or planned for
        if (EXPECTED.has(toks[k]!) || (toks[k] === 'would' && k >= 2 && toks[k - 2] === 'so' && (toks[k - 1] === 'it' || toks[k - 1] === 'they'))) {
          prevExpected = true;
          break;
        }
      }
      if (datedBefore(toks, start, end)) dated = true;
      prevE = e;
      prevU = u;
    } else {
      prevExpected = false;
      prevPaidSpeed = false;
      earlierExpected = false;
      prevE = -1;
      prevU = -1;
    }
    start = end + 1;
  }
  return null;
}

/** after a day or a time offered: "Thursday's fine", "10am works", "friday would suit" — the slot accepted, no day gone by */
const ACCEPTED = new Set(['fine', 'works', 'work', 'suits', 'suit', 'ok', 'okay', 'good', 'great', 'perfect', 'lovely', 'brilliant', 'grand']);
const STRONG_WAITING = new Set(['chasing', 'chased', 'wasted', 'stranded', 'ignored', 'ignoring', 'unanswered', 'ruined', 'destroyed', 'soaked']);
/** what went wrong, when it went wrong again: "the engineer cancelled on the day, again" */
const FAILED = new Set([
  'cancelled',
  'canceled',
  'missed',
  'failed',
  'broke',
  'broken',
  'lost',
  'delayed',
  'late',
  'wrong',
  'rescheduled',
  'postponed',
  'faulty',
  'damaged',
  'crashed',
  'declined',
]);
const AGAIN = new Set(['again', 'twice', 'another']);
/** attempts that count alone from the third on: "third chat window today", "my 4th email" */
const CONTACT_ATTEMPTS = new Set([
  'time',
  'chat',
  'call',
  'email',
  'attempt',
  'replacement',
  'engineer',
  'visit',
  'complaint',
  'reminder',
  'request',
  'letter',
  'ticket',
]);
const SECOND = new Set(['second', '2nd']);
const CLOCK = /^\d{1,2}(?::\d\d)?(?:am|pm)$/;
const CONTACTED = new Set(['sent', 'emailed', 'called', 'rang', 'phoned', 'chased', 'messaged', 'written', 'wrote', 'contacted', 'complained']);
const COUNT_FOLLOWERS = new Set([
  'emails',
  'messages',
  'letters',
  'complaints',
  'requests',
  'reminders',
  'chasers',
  'since',
  'already',
  'now',
  'and',
  ',',
  '.',
  '!',
  'times',
  'so',
  'in',
  'this',
  'over',
  'about',
]);
const DATE = /^\d{1,2}(?:st|nd|rd|th)$/;

/** "it's the 25th", "today is the 19th", "now the 28th": the index of the date, or −1. */
function isDate(t: string): boolean {
  const c = t.charCodeAt(0);
  return c >= 48 && c <= 57 && t.length <= 4 && DATE.test(t);
}

const MONTHS = new Set(MONTH_WORDS);

/** toks[k] is a date: "19th", or a day number beside a month ("9 august", "jan 8") */
function isDateAt(toks: readonly string[], k: number): boolean {
  const t = toks[k]!;
  if (isDate(t)) return true;
  if (t.length > 2 || !isNumber(t) || Number(t) < 1 || Number(t) > 31) return false;
  return MONTHS.has(toks[k + 1] ?? '') || (k > 0 && MONTHS.has(toks[k - 1]!));
}

function todayDate(toks: readonly string[], from: number, to: number): number {
  for (let k = from + 1; k < to; k++) {
    if (!isDateAt(toks, k)) continue;
    let m = k - 1;
    // "it's jan 8"
    if (MONTHS.has(toks[m]!)) m--;
    if (toks[m] === 'the') m--;
    if (toks[m] === 'is') m--;
    const w = toks[m];
    if (w === 'it' || w === 'its' || w === 'today' || w === 'now') return k;
  }
  return -1;
}

/** The weekday of a sentence saying what day it is now ("it's sunday", "today is friday"), or −1. */
function todayWeekday(toks: readonly string[], from: number, to: number): number {
  for (let k = from + 1; k < to; k++) {
    if (!WEEKDAYS.has(toks[k]!)) continue;
    let m = k - 1;
    if (toks[m] === 'is') m--;
    const w = toks[m];
    if ((w === 'it' || w === 'its' || w === 'today' || w === 'now') && m === from) return k;
  }
  return -1;
}

const ON_DAY = new Set(['on', 'by', 'before', 'until']);
/** what was done or due on that day, told in the past: "i ordered at 9am on monday", "it was due by friday" */
const PAST_ON_DAY = new Set([
  'ordered',
  'paid',
  'placed',
  'bought',
  'sent',
  'emailed',
  'phoned',
  'called',
  'rang',
  'booked',
  'was',
  'were',
  'promised',
  'told',
  'said',
  'due',
]);

/**
 * Another weekday than `today` said as a day gone by in toks[from, to): "since tuesday", "last friday", or
 * "on monday" in a sentence telling it in the past ("i ordered at 9am on monday"; not "the gala is on friday").
 */
function weekdayBefore(toks: readonly string[], from: number, to: number, today: string): boolean {
  for (let k = from + 1; k < to; k++) {
    if (!WEEKDAYS.has(toks[k]!) || toks[k] === today) continue;
    const w = toks[k - 1]!;
    if (w === 'since' || w === 'last') return true;
    if (!ON_DAY.has(w)) continue;
    for (let m = k - 2; m >= from && !BREAKS.has(toks[m]!); m--) if (PAST_ON_DAY.has(toks[m]!)) return true;
  }
  return false;
}

/** A date of the month earlier in toks[from, to) ("on the 3rd", "due on the 10th"). */
function datedBefore(toks: readonly string[], from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (isDateAt(toks, k) && !dateAhead(toks, from, k)) return true;
  return false;
}

/** asking or being told, the customer's contact: "asked … on Dec 21, Dec 28 and Jan 10", "told approved on 6 Nov, 14 Nov and 29 Nov" */
const DATED_CONTACT = new Set([
  'asked',
  'emailed',
  'called',
  'rang',
  'phoned',
  'chased',
  'messaged',
  'wrote',
  'contacted',
  'requested',
  'complained',
  'told',
  'reminded',
]);

/**
 * Three dates or more in toks[from, to) after a contact word a few words before the first ("Asked for the
 * €14.99 back on Dec 21, Dec 28 and Jan 10"; the amount's point, split by the tokenizer, is crossed):
 * the index of the contact word, or −1.
 */
function contactOnDates(toks: readonly string[], from: number, to: number): number {
  let dates = 0;
  let first = -1;
  for (let k = from; k < to; k++) {
    if (isDateAt(toks, k) && !(k + 1 < to && isDateAt(toks, k + 1))) {
      dates++;
      if (first < 0) first = k;
    }
  }
  if (dates < 3) return -1;
  for (let m = first - 1; m >= 0 && m >= first - 16; m--) {
    const t = toks[m]!;
    if (DATED_CONTACT.has(t)) return m;
    // "€14.99" is split at its point: cross it, not a sentence break
    if (BREAKS.has(t) && !(t === '.' && isNumber(toks[m - 1] ?? '') && isNumber(toks[m + 1] ?? ''))) return -1;
  }
  return -1;
}

/** an occasion or a slot ahead: "my birthday is on the 24th", "the party is on 24 august", "it will be the 3rd" */
const AHEAD = new Set(['is', 'are', 'will', 'be', 'ill', 'shall', 'until', 'till', 'before']);

/** the date at toks[k] is told as ahead, by a present or future verb earlier in its sentence (not "was due on the 10th") */
function dateAhead(toks: readonly string[], from: number, k: number): boolean {
  for (let m = k - 1; m >= from && !BREAKS.has(toks[m]!); m--) if (AHEAD.has(toks[m]!)) return true;
  return false;
}

const RHETORICAL_OPENERS = new Set(['why', 'how']);

/**
 * A complaint asked as a question: "why has it taken 3 weeks for my refund?", "how is it possible
 * that it's been in transit for 16 days?", "why do I have to ask every single week?", "is anyone
 * going to reply? I've sent five" — a "why" / "how come" / "how is it possible" / "is anyone going
 * to" question with time passed or something not happening in it. Informational questions ("how
 * long does delivery take?") have neither.
 */
export function rhetoricalFact(toks: readonly string[]): string | null {
  const n = toks.length;
  let start = 0;
  for (let end = 0; end <= n; end++) {
    if (end < n && !BREAKS.has(toks[end]!)) continue;
    if (end < n && toks[end] === '?' && end > start) {
      const a = toks[start]!;
      const b = toks[start + 1] ?? '';
      const rhetorical =
        (RHETORICAL_OPENERS.has(a) && (a === 'why' || b === 'come' || (b === 'is' && toks[start + 2] === 'it') || (b === 'can' && toks[start + 2] === 'it'))) ||
        ((a === 'is' || a === 'will' || a === 'does') && (b === 'anyone' || b === 'anybody' || b === 'nobody' || b === 'someone'));
      if (rhetorical) {
        const e = elapsedAt(toks, start, end);
        const u = unmetAt(toks, start, end);
        if (e >= 0 || (u >= 0 && a === 'why')) return toks.slice(start, end).join(' ');
        if (b === 'anyone' || b === 'anybody') {
          // "is anyone going to reply?" and the count or date follows
          const rest = elapsedFact(toks.slice(end + 1));
          if (rest !== null || elapsedAt(toks, end + 1, n) >= 0) return toks.slice(start, end).join(' ');
        }
      }
    }
    start = end + 1;
  }
  return null;
}

/**
 * The sentence around toks[i] denies something, but every denial is the customer's own side ("it's
 * been 2 weeks and I haven't opened the box", "5 years and never had a problem", "sorry I haven't
 * replied"): a fact found there is not a complaint.
 */
export function onlyOwnNegations(toks: readonly string[], i: number): boolean {
  let from = i;
  while (from > 0 && !BREAKS.has(toks[from - 1]!)) from--;
  let to = i;
  while (to < toks.length && !BREAKS.has(toks[to]!)) to++;
  let negated = false;
  for (let k = from; k < to && !negated; k++) negated = NEGATIVE.has(toks[k]!) && toks[k] !== 'still';
  return negated && unmetAt(toks, from, to) < 0;
}

/** Words without which elapsedFact finds nothing (numbers are checked apart): a cheap per-message gate. */
export const ELAPSED_ANCHORS: readonly string[] = [
  ...UNITS,
  ...LONG_UNITS,
  ...COUNTS,
  ...WHOLE,
  ...ORDINAL,
  ...EXPECTED,
  'since',
  'ago',
  'last',
  'times',
  'twice',
  'still',
  'weeks',
  'months',
  'every',
  'why',
  'come',
  'possible',
  'again',
  'another',
  'twice',
  'anyone',
  'anybody',
  ...STRONG_WAITING,
];

const PURCHASE = new Set([
  'ordered',
  'bought',
  'shopped',
  'purchased',
  'used',
  'visited',
  'stayed',
  'booked',
  'ordering',
  'buying',
  'shopping',
  'using',
  // an outing chosen again: "my third time visiting", "5th time attending", "second time flying with you"
  'visiting',
  'attending',
  'staying',
  'booking',
  'flying',
  'travelling',
  'traveling',
  'wearing',
]);
/** seeing a show or a band again ("my third time seeing them"), not a fault seen again ("third time seeing this error") */
const SEEN_AGAIN = new Set(['seeing', 'watching', 'seen', 'watched']);
const PERFORMERS = new Set(['them', 'him', 'her', 'live', 'this band', 'the band', 'the show', 'it live']);

/** "the third time I've ordered from you", "my third time seeing them": a loyal customer's count, not repeated contact. */
export function purchaseCount(toks: readonly string[], i: number): boolean {
  if (!ORDINAL.has(toks[i]!) || toks[i + 1] !== 'time') return false;
  for (let k = i + 2; k < toks.length && k <= i + 6; k++) {
    const t = toks[k]!;
    if (PURCHASE.has(t)) return true;
    if (SEEN_AGAIN.has(t)) return PERFORMERS.has(toks[k + 1] ?? '') || PERFORMERS.has(`${toks[k + 1]} ${toks[k + 2]}`);
    if (BREAKS.has(t) || t === ',') return false;
  }
  return false;
}
