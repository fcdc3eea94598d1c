import { describe, expect, it } from 'vitest';
import { compileSettings, detect } from '../../src/detection/index.ts';
import { escalateBody } from '../../src/escalations/schemas.ts';
import { WARM_UP_BODIES } from '../../src/escalations/warm-up.ts';

describe('API warm-up', () => {
  it('its bodies are valid requests that take the detector down every path: calm, escalated, URGENT', () => {
    const settings = compileSettings({});
    const decisions = WARM_UP_BODIES.map((b) => detect(escalateBody.parse(b), settings));
    expect(decisions.some((d) => !d.shouldEscalate)).toBe(true);
    expect(decisions.some((d) => d.shouldEscalate && d.priority !== 'URGENT')).toBe(true);
    expect(decisions.some((d) => d.priority === 'URGENT')).toBe(true);
    const triggers = new Set(decisions.flatMap((d) => d.triggers.map((t) => t.type)));
    for (const t of ['NEGATIVE_SENTIMENT', 'KEYWORD_MATCH', 'REPEATED_QUESTION', 'LOW_CONFIDENCE']) expect(triggers).toContain(t);
  });
});
