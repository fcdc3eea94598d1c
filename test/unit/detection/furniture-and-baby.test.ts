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
