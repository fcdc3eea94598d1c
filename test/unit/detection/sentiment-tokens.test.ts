import { describe, it, expect } from 'vitest';
import { detect, scoreSentiment } from '../../../src/detection/index.ts';
import { tokenize, wordsOf } from '../../../src/detection/tokenize.ts';
import { chat } from './helpers.ts';

const toks = (text: string): string[] => tokenize(text).toks;

describe('tokenizer: links and identifiers are tokens of their own', () => {
  it('reads URLs, e-mail addresses, paths, order numbers and mentions as one token each', () => {
    expect(toks('Order #1042 https://shop.example.com/orders/1042')).toEqual(['order', '#1042', '<url>']);
    expect(toks('see www.example.com/faq, or amazon.com/returns!')).toEqual(['see', '<url>', ',', 'or', '<url>', '!']);
    expect(toks('mail john.doe+x@gmail.com.')).toEqual(['mail', '<email>', '.']);
    expect(toks('open /orders/1042/items or C:\\Users\\me\\file.txt')).toEqual(['open', '<path>', 'or', '<path>']);
    expect(toks('C:/Users/me/Downloads/screenshot.png is mine')).toEqual(['<path>', 'is', 'mine']);
    expect(toks('@acme_support hi')).toEqual(['@acme_support', 'hi']);
  });

  it('keeps them out of the words of the sentence', () => {
    expect(wordsOf(tokenize('Order #1042 https://shop.example.com/manager/refund'))).toEqual(['order']);
  });

  it('never reads the ":/" of a link or a Windows path as an emoticon', () => {
    expect(scoreSentiment('Order #1042 https://shop.example.com/orders/1042')).toBeGreaterThanOrEqual(0);
    expect(scoreSentiment('The file is in C:\\Users\\me')).toBeGreaterThanOrEqual(0);
    expect(scoreSentiment('http://example.com')).toBe(0);
    expect(scoreSentiment('hmm :/ not sure')).toBeLessThan(0); // a real ":/" still counts
  });

  it('leaves ordinary punctuation alone', () => {
    expect(toks('and/or 1/2 at 10:30, well-made.')).toEqual(['and', 'or', '1', '2', 'at', '10', ',', '30', ',', 'well', 'made', '.']);
  });
});

describe('tokenizer: hashtags and camel case are split into words', () => {
  it('splits glued hashtags over the lexicon, each hashtag a clause of its own', () => {
    expect(toks('#neveragain')).toEqual(['never', 'again', ',']);
    expect(toks('so bad #neveragain')).toEqual(['so', 'bad', ',', 'never', 'again', ',']);
    expect(wordsOf(tokenize('#horribleservice #CustomerServiceFail #epicfail'))).toEqual([
      'horrible',
      'service',
      'customer',
      'service',
      'fail',
      'epic',
      'fail',
    ]);
  });

  it('splits camel case only into known words', () => {
    expect(wordsOf(tokenize('NeverAgain'))).toEqual(['never', 'again']);
    expect(wordsOf(tokenize('my iPhone from McDonald'))).toEqual(['my', 'iphone', 'from', 'mcdonald']);
  });

  it('scores the words of hashtags', () => {
    expect(scoreSentiment('Flight AA100 #horribleservice')).toBeLessThan(-0.3);
    expect(scoreSentiment('#neveragain')).toBeLessThan(0);
    expect(scoreSentiment('Got my order today #happycustomer')).toBeGreaterThan(0.3);
  });
});

describe('a polite conversation with a link does not come out negative', () => {
  it('link pasting and thanks', () => {
    const d = detect(
      chat(
        [
          'Hi! Here is the product I mean: https://shop.example.com/p/desk-lamp?colour=black&ref=email',
          'Order #1042 https://shop.example.com/orders/1042',
          'Perfect, thank you :)',
        ],
        { aiConfidence: 0.92 },
      ),
    );
    expect(d.sentiment).toBeGreaterThanOrEqual(0);
    expect(d.triggers.find((t) => t.type === 'NEGATIVE_SENTIMENT')).toBeUndefined();
  });
});
