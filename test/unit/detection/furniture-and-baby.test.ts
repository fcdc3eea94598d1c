import { describe, it, expect } from 'vitest';
import { detect } from '../../../src/detection/index.ts';
import { conv, decideAfterOpening, expectSafetyUrgent } from './helpers.ts';

// Causes of the w51 (furniture, mattresses, large appliances, delivery and installation) and w52 (toys,
// baby and kids, supplements, personal care) batches. Every case that changes is paired with a near case
// that must not. Examples written for these tests.

describe('a risk word or a person asked for, said calmly of somewhere else or of a prediction', () => {
  it('someone else\'s prediction ("my dad reckons it\'ll catch fire") before a calm last message → no safety flag, no escalation', () => {
    const d = detect(
      conv(
        '> Does the steam cleaning mode get very hot?',
        '< It reaches 100°C inside; the outside stays cool.',
        "> And it's fine with a toddler about? My dad reckons it'll catch fire",
        '< It has an auto shut-off, so no fire risk.',
        "> Ha, I'll let him know. Thanks.",
      ),
    );
    expect(d.riskFlags).not.toContain('safety');
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: what someone else saw happen ("my husband says it caught fire last night") → safety, URGENT', () => {
    const d = detect(conv('> my husband says the heater caught fire last night', '< I am so sorry!', '> ok thanks.'));
    expect(d.riskFlags).toContain('safety');
    expect(d.priority).toBe('URGENT');
  });
  it('near case: a prediction next to what happened ("it will explode … it exploded and burned my hand") → safety, URGENT', () => {
    const d = detect(conv('> my wife says it will explode. It exploded already and burned my hand', '< I am so sorry!', '> ok thanks.'));
    expect(d.priority).toBe('URGENT');
  });
  it('near case: a prediction, then the same hazard told as happened ("my mum says it\'ll explode. it already burst into flames last night") → safety, URGENT', () => {
    const d = detect(conv("> my mum says it'll explode. it already burst into flames last night", '< Oh no!', '> ok thanks'));
    expect(d.riskFlags).toContain('safety');
    expect(d.priority).toBe('URGENT');
    const e = detect(conv('> It smells like smoke? It caught fire on the counter', '< Oh no!', '> ok thanks'));
    expect(e.priority).toBe('URGENT');
  });
  it('a payment dispute at the last shop, told as the reason to ask ("last UK shop … I had to dispute it with my bank") → no chargeback flag, no escalation', () => {
    const d = detect(
      conv(
        '> Do you ship to Ireland?',
        '< Yes, in 3–5 working days.',
        '> is returning a nightmare? the last UK shop charged me customs twice and I had to dispute it with my bank',
        '< No customs: we ship from Dublin and returns are free.',
        '> oh that is much better. and the refund goes back on the card?',
        '< Yes, to the original card within 5 days.',
        '> grand, thanks',
      ),
    );
    expect(d.riskFlags).not.toContain('chargeback');
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: a dispute with this shop ("you charged me twice and I had to dispute it with my bank") → chargeback, URGENT', () => {
    const d = detect(conv('> you charged me twice and I had to dispute it with my bank', '< Sorry about that.', '> grand, thanks'));
    expect(d.riskFlags).toContain('chargeback');
    expect(d.priority).toBe('URGENT');
  });
  it('a manager asked for at another shop, told in the past ("at another shop they refused and I had to speak to a manager") → no request, no escalation', () => {
    const d = detect(
      conv(
        '> can my partner collect instead of me? last time at another shop they refused and I had to speak to a manager',
        '< Yes, just add their name at checkout.',
        '> oh easy. ok, thanks!',
      ),
    );
    expect(d.triggers.map((t) => t.type)).not.toContain('MANUAL');
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: a manager asked for here, after the other shop ("… I had to speak to a manager. I want to speak to a manager now") → MANUAL, HIGH', () => {
    const d = decideAfterOpening('last time at another shop I had to speak to a manager. I want to speak to a manager now');
    expect(d.triggers.map((t) => t.type)).toContain('MANUAL');
    expect(d.priority).toBe('HIGH');
  });
  it('near case: "last time I had to speak to a manager with you lot" is this shop → MANUAL, HIGH', () => {
    const d = decideAfterOpening('last time I had to speak to a manager with you lot. I want to speak to a manager now');
    expect(d.priority).toBe('HIGH');
  });
  it('probes: real danger and a person asked for still escalate with the same priority', () => {
    expectSafetyUrgent('my son choked on a piece of the toy');
    expectSafetyUrgent('the heater caught fire');
    expect(decideAfterOpening('I want to speak to a manager now').priority).toBe('HIGH');
  });
});

describe('a settled problem or good news read as a complaint', () => {
  it('a day offered and accepted after "I was meant to …" ("Thursday\'s fine") → no wait, no escalation', () => {
    const d = detect(
      conv(
        "> the old sofa wasn't taken away even though I paid for removal",
        "< Sorry! I've booked a collection for Thursday; the team will unscrew the legs.",
        "> Oh, I didn't know I was meant to take the legs off. Thursday's fine.",
        "< It's booked 8am-1pm, no extra charge.",
        '> Grand, thanks very much',
      ),
    );
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: a day promised and gone by ("I was promised a call back on Monday. It\'s Thursday.") → escalates', () => {
    expect(decideAfterOpening("I was promised a call back on Monday. It's Thursday.").shouldEscalate).toBe(true);
    expect(decideAfterOpening('I was told the sofa was meant to be collected on Monday. Thursday now.').shouldEscalate).toBe(true);
  });
  it('"the first time in months" something bad did not happen is good news → no wait, no escalation', () => {
    const d = detect(
      conv(
        '> ok this sofa bed is 🔥🔥🔥',
        '< Ha, glad to hear it! Sleeping well?',
        "> no cap first time in months i didn't wake up with my neck killing me",
        "< That's great news.",
        '> lol nope keeping it',
        '< Sleep well!',
        '> u guys are goated 🤘',
      ),
    );
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: months gone by without what was due ("3 months and I still haven\'t had my refund", "third time in 2 weeks it didn\'t turn on") → escalates', () => {
    expect(decideAfterOpening("it's been 3 months and I still haven't had my refund").shouldEscalate).toBe(true);
    expect(decideAfterOpening("for the third time in 2 weeks the dryer didn't turn on").shouldEscalate).toBe(true);
  });
  it('a fault only thought, taken back ("I thought it was broken at first lol") → no damage, no escalation', () => {
    const d = detect(
      conv('> Fridge installed today', '< Great! Is everything working?', '> so quiet, I thought it was broken at first lol 🥰', '< Ha!', '> cheers mate 👌'),
    );
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: the thought confirmed ("I thought it was broken and it is") or broken after all → escalates', () => {
    expect(decideAfterOpening('I thought it was broken and it is, the door hinge has snapped').shouldEscalate).toBe(true);
    expect(decideAfterOpening('I thought it was fine but the door arrived broken').shouldEscalate).toBe(true);
  });
  it('working for a while "with no drop", then "thank you, that was driving me mad" → no wait, no escalation', () => {
    const d = detect(
      conv(
        '> my baby monitor keeps disconnecting every few minutes',
        '< Please connect the camera to the 2.4GHz network, not the -5G one.',
        "> Done. It's been connected for 20 minutes with no drop. Thank you, that was driving me mad",
      ),
    );
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: time gone by with nothing from the shop ("20 minutes with no reply") → escalates', () => {
    expect(decideAfterOpening("I've been waiting 20 minutes with no reply").shouldEscalate).toBe(true);
  });
  it('a refusal the customer took ("ok, fair enough, that\'s the airline\'s problem") → no refusal, no escalation', () => {
    const d = detect(
      conv(
        '> My sister said hers broke at the airport, the gate staff dropped it. Is that covered?',
        "< Accidental damage by airlines isn't covered by the warranty.",
        "> ok, fair enough, that's the airline's problem not yours. How much is the travel bag?",
        '< The travel bag is £45.',
        "> I'll think about the bag. thanks, that's all I needed",
      ),
    );
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: the refusal not taken ("fair enough, but I still want a refund", "that is not fair") → escalates', () => {
    for (const last of ['fair enough, but I still want a refund or a replacement', 'that is not fair, I want a refund']) {
      const d = detect(conv('> My pram arrived broken, the wheel snapped off.', "< Accidental damage isn't covered by the warranty.", `> ${last}`));
      expect(d.shouldEscalate, last).toBe(true);
    }
  });
  it('near case: "all I want to know is whether …" after a reply that left it out → still a repeat', () => {
    const d = detect(
      conv(
        '> Does the sofa cover come off for washing?',
        '< Our sofas have a 5-year frame guarantee.',
        '> all I want to know is whether the cover comes off for washing',
      ),
    );
    expect(d.triggers.map((t) => t.type)).toContain('REPEATED_QUESTION');
  });
});

describe('closings, conclusions and stories that are no complaint and no repeat', () => {
  it('"brilliant, cheers. crisis averted" after the replacement was arranged → closed, no escalation', () => {
    const d = detect(
      conv(
        "> my electric toothbrush was delivered with a dead battery, won't turn on at all",
        '< Could you try placing it on the charger for 10 minutes?',
        '> ok nothing after 10 min',
        "< I've arranged a replacement to ship today by express at no charge.",
        '> got the emails. will it arrive before Sunday? his birthday is Sunday',
        '< Express delivery is due Friday, so it should arrive in time.',
        '> brilliant, cheers. crisis averted',
      ),
    );
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: "crisis averted my foot" with the fault still there → escalates', () => {
    const d = detect(
      conv("> my toothbrush arrived with a dead battery, won't turn on", '< Sorry to hear that.', "> still won't turn on. crisis averted my foot"),
    );
    expect(d.shouldEscalate).toBe(true);
  });
  it('"ah ok, so … is probably …?" checks a conclusion drawn from the answer → no repeated question', () => {
    const d = detect(
      conv(
        '> the reviews say the hair dryer gets "dangerously hot". Is that true?',
        '< Which dryer is it?',
        '> the Turbo 3000 one',
        '< It has a 110°C high setting, an auto shut-off and a cool-shot button.',
        '> ah ok, so the "dangerously hot" is probably people using it on max on kids\' hair?',
        '< Possibly. For children the low setting is best.',
        "> makes sense. I'll get it and use the lower setting. thanks",
      ),
    );
    expect(d.triggers.map((t) => t.type)).not.toContain('REPEATED_QUESTION');
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: "ok so when will my refund arrive?" after a canned answer → still a repeat', () => {
    const d = detect(conv('> when will my refund arrive?', '< Refunds take 5-10 days.', '> ok so when will my refund arrive?'));
    expect(d.triggers.map((t) => t.type)).toContain('REPEATED_QUESTION');
  });
  it('"yeah but then u guys just sent a new one no questions lol" tells the story on → no pushback, no escalation', () => {
    const d = detect(
      conv(
        '> Thanks for sorting out the thing with the cot rail yesterday',
        '< You are very welcome! Did the new rail arrive?',
        "> not gonna lie I was fuming when the old one snapped off 😤 thought I'd be fighting for weeks",
        '< Completely understandable.',
        '> yeah but then u guys just sent a new one no questions lol',
        "< That's what the warranty's for!",
        '> yep came this morning, fitted it in like 2 mins 👌',
        '< Great!',
        '> legend service tbh 🙌',
      ),
    );
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: "yes but then how do I return it?" and "there is no answer to my question" still push back', async () => {
    const { pushesBack } = await import('../../../src/detection/repetition.ts');
    expect(pushesBack(['yes', 'but', 'then', 'how', 'do', 'i', 'return', 'it', '?'])).toBe(true);
    const d = detect(conv('> how do I return the cot?', '< Our cots have a 2-year warranty.', '> there is no answer to my question, how do I return the cot?'));
    expect(d.triggers.map((t) => t.type)).toContain('REPEATED_QUESTION');
  });
  it('"delivered last week, works fine" before an invoice request → no wait, no escalation', () => {
    const d = detect(
      conv(
        '> Hello. Invoice request for my order please, our company reimburses the breast pump',
        '< Of course. Is the order already delivered?',
        "> Yes, delivered last week, works fine. My HR department refused the receipt because it's not a proper invoice, so they need the official one",
        "< I've emailed a VAT invoice to the address on the account.",
        '> Received, tack så mycket',
      ),
    );
    expect(d.shouldEscalate).toBe(false);
  });
  it("near case: delivered last week and not working, or the second one hasn't come → escalates", () => {
    expect(decideAfterOpening("It was delivered last week and doesn't work. Nobody has replied to my emails.").shouldEscalate).toBe(true);
    expect(decideAfterOpening("delivered last week, works fine. but the second one hasn't come").shouldEscalate).toBe(true);
  });
});

describe('frustration told by facts and the assistant looping', () => {
  it('dates written with the month ("told a redelivery on the 24th. then 31st. today is 9 august.") → a date gone by, escalates', () => {
    const d = detect(
      conv(
        '> the wardrobe went back on the truck because the paperwork said collection',
        '< Sorry for the confusion. Let me look into this.',
        '> this was 17 july. i was told a redelivery on the 24th. then 31st. today is 9 august.',
        '< I can see a redelivery request is pending.',
        '> it was pending on the 24th as well',
      ),
    );
    expect(d.shouldEscalate).toBe(true);
  });
  it('"It\'s Jan 8." after dates given in the message before ("on 6 Nov, 14 Nov and 29 Nov") → escalates', () => {
    const d = detect(conv('> I was told approved on 6 Nov by chat, 14 Nov by phone, and 29 Nov by email.', '< I can see a request on file.', "> It's Jan 8."));
    expect(d.shouldEscalate).toBe(true);
  });
  it('near case: an occasion ahead ("the party is on 24 august. today is 9 august.", "my birthday is on the 24th. today is the 9th.") → no wait', () => {
    expect(decideAfterOpening('the party is on 24 august. today is 9 august. can it arrive in time?').shouldEscalate).toBe(false);
    expect(decideAfterOpening('my birthday is on the 24th. today is the 9th. will it arrive?').shouldEscalate).toBe(false);
  });
  it('near case: dates gone by still count ("I ordered it on 3 May. It\'s 20 May.", "due on the 10th. Today is the 19th.")', () => {
    expect(decideAfterOpening("I ordered it on 3 May. It's 20 May.").shouldEscalate).toBe(true);
    expect(decideAfterOpening('it was due on the 10th. Today is the 19th.').shouldEscalate).toBe(true);
  });
  it('the customer naming the loop ("We\'ve now gone in a circle 3 times.") after the same canned reply → the assistant is looping', () => {
    const d = detect(
      conv(
        '> My refund for the high chair went to my old card, which is closed',
        '< Refunds are processed to the original payment method within 5–10 business days.',
        '> Yes, and the original payment method is closed. The bank bounced it.',
        '< Refunds are processed to the original payment method.',
        '> Okay, which has been closed. Can you send it another way?',
        '< Refunds are processed to the original payment method within 5–10 business days.',
        "> We've now gone in a circle 3 times.",
      ),
    );
    expect(d.triggers.map((t) => t.type)).toContain('REPEATED_QUESTION');
    expect(d.shouldEscalate).toBe(true);
  });
  it('near case: a circle that is a product ("the circle rug") with different answers → no loop, no escalation', () => {
    const d = detect(
      conv(
        '> do you have the circle rug in grey?',
        '< Yes, the circle rug comes in grey and sand.',
        '> and what size is the circle one?',
        '< It is 160cm across.',
        '> lovely, thanks',
      ),
    );
    expect(d.shouldEscalate).toBe(false);
  });
});

describe('waits told by a status or by dates', () => {
  it('a status named in quotes, unmoved for long (\'has been in "Sorting Centre, Birmingham" for 19 days\') → escalates', () => {
    expect(decideAfterOpening('I checked the tracking. It has been in "Sorting Centre, Birmingham" for 19 days.').shouldEscalate).toBe(true);
  });
  it('near case: a short stay at the depot ("at the depot for 2 days") → no wait', () => {
    expect(decideAfterOpening("it's been at the depot for 2 days, when will it move?").shouldEscalate).toBe(false);
  });
  it('contact made on three dates ("Asked for the €14.99 back on Dec 21, Dec 28 and Jan 10.") → escalates', () => {
    expect(decideAfterOpening('I paid €14.99 extra for guaranteed delivery. Asked for the €14.99 back on Dec 21, Dec 28 and Jan 10.').shouldEscalate).toBe(
      true,
    );
    expect(decideAfterOpening('I asked for a refund on the 3rd, the 10th and the 17th.').shouldEscalate).toBe(true);
  });
  it('near case: three dates that are no contact ("I ordered on 3 May, 5 May and 9 May, all arrived fine") or asked → no escalation', () => {
    expect(decideAfterOpening('I ordered on 3 May, 5 May and 9 May, all arrived fine, thanks').shouldEscalate).toBe(false);
    expect(decideAfterOpening('are there delivery slots on 3 May, 5 May or 9 May? I asked my husband').shouldEscalate).toBe(false);
  });
});

describe('sarcasm after a promise heard before', () => {
  const opening = [
    '> Hi, my order of the travel cot is late',
    '< Could you share the order number?',
    '> TC-4410',
    '< Thanks! Your cot is on its way and should arrive within 3–5 business days.',
  ];
  it('"That\'s what it said 3 weeks ago. Lovely." → the promise not kept, escalates', () => {
    expect(detect(conv(...opening, "> That's what it said 3 weeks ago. Lovely.")).shouldEscalate).toBe(true);
  });
  it('a warm-sounding ending after "anything else I can do for you today?" settles nothing (the reply\'s "today" answers nothing) → escalates', () => {
    const d = detect(
      conv(
        ...opening,
        "> That's what it said 3 weeks ago. Lovely.",
        '< I understand the wait can be frustrating. Delivery times may vary.',
        "> Oh absolutely, I'm sure he'll be walking before his cot turns up. Fantastic planning on your part.",
        "< I'm glad to help! Is there anything else I can do for you today?",
        "> No no, you've been wonderful. Truly. He can sleep in the car seat, it's great for his posture.",
      ),
    );
    expect(d.shouldEscalate).toBe(true);
  });
  it('near case: a promise heard only days before ("that\'s what it said 2 days ago, so it\'s on track, thanks") or asked → no escalation', () => {
    expect(detect(conv(...opening, "> that's what it said 2 days ago, so it's on track, thanks")).shouldEscalate).toBe(false);
    expect(detect(conv(...opening, '> is that what it said 3 weeks ago?')).shouldEscalate).toBe(false);
  });
  it('near case: a concrete "today" still answers ("I\'ve sent it today." — "lovely, thanks") → settled, no escalation', () => {
    const d = detect(
      conv(
        "> the cot was due last week and hasn't come",
        "< I'm sorry. I've sent a replacement by express today.",
        '> ok',
        '< It should be with you tomorrow.',
        '> Lovely, thanks!',
      ),
    );
    expect(d.shouldEscalate).toBe(false);
  });
});

describe('an arrival ends a wait, not damage', () => {
  it('"It was delivered in the box you sent it in" after "arrived as one giant melted brick" keeps the damage open → escalates', () => {
    const d = detect(
      conv(
        '> Hi! Just wanted to say thanks so much for the bath crayons',
        "< You're welcome! We're happy you're enjoying them.",
        '> Yes, especially the bit where they arrived as one giant melted lump. Very creative.',
        '< Oh no, sorry! They should be stored below 25°C. Was the package left in the sun?',
        "> It was delivered in the box you sent it in, in the van you sent it in. But sure, I'll have a word with the sun.",
        "< If you'd like, I can share some tips on storing them.",
        "> Oh please do. I'd love storage tips for a lump I can't open. Really helpful, thanks ever so much",
      ),
    );
    expect(d.shouldEscalate).toBe(true);
  });
  it('near case: the replacement or "the new jar" arrived ends the damage → no escalation', () => {
    for (const last of ['just to say the new jar has arrived and works perfectly. thank you', 'the replacement arrived today, all good, thanks']) {
      const d = detect(conv('> the blender jar came cracked', "< Sorry about that! I've shipped a replacement jar.", `> ${last}`));
      expect(d.shouldEscalate, last).toBe(false);
    }
  });
  it('near case: a late parcel that arrived ends the wait ("it was delivered this morning, thanks") → no escalation', () => {
    const d = detect(
      conv("> my order was due on Monday and still hasn't come", "< I've chased the courier for you.", '> it was delivered this morning, thanks'),
    );
    expect(d.shouldEscalate).toBe(false);
  });
});

describe('damage the thing now has, praised', () => {
  it('"Now it has a lovely dent on the side. Adds character." → damage, escalates', () => {
    expect(
      decideAfterOpening('The cooker came down the steps faster than expected. Now it has a lovely dent on the side. Adds character.').shouldEscalate,
    ).toBe(true);
  });
  it('near case: a designed feature or damage denied ("it has a hole for the cable, great", "it has no dents at all, thanks") → no escalation', () => {
    expect(decideAfterOpening('it has a hole for the cable, great').shouldEscalate).toBe(false);
    expect(decideAfterOpening('it has no dents at all, thanks').shouldEscalate).toBe(false);
    expect(decideAfterOpening('does it have a crack-resistant screen?').shouldEscalate).toBe(false);
  });
});

describe('sent back and forth', () => {
  it('the reply sent the customer to another party, who sent them back ("I did, and they told me to contact you") → escalates', () => {
    const d = detect(
      conv(
        '> why does my finance statement show $187 of interest on a 0% plan?',
        "< I'd recommend contacting the finance provider directly about your statement.",
        '> Wonderful, I did, and they told me to contact you.',
      ),
    );
    expect(d.shouldEscalate).toBe(true);
  });
  it('near case: the customer takes the pointer ("ok, I will, thanks") or the other party settled it ("they said you have it now, thanks") → no escalation', () => {
    expect(
      detect(conv('> why is there interest on my statement?', "< I'd recommend contacting the finance provider directly.", '> ok, I will, thanks'))
        .shouldEscalate,
    ).toBe(false);
    expect(detect(conv('> the parcel is late', '< Please contact the courier directly.', '> they said you have it now, thanks')).shouldEscalate).toBe(false);
  });
});
