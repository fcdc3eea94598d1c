import { describe, it, expect } from 'vitest';
import { detect } from '../../../src/detection/index.ts';
import { conv } from './helpers.ts';

// Causes of the w47 (fashion, shoes, jewellery and beauty shops) and w48 (groceries, meal kits,
// supplements and pet food) batches: long conversations again. Every case that changes is paired with
// a near case that must not. Examples written for these tests.

describe('safety told in the words of a beauty or pet shop', () => {
  it('a child chewing something not made to be eaten ("chewing on the nail glue") → safety, URGENT', () => {
    const c = conv(
      '> my little boy found my bag and has been chewing on the lash glue from your set',
      '< Oh no, which product is it exactly?',
      '> the small tube in the starter kit. what should I do',
    );
    const d = detect(c);
    expect(d.riskFlags).toContain('safety');
    expect(d.priority).toBe('URGENT');
  });
  it('a pet that licked the detergent → safety, URGENT', () => {
    expect(detect(conv('> our puppy licked the laundry detergent off the floor, is he going to be ok?')).priority).toBe('URGENT');
  });
  it('near case: the same product asked about calmly ("is the nail glue safe if my toddler chews it?") → no safety flag', () => {
    const d = detect(
      conv('> is the nail glue safe if my toddler chews it? just want to know before I buy', '< Keep it out of reach of children.', '> ok thanks'),
    );
    expect(d.riskFlags).not.toContain('safety');
  });
  it('near case: eating beside the product, not eating it ("I ate lunch while the nail polish dried") → no safety flag', () => {
    const d = detect(conv('> I ate lunch while the nail polish dried, love the colour!'));
    expect(d.riskFlags).not.toContain('safety');
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: a pet eating its own food ("my dog ate the new kibble happily") → no safety flag', () => {
    const d = detect(conv('> my dog ate the new kibble happily, can I set up a subscription?', '< Yes, from the product page.', '> great thanks'));
    expect(d.riskFlags).not.toContain('safety');
    expect(d.shouldEscalate).toBe(false);
  });

  it('one eye, its symptoms listed past a comma ("my eye is red, watering nonstop") → safety, URGENT', () => {
    const c = conv(
      '> some of the brow tint got in my eye when I put it on',
      '< I am sorry. Please follow the instructions on the box.',
      '> my eye is red, stinging and I can barely keep it open',
    );
    const d = detect(c);
    expect(d.riskFlags).toContain('safety');
    expect(d.priority).toBe('URGENT');
  });
  it('near case: "does the lash glue sting if it gets in your eye?" → no safety flag, no escalation', () => {
    const d = detect(conv('> does the lash glue sting if it gets in your eye?', '< It can, so apply it with the eye closed.', '> good to know, thanks'));
    expect(d.riskFlags).not.toContain('safety');
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: "my eyes are fine, no burning at all" after trying it → no safety flag', () => {
    const d = detect(conv('> tried the new serum last night, my eyes are fine, no burning at all', '< Great to hear!', '> thanks 😊'));
    expect(d.riskFlags).not.toContain('safety');
  });
});

describe('a calm ending after a problem that was not ours or is already over', () => {
  it('"no all good, thanks a lot" answers "anything else?" → no negative sentiment', () => {
    const c = conv(
      '> the candle in my gift box came with a cracked lid',
      '< Sorry! I have refunded the candle and sent a new one today.',
      '> oh nice',
      '< Anything else I can help with?',
      '> no all good, thanks a lot',
    );
    const d = detect(c);
    expect(d.sentiment).toBeGreaterThanOrEqual(0);
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: "no, still not good, the new one is cracked too" → escalates', () => {
    const c = conv(
      '> the candle in my gift box came with a cracked lid',
      '< Sorry! I have sent a new one today.',
      '> no, still not good, the new one came cracked too. this is the second time',
    );
    expect(detect(c).shouldEscalate).toBe(true);
  });

  it('a worry that is over ("Great, thanks. Was worried I\'d cancelled the whole thing.") → no sarcasm', () => {
    const c = conv(
      '> please cancel the gift message on my order, not the order itself',
      '< Done — the gift message is removed and your order is unchanged.',
      '> Great, thanks. Was worried I had cancelled the whole thing.',
      '< Nope, it is still going out today.',
      '> Lovely, thank you.',
    );
    const d = detect(c);
    expect(d.triggers.some((t) => t.type === 'NEGATIVE_SENTIMENT')).toBe(false);
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: praise beside a cancellation that happened ("Great. You cancelled the whole order instead.") → escalates', () => {
    const c = conv(
      '> please cancel the gift message on my order, not the order itself',
      '< I am sorry, the whole order was cancelled by mistake.',
      '> Great. Just great. You cancelled the whole order instead, two days before her birthday.',
    );
    expect(detect(c).shouldEscalate).toBe(true);
  });

  it('praise opening a message, then a curiosity ("great. also curious about the \'kill bill\' toy") → no sarcasm', () => {
    const c = conv(
      '> do you sell slow feeder bowls for a labrador?',
      '< Yes, the large Maze bowl from $14.',
      "> great. also curious about the 'chaos gremlin' chew toy on your homepage lol, is that real",
      '< It is! A rubber chew toy, the name is a bit of fun.',
      '> ha ok adding both. thanks',
    );
    expect(detect(c).shouldEscalate).toBe(false);
  });

  it('the damage told with its remedy already received ("just got my refund for the melted chocolate") → no damage fact', () => {
    const c = conv(
      '> just got my refund for the melted chocolate 🙏',
      '< Great! Sorry it arrived melted.',
      '> lol my flat was 30 degrees, not your fault',
      '< Ha! We use insulated packaging now.',
      '> cheers 😎🍫',
    );
    const d = detect(c);
    expect(d.triggers.some((t) => t.type === 'NEGATIVE_SENTIMENT')).toBe(false);
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: the remedy received but the new one damaged too → escalates', () => {
    const c = conv(
      '> got my refund for the melted chocolate but the replacement box arrived melted too. third time now.',
      '< Sorry about that. Heat can affect chocolate in transit.',
      '> ok thanks',
    );
    expect(detect(c).shouldEscalate).toBe(true);
  });

  it('a fixture of the building broken ("because the lift was broken") in praise of the driver → no damage fact', () => {
    const c = conv(
      '> just wanted to say the driver today was lovely 😊',
      '< That is so nice to hear!',
      '> he carried everything up 4 flights because the lift was broken',
      '< I will pass that on to him.',
      '> Thanks!! 🙌',
    );
    expect(detect(c).shouldEscalate).toBe(false);
  });
  it('near case: what we sent broken ("the jar was broken") after a canned reply → escalates', () => {
    const c = conv(
      '> my hamper came today and the jar of chutney was broken, glass all through the box',
      '< Items can sometimes shift in transit.',
      '> ok thanks',
    );
    expect(detect(c).shouldEscalate).toBe(true);
  });

  it('the customer\'s own earlier one ("the last bowl I had cracked") is the reason to buy → no damage fact', () => {
    const c = conv(
      '> hi, do you sell slow feeder bowls? my spaniel eats far too fast',
      '< Yes! The Maze bowls start at $14.',
      '> and is it dishwasher safe? the last bowl I had cracked and was basically broken after a month',
      '< Yes, top rack, with a 1-year guarantee against cracking.',
      '> lovely, adding the large one. thanks',
    );
    expect(detect(c).shouldEscalate).toBe(false);
  });
  it('near case: "the last bowl I bought from you cracked after a month" → a damage fact, escalates', () => {
    const c = conv('> the last bowl I bought from you cracked and was broken after a month', '< Our bowls are dishwasher safe on the top rack.', '> ok thanks');
    expect(detect(c).shouldEscalate).toBe(true);
  });
});

describe('a dispute or risk word said calmly earlier, then a calm ending', () => {
  it('a chargeback at another shop told as the reason to ask ("… from a different shop I had to threaten a chargeback") → no flag', () => {
    const c = conv(
      '> what is your returns policy on sale shoes?',
      '< Sale items can be returned within 14 days.',
      '> ok. last time I ordered from another store I had to threaten a chargeback to get my money back lol',
      '< Understandable! Refunds go back to your card within 5 working days.',
      '> sounds fair, I will go ahead and order the loafers',
    );
    const d = detect(c);
    expect(d.riskFlags).not.toContain('chargeback');
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: a chargeback threatened against this shop, then "sounds fair" → chargeback, URGENT', () => {
    const c = conv(
      '> my refund is 3 weeks late. if it is not back by Friday I will file a chargeback',
      '< Sorry, I have chased the warehouse.',
      '> sounds fair, thanks',
    );
    expect(detect(c).priority).toBe('URGENT');
  });

  it('read somewhere and asked about ("I saw a post on Reddit saying your salmon gave people food poisoning. Is that true?") → no flag', () => {
    const c = conv(
      '> I saw a post on Reddit saying your prawns gave people food poisoning. Is that true?',
      '< There are no recalls or safety notices on our prawns.',
      '> ok good, probably someone being dramatic',
      '< They come chilled with ice packs.',
      '> Perfect, ordering now. Thanks!',
    );
    const d = detect(c);
    expect(d.riskFlags).not.toContain('safety');
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: food poisoning told as it happened, then "thanks" → safety, URGENT', () => {
    const c = conv('> your prawns gave my husband and me food poisoning, we were up all night', '< I am so sorry to hear that.', '> thanks');
    expect(detect(c).priority).toBe('URGENT');
  });

  it('a scam thought and taken back in the same sentence ("thought it was a scam text but it was legit") → no keyword', () => {
    const c = conv('> lol my dad thought the delivery text was a scam but it was legit 😂 parcel is here', '< Haha, glad it arrived!', '> thanks so much 🤗');
    const d = detect(c);
    expect(d.triggers.some((t) => t.type === 'KEYWORD_MATCH')).toBe(false);
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: "I think this is a scam, the parcel never came" → keyword, escalates', () => {
    expect(detect(conv('> I think this is a scam, the parcel never came and nobody answers')).shouldEscalate).toBe(true);
  });

  it('a product\'s name the customer quoted ("the \'Dispute\' blend" … "swap to Dispute") → no chargeback flag', () => {
    const c = conv(
      "> the 'Dispute' blend, is it very dark?",
      '< Medium-dark, with cocoa notes.',
      '> nice, could I swap my regular for Dispute next month?',
      '< Done, next month is Dispute.',
      '> thanks, that is all for today',
    );
    const d = detect(c);
    expect(d.riskFlags).not.toContain('chargeback');
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: the quoted name, then "I will dispute the charge with my bank" → chargeback, URGENT', () => {
    const c = conv("> I love the 'Dispute' blend but you charged me twice. I will dispute the charge with my bank", '< Sorry about that.', '> thanks');
    expect(detect(c).priority).toBe('URGENT');
  });
});

describe('a repeat answered in between', () => {
  it('"nope thats it, have a good one" answers "anything else?" → no repeat, no escalation', () => {
    const c = conv(
      '> hi, my tea subscription charged me even though i paused it. bit frustrating',
      '< I can see the pause was set for May but the charge on 1 May went through.',
      '> yeah that one',
      '< The pause was set after the charge was taken, so I have refunded the $18 in full.',
      '> oh ok that makes sense, I did pause it late',
      '< Your pause is active now for May and June.',
      '> perfect. thank you',
      '< Anything else I can help with?',
      '> nope thats it, have a good one',
    );
    expect(detect(c).shouldEscalate).toBe(false);
  });
  it('near case: "no thats it, the parcel never came" still complains', () => {
    const c = conv(
      '> where is my order?',
      '< It was delivered yesterday.',
      '> no thats it, the parcel never came. this is the third time I am asking where it is',
    );
    expect(detect(c).shouldEscalate).toBe(true);
  });

  it('the customer moved on: three other messages after a "so"-question, ending quiet → no repeat', () => {
    const c = conv(
      '> does your station store do click and collect',
      '< Yes, for orders placed 24 hours ahead.',
      '> so no same day collect',
      '< Not at station stores, unfortunately.',
      '> do they stock the 10ml travel perfume?',
      '< Yes, all station stores do.',
      '> ha good, last time I forgot mine',
      '< Happy travels!',
      '> fine, i will pop in and have a look',
    );
    const d = detect(c);
    expect(d.triggers.some((t) => t.type === 'REPEATED_QUESTION')).toBe(false);
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: the same, ending "as usual. cant wait" → the repeat stays', () => {
    const c = conv(
      '> does your station store do click and collect',
      '< Yes, for orders placed 24 hours ahead.',
      '> so no same day collect',
      '< Not at station stores, unfortunately.',
      '> do they stock the 10ml travel perfume?',
      '< Yes, all station stores do.',
      '> ha good, last time I forgot mine',
      '< Happy travels!',
      '> fine, no same day as usual. cant wait',
    );
    expect(detect(c).shouldEscalate).toBe(true);
  });
});
