import { describe, it, expect } from 'vitest';
import { decideAfterOpening, expectNoSafetyIncident as expectCalm, expectSafetyUrgent as expectUrgent } from './helpers.ts';

// Body words that are not a body: a part of the product that owns it ("the umbrella … ribs"), an injury
// told as the reason to buy something before a question asked before buying, a body word naming a design
// on the product ("skull print"). Each calm case is paired with near cases that must stay URGENT with a
// safety flag. Examples written for these tests.

const NEAR_CASES = [
  "I've got two cracked ribs after the bike fork snapped.",
  'My son broke his arm when the scooter deck split.',
  'the helmet cracked and he fractured his skull',
  'my kid broke her arm falling off the swing you sold us, it snapped',
  "the umbrella's metal rib snapped and cut my daughter's eye",
  'Our dog broke a rib when the crate collapsed',
];

describe('a body word naming a part of the product that owns it', () => {
  it('"The umbrella arrived with two broken ribs, can I get a replacement?" → no safety flag, not URGENT', () => {
    expectCalm('The umbrella arrived with two broken ribs, can I get a replacement?');
  });
  it('the subject having it ("my umbrella has a broken rib") or a thing it is on ("ribs on the frame of the umbrella") → no safety flag', () => {
    expectCalm('My umbrella has a broken rib after a week, can I swap it?');
    expectCalm('Two broken ribs on the frame of the umbrella, what are my options?');
    expectCalm('One of the ribs of the tent frame is broken and it arrived with a broken spoke, can you send a new pole?');
  });
  it('a damaged umbrella may still escalate as damage, never as safety', () => {
    const d = decideAfterOpening('The umbrella arrived with two broken ribs, can I get a replacement?');
    expect(d.triggers.map((t) => t.type)).not.toContain('KEYWORD_MATCH');
  });
  it('near cases: a person or a pet owns the body word, or someone is hurt → safety, URGENT', () => {
    for (const s of NEAR_CASES) expectUrgent(s);
    expectUrgent('The umbrella blew inside out and my son has two broken ribs from the fall.');
    expectUrgent('The poor thing has a broken leg after the cage collapsed.');
    expectUrgent('broken ribs on the left side after the treadmill threw me off');
  });
});

describe('an injury told as the reason to buy, then a question asked before buying', () => {
  it('"My kid has a broken arm so we need a sling-friendly jacket, which size?" → no safety flag, not URGENT', () => {
    expectCalm('My kid has a broken arm so we need a sling-friendly jacket, which size?');
  });
  it('"so he needs …, do you do larger sizes?" and "since … we need …, which one fits?" → no safety flag', () => {
    expectCalm('My son broke his wrist last week so he needs a glove that fits over a cast, do you do larger sizes?');
    expectCalm('Since my husband fractured his hip we need a raised toilet seat, which one fits a standard toilet?');
  });
  it('near cases: a cause told before or after the need, or the need is putting it right → safety, URGENT', () => {
    for (const s of NEAR_CASES) expectUrgent(s);
    expectUrgent('The scooter deck split. My son has a broken arm so we need a sling friendly coat, which size?');
    expectUrgent('My kid has a broken arm so we need a sling-friendly jacket, it happened when the slide you sold us collapsed, which size?');
    expectUrgent('My kid broke her arm falling off the swing you sold us, so we need a refund, how?');
    expectUrgent('The bunk bed ladder gave way. My daughter broke her wrist so we need to know, is this covered?');
  });
});

describe('a body word naming a design on the product', () => {
  it('"The skull print on my helmet has cracked, can I get a new decal?" → no safety flag, not URGENT', () => {
    expectCalm('The skull print on my helmet has cracked, can I get a new decal?');
  });
  it('"the skull graphic on the helmet", "the bone-shaped tag on my dog\'s harness" → no safety flag', () => {
    expectCalm('The skull graphic on the helmet has cracked a bit, is that covered?');
    expectCalm("The bone-shaped tag on my dog's harness has snapped off, can you send another?");
  });
  it('near cases: the product itself failed or someone is hurt → safety, URGENT', () => {
    for (const s of NEAR_CASES) expectUrgent(s);
    expectUrgent('the print on my helmet has cracked and so has the shell, he hit his head hard');
    expectUrgent('The strap on my car seat snapped while driving.');
    expectUrgent('The heart pattern car seat buckle snapped open on the motorway.');
  });
});
