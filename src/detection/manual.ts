/**
 * Explicit requests for a person (MANUAL trigger): "can I talk to a human", "transfer me to an
 * agent", "I want a real person", "representative please", "get me your manager".
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
export const PERSON = new Set([
  'human', 'humans', 'person', 'agent', 'agents', 'representative', 'rep', 'manager', 'supervisor',
  'operator', 'someone', 'somebody', 'staff', 'employee', 'associate',
]);
/** Words without which a message cannot be a request for a person (a cheap pre-filter). */
export const PERSON_REQUEST_WORDS: readonly string[] = [...PERSON, 'people'];
const CONTACT = new Set([
  'talk', 'speak', 'chat', 'transfer', 'connect', 'escalate', 'put', 'reach', 'contact', 'pass', 'forward',
  'redirect', 'route', 'switch', 'call',
]);
const DESIRE = new Set(['want', 'need', 'get', 'give', 'like', 'request', 'demand', 'prefer']);
const NEGATORS = new Set(['dont', 'not', 'no', 'never', 'doesnt', 'didnt', 'wont', 'cant', 'without']);
const REAL = new Set(['real', 'live', 'actual']);
const FILLER = new Set([
  'please', 'pls', 'plz', 'now', 'a', 'an', 'the', 'me', 'to', 'i', 'want', 'need', 'just', 'give', 'get',
  'customer', 'service', 'support', 'live', 'real', 'talk', 'speak', 'with', 'your', 'ok', 'okay', 'hello',
  'hi', 'asap', 'immediately', 'already',
]);

export interface PersonRequest {
  /** the words that made the request, e.g. "transfer me to an agent" */
  phrase: string;
}

function negatedBefore(words: readonly string[], k: number): boolean {
  for (let m = k - 1; m >= 0 && m >= k - 3; m--) if (NEGATORS.has(words[m]!)) return true;
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
      if (!negatedBefore(words, p - 1)) return { phrase: words.slice(Math.max(0, p - 4), p + 1).join(' ') };
      continue;
    }
    for (let k = p - 1; k >= 0 && k >= p - 5; k--) {
      const c = words[k]!;
      if (!CONTACT.has(c) && !(DESIRE.has(c) && p - k <= 3)) continue;
      if (!negatedBefore(words, k)) return { phrase: words.slice(k, p + 1).join(' ') };
      break;
    }
  }
  return null;
}
