import { describe, it, expect } from 'vitest';
import { detect, type Decision, type TriggerType } from '../../../src/detection/index.ts';
import { conv } from './helpers.ts';
import { refusalAfterDamage, reportedRefusal } from '../../../src/detection/signals/refusal.ts';
import { unansweredReask } from '../../../src/detection/signals/reask.ts';
import { praiseAfterProblem, strongPraise } from '../../../src/detection/signals/sarcasm.ts';
import { tokenText } from '../../../src/detection/signals/pattern.ts';
import { tokenize } from '../../../src/detection/tokenize.ts';

// The structural signals added for generalisation (#12): each with cases that must fire and neutral
// look-alikes that must not. Examples written for these tests, not taken from any labelled set.

/** A web chat where the AI is confident, so only the words decide. `>` customer, `<` assistant. */
const trigger = (d: Decision, type: TriggerType) => d.triggers.find((t) => t.type === type);
const tt = (s: string) => tokenText(tokenize(s).toks);

describe('damaged item met with a refusal (signals/refusal.ts)', () => {
  it.each([
    ['> The mirror arrived with a crack across the middle, I would like a refund.', '< Unfortunately mirrors are not eligible for refunds once delivered.'],
    ['> The lamp shade is torn on one side.', '< Cosmetic marks are considered wear and tear and are not covered.'],
    ['> My speaker has a loud crackle on every song.', '< Please contact the manufacturer for warranty repairs.'],
  ])('"%s" then "%s" → NEGATIVE_SENTIMENT naming the refusal', (customer, assistant) => {
    const d = detect(conv(customer, assistant));
    expect(d.shouldEscalate).toBe(true);
    expect(trigger(d, 'NEGATIVE_SENTIMENT')!.reason).toContain('refused');
  });

  it('a refusal the customer reports with the damage counts too', () => {
    expect(reportedRefusal(tt('the drawer front is split and your team refused a replacement'))).toBe('refused');
    const d = detect(conv('> The drawer front is split and your team refused a replacement.', '< Let me look into that.'));
    expect(trigger(d, 'NEGATIVE_SENTIMENT')!.reason).toContain('refused');
  });

  it('does not fire when the assistant acted, or with no damage', () => {
    const acted = (t: string) => /I've sent/.test(t);
    const messages = [
      { role: 'customer', text: 'The mug came chipped.' },
      { role: 'assistant', text: "Unfortunately that colour is sold out, so I've sent you the blue one today." },
    ];
    expect(refusalAfterDamage({ messages, damageAt: 0, acted })).toBeNull();
    expect(detect(conv('> The mug came chipped.', "< So sorry! I've sent a replacement today.", '> Thanks!')).shouldEscalate).toBe(false);
    expect(
      detect(conv('> Can I return opened headphones?', '< For hygiene reasons opened headphones cannot be returned.', '> Ok, thanks.')).shouldEscalate,
    ).toBe(false);
  });
});

describe('a question the reply left out, asked again (signals/reask.ts)', () => {
  it.each([
    [
      '> Does the rain jacket pack into its own pocket?',
      '< The rain jacket is made from recycled nylon.',
      '> Right, but can I fold it into the pocket to carry it?',
    ],
    [
      '> Can the bed frame take a memory foam mattress?',
      '< Our bed frames come in oak and walnut finishes.',
      '> Will a memory foam mattress be ok on the slats though?',
    ],
    [
      '> Is the coffee table glass tempered?',
      '< The coffee table ships flat-packed with all fittings.',
      '> I know, but is the glass safety glass? I have toddlers',
    ],
  ])('%s / %s / %s → REPEATED_QUESTION', (q1, reply, q2) => {
    const d = detect(conv(q1, reply, q2));
    const t = trigger(d, 'REPEATED_QUESTION');
    expect(t).toBeDefined();
    expect(t!.messageIndexes).toContain(2);
  });

  it('names the content word the reply never mentioned', () => {
    const replies: Record<number, string[]> = { 1: ['jacket', 'nylon'] };
    const found = unansweredReask(
      {
        turns: [
          { index: 0, toks: ['does', 'the', 'jacket', 'pack', 'into', 'its', 'pocket', '?'] },
          { index: 2, toks: ['can', 'i', 'fold', 'it', 'into', 'the', 'pocket', '?'] },
        ],
        contents: [
          ['jacket', 'pack', 'pocket'],
          ['fold', 'pocket'],
        ],
        asks: [true, true],
        followUps: [false, false],
      },
      (k) => replies[k] ?? null,
    );
    expect(found).toEqual({ turn: 1, word: 'pocket' });
  });

  it.each([
    ['> Do the trainers come in size 9?', '< Yes, size 9 is in stock in white.', '> Do they come in size 10 as well?'],
    ['> How long does delivery to Spain take?', '< Usually 4-6 working days.', '> And how much does delivery to Spain cost?'],
    ['> Is the mattress firm?', '< It is medium-firm, 7 out of 10.', '> Do you sell a topper to go with it?'],
  ])('a follow-up after an answer is not a repeat: %s / %s / %s', (q1, reply, q2) => {
    expect(trigger(detect(conv(q1, reply, q2)), 'REPEATED_QUESTION')).toBeUndefined();
  });

  it('looks at the reply only when the second question takes up the first', () => {
    let read = 0;
    const found = unansweredReask(
      {
        turns: [
          { index: 0, toks: ['is', 'it', 'waterproof', '?'] },
          { index: 2, toks: ['what', 'colours', '?'] },
        ],
        contents: [['waterproof'], ['colour']],
        asks: [true, true],
        followUps: [false, false],
      },
      () => {
        read++;
        return ['lightweight'];
      },
    );
    expect(found).toBeNull();
    expect(read).toBe(0);
  });
});

describe('sarcasm across turns: strong praise after a problem nobody acted on', () => {
  it('fires on praise after an unresolved problem', () => {
    const messages = [
      { role: 'customer', text: 'The sofa legs were missing from the delivery.' },
      { role: 'assistant', text: 'Thanks for your message! Our team will be in touch within 10 working days.' },
      { role: 'customer', text: 'just wonderful. truly wonderful.' },
    ];
    const turns = [0, 2].map((index) => ({ index, toks: tokenize(messages[index]!.text).toks }));
    const found = praiseAfterProblem(
      messages,
      turns,
      [{ score: -0.3 }, { score: 0.8 }],
      () => false,
      () => false,
      () => false,
    );
    expect(found).toMatchObject({ turn: 1 });
    // an action between the problem and the praise makes the praise sincere
    expect(
      praiseAfterProblem(
        messages,
        turns,
        [{ score: -0.3 }, { score: 0.8 }],
        () => true,
        () => false,
        () => false,
      ),
    ).toBeNull();
    expect(detect(conv(...messages.map((m) => `${m.role === 'customer' ? '>' : '<'} ${m.text}`))).shouldEscalate).toBe(true);
  });

  it('"nothing says … like …" is ironic on its own', () => {
    expect(detect(conv('> Nothing says quality like a lamp that arrives in two pieces.', '< Glad you like it!')).shouldEscalate).toBe(true);
    expect(detect(conv('> Nothing beats a quiet evening with a good lamp, thanks!', '< Enjoy!')).shouldEscalate).toBe(false);
  });

  it('a sarcastic emoji makes even a thanks ironic', () => {
    const d = detect(conv('> My refund still has not arrived after 3 weeks', '< Refunds can take some time to process.', '> thanks a lot 🙃'));
    expect(d.shouldEscalate).toBe(true);
  });

  it.each([
    ['> My parcel is late, it was due yesterday', '< It was held at the depot and arrives today before 5pm.', '> brilliant, good to know'],
    ['> The zip broke on my bag', "< I'm sorry! I've sent a replacement bag today.", '> oh brilliant, thank you so much'],
    ['> can I cancel if it has not shipped yet?', '< Yes, any time before dispatch.', '> great stuff'],
  ])('sincere praise does not: %s / %s / %s', (a, b, c) => {
    expect(detect(conv(a, b, c)).shouldEscalate).toBe(false);
  });

  it('strongPraise: repeated praise and emoji count, a plain thanks does not', () => {
    expect(strongPraise(tt('lovely. just lovely'), tokenize('lovely. just lovely').toks)).not.toBeNull();
    expect(strongPraise(tt('great 👏'), tokenize('great 👏').toks)).toBe('👏');
    expect(strongPraise(tt('thanks so much'), tokenize('thanks so much').toks)).toBeNull();
  });

  it('a praise word that opens a new question is not irony', () => {
    const d = detect(
      conv(
        '> Does the blender come with a spare jug?',
        '< It comes with one 1.5L jug; spares are £12.',
        '> nice. and is the jug glass or plastic? I do not want another heavy one',
      ),
    );
    expect(trigger(d, 'NEGATIVE_SENTIMENT')).toBeUndefined();
  });
});

describe('resolution at the end closes earlier complaints', () => {
  it('thanks after a reply that acted: not escalated', () => {
    const d = detect(
      conv(
        '> I was charged twice for my order, not happy',
        "< Sorry about that! I've refunded the duplicate payment, you'll see it in 3 days.",
        '> ok, is that to my card?',
        '< Yes, back to the card you paid with.',
        '> Great, thanks for sorting it.',
      ),
    );
    expect(d.shouldEscalate).toBe(false);
  });

  it('a polite closing after a reply that did nothing does not close the complaint', () => {
    const d = detect(conv('> My order never arrived, it is two weeks late now', '< Your order is on its way!', '> ok thanks, have a nice day'));
    expect(d.shouldEscalate).toBe(true);
  });

  it('a minimised wait is not frustration', () => {
    const d = detect(
      conv('> my order is a day late, no big deal, just wondering if there is news?', '< It is out for delivery today.', '> Ok, thanks for letting me know!'),
    );
    expect(d.shouldEscalate).toBe(false);
  });
});

describe('legal frames and person requests in open wording', () => {
  it.each([
    'I am writing as the solicitor acting for Mr Evans about the boiler you installed.',
    'Your website lists the coat as real leather. That is misleading advertising.',
    'You passed my personal details to a marketing company without my consent.',
  ])('"%s" → legal_threat, URGENT', (text) => {
    const d = detect(conv(`> ${text}`, '< How can I help?'));
    expect(d.riskFlags).toContain('legal_threat');
    expect(d.priority).toBe('URGENT');
  });

  it.each(['My lawyer recommended your paper shredder, is it quiet?', 'Is the leather real or is it a false leather?'])('no legal frame: "%s"', (text) => {
    expect(detect(conv(`> ${text}`, '< It is!')).riskFlags).not.toContain('legal_threat');
  });

  it.each([
    'Could one of your advisors give me a ring this week?',
    'Any chance somebody from your returns team could drop me an email?',
    'I would rather be talking this over with an actual member of your staff.',
    'What is the email address of whoever handles refunds?',
  ])('"%s" → MANUAL', (text) => {
    expect(trigger(detect(conv(`> ${text}`, '< I can help here!')), 'MANUAL')).toBeDefined();
  });

  it.each(['Does the doorbell camera have real person detection or only motion?', 'is the model in the photo a real person?'])(
    'about a person, not asking for one: "%s"',
    (text) => {
      expect(trigger(detect(conv(`> ${text}`, '< Good question!')), 'MANUAL')).toBeUndefined();
    },
  );
});

describe('a device named in one message, its swelling told in the next (signals/safety.ts)', () => {
  it.each([
    ['> The charger for my e-bike that you sent in March is acting odd.', '> It has started to bulge on one side and smells a bit.'],
    ['> Hello, question about the laptop I ordered.', '> Since yesterday it seems to be swelling underneath, is that normal?'],
    ['> My phone from you is only two months old.', '< Could you tell me more?', '> it keeps overheating and it looks swollen at the back'],
  ])('"%s" … "%s" → URGENT', (...lines) => {
    const d = detect(conv(...lines, '< Thanks for letting us know!'));
    expect(d.riskFlags).toContain('safety');
    expect(d.priority).toBe('URGENT');
  });

  it.each([
    // no device named before
    ['> My new puffer coat came this morning.', "> It's puffed up far more than in the photos, is that normal?"],
    // the phone was what the customer ordered on, not the product
    ['> I ordered this jacket on my phone last week.', "> It's all puffed up and looks huge on me."],
    // the subject is named in the message itself
    ['> I bought a power bank from you too.', '> The sleeping bag is puffed up nicely after a day out of the bag.'],
    ['> I bought a power bank from you too.', '> About the duvet: it is puffed up and lovely.'],
    // named too long ago
    ['> My power bank works fine.', '> Where is my duvet?', '> Has it been sent?', "> Anyway it's puffy and soft, love it."],
    // another brand's device
    ['> I had a laptop from another brand years ago.', '> It swelled up then, so is yours safe?'],
  ])('not carried: %s … %s', (...lines) => {
    expect(detect(conv(...lines, '< Thanks!')).riskFlags).not.toContain('safety');
  });
});

describe('safety incidents told in other shapes', () => {
  it.each([
    'The power bank (the 10000mAh one, black) has started to swell at one end.',
    'every time I touch the toaster while it is on I get a zap up my arm',
    'the CO alarm keeps going off since the engineer fitted the new fire',
    "the pull cord of the blind ended up round my son's neck",
    'a button battery fell out of the toy and my toddler had it in his hand',
    'the hoverboard has swelled underneath, right where the battery sits, and it hisses on charge',
    'the lamp got very hot and the shade near the bulb went brown and soft',
    'my son touched the iron base and now has a red mark across two fingers',
    'I bit into the granola bar and chipped a tooth on something hard',
  ])('"%s" → URGENT', (text) => {
    const d = detect(conv(`> ${text}`, '< Thanks for letting us know!'));
    expect(d.riskFlags).toContain('safety');
    expect(d.priority).toBe('URGENT');
  });

  it.each([
    'If the cream gives me a reaction, can I send it back?',
    'I once had a reaction to a different brand of soap, is yours fragrance free?',
    'Do I need to burn the speakers in before they sound their best?',
    'Does the boiler come with a carbon monoxide alarm?',
    'Do you sell spare button batteries for the kitchen scale?',
    'The red marker pens were held up in customs, any news?',
    'Is the phone case OK if my toddler chews it while teething? Her teeth are coming through.',
  ])('a condition, another brand or an idiom is not an incident: "%s"', (text) => {
    expect(detect(conv(`> ${text}`, '< Good question!')).riskFlags).not.toContain('safety');
  });
});

describe('frustration facts by structure', () => {
  it.each([
    'I have been billed the admin fee on four separate invoices now.',
    'The engineer was meant to fit the hob on the 2nd. We have been without a cooker for a fortnight.',
    'Twelve weeks now. You keep moving the fitting date.',
  ])('"%s" → NEGATIVE_SENTIMENT', (text) => {
    expect(trigger(detect(conv(`> ${text}`, '< Thanks for your patience!')), 'NEGATIVE_SENTIMENT')).toBeDefined();
  });

  it.each(['I was billed once for the order, as expected.', 'We had the fridge for a fortnight before the move and it is great.'])('no fact: "%s"', (text) => {
    expect(trigger(detect(conv(`> ${text}`, '< Great!')), 'NEGATIVE_SENTIMENT')).toBeUndefined();
  });
});

describe('refusals, closings, choices and corrections', () => {
  it('a refund request "reviewed and declined" after damage is a refusal', () => {
    const d = detect(
      conv(
        '> The wardrobe door arrived with a split down the middle.',
        '< Your claim was reviewed and declined as the courier reported the parcel arrived in good condition.',
        '> The courier never saw inside the box.',
      ),
    );
    expect(trigger(d, 'NEGATIVE_SENTIMENT')!.reason).toContain('refused');
  });

  it.each([
    ['> I was billed twice for the lamp', '< I can see one is only a pre-authorisation that will drop off in a few days.', '> ah right, thats fine so. cheers'],
    ['> my parcel was due yesterday and hasnt come', '< The van broke down; it is out again today and due by 5pm.', '> ok no bother, thanks'],
    ['> The tracking has not moved for 5 days.', '< I asked the carrier to chase it.', "> Oh good, it has just updated to 'out for delivery'. Thanks!"],
  ])('an acceptance or the tracking moving on closes the complaint: %s … %s', (...lines) => {
    expect(detect(conv(...lines)).shouldEscalate).toBe(false);
  });

  it.each([
    ['> which is quieter, the tower fan or the desk fan?', '< The desk fan is 10 dB quieter.', '> desk fan it is'],
    ['> whats the difference between the small and large hamper?', '< The large one has two more cheeses.', '> ok I will go with the large hamper'],
  ])('an option picked is not a repeat: %s … %s', (...lines) => {
    expect(trigger(detect(conv(...lines)), 'REPEATED_QUESTION')).toBeUndefined();
  });

  it('"not the X, the Y" correcting the answer is a reworded repeat', () => {
    const d = detect(
      conv(
        '> Can I change the delivery date on my order?',
        '< You can choose your preferred delivery days in your account settings.',
        '> Not my usual days. The one order I already placed, is that possible?',
      ),
    );
    expect(trigger(d, 'REPEATED_QUESTION')).toBeDefined();
  });

  it.each(["> Thanks, I'll forward that to our office manager.", '> Great, I will pass this on to my line manager to sign off.'])(
    'handing something on to the customer\'s own people is no person request: "%s"',
    (line) => {
      expect(trigger(detect(conv('> Do you do trade accounts?', '< Yes, apply on our trade page.', line)), 'MANUAL')).toBeUndefined();
    },
  );

  it.each([
    '> my dad doesnt do online shopping so ive been doing his order for him every week but i am moving away so i need to add his address',
    '> my gran doesnt do email at all and ive been printing her receipts every month. can you post them to her',
  ])('a relative\'s habit ("doesn\'t do the internet") is no complaint fact: "%s"', (line) => {
    expect(detect(conv(line, '< Yes, we can do that.')).shouldEscalate).toBe(false);
  });
});

describe('dates, delivery photos and praise next to a stated fact', () => {
  it('"It\'s the 19th." after a dated promise in the customer\'s message before is a date passed', () => {
    const d = detect(conv('> I paid for express delivery on the 4th.', '< Your parcel is with the courier.', "> It's the 19th. Brilliant service."));
    expect(trigger(d, 'NEGATIVE_SENTIMENT')).toBeDefined();
  });

  it('"It\'s the 19th" with no date before is nothing', () => {
    expect(trigger(detect(conv('> Do you deliver on Sundays?', '< Yes, we do.', "> It's the 19th, so Sunday it is.")), 'NEGATIVE_SENTIMENT')).toBeUndefined();
  });

  it.each([
    '> Returns take 5-10 working days?? You got my parcel 6 weeks ago.',
    '> They have had my return for two months now.',
    "> The driver uploaded a photo of somebody else's porch.",
    '> The delivery picture shows a random door I have never seen.',
  ])('"%s" → a complaint fact', (line) => {
    expect(trigger(detect(conv('> Any news on my order?', '< It has been processed.', line)), 'NEGATIVE_SENTIMENT')).toBeDefined();
  });

  it('a stated fact with praise outweighing it is read as sarcasm', () => {
    const d = detect(conv('> the delivery photo shows someone elses porch. super. really secure.', '< Please check with your neighbours.'));
    expect(trigger(d, 'NEGATIVE_SENTIMENT')!.reason).toContain('sarcasm');
  });
});
