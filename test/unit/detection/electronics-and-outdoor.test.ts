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
