import { describe, expect, it } from 'vitest';
import { conv, decideAfterOpening } from './helpers.ts';
import { compileSettings, detect } from '../../../src/detection/index.ts';

// w55 false escalations and w53/w54 leftovers, each fixed by its cause, with near cases that share their
// words and must keep their decision. Examples written for these tests.

const escalates = (s: string): void => expect(decideAfterOpening(s).shouldEscalate, s).toBe(true);
const stays = (s: string): void => expect(decideAfterOpening(s).shouldEscalate, s).toBe(false);
const S = compileSettings({});
const decide = (...lines: string[]) => detect(conv(...lines), S);

describe("the customer's own plan to ask the pharmacist at the counter is no request for our person", () => {
  it('"I\'ll get the strong one and talk to the pharmacist then" → calm', () => {
    stays("I'll get the strong one and talk to the pharmacist then");
    stays("i'm going to ask the optician when I pick them up");
    stays('ill just pop in and speak to the pharmacist');
  });
  it('near cases: asking for one, wanting or needing one → escalates', () => {
    escalates('can I talk to the pharmacist?');
    escalates('could I speak to a pharmacist please');
    escalates('I want to talk to a manager then');
    escalates('I feel ill and need to talk to the pharmacist');
  });
});

describe('a suspicion told as past is no claim of a scam', () => {
  it('"I thought it was some kind of scam tbh" → calm', () => {
    stays('I thought it was some kind of scam tbh, my brother said those sites never pay out');
    stays('was worried it was a scam lol but the money came');
  });
  it('near cases: said as it is, held, or confirmed → escalates', () => {
    escalates('this is a scam');
    escalates('I think this is a scam');
    escalates("I'm starting to think this whole site is a scam");
    escalates('I always thought you lot were a scam');
    escalates('I thought it was a scam and I was right');
    escalates('I thought it was a scam, turns out it is');
  });
});

describe('an nth time of an outing chosen again is no repeated contact', () => {
  it('"it\'s my third time seeing them" → calm', () => {
    stays("what time do doors open? it's my third time seeing them lol");
    stays("it's my 4th time seeing the band, can't wait");
    stays('this is our third time staying with you');
  });
  it('near cases: a fault seen again, contact or trouble repeated → escalates', () => {
    escalates('third time seeing this error');
    escalates("this is the third time I'm asking");
    escalates("third time it's happened");
    escalates('third time going back and forth on this');
    escalates("third time I've had to contact you");
  });
});

describe('"can\'t wait" with time told is eagerness, not a wait', () => {
  it('"it arrived 3 days ago, can\'t wait to try it" → calm', () => {
    stays("it arrived 3 days ago, can't wait to try it");
    stays("the party is in 3 days, can't wait!");
  });
  it('near cases: a limit reached → escalates', () => {
    escalates("ordered it two weeks ago, can't wait any longer");
    escalates("it's been 3 weeks and I can't wait another week for it");
  });
});

describe('"very fair" of skin is a complexion, not praise to read as irony', () => {
  it("\"I'm very fair, so I'm after something that doesn't feel greasy\" → calm", () => {
    stays("I'm very fair, so I want a sun cream that doesn't feel greasy");
    stays("my daughter is very fair and burns in minutes, which one isn't sticky?");
  });
  it('near cases: "very fair" said of what was done, with trouble → escalates', () => {
    escalates('very fair of you to charge me twice');
    escalates("oh that's very fair, the parcel never arrived and you won't refund it");
  });
});

describe('a wait for something longed for, told with delight, is no waiting complaint', () => {
  it('"I\'ve been waiting for those 🤩" → calm', () => {
    stays("oh the new leaves!! I've been waiting for those 🤩");
    stays('been waiting for this colour 😍');
  });
  it('near cases: a span of time, something owed, or no delight → escalates', () => {
    escalates("I've been waiting for this all day 🙄");
    escalates('been waiting for my refund 🥰');
    escalates('been waiting 3 weeks 😍');
    escalates('been waiting since Monday 😍');
    escalates("I've been waiting for it and it still hasn't come 😍");
  });
});

describe('how fast something was done is no wait; damage denied is no trouble for irony', () => {
  it('"she fixed them in 2 minutes, they don\'t slip at all now" → calm', () => {
    stays("popped in, she fixed them in 2 minutes, they don't slip at all now");
    stays("he sorted it within an hour and it doesn't wobble anymore");
  });
  it('"Great. I dropped it once already lol, it seems fine, nothing broken." → calm', () => {
    stays('Great. I dropped it once already lol, it seems fine, nothing broken.');
  });
  it('near cases: a real wait, or damage told → escalates', () => {
    escalates("I sent it back 2 weeks ago and they don't move at all on the refund");
    escalates("the engineer came and it's still not fixed in 5 hours");
    escalates("I've been on hold for 40 minutes and nobody answered");
    escalates('Great. I dropped them once and the lens cracked');
  });
});

describe("the customer's own case supposed by the reply is no admission to be ironic about", () => {
  it('"If you can\'t make the new date, you can request a refund" — "ah ok good to know" → calm', () => {
    const d = decide(
      '> the show moved to June, what if I cannot go then?',
      "< If you can't make the new date, you can ask for a full refund until 7 June.",
      '> ahh ok good to know. I think I can make it tho',
    );
    expect(d.shouldEscalate).toBe(false);
  });
  it('near cases: a refusal of ours in the reply → escalates', () => {
    const refused = decide('> will it be here by friday?', "< Unfortunately we can't guarantee Friday delivery.", '> oh good to know. how lovely');
    expect(refused.shouldEscalate).toBe(true);
    const both = decide('> can I still swap it?', "< If you no longer have the receipt, unfortunately we can't exchange it.", '> oh how lovely');
    expect(both.shouldEscalate).toBe(true);
  });
});

describe('a worry told in the past, answered by "but", is no problem for later praise to mock', () => {
  const thanks = ['> thanks for swapping the watch strap so fast', "< You're welcome!"];
  it('"i was worried i\'d have to cut it off 😂 but this one clips right on" … "10/10" → calm', () => {
    const d = decide(
      ...thanks,
      "> the old one was so short i was worried i'd have to cut it off my wrist 😂 but this one clips right on",
      '< Glad it fits!',
      '> 10/10 🙌',
    );
    expect(d.shouldEscalate).toBe(false);
  });
  it('near cases: the worry came true → the praise after it stays ironic', () => {
    const d = decide(...thanks, '> i was worried the clasp would snap but it did', '< Sorry to hear that.', '> 10/10 🙌');
    expect(d.shouldEscalate).toBe(true);
  });
});

describe("a thief's attempt that failed, a product that withstood it, the same state told of two things", () => {
  it('"someone tried to pinch my bike last week, didn\'t work" → calm; near: our repair that did not work → escalates', () => {
    stays("someone tried to pinch my bike outside the shop last week, didn't work");
    escalates("someone tried to fix it last week, didn't work");
    escalates("the engineer tried to fix it last week, didn't work");
  });
  it('a glad reply to "the lock has scratches all over but held" heard it right → calm', () => {
    const d = decide(
      '> the lock you sold me is a beast',
      '< Glad you like it!',
      "> someone tried to pinch my bike last week, didn't work 😤 the lock has scratches all over but held",
      '< Great to hear it did its job!',
      "> yeah the lock's fine just scratched, bike's fine too 👍",
      '< Brilliant. Keep it locked to something solid.',
      '> cheers 🙏',
    );
    expect(d.shouldEscalate).toBe(false);
  });
  it('near cases: a glad reply to damage not withstood, praise said over → escalates', () => {
    const misread = decide('> the sofa came today', '< Lovely!', '> one leg is snapped and the fabric is torn', '< Glad to hear it arrived!', '> ok.');
    expect(misread.shouldEscalate).toBe(true);
    const over = decide('> the lock was cut and my bike is gone', '< Oh no, sorry to hear that.', '> great. just great. great.');
    expect(over.shouldEscalate).toBe(true);
  });
});

describe('a public complaint the customer gave up is no threat', () => {
  it('"I was about to write an angry review but then I saw I typed it wrong" → calm', () => {
    stays("the voucher didn't work at first and I was about to write an angry review 😤 but then I saw I'd typed an O for a 0");
    stays('I nearly left a 1 star review lol but it works now');
  });
  it('near cases: about to, going to, or still meant → escalates', () => {
    escalates("I'm about to write an angry review");
    escalates('I am going to leave a 1 star review');
    escalates('I was going to leave a bad review on trustpilot');
    escalates("I was about to write an angry review but I still will if this isn't fixed");
    const again = decideAfterOpening("I nearly left a 1 star review, and I still will if this isn't fixed today");
    expect(again.keywords).toContain('public complaint');
  });
});

describe('"I\'d feel better talking to the actual <person doing the work>" is a request for a person', () => {
  it('→ escalates, by phone or in person', () => {
    escalates("I'd feel better talking to the actual tailor who is altering it before I pay. Could they call me, or could I pop in?");
    escalates("I'd be more comfortable speaking with a real person about this");
  });
  it("near cases: the customer's own people, or a feeling about the product → calm", () => {
    stays('I feel better talking to my mum about these things');
    stays("I'd feel better if it was gold");
    stays("I'd feel better talking to my own jeweller first, I'll get back to you");
  });
});

describe('praise of the price paid after a problem left open is irony, with or without a thanks', () => {
  it('"£60 very well spent" after faults the reply did not act on → escalates', () => {
    const d = decide(
      '> picked my bike up from your service yesterday',
      '< Hope it went well!',
      '> the rear brake squeals and the front barely works',
      '< Brakes sometimes need bedding in.',
      "> No no. You've been great. £60 very well spent.",
    );
    expect(d.shouldEscalate).toBe(true);
  });
  it('"Amazing. … Really, thank you. Best £900 I\'ve ever spent." after a bent hanger and a gouge, only promised a look → escalates', () => {
    const d = decide(
      '> the bike came today',
      '< Great news!',
      "> the hanger's bent and there's a gouge in the frame",
      '< Our team will review your photos and get back to you as soon as possible.',
      "> Amazing. I feel so reassured. Really, thank you. Best £900 I've ever spent.",
    );
    expect(d.shouldEscalate).toBe(true);
  });
  it('near cases: the reply acted, an idiom of effort, the replaced item given away → calm', () => {
    const acted = decide(
      '> the rear brake squeals and the front barely works',
      "< I've booked a free re-check for tomorrow at 9am and refunded the £60 to your card.",
      '> Amazing, really, thank you. Best £60 I have ever spent then.',
    );
    expect(acted.shouldEscalate).toBe(false);
    stays('you bent over backwards to sort my order, brilliant service');
    const given = decide(
      '> my book came with a bent cover',
      "< I've sent a replacement copy at no charge, it ships tomorrow.",
      "> Amazing. I'll give the bent one to my friend, she's been wanting to read it.",
      '< Lovely idea!',
      '> Thanks, you were super helpful.',
    );
    expect(given.shouldEscalate).toBe(false);
  });
});
