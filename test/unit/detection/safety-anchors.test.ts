import { describe, expect, it } from 'vitest';
import { splitTokens as tokens } from '../../../src/detection/signals/pattern.ts';
import { SAFETY_ANCHORS, SAFETY_PATTERN_LIST, SAFETY_RAW_NEEDS } from '../../../src/detection/signals/safety.ts';

// The detector runs the safety patterns only on messages holding an anchor word (signals/cues.ts): a
// pattern with no anchor among the words it needs could never fire in detect().

const LITERAL = /^\(?[a-z0-9' ]+(?:\|[a-z0-9' ]+)*\)?$/;

describe('safety anchors', () => {
  it('every safety pattern needs a word of which each alternative holds an anchor', () => {
    const anchors = new Set(SAFETY_ANCHORS);
    let raw = 0;
    const unanchored: string[] = [];
    for (const pattern of SAFETY_PATTERN_LIST) {
      const source = pattern.startsWith('re:') ? SAFETY_RAW_NEEDS[raw++]! : pattern;
      const anchored = tokens(source).some((tok) => {
        if (tok.endsWith('?') || !LITERAL.test(tok)) return false;
        const alts = tok.replace(/^\(|\)$/g, '').split('|');
        return alts.every((alt) => alt.split(' ').some((w) => anchors.has(w)));
      });
      if (!anchored) unanchored.push(pattern);
    }
    expect(unanchored).toEqual([]);
    expect(raw).toBe(SAFETY_RAW_NEEDS.length);
  });
});
