import { describe, it, expect } from 'vitest';
import { analyzeSentiment, conversationSentiment, detect, MAX_MESSAGE_CHARS, scoreSentiment } from '../../../src/detection/index.ts';
import { LEX, mayHaveSentiment, NEUTRAL_DETAIL, scoreTokenStream } from '../../../src/detection/sentiment.ts';
import { tokenize } from '../../../src/detection/tokenize.ts';
import { loadLabelled, SETS } from '../../../bench/detector.ts';
import { said } from './helpers.ts';

describe('scoreSentiment: range and basics', () => {
  it('is 0 for empty text and text without opinion', () => {
    expect(scoreSentiment('')).toBe(0);
    expect(scoreSentiment('Do you ship to Canada?')).toBe(0);
    expect(scoreSentiment('Order 1234, size M, colour blue.')).toBe(0);
  });

  it('stays within -1..1 even for extreme text', () => {
    const furious = 'TERRIBLE HORRIBLE AWFUL WORST SCAM EVER!!!! '.repeat(50);
    const elated = 'amazing wonderful perfect outstanding superb love it!!! '.repeat(50);
    expect(scoreSentiment(furious)).toBeLessThan(-0.95);
    expect(scoreSentiment(furious)).toBeGreaterThanOrEqual(-1);
    expect(scoreSentiment(elated)).toBeGreaterThan(0.95);
    expect(scoreSentiment(elated)).toBeLessThanOrEqual(1);
  });

  it('scores AFINN words with the right sign', () => {
    expect(scoreSentiment('I am happy')).toBeGreaterThan(0.4); // positives count ÷ 1.5 (negativity weighting)
    expect(scoreSentiment('This is bad')).toBeLessThan(-0.5);
  });
});

describe('scoreSentiment: negation', () => {
  it('flips a negated positive to negative', () => {
    expect(scoreSentiment('I am happy')).toBeGreaterThan(0);
    expect(scoreSentiment('I am not happy')).toBeLessThan(-0.4);
    expect(scoreSentiment('It was never helpful')).toBeLessThan(-0.3);
    expect(scoreSentiment("I don't think it is good")).toBeLessThan(-0.4);
  });

  it('turns a negated negative mildly positive', () => {
    const bad = scoreSentiment('This is bad');
    const notBad = scoreSentiment('This is not bad');
    expect(notBad).toBeGreaterThan(0);
    expect(notBad).toBeLessThan(-bad);
  });

  it('reads "nobody helped" and "doesn\'t work" as complaints', () => {
    expect(scoreSentiment('Nobody helped me')).toBeLessThan(-0.4);
    expect(scoreSentiment('It works')).toBeGreaterThan(0);
    expect(scoreSentiment("It doesn't work")).toBeLessThan(-0.5);
    expect(scoreSentiment('It doesnt work')).toBeCloseTo(scoreSentiment("It doesn't work"), 6);
  });

  it('keeps the sign of "couldn\'t be happier" and "never been so disappointed"', () => {
    expect(scoreSentiment("I couldn't be happier")).toBeGreaterThan(0.4);
    expect(scoreSentiment('I have never been so disappointed')).toBeLessThan(-0.6);
  });

  it('does not let a negation cross a comma', () => {
    expect(scoreSentiment('No, this is great')).toBeGreaterThan(0.4);
  });
});

describe('scoreSentiment: intensity, emphasis, contrast', () => {
  it('intensifiers raise and diminishers lower the magnitude', () => {
    const plain = scoreSentiment('I am happy');
    expect(scoreSentiment('I am very happy')).toBeGreaterThan(plain);
    expect(scoreSentiment('I am extremely happy')).toBeGreaterThan(scoreSentiment('I am very happy'));
    expect(scoreSentiment('I am slightly happy')).toBeLessThan(plain);
    expect(scoreSentiment('I am slightly happy')).toBeGreaterThan(0);
  });

  it('ALL CAPS words and exclamation marks add emphasis, not sign', () => {
    const plain = scoreSentiment('This is bad');
    expect(scoreSentiment('This is BAD')).toBeLessThan(plain);
    expect(scoreSentiment('This is bad!!!')).toBeLessThan(plain);
    expect(scoreSentiment('This is great!!!')).toBeGreaterThan(scoreSentiment('This is great'));
  });

  it('reads shouting with no opinion words as mild agitation', () => {
    expect(scoreSentiment('CAN YOU CHECK THE STATUS')).toBeLessThan(0);
    expect(scoreSentiment('can you check the status')).toBe(0);
    expect(scoreSentiment('hello???!!!')).toBeLessThan(0);
  });

  it('weighs the clause after "but" more', () => {
    expect(scoreSentiment('The phone is great but the battery is awful')).toBeLessThan(-0.3);
    expect(scoreSentiment('The battery is awful but the phone is great')).toBeGreaterThan(0.3);
  });

  it('discounts concessive clauses', () => {
    expect(scoreSentiment('Although the price is great, the quality is awful')).toBeLessThan(0);
  });

  it('understands emoticons, emoji, elongation and common misspellings', () => {
    expect(scoreSentiment(':)')).toBeGreaterThan(0);
    expect(scoreSentiment(':-(')).toBeLessThan(0);
    expect(scoreSentiment('😍')).toBeGreaterThan(0);
    expect(scoreSentiment('😡')).toBeLessThan(-0.5);
    expect(scoreSentiment('sooooo good')).toBeGreaterThan(scoreSentiment('good'));
    expect(scoreSentiment('very dissapointed')).toBeLessThan(-0.4);
    expect(scoreSentiment('I started the return')).toBe(0); // "started" is not read as "startled"
  });
});

describe('scoreSentiment: support vocabulary', () => {
  it.each([
    'Still waiting for my package',
    'My order never arrived',
    'I want a refund',
    'The lamp came broken',
    'This is the third time I am asking',
    'This is ridiculous',
    'Your chatbot is useless',
    'This shop is a scam',
    'Worst service ever',
    "It's been two weeks",
    'The item is not what I expected',
    'I was charged twice',
  ])('"%s" is negative', (text) => {
    expect(scoreSentiment(text)).toBeLessThan(-0.2);
  });

  it.each(['Thanks, that solved it!', 'Great, thanks so much!', 'Works perfectly, fast shipping', 'Not bad at all'])('"%s" is positive', (text) => {
    expect(scoreSentiment(text)).toBeGreaterThan(0.3);
  });

  it('does not read requests as praise ("please help", "I want")', () => {
    expect(scoreSentiment('Can you please help me with my order?')).toBe(0);
  });

  it('analyzeSentiment reports the raw AFINN-scale sum and whether any opinion was found', () => {
    const d = analyzeSentiment('good');
    expect(d.raw).toBe(2); // AFINN 3, positives ÷ 1.5
    expect(d.opinionated).toBe(true);
    expect(analyzeSentiment('order 1234').opinionated).toBe(false);
  });
});

describe('conversation sentiment: recency weighting', () => {
  it('weighs the latest customer message most', () => {
    const calmedDown = detect(said('This is terrible, my order is late!', 'The package is late again', 'Ah it just arrived, thank you so much, great!'));
    const angryNow = detect(said('Ah it just arrived, thank you so much, great!', 'The package is late again', 'This is terrible, my order is late!'));
    // same three messages, opposite order: weights 1, 0.7, 0.49 from the latest back
    expect(calmedDown.sentiment).toBeGreaterThan(0);
    expect(angryNow.sentiment).toBeLessThan(-0.2);
  });

  it('gives neutral messages half weight, so a neutral order number does not wash out anger', () => {
    const angry = analyzeSentiment('This is ridiculous');
    const neutral = analyzeSentiment('order 1234');
    const alone = conversationSentiment([angry]);
    const withNeutralLast = conversationSentiment([angry, neutral]);
    expect(alone).toBeCloseTo(-0.612, 2);
    // weights: latest neutral 1 × 0.5, angry 0.7 → −0.612 × 0.7 / 1.2
    expect(withNeutralLast).toBeCloseTo((-0.6124 * 0.7) / 1.2, 2);
  });

  it('is 0 without customer messages', () => {
    expect(conversationSentiment([])).toBe(0);
    expect(detect({ channel: 'sms', messages: [{ role: 'assistant', text: 'Terrible news!' }] }).sentiment).toBe(0);
  });

  it('ignores assistant and agent messages', () => {
    const d = detect({
      channel: 'web_chat',
      messages: [
        { role: 'assistant', text: 'This is awful, horrible, the worst!' },
        { role: 'agent', text: 'Terrible!' },
        { role: 'customer', text: 'Thanks, that is great' },
      ],
    });
    expect(d.sentiment).toBeGreaterThan(0.5);
  });
});

describe("the detector's neutral-message shortcut (mayHaveSentiment) is exact", () => {
  it('on every labelled sentence: a text it skips scores exactly 0', () => {
    let checked = 0;
    let skipped = 0;
    for (const set of SETS) {
      for (const { text } of loadLabelled(set)) {
        const ts = tokenize(text, MAX_MESSAGE_CHARS + 10, LEX);
        if (!mayHaveSentiment(ts)) {
          skipped++;
          expect(analyzeSentiment(text)).toEqual(NEUTRAL_DETAIL);
        } else expect(scoreTokenStream(ts)).toEqual(analyzeSentiment(text));
        checked++;
      }
    }
    expect(checked).toBe(3000);
    expect(skipped).toBeGreaterThan(0);
  });

  it('on support-chat lines, including ones with links and order numbers', () => {
    for (const text of ['ok', 'Order #1042 https://shop.example.com/orders/1042', 'Do you ship to Canada?', 'It has been 3 weeks', 'order 1042']) {
      const ts = tokenize(text, MAX_MESSAGE_CHARS + 10, LEX);
      if (!mayHaveSentiment(ts)) expect(analyzeSentiment(text)).toEqual(NEUTRAL_DETAIL);
    }
  });
});
