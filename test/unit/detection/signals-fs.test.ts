import { describe, it, expect } from 'vitest';
import { detect, type Decision } from '../../../src/detection/index.ts';
import { conv } from './helpers.ts';
import { findComplaintFacts } from '../../../src/detection/facts.ts';
import { gladReply } from '../../../src/detection/signals/misread.ts';
import { quotedClaim } from '../../../src/detection/signals/quoted-claim.ts';
import { findSarcasm } from '../../../src/detection/signals/sarcasm.ts';
import { tokenText } from '../../../src/detection/signals/pattern.ts';
import { tokenize } from '../../../src/detection/tokenize.ts';

// Frustration facts, sarcasm and closings in shapes rather than phrases: each shape with look-alikes that must not fire.

/** A web chat where the AI is confident, so only the words decide. `>` customer, `<` assistant. */
const negative = (d: Decision) => d.triggers.find((t) => t.type === 'NEGATIVE_SENTIMENT');
const sarcasmIn = (text: string) => {
  const toks = tokenize(text, 4000).toks;
  return findSarcasm(tokenText(toks), toks);
};

describe('praise is ironic only next to real trouble', () => {
  it.each([
    'oh lovely, another week and still no sign of the parcel',
    'wow, great, the replacement arrived broken as well',
    'brilliant. three weeks and not one reply',
  ])('"%s" is sarcasm', (text) => {
    expect(sarcasmIn(text)).not.toBeNull();
  });

  it.each([
    'nice, that lasts longer than my old one',
    'oh nice, I didn’t know you could do that',
    'perfect, I’ll choose that one then. no rush on the rest',
    'great, and can I pay for it later in the month?',
    'lovely. I’ll order the 6-month plan today',
  ])('"%s" is not', (text) => {
    expect(sarcasmIn(text)).toBeNull();
  });

  it('a polite opener and a follow-up question does not escalate', () => {
    const d = detect(
      conv(
        '> does the kettle come in green',
        '< Yes, it comes in sage green and forest green.',
        '> nice. and if I order today, does it come this week or later',
      ),
    );
    expect(d.shouldEscalate).toBe(false);
  });
});

describe('a complaint the reply took for praise stays open', () => {
  it('irony answered with "thank you for your kind words" escalates and says why', () => {
    const d = detect(
      conv(
        '> truly a joy to unwrap the new vase and find it cracked down one side. top marks',
        '< Thank you so much for your kind words! We love hearing from happy customers.',
      ),
    );
    expect(negative(d)?.reason).toMatch(/cracked|took a complaint for praise/);
  });

  it('a glad reply to a problem, then a short thanks, still escalates', () => {
    const d = detect(
      conv(
        '> The blinds came with two brackets missing so they are sitting on the floor.',
        '< Glad to hear your blinds have arrived! Enjoy your new look.',
        '> Sure. Thanks.',
      ),
    );
    expect(d.shouldEscalate).toBe(true);
    expect(negative(d)).toBeDefined();
  });

  it.each([
    ['> The plant arrived today and it looks even better than the photos!', '< Glad to hear it! Enjoy your new plant.'],
    ['> I got the wrong size at first but the swap was really quick, all good now', '< Great to hear!'],
    ['> thanks, the refund is back on my card', '< Wonderful! Anything else I can help with?'],
  ])('not when the customer told no trouble or it is over: %s', (c, a) => {
    expect(detect(conv(c, a)).shouldEscalate).toBe(false);
  });

  it('recognises glad replies, not plain ones', () => {
    expect(gladReply('Thank you for your feedback! We are glad you liked it.')).toBe(true);
    expect(gladReply('Glad to hear your parcel arrived!')).toBe(true);
    expect(gladReply('Thanks for your message. Let me check that order.')).toBe(false);
    expect(gladReply('I’m sorry to hear that. I have raised a claim.')).toBe(false);
  });
});

describe('frustration stated as facts, in other words', () => {
  it.each([
    ['the mirror arrived with a crack across the corner', 'broken'],
    ['I opened the box and found the glass shattered', 'broken'],
    ['only two of the four chairs turned up', 'not_received'],
    ['the parcel went to my old flat across town', 'not_received'],
    ['six weeks for a refund on a jacket I sent back', 'waiting'],
  ])('"%s" → %s', (text, kind) => {
    expect(findComplaintFacts(text).map((f) => f.kind)).toContain(kind);
  });

  it.each([
    'is the glass cracked-resistant? it’s for a kids room',
    'if the lid is cracked when it arrives, can I swap it?',
    'can I split the cost into two payments?',
    'it took six weeks to knit but worth it',
  ])('"%s" states no complaint fact', (text) => {
    const d = detect(conv(`> ${text}`, '< Good question! Here is what we can do.'));
    expect(negative(d)).toBeUndefined();
  });

  it.each([
    ['> The tracking has said "with courier" since Monday. It is Friday now.', '< Your parcel is with our courier.'],
    ['> It was meant for my nephew. His party was on Saturday and nothing came.', '< Your order is on its way.'],
    ['> I was charged £20 on the 3rd and then again on the 5th for one order.', '< Payments show within 3 days.'],
    ['> Two agents have given me two different dates for the engineer.', '< Engineer dates can vary.'],
    ['> the lid is cracked and the sauce leaked everywhere', '< Thanks for your order!'],
    ['> my statement shows two payments for the same order', '< Payments show within 3 days.'],
    ['> The table was meant to come before the dinner. We had the dinner on Friday. The table didn’t.', '< Your order is on its way.'],
    ['> I paid for next-day so it would be here for the trip. It wasn’t and we left without it.', '< Next-day orders arrive the next working day.'],
    ['> the new phone case is here and it’s ripped along one edge', '< Thanks for your order!'],
  ])('%s escalates', (c, a) => {
    expect(negative(detect(conv(c, a)))).toBeDefined();
  });

  it.each([
    ['> I still can’t believe how quick the delivery was!', '< Thanks, that is lovely to hear.'],
    ['> the kids haven’t stopped playing with the tent since it came', '< So glad they love it!'],
    ['> the party was on Saturday and the balloons were a hit, thanks!', '< Lovely to hear!'],
    ['> I’ve been a customer since March and love the boxes', '< Thank you!'],
    ['> We planned it so it would arrive before the party. It did, and the kids loved it.', '< Lovely to hear!'],
  ])('%s does not', (c, a) => {
    expect(detect(conv(c, a)).shouldEscalate).toBe(false);
  });
});

describe('a genuinely resolved complaint does not escalate; a polite closing does not close a complaint', () => {
  it.each([
    [
      '> I was double charged for order 5512 and I am not happy',
      '< Sorry about that. The second payment was a hold and has now been released.',
      '> ok, I can see it has dropped off now. sorry for the grumpy message, thanks',
    ],
    ['> my parcel says delivered but it is not here', '< The photo shows it by the back gate. Could you check there?', '> oh it was there all along, thanks!'],
    ['> the cushion arrived with a small stain, not a big deal at all', '< Sorry! I have sent a new cover today.', '> that is kind, thank you'],
    [
      '> my tracking hasn’t moved in 5 days, getting worried',
      '< It is at your local depot and out for delivery tomorrow morning.',
      '> oh that’s a relief, thank you',
    ],
  ])('%s … resolved', (...lines) => {
    expect(detect(conv(...lines)).shouldEscalate).toBe(false);
  });

  it('"ok thanks" after a reply that changed nothing leaves the complaint open', () => {
    const d = detect(
      conv(
        '> the sofa was due on the 2nd, it is now the 20th and still no delivery date',
        '< Your sofa is being prepared and will be with you soon.',
        '> ok thanks, have a nice day',
      ),
    );
    expect(d.shouldEscalate).toBe(true);
  });
});

describe('a claim in scare quotes is irony', () => {
  it.each([
    ["the 'sturdy' shelf bent the first time I put books on it", "'sturdy'"],
    ['my order has been “dispatched” for nine days', "'dispatched'"],
  ])('%s → %s', (text, claim) => {
    expect(quotedClaim(text)).toBe(claim);
    expect(negative(detect(conv(`> ${text}`, '< Thanks for your order!')))?.reason).toContain(claim);
  });

  it.each([
    "I love the 'Fresh Linen' candle, do you have it in a bigger size",
    "I clicked the 'Download invoice' button and it worked",
    "is the 'waterproof' version better for hiking?",
    'my son calls it his "quick" bike, he loves it',
  ])('%s → none', (text) => {
    expect(quotedClaim(text)).toBeNull();
    expect(detect(conv(`> ${text}`, '< Glad to hear it!')).shouldEscalate).toBe(false);
  });
});

describe('a closing thanks with a sign-off after it', () => {
  it('closes the complaint the assistant acted on', () => {
    const d = detect(
      conv(
        '> the mug I got was blue instead of green',
        "< Sorry! I've sent a green one out today and you can keep the blue.",
        '> got the dispatch email, thanks for that',
        '< You are welcome! Anything else?',
        '> no that is all 👍',
      ),
    );
    expect(d.shouldEscalate).toBe(false);
  });

  it('but not when the sign-off complains', () => {
    const d = detect(
      conv(
        '> my parcel is 2 weeks late and nobody has replied to my emails',
        "< I've raised a ticket with the courier.",
        '> ok thanks',
        '< Anything else?',
        '> still nothing though',
      ),
    );
    expect(d.shouldEscalate).toBe(true);
  });
});

describe('look-alikes of this round', () => {
  it.each([
    ["> the 'unbreakable' glasses really are unbreakable, dropped one on tiles and not a mark", '< Ha, glad they survived!'],
    ['> 2 years and not a single problem with the washer, ordering the dryer now', '< Thank you!'],
  ])('%s does not escalate', (c, a) => {
    expect(detect(conv(c, a)).shouldEscalate).toBe(false);
  });
  it('a resolution before a closing thanks closes', () => {
    const d = detect(
      conv(
        '> my parcel says delivered but it is not on the porch',
        '< The photo shows it behind your bin.',
        '> Found it! It was behind the bin like you said. Thanks',
      ),
    );
    expect(d.shouldEscalate).toBe(false);
  });
  it('a date that came and went is no arrival', () => {
    expect(negative(detect(conv('> Three different delivery dates so far. Each one came and went.', '< Your order is scheduled.')))).toBeDefined();
  });
});
