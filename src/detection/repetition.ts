/**
 * REPEATED_QUESTION: the customer asking the same thing again.
 *
 * 1. Similar messages: among the last MAX_REPEAT_MESSAGES customer messages, each message whose
 *    content words (stop words, greetings and acknowledgements removed; then stemmed and mapped to
 *    support-chat concepts by signals/normalise.ts, so "refund" = "reimbursed" = "money back") have a
 *    Jaccard similarity ≥ REPEAT_SIMILARITY with an earlier one, or share ≥ MIN_SHARED of them making
 *    ≥ REPEAT_OVERLAP of the shorter message, counts as one repeat. Messages with fewer than
 *    MIN_CONTENT_WORDS content words ("ok", "thanks", "hello?") are ignored.
 * 2. Explicit phrases: "I already asked", "asking again", "how many times", "this is the third time
 *    I'm asking" (an ordinal N counts N − 1 repeats), "I've asked 4 times" (N − 1) — not when asking
 *    for someone else ("asking again for my sister") or apologising ("sorry, I asked the same thing").
 *
 * value = max(similar repeats, explicit repeats).
 */
import { phraseWords } from './tokenize.ts';
import { PhraseTrie, type PhraseMatch } from './trie.ts';

export const MAX_REPEAT_MESSAGES = 12;
export const REPEAT_SIMILARITY = 0.6;
export const MIN_CONTENT_WORDS = 2;
/** content words per message considered */
export const MAX_CONTENT_WORDS = 40;

export const STOP = new Set([
  'i',
  'me',
  'my',
  'mine',
  'we',
  'our',
  'us',
  'you',
  'your',
  'yours',
  'it',
  'its',
  'this',
  'that',
  'these',
  'those',
  'the',
  'a',
  'an',
  'and',
  'or',
  'but',
  'so',
  'of',
  'to',
  'in',
  'on',
  'at',
  'for',
  'with',
  'from',
  'by',
  'about',
  'is',
  'am',
  'are',
  'was',
  'were',
  'be',
  'been',
  'being',
  'do',
  'does',
  'did',
  'have',
  'has',
  'had',
  'will',
  'would',
  'can',
  'could',
  'should',
  'shall',
  'may',
  'might',
  'must',
  'just',
  'there',
  'here',
  'then',
  'than',
  'too',
  'also',
  'very',
  'really',
  'any',
  'some',
  'all',
  'up',
  'out',
  'if',
  'as',
  'he',
  'she',
  'they',
  'them',
  'his',
  'her',
  'their',
  'what',
  'again',
  'still',
  'please',
  'pls',
  'plz',
  'now',
  // greetings and acknowledgements
  'hi',
  'hello',
  'hey',
  'ok',
  'okay',
  'k',
  'thanks',
  'thank',
  'thx',
  'ty',
  'yes',
  'yeah',
  'yep',
  'no',
  'nope',
  'sure',
  'great',
  'cool',
  'fine',
  'good',
  'bye',
  'goodbye',
  'morning',
  'afternoon',
  'evening',
  'alright',
  'right',
  'got',
  'understood',
  'hmm',
  'oh',
  'ah',
  'lol',
]);

const ORDINALS = new Map<string, number>(
  Object.entries({
    second: 2,
    '2nd': 2,
    third: 3,
    '3rd': 3,
    fourth: 4,
    '4th': 4,
    fifth: 5,
    '5th': 5,
    sixth: 6,
    '6th': 6,
    seventh: 7,
    '7th': 7,
    eighth: 8,
    '8th': 8,
    ninth: 9,
    '9th': 9,
    tenth: 10,
    '10th': 10,
    nth: 3,
    umpteenth: 4,
    hundredth: 10,
    millionth: 10,
  }),
);
const COUNTS = new Map<string, number>(
  Object.entries({
    two: 2,
    three: 3,
    four: 4,
    five: 5,
    six: 6,
    seven: 7,
    eight: 8,
    nine: 9,
    ten: 10,
    several: 3,
    multiple: 3,
    many: 3,
    numerous: 3,
    countless: 5,
    twice: 2,
  }),
);
/** verbs that make an ordinal/count about asking: "third time I'm asking", "asked 4 times" */
const ASK_VERBS = new Set([
  'ask',
  'asked',
  'asking',
  'asks',
  'contact',
  'contacted',
  'contacting',
  'write',
  'writing',
  'wrote',
  'written',
  'call',
  'called',
  'calling',
  'message',
  'messaged',
  'messaging',
  'email',
  'emailed',
  'emailing',
  'tell',
  'told',
  'telling',
  'explain',
  'explained',
  'explaining',
  'reach',
  'reached',
  'reaching',
  'request',
  'requested',
  'requesting',
  'chat',
  'chatted',
  'chatting',
  'repeat',
  'repeating',
  'said',
  'say',
  'saying',
  'mention',
  'mentioned',
  'question',
]);

/** every explicit claim contains one of these words; a message without any is skipped at once */
export const CUES = new Set<string>([
  'times',
  'twice',
  'asked',
  'asking',
  'ask',
  'told',
  'said',
  'explained',
  'repeat',
  'repeating',
  'question',
  'again',
  'over',
  ...ORDINALS.keys(),
]);

const EXPLICIT = new PhraseTrie<number>();
for (const p of [
  'already asked',
  'asked already',
  'asked before',
  'asked you before',
  'asked this before',
  'asking again',
  'ask again',
  'asked again',
  'i keep asking',
  'keep asking',
  'keeps asking',
  'i already told you',
  'already told you',
  'told you already',
  'told you before',
  'already said',
  'already explained',
  'explained already',
  'repeat myself',
  'repeating myself',
  'same question',
  'said this before',
  'asked the same',
  'as i said',
  'like i said',
  'as i already said',
  'once again',
])
  EXPLICIT.add(phraseWords(p), 1);
EXPLICIT.add(phraseWords('how many times'), 2);
EXPLICIT.add(phraseWords('over and over'), 2);
EXPLICIT.add(phraseWords('again and again'), 2);

const BEHALF = new Set(['my', 'his', 'her', 'their', 'a', 'an', 'someone', 'somebody', 'another', 'our']);

/** who else may keep asking: "my friends keep asking where I got them", "people keep asking" — not the customer */
const OTHERS_ASKING = new Set(['he', 'she', 'they', 'people', 'everyone', 'everybody', 'someone', 'somebody', 'customers', 'followers', 'friends', 'mates']);
const OWNER = new Set(['my', 'our', 'his', 'her', 'their']);

/** "my friends keep asking", "people keep asking": someone else asks the customer, nobody repeats a question here */
function othersAsking(words: readonly string[], m: PhraseMatch<number>): boolean {
  const first = words[m.start]!;
  if (first !== 'keep' && first !== 'keeps') return false;
  const before = words[m.start - 1] ?? '';
  return OTHERS_ASKING.has(before) || OWNER.has(words[m.start - 2] ?? '');
}

/** "thank you once again", "thanks once again": thanks repeated, not a question */
function thanksBefore(words: readonly string[], m: PhraseMatch<number>): boolean {
  if (words[m.start] !== 'once') return false;
  const before = words[m.start - 1] ?? '';
  return before === 'thanks' || before === 'thx' || (before === 'you' && words[m.start - 2] === 'thank');
}

function apologisesBefore(words: readonly string[], at: number): boolean {
  for (let k = at - 1; k >= 0 && k >= at - 4; k--) if (words[k] === 'sorry' || words[k] === 'apologies') return true;
  return false;
}

function countWord(w: string): number {
  const c = w.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    const v = Number(w);
    return Number.isFinite(v) ? v : 0;
  }
  return COUNTS.get(w) ?? 0;
}

function askVerbNear(words: readonly string[], from: number, to: number): boolean {
  const a = Math.max(from, 0);
  const b = to >= words.length ? words.length - 1 : to;
  for (let k = a; k <= b; k++) if (ASK_VERBS.has(words[k]!)) return true;
  return false;
}

/** Repeats claimed explicitly by one message ("third time I'm asking" → 2), 0 if none; `hashes`: hashWord() of each word, when known. */
export function explicitRepeats(words: readonly string[], hashes?: readonly number[]): number {
  const n = words.length;
  let cue = false;
  for (let k = 0; k < n; k++) {
    if (CUES.has(words[k]!)) {
      cue = true;
      break;
    }
  }
  if (!cue) return 0;
  let best = 0;
  const out: PhraseMatch<number>[] = [];
  EXPLICIT.scan(words, out, hashes);
  for (const m of out) {
    const after = words[m.start + m.len];
    // "asking again for my sister": on someone's behalf; "sorry, I asked the same thing earlier": an apology
    if (after === 'for' && BEHALF.has(words[m.start + m.len + 1] ?? '')) continue;
    if (apologisesBefore(words, m.start)) continue;
    if (othersAsking(words, m) || thanksBefore(words, m)) continue;
    if (m.value > best) best = m.value;
  }
  for (let k = 0; k < n; k++) {
    const w = words[k]!;
    const next = k + 1 < n ? words[k + 1]! : '';
    // "third time (I'm) asking", "asking for the third time"
    const ord = ORDINALS.get(w);
    if (ord !== undefined && (next === 'time' || next === 'request' || next === 'attempt')) {
      if (askVerbNear(words, k - 5, k + 5) && ord - 1 > best) best = ord - 1;
      continue;
    }
    // "asked 4 times", "I've called three times", "asked twice"
    if (next === 'times' || w === 'twice') {
      const c = countWord(w);
      if (c >= 2 && askVerbNear(words, k - 4, k + 4)) {
        const r = Math.min(c, 20) - 1;
        if (r > best) best = r;
      }
    }
  }
  return best;
}

/** Distinct content words of a message (stop words, greetings, acknowledgements removed), at most
 *  MAX_CONTENT_WORDS, in order of appearance. */
export function contentWords(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let k = 0; k < words.length && out.length < MAX_CONTENT_WORDS; k++) {
    const w = words[k]!;
    if (!STOP.has(w) && out.indexOf(w) < 0) out.push(w);
  }
  return out;
}

/** Jaccard similarity of two distinct-word lists. */
export function jaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let inter = 0;
  for (let k = 0; k < a.length; k++) if (b.indexOf(a[k]!) >= 0) inter++;
  return inter / (a.length + b.length - inter);
}

/**
 * The same question reworded: two messages share ≥ MIN_SHARED content words (concepts, see
 * signals/normalise.ts) making up ≥ REPEAT_OVERLAP of the shorter one ("does the sofa come with the
 * legs attached" / "will I need to screw the legs on myself when it arrives").
 */
export const REPEAT_OVERLAP = 0.66;
export const MIN_SHARED = 2;

function overlapEnough(a: readonly string[], b: readonly string[]): boolean {
  const shorter = a.length < b.length ? a : b;
  const longer = a.length < b.length ? b : a;
  const need = Math.max(MIN_SHARED, Math.ceil(REPEAT_OVERLAP * shorter.length - 1e-9));
  let inter = 0;
  for (let k = 0; k < shorter.length; k++) {
    if (longer.indexOf(shorter[k]!) >= 0) {
      if (++inter >= need) return true;
    } else if (inter + (shorter.length - k - 1) < need) return false;
  }
  return false;
}

/**
 * Two questions about the same specific thing: they share a word that is not a generic concept, a
 * number or a short word ("is the mattress firm or soft" / "how firm is it on a scale of 1 to 10"),
 * and what they share is ≥ SUBJECT_OVERLAP of the shorter one.
 */
export const SUBJECT_OVERLAP = 0.33;
export const SUBJECT_MAX_RATIO = 2;

/** words that take an answer in ("perfect.", "great,", "haha"), never the subject a question asks about */
const TAKES_IN = new Set([
  'perfect',
  'great',
  'lovely',
  'brilliant',
  'awesome',
  'amazing',
  'fantastic',
  'excellent',
  'super',
  'sweet',
  'cool',
  'nice',
  'thanks',
  'cheers',
  'haha',
  'okay',
  'alright',
]);

function sameSubject(a: readonly string[], b: readonly string[]): boolean {
  const shorter = a.length < b.length ? a : b;
  const longer = a.length < b.length ? b : a;
  // a reworded question is about as long as the first; a long message sharing one noun asks something else
  if (longer.length > SUBJECT_MAX_RATIO * shorter.length) return false;
  let inter = 0;
  let specific = false;
  for (const w of shorter) {
    if (longer.indexOf(w) < 0) continue;
    inter++;
    const c = w.charCodeAt(0);
    // not "~concept", not a number, not "perfect" opening both ("haha perfect name. Is it easy to build?" … "perfect. And if it's too big can I swap it?")
    if (c !== 126 && !(c >= 48 && c <= 57) && w.length >= 4 && !TAKES_IN.has(w)) specific = true;
  }
  return specific && inter >= SUBJECT_OVERLAP * shorter.length;
}

/** jaccard(a, b) >= t, stopping as soon as the answer is known. */
function similarEnough(a: readonly string[], b: readonly string[], t: number): boolean {
  // J = I / (|A| + |B| − I) ≥ t  ⇔  I ≥ t (|A| + |B|) / (1 + t)
  const need = (t * (a.length + b.length)) / (1 + t) - 1e-9;
  let inter = 0;
  for (let k = 0; k < a.length; k++) {
    if (b.indexOf(a[k]!) >= 0) {
      if (++inter >= need) return true;
    } else if (inter + (a.length - k - 1) < need) return false;
  }
  return inter >= need;
}

/**
 * The customer asked something else in between ("do you sell lab-grown?" … "is there a price difference?" …
 * "can I get a lab-grown stone in platinum?"): a run of questions on one subject, each answered, not the
 * first asked again. Only the weak same-subject reading gives way; a question worded the same still repeats.
 */
function otherQuestionBetween(content: readonly (readonly string[])[], questions: readonly boolean[], j: number, k: number): boolean {
  for (let i = j + 1; i < k; i++) {
    const c = content[i]!;
    if (questions[i] === true && c.length > 0 && !sharesAny(c, content[j]!) && !sharesAny(c, content[k]!)) return true;
  }
  return false;
}

function sharesAny(a: readonly string[], b: readonly string[]): boolean {
  for (let k = 0; k < a.length; k++) if (b.indexOf(a[k]!) >= 0) return true;
  return false;
}

/** words a message may open with before what it says ("ok, but …", "yes but …", "right. no, …") */
const PUSHBACK_LEAD = new Set([
  'ok',
  'okay',
  'yes',
  'yeah',
  'yep',
  'right',
  'sure',
  'sorry',
  'hmm',
  'well',
  'fine',
  'alright',
  'um',
  'er',
  'erm',
  'so',
  'but',
  'no',
  'again',
]);
/** acknowledging what was said before objecting: "I know, but …", "I understand that, but …", "thanks, but …" */
const ACK_LEAD = new Set([
  'i',
  'know',
  'understand',
  'see',
  'get',
  'that',
  'appreciate',
  'realise',
  'realize',
  'understood',
  'thanks',
  'thank',
  'you',
  'cool',
  'great',
  'nice',
  'perfect',
  'noted',
  'fair',
  'enough',
]);
const SO_QUESTION = new Set([
  'is',
  'are',
  'will',
  'does',
  'do',
  'can',
  'could',
  'when',
  'what',
  'which',
  'how',
  'should',
  'would',
  'did',
  'has',
  'have',
  'where',
  'whats',
]);

/**
 * "cool, so will my payment come out today or on the 14th?", "so is that an animal leather or a
 * synthetic one?": a question opened by "so" right after an answer asks for what the answer left
 * out. Weaker than pushesBack: it counts as a repeat only against the question just before.
 */
export function reasksWithSo(toks: readonly string[]): boolean {
  const n = toks.length;
  if (n === 0 || toks[n - 1] !== '?') return false;
  for (let k = 0; k < n && k < 5; k++) {
    const t = toks[k]!;
    if (t === 'so') return SO_QUESTION.has(toks[k + 1] ?? '');
    if (!PUSHBACK_LEAD.has(t) && !ACK_LEAD.has(t) && t !== ',' && t !== '.' && t !== '!') return false;
  }
  return false;
}
/** a word after "no" that makes it a determiner ("no refund", "no express"), not the answer "no" ("no, I mean", "no I", "no the other one") */
function isWordAfterNo(t: string | undefined): boolean {
  if (t === undefined) return false;
  const c = t.charCodeAt(0);
  return c >= 97 && c <= 122 && !NO_ANSWER_NEXT.has(t);
}
const NO_ANSWER_NEXT = new Set([
  'i',
  'im',
  'ive',
  'id',
  'ill',
  'that',
  'thats',
  'it',
  'its',
  'the',
  'my',
  'not',
  'you',
  'we',
  'this',
  'what',
  'but',
  'sorry',
  'no',
  'a',
  'an',
  'actually',
  'wait',
  'please',
  'thanks',
  'thank',
  'they',
  'he',
  'she',
  'just',
  'again',
]);
/** "no worries", "no problem", "no bother": "no" + one of these acknowledges */
export const NO_ACK: ReadonlySet<string> = new Set(['worries', 'worry', 'problem', 'problems', 'prob', 'probs', 'bother', 'stress', 'biggie', 'rush']);
const NOT_WORDS = new Set(['not', 'didnt', 'doesnt', 'havent', 'hasnt', 'wasnt', 'isnt', 'dont', 'never', 'still']);
const ANSWER_WORDS = new Set([
  'answer',
  'answered',
  'answering',
  'asked',
  'asking',
  'question',
  'mean',
  'meant',
  'help',
  'helped',
  'helpful',
  'saying',
  'said',
  'want',
  'wanted',
  'need',
  'needed',
]);

/**
 * The customer says the last answer missed, by the structure of the message rather than its topic:
 * it opens with a contrast or correction ("but …", "no, I mean …", "ok but …", "yes but …", "again, …",
 * "I meant …"), insists on an answer ("… or not?", "yes or no?"), or says the question was not
 * answered ("that's not what I asked", "you didn't answer", "doesn't help").
 */
export function pushesBack(toks: readonly string[], mayHaveMarkers = true): boolean {
  const n = toks.length;
  if (n === 0) return false;
  let k = 0;
  let opener = false;
  let acked = false;
  while (k < n) {
    const t = toks[k]!;
    // "no worries", "no problem": an acknowledgement, not a "no"
    if (t === 'no' && NO_ACK.has(toks[k + 1] ?? '')) {
      if (!opener) acked = true;
      k += 2;
      continue;
    }
    // "so no refund to card for sale stuff?": "no" after "so" names what there is none of (a check of the answer), it says no to nothing
    if (t === 'no' && k > 0 && toks[k - 1] === 'so' && isWordAfterNo(toks[k + 1])) break;
    // "yeah but then u guys just sent a new one": the story going on, told (not asked), corrects nothing
    if (t === 'but' && toks[k + 1] === 'then' && NARRATED_SUBJECT.has(toks[k + 2] ?? '') && toks[n - 1] !== '?') break;
    if (t === 'but' || t === 'no' || t === 'again' || t === 'nope') opener = true;
    else if (!opener && k < 6 && ACK_LEAD.has(t)) acked = true;
    else if (!PUSHBACK_LEAD.has(t) && t !== ',' && t !== '.' && t !== '...' && t !== '!') break;
    k++;
  }
  // "I know, but …" without the "but" is just an acknowledgement
  if (acked && !opener) k = n;
  // "no, that's all, thanks": closing, not pushing back
  if (opener && k < n && !(toks[k] === 'that' && (toks[k + 1] === 'all' || toks[k + 1] === 'is')) && toks[k] !== 'thanks' && toks[k] !== 'thank') return true;
  if (correctsReading(toks)) return true;
  // the caller knows from the word flags that none of PUSHBACK_MARKERS is in the message
  if (!mayHaveMarkers) return false;
  let end = n;
  while (end > 0 && (toks[end - 1] === '?' || toks[end - 1] === '!' || toks[end - 1] === '.')) end--;
  if (end >= 2 && toks[end - 2] === 'or' && (toks[end - 1] === 'not' || toks[end - 1] === 'no')) return true;
  for (let m = 0; m + 1 < n; m++) {
    const w = toks[m]!;
    if (!MARKER_STARTS.has(w)) continue;
    const x = toks[m + 1]!;
    // "thanks, but I mean …", "yes I did that already. I meant which date"
    if (w === 'i' && (x === 'mean' || x === 'meant') && toks[m - 1] !== 'what' && toks[m + 2] !== 'it') return true;
    // "what's the extra £6.20 for though?"
    if (w === 'though' && (x === '?' || x === '.' || x === '!')) return true;
    // "will I actually have it for Christmas?", "does it actually …": the answer dodged the question
    if (w === 'actually' && m <= 8 && endsAsking(toks)) return true;
    // "I'm just trying to find out …", "I just want to know …", "my question is …"
    if (w === 'just' && (x === 'trying' || x === 'want' || x === 'wanted' || x === 'asking' || x === 'need') && (toks[m + 2] === 'to' || x === 'asking')) {
      const v = toks[m + 3];
      if (x === 'asking' || v === 'find' || v === 'know' || v === 'understand' || v === 'get') return true;
    }
    if (w === 'my' && x === 'question' && (toks[m + 2] === 'is' || toks[m + 2] === 'was')) return true;
    // "… doesn't show an address. so again: warehouse or seller?": a sentence that opens by asking again
    if (w === 'again' && m > 0 && (x === ',' || x === ':') && endsAsking(toks) && opensSentence(toks, m)) return true;
    // "I did that already", "I've done this already", "I'm aware of that page"
    if (
      (w === 'did' || w === 'done' || w === 'tried' || w === 'explained' || w === 'told' || w === 'said') &&
      (x === 'this' || x === 'that' || x === 'it' || x === 'you') &&
      toks[m + 2] === 'already'
    )
      return true;
    if (w === 'aware' && x === 'of' && (toks[m + 2] === 'that' || toks[m + 2] === 'this')) return true;
    // "to put it another way: …", "let me put it differently", "let me rephrase": the customer rewords their own question
    if (w === 'put' && (x === 'it' || x === 'this') && (toks[m + 2] === 'differently' || (toks[m + 2] === 'another' && toks[m + 3] === 'way'))) return true;
    // "plant-based is good, but I need to know whether they are certified": what the answer gave, and what it left out
    if (
      (w === 'need' || w === 'needed' || w === 'want' || w === 'wanted') &&
      m >= 2 &&
      toks[m - 1] === 'i' &&
      toks[m - 2] === 'but' &&
      x === 'to' &&
      toks[m + 2] === 'know'
    )
      return true;
    if ((w === 'rephrase' || w === 'reword') && m > 0 && (toks[m - 1] === 'to' || toks[m - 1] === 'me')) return true;
    if (!NOT_WORDS.has(w)) continue;
    const a = toks[m + 1]!;
    const b = m + 2 < n ? toks[m + 2]! : '';
    const c = m + 3 < n ? toks[m + 3]! : '';
    // "didn't answer", "not what I asked", "doesn't answer my question", "not what I meant"
    if (a === 'answer' || a === 'answered' || a === 'helpful' || (a === 'help' && toks[m - 1] !== 'you') || a === 'helped') return true;
    if (a === 'what' && (b === 'i' || b === 'we') && ANSWER_WORDS.has(c)) return true;
    if ((a === 'my' || a === 'the') && b === 'question') return true;
  }
  return false;
}

/** who did what next in "but then <subject> …" */
const NARRATED_SUBJECT = new Set(['u', 'you', 'youve', 'yall', 'they', 'theyve', 'it', 'we', 'i', 'he', 'she', 'the', 'your', 'someone', 'somebody']);
const CORRECTED = new Set(['my', 'the', 'that', 'this', 'your', 'those', 'these', 'an', 'a']);
/** "not a problem", "not a big deal", "not the end of the world": no correction */
const NOT_CORRECTED = new Set(['problem', 'worry', 'bother', 'big', 'huge', 'end', 'bad', 'fan', 'clue', 'lot', 'single', 'chance', 'rush']);
/**
 * "Not my default address. The address on this order …", "not the tracking number, the order
 * number": a message opening with "not" + a short noun phrase cut off by a break — what the answer
 * took the question to be, corrected.
 */
function correctsReading(toks: readonly string[]): boolean {
  let k = 0;
  while (k < 3 && k < toks.length && (ACK_LEAD.has(toks[k]!) || toks[k] === ',')) k++;
  if (toks[k] !== 'not' || !CORRECTED.has(toks[k + 1] ?? '') || NOT_CORRECTED.has(toks[k + 2] ?? '')) return false;
  for (let m = k + 3; m < toks.length && m <= k + 6; m++) {
    const t = toks[m]!;
    if (t === '.' || t === ',' || t === '!' || t === ';') return m + 1 < toks.length;
  }
  return false;
}

/** Words without which pushesBack can only find an opening "but" / "no" (a per-message gate for callers with word flags). */
export const PUSHBACK_MARKERS: readonly string[] = [
  'mean',
  'meant',
  'though',
  'actually',
  'question',
  'already',
  'aware',
  'asking',
  'trying',
  'know',
  'find',
  'understand',
  'again',
  'put',
  'rephrase',
  'reword',
  ...NOT_WORDS,
];

/** toks[m] opens a sentence, perhaps after "so" / "ok" / "once" ("… . so again, …") */
function opensSentence(toks: readonly string[], m: number): boolean {
  let k = m - 1;
  if (k >= 0 && (toks[k] === 'so' || toks[k] === 'ok' || toks[k] === 'okay' || toks[k] === 'once' || toks[k] === 'right')) k--;
  return k < 0 || toks[k] === '.' || toks[k] === '!' || toks[k] === '?' || toks[k] === ',';
}

/** the first words of every marker pushesBack looks for inside a message */
const MARKER_STARTS = new Set([
  'i',
  'again',
  'though',
  'actually',
  'just',
  'my',
  'did',
  'done',
  'tried',
  'explained',
  'told',
  'said',
  'aware',
  'put',
  'rephrase',
  'reword',
  'need',
  'needed',
  'want',
  'wanted',
  ...NOT_WORDS,
]);

/** The message asks something: a "?" anywhere. */
function endsAsking(toks: readonly string[]): boolean {
  for (let k = toks.length - 1; k >= 0; k--) if (toks[k] === '?') return true;
  return false;
}

export interface RepetitionResult {
  repeats: number;
  /** indexes (into the list given) of the messages that repeat or claim a repeat, ascending */
  indexes: number[];
  explicit: number;
  similar: number;
}

/**
 * @param messagesWords the word tokens of the customer's messages, oldest first (only the last
 *   MAX_REPEAT_MESSAGES are compared)
 */
export function detectRepetition(messagesWords: readonly (readonly string[])[]): RepetitionResult {
  const content: string[][] = [];
  const explicit: number[] = [];
  for (const w of messagesWords) {
    content.push(contentWords(w));
    explicit.push(explicitRepeats(w));
  }
  return repetitionOf(content, explicit);
}

/**
 * Repetition from each customer message's contentWords() and explicitRepeats(), oldest first (only
 * the last MAX_REPEAT_MESSAGES are compared).
 */
export function repetitionOf(
  content: readonly (readonly string[])[],
  explicitByMessage: readonly number[],
  /** messages that announce a variation ("and for the dryer?", "what about Spain?"): not repeats */
  followUps?: readonly boolean[],
  /** messages that ask something (end with "?" or open with a question word) */
  questions?: readonly boolean[],
  /** messages that say the last answer missed (see pushesBack): one shared content word makes a repeat */
  pushbacks?: readonly boolean[],
  /** questions opened by "so" (reasksWithSo): one shared content word with the customer's question just before */
  soQuestions?: readonly boolean[],
  /** messages that take the last answer before asking on ("got it.", "that's fine, I'll go standard.", "fair enough"): a new question, unless worded the same */
  settled?: readonly boolean[],
): RepetitionResult {
  const n = content.length;
  const start = n > MAX_REPEAT_MESSAGES ? n - MAX_REPEAT_MESSAGES : 0;
  const hit: boolean[] = [];
  let similar = 0;
  let explicit = 0;
  for (let k = start; k < n; k++) {
    const e = explicitByMessage[k] ?? 0;
    if (e > 0) {
      hit[k] = true;
      if (e > explicit) explicit = e;
    }
    const set = content[k]!;
    if (followUps?.[k] === true) continue;
    // "no, I mean the delivery address — can it be changed?" after "how do I change the address?":
    // the customer says the answer missed and asks about the same subject again
    if (pushbacks?.[k] === true && set.length > 0) {
      let j = k - 1;
      while (j >= start && !sharesAny(content[j]!, set)) j--;
      if (j >= start) {
        similar++;
        hit[j] = true;
        hit[k] = true;
        continue;
      }
    }
    if (soQuestions?.[k] === true && set.length > 0 && k > start && questions?.[k - 1] === true && sharesAny(content[k - 1]!, set)) {
      similar++;
      hit[k - 1] = true;
      hit[k] = true;
      continue;
    }
    if (set.length < MIN_CONTENT_WORDS) continue;
    for (let j = start; j < k; j++) {
      const prev = content[j]!;
      if (prev.length < MIN_CONTENT_WORDS) continue;
      // |A ∩ B| ≤ min(|A|, |B|), so Jaccard ≤ min/max: skip pairs of very different sizes for it
      const lo = Math.min(prev.length, set.length);
      const hi = Math.max(prev.length, set.length);
      if (
        (lo >= REPEAT_SIMILARITY * hi && similarEnough(prev, set, REPEAT_SIMILARITY)) ||
        (settled?.[k] !== true &&
          (overlapEnough(prev, set) ||
            (questions?.[k] === true && questions[j] === true && sameSubject(prev, set) && !otherQuestionBetween(content, questions, j, k))))
      ) {
        similar++;
        hit[j] = true;
        hit[k] = true;
        break;
      }
    }
  }
  const indexes: number[] = [];
  for (let k = start; k < n; k++) if (hit[k] === true) indexes.push(k);
  return { repeats: Math.max(similar, explicit), indexes, explicit, similar };
}
