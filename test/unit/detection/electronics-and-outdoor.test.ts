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
