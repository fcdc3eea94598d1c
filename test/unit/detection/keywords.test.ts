import { describe, it, expect } from 'vitest';
import { DEFAULT_KEYWORDS, RISK_TERMS, compileSettings, detect } from '../../../src/detection/index.ts';
import { said } from './helpers.ts';

const kw = (text: string, keywords?: string[]): string[] => detect(said(text), keywords ? { keywords } : undefined).keywords;

describe('KEYWORD_MATCH: defaults', () => {
  it("includes the issue's defaults; role nouns and legal nouns are contextual, not bare keywords", () => {
    for (const k of ['speak to a manager', 'chargeback', 'dispute', 'cancel my order', 'make a complaint', 'sue', 'bbb', 'fraud']) {
      expect(DEFAULT_KEYWORDS).toContain(k);
    }
    // #12: a keyword fires on a request or a complaint, not on a noun
    for (const k of ['human', 'agent', 'manager', 'supervisor', 'representative', 'lawyer', 'attorney', 'court', 'fire', 'smoke', 'complaint']) {
      expect(DEFAULT_KEYWORDS).not.toContain(k);
    }
  });

  it('every risk term is a default keyword, so a risk flag always escalates', () => {
    for (const terms of Object.values(RISK_TERMS)) for (const t of terms) expect(DEFAULT_KEYWORDS).toContain(t);
  });

  it('matches whole words and phrases, case- and punctuation-insensitively', () => {
    expect(kw('I want to SPEAK TO A MANAGER!!!')).toEqual(['speak to a manager']);
    expect(kw('speak-to-a-manager, now.')).toEqual(['speak to a manager']);
    expect(kw('Is this a SCAM?')).toEqual(['scam']);
    expect(kw('Human?')).toEqual(['human']);
    expect(kw('I will report this to the B.B.B')).toEqual([]); // letters split by dots are not "bbb"
    expect(kw('bbb')).toEqual(['bbb']);
  });

  it('is not fooled by substrings', () => {
    expect(kw('The reagent in the kit smelled odd')).toEqual([]);
    expect(kw('Love the humanity print on this shirt')).toEqual([]);
    expect(kw('The agents were lovely on the phone')).toEqual([]);
    expect(kw('The pursue button is broken')).toEqual([]);
    // a role noun alone is not a keyword (it was before #12); asked for, it is
    expect(kw('my agent')).toEqual([]);
    expect(kw('agents?')).toEqual(['agent']);
  });

  it('reports the longest phrase once, deduplicated, lower case, in order', () => {
    const d = detect(said('Speak to a manager. I said: SPEAK TO A MANAGER', 'This is fraud, I will call my lawyer'));
    expect(d.keywords).toEqual(['speak to a manager', 'fraud', 'lawyer']);
    const t = d.triggers.find((x) => x.type === 'KEYWORD_MATCH');
    expect(t).toMatchObject({ value: ['speak to a manager', 'fraud', 'lawyer'], threshold: null, messageIndexes: [0, 1] });
  });

  it('only counts customer messages', () => {
    const d = detect({
      channel: 'web_chat',
      messages: [
        { role: 'assistant', text: 'I can transfer you to an agent or a manager.' },
        { role: 'agent', text: 'This is a human agent.' },
        { role: 'system', text: 'chargeback webhook received' },
        { role: 'customer', text: 'No thanks, all good.' },
      ],
    });
    expect(d.keywords).toEqual([]);
    expect(d.shouldEscalate).toBe(false);
  });

  it('does not fire without a keyword', () => {
    expect(detect(said('Do you have this jacket in blue?')).triggers).toEqual([]);
  });
});

describe('KEYWORD_MATCH: store keywords', () => {
  it('adds store keywords to the defaults', () => {
    expect(kw('I want to file a warranty claim', ['Warranty Claim'])).toEqual(['warranty claim']);
    expect(kw('Get me a human', ['warranty claim'])).toEqual(['human']);
    expect(kw('I want to file a warranty claim')).toEqual([]);
  });

  it('matches store keywords with the same boundaries and normalisation', () => {
    const s = compileSettings({ keywords: ["Don't ship", 'VIP'] });
    expect(detect(said('please dont ship it yet'), s).keywords).toEqual(['dont ship']);
    expect(detect(said('I am a vip member'), s).keywords).toEqual(['vip']);
    expect(detect(said('vipers are cool'), s).keywords).toEqual([]);
  });
});

describe('risk flags', () => {
  it.each([
    ['I will contact my lawyer', 'legal_threat'],
    ['See you in court', 'legal_threat'],
    ['I am going to take legal action', 'legal_threat'],
    ['I will file a chargeback', 'chargeback'],
    ['I will dispute the charge with my bank', 'chargeback'],
    ['I asked my bank to reverse the payment', 'chargeback'],
    ["I got an email from you with someone else's order details, their name and address", 'legal_threat'],
    ["Under PIPEDA I'm requesting a copy of all personal information your company holds about me", 'legal_threat'],
    ['The charger caught fire', 'safety'],
    ['My son had an allergic reaction', 'safety'],
    ['the toy is a choking hazard, my kid was choking', 'safety'],
    ['it started to smoke and burned my hand', 'safety'],
  ])('"%s" → %s, URGENT', (text, flag) => {
    const d = detect(said(text));
    expect(d.riskFlags).toEqual([flag]);
    expect(d.priority).toBe('URGENT');
    expect(d.shouldEscalate).toBe(true);
  });

  it('lists several flags in a fixed order', () => {
    expect(detect(said('It caught fire. I will sue you and file a chargeback.')).riskFlags).toEqual(['legal_threat', 'chargeback', 'safety']);
  });

  it('finds none in an ordinary complaint', () => {
    expect(detect(said('My order is late and I am annoyed')).riskFlags).toEqual([]);
  });
});
