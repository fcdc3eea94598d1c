import { describe, it, expect } from 'vitest';
import { detect, type ConversationInput, type Decision, type Message, type TriggerType } from '../../../src/detection/index.ts';
import { compilePatterns, inQuestion, patternSource, tokenText } from '../../../src/detection/signals/pattern.ts';
import { tokenize } from '../../../src/detection/tokenize.ts';
import { said } from './helpers.ts';

// Conversation-level signals of issue #12: each fires within the pinned trigger types and explains itself.

const CONFIDENT = 0.9;
/** A web chat where the AI is confident, so only the words decide. `>` customer, `<` assistant. */
function conv(...lines: string[]): ConversationInput {
  const messages: Message[] = lines.map((l) => ({ role: l.startsWith('<') ? 'assistant' : 'customer', text: l.slice(1).trim() }));
  return { channel: 'web_chat', aiConfidence: CONFIDENT, messages };
}
const trigger = (d: Decision, type: TriggerType) => d.triggers.find((t) => t.type === type);

describe('safety incidents → safety risk flag, URGENT, a product intent', () => {
  it.each([
    ['the power bank I bought last month has puffed up and the case is splitting', 'battery swelling or overheating'],
    ['I found a small piece of glass in the jar of baby food', 'foreign object in food'],
    ['the kettle lid flipped open and boiling water went all over my hand, I have a blister', 'burn'],
    ['the plug of the heater is blackened and there was a burning smell from the socket', 'burning smell or scorching'],
    ['got a shock when I touched the metal base of the lamp', 'electric shock'],
    ['her cheeks are red and swollen since she used the face cream', 'allergic reaction'],
    ['my toddler swallowed the magnet that fell out of the case', 'choking or swallowing'],
    ['smoke came out of the laptop vent while I was working', 'smoke or fire'],
    ['the blade came loose and sliced my finger, I needed stitches', 'injury'],
    ['we all got sick after eating the protein bars, vomiting all night', 'sickness after use'],
  ])('"%s" → %s', (text, hazard) => {
    const d = detect(conv(`> ${text}`, '< Thanks for reaching out! Here is our returns policy.'));
    expect(d.riskFlags).toContain('safety');
    expect(d.priority).toBe('URGENT');
    expect(d.intent).not.toBe('other');
    const kw = trigger(d, 'KEYWORD_MATCH')!;
    expect(kw.value).toContain(hazard);
    expect(kw.reason).toContain(`safety: ${hazard}`);
    expect(kw.messageIndexes).toEqual([0]);
  });

  it.each([
    'Does the fire pit come with a rain cover?',
    'Are batteries included with the smoke detector?',
    'do you sell aloe vera gel for sunburn?',
    'I hurt my back last month so I need a desk chair with lumbar support, which one?',
    'is the paint toxic for cats?',
    'which of your kettles boils fastest? I burn through my mornings waiting',
    'my phone gets hot with slow chargers, do you sell a fast one?',
    'the gift is for my mum who is in hospital for 3 weeks, can you add a card?',
    'is the dog chew toy safe if swallowed in small pieces?',
  ])('a hazard word used neutrally does not: "%s"', (text) => {
    const d = detect(conv(`> ${text}`));
    expect(d.riskFlags).not.toContain('safety');
    expect(d.keywords).toEqual([]);
  });
});

describe('frustration stated as facts → NEGATIVE_SENTIMENT that names them', () => {
  it('caps the computed sentiment and explains the facts', () => {
    const d = detect(
      conv("> I've been on hold for 2 hours today and the line just cut out", '< How can I help you today?', "> I'm trying to find out where order 55821 is"),
    );
    const t = trigger(d, 'NEGATIVE_SENTIMENT')!;
    expect(d.sentiment).toBeLessThanOrEqual(-0.6);
    expect(t.reason).toMatch(/frustration stated as facts: waiting \("on hold for 2 hours"\)/);
    expect(t.messageIndexes).toContain(0);
  });

  it('two kinds of facts cap it lower', () => {
    const d = detect(conv('> It has been three weeks and still nothing, and nobody answered my three emails'));
    expect(d.sentiment).toBeLessThanOrEqual(-0.7);
  });

  it('a later resolution ends them; a polite closing does not', () => {
    const resolved = detect(conv('> My parcel is 2 weeks late', '< It is out for delivery today.', '> oh it just arrived, all good now, thanks!'));
    expect(resolved.shouldEscalate).toBe(false);
    const polite = detect(conv('> My order never arrived, it has been 3 weeks.', '< Orders arrive in 3-5 days.', '> ok thanks, have a nice day'));
    expect(trigger(polite, 'NEGATIVE_SENTIMENT')).toBeDefined();
  });

  it('how it came does not close what came damaged in the same sentence', () => {
    expect(trigger(detect(conv('> Courier left the parcel in the rain, the suede boots are soaked through.')), 'NEGATIVE_SENTIMENT')).toBeDefined();
    expect(detect(conv('> The courier dropped it off at my neighbour, all good now')).shouldEscalate).toBe(false);
  });

  it('a fact asked about in a question, then answered and acknowledged, does not escalate', () => {
    const d = detect(
      conv('> the parcel is a day late, any news?', '< It was delayed at the depot and is out for delivery today.', '> ok thanks for the update'),
    );
    expect(d.shouldEscalate).toBe(false);
  });

  it('conversation-level facts: time since a promise, a failed replacement, credit instead of a refund', () => {
    for (const text of [
      'i was told the refund would take 5 days. that was a month ago',
      'the replacement you sent is broken as well, same crack in the same place',
      'I asked for my money back and was told I can only get store credit',
    ]) {
      expect(trigger(detect(conv(`> ${text}`)), 'NEGATIVE_SENTIMENT'), text).toBeDefined();
    }
  });

  it('uses the caller sentiment as given', () => {
    const d = detect({ ...conv("> I've been on hold for 2 hours"), customerSentiment: 0.2 });
    expect(d.sentiment).toBe(0.2);
    expect(trigger(d, 'NEGATIVE_SENTIMENT')).toBeUndefined();
  });
});

describe('frustration facts by structure (signals/elapsed.ts)', () => {
  const negative = (...lines: string[]) => trigger(detect(conv(...lines)), 'NEGATIVE_SENTIMENT');
  it('time passed with something not happening, in one sentence or two', () => {
    expect(negative('> My daughter has been left without a laptop because the repair has taken 6 weeks')).toBeDefined();
    expect(negative("> The tracking number you gave me doesn't exist. I've checked every day for a week.")).toBeDefined();
  });
  it('a promise followed by a sentence saying it was not kept, and dates that moved on', () => {
    expect(negative("> I was promised a call back on Monday. It's Thursday.")).toBeDefined();
    expect(negative('> My order was due on the 10th. Today is the 19th.')).toBeDefined();
  });
  it('contact repeated and counted; a complaint asked as a question', () => {
    expect(negative('> I have sent the same documents four times now')).toBeDefined();
    expect(negative('> Why has it taken 3 weeks for my refund to go through?')).toBeDefined();
  });
  it("the customer's own side, plans and questions about policy are not complaints", () => {
    expect(negative("> It's been 2 weeks and I haven't opened the box yet, can I still return it?")).toBeUndefined();
    expect(negative("> We've been customers for 5 years and never had a problem. Just wanted to ask about the new range.")).toBeUndefined();
    expect(negative('> How long does a refund take once you have received the return?')).toBeUndefined();
    expect(negative('> It took 3 days but it arrived this morning, thanks!')).toBeUndefined();
  });
  it('an acknowledgement closes an asked fact only after a concrete answer', () => {
    expect(negative("> It's been 10 days and no refund. When will I get it?", '< Refunds take 5-10 working days.', '> fine')).toBeDefined();
    expect(
      negative('> the parcel is a day late, any news?', '< It was delayed at the depot and is out for delivery today.', '> ok thanks for the update'),
    ).toBeUndefined();
  });
  it('an acknowledgement of an action taken ends the complaint', () => {
    const d = detect(
      conv(
        '> wrong colour mug came, ordered the sage got the mustard',
        "< Sorry about that! I've sent the sage one out today.",
        '> haha will do, thanks a lot',
      ),
    );
    expect(d.shouldEscalate).toBe(false);
  });
});

describe('sarcasm next to trouble', () => {
  it('praise right after the assistant admitted a problem or refused, and intensified praise next to trouble', () => {
    expect(
      trigger(
        detect(
          conv(
            '> my discount code expired while your site was down',
            "< Unfortunately promo codes can't be extended once expired.",
            '> oh how lovely, really appreciate that',
          ),
        ),
        'NEGATIVE_SENTIMENT',
      ),
    ).toBeDefined();
    expect(trigger(detect(conv('> Cheers for the refund of £0.00, very generous of you')), 'NEGATIVE_SENTIMENT')).toBeDefined();
    expect(
      trigger(detect(conv('> Paid for next day delivery and got it next week. Money well spent, worth every single cent')), 'NEGATIVE_SENTIMENT'),
    ).toBeDefined();
    expect(trigger(detect(conv('> ordered on the 2nd, still not here on the 20th, must be coming by carrier pigeon')), 'NEGATIVE_SENTIMENT')).toBeDefined();
    // a concrete answer makes "good to know" sincere
    expect(detect(conv('> My order is late', '< Sorry about that! It will arrive today before 6pm.', '> ok, good to know')).shouldEscalate).toBe(false);
  });

  it.each([
    'great, another week without my order, just perfect',
    'wow amazing service, 5 days to answer a yes or no question',
    'Perfect timing, the birthday present arrives a week after the birthday. Bravo.',
    'yeah sure, "within 24 hours", heard that one before',
  ])('"%s" escalates', (text) => {
    const d = detect(conv(`> ${text}`, '< Thank you! Is there anything else I can help with?'));
    // named as sarcasm, or as the fact next to it ("another week without") when facts.ts found one
    expect(trigger(d, 'NEGATIVE_SENTIMENT')?.reason).toMatch(/frustration stated as facts: /);
  });

  it.each([
    'Great, thanks so much!',
    '10/10 service, will order again 👏',
    'oh lovely, thank you so much',
    'It took 2 weeks but the sofa was delivered yesterday and it looks great',
  ])('genuine praise does not: "%s"', (text) => {
    expect(detect(conv(`> ${text}`)).shouldEscalate).toBe(false);
  });
});

describe('REPEATED_QUESTION: the same question reworded', () => {
  it('shares concepts, not words', () => {
    const d = detect(
      conv(
        '> when will my order get here?',
        '< You can track your order using the link in your confirmation email.',
        "> what's the delivery date for my package?",
        '< Tracking information is available in your account.',
        '> so when does it actually arrive',
      ),
    );
    const t = trigger(d, 'REPEATED_QUESTION')!;
    expect(t.reason).toMatch(/similarity of meaning/);
    expect(t.messageIndexes).toEqual([0, 2, 4]);
  });

  it('two questions on the same specific subject', () => {
    const d = detect(conv('> is the mattress firm or soft', '< Our mattresses have a 100 night trial.', '> how firm is it on a scale of 1 to 10'));
    expect(trigger(d, 'REPEATED_QUESTION')).toBeDefined();
  });

  it('a follow-up variation is not a repeat', () => {
    const d = detect(conv("> hey what's the warranty on the washing machine", '< 2 years.', '> and on the dryer?', '< Also 2 years.'));
    expect(d.shouldEscalate).toBe(false);
    const e = detect(conv('> can I return something I bought in the sale?', '< Yes, within 14 days.', '> ok and do I pay for the return?'));
    expect(e.shouldEscalate).toBe(false);
  });

  it('a correction or an insistence on the same subject is a repeat ("no, I mean …", "yes but …", "… or not?")', () => {
    for (const again of [
      'No, I mean the delivery address of the order I already placed',
      'yes but can the address be changed or not?',
      "that's not what I asked, can I change where it goes?",
    ]) {
      const d = detect(conv('> How do I change the address on my order?', '< You can update your address in Account > Addresses.', `> ${again}`));
      expect(trigger(d, 'REPEATED_QUESTION'), again).toBeDefined();
    }
  });

  it('"no, that\'s all" and a new subject after "but" are not repeats', () => {
    const d = detect(conv('> is the kettle in stock?', '< Yes, it is.', "> no that's all, thanks"));
    expect(d.shouldEscalate).toBe(false);
    const e = detect(conv('> is the kettle in stock?', '< Yes, it is.', '> great, but do you deliver to Ireland?'));
    expect(e.shouldEscalate).toBe(false);
  });

  it('asking again for someone else, or apologising for asking again, is not a complaint', () => {
    expect(trigger(detect(said("I'm asking again for my sister, does the dress come in petite?")), 'REPEATED_QUESTION')).toBeUndefined();
    expect(
      trigger(detect(said("sorry, I asked the same thing earlier but lost the chat, what's the delivery cost to Italy?")), 'REPEATED_QUESTION'),
    ).toBeUndefined();
  });
});

describe('REPEATED_QUESTION: the assistant going in circles', () => {
  it('the same failed instruction after the customer says it did not help', () => {
    const d = detect(
      conv(
        "> I can't reset my password",
        '< Please try resetting your password using the "Forgot password" link on the login page.',
        '> I did, the email never arrives',
        '< Please try resetting your password using the "Forgot password" link on the login page.',
      ),
    );
    const t = trigger(d, 'REPEATED_QUESTION')!;
    expect(t.reason).toMatch(/assistant is going in circles/);
    expect(t.messageIndexes).toEqual(expect.arrayContaining([1, 3]));
  });

  it('an apology put before the same instruction is the same answer', () => {
    const d = detect(
      conv(
        "> the washing machine shows error E21 and won't drain",
        '< Please turn the machine off and on again.',
        '> did that, still E21',
        "< I'm sorry to hear that. Please turn the machine off and on again.",
      ),
    );
    expect(trigger(d, 'REPEATED_QUESTION')).toBeDefined();
  });

  it('apologies again and again while the problem stays', () => {
    const d = detect(
      conv(
        '> I got a pair of size 38 instead of size 41',
        "< I'm so sorry for the mix-up! I apologise for the inconvenience.",
        '> ok but how do I get the right size',
        "< I apologise again for the inconvenience, I'm very sorry about this.",
        '> can you send the 41?',
        "< I'm really sorry, I sincerely apologise for the inconvenience caused.",
      ),
    );
    expect(trigger(d, 'REPEATED_QUESTION')?.reason).toMatch(/3 apologies/);
  });

  it('the same reply after the customer pushes back once ("yes but …", "done that")', () => {
    const d = detect(
      conv(
        '> Is the jacket waterproof?',
        '< The jacket is made from a durable polyester.',
        '> Yes but will it keep rain out?',
        '< The jacket is made from a durable polyester.',
      ),
    );
    expect(trigger(d, 'REPEATED_QUESTION')?.reason).toMatch(/assistant is going in circles/);
    const e = detect(conv("> The app won't open", '< Please try restarting the app.', '> Done that', '< Please try restarting the app.'));
    expect(trigger(e, 'REPEATED_QUESTION')?.reason).toMatch(/assistant is going in circles/);
  });

  it('polite boilerplate around different answers is not a loop', () => {
    const d = detect(
      conv(
        '> do you have the blue mug?',
        "< Yes, it's in stock. Is there anything else I can help you with?",
        '> and the matching plate?',
        '< Yes, the plate is in stock too. Is there anything else I can help you with?',
        "> no that's all, thanks",
        "< You're welcome! Is there anything else I can help you with?",
      ),
    );
    expect(d.shouldEscalate).toBe(false);
  });
});

describe('giving up, disputes, public and legal threats', () => {
  it('taking the payment back through the bank is a chargeback risk: URGENT', () => {
    for (const text of [
      "forget it, I'll sort it out with my bank",
      "I've opened a claim with PayPal for order 3302",
      'I will ask my card company to get the money back',
    ]) {
      const d = detect(conv(`> ${text}`));
      expect(d.riskFlags, text).toEqual(['chargeback']);
      expect(d.priority).toBe('URGENT');
      expect(d.keywords).toContain('payment dispute');
    }
  });

  it('churn: closing the account, sending everything back, never ordering again', () => {
    expect(detect(conv('> none. send everything back and close my account')).keywords).toContain('account closure');
    expect(detect(conv("> I've been a customer for 6 years. I'm taking my business elsewhere")).keywords).toContain('giving up on us');
    expect(detect(conv('> how do I close my account?')).keywords).toEqual([]);
    expect(detect(conv("> I've never ordered from you before, do you ship to Spain?")).shouldEscalate).toBe(false);
  });

  it('public threats, not praise', () => {
    expect(detect(conv("> I'll tell my 12k followers exactly how you treat customers")).keywords).toContain('public complaint');
    expect(detect(conv("> I'm going to leave a 1 star review on Trustpilot about this")).keywords).toContain('public complaint');
    expect(detect(conv("> I'll be leaving a review once I've tried it, first impression is great!")).shouldEscalate).toBe(false);
  });

  it('a lawyer brought in is a legal threat; a lawyer friend or a tennis court is not', () => {
    const d = detect(conv('> my solicitor will be in touch about the faulty boiler'));
    expect(d.riskFlags).toEqual(['legal_threat']);
    expect(d.intent).toBe('legal');
    expect(d.keywords).toContain('solicitor');
    expect(detect(conv('> See you in court')).riskFlags).toEqual(['legal_threat']);
    for (const text of ['my lawyer friend recommended you, do you ship to Ireland?', 'my son needs tennis court shoes in size 5']) {
      const n = detect(conv(`> ${text}`));
      expect(n.shouldEscalate, text).toBe(false);
      expect(n.intent).not.toBe('legal');
    }
  });

  it('a damaged item with the refund refused escalates', () => {
    const d = detect(conv('> the mirror arrived cracked and your returns team said it is not eligible for a refund', '< Sale items are final sale.'));
    expect(d.shouldEscalate).toBe(true);
    expect(['damaged_item', 'refund_return']).toContain(d.intent);
  });
});

describe('MANUAL: a person asked for in open wording; role nouns used neutrally do not fire', () => {
  it('request framing with staff named by team, refusing the bot, a bare "transfer me"', () => {
    for (const text of [
      'Please ask a member of your customer team to email me about this',
      'Any chance a real member of the team could pick this up?',
      'I would like to be contacted by your complaints team',
      'This needs to go to someone who can authorise a refund',
      "I don't want to talk to a bot",
      'Transfer me',
    ]) {
      expect(trigger(detect(conv(`> ${text}`)), 'MANUAL'), text).toBeDefined();
    }
  });
  it("someone else's call or collection is not a request for a person", () => {
    expect(detect(conv('> Will the courier call me before they deliver?')).shouldEscalate).toBe(false);
    expect(detect(conv('> Can someone else pick up my click and collect order? My husband will go')).shouldEscalate).toBe(false);
  });

  it.each([
    'could somebody from your team ring me? 07700 900123',
    'is there anyone on your side who could check this properly?',
    'Can a colleague of yours take a look at my case please',
    "I'd rather go through this by phone, can someone call me this afternoon?",
    'please have someone contact me about this',
    'can i get a call back from your team?',
    'would it be possible for one of your staff to give me a ring?',
    'is anybody actually there? I need help from a person',
    'how do I get hold of a human at your company',
    'I think this needs someone who can actually see my account. Can you pass me on?',
  ])('"%s" → MANUAL', (text) => {
    const t = trigger(detect(conv(`> ${text}`)), 'MANUAL');
    expect(t).toMatchObject({ value: 'customer_request', messageIndexes: [0] });
  });

  it.each([
    "Do you do gift cards? It's for my manager's birthday next week",
    "I'm a travel agent and I'd like 20 luggage tags for my clients",
    'Is the HumanTouch massager compatible with UK plugs?',
    "I'm buying this for my supervisor who's retiring, can you gift wrap it?",
    "I'm a representative for a small charity, do you offer discounts?",
    'Is the "Real Person" audiobook available on CD?',
    'call me crazy but I love the green one, do you have it in L?',
    'Can someone else pick up my click and collect order? My husband will go',
    'is there someone in the Leeds store who can help me choose a sofa if I come in on Saturday?',
    "I don't need anyone to call me, just tell me the price",
  ])('"%s" → nothing', (text) => {
    const d = detect(conv(`> ${text}`));
    expect(d.shouldEscalate).toBe(false);
    expect(d.keywords).toEqual([]);
  });

  it('a role noun asked for is reported as a keyword', () => {
    expect(detect(conv('> get me a human please')).keywords).toEqual(['human']);
    expect(detect(conv('> transfer me to an agent')).keywords).toEqual(['agent']);
    expect(detect(conv('> I want to speak to a manager right now')).keywords).toEqual(['speak to a manager']);
  });
});

describe('asking about a policy is not asking for it', () => {
  it('"can I cancel my order if …?" is a question, "please cancel my order" a keyword', () => {
    expect(detect(conv("> can I cancel my order if it hasn't shipped yet? just in case my plans change")).keywords).toEqual([]);
    expect(detect(conv('> please cancel my order 4411, I ordered it twice')).keywords).toEqual(['cancel my order']);
  });
});

describe('calm conversations stay calm', () => {
  it('a polite conversation with a link does not escalate', () => {
    const d = detect(
      conv(
        '> Hi, tracking link is https://track.example.com/XY12345 and it says out for delivery, roughly what time?',
        '< Deliveries in your area usually arrive between 10am and 4pm.',
        '> thanks 🙂 order #88123 https://shop.example.com/orders/88123',
      ),
    );
    expect(d.shouldEscalate).toBe(false);
    expect(d.triggers).toEqual([]);
  });
});

describe('pattern language (signals/pattern.ts)', () => {
  it('compiles alternatives, optional tokens, gaps and multi-word groups', () => {
    expect(patternSource('(power bank|phone) ~2 swollen')).toBe(' (?:power bank|phone) (?:[^ .,!?]+ ){0,2}swollen ');
    const re = compilePatterns(['(power bank|phone) ~2 swollen $', 'burn* my?']);
    expect(re.exec(tokenText(tokenize('The power bank is swollen.').toks))?.[0]).toBe(' power bank is swollen . ');
    expect(re.test(tokenText(tokenize('the power bank, is swollen').toks))).toBe(false); // gaps never cross punctuation
    expect(re.test(tokenText(tokenize('it burned').toks))).toBe(true);
  });

  it('tells questions opened by a question word from statements ending in "?"', () => {
    const q = tokenText(tokenize('is the paint toxic?').toks);
    expect(inQuestion(q, q.indexOf('toxic'))).toBe(true);
    const s = tokenText(tokenize('my kid swallowed a magnet?!').toks);
    expect(inQuestion(s, s.indexOf('swallowed'))).toBe(false);
  });
});
