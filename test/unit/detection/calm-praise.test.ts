import { describe, it, expect } from 'vitest';
import { detect, type ConversationInput } from '../../../src/detection/index.ts';
import { conv } from './helpers.ts';

// Praise and good news that only look like trouble: "nothing, just wanted to say …", "same again
// please", "she hasn't got out of it since Tuesday". Complaints of the same shape still count.
// Examples written for these tests.

const negative = (c: ConversationInput) => detect(c).triggers.some((t) => t.type === 'NEGATIVE_SENTIMENT');

describe('praise and good news are not a complaint', () => {
  it.each([
    ['> hey', '< Hi! What can I help you with today?', '> nothing haha just wanted to say the fitter was super nice, hung all three blinds and everything'],
    [
      '> Hi, can you see our last order #C-2211?',
      '< Yes: 12 candles and 12 gift bags.',
      '> Great. Same again please, but double the gift bags. PO number is 7781.',
    ],
    ['> just wanted to say thanks, my dad loves the massage chair', "< That's lovely to hear!", "> He hasn't got out of it since Sunday 😂 Have a good one!"],
    ['> My son loves the headphones you recommended', '< So glad!', "> He hasn't taken them off since Friday lol, thanks again"],
  ])('%s … → no NEGATIVE_SENTIMENT', (...lines) => {
    expect(negative(conv(...lines))).toBe(false);
  });
});

describe('complaints of the same shape still count', () => {
  it.each([
    ['> Where is my parcel?', '< It is on its way.', "> Great. Nothing again. It hasn't moved since Tuesday and nobody has replied."],
    ['> My mum ordered the recliner', '< Thanks for your order!', "> She hasn't heard anything since Tuesday and it still hasn't arrived."],
  ])('%s … → NEGATIVE_SENTIMENT', (...lines) => {
    expect(negative(conv(...lines))).toBe(true);
  });
});
