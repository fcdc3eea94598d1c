import { randomBytes } from 'node:crypto';

export const convId = () => `conv-${randomBytes(6).toString('hex')}`;

/** Distinct, calm customer questions: a long conversation of these escalates on turn count alone. */
export const QUESTIONS = [
  'Do you ship to Canada?',
  'What sizes does the blue shirt come in?',
  'Is the jacket waterproof?',
  'Can I pay with PayPal?',
  'Do you have a store in Toronto?',
  'How long is the warranty on headphones?',
  'Are the socks made of cotton?',
  'Do you offer gift wrapping?',
  'What colours does the scarf come in?',
  'Is there a student discount?',
  'Can I change my delivery address?',
];
