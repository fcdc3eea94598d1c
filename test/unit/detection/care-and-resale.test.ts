import { describe, expect, it } from 'vitest';
import { decideAfterOpening } from './helpers.ts';

// Wrong decisions of the care-device and resale sets (w56, w57), each fixed by its cause, with near cases
// that share their words and must keep their decision. Examples written for these tests.

const escalates = (s: string): void => expect(decideAfterOpening(s).shouldEscalate, s).toBe(true);
const stays = (s: string): void => expect(decideAfterOpening(s).shouldEscalate, s).toBe(false);

describe('a complaint the customer meant to make and then did not need to', () => {
  it('"I was going to make a complaint but there was no need" → calm', () => {
    stays('I was going to make a complaint but there was really no need, you sorted it in minutes');
    stays("we were about to file a complaint, glad we didn't need to. thanks!");
    stays('I was going to leave a bad review but there was no need, thanks');
  });
  it('near cases: a complaint made, or meant and still meant → escalates', () => {
    escalates('I want to make a complaint');
    escalates('I was going to make a complaint and now I will');
    escalates("I was going to make a complaint, and I will if this isn't fixed");
    escalates('I would like to make a complaint, there was no need for that rudeness');
  });
});
