import { describe, it, expect } from 'vitest';
import { detect, type ConversationInput, type Message } from '../../../src/detection/index.ts';

// Causes of the w47 (fashion, shoes, jewellery and beauty shops) and w48 (groceries, meal kits,
// supplements and pet food) batches: long conversations again. Every case that changes is paired with
// a near case that must not. Examples written for these tests.

function conv(...lines: string[]): ConversationInput {
  const messages: Message[] = lines.map((l) => ({ role: l.startsWith('<') ? 'assistant' : 'customer', text: l.slice(1).trim() }));
  return { channel: 'web_chat', aiConfidence: 0.9, messages };
}

describe('safety told in the words of a beauty or pet shop', () => {
  it('a child chewing something not made to be eaten ("chewing on the nail glue") → safety, URGENT', () => {
    const c = conv(
      '> my little boy found my bag and has been chewing on the lash glue from your set',
      '< Oh no, which product is it exactly?',
      '> the small tube in the starter kit. what should I do',
    );
    const d = detect(c);
    expect(d.riskFlags).toContain('safety');
    expect(d.priority).toBe('URGENT');
  });
  it('a pet that licked the detergent → safety, URGENT', () => {
    expect(detect(conv('> our puppy licked the laundry detergent off the floor, is he going to be ok?')).priority).toBe('URGENT');
  });
  it('near case: the same product asked about calmly ("is the nail glue safe if my toddler chews it?") → no safety flag', () => {
    const d = detect(conv('> is the nail glue safe if my toddler chews it? just want to know before I buy', '< Keep it out of reach of children.', '> ok thanks'));
    expect(d.riskFlags).not.toContain('safety');
  });
  it('near case: a pet eating its own food ("my dog ate the new kibble happily") → no safety flag', () => {
    const d = detect(conv('> my dog ate the new kibble happily, can I set up a subscription?', '< Yes, from the product page.', '> great thanks'));
    expect(d.riskFlags).not.toContain('safety');
    expect(d.shouldEscalate).toBe(false);
  });

  it('one eye, its symptoms listed past a comma ("my eye is red, watering nonstop") → safety, URGENT', () => {
    const c = conv(
      '> some of the brow tint got in my eye when I put it on',
      '< I am sorry. Please follow the instructions on the box.',
      '> my eye is red, stinging and I can barely keep it open',
    );
    const d = detect(c);
    expect(d.riskFlags).toContain('safety');
    expect(d.priority).toBe('URGENT');
  });
  it('near case: "does the lash glue sting if it gets in your eye?" → no safety flag, no escalation', () => {
    const d = detect(conv('> does the lash glue sting if it gets in your eye?', '< It can, so apply it with the eye closed.', '> good to know, thanks'));
    expect(d.riskFlags).not.toContain('safety');
    expect(d.shouldEscalate).toBe(false);
  });
  it('near case: "my eyes are fine, no burning at all" after trying it → no safety flag', () => {
    const d = detect(conv('> tried the new serum last night, my eyes are fine, no burning at all', '< Great to hear!', '> thanks 😊'));
    expect(d.riskFlags).not.toContain('safety');
  });
});
