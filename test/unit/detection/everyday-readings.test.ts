import { describe, it, expect } from 'vitest';
import { detect, scoreSentiment, type ConversationInput } from '../../../src/detection/index.ts';
import { conv } from './helpers.ts';

// Everyday wording that only looks like trouble: a hazard word said of a price, a burn from a day out,
// leather "broken in", the customer's old thing worn out, a pet that has not moved, a question without
// its question mark, a customer correcting their own typo, a thanks after a reply that reports an
// action in other verbs. The same shapes that are trouble still count. Examples written for these tests.

const escalates = (c: ConversationInput) => detect(c).shouldEscalate;
const urgent = (c: ConversationInput) => detect(c).priority === 'URGENT';

describe('a hazard word said of something that cannot hurt anyone is no safety incident', () => {
  it.each([
    ['> is the 3 for 2 on candles still on?', '< Yes, until Sunday.', '> oh that is dangerous news for my bank balance, cheers'],
    ['> free returns AND 15% off? dangerous deal haha', '< It is a good one! Anything else?', '> nope thats all'],
    ['> what aloe gel do you stock? got a nasty burn on my neck from the beach on saturday', '< Our aloe gel is £5.'],
    ['> need a cold pack, my knee got a bruise from the gym yesterday, which one is best?', '< The reusable gel pack is popular.'],
    ['> which after-sun is best? burnt my arms at the beach.', '< The aloe gel is our best seller.'],
  ])('%s … → not URGENT', (...lines) => {
    expect(urgent(conv(...lines))).toBe(false);
  });

  it.each([
    ['> the heater you sold me is dangerous, the plug went black'],
    ['> the kettle spat boiling water and left a burn on my hand'],
    ['> I got a burn on my arm from the iron I bought here'],
    ['> got a burn on my hand from the sun lamp'],
    ['> burned my hand over the weekend on the kettle you sent'],
  ])('%s → URGENT', (...lines) => {
    expect(urgent(conv(...lines))).toBe(true);
  });
});

describe('damage that is not damage to what was sent', () => {
  it.each([
    ['> do your walking shoes come broken in or do they need a few weeks?', '< They are soft from day one.', '> sounds good, what sizes?'],
    ['> my old kettle was cracked after five years so I want a steel one', '< The Arlo steel kettle is £39.', '> lovely, thanks'],
  ])('%s … → no escalation', (...lines) => {
    expect(escalates(conv(...lines))).toBe(false);
  });

  it.each([
    ['> the mug arrived broken in half', '< Sorry to hear that.'],
    ['> the vase you sent is cracked right down the side', '< Sorry to hear that.'],
  ])('%s … → escalates', (...lines) => {
    expect(escalates(conv(...lines))).toBe(true);
  });
});

describe('a person or pet staying put is no wait', () => {
  it('the dog on the new cushion', () => {
    expect(escalates(conv('> the dog loves the cushion', '< Lovely!', '> he has not moved since lunch haha, thank you'))).toBe(false);
  });
  it('a parcel that has not moved still counts', () => {
    expect(escalates(conv('> where is my order?', '< It is in transit.', "> it hasn't moved in 6 days and nobody replies"))).toBe(true);
  });
});

describe('a question without its question mark is asked, not stated', () => {
  it('"and is there an extra charge" asks about a charge', () => {
    expect(escalates(conv('> can you post to Jersey? and is there an extra charge', '< Yes, £6 extra.', '> ok ta'))).toBe(false);
  });
  it('an extra charge stated without a mark still counts', () => {
    expect(escalates(conv('> and you charged me extra for delivery', '< Let me check.'))).toBe(true);
  });
});

describe('correcting your own message before any reply is not a repeat', () => {
  it('a typo fixed straight after', () => {
    expect(escalates(conv('> what is the max load of the garden swing', '> autocorrect sorry, the SWING SEAT I mean, the small one'))).toBe(false);
  });
  it('the same push-back after an answer still repeats', () => {
    const c = conv('> how do I change my delivery address?', '< You can track your parcel here.', '> no I mean how do I change the delivery address?');
    expect(detect(c).triggers.some((t) => t.type === 'REPEATED_QUESTION')).toBe(true);
  });
});

describe('a thanks after a reply that reports an action closes the complaint', () => {
  it.each([
    [
      '> the lamp shade came dented',
      '< Sorry! I have placed an order for a new shade, it ships Monday.',
      '> brilliant, thank you',
      '< Anything else?',
      '> no that is everything, have a lovely weekend',
    ],
    ['> you sent the wrong size', '< They have confirmed the right size goes out today.', '> great thanks'],
    ['> the sample was missing', "< I've contacted the warehouse and it's been sent today.", '> not a big deal but nice to get it, thanks'],
  ])('%s … → no escalation', (...lines) => {
    expect(escalates(conv(...lines))).toBe(false);
  });
  it('a thanks with the problem still there does not close it', () => {
    expect(escalates(conv('> the sample was missing', "< I've contacted the warehouse.", '> thanks but it is still not here after 3 weeks'))).toBe(true);
  });
});

describe('idioms of price and hyperbole', () => {
  it('"doesn\'t cost a fortune" is a budget, "cost a fortune" is dear', () => {
    expect(scoreSentiment("any lamps that don't cost a fortune")).toBeGreaterThanOrEqual(0);
    expect(scoreSentiment('it cost a fortune')).toBeLessThan(0);
  });
  it('"is killing me" is hyperbole: mildly negative, short of a complaint', () => {
    const s = scoreSentiment('this humidity is killing me');
    expect(s).toBeLessThan(0);
    expect(s).toBeGreaterThan(-0.5);
  });
});

// Trouble said in other words: a cheerful reply the customer contradicts, a claim with an intensifier in
// scare quotes, something that fell apart, someone else's item, a person asked for by role, "so again: …".

describe('a customer contradicting a cheerful reply needs a person', () => {
  it.each([
    ['> love how the app says my refund went through', "< That's great news! Refunds show within 3–5 days.", "> it didn't though. my bank shows nothing."],
    ['> brilliant, the lamp came with no bulb holder', '< We hope you enjoy your new lamp!', "> can't use it. order 5512."],
  ])('%s … → escalates', (...lines) => {
    expect(escalates(conv(...lines))).toBe(true);
  });
  it.each([
    ['> my nan adores the blanket', '< That is wonderful to hear!', "> she hasn't put it down since 😂"],
    ['> the candles smell amazing', "< We're so glad you like them!", "> can't wait for the autumn range"],
  ])('%s … → no escalation', (...lines) => {
    expect(escalates(conv(...lines))).toBe(false);
  });
});

describe('trouble said in other words', () => {
  it("a claim with the shop's intensifier in scare quotes", () => {
    expect(escalates(conv("> my 'fully waterproof' boots, worn once in the rain, socks soaked through", '< Thanks for shopping with us!', '> yep.'))).toBe(
      true,
    );
  });
  it('something that fell apart, told with praise', () => {
    expect(
      escalates(conv('> the bookshelf came apart the first time we loaded it. what a treat', '< Our shelves are made from solid pine.', '> lovely.')),
    ).toBe(true);
  });
  it("someone else's item sent", () => {
    expect(escalates(conv("> opened the box and it's somebody else's order entirely", '< Sorry about that.'))).toBe(true);
  });
  it('a person asked for by role: "is there an account manager we could contact"', () => {
    const d = detect(
      conv('> we need 60 units invoiced to our firm', '< You can order up to 10 online.', '> right. is there a trade rep or account manager we could contact?'),
    );
    expect(d.triggers.some((t) => t.type === 'MANUAL')).toBe(true);
  });
  it('"so again: …" after an unhelpful answer is a repeat', () => {
    const c = conv(
      '> do I post the return to you or to the maker?',
      '< Returns are free within 30 days.',
      '> ok but which address',
      '< Start a return from Your Orders.',
      '> that page has no address on it. so again, you or the maker?',
    );
    expect(detect(c).triggers.some((t) => t.type === 'REPEATED_QUESTION')).toBe(true);
  });
});
