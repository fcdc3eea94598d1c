import { describe, expect, it } from 'vitest';
import { compileSettings, detect, type ConversationInput } from '../../../src/detection/index.ts';
import { conv } from './helpers.ts';

// Wrong decisions of the w53 (jewellery, watches, gifts, flowers) and w54 (car parts, tools, bikes,
// e-bikes) sets, each fixed by its cause, with near cases that share their words and must keep their
// decision. Examples written for these tests.

const SETTINGS = compileSettings({});
const decide = (c: ConversationInput) => detect(c, SETTINGS);
const escalates = (c: ConversationInput): void => expect(decide(c).shouldEscalate, JSON.stringify(c.messages.at(-1))).toBe(true);
const stays = (c: ConversationInput): void => expect(decide(c).shouldEscalate, JSON.stringify(c.messages.at(-1))).toBe(false);

describe('a run of plain questions on one subject, each answered, is not the first asked again', () => {
  it('a later question sharing the subject after another question in between → calm', () => {
    stays(
      conv(
        '> do you sell lab grown diamonds?',
        '< Yes, we sell both natural and lab grown.',
        '> is there a price difference?',
        '< Lab grown stones are cheaper.',
        '> can I get a lab grown stone in a white gold setting?',
        '< Yes, every setting comes with either.',
        "> great, I'll have a look",
      ),
    );
    stays(
      conv(
        '> what is the difference between the 10 amp and 20 amp battery charger?',
        '< The 20 amp one charges faster.',
        '> how much?',
        '< £45 and £70.',
        '> does the 20 amp one do lithium batteries',
        '< Yes, it has a lithium mode.',
        '> ok ill take it',
      ),
    );
  });
  it('near cases: the question asked again right after, or after only a "hello?", or worded nearly the same → escalates', () => {
    escalates(conv('> is the mattress firm or soft?', '< It is a lovely mattress.', '> how firm is it on a scale of 1 to 10?'));
    escalates(
      conv('> is the mattress firm or soft?', '< It is a lovely mattress.', '> hello??', '< Sorry, yes?', '> how firm is the mattress on a scale of 1 to 10?'),
    );
    escalates(
      conv('> when will my parcel arrive?', '< It is on its way.', '> do you have a tracking number?', '< Not yet.', '> when will my parcel actually arrive?'),
    );
  });
});

describe('a subscription cancelled that is named as a mailing list is leaving the list, not closing the account', () => {
  it('"cancel my subscription to the newsletter" → calm', () => {
    stays(conv('> please cancel my subscription to your emails', '< Done, you are off the marketing list.', '> thanks'));
    stays(conv('> hi, can you cancel my membership of the mailing list please', '< Of course, all done.', '> cheers'));
  });
  it('near cases: a subscription to a product, or the emails named only after it → escalates', () => {
    escalates(conv('> I want to cancel my subscription to the coffee club', '< I can help with that.', '> thanks'));
    escalates(conv('> I want to cancel my subscription, and stop the emails', '< I can help with that.', '> thanks'));
    escalates(conv('> I want to cancel my subscription for the monthly box', '< I can help with that.', '> thanks'));
  });
});
