/**
 * Giving up, disputes, public threats and legal threats told in open wording (KEYWORD_MATCH, with a
 * risk flag where the case is high-risk):
 *
 * - dispute (→ `chargeback`, URGENT): taking the payment back through the bank, card company or
 *   PayPal — "forget it, I'll sort it out with my bank", "my card company will get it back",
 *   "I've opened a claim with PayPal";
 * - legal (→ `legal_threat`, URGENT): a lawyer, attorney or solicitor brought in ("my lawyer will be
 *   in touch", "I'm calling my attorney"), court, consumer law — but not "my lawyer friend
 *   recommended you" or "tennis court shoes";
 * - churn: closing the account, sending everything back, never ordering again, taking one's
 *   business elsewhere, "I'm done", "forget it";
 * - public: reviews, followers, social networks, the press — "I'll tell my 12k followers".
 */
import { compileGate, compileTagged, gateOpen, inQuestion, matchTagged, openPatterns } from './pattern.ts';
import type { RiskFlag } from '../types.ts';

// One literal token after an optional determiner, so that the pattern gate sees that every dispute
// pattern needs a bank or card word (a nested alternative hid it, and the patterns ran on most texts).
const BANK =
  '(my|the|our)? (bank|banks|card company|card provider|card issuer|credit card company|credit card provider|credit card|debit card provider|card|visa|mastercard|amex|american express|paypal|klarna|building society)';

export interface ThreatKind {
  /** the keyword reported in the decision */
  keyword: string;
  flag: RiskFlag | null;
  patterns: readonly string[];
  /** a match inside a question opened by a question word does not count ("how do I close my account?") */
  statementOnly?: boolean;
}

const FRAUD = 'fraud or account misuse';
const FEARED = /(?:worried|thought|wondered|feared|scared|afraid|panicked|assumed)(?: that)?(?: [^ .!?]+){0,2} ?$/;

export const THREATS: readonly ThreatKind[] = [
  {
    keyword: 'payment dispute',
    flag: 'chargeback',
    patterns: [
      `(sort|sorting|settle|settling|deal|dealing|take|taking|report|reporting|go|going|contact|contacting|call|calling|ask|asking|tell|telling|speak|speaking|talk|talking|file|filing|open|opening|raise|raising|claim|claiming|get|getting|phone|phoning|ring|ringing|dispute|disputing|disputed|charged back) ~4 (it|this|them|that|out|up|back)? ~2 (with|to|through|via) ${BANK}`,
      `${BANK} ~4 (will|can|could|to|would|is going to|gonna) ~3 (get|gets|reverse|reverses|refund|claw|return|take|sort|deal|recover) ~3 (it|my|the|back|money|payment|this)?`,
      `(opened|open|opening|file|filed|filing|raise|raised|raising|start|started|starting|submitted|submit|lodged|lodge) (a|an)? ~1 (claim|case|dispute|complaint|chargeback) ~2 (with|on|through|via|at) ${BANK}`,
      `${BANK} (claim|dispute|case|chargeback|complaint)`,
      `${BANK} (has|have|had|already|just)? (already|now)? (reversed|refunded|clawed back|taken back|charged back|disputed|blocked|stopped|frozen|recalled|returned) ~3 (the|my|our|that|this)? (payment|money|charge|transaction|funds|it)`,
      `report|reporting|reported ~4 (as|for) (fraud|fraudulent|unauthorised|unauthorized|theft|a scam)`,
      `unauthorised|unauthorized transaction|transactions|charge|charges|payment|payments`,
    ],
  },
  {
    keyword: 'legal action',
    flag: 'legal_threat',
    patterns: [
      `(call|calling|called|contact|contacting|contacted|speak|speaking|spoke|talk|talking|get|getting|involve|involving|involved|hear from|consult|consulting|consulted|hire|hiring|hired|see|seeing|send|sending|forward|forwarding|pass|passing|instruct|instructing|instructed|phone|phoning|email|emailing|ask|asking|asked|retain|retained|engage|engaged) ~3 (my|our|a|the|family) (lawyer|lawyers|attorney|attorneys|solicitor|solicitors|legal team|legal department|legal counsel)`,
      `(my|our|a|the|family) (lawyer|lawyers|attorney|attorneys|solicitor|solicitors) (will|is|are|has|have|says|said|would|already|be|wants|advised|thinks|can|shall|writing|contacting|drafting|sending|preparing|looking|handling|dealing|getting|taking|wrote|sent|drafted|prepared)`,
      `(lawyer|lawyers|attorney|attorneys|solicitor|solicitors) (involved|letter|letters|in touch)`,
      `(see|seeing|take|taking|took|drag|dragging|bring|bringing|go|going|meet) ~3 (you|them|this|it|your company|the company)? ~1 (to|in) (court|small claims)`,
      `(small claims|county|civil) (court|claim)`,
      `court (case|action|order|claim|proceedings|hearing)`,
      `consumer (rights|law|laws|ombudsman|council|champion|rights act|credit act|contracts regulations)`,
      `(illegal|unlawful|against the law|breach of contract|breaking the law|my statutory rights|statutory rights|ombudsman|legal advice|legally)`,
      `(report|reporting|reported) ~3 (to|with) ~2 (the)? (authorities|police|regulator|regulators|watchdog|trading standards|ftc|cma|bbb|better business bureau|attorney general|ombudsman)`,
      // a complaint or petition to a consumer regulator named by its acronym or office (World Englishes: "a petition to the FCCPC")
      `(petition|petitions|complaint|complaints|report|reports|case|claim|file|filing|filed|lodge|lodging|lodged|escalate|escalating|escalated|complain|complaining|complained) ~3 (to|with|at) (the)? (fccpc|accc|ccpc|ncc|dti|ftc|cma|cfpb|competition bureau|consumer council|consumer affairs|fair trading|office of fair trading|consumer commission|consumer tribunal|consumer court|consumer forum)`,
      `(my|our|a|the) (lawyer|lawyers|attorney|attorneys|solicitor|solicitors) (took|takes|looked|has looked|reviewed|has reviewed|read|checked|went through|had a look)`,
      `(unenforceable|not enforceable|wouldnt hold up|would not hold up|wont hold up|will not hold up|not legally binding)`,
      `(formal)? (subject access|data subject access|data access|data subject) request`,
      `under ~3 (gdpr|data protection act|data protection law|consumer rights act|article \\d+|pipeda|ccpa|cpra|lgpd|popia|dpdp)`,
      // a data access request in plain words: "a copy of all personal information your company holds about me"
      `(copy|copies|all|everything) ~4 (personal information|personal data|personal details|data) ~6 (hold|holds|held|have|keep|keeps|store|stores|stored) ~3 (about|on) (me|us|my)`,
      // a legal frame rather than a phrase: someone acting for a client, a regulation invoked, rights or consent breached
      `(lawyer|lawyers|attorney|attorneys|solicitor|solicitors|legal representative|law firm) (acting|writing|representing|instructed) ~3 (for|on behalf of)?`,
      `(acting|writing) (for|on behalf of) (my|our) (client|clients)`,
      `(misleading|false|deceptive) (advertising|advert|adverts|advertisement|pricing|claims|description|listing)`,
      `(without|never gave|did not give|didnt give|no) (my|our|any)? (consent|permission|authorisation|authorization) ~6 (data|details|information|shared|sold|passed|used|charged|taken|card)?`,
      `(shared|sold|passed|gave|leaked|handed) ~4 (my|our) (personal)? (data|details|information|email address) ~4 (third|without|consent|marketing|other companies|another company)`,
      `(data|privacy|security) (breach|leak|violation)`,
      `(breach|breached|breaching|violation|violating|violated) (of)? ~2 (contract|gdpr|privacy|data protection|my rights|the law|regulations|consumer law)`,
      // a contract's own terms: "we will treat this as a material breach", "a fundamental breach of the agreement"
      `(material|fundamental|repudiatory) (breach|breaches)`,
      `(my|our) (legal|statutory|consumer) rights`,
      `(i am|im|we are|were|i|we) (entitled|legally entitled) to ~4 (refund|repair|replacement|compensation|my money)`,
      `(cease and desist|letter before action|letter before claim|letter of demand|demand letter|section 75|tribunal|class action|regulatory complaint)`,
      `(report|reporting|reported|complain|complaining|complained|escalate|escalating|take|taking) ~4 (to|with) (the)? ~1 (ico|information commissioner|financial ombudsman|ombudsman|advertising standards|asa|regulator|trading standards|citizens advice|consumer protection|data protection authority)`,
      `(identity|id) (theft|fraud)`,
    ],
  },
  {
    // fraud told as a fact: charges or orders the customer never made, someone in their account or card, a police report, a data breach
    keyword: FRAUD,
    flag: 'legal_threat',
    patterns: [
      `(charge|charges|orders|order|purchases|purchase|payments|payment|transactions|transaction|debits|debit) ~8 (i|we) (didnt|did not|never|dont|do not|have not|havent|cant|cannot|can not) (make|made|place|placed|authorise|authorize|authorised|authorized|recognise|recognize|approve|approved)`,
      `(i|we) (didnt|never|havent) (place|make|authorise|authorize|approve) (them|these|those|any of them|any of these|the orders|the charges|the payments|any orders|any of it)`,
      `(i|we) (dont|didnt|cant|cannot) (recognise|recognize) (this|these|that|those|the|a|an|any|some|two|three|several)? ~2 (charge|charges|transaction|transactions|payment|payments|debit|debits|purchase|purchases|orders)`,
      `(leaked|exposed|lost|sold) (my|our) (details|data|information|personal|info|card|address|email)`,
      `(someone|somebody|a stranger|a hacker|hackers|some one|a fraudster|fraudsters) (has|have|had)? (used|using|stolen|stole|hacked|accessed|got into|gotten into|taken over|took over|broken into|broke into|logged into|cloned|charged|changed) ~2 (my|our) ~1 (card|account|details|identity|email|password|login|paypal|card details|bank details|address)`,
      `(my|our) ~1 (account|card|email|paypal|details|login|identity) (was|has been|have been|got|is|were|been) (hacked|compromised|stolen|cloned|breached)`,
      `(police|fraud|crime) (report|reference|case number|crime number|complaint)`,
      `(called|phoned|contacted|rang|went to|told|reported it to|informed|contacting|calling) ~2 (the)? (police|sheriff|sheriffs|fraud department|fraud team|cops|action fraud)`,
      `(security|data) (incident|breach|leak)`,
      // "I got an email from you with someone else's order details": another customer's data shown to this one
      `(got|received|emailed|showing|shows|showed|see|seeing|saw|contains|contained|included|includes) ~8 (someone else|somebody else) (order details|orders|details|data|information|info|personal|invoice|invoices|account|card)`,
      `(my|our) (info|information|data|details|personal details|personal data|card number|card details|address|payment details) ~5 (accessed|leaked|stolen|exposed|compromised|breached|hacked)`,
      // a transaction at a place the customer has never been: "it shows a transaction at your perth store … ive never been to perth"
      're: (?:transaction|transactions|purchase|purchases|charge|charges|payment|payments|debit|debits) (?:at|in|from) (?:[^ ?]+ ){0,24}?(?:i|we|ive|weve|i have|we have) (?:never|not once|not ever) (?:been|set foot|shopped) (?:to|in|at|near|inside) ',
    ],
  },
  {
    keyword: 'account closure',
    flag: null,
    statementOnly: true,
    patterns: [
      `(close|closing|delete|deleting|remove|removing|cancel|cancelling|canceling|terminate|terminating|deactivate|deactivating|shut|shutting) (down)? (my|the|our) (business|company|trade|work|office|corporate|family|joint)? (account|accounts|profile|membership|subscription|card details|payment details|data|details)`,
      `(cancel|cancelling|canceling|refund|refunding|return|returning) ~1 (everything|all|all of it|all my orders|all orders|every order|the lot|the whole lot|whole order|entire order)`,
      `(send|sending|return|returning|ship|shipping) (everything|it all|all of it|the lot|the whole lot|all of them|them all|all \\d+) (back)?`,
      `(close|cancel|delete|shut down|end) (everything|it all|all of it|the lot|all of this)`,
      `all ~2 (orders|items|of them|of it) ~3 (cancelled|canceled|refunded|returned|back)`,
      `(unsubscribe|remove|delete) (me|my) ~4 (everything|all|data|details|card|list|lists)`,
    ],
  },
  {
    keyword: 'giving up on us',
    flag: null,
    patterns: [
      `never ~3 (order|ordering|buy|buying|shop|shopping|use|using|purchase|purchasing|recommend|recommending|come back|coming back|deal|dealing) ~4 (again|anymore|any more)`,
      `never (ordering|buying|shopping|recommending|dealing|using) ~1 (from|with|at) (you|this|your)`,
      `(not|wont|will not|never) (be)? ~1 (ordering|buying|shopping|renewing|coming back|recommending) ~3 (again|from you|with you|anymore|any more)`,
      `(wont|will not|not) be renewing`,
      `(last|final) (order|purchase) (with|from|ever|here)`,
      `(this is|that is|thats|its|it is) (the|my)? (last|final) (straw|time i order|time i buy|time i shop|time ill|time i will|time i am)`,
      `last straw`,
      `(taking|take|took|move|moving|spend|spending) ~2 (my|our) (business|money|custom) (elsewhere|somewhere else|to)`,
      `(shop|shopping|buy|buying|order|ordering|go|going|get|getting|take|taking) ~3 (elsewhere|somewhere else|from a competitor|from your competitors)`,
      `(forget|forgetting) (it|about it|this|the whole thing) $`,
      `(run|ran|running|out) out of (options|patience|ideas) $`,
      `(my|a|as a|the) last resort`,
      `(thats|that is) it [,.!]? (i am|im|i will|ill|we are|were|i have|ive)`,
      `(i am|im|we are|were|i will|ill) (going|switching|moving|off|taking it) (back)? (to) (amazon|ebay|etsy|a competitor|your competitor|your competitors|another shop|another store|another company|another retailer|another seller|the competition)`,
      `forget it`,
      `(i|we) (give|gave) up`,
      `(i am|im|we are|i have|ive) (so|completely|totally|absolutely)? (done|finished|through) (with (you|this|your|it|the)|$)`,
      `(done|finished|fed up) with (you|this|your|the lot)`,
      `(no|dont) longer (want|trust|wish) ~3 (you|your|to)`,
      `(want|wants|need|i would like|give me) (my|our) money back (not|instead|now|today)`,
    ],
  },
  {
    keyword: 'public complaint',
    flag: null,
    statementOnly: true,
    patterns: [
      // a count of an audience: "12k followers", "2000 fans", "my fans" — not "the one with 5 fans" (a cooling pad's)
      `(\\d[\\d.,]*k|\\d{3,}[\\d.,]*|\\d{1,3}[.,]\\d{3}|thousands|hundreds|many|all my|my) (followers|subscribers|readers|viewers|fans|audience|readership|community)`,
      `\\d[\\d.,]* (followers|subscribers|readers|viewers)`,
      `(leave|leaving|left|write|writing|wrote|post|posting|posted|give|giving|put|putting|share|sharing) ~4 (1|one|zero|0|no|bad|negative|terrible|awful|horrible|scathing|honest|brutal|angry|furious|detailed) (star|stars)? (review|reviews|rating|ratings|feedback)`,
      `(review|reviews|rating|complaint) ~3 (on|to|in) (trustpilot|yelp|google|tripadvisor|reddit|twitter|x|tiktok|instagram|facebook|youtube|amazon|social media|every|all)`,
      `(post|posting|posted|share|sharing|shared|put|putting|tweet|tweeting|write|writing|expose|exposing|upload|uploading|publish|publishing|tell|telling) ~7 (on|to|in|about|across)? (trustpilot|yelp|tripadvisor|reddit|twitter|tiktok|instagram|facebook|youtube|social media|socials|the news|newspaper|local paper|the paper|the papers|the press|journalist|journalists|watchdog|bbc|consumer column|blog|forum|forums|linkedin|mumsnet|parents group|mums group|moms group|whatsapp group|local group)`,
      `(tell|telling|warn|warning|make sure|let) ~3 (everyone|everybody|all my friends|my friends|people|my followers|the world|others|all my|every|anyone) ~6 (know|knows|about|avoid|how|what|never|not to|to avoid|stay away)`,
      `(run|own|write|manage|i have) (a|an|my)? ~2 (blog|channel|vlog|podcast)`,
      `(going|go|gone|goes) viral`,
      `(contacted|contacting|contact|spoken to|speaking to|spoke to|gone to|going to|go to|reached out to|been in touch with|in touch with|tipped off|emailed|written to|writing to|wrote to) ~4 (consumer column|column|newspaper|newspapers|the paper|local paper|press|journalist|journalists|reporter|reporters|media|bbc|news desk|consumer programme|consumer show|watchdog)`,
      `(going|goes|go|went|put|putting) (on|onto|up on) (social media|socials|twitter|facebook|instagram|tiktok|reddit|the internet|youtube|linkedin)`,
      `(share|sharing|post|posting|tell|telling|spread|spreading|shout|shouting) ~4 (everywhere|far and wide|with everyone|to everyone|online|publicly|all over)`,
      `people (need|deserve|should|ought|have) to (know|hear|be warned)`,
      `(screenshot|screenshots|screenshotted|screenshotting) ~6 (post|share|twitter|social|everyone|online|instagram|facebook)`,
    ],
  },
];

const DISPUTE_WORDS = /claim|dispute|chargeback|fraud|revers|unauthori|clawed|charged back|blocked|stopped|frozen/;

/** the sentence holding position at ends with "?" */
function asked(text: string, at: number): boolean {
  for (let k = at + 1; k < text.length; k++) {
    const c = text[k]!;
    if (c === '?') return true;
    if (c === '.' || c === '!') return false;
  }
  return false;
}

/** what follows "cancel my membership" when only the mailing is meant */
const MAILING = /^ (?:email|emails|e mail|e mails|newsletter|newsletters|mailing|mailings|marketing|promo|promotional|texts|sms|notifications)\b/;
/** the legal keyword reported is the noun the customer used ("lawyer"), else "legal action" */
const LEGAL_NOUN = /\b(lawyer|attorney|solicitor|court)s?\b/;

const COMPILED = compileTagged(THREATS.map((t) => [t, t.patterns] as const));
const GATE = compileGate(
  THREATS.flatMap((t) => t.patterns),
  ['transaction|transactions|purchase|purchases|charge|charges|payment|payments|debit|debits never|not'],
);

/** False when findThreats(tokenText(toks)) is certainly empty (no pattern has all the words it needs). */
export function mayThreaten(toks: readonly string[], hashes: readonly number[]): boolean {
  return gateOpen(GATE, toks, hashes);
}

/** The patterns findThreats() may match in a text made of these tokens (openPatterns key), or null when none. */
export function threatPatterns(toks: readonly string[], hashes: readonly number[]): string | null {
  return openPatterns(GATE, toks, hashes);
}

export const THREAT_CUES: readonly string[] = [
  ...'bank banks card visa mastercard amex paypal klarna society claim claims dispute chargeback fraud fraudulent unauthorised unauthorized payment payments direct debit stop stopping stopped block blocking blocked freeze froze report reporting reported'.split(
    ' ',
  ),
  ...'lawyer lawyers attorney attorneys solicitor solicitors legal court claims consumer illegal unlawful law contract statutory ombudsman legally authorities police regulator regulators watchdog standards ftc cma bbb bureau general'.split(
    ' ',
  ),
  ...'close closing delete deleting remove removing cancel cancelling canceling terminate terminating deactivate deactivating shut shutting account accounts membership everything all lot unsubscribe send sending return returning'.split(
    ' ',
  ),
  ...'never not wont last final business money custom elsewhere forget forgetting give gave done finished through fed longer trust'.split(' '),
  ...'followers subscribers readers viewers fans audience readership community review reviews rating ratings trustpilot yelp google tripadvisor reddit twitter tiktok instagram facebook youtube social socials news newspaper paper papers press journalist journalists bbc column blog forum forums linkedin mumsnet group groups everyone everybody friends people world others anyone channel vlog podcast newsletter viral screenshot screenshots screenshotted screenshotting tweet tweeting'.split(
    ' ',
  ),
];

export interface ThreatFinding {
  keyword: string;
  flag: RiskFlag | null;
  match: string;
  /** where the match starts in the tokenText (the space before it) */
  at: number;
}

/** Disputes, legal threats, churn and public threats in one message's tokenText. */
export function findThreats(text: string, open?: string | null): ThreatFinding[] {
  const found: { tag: ThreatKind; match: string; at: number }[] = [];
  matchTagged(COMPILED, text, found, open);
  const out: ThreatFinding[] = [];
  for (const f of found) {
    const t = f.tag;
    if (t.statementOnly === true && inQuestion(text, f.at + 1)) continue;
    // "do I get the money back to Klarna or to my card?": asking how refunds go, not disputing
    if (t.flag === 'chargeback' && !DISPUTE_WORDS.test(f.match) && asked(text, f.at)) continue;
    // "I was worried someone had used my card but it was my son": a fear that turned out wrong
    if (t.keyword === FRAUD && FEARED.test(text.slice(Math.max(0, f.at - 40), f.at + 1))) continue;
    // "cancel my membership email newsletter, not my account": the mailing list, not the account
    if (t.keyword === 'account closure' && MAILING.test(text.slice(f.at + 1 + f.match.length, f.at + 1 + f.match.length + 30))) continue;
    const noun = t.flag === 'legal_threat' ? LEGAL_NOUN.exec(f.match) : null;
    out.push({ keyword: noun !== null ? noun[1]! : t.keyword, flag: t.flag, match: f.match, at: f.at });
  }
  return out;
}
