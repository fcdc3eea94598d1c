import type { ConversationInput, Message } from '../../../src/detection/index.ts';

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
