import { describe, it, expect } from 'vitest';
import { detect, type ConversationInput, type Message, type TriggerType } from '../../../src/detection/index.ts';

// Causes of the w41 (young, very online shoppers: slang, irony, 💀/😭) and w42 (very polite, formal
// letter-style customers: frustration in understatement) blind batches, each read by its shape. Every
// case that changes is paired with a near case that must not. Examples written for these tests.

function conv(...lines: string[]): ConversationInput {
  const messages: Message[] = lines.map((l) => ({ role: l.startsWith('<') ? 'assistant' : 'customer', text: l.slice(1).trim() }));
  return { channel: 'web_chat', aiConfidence: 0.9, messages };
}
const fired = (c: ConversationInput, type: TriggerType) => detect(c).triggers.some((t) => t.type === type);

describe('a body part that "has burns" or "has blisters", hedged or not ("my scalp has like burns now?")', () => {
  it('"my forehead has like burns now? its all red" after a peel → safety, URGENT', () => {
    const c = conv(
      '> did the peel last night exactly like the video said',
      '> my forehead has like burns now? its all red and tight',
      '< Some redness is normal after a peel. We recommend a gentle moisturiser.',
    );
    const d = detect(c);
    expect(d.riskFlags).toContain('safety');
    expect(d.priority).toBe('URGENT');
  });
  it('near case: "will my scalp have burns if I leave it on too long?" asks ahead → no safety flag', () => {
    const c = conv('> will my scalp have burns if i leave the bleach on too long?', '< Please follow the timing on the box.');
    expect(detect(c).riskFlags).not.toContain('safety');
  });
  it('near case: "my scalp has no burns, just a bit itchy" → no safety flag', () => {
    const c = conv('> my scalp has no burns, just a bit itchy after toning. normal?', '< Mild itching can happen.');
    expect(detect(c).riskFlags).not.toContain('safety');
  });
});
