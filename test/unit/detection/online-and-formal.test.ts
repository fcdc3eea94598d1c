import { describe, it, expect } from 'vitest';
import { detect, type ConversationInput, type TriggerType } from '../../../src/detection/index.ts';
import { conv } from './helpers.ts';

// Causes of the w41 (young, very online shoppers: slang, irony, 💀/😭) and w42 (very polite, formal
// letter-style customers: frustration in understatement) blind batches, each read by its shape. Every
// case that changes is paired with a near case that must not. Examples written for these tests.

const fired = (c: ConversationInput, type: TriggerType) => detect(c).triggers.some((t) => t.type === type);

describe('a body part that "has burns" or "has blisters", hedged or not ("my scalp has like burns now?")', () => {
  it('"my forehead has like burns now? its all red" after a peel → safety, URGENT', () => {
    const c = conv(
      '> did the peel last night exactly like the video said',
      '> my forehead has like burns now? its all red and tight',
      '< Some redness is normal after a peel. We recommend a gentle moisturiser.',
    );
    const d = detect(c);
    expect(d.riskFlags).toContain('safety');
    expect(d.priority).toBe('URGENT');
  });
  it('near case: "will my scalp have burns if I leave it on too long?" asks ahead → no safety flag', () => {
    const c = conv('> will my scalp have burns if i leave the bleach on too long?', '< Please follow the timing on the box.');
    expect(detect(c).riskFlags).not.toContain('safety');
  });
  it('near case: "my scalp has no burns, just a bit itchy" → no safety flag', () => {
    const c = conv('> my scalp has no burns, just a bit itchy after toning. normal?', '< Mild itching can happen.');
    expect(detect(c).riskFlags).not.toContain('safety');
  });
});

describe('someone else asking ("my friends keep asking where I got them") is no repeated question', () => {
  it('"my friends keep asking where i got them" … "wait where is the referral link" → not escalated', () => {
    const c = conv(
      '> these earrings are giving everything',
      '> my friends keep asking where i got them',
      '< Love that! You can share your referral link from your account page.',
      '> wait where is the referral link',
    );
    expect(detect(c).shouldEscalate).toBe(false);
  });
  it('near case: "I keep asking where my refund is" → REPEATED_QUESTION', () => {
    const c = conv('> where is my refund', '< Refunds take 5-10 days.', '> i keep asking where my refund is and nobody answers');
    expect(fired(c, 'REPEATED_QUESTION')).toBe(true);
  });
});

describe('"thank you once again" repeats the thanks, not a question, and is no trouble next to praise', () => {
  it('"Thank you once again. Very good service 👍" after an arrival → not escalated', () => {
    const c = conv(
      '> Dear team, the replacement lamp shade arrived this morning. Thank you for sending it so quickly. Kind regards, Margaret',
      '< You are very welcome, Margaret! Glad it arrived safely.',
      '> Thank you once again. Very good service 👍',
    );
    const d = detect(c);
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: "once again, where is my parcel?" → REPEATED_QUESTION', () => {
    const c = conv('> where is my parcel', '< It is on its way.', '> once again, where is my parcel? it was due monday');
    expect(fired(c, 'REPEATED_QUESTION')).toBe(true);
  });
  it('near case: "broken again. very good service" stays ironic → NEGATIVE_SENTIMENT', () => {
    const c = conv('> the kettle lid is broken again.', '< Sorry to hear that.', '> thanks. very good service again, the second one broken in a month');
    expect(fired(c, 'NEGATIVE_SENTIMENT')).toBe(true);
  });
});

describe('"I may need to cancel my order if …": a possible need told ahead is no cancellation request', () => {
  it('"I may need to cancel my order if the move is delayed. Until when can I cancel for free?" → not escalated', () => {
    const c = conv(
      '> Good afternoon,\n\nI may need to cancel my order of a sideboard if our move is delayed. Until when could I cancel without a fee? Nothing is wrong at present, I would simply like to know.\n\nKind regards,\nHelen',
      '< Hi Helen! You can cancel free of charge any time before your order is dispatched.',
      '> Wonderful, that is exactly what I needed to know. Thank you.',
    );
    expect(detect(c).shouldEscalate).toBe(false);
  });
  it('near case: "I need to cancel my order, our move is delayed" → KEYWORD_MATCH', () => {
    const c = conv('> Good afternoon, I need to cancel my order of a sideboard, our move is delayed. Kind regards, Helen', '< I can help with that.');
    expect(fired(c, 'KEYWORD_MATCH')).toBe(true);
  });
});

describe('a person asked for by a formal title ("a customer care executive", "requires a human representative")', () => {
  it('"I would still prefer to speak with an executive" after the bot offers help → MANUAL', () => {
    const c = conv(
      '> Respected Sir/Madam, kindly arrange for a customer service executive to look into my order KL-4410. Regards, Anil',
      '< Hello Anil! I am a virtual assistant and can help with most questions. What is the issue?',
      '> Thank you. However I would still prefer to speak with an executive. Kindly arrange the same.',
    );
    expect(fired(c, 'MANUAL')).toBe(true);
  });
  it('"my complaint requires a human representative" → MANUAL', () => {
    const c = conv('> Dear team, my complaint regarding order KL-4410 requires a human representative. Regards, Anil', '< How can I help?');
    expect(fired(c, 'MANUAL')).toBe(true);
  });
  it('near cases: "I would like the executive desk in oak", "is the executive chair in stock" → no MANUAL', () => {
    expect(fired(conv('> I would like to order the executive desk in oak please.', '< Of course!'), 'MANUAL')).toBe(false);
    expect(fired(conv('> Is the executive chair back in stock? I would like to speak to my wife first.', '< Yes it is.'), 'MANUAL')).toBe(false);
  });
});

describe('"ok whats the weight on the wireless one": an acknowledgement, then at once a new question', () => {
  it('"is this keyboard wireless or wired" … "ok whats the battery life on the wireless one" → not escalated', () => {
    const c = conv(
      '> is this keyboard wireless or wired',
      '< The K2 is wired. If you want wireless, the K2 Air is the same layout.',
      '> ok whats the battery life on the wireless one',
    );
    expect(detect(c).shouldEscalate).toBe(false);
  });
  it('near case: "ok but is it wireless or wired?" pushes back → REPEATED_QUESTION', () => {
    const c = conv('> is this keyboard wireless or wired', '< The K2 has a great layout and RGB lighting.', '> ok but is it wireless or wired?');
    expect(fired(c, 'REPEATED_QUESTION')).toBe(true);
  });
});

describe('a short aside ("yes i have that", "ok but not return") between a question and the same question reworded', () => {
  it('"can i use the code with my student discount" … "yes i have that" / "im asking if both work together" → REPEATED_QUESTION', () => {
    const c = conv(
      '> can i use the SPRING15 code with my student discount',
      '< Students get 10% off when they verify through UNiDAYS!',
      '> yes i have that',
      "> i'm asking if i can use SPRING15 on top of the student one. it removes one when i add both",
    );
    expect(fired(c, 'REPEATED_QUESTION')).toBe(true);
  });
  it('"do u price match after i buy" … "ok but not return" / "the jeans are $20 cheaper now. do i get the difference" → REPEATED_QUESTION', () => {
    const c = conv(
      '> do u price match if something goes on sale after i buy it',
      '< You can return unworn items within 30 days for a refund.',
      '> ok but not return',
      '> the jeans i bought last week are $20 cheaper today. do i get the difference back or nah',
    );
    expect(fired(c, 'REPEATED_QUESTION')).toBe(true);
  });
  it('near case: an aside that takes the answer, then a new question ("yes i have that" … "what colours does it come in?") → not escalated', () => {
    const c = conv(
      '> can i use the SPRING15 code with my student discount',
      '< Yes, both apply at checkout.',
      '> yes i have that',
      '> great. what colours does the bomber jacket come in?',
    );
    expect(detect(c).shouldEscalate).toBe(false);
  });
});

describe('a despairing emoji (💀 😭) is no shared laugh when a cheerful reply is contradicted', () => {
  it('"so happy with my new jeans" … "Glad you love them!" … "i do not love them 💀 the zip broke" → sarcasm across turns', () => {
    const c = conv(
      '> so happy with my new jeans, the zip fell off on day one',
      "< That's great to hear! We're so glad you love them. 😊",
      '> i do not love them 💀 the zip is in my bag not on my jeans',
    );
    const neg = detect(c).triggers.find((t) => t.type === 'NEGATIVE_SENTIMENT');
    expect(neg?.reason).toContain('contradicted a cheerful reply');
  });
  it('near case: the same contradiction with a shared laugh ("haha no 😂 not yet") → no contradiction found', () => {
    const c = conv('> the jeans came today', "< That's great to hear! We're so glad you love them.", '> haha not tried them on yet 😂');
    const neg = detect(c).triggers.find((t) => t.type === 'NEGATIVE_SENTIMENT');
    expect(neg?.reason ?? '').not.toContain('contradicted a cheerful reply');
  });
});

describe('"i ordered at 9am on monday" … "its sunday.": a short "it\'s <day>" after another day gone by', () => {
  it('paid for next day, "i ordered on tuesday lol" then "its saturday. so next day" → NEGATIVE_SENTIMENT (waiting)', () => {
    const c = conv(
      '> paid extra for next day delivery and the parcel is having a lovely holiday somewhere',
      '< Sorry for any delay! Next-day orders must be placed before 2pm.',
      '> i ordered at 10am on tuesday lol',
      '> its saturday. very next day of you',
    );
    const neg = detect(c).triggers.find((t) => t.type === 'NEGATIVE_SENTIMENT');
    expect(neg?.reason).toContain('waiting');
  });
  it('near case: "the party is on friday" … "today is wednesday" (a day ahead, not gone by) → no waiting fact from it', () => {
    const c = conv('> the party is on friday and i need the balloons', '< They are on the way.', '> today is wednesday. which courier has them?');
    const neg = detect(c).triggers.find((t) => t.type === 'NEGATIVE_SENTIMENT');
    expect(neg?.reason ?? '').not.toContain('today is wednesday');
  });
});

describe('a return fee with pounds and pence ("pay £4.95 for the return label") is refused as "pay for the return label" is', () => {
  it('"The portal says I must pay £3.99 for the return label for a lamp I did not order." → NEGATIVE_SENTIMENT (refused)', () => {
    const c = conv(
      '> Good morning, I received a brass lamp instead of the oak one I ordered. Kind regards, Edith',
      '< You can exchange your item through our returns portal.',
      '> Thank you, I did try that. The portal says I must pay £3.99 for the return label for a lamp I did not order.',
    );
    const neg = detect(c).triggers.find((t) => t.type === 'NEGATIVE_SENTIMENT');
    expect(neg?.reason).toContain('refused');
  });
  it('near case: "Do I have to pay £3.99 for the return label?" asks → not escalated', () => {
    expect(detect(conv('> Do I have to pay £3.99 for the return label?', '< No, returns are free.')).shouldEscalate).toBe(false);
  });
});

describe('effort repeated and counted in trips or visits ("3 separate trips") is repeat contact', () => {
  it('"the qr code you sent doesnt scan" … "4 separate visits to the locker" → NEGATIVE_SENTIMENT (repeat contact)', () => {
    const c = conv(
      '> the qr code you guys sent for the locker doesnt work',
      '< Sorry about that! You can get a new code from your order page.',
      '> got a new one. went to the locker with it. 4 separate visits. it just beeps',
      '> order 55102',
    );
    const neg = detect(c).triggers.find((t) => t.type === 'NEGATIVE_SENTIMENT');
    expect(neg?.reason).toContain('repeat contact');
  });
  it('near case: "the sofa comes in 2 separate deliveries?" → not escalated', () => {
    expect(detect(conv('> does the sofa come in 2 separate deliveries?', '< Yes, the frame and cushions ship apart.')).shouldEscalate).toBe(false);
  });
});
