import { describe, it, expect } from 'vitest';
import { INTENTS, classifyIntent, detect, type Intent } from '../../../src/detection/index.ts';
import { said } from './helpers.ts';

describe('intent', () => {
  it.each<[string, Intent]>([
    ['I would like to return these shoes and get my money back', 'refund_return'],
    ['Can I get a refund for order 5512?', 'refund_return'],
    ['Where is my package? The tracking number has not updated in days', 'delivery'],
    ['My parcel never arrived', 'delivery'],
    ['The vase arrived broken, the glass is cracked', 'damaged_item'],
    ['The blender stopped working after a day', 'damaged_item'],
    ['I was charged twice for the same order', 'billing'],
    ['The discount code did not apply to my invoice', 'billing'],
    ['Please cancel my order before it ships', 'cancellation'],
    ['I want to cancel my subscription', 'cancellation'],
    ['I cannot log in, the password reset email never comes', 'account'],
    ['I am locked out of my account', 'account'],
    ['I will sue you, my lawyer will be in touch', 'legal'],
    ['Do you have this in blue?', 'other'],
    ['', 'other'],
  ])('"%s" → %s', (text, intent) => {
    expect(detect(said(text)).intent).toBe(intent);
    expect(classifyIntent([text])).toBe(intent);
  });

  it('a legal threat outweighs the topic it is about', () => {
    expect(detect(said('My refund never came. I am calling my attorney.')).intent).toBe('legal');
  });

  it('the latest topic wins over an older one of equal weight', () => {
    expect(detect(said('I want a refund', 'Actually, just cancel it please')).intent).toBe('cancellation');
    expect(detect(said('Actually, just cancel it please', 'I want a refund')).intent).toBe('refund_return');
  });

  it('uses detectedIntent from the caller when it is one of the set', () => {
    expect(detect({ ...said('Where is my parcel?'), detectedIntent: 'billing' }).intent).toBe('billing');
    expect(detect({ ...said('Where is my parcel?'), detectedIntent: 'order_status' }).intent).toBe('delivery');
    expect(classifyIntent(['anything'], 'account')).toBe('account');
  });

  it('only returns identifiers of the set', () => {
    for (const text of ['refund', 'lawyer', 'blah', 'charged', 'password']) expect(INTENTS).toContain(detect(said(text)).intent);
  });
});
