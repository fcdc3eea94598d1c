import { describe, expect, it } from 'vitest';
import { decideAfterOpening, expectNoSafetyIncident as expectCalm, expectSafetyUrgent as expectUrgent } from './helpers.ts';

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

describe('a safety-critical product that broke: damage, an incident only in use or with someone hurt', () => {
  it('"My sister\'s pram broke at the airport" → no safety incident', () => {
    expectCalm("My sister's pram broke at the airport");
    expectCalm('my pram broke in the hold on the flight');
    expectCalm('the stroller broke when the airline loaded it');
    expectCalm('the cot broke when we assembled it');
  });
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
