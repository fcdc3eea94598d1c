import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { compileGate, compileTagged, gateOpen, matchTagged, openPatterns, tokenText } from '../../../src/detection/signals/pattern.ts';
import { MORE_FACT_GROUPS, MORE_FACTS_RE_NEEDS } from '../../../src/detection/signals/frustration.ts';
import { findSarcasm, maybeSarcastic } from '../../../src/detection/signals/sarcasm.ts';
import { findSafety, maySafety, safetyPatterns } from '../../../src/detection/signals/safety.ts';
import { findThreats, mayThreaten, threatPatterns } from '../../../src/detection/signals/threats.ts';
import { LEX } from '../../../src/detection/sentiment.ts';
import { tokenize } from '../../../src/detection/tokenize.ts';

// The gate is a speed device: it may only skip texts on which none of the patterns can match.

/** The whole-set tests run every pattern over every message of the own set, which grows with each blind batch: far above the default timeout on a loaded 2-core machine. */
const WHOLE_SET_MS = 120_000;

/** every message of our own labelled conversations and the UCI amazon sentences (the sets we tune on) */
function ownAndAmazon(): string[] {
  const texts: string[] = [];
  const dir = new URL('../../fixtures/conversations/', import.meta.url);
  for (const f of readdirSync(dir)) {
    for (const c of JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as { input: { messages: { text: string }[] } }[]) {
      for (const m of c.input.messages) texts.push(m.text);
    }
  }
  const require = createRequire(import.meta.url);
  for (const r of require('sentiment/test/fixtures/amazon.json') as { text: string }[]) texts.push(r.text);
  return texts;
}

const open = (gate: ReturnType<typeof compileGate>, text: string): boolean => {
  const ts = tokenize(text, 4000, LEX);
  return gateOpen(gate, ts.toks, ts.hashes);
};

describe('pattern gate', () => {
  const gate = compileGate(
    ['still (says|shows|in transit)', '(no one|nobody) ~2 (came|rang)', 'phone? ~3 #num times', 're: (?:it is|today is) now '],
    ['it|today now'],
  );

  it('opens only when every required token of some pattern has one of its words', () => {
    expect(open(gate, 'It still says in transit.')).toBe(true);
    expect(open(gate, 'It is still in transit')).toBe(true); // "still … in": the regex decides
    expect(open(gate, 'Still waiting.')).toBe(false);
    expect(open(gate, 'No one ever came.')).toBe(true);
    expect(open(gate, 'nobody answered')).toBe(false);
    expect(open(gate, 'I tried 3 times')).toBe(true); // optional word and number need nothing
    expect(open(gate, 'is it ready now?')).toBe(true); // a raw pattern needs the words given for it
    expect(open(gate, 'what about now?')).toBe(false);
  });

  it('a pattern without any required word keeps the gate always open', () => {
    expect(open(compileGate(['#num (day|days)?'], []), 'hello')).toBe(true);
  });

  it('rejects a raw pattern without its needed words', () => {
    expect(() => compileGate(['re: now '], [])).toThrow();
  });

  it(
    'maySafety / mayThreaten are false only where findSafety / findThreats find nothing (own set, UCI amazon)',
    () => {
      let safety = 0;
      let threats = 0;
      let closed = 0;
      for (const text of ownAndAmazon()) {
        const ts = tokenize(text, 3010, LEX);
        const tt = tokenText(ts.toks);
        const maySafe = maySafety(ts.toks, ts.hashes);
        const mayThreat = mayThreaten(ts.toks, ts.hashes);
        if (!maySafe && !mayThreat) closed++;
        if (findSafety(tt).length > 0) {
          safety++;
          expect(maySafe, text).toBe(true);
        }
        if (findThreats(tt).length > 0) {
          threats++;
          expect(mayThreat, text).toBe(true);
        }
      }
      expect(safety).toBeGreaterThan(30);
      expect(threats).toBeGreaterThan(30);
      expect(closed).toBeGreaterThan(1000);
    },
    WHOLE_SET_MS,
  );

  it(
    'maybeSarcastic is false only where findSarcasm finds nothing (own set, UCI amazon)',
    () => {
      let found = 0;
      let skipped = 0;
      for (const text of ownAndAmazon()) {
        const ts = tokenize(text, 3010, LEX);
        const may = maybeSarcastic(ts.toks, ts.hashes, ts.quoted);
        if (!may) skipped++;
        if (findSarcasm(tokenText(ts.toks), ts.toks, ts.quoted) !== null) {
          found++;
          expect(may, text).toBe(true);
        }
      }
      expect(found).toBeGreaterThan(20);
      expect(skipped).toBeGreaterThan(100);
    },
    WHOLE_SET_MS,
  );

  it(
    'never closes on a message where a conversation-level fact pattern matches (own set, UCI amazon)',
    () => {
      const patterns = MORE_FACT_GROUPS.flatMap(([, p]) => p);
      const gate = compileGate(patterns, MORE_FACTS_RE_NEEDS);
      const each = patterns.map((p) => compileTagged([['x', [p]]]));
      // the raw patterns too
      const texts = [...ownAndAmazon(), "It's now the 28th and still no sofa", 'we are on day five of waiting', 'today is day 3'];
      let matched = 0;
      let opened = 0;
      for (const text of texts) {
        const ts = tokenize(text, 3010, LEX);
        const g = gateOpen(gate, ts.toks, ts.hashes);
        if (g) opened++;
        const tt = tokenText(ts.toks);
        for (const re of each) {
          const out: { tag: string; match: string; at: number }[] = [];
          matchTagged(re, tt, out);
          if (out.length > 0) {
            matched++;
            expect(g, `${text}`).toBe(true);
          }
        }
      }
      expect(matched).toBeGreaterThan(20);
      expect(opened).toBeLessThan(texts.length / 4); // it does skip most texts
    },
    WHOLE_SET_MS,
  );

  it("the open patterns, each run alone, merge as the expression of them all finds them: leftmost first, the earlier pattern on a tie, on from a match's last space", () => {
    const tagged = compileTagged([
      ['late', ['still waiting', 'waiting ~2 weeks']],
      ['again', ['waiting', 'again']],
      ['nobody', ['nobody (came|rang)', 're: (?<!not )again and again ']],
    ]);
    const run = (text: string, open?: string) => {
      const out: { tag: string; match: string; at: number }[] = [];
      matchTagged(tagged, tokenText(tokenize(text, 3010, LEX).toks), out, open);
      return out;
    };
    const texts = [
      'still waiting, waiting again and again', // a tie at "still": the earlier pattern; "waiting" met again later
      'waiting two weeks again, nobody came', // "waiting ~2 weeks" before the plain "waiting" of the later group
      'again and again nobody rang', // the raw pattern, its look-behind, and a match starting on the last space of another
      'not again and again',
      'nothing here',
    ];
    for (const text of texts) {
      expect(run(text, '0,1,2,3,4,5'), text).toEqual(run(text));
    }
    expect(run('still waiting, waiting again and again')).toEqual([
      { tag: 'late', match: 'still waiting', at: 0 },
      { tag: 'again', match: 'waiting', at: 16 }, // " again " right after it shadows the raw "again and again" of a later pattern
    ]);
    expect(run('waiting two weeks again, nobody came', '2,3,4')).toEqual([
      { tag: 'again', match: 'waiting', at: 0 },
      { tag: 'nobody', match: 'nobody came', at: 26 },
    ]);
  });

  it(
    'trying only the patterns the gate leaves open finds the same matches as trying them all (own set, UCI amazon)',
    () => {
      const gate = compileGate(['still (says|shows|in transit)', '(no one|nobody) ~2 (came|rang)', 'phone? ~3 #num times'], []);
      const tagged = compileTagged([
        ['a', ['still (says|shows|in transit)']],
        ['b', ['(no one|nobody) ~2 (came|rang)', 'phone? ~3 #num times']],
      ]);
      const run = (text: string, open?: string | null) => {
        const out: { tag: string; match: string; at: number }[] = [];
        matchTagged(tagged, tokenText(tokenize(text, 3010, LEX).toks), out, open);
        return out;
      };
      const key = (text: string) => {
        const ts = tokenize(text, 3010, LEX);
        return openPatterns(gate, ts.toks, ts.hashes);
      };
      expect(key('nobody came, it still says in transit')).toBe('0,1');
      expect(key('I called 3 times')).toBe('2');
      expect(key('hello')).toBe(null);
      for (const text of ['nobody came, it still says in transit', 'I called 3 times', 'still nothing']) expect(run(text, key(text))).toEqual(run(text));
      let found = 0;
      for (const text of ownAndAmazon()) {
        const ts = tokenize(text, 3010, LEX);
        const tt = tokenText(ts.toks);
        const safety = findSafety(tt);
        const threats = findThreats(tt);
        found += safety.length + threats.length;
        expect(findSafety(tt, safetyPatterns(ts.toks, ts.hashes)), text).toEqual(safety);
        expect(findThreats(tt, threatPatterns(ts.toks, ts.hashes)), text).toEqual(threats);
      }
      expect(found).toBeGreaterThan(60);
    },
    WHOLE_SET_MS,
  );
});
