import { describe, it, expect } from 'vitest';
import { analyzeSentiment, conversationSentiment, detect, scoreSentiment } from '../../../src/detection/index.ts';
import { chat } from './helpers.ts';

describe('frustration stated as facts is negative', () => {
  it.each([
    "I've been on hold for 2 hours",
    'Three weeks and still nothing',
    'Three emails unanswered',
    'No one got back to me',
    "It's been 10 days",
    'I have called you 4 times',
    'My flight was cancelled and we are stuck at the airport',
    'They refused my refund',
    'The kettle arrived broken',
  ])('"%s" < −0.3', (text) => {
    expect(scoreSentiment(text)).toBeLessThan(-0.3);
  });

  it('a fact wins over its own words (no double count, "nobody helped" is one complaint)', () => {
    expect(analyzeSentiment('Nobody helped me').raw).toBe(-3); // one no_reply fact, not −3 for "nobody" and more for "helped"
  });
});

describe('sarcasm after a complaint fact', () => {
  it.each([
    'great, another week without my order, just perfect',
    'Love waiting on hold',
    'Thanks for nothing',
    'Wonderful, charged twice for the same order',
    'Awesome, three emails and no reply. Great service.',
  ])('"%s" is negative', (text) => {
    expect(scoreSentiment(text)).toBeLessThan(-0.3);
  });

  it('scare quotes around what went wrong mark praise as sarcasm', () => {
    expect(scoreSentiment('Fantastic, another "we\'re sorry for the inconvenience" email. Really helpful.')).toBeLessThan(-0.3);
    expect(scoreSentiment('I love the "Aurora" lamp, it looks great')).toBeGreaterThan(0.4);
  });

  it('irony emoji mark praise as sarcasm', () => {
    expect(scoreSentiment('thanks so much for the super helpful copy paste answer 🙃')).toBeLessThan(-0.3);
  });

  it('leaves the same positive words alone without a complaint', () => {
    expect(scoreSentiment('Great, it arrived today, just perfect')).toBeGreaterThan(0.4);
    expect(scoreSentiment('Love it')).toBeGreaterThan(0.4);
  });
});

describe('a polite closing does not cancel a complaint', () => {
  it('in one message', () => {
    expect(scoreSentiment('My order never arrived. Have a nice day.')).toBeLessThan(-0.3);
    expect(scoreSentiment('Three emails unanswered. Thanks.')).toBeLessThan(-0.3);
    expect(scoreSentiment('I want a refund, thank you')).toBeLessThan(0);
  });

  it('courtesy never makes a text negative', () => {
    expect(scoreSentiment("Sorry, I lost the chat, what's the delivery cost to Italy?")).toBeGreaterThan(-0.3);
    expect(scoreSentiment('is it the same in grey? sorry')).toBe(0);
    expect(scoreSentiment('I need to cancel order 5521, I ordered it twice by accident')).toBeGreaterThan(-0.3);
  });

  it('courtesy alone is still positive', () => {
    expect(scoreSentiment('Thanks!')).toBeGreaterThan(0.3);
    expect(scoreSentiment('Sorry to bother you, thanks')).toBeGreaterThan(0.3);
    expect(analyzeSentiment('Thank you so much, have a nice day').closing).toBe(true);
    expect(analyzeSentiment('Thanks, that solved it!').closing).toBeUndefined();
  });

  it('across messages: "ok thanks" after a complaint does not pull the conversation back', () => {
    const complaint = analyzeSentiment('My order never arrived, it has been 3 weeks.');
    const closing = analyzeSentiment('ok thanks, have a nice day');
    expect(conversationSentiment([complaint, closing])).toBe(conversationSentiment([complaint]));
    const d = detect(chat(['My order never arrived, it has been 3 weeks.', 'ok thanks, have a nice day'], { aiConfidence: 0.9 }));
    expect(d.sentiment).toBeLessThan(-0.4);
  });

  it('a resolved complaint does pull it back', () => {
    const complaint = analyzeSentiment('My order never arrived, it has been 3 weeks.');
    const resolved = analyzeSentiment('Oh it just arrived, works great, thanks!');
    expect(conversationSentiment([complaint, resolved])).toBeGreaterThan(0);
  });

  it('without a complaint a closing counts as usual', () => {
    const q = analyzeSentiment('Do you ship to Canada?');
    const thanks = analyzeSentiment('Thanks, have a nice day');
    expect(conversationSentiment([q, thanks])).toBeGreaterThan(0.3);
  });
});

describe('inability and negated predicates are complaints', () => {
  it.each(["I can't log in", "It doesn't sync with my laptop", 'The case is not compatible with my phone', 'Unable to reset my password'])(
    '"%s" is negative',
    (text) => {
      expect(scoreSentiment(text)).toBeLessThan(0);
    },
  );

  it.each(["I don't know my order number", "I can't wait to try it", "Don't hesitate to call me", 'It does not matter which colour', "I don't mind waiting"])(
    '"%s" is not negative',
    (text) => {
      expect(scoreSentiment(text)).toBeGreaterThanOrEqual(0);
    },
  );
});

describe('support chat: own slips, resolutions and suppositions are not complaints', () => {
  it.each([
    'Hi! I think I put the wrong house number, it should be 21 not 12',
    'oops, ignore my last message, the refund has just appeared on my statement',
    'it was my fault, I typed the wrong email address. all sorted now',
    "I don't need a reply, just letting you know the parcel went to my neighbour",
    "I thought I'd been charged twice but it was just a pending authorisation. my bad!",
    'my daughter is allergic to nuts, do your granola bars contain any?',
    'Does the fire pit come with a rain cover?',
  ])('"%s" is not negative', (text) => {
    expect(scoreSentiment(text)).toBeGreaterThanOrEqual(0);
  });

  it('a complaint stated outright still is', () => {
    expect(scoreSentiment("I've been charged twice for the same order")).toBeLessThan(-0.5);
    expect(scoreSentiment('you ignored my emails')).toBeLessThan(-0.5);
  });
});

describe('lexicon coverage', () => {
  it("uses VADER's words that AFINN lacks", () => {
    expect(scoreSentiment('The update was disheartening')).toBeLessThan(-0.3);
  });

  it('falls back to ML-SentiCon stems for long words no lexicon knows', () => {
    // neither AFINN nor VADER has these; ML-SentiCon's stems "demean" and "detest" are −0.75
    expect(analyzeSentiment('The way the agent spoke to me was demeaning').raw).toBeCloseTo(-0.75, 5);
    expect(scoreSentiment('Their attitude was detestable')).toBeLessThan(0);
  });

  it('covers service and product-fault vocabulary', () => {
    for (const text of ['My flight was delayed', 'The order got cancelled', 'The agent was rude', 'The sound is garbled', 'The lid is flimsy']) {
      expect(scoreSentiment(text)).toBeLessThan(-0.2);
    }
  });
});

describe('product reviews: what is missing, imposed, wanted or better elsewhere', () => {
  it.each(['It has no optical zoom.', 'Ordered a cordless vacuum, arrived with no battery in the box.', 'There are no D bolts in the bag'])(
    '"%s" (something missing) is negative',
    (text) => {
      expect(scoreSentiment(text)).toBeLessThan(0);
    },
  );

  it.each(["no that's all, thanks", 'No, I got it', 'no more questions, thanks', 'No reception issues at all in my house', 'at no extra cost'])(
    '"%s" is not something missing',
    (text) => {
      expect(scoreSentiment(text)).toBeGreaterThanOrEqual(0);
    },
  );

  it('an obligation the product imposes is a mild complaint, a question or a discourse marker is not', () => {
    expect(scoreSentiment('You have to hold the phone at an angle to be heard.')).toBeLessThan(0);
    expect(scoreSentiment('I have to jiggle the plug.')).toBeLessThan(0);
    expect(scoreSentiment('how long do i have to return a mattress')).toBe(0);
    expect(scoreSentiment('Do I have to pay customs?')).toBe(0);
    expect(scoreSentiment('I have to say this is great.')).toBeGreaterThan(0);
    expect(scoreSentiment("You don't have to mess with the settings.")).toBeGreaterThanOrEqual(0);
  });

  it('a wanted comparative under an unmet expectation names a lack', () => {
    expect(scoreSentiment('I wish the screen were bigger.')).toBeLessThan(0);
    expect(scoreSentiment('I expected it to be louder.')).toBeLessThan(0);
    expect(scoreSentiment('If only the battery lasted longer.')).toBeLessThan(0);
    expect(scoreSentiment('It would be great if the battery lasted longer.')).toBeLessThan(0);
    expect(scoreSentiment('That would be great, thanks.')).toBeGreaterThan(0);
  });

  it('praise of a rival product counts against the product', () => {
    expect(scoreSentiment('My old phone was better.')).toBeLessThan(0);
    expect(scoreSentiment('The previous version was much faster.')).toBeLessThan(0);
    expect(scoreSentiment('Other players are much cheaper.')).toBeLessThan(0);
    expect(scoreSentiment('This is better than my old one.')).toBeGreaterThan(0);
    expect(scoreSentiment('The other day I tried it again and it works better.')).toBeGreaterThan(0);
  });

  it.each([
    'The player froze twice in the first week.',
    'The firmware update bricked it.',
    'The colours look washed out.',
    'The audio is out of sync.',
    'It eats batteries.',
    'The screen scratches easily.',
    'The signal drops constantly.',
    'The battery life is short.',
    'The software needs work.',
    'It took me hours to figure out.',
    'Less than ideal.',
    'I expected more from this brand.',
    'It broke after two weeks.',
    'Waste of money.',
    'It does not fit.',
    "It doesn't hold a charge.",
  ])('"%s" is negative', (text) => {
    expect(scoreSentiment(text)).toBeLessThan(0);
  });

  it.each([
    "I can't say enough good things about it.",
    'The battery charges quickly.',
    "Can't beat the price.",
    'anti-glare screen',
    'Setup was easy and it worked right away.',
  ])('"%s" is positive', (text) => {
    expect(scoreSentiment(text)).toBeGreaterThan(0);
  });
});

describe('support chat: neutral uses of negative-looking words', () => {
  it.each([
    "Just got the plant and it's even bigger than I expected 🌿😍",
    'do you sell smoke alarms with a 10 year battery?',
    "Looking for a birthday present for my manager, she's into crime novels. Any suggestions?",
    "The partial refund works, it's barely noticeable once it's on. Thanks!",
    'Order #BK-002231 and #BK-002240, can these go out in the same parcel? No rush.',
  ])('"%s" is not negative', (text) => {
    expect(scoreSentiment(text)).toBeGreaterThanOrEqual(0);
  });

  it('"none of" negates its predicate; "can\'t recommend it enough" is praise', () => {
    expect(scoreSentiment('None of the buttons work well.')).toBeLessThan(-0.3);
    expect(scoreSentiment('None of the above.')).toBe(0);
    expect(scoreSentiment("I can't recommend it enough.")).toBeGreaterThan(0.3);
    expect(scoreSentiment("I can't recommend it.")).toBeLessThan(-0.3);
  });

  it('"except" weighs the exception like "but" weighs what follows it', () => {
    expect(scoreSentiment('Good phone, except it drops calls.')).toBeLessThan(0);
    expect(scoreSentiment("It's like a little advent calendar, except nothing arrives.")).toBeLessThan(0);
    expect(scoreSentiment('Except for the remote, everything is great.')).toBeGreaterThan(0);
  });

  it('an unmet expectation still is', () => {
    expect(scoreSentiment('I expected better')).toBeLessThan(0);
    expect(scoreSentiment('worse than I expected')).toBeLessThan(0);
  });
});

describe('formal and non-native courtesy is not a complaint', () => {
  it.each([
    'Hello po, can I pay by COD? How much is shipping to Davao?',
    'Sorry to disturb you, kindly check my order status.',
    'With all due respect, I humbly request you to check the delivery date.',
    'I have a doubt regarding the size of the kurta.',
    'I am afraid I have one small query about the warranty.',
    'Is there any problem if I pay on delivery?',
    'Do you still have the killer heels in size 38?',
    'Does the lid have the valve that prevents leaks?',
  ])('"%s"', (text) => {
    expect(scoreSentiment(text)).toBeGreaterThan(-0.2);
  });

  it('a complaint said politely still is one', () => {
    expect(scoreSentiment('With all due respect, this is the third time I am asking and nobody has replied.')).toBeLessThan(-0.5);
    expect(scoreSentiment('Sorry to disturb, but the item is broken and useless.')).toBeLessThan(-0.5);
  });
});

describe('single quotes are scare quotes too', () => {
  it('around what the reply or the shop promised, with praise, mark sarcasm', () => {
    expect(scoreSentiment("Fantastic, another 'we're sorry for the inconvenience' email. Really helpful.")).toBeLessThan(-0.3);
  });
  it('around a product name they do not, and apostrophes are not quotes', () => {
    expect(scoreSentiment("I love the 'Aurora' lamp, it looks great")).toBeGreaterThan(0.4);
    expect(scoreSentiment("The kids' bikes arrived, they're great and don't wobble")).toBeGreaterThan(0.4);
  });
});

describe('sarcasm said outright and multi-word praise', () => {
  const escalatesAfter = (first: string, reply: string, text: string) =>
    detect({
      channel: 'web_chat',
      messages: [
        { role: 'customer', text: first },
        { role: 'assistant', text: reply },
        { role: 'customer', text },
      ],
    }).shouldEscalate;
  it('"you took that as a compliment", "I was being sarcastic" are ironic; "not being sarcastic" is not', () => {
    const first = 'Three orders running you have sent a colour other than the one I chose. Remarkable consistency.';
    const reply = 'Thank you for your kind words! Would you like to see our new arrivals?';
    expect(escalatesAfter(first, reply, 'Glad you took that as a compliment. It was not one.')).toBe(true);
    expect(escalatesAfter(first, reply, 'I was being sarcastic.')).toBe(true);
    expect(escalatesAfter('Is the wool jumper itchy?', 'It is a soft merino blend.', "I'm not being sarcastic, it looks lovely. Thanks!")).toBe(false);
  });
  it('"great product" next to trouble is irony; alone it is praise', () => {
    const reply = 'Yes! It has a 10,000mm waterproof rating and taped seams.';
    expect(escalatesAfter('Bought the hiking jacket, it says waterproof.', reply, 'Soaked through after an hour of drizzle. Great product.')).toBe(true);
    expect(escalatesAfter('Is the jacket waterproof?', reply, 'Great product, wore it all weekend in the rain. Thanks!')).toBe(false);
  });
  it('"5 stars", "kudos" are praise that reads as irony next to trouble only', () => {
    const reply = 'Sorry to hear that. Deliveries can take a little longer at busy times.';
    expect(escalatesAfter('My express parcel is a week late.', reply, 'Paid for express and still nothing after 9 days. 5 stars.')).toBe(true);
    expect(escalatesAfter('Is the lamp in stock?', 'Yes, it ships today.', 'Arrived a day early, 5 stars, kudos to the courier')).toBe(false);
  });
});
