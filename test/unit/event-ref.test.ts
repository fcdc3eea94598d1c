import { describe, expect, it } from 'vitest';
import { eventRef, hasEventRef } from '../../src/integrations/render.ts';

// A retried note is recognised by the reference it carries (helpdesks have no idempotency key for notes).
describe('hasEventRef', () => {
  it('finds the reference wherever the helpdesk put it, and not a longer id that starts the same', () => {
    expect(hasEventRef(`Customer wrote again.\n\n${eventRef('12')}`, '12')).toBe(true);
    expect(hasEventRef(`<p>${eventRef('12')}</p>`, '12')).toBe(true);
    expect(hasEventRef(`${eventRef('123')}`, '12')).toBe(false);
    expect(hasEventRef(`${eventRef('123')} and ${eventRef('12')}.`, '12')).toBe(true);
    expect(hasEventRef('Reva event 12', '12')).toBe(false);
    expect(hasEventRef('', '12')).toBe(false);
  });

  it('reads an id as text, not as a pattern', () => {
    expect(hasEventRef(eventRef('1.5'), '1.5')).toBe(true);
    expect(hasEventRef(eventRef('1x5'), '1.5')).toBe(false);
  });
});
