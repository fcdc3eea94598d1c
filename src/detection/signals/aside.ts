/**
 * A risk word (safety, legal, payment dispute) said in passing, not told as something that happened,
 * in a conversation that then ended calm (w45/w46, longer conversations):
 *
 * - asked in its own clause: "It smells like smoke?", "does your company have a policy on allergic
 *   reactions?", "is there a chargeback risk if I use PayPal?" (not "why did my charger catch fire?",
 *   not "my son burned his hand, is that normal?": the burn is told before the question);
 * - hearsay asked about or laughed off: "my neighbour says his old one caught fire when charging, is
 *   that a thing?", "my sister says the last red one burned her eyes haha" (not "my wife says the
 *   charger burned her hand": told, so it stays);
 * - a joke taken back or a what-if with a laugh: "the slime kit exploded a bit lol but it's still
 *   usable", "ha, my flatmate will think something's on fire";
 * - read somewhere and asked about: "I saw a post on Reddit saying your salmon gave people food
 *   poisoning. Is that true?" (w48), the question one or two sentences on: "I read online that lithium
 *   batteries can catch fire on planes. I'm flying with one next month. Is that allowed?" (w49);
 * - what the customer's old one did, told to ask about a new one: "the old one snapped a pole and
 *   nearly collapsed on us, so how does this one cope with wind?" (w50; not "my old one from you");
 * - a payment dispute at another shop: "last time I bought from a different shop I had to threaten a
 *   chargeback" (w47);
 * - a near miss with the customer's old one ("my old one had none of that and i nearly blew the fuse
 *   box", w54), or what the old ones did when the new ones do not ("the old ones made my eyes burn by
 *   evening, these no", w55);
 * - someone else's passing feeling told after a question: "Is it difficult to get used to them? My
 *   colleague said she felt dizzy at first." (w55; not when someone fell or was hurt);
 * - a lawyer to read the terms before a purchase: "our lawyer will want to look at the terms", "I'll
 *   get the lawyer to have a look" (not "my lawyer has looked at it and you are in breach").
 *
 * Asked without a calm ending: a dispute only feared or wondered about, ruled out ("so I shouldn't dispute it"),
 * only the bank's question, or "dispute" of an argument between people (`fearedDispute`, `disputeDeclined`,
 * `argumentNotPayment`).
 *
 * The detector asks this only when the customer's last message is calm (`endsCalm`: thanks or praise,
 * no question, nothing still wrong) and, except for the lawyer, only of earlier messages: a real
 * injury, fire, shock or reaction told by the customer stays URGENT even when the last message is
 * "ok thanks".
 */

import { isClauseMark, isSentenceMark } from './pattern.ts';

/** thanks or praise in the customer's last message */
const CALM_WORDS =
  / (?:thanks|thank|thx|ty|ta|cheers|lovely|great|perfect|brilliant|sorted|amazing|appreciate|appreciated|recommend|love it|got it|that clears it up|that's all|that is all|sounds (?:fair|good|great|perfect)|(?:i|we) will go ahead) /;
/** something still wrong, or a worry, in the last message */
const NOT_CALM =
  / (?:still|but|however|hospital|doctor|gp|vet|ambulance|hurt|hurts|hurting|injured|injury|pain|sore|burn|burned|burnt|fire|smoke|shock|reaction|unacceptable|disappointed|disgusting|ridiculous|refund|complaint|(?<! was | were )worried|(?<! was | were )scared|not|never|no one|nobody|wont|cant|cannot|didnt(?! know| realise| realize)|doesnt|isnt|wasnt|dont|havent|hasnt|as usual|(?<! thanks | thank you | thanks once | thank you once )again|supposed to) /;

/** The customer's last message (tokenText) ends the conversation calm: thanks or praise, no question, nothing still wrong. */
export function endsCalm(text: string): boolean {
  return text.indexOf(' ? ') < 0 && CALM_WORDS.test(text) && !NOT_CALM.test(text);
}

/** The customer's last message (tokenText) asks nothing and has nothing still wrong (endsCalm without the thanks): "fine, i'll pop in and have a look". */
export function endsQuiet(text: string): boolean {
  return text.indexOf(' ? ') < 0 && !NOT_CALM.test(text);
}

/** start of the sentence holding position at (just after ". ", "! ", "? ") */
function sentenceStart(text: string, at: number): number {
  let k = at;
  while (k > 1 && !(text.charCodeAt(k - 1) === 32 && isSentenceMark(text, k - 2))) k--;
  return k;
}

/** end of the sentence holding position at (the ".", "!", "?" or the end) */
function sentenceEnd(text: string, at: number): number {
  let k = at;
  while (k < text.length && !isSentenceMark(text, k)) k++;
  return k;
}

/** the clause holding position at ends with "?" (clauses end at "," "." "!" "?") */
function clauseAsked(text: string, at: number): boolean {
  for (let k = at; k < text.length; k++) {
    const c = text[k]!;
    if (c === '?') return true;
    if (c === '.' || c === '!' || c === ',' || c === ';') return false;
  }
  return false;
}

/** the start of the clause holding position at */
function clauseStart(text: string, at: number): number {
  let k = at;
  while (k > 1 && !(text.charCodeAt(k - 1) === 32 && isClauseMark(text, k - 2))) k--;
  return k;
}

/** a question about the customer's own thing or why it happened: an incident asked about, kept */
const OWN_INCIDENT_ASKED = / (?:why|how come|my|our|his|her|their|me|us|him|them|we) /;
/** someone else said it: "my neighbour says", "my sister said", "people say" */
const HEARSAY =
  / (?:(?:my|our|a|his|her) (?:neighbour|neighbor|neighbours|neighbors|sister|brother|friend|friends|mate|mates|flatmate|housemate|colleague|colleagues|cousin|mum|mom|mam|dad|husband|wife|partner|boyfriend|girlfriend|aunt|uncle|nan|gran|son|daughter)|someone|somebody|people|everyone|they) (?:says|said|say|reckons|reckoned|told me|tells me|swears|claims|claimed|thinks) /;
/** read or seen somewhere: "I saw a post on Reddit saying", "I read a review that" */
const READ_SOMEWHERE =
  / (?:saw|seen|read|heard|watched) (?:a |an |some |this )?(?:post|posts|review|reviews|video|videos|thread|article|comment|comments|tweet|tiktok|something|online|on)(?: [^ .,!?]+){0,3} (?:saying|says|said|that|claiming|about) /;
/** the sentence after asks whether it is so: "… gave people food poisoning. Is that true?" */
const ASKED_NEXT = /^[.!] (?:is|was) (?:that|it|this) (?:true|right|real|correct|a thing|legit) \?/;
/** one of the next two sentences is a question: "I read online that … can catch fire on planes. I'm flying next month with one. Is that allowed?" */
const ASKED_SOON = /^[.!] (?:[^.!?]+ [.!] )?[^.!?]+ \?/;
/** a worry that is over: "I was worried I'd have to dispute it with the bank", "wasnt sure if i had to open a dispute with the bank" */
const WORRY_OVER =
  / (?:(?:was|were) (?:a bit |a little |so |really |slightly |quite )?(?:worried|afraid|scared|concerned|panicking|panicked)|(?:wasnt|werent|was not|were not) (?:really |quite |too )?sure) (?:that |if |whether )?(?:i|we) (?:would |might |could |had )?(?:have |need |had |needed )?(?:to )?(?:(?:raise|file|open|make|start|put in|go for|go through with) (?:a |an )?)?[^ ]+$/;
/** the customer's old one, replaced by what they ask about: "my old kettle caught fire so I need a new one, which is the safest?" (not "my old one from you") */
const OLD_ONE = / (?:(?:my|our|his|her|their) old [^ .,!?]+|the old (?:one|ones)) /;
const FROM_US = / (?:you|your|bought|ordered|purchased|sold|delivered) /;
/** the new ones are fine, told after what the old ones did: "these no", "these don't", "this one is fine" */
const NEW_ONES_FINE =
  /^[^.!?]{0,60}? (?:these|this one|the new ones?|the new [^ .,!?]+) (?:no|not|dont|doesnt|do not|does not|are fine|is fine|are perfect|is perfect|are great|are ok|arent|isnt)(?: |$)/;
/** the sentence before the one starting at `start` is a question */
function askedBefore(text: string, start: number): boolean {
  return text.slice(Math.max(0, start - 3), start).endsWith('? ');
}

/** heard or read of in general: "I've heard of electric things catching fire", "I read about laptops catching fire" */
const HEARD_OF = / (?:heard|read|seen|seeing|hearing|reading) (?:of|about) (?:[^ .,!?]+ ){0,4}[^ ]+$/;
/** a feeling that passed: "at first", "for a day or two" */
const PASSED = / (?:at first|initially|to begin with|for (?:a|the first) (?:day|few days|week|couple of days)|the first (?:day|few days|week)) /;
/** someone harmed, not just a feeling: then the hearsay is an incident told */
const HARMED = / (?:fell|fall|fallen|hurt|injured|hospital|doctor|ambulance|broke|burned|burnt|bleeding|collapsed|passed out|fainted) /;
/** only nearly happened: "i nearly blew the fuse box" (the hazard word straight after, or one word on) */
const NEAR_MISS = / (?:nearly|almost) (?:[^ .,!?]+ )?[^ ]+$/;
/** an argument between people, settled by asking: "I need to dispute something, lol, my husband and I are arguing about …" */
const ARGUMENT = / (?:arguing|argue|argued|argument|arguments|debate|debating|bet|settle|settled|win|won) /;
/** money in the sentence: then a dispute is about a payment whatever else is said */
const MONEY =
  / (?:charge|charges|charged|payment|payments|paid|pay|bank|card|paypal|klarna|refund|refunds|refunded|money|transaction|chargeback|fraud|order|purchase) /;

/**
 * "dispute" of an argument between people (a friendly one, settled by asking), not a payment: the message tells
 * of arguing or a bet and says nothing of money. A payment dispute names what it disputes ("dispute the charge").
 */
export function argumentNotPayment(text: string): boolean {
  return ARGUMENT.test(text) && !MONEY.test(text);
}
/** at another shop: "last time I bought from a different shop I had to threaten a chargeback" */
const OTHER_SHOP =
  / (?:a different|another|other|some other|a previous|the other|(?:the |my |a |our )?(?:last|previous)(?: (?!your |this |you )[^ .,!?]+)?) (?:shop|store|retailer|company|seller|website|site|brand|place|supplier|shops|stores|retailers|companies|sellers|websites|sites|brands) /;
/** a word OTHER_SHOP needs: a sentence names one only where its text does */
const SHOP_NOUN = / (?:shop|store|retailer|compan|seller|website|site|brand|place|supplier)/;
let shopText = '';
let shopNamed = false;
/** SHOP_NOUN in text, remembered for the last text (a message's keywords ask about the same text in turn) */
function namesAShop(text: string): boolean {
  if (text !== shopText) {
    shopText = text;
    shopNamed = SHOP_NOUN.test(text);
  }
  return shopNamed;
}
/** told of then, in the past: "I had to speak to a manager", "I ended up asking for a supervisor" */
const TOLD_PAST = / (?:had to|ended up|was told to|were told to|got to|asked for|asked to|went to|spoke to|talked to) /;
/** a hazard only predicted: "my mum says it'll explode", "my husband reckons it could catch fire" (nothing happened) */
const PREDICTED = / (?:will|would|might|could|may|can|gonna|going to) (?:[^ .,!?]+ ){0,2}[^ ]$/;
const LAUGH = / (?:lol|lols|haha|hahaha|hahah|ha|hah|lmao|lmfao|rofl|jk|😂|🤣|😅|😆) /;
/** the joke taken back or only imagined: "exploded a bit … still usable", "will think something's on fire" */
const TAKEN_BACK =
  / (?:a bit|a little|a tiny bit|slightly|still usable|still works|still working|still fine|still good|it fine|it's fine|no harm|no harm done|will think|would think|'ll think|might think|will assume|would assume|sound|sounds|look like|looks like) /;
/** a lawyer to read something: "look at the terms", "have a look", "review the contract" */
const LAWYER_READS =
  / (?:look at|look over|looks at|looking at|looking over|have a look|take a look|a look|read|read through|reading about|read about|looked into|looking into|review|go through|go over|check|check over|check through) /;
/** a grievance in the same sentence: then the lawyer is brought in against the shop */
const GRIEVANCE =
  / (?:breach|breached|owe|owed|refund|money back|claim|compensation|damages|court|sue|suing|legal action|rights|unlawful|illegal|fraud|scam|complaint|this mess|what you did|what you've done) /;

/**
 * A person asked for at another shop, told in the past: "last time at another shop they refused and I
 * had to speak to a manager" (w52) — what happened there, told as the reason to ask, not a request here.
 */
export function personAtOtherShop(text: string, at: number): boolean {
  if (!namesAShop(text)) return false;
  const sentence = `${text.slice(Math.max(0, sentenceStart(text, at) - 1), sentenceEnd(text, at))} `;
  return OTHER_SHOP.test(sentence) && TOLD_PAST.test(text.slice(Math.max(0, sentenceStart(text, at) - 1), at + 1));
}

export type AsideKind = 'safety' | 'legal' | 'dispute';

/**
 * The risk word at position at of a message's tokenText is said in passing (see above): asked in its
 * own clause, hearsay asked about or laughed off, a joke taken back, or a lawyer to read the terms.
 */
export function toldAside(text: string, at: number, kind: AsideKind): boolean {
  const start = sentenceStart(text, at);
  const end = sentenceEnd(text, at);
  const sentence = `${text.slice(Math.max(0, start - 1), end)} `;
  if (kind === 'legal') return LAWYER_READS.test(sentence) && !GRIEVANCE.test(sentence);
  if (clauseAsked(text, at) && !OWN_INCIDENT_ASKED.test(text.slice(Math.max(0, clauseStart(text, at) - 1), at + 1))) return true;
  const before = text.slice(Math.max(0, start - 1), at + 1);
  if (HEARSAY.test(before) && (text[end] === '?' || LAUGH.test(sentence))) return true;
  // "my mum says it'll explode": someone else's prediction, nothing happened (before a calm last message)
  if (kind === 'safety' && HEARSAY.test(before) && PREDICTED.test(before)) return true;
  // "I saw a post on Reddit saying your salmon gave people food poisoning. Is that true?"
  if (READ_SOMEWHERE.test(sentence) && (text[end] === '?' || ASKED_NEXT.test(text.slice(end, end + 30)) || ASKED_SOON.test(text.slice(end, end + 240))))
    return true;
  // what the customer's old one did, told to ask about a new one
  if (kind === 'safety' && text[end] === '?' && OLD_ONE.test(before) && !FROM_US.test(sentence)) return true;
  // a near miss with the customer's old one, told before buying a new one: "my old one had none of that and i nearly blew the fuse box"
  if (kind === 'safety' && OLD_ONE.test(sentence) && !FROM_US.test(sentence) && NEAR_MISS.test(before)) return true;
  // the same told with the near miss after the failure: "the old one's brake snapped off last week, she nearly went flying. she's fine"
  if (
    kind === 'safety' &&
    OLD_ONE.test(` ${text.slice(Math.max(0, start - 1), at + 60)} `) &&
    !FROM_US.test(sentence) &&
    / (?:nearly|almost) /.test(text.slice(at, end + 1)) &&
    !HARMED.test(sentence)
  )
    return true;
  // the customer's old ones did it, the new ones do not: "the old ones made my eyes burn by evening, these no"
  if (kind === 'safety' && OLD_ONE.test(before) && !FROM_US.test(sentence) && NEW_ONES_FINE.test(text.slice(at))) return true;
  // heard or read of in general, asked about: "Is it safe? I've heard of electric things catching fire."
  if (kind === 'safety' && HEARD_OF.test(before) && (askedBefore(text, start) || text[end] === '?')) return true;
  // someone else's experience, told after a question about it: "Is it difficult to get used to them? My colleague said she felt dizzy at first."
  if (kind === 'safety' && HEARSAY.test(before) && askedBefore(text, start) && PASSED.test(sentence) && !HARMED.test(sentence)) return true;
  // a payment dispute at another shop, told as the reason to ask: "last time … from a different shop I had to threaten a chargeback"
  if (kind === 'dispute' && OTHER_SHOP.test(sentence)) return true;
  return LAUGH.test(sentence) && TAKEN_BACK.test(sentence);
}

/**
 * A payment dispute the customer only feared, in the past: "I was worried I'd have to dispute it with
 * the bank" (w50). No threat whatever the ending, so asked without endsCalm (a threat made after it,
 * "… and now I will dispute it", is read on its own).
 */
export function fearedDispute(text: string, at: number): boolean {
  return WORRY_OVER.test(text.slice(Math.max(0, sentenceStart(text, at) - 1), at + 1));
}

/** a dispute ruled out, or only the bank's question: "so I shouldn't dispute it", "no need to dispute it", "asked if I want to dispute it" */
const DISPUTE_DECLINED =
  / (?:wont|will not|shouldnt|should not|didnt|did not|wasnt going to|not going to|no need to|dont need to|do not need to|dont have to|do not have to|neednt|(?:asked|asking|asks) (?:me |us )?(?:if|whether) (?:i|we) (?:want|wanted|would like|wish|wished) to|nearly|almost) (?:[^ .,!?]+ ){0,2}[^ ]+$/;

/** an intention told in the past: "i was about to open a dispute lol", "I was about to call my bank and cancel the card" */
const INTENTION_OVER =
  / (?:i|we) (?:(?:was|were) (?:just |literally |so |really )?(?:about to|going to|gonna|ready to|this close to|close to)|nearly|almost) [^ ]+$/;

/** A payment dispute the customer was about to start, in a conversation that ended calm (asked with endsCalm: "I was about to call my bank" then "still nothing" is no calm end). */
export function disputeIntentionOver(text: string, at: number): boolean {
  return INTENTION_OVER.test(text.slice(Math.max(0, sentenceStart(text, at) - 1), at + 1));
}

/** a condition after a dispute ruled out makes it a threat ("I won't dispute it if you refund me today"), a yes to the bank a dispute */
const ON_CONDITION = / (?:if|unless|as long as|provided|providing|until|so long as|said yes|agreed|went ahead|told them to|did it|have done|have now) /;

/** A payment dispute the customer rules out ("so I shouldn't dispute it") or only reports the bank asking about, with no condition after it. */
export function disputeDeclined(text: string, at: number): boolean {
  return DISPUTE_DECLINED.test(text.slice(Math.max(0, sentenceStart(text, at) - 1), at + 1)) && !ON_CONDITION.test(`${text.slice(at, sentenceEnd(text, at))} `);
}

/** position in tokenText(toks) of token i (its first character) */
export function tokenOffset(toks: readonly string[], i: number): number {
  let at = 1;
  for (let k = 0; k < i; k++) at += toks[k]!.length + 1;
  return at;
}

/** praise more than a bare "ok thanks": "Lovely. Thanks!", "good service", "10/10 would recommend", "saved my sunday roast" */
const WARM =
  / (?:lovely|great|perfect|brilliant|amazing|fab|fabulous|fantastic|excellent|awesome|superb|cheers|good service|great service|recommend|saved|unreal|reassuring|full set|sorted|love it|😍|🥰|🙏|😁|😊|💚|❤️|👍) /;

/**
 * An earlier problem settled by a calm ending several turns later: the customer's last message
 * (tokenText) is calm (`endsCalm`: "Lovely. Thanks!", "cool no rush, just checking. thanks") at least
 * two customer messages after the last problem told. A thanks right after the problem does not settle
 * it ("Great to know. Top-notch service all round" after "They arrived Tuesday" is irony).
 */
export function settledByCalmEnd(text: string, messagesSinceProblem: number): boolean {
  return messagesSinceProblem >= 2 && endsCalm(text);
}

/** The customer's last message (tokenText) is calm and warm: "Brilliant, I'll keep the labels then", "Lovely. Thanks!" */
export function endsWarm(text: string): boolean {
  return endsCalm(text) && WARM.test(text);
}

/** a laugh in a message (tokenText): "ha", "haha", "lol", 😂 — praise beside it is a joke shared, not irony */
export function laughs(text: string): boolean {
  return LAUGH.test(text);
}
