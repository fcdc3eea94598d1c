/**
 * Sarcasm that echoes the reply's own wait back with praise (w45/w46): after a reply that apologises
 * and gives a wait without doing anything ("I'm sorry for that. Claims are reviewed within 10 working
 * days.", "I apologise. I'd expect it to be dispatched soon."), the customer repeats that wait next to
 * praise in the first sentences of the next message: "Great, ten working days, so he gets it a
 * fortnight after his birthday. He'll be delighted.", "Fifteen days, marvellous.", "Soon! What a
 * relief." Not after a reply that acted ("I've refunded it, you'll see it in 5 days" — "5 days, great,
 * thanks"), not a wait the reply did not give.
 */

const NUMBER_WORDS: Readonly<Record<string, string>> = {
  one: '1',
  a: '1',
  an: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
  ten: '10',
  eleven: '11',
  twelve: '12',
  thirteen: '13',
  fourteen: '14',
  fifteen: '15',
  sixteen: '16',
  seventeen: '17',
  eighteen: '18',
  nineteen: '19',
  twenty: '20',
  thirty: '30',
};
const NUMBER =
  '(\\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty)';
const SPAN = new RegExp(`\\b${NUMBER}(?:[ -](?:more|working|business|whole))? (day|week|hour|month)s?\\b`, 'g');
const SOON = /\bsoon\b/;
const APOLOGY = /\b(?:sorry|apologi[sz]e|apologies)\b/;
const PRAISE =
  /\b(?:marvellous|marvelous|great|wonderful|brilliant|fantastic|lovely|perfect|amazing|delighted|what a relief|superb|fabulous|excellent|splendid|terrific|thrilled)\b/;

function spans(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(SPAN)) out.add(`${NUMBER_WORDS[m[1]!] ?? m[1]!} ${m[2]!}`);
  return out;
}

/** the first two sentences of a message, lower case */
function opening(text: string): string {
  const parts = text.toLowerCase().split(/(?<=[.!?])\s+/);
  return parts.slice(0, 2).join(' ');
}

/**
 * The customer echoes the wait of an apologising reply that did nothing, with praise: the reply's and
 * the customer's raw texts; `acted` tells whether the reply reports an action.
 */
export function echoedWait(reply: string, customerText: string, acted: (text: string) => boolean): string | null {
  const r = reply.toLowerCase();
  if (!APOLOGY.test(r) || acted(reply)) return null;
  const open = opening(customerText);
  const praise = PRAISE.exec(open);
  if (praise === null) return null;
  if (SOON.test(r) && SOON.test(open)) return `soon … ${praise[0]}`;
  const given = spans(r);
  if (given.size === 0) return null;
  for (const s of spans(open)) if (given.has(s)) return `${s}s … ${praise[0]}`;
  return null;
}
