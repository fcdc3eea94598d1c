import { describe, expect, it } from 'vitest';
import { compileSettings, detect } from '../../../src/detection/index.ts';
import { conv, decideAfterOpening, expectSafetyUrgent as expectUrgent } from './helpers.ts';

// Wrong decisions found by probing the detector, each fixed by its cause, with near cases that share
// their words and must keep their decision. Examples written for these tests.

const escalates = (s: string): void => expect(decideAfterOpening(s).shouldEscalate, s).toBe(true);
const stays = (s: string): void => expect(decideAfterOpening(s).shouldEscalate, s).toBe(false);

describe('an arrival told with damage later in the same sentence: the damage is in what came, not a resolution', () => {
  it('"the oven arrived yesterday and it has a big dent in the door" → escalates as "arrived with a big dent" does', () => {
    escalates('the oven arrived yesterday and it has a big dent in the door');
    escalates('the oven arrived with a big dent in the door');
    escalates('the sofa arrived this morning and one leg is snapped');
  });
  it('near cases: an arrival told as fine, or damage only to the box → calm', () => {
    stays('the oven arrived yesterday and it looks great');
    stays('the oven arrived yesterday, no damage at all, thanks');
    stays('it arrived today and the box was a bit dented but the oven is fine');
  });
});

// Left as it is: "My sister's pram broke at the airport" is a safety incident (URGENT). Reading a
// safety-critical product that only "broke", "cracked" or "snapped" as damage also made calm "the car
// seat buckle snapped when I clicked it in, my son was in the seat" and "the bed rail cracked and she
// rolled out of bed": worse than the false alarm it removed. These must stay URGENT whatever is tried next.
describe('a safety-critical product that failed in use or with someone hurt', () => {
  it('near cases: a failure at what it is for, in use, or someone hurt → safety, URGENT', () => {
    expectUrgent('the pram collapsed with the baby in it');
    expectUrgent('the pram brake failed on a hill and it rolled into the road');
    expectUrgent('the car seat buckle snapped while we were driving');
    expectUrgent('the stair gate gave way and my son fell down the stairs');
    expectUrgent('the pram broke while I was pushing him');
    expectUrgent('the ladder broke while I was on it');
    expectUrgent('the car seat cracked in the crash');
    expectUrgent('the helmet cracked, he hit his head');
    expectUrgent('the high chair broke and she fell out');
  });
});

describe('time gone by with a good state after it is no wait', () => {
  it('"been in the garden for 10 days and still looks great" → calm', () => {
    stays('been in the garden for 10 days and still looks great');
    stays("it's been on the balcony for 3 weeks and no rust at all");
    stays('been in the garden for 10 days and still looks brand new');
    stays("had it 3 weeks and it's still going strong");
  });
  it('near cases: a status that does not move, nothing coming → escalates', () => {
    escalates("it's been in the depot for 10 days and still not moved");
    escalates('been waiting 10 days and still nothing');
    escalates('3 weeks and no update at all');
    escalates('10 days on the tracking and still looks stuck');
  });
});

describe('a safety-critical product that broke, someone told in it or hurt after (found by probing a narrower reading)', () => {
  it('→ safety, URGENT', () => {
    expectUrgent('The car seat buckle snapped when I clicked it in, my son was in the seat');
    expectUrgent('the bed rail cracked and she rolled out of bed');
  });
});

describe('a status the system shows, quoted after "it says", "the app shows", "the status is": a label, not scare quotes', () => {
  const SETTINGS = compileSettings({});
  it('"ah ok it says "Out for delivery" for today, thanks" after the reply quoting the status → no escalation', () => {
    const d = detect(conv('> Where is my parcel?', '< It shows "Out for delivery".', '> ah ok it says "Out for delivery" for today, thanks'), SETTINGS);
    expect(d.shouldEscalate).toBe(false);
    stays('the app says "Delivered", great, found it in the porch');
    stays('it says "out for delivery" so should be here today, no worries');
  });
  it('near cases: the label contradicted, stuck for long, or a claim in scare quotes → escalates', () => {
    escalates('it says "delivered" but nothing arrived');
    escalates('tracking has said "in transit" for 12 days');
    escalates('your "express" delivery took three weeks');
    escalates('it says "delivered". it isn\'t.');
    escalates('tracking says "delivered", it has not been');
    escalates("my refund is showing as 'processing' since 3 weeks");
    escalates('So helpful, the chatbot told me to check the tracking, which says "label created" since the 2nd. Marvellous.');
    escalates('you said "next day" and it took a week');
  });
});

describe('"no thanks to you": thanks refused to the shop is a negative remark at us', () => {
  it('"no thanks to you" → escalates as "thanks for nothing" does', () => {
    escalates('no thanks to you');
    escalates('thanks for nothing');
    escalates('no thanks to your customer service');
    escalates('no thanks to you i had to find it myself');
  });
  it('near cases: thanks declined, or refused to someone else → calm', () => {
    stays("no thanks, I'm fine");
    stays("no thanks, that's all");
    stays('no thanks to the courier but it arrived');
  });
});

describe('damage denied after an arrival is no damage (found by probing)', () => {
  it('"it\'s arrived now and it\'s not damaged at all, thanks!" → calm', () => {
    stays("it's arrived now and it's not damaged at all, thanks!");
    stays('it arrived and it was not damaged, thanks!');
    stays('arrived and not damaged, thanks');
  });
  it('near cases: damage told → escalates', () => {
    escalates('it arrived damaged');
    escalates('it arrived and the door is damaged');
    escalates("the sofa arrived and it's not just scratched, the frame is broken");
  });
});

describe('a good state that lasted, told by how the customer uses it (found by probing)', () => {
  it('"had the mattress 2 months and still loving it" → calm', () => {
    stays('had the mattress 2 months and still loving it');
    stays('had the mattress 2 months and still sleeping great');
    stays('2 months and still happy with it');
  });
  it('near cases: still unhappy, still without it → escalates', () => {
    escalates('2 months and still not happy');
    escalates('2 months and still sleeping on the floor because the bed never came');
    escalates('2 months and still sleeping badly on it');
  });
});

describe('a payment dispute told as already made with the bank (found by probing)', () => {
  it('"I have disputed the charge with my bank" → URGENT, as "I\'m going to dispute the charge with my bank" is', () => {
    for (const s of [
      'I have disputed the charge with my bank',
      'I have disputed the charge with my bank, you never sent the fridge',
      "I've disputed the payment with my bank.",
      'I charged back the payment with my card',
    ]) {
      const d = decideAfterOpening(s);
      expect(d.priority, s).toBe('URGENT');
      expect(d.riskFlags, s).toContain('chargeback');
    }
  });
  it('near cases: a dispute only feared, or a question about the policy → calm', () => {
    stays("I was worried I'd have to dispute it with the bank, but it's sorted now, thanks!");
    stays('what happens if a charge is disputed?');
  });
});

describe('a broken bone told after a crash or a fall off a ride (found by probing)', () => {
  it('"we crashed and his arm is broken" → safety, URGENT, as "he crashed the bike and broke his arm" is', () => {
    expectUrgent('we crashed and his arm is broken');
    expectUrgent('she came off the scooter and her wrist is broken');
    expectUrgent('we had an accident on the bike and my leg is fractured');
    expectUrgent('my son crashed the bike and broke his arm');
  });
  it("near cases: a toy's arm broken → not a safety case", () => {
    for (const s of [
      'the doll fell off the shelf and her arm is broken',
      'the doll arrived and her arm is broken',
      'the toy car crashed into the figure and its arm is broken',
    ]) {
      expect(decideAfterOpening(s).riskFlags, s).not.toContain('safety');
    }
  });
});

describe('praise after damage denied is not irony (found by probing)', () => {
  it('"it came and wasn\'t broken at all, great" → calm', () => {
    stays("it came and wasn't broken at all, great");
    stays('not broken at all, great!');
    stays("it came and wasn't damaged at all, great");
  });
  it('near cases: damage told, or other trouble beside the denial → escalates', () => {
    escalates('it came broken, great.');
    escalates('great, not broken this time but it is 3 weeks late');
    escalates("perfect, the box wasn't damaged but the vase inside is smashed");
  });
});

describe('a fault back after a repair (found by probing)', () => {
  it('"the screen reads "error E4" again after the engineer visit" → escalates', () => {
    escalates('the screen reads "error E4" again after the engineer visit');
    escalates('after the engineer visit the screen reads error E4 again');
    escalates('the same fault is back after the repair');
    escalates('the noise came back after the replacement');
  });
  it('near cases: the fix held, or the fault denied back → calm', () => {
    stays('it works again after the repair, thanks');
    stays('after the repair the problem went away');
    stays('after the repair the issue has not come back, thanks');
    stays("no, the error hasn't come back after the fix");
  });
});

describe('contact repeated told with "spoken to", and a letter of demand (own-set conversations the retrained scorer no longer carried)', () => {
  it('"I\'ve spoken to your support five times" → escalates; "he\'s sending you a letter of demand" → legal threat', () => {
    escalates("I've had the pleasure of speaking to your support five times about my return");
    escalates("I've spoken to the courier 4 times");
    const d = decideAfterOpening("he said if it's not sorted by the 15th he's sending you a letter of demand");
    expect(d.riskFlags).toContain('legal_threat');
  });
  it('near cases: talking to family about a choice → calm', () => {
    stays('I talked to my husband twice about which colour');
    stays('I was talking to my sister 2 times a week about it');
  });
});

describe('a complaint or petition to a consumer regulator named by its acronym (World Englishes)', () => {
  it('"a petition to the FCCPC", "a complaint with the ACCC" → legal threat', () => {
    for (const s of ["I'm preparing a petition to the FCCPC about this matter", "I'm lodging a complaint with the ACCC"]) {
      expect(decideAfterOpening(s).riskFlags, s).toContain('legal_threat');
    }
  });
  it('near cases: a regulator asked about, a petition of another kind → calm', () => {
    stays('is your company registered with the DTI?');
    stays('sign our petition to save the library');
  });
});

describe('"can\'t wait any longer" is a wait; a rash from these tablets is a reaction (found by probing)', () => {
  it('"I can\'t wait any longer for my refund" → escalates; "can\'t wait to get it!" → calm', () => {
    escalates("I can't wait any longer for my refund");
    escalates("I can't wait another week for this");
    stays("can't wait to get it!");
    stays("can't wait for the next drop!");
  });
  it('"I got a rash from these tablets", "the rash I got from these tablets" → safety, URGENT', () => {
    expectUrgent('I got a rash from these tablets');
    expectUrgent("I'll talk to the pharmacist about the rash I got from these tablets");
    expectUrgent('the rash my son got from your sun cream');
  });
  it('near cases: a sensitivity to other things told before buying, a headache from a party → no safety incident', () => {
    for (const s of [
      'she gets a rash from those cheap earrings, are yours nickel free?',
      'the headache I had after the party, any good tablets?',
      'I got a rash from the sun, which cream is best?',
    ]) {
      expect(decideAfterOpening(s).riskFlags, s).not.toContain('safety');
    }
  });
});
