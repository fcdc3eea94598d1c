import { describe, expect, it } from 'vitest';
import { head, tail, wellFormed } from '../../src/text/code-points.ts';
import { truncate } from '../../src/integrations/render.ts';
import { buildSummary } from '../../src/detection/summary.ts';

const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('cutting text on code points', () => {
  it('never ends or starts between the halves of an emoji', () => {
    expect(head('ab😀', 3)).toBe('ab');
    expect(head('ab😀', 4)).toBe('ab😀');
    expect(head('ab😀c', 0)).toBe('');
    expect(tail('😀ab', 3)).toBe('ab');
    expect(tail('😀ab', 4)).toBe('😀ab');
    expect(truncate(`${'x'.repeat(9)}😀y`, 10, '')).toBe('x'.repeat(9));
    expect(truncate(`${'x'.repeat(9)}😀y`, 11, '…')).toBe(`${'x'.repeat(9)}…`);
  });

  it('leaves no lone surrogate at any cut of a text full of emoji', () => {
    const texts = ['😀'.repeat(40), `a${'👍🏽'.repeat(20)}`, `ab ${'🇫🇷 '.repeat(15)}`];
    for (const text of texts)
      for (let max = 0; max <= text.length + 1; max++) {
        for (const cut of [head(text, max), tail(text, max), truncate(text, max), truncate(text, max, '…')])
          expect(LONE.test(cut), `${JSON.stringify(text)} at ${max}: ${JSON.stringify(cut)}`).toBe(false);
        expect(head(text, max).length).toBeGreaterThanOrEqual(Math.min(text.length, max) - 1);
        expect(head(text, max).length).toBeLessThanOrEqual(max);
        expect(tail(text, max).length).toBeLessThanOrEqual(max);
      }
  });

  it('repairs lone surrogates and keeps pairs', () => {
    expect(wellFormed('a\ud83d')).toBe('a\ufffd');
    expect(wellFormed('\ude00b')).toBe('\ufffdb');
    expect(wellFormed('😀')).toBe('😀');
  });

  it('the case summary stays well-formed whatever the emoji positions', () => {
    for (let shift = 0; shift < 6; shift++)
      for (const glue of ['', ' ']) {
        const first = `${'x'.repeat(shift)}refund order broken${glue}${'😀'.repeat(400)}`;
        const latest = `${'y'.repeat(shift)}where parcel${glue}${'🙂'.repeat(300)}`;
        for (const messages of [[{ text: first }], [{ text: first }, { text: latest }]]) {
          const summary = buildSummary('other', messages);
          expect(LONE.test(summary), summary).toBe(false);
        }
      }
  });
});
