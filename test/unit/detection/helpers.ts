import { expect } from 'vitest';
import { compileSettings, detect, type ConversationInput, type Decision, type Message } from '../../../src/detection/index.ts';

/** A conversation of customer messages, each followed by an assistant reply. */
export function chat(customerTexts: readonly string[], extra: Partial<ConversationInput> = {}): ConversationInput {
  const messages: Message[] = [];
  for (const text of customerTexts) {
    messages.push({ role: 'customer', text });
    messages.push({ role: 'assistant', text: 'Let me look into that for you.' });
  }
  return { channel: 'web_chat', messages, ...extra };
}

/** A conversation written as lines: "> …" the customer, "< …" the assistant (confidence 0.9). */
export function conv(...lines: string[]): ConversationInput {
  const messages: Message[] = lines.map((l) => ({ role: l.startsWith('<') ? 'assistant' : 'customer', text: l.slice(1).trim() }));
  return { channel: 'web_chat', aiConfidence: 0.9, messages };
}

/** Only customer messages. */
export function said(...customerTexts: string[]): ConversationInput {
  return { channel: 'web_chat', messages: customerTexts.map((text) => ({ role: 'customer' as const, text })) };
}

export const SEED: ConversationInput = {
  channel: 'web_chat',
  aiConfidence: 0.3,
  customerSentiment: -0.8,
  messages: [
    { role: 'customer', text: 'Where is my order #1234? It’s been two weeks.' },
    { role: 'assistant', text: 'I am sorry to hear that. Let me check the status of order #1234.' },
    { role: 'customer', text: 'This is the third time I’m asking! Nobody helps me.' },
    { role: 'assistant', text: 'I understand your frustration.' },
    { role: 'customer', text: 'I want to speak to a manager right now.' },
  ],
};

export const HAPPY: ConversationInput = {
  channel: 'web_chat',
  aiConfidence: 0.95,
  messages: [
    { role: 'customer', text: 'Hi, do you ship to Canada?' },
    { role: 'assistant', text: 'Yes, we ship to Canada within 5–7 business days.' },
    { role: 'customer', text: 'Great, thanks so much!' },
  ],
};

const DEFAULT_SETTINGS = compileSettings({});

/** One customer sentence after a short opening ("Hi, quick one about my order." — "Sure, how can I help?"), decided with the default settings. */
export function decideAfterOpening(sentence: string): Decision {
  return detect(conv('> Hi, quick one about my order.', '< Sure, how can I help?', `> ${sentence}`), DEFAULT_SETTINGS);
}

/** A safety incident: the safety flag and URGENT. */
export function expectSafetyUrgent(sentence: string): void {
  const d = decideAfterOpening(sentence);
  expect(d.riskFlags, sentence).toContain('safety');
  expect(d.priority, sentence).toBe('URGENT');
}

/** No safety incident: no safety flag and not URGENT (damage may still escalate as damage). */
export function expectNoSafetyIncident(sentence: string): void {
  const d = decideAfterOpening(sentence);
  expect(d.riskFlags, sentence).not.toContain('safety');
  expect(d.priority, sentence).not.toBe('URGENT');
}
