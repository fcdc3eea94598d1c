import { describe, expect, it } from 'vitest';
import { compileSettings, detect } from '../../../src/detection/index.ts';
import { conv, decideAfterOpening, expectNoSafetyIncident, expectSafetyUrgent } from './helpers.ts';

// The false URGENT decisions of the blind sets w56 (mobility and home-care devices) and w57 (refurbished,
// resale, custom printing): a risk word said of something else. Each is fixed by its cause, with near
// cases that must stay URGENT. Examples written for these tests.

const settings = compileSettings({});
const decide = (...lines: string[]) => detect(conv(...lines), settings);

describe('a name the customer quoted, with digits or as a keyword', () => {
  it('"the band is called "Scam Likely"", "the back says "Dispute Tour 2025"" → calm', () => {
    for (const s of ['the band is called "Scam Likely" lol', 'the back will say "Dispute Tour 2025" which is our album name']) {
      expect(decideAfterOpening(s).shouldEscalate, s).toBe(false);
    }
  });
  it('near case: "this is a scam" → escalates', () => {
    expect(decideAfterOpening('this is a scam').shouldEscalate).toBe(true);
  });
});

describe('a fire named only to avoid it, a fire brigade named, a hazard rule', () => {
  it('→ no safety incident', () => {
    expectNoSafetyIncident('No point setting the office printer on fire on day one.');
    expectNoSafetyIncident('I dont want to set anything on fire');
    expectNoSafetyIncident('a "Fire Safety Tips" insert from the local fire brigade');
    expectNoSafetyIncident('my venue has a strict no fire hazard rule on decor lol');
  });
  it('near cases: a fire set, the fire brigade called or come → URGENT', () => {
    expectSafetyUrgent('it set the office printer on fire without any warning');
    expectSafetyUrgent('we had to call the fire brigade');
    expectSafetyUrgent('the fire brigade came and put it out');
    expectSafetyUrgent('the fire brigade said it was the charger');
  });
});

describe('a dispute the customer was about to start, or nearly did elsewhere', () => {
  it('"i was about to open a dispute lol. all good", "I was about to call my bank" then calm → calm', () => {
    const d = decide(
      '> i think my sneakers are fake',
      '< The production date matches the re-release.',
      '> ok the photos match. i was about to open a dispute lol. all good, thanks for explaining',
    );
    expect(d.riskFlags).not.toContain('chargeback');
    const bank = decide(
      '> I was charged twice',
      '< One is a hold only.',
      '> Ok. I was about to call my bank and cancel the card.',
      '< No need.',
      '> Only one charge now. Thanks for sorting it so fast',
    );
    expect(bank.shouldEscalate).toBe(false);
    expect(decideAfterOpening('ngl i almost filed a dispute on the other site, took them 6 weeks to refund me').riskFlags).not.toContain('chargeback');
  });
  it('near cases: a dispute still meant → chargeback, URGENT', () => {
    const later = decide('> I was charged twice', '< One is a hold only.', "> I was about to call my bank but I'll give you until Friday", '< Thanks.', '> ok');
    expect(later.riskFlags).toContain('chargeback');
    const now = decide('> I was charged twice', '< One is a hold only.', "> I'm about to open a dispute with my bank", "< Please don't.", '> ok thanks');
    expect(now.priority).toBe('URGENT');
    expect(decideAfterOpening('I almost filed a dispute, and I will if this is not fixed').riskFlags).toContain('chargeback');
  });
});

describe('a hazard heard of in general and asked about, a near miss of the old one, a joke about a colour', () => {
  it('→ calm in a purchase that ends calm', () => {
    const heard = decide(
      '> Hello, which hearing aid dryer was it?',
      '< The DryBox Plus.',
      "> Is it safe? I've heard of electric things catching fire.",
      '< It has an automatic shut-off.',
      '> Well, that is fine then. Thank you, dear.',
    );
    expect(heard.shouldEscalate).toBe(false);
    const old = decide(
      '> is the navy rollator still available?',
      '< Yes.',
      "> the old one's brake snapped off last week, she nearly went flying in Tesco. she's fine, just annoyed",
      '< Glad she is okay!',
      '> ordering now, thanks!',
    );
    expect(old.shouldEscalate).toBe(false);
    const colour = decide(
      '> is the colour "Ember" orange or red?',
      '< A burnt orange.',
      '> "burnt orange" makes it sound even more on fire, haha. Have you got a photo?',
      '< Yes, the sixth image.',
      "> Oh that's nicer than I thought. I'll go for Ember, thank you!",
    );
    expect(colour.shouldEscalate).toBe(false);
  });
  it('near cases: the hazard told as happened, someone hurt, the product bought here → safety, URGENT', () => {
    const told = decide('> Hello', '< Hi!', '> the dryer you sold me caught fire last night', '< I am so sorry.', '> ok thanks');
    expect(told.priority).toBe('URGENT');
    const hurt = decide(
      '> is the rollator still available?',
      '< Yes.',
      "> the old one's brake snapped off, she nearly went flying and then fell and hurt her wrist",
      '< Sorry.',
      '> ordering now, thanks!',
    );
    expect(hurt.riskFlags).toContain('safety');
  });
});

describe('a hospital stay told as the reason to buy', () => {
  it('"mum\'s just out of hospital after her hip" → no safety incident', () => {
    expectNoSafetyIncident("mum's just out of hospital after her hip, so she won't be able to come down");
  });
  it('near cases: in hospital after the product failed → URGENT', () => {
    expectSafetyUrgent('she ended up in hospital after the chair collapsed');
    expectSafetyUrgent("she's in hospital after her hip gave way when the walking frame folded");
  });
});
