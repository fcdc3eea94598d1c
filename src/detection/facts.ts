/**
 * Frustration stated as facts: what happened to the customer, said without any sentiment word —
 * "on hold for 2 hours", "three weeks and still nothing", "three emails unanswered", "no one got
 * back to me", "charged twice", "stuck at the airport", "arrived broken", "they refused my refund".
 *
 * Patterns are written from domain knowledge of e-commerce, travel and support complaints; they match
 * on the tokenizer's output (lower case, apostrophes removed: "haven't" → "havent", "it's" → "it"),
 * so they never run across punctuation. Slots:
 *   word, a|b      one token, any of the alternatives
 *   x?             an optional token
 *   #n             a quantity: 1–4 tokens such as "3", "three", "a few", "over an", "more than 2"
 *   #unit          a unit of time ("minutes", "hours", "weeks", "ages" …)
 *   ~              a gap of 0–4 words (no punctuation)
 *
 * `findComplaintFacts(text)` lists the facts of a text; the sentiment scorer uses `factAt` on the
 * tokens it already has (no allocation, one table probe per candidate word).
 */
import { isWordToken, tokenize } from './tokenize.ts';
import { hashWord, WordTable } from './wordtable.ts';
import { LOOKS, LOOKS_FINE, onlyOwnNegations, purchaseCount } from './signals/elapsed.ts';

import type { ComplaintFact, ComplaintKind } from './types.ts';

export type { ComplaintFact, ComplaintKind };

export const COMPLAINT_KINDS: readonly ComplaintKind[] = ['waiting', 'no_reply', 'not_received', 'repeat_contact', 'charged', 'stranded', 'broken', 'refused'];

const CONTACT =
  'called|contacted|emailed|asked|messaged|written|wrote|phoned|chatted|rang|explained|told|complained|requested|calling|contacting|emailing|asking|messaging|writing|phoning|chatting|explaining|chasing|chased';
/** contacting proper: "asking again for my sister" is not a repeat complaint */
const CONTACT_AGAIN = 'called|contacted|emailed|messaged|phoned|rang|chased|calling|contacting|emailing|messaging|phoning|chasing|written|wrote|complained';
const ITEM =
  'order|orders|package|packages|parcel|parcels|delivery|shipment|item|items|refund|money|replacement|purchase|luggage|baggage|bag|bags|suitcase|stuff';
const DAMAGE =
  'empty|broken|damaged|cracked|smashed|shattered|dented|torn|ripped|defective|faulty|dead|leaking|scratched|crushed|bent|opened|wet|incomplete|used|wrong|missing|unusable|dent|dents|tear|hole|holes|crack|cracks|rip|scratches|stain|stains|stained|chip|chips|chipped|mould|mold|mouldy|moldy|rotten|expired|snapped|thawed|defrosted|melted';
/** what a customer waits for ("five weeks for a refund") */
const AWAITED = 'refund|reply|response|answer|delivery|parcel|package|replacement|callback|repair|decision|update|engineer|technician|order';
const REPLY = 'reply|replies|response|responses|answer|answers|callback|acknowledgement|acknowledgment|feedback|followup|word';
const REFUND = 'refund|refunds|return|returns|exchange|replacement|replace|claim|claims|compensation|compensate|reimburse|reimbursement|money|chargeback';
const TRAVEL = 'flight|flights|train|connection|connecting|bus|ferry|booking|reservation';

const PATTERNS: Record<ComplaintKind, readonly string[]> = {
  waiting: [
    'on hold ~ #unit',
    '#n #unit on hold',
    '#n #unit ~ waiting|wait|waited',
    'waited|waiting|waitng|queued|queuing ~ #unit',
    'waiting|waited|wait on hold',
    'on hold again',
    '#n #unit without my|our|a|an|any|the|word|news|reply|response|answer|update|updates|contact|refund|power|heating|water|internet|wifi|service',
    'waiting|waited since',
    'been waiting|waitng',
    'still waiting|waitng',
    'keep|kept waiting',
    'been over|almost|nearly|about|more|than|like|at|least? #n #unit',
    'been #unit',
    '#n #unit and|later ~ still|nothing|no|nobody|noone|not|never',
    '#n #unit later',
    // "the next day delivery … has stretched to nine days"
    'stretched|dragged|turned|grown ~ into|to #n #unit',
    '#n #unit late|overdue|behind',
    'still nothing',
    // "I can't wait any longer for my refund", "we can't wait another week" (not "can't wait to get it")
    'cant|cannot|couldnt wait any longer|more',
    'cant|cannot|couldnt wait another|much #unit|week|day|month|longer',
    'still no update|updates|news|word|info|information|tracking|progress|idea|date|eta',
    'no update|updates|news|progress|eta',
    'how much longer',
    'how long ~ wait|waiting',
    'keep|keeps|kept ~ delaying|postponing|pushing',
    'delayed|postponed|rescheduled ~ again|twice|#n times',
    'delayed|postponed ~ #unit',
    'takes|taking|took forever|ages',
    'for ages|forever now?',
    'now taking|takes #n #unit',
    '#n #unit on the? phone|line|hold|chat|queue',
    'takes|took|taking longer than',
    'it|now day|week #n',
    'third|fourth|fifth|3rd|4th|5th|nth #unit in a row',
    '#n #unit to answer|reply|respond|arrive|deliver|ship|refund|process|fix|repair|get|give|send|return|pay',
    'still ~ processing|pending|transit|preparing|unshipped|stuck|outstanding',
    'that was #n #unit ago',
    '#n #unit ago and|but ~ still|nothing|no|not|never',
    // the shop has had it a long time: "you received it 30 days ago", "they've had my return for a month"
    'you|they received|got|had it|them #n #unit ago',
    'you|they received|got|had my|our|the return|returns|parcel|package|item|items|order|stuff|refund ~ #n #unit ago',
    'you|they have|ve had it|them for #n #unit',
    'you|they have|ve had my|our|the return|returns|parcel|package|item|items|order|stuff|money|laptop|phone ~ for #n #unit',
    'third|fourth|fifth|3rd|4th|5th|nth|umpteenth week|month|day',
    'hasnt|havent|not|didnt|isnt|wasnt ~ moved|updated|changed|progressed|budged',
    'arrived|arrives|arriving|came|delivered #n #unit after|late|too',
    `#n #unit for a|an|my|the|your|our? ${AWAITED}`,
  ],
  no_reply: [
    'no one|body ~ back|replied|replies|responded|responds|answered|answers|called|calls|contacted|helped|helps|bothered|cares|picks|picked|returned',
    'nobody|noone ~ back|replied|replies|responded|responds|answered|answers|called|calls|contacted|helped|helps|bothered|cares|picks|picked|returned',
    'never|havent|hasnt|didnt|not|no|still ~ heard|hear|got|gotten|get|received|receive ~ back|reply|response|answer|callback|word',
    'never|havent|hasnt|didnt|not|wont|nobody ~ replied|responded|answered|reply|respond|answer|acknowledged',
    'never|didnt|not ~ called|call|rang|ring|got|get back',
    `no ${REPLY}`,
    `without ~ ${REPLY}`,
    `#n emails|mails|messages|calls|tickets|chats|requests|letters ~ unanswered|ignored|later|and|no|still|without|nothing|but`,
    'unanswered',
    'ghosted|ghosting',
    'left on read',
    'radio silence',
    'ignored|ignoring me|us|my|our|all',
    'been|being|keep|keeps ignored|ignoring',
    'hung up on',
    'cant|cannot|couldnt|unable|impossible ~ reach|contact|through|hold',
    'no way to contact|reach',
    'nobody|noone|no one ~ answers|picks|answering|available',
    'closed|cut|disconnected|dropped on me',
  ],
  not_received: [
    'never|havent|hasnt|didnt|not|nt|yet ~ arrived|arrive|received|receive|came|come|delivered|deliver|showed|turned|got|gotten ~ it|my|our|the|package|parcel|order|refund|money|item|anything|up|yet',
    'never|havent|hasnt|didnt|not|isnt|wasnt|yet ~ arrived|arrive|received|receive|delivered|shown|showed',
    'never came',
    `${ITEM} ~ never|hasnt|havent|not|isnt|wasnt|didnt|yet|nt ~ arrived|arrive|come|came|received|showed|appeared|processed|delivered|here|through|shipped|turned|dispatched|sent|credited`,
    `${ITEM} ~ missing|lost|disappeared|vanished|gone`,
    `missing|lost|lose|losing|lose ~ ${ITEM}`,
    'no sign of',
    'marked as delivered',
    'yet to arrive|come|receive|get|see|be',
    `still no|not ${ITEM}|delivered|arrived|here|shipped|refunded|received`,
    'missing parts|pieces|screws|items|components|accessories|part|piece',
    // "not a single assembly instruction in any of them", "no instructions in the box" (not "no instructions needed")
    'not a single ~ instruction|instructions|manual|manuals|screw|screws|part|parts sheet|sheets|booklet|leaflet|card? in|inside|with|included',
    'no|without instructions|manual|manuals|screws|fixings sheet|sheets|booklet|leaflet|card? in|inside|with|included',
    'parts|pieces|screws|part|piece ~ missing',
    'empty box|package|parcel',
    'nobody|noone ~ came|showed|turned|delivered|collected',
    'no one came|showed|turned|delivered|collected',
    'sent|delivered|gone|went|given ~ to someone|somebody else',
    // the delivery photo shows another door: "a photo of someone else's front door", "left on a stranger's porch"
    'photo|picture|pic|image|photograph of|shows|showing|showed someone|somebody elses|else',
    'photo|picture|pic|image|photograph of|shows|showing|showed a|the? wrong|different|random|strangers|stranger door|doorstep|porch|house|building|address|flat|step',
    'left|dropped|put|delivered|leaving at|on|outside|by someone|somebody elses|else',
    'sent|delivered|gone|went|given ~ to the wrong address|house|person|door|flat|customer',
    'missed delivery|deliveries|appointment|slot|collection|pickup|pick',
    'says|said|shows|showing|marked|showed ~ delivered ~ but|never|not|nothing|when|no|yet',
    'cancelled|canceled|cancelling|canceling my|our ~ order|booking|flight|reservation|subscription|account',
    // part of an order: "only one parcel came", "only half of my order turned up"
    'only one|1|half|part|some|two|2 ~ came|arrived|turned|delivered|showed|received',
    'was|were never in stock',
    'no record|trace of ~ booking|reservation|order|payment|complaint|refund|return|call|account|ticket|claim|parcel|delivery',
    'only got|received|had one|1|half|part',
    'went|sent|delivered|gone|shipped|posted ~ old|previous|former address|flat|house|home|apartment|place|office',
    // delivered to the wrong place: "the tracking says it was delivered to an address in Galway"
    'was|were|been|says|said|shows|showing|marked delivered|sent|shipped|taken|dropped|left ~ another|other|different|random ~ town|city|county|country|village|address|house|street|state|island|postcode',
    'was|were|been|says|said|shows|showing|marked delivered|sent|shipped|taken|dropped|left to|at an address|house|property in',
    // "only got 2 of the 3", "just received 1 out of"
    'only|just got|received|came|arrived|delivered #n of|out',
    // delivered, but not here: "it isn't my flat", "a front door that isn't mine", "having a nice time wherever it is"
    'isnt|wasnt|not my|our flat|house|address|door|doorstep|porch|home|building|street|parcel|package|order',
    'that|which|but isnt|wasnt mine|ours',
    'wherever it|they is|are|went|ended|ends',
  ],
  repeat_contact: [
    'third|fourth|fifth|sixth|seventh|tenth|3rd|4th|5th|6th|nth|umpteenth|hundredth|millionth time',
    `${CONTACT} ~ #n times`,
    // "I've spoken to your support five times" (not "talking to my sister twice a week")
    'spoke|spoken|speaking|talked|talking to|with you|your|support|customer|the|someone|somebody|agents|staff ~ #n times',
    `${CONTACT_AGAIN} ~ again|repeatedly`,
    `#n calls|emails|mails|messages|chats|complaints|attempts`,
    // the customer's effort repeated and counted: "took all three to the post office. 3 separate trips."
    `#n separate trips|visits|journeys`,
    'keep|keeps|kept ~ asking|calling|emailing|contacting|chasing|explaining|writing|repeating|explain|call|email|contact|chase|repeat|ask|write',
    'how many times',
    'every time i|we call|contact|ask|email|chat|write|phone',
    'already asked|told|explained|contacted|called|emailed|complained|written|wrote',
    'repeat|repeating myself|ourselves',
    'explain|explained|explaining|repeat|repeated|start ~ everything|it|all ~ again|from the start|from scratch|over',
    'last #n times',
    'same answer|reply|response|message|script|thing|excuse|excuses ~ again|every|over|each|#n',
  ],
  charged: [
    'charged|billed|debited|invoiced|charging|billing ~ twice|double|again|extra|wrong|incorrectly|without',
    'charged|billed|debited|invoiced|charging|billing ~ #n times',
    'double|twice charged|billed|charge|charges|charging|billing|payment|debit',
    'overcharged|overcharging|overbilled|overbilling',
    'charged|billed|debited me|us? for ~ cancelled|canceled|returned|refunded|never|didnt|nothing|something|not',
    'still ~ charged|charging|billed|billing|paying',
    'take|took|taken|taking|stole|stolen|kept|keeping|deducted|debited ~ my|our ~ money|payment|cash',
    'unauthorized|unauthorised|fraudulent|unexpected|unknown|hidden|mystery|duplicate|extra|unrecognised|unrecognized ~ charge|charges|fee|fees|payment|payments|transaction|transactions|debit',
    'paid|payed ~ twice|double|extra|nothing',
    // "a second £57 charge", "two payments of £57 for one box"
    'second|2nd|duplicate ~ charge|charges|payment|payments|debit|transaction',
    'two|2|three|3 payments|charges|debits|transactions of|for|taken|on|went',
    'paid|payed ~ for ~ never|didnt|not|nothing',
    'money ~ taken|deducted|debited|gone ~ twice|again|but',
  ],
  stranded: [
    'stranded',
    'stuck ~ airport|terminal|tarmac|gate|station|plane|runway|hotel|overnight|abroad|outside',
    'missed ~ connection|connecting|flight|train|wedding|meeting|funeral|appointment|interview|event',
    'sleep|sleeping|slept|spend|spent|spending ~ night ~ airport|terminal|floor|car|station',
    'slept|sleeping|sleep ~ airport|terminal|floor',
    `${TRAVEL} ~ cancelled|canceled|delayed|diverted|overbooked|missed`,
    `cancelled|canceled|delayed|diverted|overbooked ~ ${TRAVEL}`,
    'bumped|kicked|thrown|removed ~ off|from',
    'no hotel|accommodation|voucher|vouchers|rebooking|alternative',
    'left us|me ~ airport|terminal|stranded|alone|nowhere',
  ],
  broken: [
    `arrived|came|delivered|showed|received|got|opened|unpacked|unboxed|found|find|discovered|sent|gave ~ ${DAMAGE}`,
    'threw|thrown|throw|throwing|chucked|tossed|flung ~ over|into the|a? fence|wall|gate|hedge|garden|pond|bush|bushes|puddle',
    `${DAMAGE} on|upon|at arrival|delivery|opening`,
    'dead on arrival',
    '404|error page|message|screen|code',
    'doa',
    'stopped|quit working|charging|turning|functioning|responding',
    // a short life only: "broke after 8 years" is no complaint
    'died|broke|failed|stopped|cracked|fell|snapped ~ after|within ~ minutes|minute|hours|hour|days|day|weeks|week|fortnight|months|month|uses|use|washes|wash|charges',
    'soaked|leaked|leaking|ripped|tore|faded|shrank|shrunk ~ after|within|in ~ minutes|minute|hours|hour|days|day|weeks|week|uses|use|washes|wash',
    // a garment that lost sizes: "shrink 2 sizes in one cold wash", "shrunk a whole size"
    'shrink|shrinks|shrank|shrunk|shrinking #n whole? size|sizes',
    'wont|doesnt|didnt|cant|wouldnt|not|never ~ turn|power|switch|boot ~ on|up',
    'box|package|parcel|packaging ~ crushed|damaged|smashed|opened|torn|ripped|wet|destroyed',
    'broken|cracked|damaged|faulty|defective ~ again|as well|too',
    // damage the thing now has: "Now it has a lovely dent on the side", "it's got a huge crack" (not "it has no dents")
    'it has|had|got a|an|one|two|some lovely|big|huge|massive|deep|nice|little|small|great|new? dent|dents|crack|cracks|gash',
    // what arrived is someone else's: "the lens is someone else's prescription", "got somebody else's order"
    'someone|somebody elses|else order|prescription|item|items|parcel|package|shopping|stuff|things|glasses|lenses|lens|medication|bag|box|clothes',
    // what was sent is not what was ordered: "you send me XS", "arrived as a completely different product", "sent me one shoe"
    'send|sends|shipped|posted|packed|delivering|sending ~ wrong|incorrect',
    'completely|totally|entirely different product|item|colour|color|size|model|thing|shade|book|one',
    'sent|send|received|got|delivered|came|arrived|packed|included ~ one|1|single|half ~ shoe|boot|glove|sock|earring|earbud|trainer|sandal|slipper|airpod',
    // food past its date: "a best before from last month", "out of date"
    'best|use|sell before|by ~ last|ago|passed|yesterday|expired',
    'past|passed|over its|their|the ~ best|expiry|sell|use|date',
    'out of date',
    // "the mirror's in about 40 pieces", "arrived in bits"
    'in|into #n pieces|bits|shards|parts',
    'in pieces|bits|shards|smithereens',
    // sold as new or refurbished, used before: "the previous owner's earwax"
    'previous|former owner|owners',
    // "leaked all over everything", "burst in the box"
    'leaked|leaking|burst|exploded ~ all|over|everywhere|into|onto|through|inside|in',
    // an appliance that does not do its one job: "it is not cold", "doesnt get cold"
    // (two patterns, not an optional "get": an optional second word would switch off the cheap next-word reject for "not")
    'not|isnt|doesnt|wont|wasnt|arent|never|nt cold|cooling|freezing|freeze|heating',
    'not|isnt|doesnt|wont|wasnt|arent|never|nt get|gets|getting|going cold|cooling|freezing|freeze|heating',
    // the fault back after a repair: "error E4 again after the engineer visit", "the same fault is back after the repair"
    'error|errors|fault|faults|problem|problems|issue|issues|leak|leaking|noise|rattle|same ~ back|again|returned|reappeared ~ after|since ~ repair|repairs|repaired|engineer|engineers|technician|technicians|visit|fix|service|callout|replacement',
    'after|since ~ repair|repairs|repaired|engineer|engineers|technician|technicians|visit|fix|service|callout|replacement ~ error|errors|fault|faults|problem|problems|issue|issues|leak|leaking|noise|rattle|same ~ again|back|returned|reappeared',
  ],
  refused: [
    `refused|refuse|refuses|refusing|denied|denies|deny|denying|declined|declines|rejected|rejects|rejecting ~ ${REFUND}`,
    `${REFUND} ~ denied|refused|rejected|declined`,
    'wont|refuse|refused|refuses|wouldnt|not ~ refund|reimburse|compensate|replace|exchange ~ me|us|it|my|the|anything',
    'wont|wouldnt|refuse|refused|refuses|refusing|not ~ accept|take ~ return|back|it',
    'no refund|refunds|compensation|reimbursement',
    'not eligible|entitled ~ refund|return|exchange|compensation|replacement',
    'isnt|arent|wasnt|werent|not eligible|entitled|covered',
    'blamed|blaming|blame ~ me|us|customer',
  ],
};

const GAP_MAX = 4;
function wordSet(words: Iterable<string>): WordTable<true> {
  const t = new WordTable<true>(16);
  for (const w of words) t.set(w, true);
  return t;
}

const UNITS = wordSet([
  'minutes',
  'minute',
  'mins',
  'min',
  'hours',
  'hour',
  'hrs',
  'hr',
  'days',
  'day',
  'weeks',
  'week',
  'wks',
  'months',
  'month',
  'years',
  'year',
  'ages',
  'forever',
  'eternity',
  'fortnight',
  'weekends',
]);
const UNIT_QUALIFIERS = wordSet(['working', 'business', 'whole', 'full', 'entire', 'more', 'long']);
/** quantity words that can stand alone before a unit ("3 hours", "several days"); the rest only pad */
const QUANTITY_LIST = [
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
  'hundred',
  'several',
  'few',
  'couple',
  'many',
  'multiple',
  'numerous',
  'countless',
  'dozen',
  'dozens',
  'hundreds',
  'another',
  'half',
  'some',
];
const QUANTITIES = wordSet(QUANTITY_LIST);
/** Quantities plus the words that pad them ("more than two", "at least a"). */
const NUMBER_WORDS = wordSet([...QUANTITY_LIST, 'more', 'than', 'over', 'almost', 'nearly', 'about', 'around', 'like', 'at', 'least', 'of', 'and']);

enum SlotType {
  Word = 0,
  Number = 1,
  Unit = 2,
  Gap = 3,
}

interface Slot {
  type: SlotType;
  words: WordTable<true> | null;
  optional: boolean;
}

interface Pattern {
  kind: ComplaintKind;
  slots: Slot[];
  /** the first required word / unit slot after the first slot, and how far from the start it can be:
   *  a pattern whose anchor is absent from the next tokens is not tried */
  anchor: WordTable<true> | null;
  anchorReach: number;
}

/** The patterns that start with one word, and what may follow it (a cheap reject before matching). */
interface FirstWord {
  patterns: Pattern[];
  /** the union of the words a second slot accepts; null when some pattern accepts any word there */
  next: WordTable<true> | null;
  nextNumber: boolean;
  /** the union of the patterns' anchors and their longest reach (one scan rejects them all);
   *  null when a pattern has no anchor */
  anchors: WordTable<true> | null;
  reach: number;
}

function isDigitToken(t: string): boolean {
  const c = t.charCodeAt(0);
  return c >= 48 && c <= 57;
}

function isQuantityToken(t: string, hash: number): boolean {
  return isDigitToken(t) || QUANTITIES.get(t, hash) !== undefined;
}

function parseSlot(part: string): Slot {
  if (part === '~') return { type: SlotType.Gap, words: null, optional: false };
  if (part === '#n') return { type: SlotType.Number, words: null, optional: false };
  if (part === '#unit') return { type: SlotType.Unit, words: null, optional: false };
  const optional = part.endsWith('?');
  const body = optional ? part.slice(0, -1) : part;
  return { type: SlotType.Word, words: wordSet(body.split('|')), optional };
}

/** first word → patterns starting with it; patterns starting with a quantity are kept apart */
const BY_FIRST = new WordTable<FirstWord>(512);
const BY_NUMBER: Pattern[] = [];

function compile(): void {
  for (const kind of COMPLAINT_KINDS) {
    for (const source of PATTERNS[kind]) {
      const slots = source.split(/\s+/).filter(Boolean).map(parseSlot);
      const first = slots[0]!;
      if (first.type === SlotType.Gap || first.optional || slots[slots.length - 1]!.type === SlotType.Gap) {
        throw new Error(`facts: pattern "${source}" must start and end with a required word`);
      }
      let reach = first.type === SlotType.Number ? 4 : 1;
      let anchor: WordTable<true> | null = null;
      for (let k = 1; k < slots.length; k++) {
        const sl = slots[k]!;
        if (sl.type === SlotType.Word && !sl.optional) anchor = sl.words;
        else if (sl.type === SlotType.Unit) anchor = UNITS;
        if (anchor !== null) break;
        reach += sl.type === SlotType.Gap ? GAP_MAX : sl.type === SlotType.Number ? 4 : 1;
      }
      const p: Pattern = { kind, slots, anchor, anchorReach: reach };
      if (first.type === SlotType.Number) {
        BY_NUMBER.push(p);
        continue;
      }
      const second = slots[1];
      for (const [w] of first.words!.entries()) {
        let fw = BY_FIRST.get(w);
        if (!fw) {
          fw = { patterns: [], next: new WordTable<true>(16), nextNumber: false, anchors: new WordTable<true>(16), reach: 0 };
          BY_FIRST.set(w, fw);
        }
        fw.patterns.push(p);
        if (p.anchor === null) fw.anchors = null;
        else if (fw.anchors !== null) {
          for (const [x] of p.anchor.entries()) fw.anchors.set(x, true);
          if (p.anchorReach > fw.reach) fw.reach = p.anchorReach;
        }
        if (second === undefined || second.type === SlotType.Gap || second.optional || second.type === SlotType.Unit) fw.next = null;
        else if (second.type === SlotType.Number) fw.nextNumber = true;
        else if (fw.next !== null) for (const [x] of second.words!.entries()) fw.next.set(x, true);
      }
    }
  }
}
compile();

/** every number-first pattern's anchor (null when one has none) and the farthest reach: one scan before trying them */
let NUMBER_ANCHORS: WordTable<true> | null = new WordTable<true>(64);
let NUMBER_REACH = 0;
for (const p of BY_NUMBER) {
  if (p.anchor === null || NUMBER_ANCHORS === null) {
    NUMBER_ANCHORS = null;
    break;
  }
  for (const [x] of p.anchor.entries()) NUMBER_ANCHORS.set(x, true);
  if (p.anchorReach > NUMBER_REACH) NUMBER_REACH = p.anchorReach;
}

/** Whether any number-first pattern's anchor follows toks[i] within reach (anchorNear for all of them). */
function numberAnchorNear(toks: readonly string[], i: number, n: number): boolean {
  const a = NUMBER_ANCHORS;
  if (a === null) return true;
  const last = i + NUMBER_REACH < n ? i + NUMBER_REACH : n - 1;
  for (let k = i + 1; k <= last; k++) {
    const t = toks[k]!;
    if (a.get(t, hashAt(toks, k)) !== undefined) return true;
    if (!isWordToken(t)) return false;
  }
  return false;
}

/** The words a fact can start with (digits aside): the sentiment scorer flags them. */
export const FACT_FIRST_WORDS: readonly string[] = [...[...BY_FIRST.entries()].map(([w]) => w), ...QUANTITY_LIST];

let mHashes: readonly number[] | undefined;

function hashAt(toks: readonly string[], i: number): number {
  return mHashes !== undefined ? mHashes[i]! : hashWord(toks[i]!);
}

/** Whether the pattern's anchor occurs among the tokens after toks[i] it can reach (no punctuation). */
function anchorNear(p: Pattern, toks: readonly string[], i: number, n: number): boolean {
  const a = p.anchor;
  if (a === null) return true;
  const last = i + p.anchorReach < n ? i + p.anchorReach : n - 1;
  for (let k = i + 1; k <= last; k++) {
    const t = toks[k]!;
    if (a.get(t, hashAt(toks, k)) !== undefined) return true;
    if (!isWordToken(t)) return false;
  }
  return false;
}

/** Token end (exclusive) of slots[s..] matched from toks[i], or −1. */
function matchSlots(slots: Slot[], s: number, toks: readonly string[], i: number, n: number): number {
  if (s === slots.length) return i;
  const slot = slots[s]!;
  switch (slot.type) {
    case SlotType.Word: {
      if (i < n && slot.words!.get(toks[i]!, hashAt(toks, i)) !== undefined) {
        const end = matchSlots(slots, s + 1, toks, i + 1, n);
        if (end >= 0) return end;
      }
      return slot.optional ? matchSlots(slots, s + 1, toks, i, n) : -1;
    }
    case SlotType.Unit: {
      // "22 working days", "3 whole weeks": a qualifier before the unit
      const j = i + 1 < n && UNIT_QUALIFIERS.get(toks[i]!, hashAt(toks, i)) !== undefined ? i + 1 : i;
      return j < n && UNITS.get(toks[j]!, hashAt(toks, j)) !== undefined ? matchSlots(slots, s + 1, toks, j + 1, n) : -1;
    }
    case SlotType.Number: {
      // 1–4 quantity tokens with at least one real quantity: "3", "a few", "more than 2", "over an"
      let j = i;
      let real = false;
      while (j < n && j - i < 4) {
        const t = toks[j]!;
        const h = hashAt(toks, j);
        if (isQuantityToken(t, h)) real = true;
        else if (NUMBER_WORDS.get(t, h) === undefined) break;
        j++;
      }
      if (!real) return -1;
      for (let k = j; k > i; k--) {
        const end = matchSlots(slots, s + 1, toks, k, n);
        if (end >= 0) return end;
      }
      return -1;
    }
    case SlotType.Gap: {
      for (let k = 0; k <= GAP_MAX && i + k <= n; k++) {
        if (k > 0 && !isWordToken(toks[i + k - 1]!)) return -1;
        const end = matchSlots(slots, s + 1, toks, i + k, n);
        if (end >= 0) return end;
      }
      return -1;
    }
  }
}

/** The kind of the fact `factAt` found last. */
export let lastFactKind: ComplaintKind = 'waiting';

/**
 * The end (exclusive) of the longest fact that starts at toks[i], or 0 when none does (then
 * lastFactKind is unchanged). `hashes[k]` is hashWord(toks[k]) when the caller has them.
 */
export function factAt(toks: readonly string[], i: number, hashes?: readonly number[]): number {
  mHashes = hashes !== undefined && hashes.length === toks.length ? hashes : undefined;
  const t = toks[i]!;
  const h = hashAt(toks, i);
  return factFrom(toks, i, h, BY_FIRST.get(t, h));
}

/** The patterns starting with a word (for callers that keep it with their own word entry). */
export type FactStart = FirstWord;
export function factStartOf(word: string): FactStart | undefined {
  return BY_FIRST.get(word);
}

/** factAt for a caller that already has toks[i]'s FactStart (or undefined) and the hashes. */
export function factAtStart(toks: readonly string[], i: number, hashes: readonly number[], fw: FactStart | undefined): number {
  mHashes = hashes.length === toks.length ? hashes : undefined;
  return factFrom(toks, i, hashAt(toks, i), fw);
}

function article(toks: readonly string[], i: number, n: number): boolean {
  if (i + 1 >= n) return false;
  const nx = toks[i + 1]!;
  const nh = hashAt(toks, i + 1);
  return UNITS.get(nx, nh) !== undefined || QUANTITIES.get(nx, nh) !== undefined || NUMBER_WORDS.get(nx, nh) !== undefined;
}

function factFrom(toks: readonly string[], i: number, h: number, fw: FirstWord | undefined): number {
  const t = toks[i]!;
  const n = toks.length;
  let best = 0;
  if (fw !== undefined) {
    let go = true;
    if (fw.next !== null) {
      // cheap reject: what follows the first word cannot start any of its patterns
      go = false;
      if (i + 1 < n) {
        const nx = toks[i + 1]!;
        const nh = hashAt(toks, i + 1);
        go = fw.next.get(nx, nh) !== undefined || (fw.nextNumber && (isQuantityToken(nx, nh) || NUMBER_WORDS.get(nx, nh) !== undefined));
      }
    }
    if (go && fw.anchors !== null) {
      // one scan for any pattern's anchor before trying them one by one
      const a = fw.anchors;
      const last = i + fw.reach < n ? i + fw.reach : n - 1;
      go = false;
      for (let k = i + 1; k <= last; k++) {
        const x = toks[k]!;
        if (a.get(x, hashAt(toks, k)) !== undefined) {
          go = true;
          break;
        }
        if (!isWordToken(x)) break;
      }
    }
    if (go) {
      const list = fw.patterns;
      for (let k = 0; k < list.length; k++) {
        const p = list[k]!;
        if (!anchorNear(p, toks, i, n)) continue;
        const end = matchSlots(p.slots, 1, toks, i + 1, n);
        if (end > best) {
          best = end;
          lastFactKind = p.kind;
        }
      }
    }
  }
  // "a"/"an" are too common to try every pattern: only before a unit or a quantity ("a week", "a few")
  if (isQuantityToken(t, h) && (!(t === 'a' || t === 'an') || article(toks, i, n)) && numberAnchorNear(toks, i, n)) {
    for (let k = 0; k < BY_NUMBER.length; k++) {
      const p = BY_NUMBER[k]!;
      if (!anchorNear(p, toks, i, n)) continue;
      const end = matchSlots(p.slots, 0, toks, i, n);
      if (end > best) {
        best = end;
        lastFactKind = p.kind;
      }
    }
  }
  // "2 years and not a single problem": a denial of trouble is good news (for the sentence scorer too)
  const found = best > 0 && (noTroubleAfter(toks, best) || awayAfterBut(toks, best)) ? 0 : best;
  mHashes = undefined;
  return found;
}

const AWAY = wordSet(['at', 'away', 'out', 'abroad', 'on']);
/** "shows delivered but I'm at work", "… but we are away until Monday": the customer's whereabouts, not a missing parcel */
function awayAfterBut(toks: readonly string[], end: number): boolean {
  if (toks[end - 1] !== 'but') return false;
  const a = toks[end];
  const b = toks[end + 1];
  const c = toks[end + 2];
  return ((a === 'i' && b === 'am') || (a === 'we' && b === 'are')) && c !== undefined && AWAY.get(c) !== undefined;
}

const AUXILIARIES = wordSet([
  'do',
  'does',
  'did',
  'can',
  'could',
  'is',
  'are',
  'was',
  'were',
  'will',
  'would',
  'should',
  'have',
  'has',
  'may',
  'might',
  'shall',
  'am',
]);

/**
 * Whether toks[i] sits in a yes/no question ("do you refuse returns on swimwear?", "has my parcel been
 * lost?"): asking is not stating a fact. "Why do you refuse …?" is not a yes/no question.
 */
export function inPolarQuestion(toks: readonly string[], i: number): boolean {
  let s = i;
  while (s > 0) {
    const t = toks[s - 1]!;
    if (t === '.' || t === '!' || t === '?') break;
    s--;
  }
  while (s < i && toks[s] === ',') s++;
  // "so no refund to card for sale stuff?": a question without its verb, checking what the answer means
  if (toks[s] === 'so' && toks[s + 1] === 'no' && i - s <= 3) {
    for (let k = i + 1; k < toks.length; k++) {
      const t = toks[k]!;
      if (t === '?') return true;
      if (t === '.' || t === '!') return false;
    }
    return false;
  }
  // "and is there …", "also do you …": a joining word before the question
  if (s < i && JOINERS.has(toks[s]!) && AUXILIARIES.has(toks[s + 1] ?? '')) s++;
  // a greeting or a name before the question: "hi, do you …", "ok so is …"
  if (!AUXILIARIES.has(toks[s]!)) {
    let c = s;
    while (c < i && toks[c] !== ',') c++;
    if (c >= i || c - s > 2 || !AUXILIARIES.has(toks[c + 1] ?? '')) return false;
    s = c + 1;
  }
  // the fact belongs to the question itself, not to a clause inside it ("is it normal that I have
  // been on hold for 2 hours?" states the wait)
  if (i - s > 4) return false;
  for (let k = i + 1; k < toks.length; k++) {
    const t = toks[k]!;
    if (t === '?') return true;
    if (t === '.' || t === '!') return false;
  }
  // the message ends without a mark on an inverted question: "and is there extra charge", "do you do gift wrap"
  return INVERTED_SUBJECTS.has(toks[s + 1] ?? '');
}
/** words that join a second question on: "and is there …", "also do you …" */
const JOINERS = wordSet(['and', 'also', 'so', 'plus', 'oh', 'ok', 'okay']);
/** the subject right after the auxiliary of a question: "is there", "do you", "will it" */
const INVERTED_SUBJECTS = wordSet(['there', 'you', 'it', 'i', 'we', 'they', 'this', 'that', 'he', 'she', 'u']);

const SUPPOSING = wordSet([
  'thought',
  'think',
  'worried',
  'afraid',
  'feared',
  'fear',
  'assumed',
  'if',
  'whether',
  'unless',
  'case',
  'scared',
  'panicked',
  'suspect',
  'suspected',
  'wondering',
  'wondered',
  'hope',
  'hopefully',
  'avoid',
  'prevent',
]);

/**
 * Whether toks[i] sits in a clause of supposition ("I thought I'd been charged twice but …", "I was
 * worried my order was lost", "in case it arrives broken"): feared, not stated — or in a sentence
 * whose only denials are the customer's own side ("it's been 2 weeks and I haven't opened the box",
 * "never had a problem", "sorry I haven't replied"; signals/elapsed.ts): not a complaint either.
 */
export function inSupposition(toks: readonly string[], i: number): boolean {
  for (let k = i - 1; k >= 0 && k >= i - 8; k--) {
    const t = toks[k]!;
    if (t === '.' || t === '!' || t === '?' || t === ',' || t === 'but') break;
    // "in case it arrives broken" supposes; "the phone case is cracked" does not
    if (SUPPOSING.has(t) && (t !== 'case' || toks[k - 1] === 'in')) return true;
  }
  return onlyOwnNegations(toks, i) || purchaseCount(toks, i);
}

/** what "not a …" / "no …" / "never a …" denies when it is good news: "3 months and not a scratch" */
const NO_TROUBLE = wordSet([
  'scratch',
  'scratches',
  'mark',
  'marks',
  'problem',
  'problems',
  'issue',
  'issues',
  'fault',
  'faults',
  'hitch',
  'hitches',
  'complaint',
  'complaints',
  'dent',
  'crack',
  'tear',
  'snag',
  'glitch',
  'chip',
  'chips',
  'cracks',
  'dents',
  'damage',
  'rust',
  'fading',
  'leak',
  'leaks',
  'breakage',
  'breakages',
  'bother',
  'hiccup',
]);
const DENIALS = wordSet(['not', 'no', 'never', 'without', 'nothing']);

/** The fact ends on a denial of trouble ("… and not a scratch", "… and never a problem"): good news. */
function noTroubleAfter(toks: readonly string[], end: number): boolean {
  let k = end - 1;
  if (DENIALS.get(toks[k]!, hashAt(toks, k)) === undefined) {
    // the denial may be inside the match: "… and not a"
    // "arrived without a single chip": the denial may be four words back
    while (k > end - 5 && k > 0 && DENIALS.get(toks[k]!, hashAt(toks, k)) === undefined) k--;
    if (DENIALS.get(toks[k]!, hashAt(toks, k)) === undefined) return false;
  }
  for (let j = k + 1; j < toks.length && j <= k + 3; j++) {
    const t = toks[j]!;
    if (NO_TROUBLE.get(t, hashAt(toks, j)) !== undefined) return true;
    if (t !== 'a' && t !== 'one' && t !== 'single' && t !== 'any' && t !== 'a' && t !== 'even') return false;
  }
  return false;
}

/** Whether a fact may start with this token (a cheap pre-check for callers scanning tokens). */
export function mayStartFact(t: string, hash: number = hashWord(t)): boolean {
  return isQuantityToken(t, hash) || BY_FIRST.has(t, hash);
}

/** What a caller's word entries may carry for facts (sentiment.ts's WordInfo has both). */
export interface FactWordEntry {
  /** a fact may start with this word (FACT_FIRST_WORDS) */
  fact: boolean;
  factStart: FactStart | undefined;
  num: boolean;
}

/**
 * Facts in a list of tokens, left to right, non-overlapping (the longest at each start wins); not
 * in a yes/no question or a supposition. With the token stream's word entries (`ents` of
 * tokenize(text, n, LEX)) only the words that can open a fact are looked at.
 */
const HELD = new Set(['stayed', 'kept', 'held', 'remained']);
const STILL_GOOD = new Set(['online', 'connected', 'working', 'fine', 'stable', 'charged', 'dry', 'paired', 'loving', 'love', 'enjoying', 'happy']);
const BREAK = new Set(['.', '!', '?']);
const LOOKS_GOOD = new Set(LOOKS_FINE);

/** toks[k] and on say a good state ("working", "looks great", "going strong") */
function goodState(toks: readonly string[], k: number): boolean {
  const t = toks[k] ?? '';
  return STILL_GOOD.has(t) || (LOOKS.has(t) && LOOKS_GOOD.has(toks[k + 1] ?? ''));
}

/**
 * The time told is a fix put to the test, and it held: "It's been an hour and it's stayed online", "been two days
 * and it's still working", "been in the garden for 10 days and still looks great" (the rest of the sentence, from
 * `from`, says a good state lasted).
 */
function heldSince(toks: readonly string[], from: number): boolean {
  // the fact may end on the "still" itself: "been two days and it's still | working"
  if (toks[from - 1] === 'still' && goodState(toks, from)) return true;
  for (let k = from; k < toks.length && k < from + 8 && !BREAK.has(toks[k]!); k++) {
    const t = toks[k]!;
    if ((HELD.has(t) || t === 'still') && goodState(toks, k + 1)) return true;
  }
  return false;
}

const DAMAGE_WORDS = new Set(DAMAGE.split('|'));
/** a negation straight before a damage word */
const DENIAL = new Set(['not', 'nt', 'wasnt', 'isnt', 'arent', 'werent', 'never']);

/**
 * The damage is denied, not told: "it arrived and it was not damaged", "came and wasn't broken at all" (the damage word
 * ends the match), "not damaged on arrival" (it starts it).
 */
function damageDenied(toks: readonly string[], from: number, end: number): boolean {
  return (DAMAGE_WORDS.has(toks[end - 1]!) && DENIAL.has(toks[end - 2] ?? '')) || (DAMAGE_WORDS.has(toks[from]!) && DENIAL.has(toks[from - 1] ?? ''));
}

/** the first words of the "fault back after a repair" patterns, and the words that say it is back */
const FAULT_BACK_FIRST = new Set('error errors fault faults problem problems issue issues leak leaking noise rattle same after since'.split(' '));
const BACK = new Set(['back', 'again', 'returned', 'reappeared']);
const NOT_BACK = new Set(['not', 'nt', 'never', 'hasnt', 'havent', 'hasn', 'didnt', 'isnt', 'wasnt', 'no']);

/** "after the repair the issue has not come back": the fault denied back (a negation inside the match) */
function faultBackDenied(toks: readonly string[], from: number, end: number): boolean {
  if (!FAULT_BACK_FIRST.has(toks[from]!)) return false;
  let back = false;
  let denied = false;
  for (let k = from; k < end; k++) {
    if (BACK.has(toks[k]!)) back = true;
    else if (NOT_BACK.has(toks[k]!)) denied = true;
  }
  return back && denied;
}

/** delight told with a wait: "I've been waiting for those 🤩", "been waiting for this one, so excited" */
const DELIGHT = new Set([
  '🤩',
  '😍',
  '🥰',
  '🥳',
  '🎉',
  '😁',
  '😄',
  '😃',
  '😀',
  '🙌',
  '💚',
  '❤️',
  '❤',
  '💜',
  '💕',
  'excited',
  'exciting',
  'yay',
  'woo',
  'woohoo',
  'ooh',
  'eek',
]);
/** what is owed to the customer: waiting for it is trouble whatever the mood ("been waiting for my refund 🥰" stays) */
const OWED = new Set([
  ...AWAITED.split('|'),
  ...REPLY.split('|'),
  ...REFUND.split('|'),
  'money',
  'call',
  'email',
  'someone',
  'anyone',
  'you',
  'tracking',
  'courier',
  'driver',
]);
/**
 * A wait (toks[from..end)) for something the customer longed for: delight in its sentence, no span of time and nothing
 * owed ("I've been waiting for those 🤩" when a plant grows its first split leaf; not "been waiting 3 weeks 🙃", "been
 * waiting for a reply, so exciting", "been waiting since Monday 😍").
 */
function eagerWait(toks: readonly string[], from: number, end: number): boolean {
  let a = from;
  while (a > 0 && !BREAK.has(toks[a - 1]!)) a--;
  let b = end;
  while (b < toks.length && !BREAK.has(toks[b]!)) b++;
  let delight = false;
  for (let k = a; k < b; k++) {
    const t = toks[k]!;
    if (DELIGHT.has(t)) delight = true;
    else if (UNITS.get(t) !== undefined || OWED.has(t) || isDigitToken(t) || t === 'since' || t === 'still' || t === 'again') return false;
  }
  if (b < toks.length && toks[b] === '!' && !delight) return false;
  return delight;
}

/**
 * The fact just found (toks[from..end), its kind in lastFactKind) is not stated as the customer's trouble: asked about
 * ("do you refuse returns on swimwear?"), supposed ("I thought I'd been charged twice"), a fix that held ("it's been an
 * hour and it's stayed online"), damage denied ("it arrived and it was not damaged") or a fault denied back ("the issue has not
 * come back since the repair").
 */
export function factNotStated(toks: readonly string[], from: number, end: number): boolean {
  return (
    inPolarQuestion(toks, from) ||
    inSupposition(toks, from) ||
    (lastFactKind === 'waiting' && (heldSince(toks, end) || eagerWait(toks, from, end))) ||
    (lastFactKind === 'broken' && (damageDenied(toks, from, end) || faultBackDenied(toks, from, end)))
  );
}

export function factsInTokens(toks: readonly string[], hashes?: readonly number[], ents?: readonly (FactWordEntry | undefined)[]): ComplaintFact[] {
  const out: ComplaintFact[] = [];
  const n = toks.length;
  const withEnts = ents !== undefined && ents.length === n && hashes !== undefined && hashes.length === n;
  for (let i = 0; i < n; i++) {
    const t = toks[i]!;
    let end: number;
    if (withEnts) {
      const e = ents[i];
      if (e === undefined ? !isDigitToken(t) : !e.fact && !e.num && !isDigitToken(t)) continue;
      end = factAtStart(toks, i, hashes, e?.factStart);
    } else {
      if (!isWordToken(t)) continue;
      end = factAt(toks, i, hashes);
    }
    if (end > 0 && !factNotStated(toks, i, end)) {
      out.push({ kind: lastFactKind, match: toks.slice(i, end).join(' ') });
      i = end - 1;
    }
  }
  return out;
}

/** Frustration stated as facts in a text (at most the first 4,000 characters are read). */
export function findComplaintFacts(text: string): ComplaintFact[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const ts = tokenize(text, 4000);
  return factsInTokens(ts.toks, ts.hashes);
}
