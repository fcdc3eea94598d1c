import { describe, expect, it } from 'vitest';
import { compileSettings, detect } from '../../../src/detection/index.ts';
import { conv, decideAfterOpening, expectNoSafetyIncident, expectSafetyUrgent } from './helpers.ts';

// The false URGENT decisions of the blind negatives w55 (tickets, books, opticians, pharmacy, home
// services): a risk word said of something else. Each is fixed by its cause, with near cases that
// must stay URGENT. Examples written for these tests.

const settings = compileSettings({});
const decide = (...lines: string[]) => detect(conv(...lines), settings);
const expectDispute = (d: ReturnType<typeof decide>, what: string) => {
  expect(d.priority, what).toBe('URGENT');
  expect(d.riskFlags, what).toContain('chargeback');
};

describe('a payment dispute ruled out, only wondered about, or only the bank asking', () => {
  it('"wasnt sure if i had to open a dispute with the bank", "so I shouldn\'t dispute it", "asked if I want to dispute it" → no dispute', () => {
    for (const s of [
      'ok wasnt sure if i had to open a dispute with the bank or something',
      "I wasn't sure whether I needed to dispute it with my bank",
      "So I shouldn't dispute it.",
      'no need to dispute it then, thanks',
      "I won't dispute it",
      'My bank app flagged the payment and asked if I want to dispute it. Is that you?',
    ]) {
      expect(decideAfterOpening(s).riskFlags, s).not.toContain('chargeback');
    }
  });
  it('near cases: a dispute on a condition, a yes to the bank, a dispute not wanted but threatened → URGENT', () => {
    for (const s of [
      "I won't dispute it if you refund me today",
      "I won't dispute it unless you ignore me again",
      'my bank asked if I want to dispute it, I said yes',
      "I don't want to have to dispute this with my bank",
      'I will dispute it with my bank',
    ]) {
      expectDispute(decideAfterOpening(s), s);
    }
  });
});

describe('a lawyer in a title the customer quoted', () => {
  it('"It is called "The Lawyer\'s Wife"" → calm', () => {
    const d = decideAfterOpening('I am looking for a book. It is called "The Lawyer\'s Wife" I think, or possibly "The Lawyer\'s Widow".');
    expect(d.riskFlags).not.toContain('legal_threat');
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: a lawyer called → legal threat, URGENT', () => {
    const d = decideAfterOpening('I have called my lawyer about the "Premium" plan you sold me');
    expect(d.riskFlags).toContain('legal_threat');
    expect(d.priority).toBe('URGENT');
  });
});

describe('a burning feeling is no fire; a symptom of hay fever or a hike is not the product', () => {
  it('"my eyes are on fire from hay fever", "my feet are on fire after the hike" → no safety incident', () => {
    expectNoSafetyIncident('my eyes are on fire from hay fever');
    expectNoSafetyIncident('my feet are on fire after the hike, any good insoles?');
    expectNoSafetyIncident('my eyes are streaming with hayfever, which drops do you recommend?');
    expectNoSafetyIncident('my eyes are burning from hay fever so I need drops too');
    expectNoSafetyIncident("I'm coughing with a cold, which syrup is best?");
  });
  it('near cases: a fire, or a burning feeling after using the product → URGENT', () => {
    expectSafetyUrgent('the charger is on fire');
    expectSafetyUrgent('the kitchen was on fire');
    expectSafetyUrgent('my eyes are on fire after using the drops you sent');
    expectSafetyUrgent('my skin is on fire since I used your cream');
    expectSafetyUrgent("I've been wheezing since the new carpet cleaner, and I have asthma");
    expectSafetyUrgent('my eyes started streaming the moment I opened the box, the smell is awful');
  });
});

describe("what the customer's old ones did, and someone else's passing feeling told after a question", () => {
  it('"the old ones made my eyes burn by evening, these no." in a purchase that ends calm → calm', () => {
    const d = decide(
      '> Hello, can I order the full boxes now?',
      '< How did you get on with the trial lenses?',
      '> First day was a little dry but then perfect 😍 the old ones made my eyes burn by evening, these no.',
      '< Great to hear!',
      '> Super!! Thank you so much 🙏😊',
    );
    expect(d.shouldEscalate).toBe(false);
  });
  it('"Is it difficult to get used to them? My colleague said she felt dizzy at first." → calm', () => {
    const d = decide(
      '> Hello, what is the difference between varifocals and bifocals?',
      '< Bifocals have a visible line.',
      '> Is it difficult to get used to them? My colleague said she felt dizzy at first.',
      '< Some people need a week or two.',
      '> Ok. Thank you for the clear explanation.',
    );
    expect(d.shouldEscalate).toBe(false);
  });
  it('near cases: the new ones do it too, or someone fell → safety, URGENT', () => {
    const lenses = decide(
      '> Hello, can I order the full boxes now?',
      '< How did you get on with the trial lenses?',
      '> the old ones made my eyes burn by evening, these too.',
      '< Sorry to hear that.',
      '> ok thanks',
    );
    expect(lenses.riskFlags).toContain('safety');
    const fell = decide(
      '> Hello, I bought varifocals from you last month.',
      '< How are they?',
      '> Is it normal? My husband said he felt dizzy at first and fell down the stairs wearing them.',
      '< I am sorry to hear that.',
      '> ok thanks',
    );
    expect(fell.riskFlags).toContain('safety');
    expect(fell.priority).toBe('URGENT');
  });
});

// Safety incidents of the blind sets w56 (mobility and home-care devices) and w57 (refurbished and resale
// goods) that escalated but not URGENT; near cases that must not become safety cases.
describe('a child into batteries or pills, a battery pushing the case apart, a bleed that will not stop', () => {
  it('→ safety, URGENT', () => {
    expectSafetyUrgent("my daughter's 3 yr old got into my hearing aid batteries and one is missing");
    expectSafetyUrgent('the toddler got into the dishwasher pods');
    expectSafetyUrgent('our puppy got hold of my tablets');
    expectSafetyUrgent('the back panel started lifting at the corner while charging');
    expectSafetyUrgent('the screen is being pushed up from the frame');
    expectSafetyUrgent("her nosebleed wouldn't stop");
    expectSafetyUrgent("she's very dizzy after the new tablets");
    expectSafetyUrgent('I rang 111 and they said to keep an eye on him');
  });
  it('near cases: batteries opened for a remote, a screen protector or sticker lifting, a call to the shop → no safety incident', () => {
    expectNoSafetyIncident('my son opened the batteries for the remote, which size do I need?');
    expectNoSafetyIncident('the dog chewed the remote and the batteries are fine');
    expectNoSafetyIncident('the screen protector is lifting at the corner, can I get a new one?');
    expectNoSafetyIncident('the sticker on the back is lifting at the edges');
    expectNoSafetyIncident("I rang the shop and they said it's in stock");
  });
});
