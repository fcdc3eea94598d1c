import { describe, expect, it } from 'vitest';
import { compileSettings, detect } from '../../../src/detection/index.ts';
import { conv, expectNoSafetyIncident, expectSafetyUrgent } from './helpers.ts';

// The false URGENT decisions of the blind sets w53 (jewellery, gifts) and w54 (car parts, bikes): a risk
// word said of something else. Each is fixed by its cause, with near cases that must stay URGENT.
// Examples written for these tests.

const settings = compileSettings({});
const decide = (...lines: string[]) => detect(conv(...lines), settings);

describe('a thing that fell off after a failure is no fall', () => {
  it('"the stitching came apart and the buckle fell off" → no safety incident', () => {
    expectNoSafetyIncident('the stitching came apart and the buckle fell off');
    expectNoSafetyIncident('the strap snapped and the watch fell off');
    expectNoSafetyIncident('the strap snapped and fell');
  });
  it('near cases: a person or a pet who fell, or something that fell on someone → URGENT', () => {
    expectSafetyUrgent('the strap snapped and I fell');
    expectSafetyUrgent('the chain snapped and I fell off');
    expectSafetyUrgent('the chair leg snapped and my gran fell');
    expectSafetyUrgent('the strap failed and my daughter fell off the swing');
    expectSafetyUrgent('the ladder gave way and my husband fell');
    expectSafetyUrgent('the bracket snapped and the shelf fell on my son');
    expectSafetyUrgent('the lead snapped and the dog ran into the road');
  });
});

describe('"the first ones" are things, not people', () => {
  it('"the first ones had a broken back but these are perfect" (earrings) → no safety incident', () => {
    expectNoSafetyIncident('the first ones had a broken back but these are perfect');
    expectNoSafetyIncident('the first one had a broken back');
  });
  it('near cases: a person with a broken bone, little ones → URGENT', () => {
    expectSafetyUrgent('he has a broken back');
    expectSafetyUrgent('the little ones have a broken arm');
    expectSafetyUrgent('my dad broke his back falling off the ladder');
  });
});

describe('"dispute" of an argument between people is no payment dispute', () => {
  it('"I need to dispute something, lol, my husband and I are arguing about …" → calm', () => {
    const d = decide(
      '> Hello. I need to dispute something, lol, my husband and I are arguing about whether the watch is sapphire or mineral?',
      '< It is sapphire.',
      '> I win! Thanks for the ruling!',
    );
    expect(d.shouldEscalate).toBe(false);
    expect(d.riskFlags).not.toContain('chargeback');
  });
  it('near cases: money named beside the dispute → chargeback, URGENT', () => {
    for (const first of [
      'I want to dispute something, the charge on my card for the watch I returned',
      'I want to dispute this, my husband and I were charged twice',
      'My husband and I argued all evening because you charged us twice, I will dispute it',
    ]) {
      const d = decide(`> ${first}`, '< Let me check.', '> ok thanks');
      expect(d.priority, first).toBe('URGENT');
      expect(d.riskFlags, first).toContain('chargeback');
    }
  });
});

describe("a near miss with the customer's old one, told before buying a new one", () => {
  it('"my old one had none of that and i nearly blew the fuse box" in a pre-sale chat ending calm → calm', () => {
    const d = decide(
      '> hi is this jump starter any good for a diesel van?',
      '< Yes, it is rated for diesel engines up to 4.0L.',
      '> good. my old one had none of that and i nearly blew the fuse box on my mates car',
      '< This one beeps if the clamps are wrong.',
      '> perfect, ordering now',
    );
    expect(d.shouldEscalate).toBe(false);
  });
  it('near cases: the one we sold nearly did it, or the old one really did → safety, URGENT', () => {
    for (const told of ['the one you sold me last month nearly blew the fuse box on my car', 'my old one blew the fuse box and there was smoke everywhere']) {
      const d = decide(
        '> hi is this jump starter any good for a diesel van?',
        '< Yes.',
        `> ${told}`,
        '< This one beeps if the clamps are wrong.',
        '> perfect, thanks',
      );
      expect(d.riskFlags, told).toContain('safety');
      expect(d.priority, told).toBe('URGENT');
    }
  });
});
