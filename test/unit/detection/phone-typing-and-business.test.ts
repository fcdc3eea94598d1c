import { describe, it, expect } from 'vitest';
import { detect, scoreSentiment, type ConversationInput, type TriggerType } from '../../../src/detection/index.ts';
import { conv } from './helpers.ts';

// Causes of the w39 (typed on a phone in a hurry or dictated: lower case, no punctuation, voice-to-text
// slips) and w40 (small-business buyers: bulk orders, invoices, an understated register) blind batches,
// each read by its shape. Every case that must stay quiet is paired with a near case that must still
// fire, and the other way round. Examples written for these tests.

const fired = (c: ConversationInput, type: TriggerType) => detect(c).triggers.some((t) => t.type === type);

describe('overheating told past a dash or a comma ("very hot — the casing has melted")', () => {
  it('"the heater panels get really hot, one of them has melted its housing" → safety, URGENT', () => {
    const c = conv(
      '> The patio heater panels we bought for the restaurant get really hot, one of them has melted its housing near the terrace awning.',
      '< Our heaters are built to stay safe in normal use.',
    );
    const d = detect(c);
    expect(d.riskFlags).toContain('safety');
    expect(d.priority).toBe('URGENT');
  });
  it('near case: "the radiator gets really hot, is that normal?" with nothing melted → no safety flag', () => {
    const c = conv('> The oil radiator gets really hot, is that normal for this model?', '< Yes, the fins get hot while it runs.');
    expect(detect(c).riskFlags).not.toContain('safety');
  });
});

describe('the shop chased for the customer ("thanks for chasing the courier") is no wait', () => {
  it('"all here now, appreciate you chasing the warehouse" → not escalated', () => {
    const c = conv(
      '> Quick update on the missing stools — the last three turned up at 9 and they are all set out. Appreciate you chasing the warehouse on Monday.',
      '< Brilliant, glad they all made it! Anything else before your opening?',
      '> No, we are sorted. Thanks again.',
    );
    expect(detect(c).shouldEscalate).toBe(false);
  });
  it('near case: "I have been chasing the courier for two weeks" → NEGATIVE_SENTIMENT', () => {
    const c = conv('> I have been chasing the courier for two weeks about the stools and they still have not come.', '< I understand, let me check.');
    expect(fired(c, 'NEGATIVE_SENTIMENT')).toBe(true);
  });
});

describe('"nope perfect 👍": the answer to "anything else?" typed without a comma, then praise', () => {
  it('"nope great thanks" and "no lovely 👍" read positive', () => {
    expect(scoreSentiment('nope great thanks')).toBeGreaterThan(0);
    expect(scoreSentiment('no lovely 👍')).toBeGreaterThan(0);
  });
  it('"parcel came" … "nope great 👍" → not escalated', () => {
    const c = conv('> parcel came this morning', '< Great to hear it arrived! Anything else I can help with?', '> nope great 👍');
    expect(detect(c).shouldEscalate).toBe(false);
  });
  it('near cases: "no luck.", "no good" and "no helpful reply yet" still negate', () => {
    expect(scoreSentiment('reset it twice, no luck.')).toBeLessThan(0);
    expect(scoreSentiment('no good')).toBeLessThan(0);
    expect(scoreSentiment('no helpful reply yet')).toBeLessThan(0);
  });
});

describe('"i no it …": "know" typed or dictated as "no"', () => {
  it('"i no it was out of stock last week" in a plain question → not escalated', () => {
    const c = conv(
      '> is the walnut bookcase back in stock i no it was out of stock last week',
      '< Yes, the walnut bookcase is back in stock and ships in 2 days.',
      '> great',
    );
    expect(detect(c).shouldEscalate).toBe(false);
  });
  it('near case: "I no receive my parcel since 3 weeks" (a second-language negation) → NEGATIVE_SENTIMENT', () => {
    const c = conv('> Hello, I no receive my parcel since 3 weeks and nobody answer my emails.', '< Let me check the tracking for you.');
    expect(fired(c, 'NEGATIVE_SENTIMENT')).toBe(true);
  });
});

describe('"nothing to return yet, just checking" is no trouble next to "good to know"', () => {
  it('"Good to know, thanks. Nothing to send back yet, just checking before we order." → not escalated', () => {
    const c = conv(
      '> Does the 30-day return window on trade accounts cover opened packs of tiles?',
      '< Yes, opened packs can be returned within 30 days if the tiles are unused.',
      '> Good to know, thanks. Nothing to send back yet, just checking before we order.',
    );
    expect(detect(c).shouldEscalate).toBe(false);
  });
  it('near case: "Good to know. Nothing has arrived in three weeks." → NEGATIVE_SENTIMENT', () => {
    const c = conv(
      '> Where is our tile order? Nothing has arrived in three weeks.',
      '< Orders usually arrive within 5 working days.',
      '> Good to know. Nothing has arrived in three weeks though.',
    );
    expect(fired(c, 'NEGATIVE_SENTIMENT')).toBe(true);
  });
});

describe('a suggested fix tried and working ("omg that worked its back on") closes the problem', () => {
  it('"that did the trick its back up" after a restart instruction → not escalated', () => {
    const c = conv(
      '> my tablet wont turn on since last night',
      '< Sorry about that! Hold the power and volume-down buttons for 20 seconds, then release.',
      '> that did the trick its back up',
      '> ty so much',
    );
    expect(detect(c).shouldEscalate).toBe(false);
  });
  it('near case: "that worked for an hour then it wont turn on again" → still escalated', () => {
    const c = conv(
      '> my tablet wont turn on since last night',
      '< Sorry about that! Hold the power and volume-down buttons for 20 seconds, then release.',
      '> that worked for an hour then it died again and now it wont turn on at all',
    );
    expect(detect(c).shouldEscalate).toBe(true);
  });
});

describe('a trade buyer who wants one fixed contact ("I’d rather deal with one person")', () => {
  it('"we would rather deal with a single person than the chat each time" → MANUAL', () => {
    const c = conv(
      '> We run two bakeries and order flour every week. We would rather deal with a single person than go through the chat each time.',
      '< You can place repeat orders from your account.',
    );
    expect(fired(c, 'MANUAL')).toBe(true);
  });
  it('near case: "one person in our team places the orders" → no MANUAL', () => {
    const c = conv(
      '> Only one person in our team places the orders. Can we add a second login to the account?',
      '< Yes, you can add users under Account > Team.',
    );
    expect(fired(c, 'MANUAL')).toBe(false);
  });
});

describe('a contract’s own terms: "we will treat this as a material breach"', () => {
  it('"… or we will consider it a fundamental breach of the supply agreement" → legal threat, URGENT', () => {
    const c = conv(
      '> Under our supply agreement you must replace faulty units within 10 working days. It has been 25.',
      '< Thank you for your feedback!',
      '> If the replacements are not here by Friday we will consider it a fundamental breach of the supply agreement.',
    );
    const d = detect(c);
    expect(d.riskFlags).toContain('legal_threat');
    expect(d.priority).toBe('URGENT');
  });
  it('near case: a calm question about the material of an item → no legal threat', () => {
    const c = conv('> What material are the aprons made of, and is it breathable for kitchen staff?', '< They are 100% cotton and breathable.');
    expect(detect(c).riskFlags).not.toContain('legal_threat');
  });
});

describe('the customer rewords their own question ("to put it another way", "let me rephrase")', () => {
  it('"Let me put it differently: can your team send two invoices?" after replies that missed → REPEATED_QUESTION', () => {
    const c = conv(
      '> Can you send two invoices for order 7731, one per department?',
      '< Your invoice can be downloaded from My Account.',
      '> Let me put it differently: is your accounts team able to issue two invoices for order 7731?',
    );
    expect(fired(c, 'REPEATED_QUESTION')).toBe(true);
  });
  it('near case: a new question after an answer, no rewording → no REPEATED_QUESTION', () => {
    const c = conv(
      '> Can you send two invoices for order 7731, one per department?',
      '< Yes, I have split it into two invoices and emailed both to you.',
      '> Thanks. Do you also deliver to Belfast?',
    );
    expect(fired(c, 'REPEATED_QUESTION')).toBe(false);
  });
});

describe('part of the answer granted, then what it left out ("… is good, but I need to know …")', () => {
  it('"Recycled is good, but I need to know whether they are food-safe certified" → REPEATED_QUESTION', () => {
    const c = conv(
      '> Are your paper cups certified food-safe for hot drinks?',
      '< Our cups are made from recycled paper.',
      '> Recycled is good, but I need to know whether the cups are certified food-safe.',
    );
    expect(fired(c, 'REPEATED_QUESTION')).toBe(true);
  });
  it('near case: "that is good, that was all I needed to know" → not escalated', () => {
    const c = conv(
      '> Are your paper cups certified food-safe for hot drinks?',
      '< Yes, they are certified food-safe up to 95°C.',
      '> That is good, that was all I needed to know. Thanks.',
    );
    expect(detect(c).shouldEscalate).toBe(false);
  });
});

describe('instructions or fixings missing from what came ("not a single instruction in any of them")', () => {
  it('"12 desks came, not a single instruction sheet with them" → NEGATIVE_SENTIMENT', () => {
    const c = conv('> 12 standing desks came today for the studio. Not a single instruction sheet with them.', '< Great news that your desks have arrived!');
    expect(fired(c, 'NEGATIVE_SENTIMENT')).toBe(true);
  });
  it('near case: "easy to put together, no instructions needed" → not escalated', () => {
    const c = conv('> The desks came today, easy to put together, no instructions needed. Thanks!', '< Glad to hear it!');
    expect(detect(c).shouldEscalate).toBe(false);
  });
});

describe('"is anyone actually able to set this up?": asking whether a person can do it', () => {
  it('"Is anyone on your side able to arrange the credit account?" → MANUAL', () => {
    const c = conv(
      '> We would like a 30-day credit account for our salon.',
      '< You can read about credit accounts on our help page.',
      '> I have read it. Is anyone on your side actually able to arrange the credit account?',
    );
    expect(fired(c, 'MANUAL')).toBe(true);
  });
  it('near case: "is it able to set the time automatically?" (of a product) → no MANUAL', () => {
    const c = conv('> Is the wall clock able to set the time automatically?', '< Yes, it is radio controlled.');
    expect(fired(c, 'MANUAL')).toBe(false);
  });
});

describe('a parcel stuck in one status for long ("in transit for 11 days")', () => {
  it('"tracking says in transit for 9 days, very helpful" → NEGATIVE_SENTIMENT', () => {
    const c = conv('> tracking says in transit for 9 days now very helpful', '< You can follow your parcel with the tracking link.');
    expect(fired(c, 'NEGATIVE_SENTIMENT')).toBe(true);
  });
  it('near case: "in transit for 2 days, is that normal" then "great thanks" → not escalated', () => {
    const c = conv(
      '> hi my parcel says in transit for 2 days, is that normal',
      '< Yes, that is normal. It is at the regional hub and due tomorrow.',
      '> great thanks',
    );
    expect(detect(c).shouldEscalate).toBe(false);
  });
});

describe('an arrival after the occasion passed does not end the complaint ("the wedding was saturday … it came this morning")', () => {
  it('"the christening was sunday" … "yours arrived today" … "and the 15 for express?" → NEGATIVE_SENTIMENT', () => {
    const c = conv(
      '> paid extra for the gown to come by friday',
      '> the christening was sunday',
      '> she wore her cousins old one. yours arrived today',
      '< Glad your order has arrived! Returns are free within 30 days.',
      '> and the 15 i paid for express?',
    );
    expect(fired(c, 'NEGATIVE_SENTIMENT')).toBe(true);
  });
  it('near case: a late parcel that "just came" with no occasion missed → not escalated', () => {
    const c = conv('> my parcel was due yesterday and still nothing', '< Let me check.', '> oh it just came this morning, thanks');
    expect(detect(c).shouldEscalate).toBe(false);
  });
});
