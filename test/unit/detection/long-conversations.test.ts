import { describe, it, expect } from 'vitest';
import { detect } from '../../../src/detection/index.ts';
import { conv } from './helpers.ts';
import { LEX } from '../../../src/detection/sentiment.ts';
import { endsWarm } from '../../../src/detection/signals/aside.ts';
import { tokenText } from '../../../src/detection/signals/pattern.ts';
import { tokenize } from '../../../src/detection/tokenize.ts';

// Causes of the w45 (subscriptions and digital goods) and w46 (long, slow-building conversations at
// home, furniture, appliance and DIY shops) batches: longer conversations (5–13 messages) that pass
// through worrying words before ending calm. Every case that changes is paired with a near case that
// must not. Examples written for these tests.

describe('a risk word said in passing, then a calm ending: no risk flag', () => {
  it('a hazard asked in its own clause ("it smells like burning?") before "great, thanks" → no safety flag, no escalation', () => {
    const c = conv(
      '> is the Bonfire Night candle the one with the smoky scent? it smells like burning?',
      '< Yes, it has notes of woodsmoke and clove.',
      '> nice, and does it come in the large jar?',
      '< Yes, in 200g and 400g.',
      '> great, thanks, I will order the large one',
    );
    const d = detect(c);
    expect(d.riskFlags).not.toContain('safety');
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: "my son burned his hand on it, is that normal?" then "ok thanks" → safety, URGENT', () => {
    const c = conv(
      '> my son burned his hand on the kettle lid, is that normal?',
      '< The lid can get hot while boiling. Please keep it away from children.',
      '> ok thanks',
    );
    const d = detect(c);
    expect(d.riskFlags).toContain('safety');
    expect(d.priority).toBe('URGENT');
  });
  it('near case: "why did my charger catch fire?" then "thanks" → safety, URGENT', () => {
    const c = conv('> why did my charger catch fire last night?', '< I am sorry to hear that. Chargers have overcharge protection.', '> thanks');
    expect(detect(c).priority).toBe('URGENT');
  });

  it('hearsay asked about ("my brother says his old one caught fire, is that a thing?") → no safety flag', () => {
    const c = conv(
      '> how long is the warranty on the cordless hedge trimmer?',
      '< Two years, and one year on the battery.',
      '> my brother says his old one caught fire on charge, is that a thing with these?',
      '< Our batteries are protected against overcharging and tested for safety.',
      '> good to know. perfect, thanks, I will order one',
    );
    const d = detect(c);
    expect(d.riskFlags).not.toContain('safety');
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: hearsay told as it happened ("my wife says the charger burned her hand") then "ok thanks" → URGENT', () => {
    const c = conv(
      '> my wife says the charger burned her hand when she unplugged it',
      '< I am sorry to hear that. Could you send the order number?',
      '> 55102',
      '< Thank you.',
      '> ok thanks',
    );
    expect(detect(c).priority).toBe('URGENT');
  });

  it('a joke taken back ("the volcano kit exploded a bit lol, still works") → no safety flag', () => {
    const c = conv(
      '> the science kit volcano exploded a bit on the table lol but it still works',
      '< Ha! Glad it still works. Want a spare refill?',
      '> nah we are fine 😂 thanks guys',
    );
    expect(detect(c).riskFlags).not.toContain('safety');
  });
  it('near case: "the kit exploded and cut her hand" then "ok thanks" → safety, URGENT', () => {
    const c = conv('> the science kit bottle exploded and a piece cut my daughter on the hand', '< I am so sorry. Is she ok?', '> ok thanks');
    expect(detect(c).priority).toBe('URGENT');
  });

  it('a dispute word asked about ("is there a chargeback risk with Klarna?") before "great, that clears it up" → no chargeback flag', () => {
    const c = conv(
      '> can I cancel a pre-order before it ships?',
      '< Yes, any time before dispatch, for a full refund.',
      '> ok. and is there a chargeback risk if I pay with Klarna?',
      '< No, Klarna payments are only taken at dispatch.',
      '> great, that clears it up. thanks',
    );
    const d = detect(c);
    expect(d.riskFlags).not.toContain('chargeback');
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: "I will file a chargeback" then "thanks" → chargeback, URGENT', () => {
    const c = conv('> you charged me twice and nobody answers. I will file a chargeback with my bank.', '< I am sorry about that.', '> thanks');
    expect(detect(c).priority).toBe('URGENT');
  });

  it('a lawyer to read the terms before buying ("our solicitor will look over the contract") → no legal threat', () => {
    const c = conv(
      '> we are thinking of 20 seats of the team plan for our office',
      '< Great! 20 seats are $9 per user per month on annual billing.',
      '> our solicitor will want to look over the contract first. is there a PDF?',
      '< Yes, on the pricing page.',
      '> lovely, thanks, will come back to you',
    );
    const d = detect(c);
    expect(d.riskFlags).not.toContain('legal_threat');
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: "my solicitor has looked at it and you are in breach" → legal threat, URGENT', () => {
    const c = conv(
      '> the sofa is still not delivered after 9 weeks. my solicitor has looked at the contract and says you are in breach.',
      '< I am sorry for the delay.',
      '> thanks',
    );
    expect(detect(c).priority).toBe('URGENT');
  });
});

describe('an earlier problem settled by a calm ending several turns later', () => {
  it('a missing part sent, then "it arrived, lovely, thanks" → no NEGATIVE_SENTIMENT', () => {
    const c = conv(
      '> the bookcase I got is missing the shelf pins',
      '< Sorry about that! I have posted a new pack of shelf pins today.',
      '> ah ok, I was wondering where they were',
      '< They should be with you in 2 days.',
      '> they came this morning, all built now. lovely, thanks',
    );
    const d = detect(c);
    expect(d.triggers.some((t) => t.type === 'NEGATIVE_SENTIMENT')).toBe(false);
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: the problem still there in the last message ("still missing the pins, thanks") → escalates', () => {
    const c = conv(
      '> the bookcase I got is missing the shelf pins',
      '< Sorry about that! I have posted a new pack of shelf pins today.',
      '> ok',
      '< They should be with you in 2 days.',
      '> it has been a week and the pins are still missing. this is the second time. thanks for nothing',
    );
    expect(detect(c).shouldEscalate).toBe(true);
  });
  it('near case: a bare "ok thanks" right after a canned reply does not settle it → escalates', () => {
    const c = conv(
      '> my parcel was due on the 3rd. it is the 12th and it has not arrived. I have emailed twice.',
      '< Deliveries can take up to 10 working days.',
      '> ok thanks',
    );
    expect(detect(c).shouldEscalate).toBe(true);
  });
});

describe('safety: a pet poisoned after eating the product', () => {
  it('"the dog ate some of the pellets and now he is drooling and can\'t stand" → safety, URGENT', () => {
    const c = conv(
      '> are your slug pellets safe for pets?',
      '< The PetSafe range is labelled for use around pets.',
      '> our terrier ate some of the pellets from the flower bed and now he is drooling and cant stand up. the vet says the symptoms look like poisoning',
    );
    const d = detect(c);
    expect(d.riskFlags).toContain('safety');
    expect(d.priority).toBe('URGENT');
  });
  it('near case: "the dog ate his dinner and is drooling for more" → no safety flag', () => {
    const c = conv(
      '> the dog ate his salmon kibble in seconds and was drooling for more. do you sell it in 12kg bags?',
      '< Yes, 2kg and 12kg.',
      '> great, thanks',
    );
    expect(detect(c).riskFlags).not.toContain('safety');
  });
});

describe("sarcasm: the reply's wait echoed back with praise", () => {
  it('"Sorry … reviewed within 10 working days." — "Great, ten working days, she gets it after the wedding. Wonderful." → escalates', () => {
    const c = conv(
      "> the dress for my daughter's wedding came without the sash",
      '< I am sorry for that. Missing item claims are reviewed within 10 working days.',
      '> Great, ten working days, so she gets it a week after the wedding. She will be thrilled. Thank you so much.',
    );
    const d = detect(c);
    expect(d.sentiment).toBeLessThan(-0.5);
    expect(d.shouldEscalate).toBe(true);
  });
  it('"Sorry for the wait, it should go out soon." — "Soon! What a relief." → escalates', () => {
    const c = conv(
      '> my fridge was meant to come on the 2nd. it is the 11th.',
      '< I apologise for the delay. I would expect it to be dispatched soon.',
      '> Soon! What a relief. The milk has been so patient in the cool box.',
    );
    expect(detect(c).shouldEscalate).toBe(true);
  });
  it('near case: the reply acted ("I\'ve refunded it, 5 working days") — "5 working days, great, thanks" → no escalation', () => {
    const c = conv(
      '> I was charged twice for my order',
      '< Sorry about that! I have refunded the duplicate now; it will be back on your card in 5 working days.',
      '> 5 working days, great, thanks for sorting that',
    );
    expect(detect(c).shouldEscalate).toBe(false);
  });
});

describe('a keyword the customer denies: "genuine and not a scam"', () => {
  it('"just checking the email is genuine and not a scam" → no scam keyword', () => {
    const c = conv(
      '> I got a text saying my sofa delivery is booked, ref SD-4410. just checking it is genuine and not a scam',
      '< Yes, SD-4410 is your genuine delivery reference.',
      '> great, thanks',
    );
    expect(detect(c).keywords).not.toContain('scam');
  });
  it('near case: "this is a scam, you took my money" → scam keyword, escalates', () => {
    const c = conv('> this is a scam. you took my money 3 weeks ago and nothing has come', '< I am sorry to hear that.');
    const d = detect(c);
    expect(d.keywords).toContain('scam');
    expect(d.shouldEscalate).toBe(true);
  });
});

describe('a question asked again, then a warm ending: answered', () => {
  it('"do I need to send the plant back?" re-asked after an answer, then "Brilliant, I\'ll keep the labels then" → no REPEATED_QUESTION', () => {
    const c = conv(
      '> hi, can I get a refund on a plant if it dies?',
      '< Yes, hardy plants can be returned within 12 months with the receipt.',
      '> oh nice. my partner kills everything',
      '< Ha, you are covered then!',
      '> Do I need to bring the plant back for the refund?',
      '< Just the receipt and the pot label.',
      '> Brilliant, I will keep the labels then',
    );
    expect(detect(c).triggers.some((t) => t.type === 'REPEATED_QUESTION')).toBe(false);
  });
  it('near case: the same question pushed a third time and no warm ending → escalates', () => {
    const c = conv(
      '> can I get a refund on a plant if it dies?',
      '< Our Plant Promise covers hardy plants.',
      '> but can I get a refund on a plant if it dies or not?',
      '< Please see our Plant Promise page.',
      '> I am asking again: can I get a refund on a plant if it dies?',
    );
    expect(detect(c).shouldEscalate).toBe(true);
  });
  it('near case: "nope, all sorted, as usual" and "can\'t wait for the next one" are no warm ending; "Brilliant, I\'ll keep the labels" is', () => {
    const tt = (s: string) => tokenText(tokenize(s, 5000, LEX).toks);
    expect(endsWarm(tt('nope, all sorted, as usual'))).toBe(false);
    expect(endsWarm(tt("perfect. can't wait for next month's chemistry set for my toddler"))).toBe(false);
    expect(endsWarm(tt("Brilliant, I'll keep the labels then"))).toBe(true);
    expect(endsWarm(tt('Will do. Thanks again, good service.'))).toBe(true);
  });
});

describe('"cancel my membership email newsletter": the mailing, not the account', () => {
  it('"cancel my membership newsletter, not my account" → no account closure', () => {
    const c = conv(
      '> hello, please cancel my membership newsletter, not my account',
      '< Done, you are unsubscribed from marketing emails.',
      '> perfect, thanks',
    );
    expect(detect(c).keywords).not.toContain('account closure');
  });
  it('near case: "cancel my membership, I am done with you" → account closure', () => {
    const c = conv('> cancel my membership. third late order this month, I am done with you');
    expect(detect(c).keywords).toContain('account closure');
  });
});

describe('a joke shared with a laugh, settled by a calm ending several turns later', () => {
  it('"Great. My wife said \'bin the subscription\' but I like it too much, ha." … "Lovely. Thanks!" → no escalation', () => {
    const c = conv(
      '> Morning! I just want to skip, not cancel, my Coffee Club box for July.',
      '< Good morning! I have skipped July for you. It resumes on 1 August.',
      "> Great. My wife said 'bin the subscription' but I like it too much, ha.",
      '< Glad to keep you! Nothing will be charged for July.',
      '> Perfect. And the August box, still the Ethiopian one?',
      '< Yes, August is the Ethiopian Yirgacheffe.',
      '> Lovely. Thanks!',
    );
    expect(detect(c).shouldEscalate).toBe(false);
  });
  it('near case: irony without a laugh ("Great. Third box lost this year.") then "Lovely. Thanks!" keeps its sentiment', () => {
    const c = conv(
      '> my Coffee Club box never came. third one lost this year.',
      '< Sorry about that. Parcels can take a little longer in busy periods.',
      '> Great. Really great service, love waiting a month for coffee.',
      '< I understand. Anything else?',
      '> nope',
      '< Have a lovely day!',
      '> Lovely. Thanks!',
    );
    expect(detect(c).sentiment).toBeLessThan(0);
  });
});

describe('"a replacement for a broken hinge": the customer\'s own broken thing, the reason to buy', () => {
  it('looking for a replacement for a broken drawer runner, then "Ordered, thank you" → no escalation', () => {
    const c = conv(
      "> Hi, I'm looking for a replacement for a broken drawer runner",
      '< Hi! Is it a ball-bearing runner? We sell 350mm and 450mm.',
      '> 450mm I think',
      '< Then the 450mm full-extension pair is the one.',
      '> How do I know which fixing I need?',
      '< The screws come in the pack.',
      '> Ordered, thank you. Saves me a whole new chest of drawers',
    );
    expect(detect(c).shouldEscalate).toBe(false);
  });
  it('near case: "I need a replacement for the broken runner you sent" still tells damage → escalates', () => {
    const c = conv('> I need a replacement for the broken drawer runner you sent me last week', '< Please see our returns page.');
    expect(detect(c).shouldEscalate).toBe(true);
  });
});
