import { describe, it, expect } from 'vitest';
import { detect, type ConversationInput } from '../../../src/detection/index.ts';
import { conv } from './helpers.ts';
import { pushesBack } from '../../../src/detection/repetition.ts';
import { questionKind, settles } from '../../../src/detection/signals/reask-shape.ts';
import { tokenText } from '../../../src/detection/signals/pattern.ts';
import { tokenize } from '../../../src/detection/tokenize.ts';

// Calm follow-up questions (a related but different question, after the customer took the answer)
// are not repeats; a repeat after a reply that missed still is. Examples written for these tests.

const repeated = (c: ConversationInput) => detect(c).triggers.some((t) => t.type === 'REPEATED_QUESTION');
const toks = (s: string) => tokenize(s).toks;

describe('a follow-up question after the answer was taken is not a repeat', () => {
  it.each([
    [
      "> Which size would I order in the Mara dress? I'm 36-30-40.",
      '< That is a size 12 in the Mara.',
      '> Got it. How long is tailoring for that dress?',
      '< Tailoring takes 2-3 weeks.',
      '> The party is in June, so ordering now should be fine. Is rush tailoring an option just in case?',
    ],
    [
      '> Hi, I am in Leeds. If I order the school bag and lunch box today, will they get here before term starts on the 4th?',
      '< Standard delivery is 3-5 working days, so around the 1st.',
      "> That's fine, I'll go standard. Can I pick the lunch box colour after ordering?",
    ],
    [
      '> Can my dad use the camp stove during a total fire ban? He goes out most weekends.',
      '< During a total fire ban, solid-fuel stoves cannot be used in most states; some gas stoves may be allowed.',
      "> Fair enough, I'll still get the wood one. Is there a charge for express to Geelong?",
    ],
    [
      '> Can my dad use the camp stove during a total fire ban? He goes out most weekends.',
      '< During a total fire ban, solid-fuel stoves cannot be used in most states; some gas stoves may be allowed.',
      "> Ok, I'll still get the wood one. Is there a charge for express to Geelong?",
    ],
  ])('%s … → no REPEATED_QUESTION', (...lines) => {
    expect(repeated(conv(...lines))).toBe(false);
  });
});

describe('a question put again after a reply that missed still is a repeat', () => {
  it.each([
    [
      '> How long does the battery last on one charge?',
      '< The Q3 speaker is splash proof and comes in four colours.',
      '> Sounds good. And how many hours of playback do I get?',
    ],
    [
      '> When will the refund for order 5512 reach my account?',
      '< Our returns policy allows returns within 30 days for a full refund.',
      "> Yes, it's been sent back and you've got it. What day will the money actually be in my bank?",
    ],
    [
      '> How do I change the delivery address on my order?',
      '< You can see all your orders in your account.',
      '> Fair enough, but how do I change the delivery address on order 881?',
    ],
  ])('%s … → REPEATED_QUESTION', (...lines) => {
    expect(repeated(conv(...lines))).toBe(true);
  });
});

describe('the pieces', () => {
  it('"no worries" / "no problem" acknowledge, a bare "no" pushes back', () => {
    expect(pushesBack(toks('No worries. Is the navy darker than the midnight blue?'))).toBe(false);
    expect(pushesBack(toks('No problem, is there a gift box option?'))).toBe(false);
    expect(pushesBack(toks('No, I mean the navy one. Is it darker?'))).toBe(true);
  });
  it('settles: the customer takes the answer; not "fair enough, but", not "you\'ve got it", not "is that fine?"', () => {
    const s = (t: string) => settles(tokenText(toks(t)));
    expect(s("That's fine, I'll go standard.")).toBe(true);
    expect(s('Fair enough. Is there a charge for express?')).toBe(true);
    expect(s('Our party is in May so that should be fine.')).toBe(true);
    expect(s('Fair enough, but is there a charge for express?')).toBe(false);
    expect(s("You've got it back already, when is my refund due?")).toBe(false);
    expect(s('Is that fine to wash at 40?')).toBe(false);
  });
  it('"total" or "max" before another noun does not ask a price or a measure', () => {
    expect(questionKind(toks('Can he use it during a total fire ban?'))).toBe('other');
    expect(questionKind(toks('Does it work in the max setting overnight?'))).toBe('other');
    expect(questionKind(toks("What's the total?"))).toBe('price');
    expect(questionKind(toks("What's the total for two?"))).toBe('price');
    expect(questionKind(toks('What is the max weight?'))).toBe('measure');
  });
});
