import { describe, it, expect } from 'vitest';
import { detect } from '../../../src/detection/index.ts';
import { conv } from './helpers.ts';

// Causes of the w49 (consumer electronics and gadget shops) and w50 (sports, outdoor and travel shops)
// batches. Every case that changes is paired with a near case that must not. Examples written for these
// tests.

describe('safety told in the words of a gym or outdoor shop', () => {
  it('a bone a person now has cracked ("I\'ve got two cracked ribs") → safety, URGENT', () => {
    const d = detect(
      conv(
        '> the squat rack hook gave out with the bar on it',
        '< That sounds frightening. Are you alright?',
        "> I've got two cracked ribs. I want to know who handles this",
      ),
    );
    expect(d.riskFlags).toContain('safety');
    expect(d.priority).toBe('URGENT');
  });
  it('"cracked his wrist" using the product → safety, URGENT', () => {
    expect(detect(conv('> he cracked his wrist on the ice yesterday, the crampons slid straight off his boots')).priority).toBe('URGENT');
  });
  it('near case: what cracks dry ("a balm for cracked lips? my heels are cracked too") → no safety flag', () => {
    const d = detect(conv('> do you stock a balm for cracked lips? my heels are cracked too after the hike'));
    expect(d.riskFlags).not.toContain('safety');
  });
  it('near case: a cracked thing, not a bone ("I cracked my phone screen") → no safety flag, no escalation', () => {
    const d = detect(conv('> I cracked my phone screen on the trail, do you sell rugged cases?', '< Yes, the Otter range.', '> great thanks'));
    expect(d.riskFlags).not.toContain('safety');
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: a bone word naming something else ("a cracked toe nail", "a cracked wrist guard") → no safety flag', () => {
    expect(detect(conv('> I have a cracked toe nail, will these trail shoes be roomy enough?')).riskFlags).not.toContain('safety');
    expect(detect(conv('> I have a cracked wrist guard, do you sell replacements?')).riskFlags).not.toContain('safety');
  });
  it('near case: an old injury told to choose a product ("I have cracked ribs from last year … which is best?") → no safety flag', () => {
    const d = detect(conv('> I have cracked ribs from a fall last year so I want a softer climbing harness, which is best?'));
    expect(d.riskFlags).not.toContain('safety');
  });
});

describe('risk words said calmly in a pre-sale question', () => {
  it('read online, asked a sentence or two on ("I read online that … can catch fire on planes. … Is that allowed?") → no safety flag', () => {
    const d = detect(
      conv(
        '> Hi, I read online that big power banks can catch fire in the hold. I fly to Spain in May with a 20,000mAh one. Can I take it?',
        '< Yes, in hand luggage: it is under 100Wh.',
        '> lovely, thanks for checking',
      ),
    );
    expect(d.riskFlags).not.toContain('safety');
    expect(d.shouldEscalate).toBe(false);
  });
  it("near case: the customer's own one caught fire, after what was read → safety, URGENT", () => {
    const d = detect(
      conv('> I read online that these power banks can catch fire. Mine caught fire on my desk last night! Is that normal?', '< Oh no!', '> ok thanks'),
    );
    expect(d.riskFlags).toContain('safety');
    expect(d.priority).toBe('URGENT');
  });

  it("what the customer's old one did, told to ask about a new one → no safety flag", () => {
    const d = detect(
      conv(
        '> my old kettle caught fire so I need a new one, which of yours has the best auto shut-off?',
        '< The Breville has a boil-dry cut-out.',
        '> perfect, ordering that one. thanks',
      ),
    );
    expect(d.riskFlags).not.toContain('safety');
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: the old one was bought here ("my old power bank from you caught fire …?") → safety, URGENT', () => {
    const d = detect(conv('> my old power bank from you caught fire so I need a new one, which is the safest?', '< This one.', '> great thanks'));
    expect(d.riskFlags).toContain('safety');
    expect(d.priority).toBe('URGENT');
  });
  it('near case: the tent bought here collapsed on them, asked about → safety, URGENT', () => {
    const d = detect(conv('> the tent I bought from you snapped a pole and collapsed on us at 2am, so how do I get a refund?', '< I am sorry!', '> ok thanks'));
    expect(d.riskFlags).toContain('safety');
    expect(d.priority).toBe('URGENT');
  });

  it('a payment dispute only feared ("I was worried I\'d have to dispute it with the bank") → no chargeback flag', () => {
    const d = detect(
      conv(
        '> there are two payments of £40 for my order',
        '< One is a pending hold from the failed attempt; it drops off in a few days.',
        '> phew. I was worried I would have to dispute it with my bank',
        '< No need!',
        '> the app shows it as "pending" not "completed" now. great, thanks',
      ),
    );
    expect(d.riskFlags).not.toContain('chargeback');
    expect(d.shouldEscalate).toBe(false);
  });
  it('"I was worried I\'d have to raise a chargeback but the refund came through" → no chargeback flag', () => {
    const d = detect(conv("> I was worried I'd have to raise a chargeback but the refund came through. thanks!", '< Glad to hear it!', '> 👍'));
    expect(d.riskFlags).not.toContain('chargeback');
  });
  it('near case: a dispute threatened ("I\'m going to dispute it with the bank if …") → chargeback, URGENT', () => {
    const d = detect(conv("> I'm going to dispute it with the bank if this isn't fixed today", '< I understand.', '> ok thanks'));
    expect(d.riskFlags).toContain('chargeback');
    expect(d.priority).toBe('URGENT');
  });
  it('near case: a worry, then a dispute announced ("I was worried about the charge but I\'ll dispute it") → chargeback', () => {
    const d = detect(
      conv("> I was worried about the charge but I'll dispute it with the bank tomorrow if it's still there", '< It will drop off.', '> ok thanks'),
    );
    expect(d.riskFlags).toContain('chargeback');
  });
});

describe('calm words read as irony or trouble', () => {
  it('a value the customer set, in quotes (\'set to "side gate"\') is no scare quote → no escalation', () => {
    const d = detect(
      conv(
        '> hi, is my drone arriving before friday? tracking is 1Z999AA10123456784',
        '< Yes, Thursday. You can choose a safe place in the courier app.',
        '> done, changed it to "side gate". thanks, that is super helpful',
      ),
    );
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: a promise in scare quotes ("next day", still nothing) with praise → still escalates', () => {
    const d = detect(conv('> it was meant to come "next day", still nothing after 4 days. super helpful', '< Sorry.', '> ok'));
    expect(d.shouldEscalate).toBe(true);
  });

  it('"good to know" with the advice said back ("good to know, no water, wait an hour. Thanks") → no escalation', () => {
    const d = detect(
      conv('> how do I put the stove out at night?', '< Let it cool for an hour and never use water on it.', '> good to know, no water, wait an hour. Thanks'),
    );
    expect(d.shouldEscalate).toBe(false);
  });
  it('"Good to know." after a general worry answered, then a plan → no escalation', () => {
    const d = detect(
      conv(
        '> got an email with a link to review my order, is it genuine?',
        "< Yes, that's our survey.",
        '> ok just checking, there are a lot of scams going round',
        '< Right to check! We never ask for your password.',
        "> Good to know. I'll fill it in then, the delivery was quick",
        '< Thank you!',
        '> done. have a nice day',
      ),
    );
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: "good to know" with strong trouble ("good to know. another week then") → still escalates', () => {
    expect(detect(conv('> my parcel is late again', '< It will come soon.', '> good to know. another week then')).shouldEscalate).toBe(true);
  });
  it('near case: "good to know" beside the problem said again ("… the BELT is the problem") → still escalates', () => {
    const d = detect(
      conv(
        '> the rowing machine strap started fraying after 2 weeks',
        '< Great news, the frame has a 10-year warranty!',
        "> cool so the frame is covered. good to know, I'll just row on the frame then. the STRAP is the problem",
      ),
    );
    expect(d.shouldEscalate).toBe(true);
  });

  it('a condition ahead ("I\'ll come back if it\'s wrong") and "X or nothing" are no trouble beside praise → no escalation', () => {
    expect(detect(conv('> which size for 180cm?', '< The L.', "> Great. I'll order the L then and swap it if it's wrong. Thanks")).shouldEscalate).toBe(false);
    expect(
      detect(conv('> does the radio have a tape deck?', '< Yes, and a CD player.', "> amazing. my gran will love it, it's tapes or nothing for her"))
        .shouldEscalate,
    ).toBe(false);
  });
  it('"I\'ll return it if it\'s the wrong mount" is a condition too → no escalation', () => {
    expect(detect(conv('> which lens fits my camera?', '< The 35mm.', "> brilliant, I'll return it if it's the wrong mount. cheers")).shouldEscalate).toBe(
      false,
    );
  });
  it('near case: "Great." with the wrong size told ("It\'s the wrong size again") → still escalates', () => {
    expect(detect(conv('> ordered the M', '< ok', "> Great. It's the wrong size again, and nothing from you in 3 weeks")).shouldEscalate).toBe(true);
  });

  it('damage denied ("not faulty or broken or anything") met with a policy is no refusal → no escalation', () => {
    const d = detect(
      conv(
        "> what's your returns policy on skis if they don't suit me? Not faulty or broken or anything, just the length",
        "< Unused within 30 days. We can't take back skis with base damage.",
        '> makes sense. Great, ordering the 170 then. Thanks',
      ),
    );
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: damage told, then the refusal ("not broken but the bell is loose" … "Unfortunately we can\'t") → still escalates', () => {
    expect(
      detect(conv("> it's not broken but the bell is loose, can I get a new one?", "< Unfortunately we can't replace bells.", '> ok')).shouldEscalate,
    ).toBe(true);
  });

  it('a calm thanks, then a short sign-off ("Alright, you\'ve won me back. Cheers" — "👍 got the email") settles what was done → no escalation', () => {
    const d = detect(
      conv(
        '> my new bottle cage snapped within a week',
        "< I'll send you a replacement cage today.",
        "> that's kind, I only asked for the bolt",
        "< No trouble. It'll go out in today's post.",
        "> Alright, you've won me back. Cheers",
        '< Glad to hear it!',
        '> 👍 got the email',
      ),
    );
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: the sign-off says it is broken again ("the new one is broken too") → still escalates', () => {
    const d = detect(
      conv(
        '> my new bottle cage snapped within a week',
        "< I'll send you a replacement cage today.",
        '> ok',
        '< It will go out in the afternoon post.',
        '> Alright, cheers',
        '< Glad to help!',
        '> the new one is broken too',
      ),
    );
    expect(d.shouldEscalate).toBe(true);
  });

  it('what did not work named, then worked ("ok that promo code worked 🎉") ends the complaint → no escalation', () => {
    const d = detect(
      conv('> the voucher keeps saying invalid 😩', '< It only applies to full-price items; remove the sale jacket.', '> ok that voucher code worked 🎉'),
    );
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: "that code never worked, still says invalid" → still escalates', () => {
    expect(detect(conv('> the code keeps saying invalid', '< Try removing the light.', '> that code never worked, still says invalid')).shouldEscalate).toBe(
      true,
    );
  });

  it('the time it last worked ("won\'t pair. Was fine last week.") is no wait → no escalation after the fix', () => {
    const d = detect(
      conv(
        "> my earbuds won't pair with my laptop. Was fine last week.",
        '< Please forget the device in Bluetooth settings and pair again.',
        '> done, they connected straight away. Thank you',
      ),
    );
    expect(d.shouldEscalate).toBe(false);
  });
  it('time told as a fix put to the test that held ("It\'s been an hour and it\'s stayed online") is no wait', () => {
    const d = detect(
      conv(
        '> my doorbell camera drops off the wifi every evening',
        '< Try moving it to the 2.4GHz band in your router settings.',
        "> done. It's been an hour and it's stayed online. Thanks",
      ),
    );
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: "it\'s been an hour and it\'s still not working" → still escalates', () => {
    const d = detect(conv('> my doorbell camera drops off the wifi every evening', '< Try the 2.4GHz band.', "> it's been an hour and it's still not working"));
    expect(d.shouldEscalate).toBe(true);
  });
  it('near case: a wait told ("It was due last week.") still counts', () => {
    expect(detect(conv("> my order still hasn't arrived. It was due last week.", '< Sorry.', '> ok')).shouldEscalate).toBe(true);
  });
});

describe('sarcasm told by an idiom', () => {
  it('praise passed on to enemies ("would recommend it to my worst enemy") with no other sign → escalates', () => {
    const d = detect(conv('> the rowing machine turned up', '< Enjoy it!', '> oh I am enjoying it. would recommend it to my worst enemy'));
    expect(d.shouldEscalate).toBe(true);
  });
  it('near case: a board game\'s name ("the Enemy Within") or friends recommended to → no escalation', () => {
    expect(detect(conv("> I'd recommend the Enemy Within board game to anyone, ordering a second copy for my brother")).shouldEscalate).toBe(false);
    expect(detect(conv('> would recommend to all my friends, the tent was brilliant')).shouldEscalate).toBe(false);
  });
});

describe('new questions read as repeats', () => {
  it('the same praise word opening two questions ("haha perfect name. Is it easy to build?" … "perfect. And if it is too big can I swap it?") is no subject → no repeat', () => {
    const d = detect(
      conv(
        '> do you have a scooter in green for a 4 year old?',
        '< Yes, the Micro Mini in "Frog Green".',
        '> haha perfect name. Is it easy to put together?',
        '< It comes fully assembled.',
        "> perfect. And if it's too small can I exchange it?",
        '< Yes, within 30 days.',
        '> ordering now',
      ),
    );
    expect(d.triggers.map((t) => t.type)).not.toContain('REPEATED_QUESTION');
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: the same question asked again after "great." ("great. but when will my order actually arrive?") → still a repeat', () => {
    const d = detect(conv('> when will my order arrive?', '< It ships soon.', '> great. but when will my order actually arrive?'));
    expect(d.triggers.map((t) => t.type)).toContain('REPEATED_QUESTION');
  });
});

describe('a refusal the customer reports', () => {
  it('a return rejected, told without a damage word ("it was rejected" … "Rejected with the same reason.") → escalates on the rules', () => {
    const d = detect(
      conv(
        '> I sent a return request for my trainers with photos but it was rejected, no reason given.',
        '< Please make sure the photos show the label. You may resubmit.',
        '> I resubmitted twice with clear photos. Rejected with the same reason. The window is closed now.',
      ),
    );
    expect(d.shouldEscalate).toBe(true);
    expect(d.triggers.some((t) => t.type === 'NEGATIVE_SENTIMENT' && t.reason.includes('refused'))).toBe(true);
  });
  it('near case: asked ("was my return request rejected? I can\'t see it") or declined by the customer → no escalation', () => {
    expect(detect(conv("> was my return request rejected? I can't see it in my account", "< It's still pending.", '> ok thanks')).shouldEscalate).toBe(false);
    expect(detect(conv('> I declined the extended warranty at checkout, can I still add it?', '< Yes, within 30 days.', '> great thanks')).shouldEscalate).toBe(
      false,
    );
  });
});
