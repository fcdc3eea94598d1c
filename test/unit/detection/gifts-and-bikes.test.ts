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

describe('a problem told over in words the closing did not know', () => {
  const missing = ['> the parcel says delivered but I have not received it', '< The note says it was left with a neighbour.'];
  it('the missing parcel was with a neighbour or reception, or "crisis averted" → calm', () => {
    stays(conv(...missing, '> the neighbour had it in their porch. thanks!'));
    stays(conv(...missing, '> reception had them all along, thanks'));
    stays(conv(...missing, '> crisis averted, my son grabbed it. thanks'));
  });
  it('near cases: the neighbour never had it, had it damaged, or has not got it → escalates', () => {
    escalates(conv(...missing, '> the neighbour says they never had it'));
    escalates(conv(...missing, '> the neighbour had it but the box is smashed'));
    escalates(conv(...missing, "> the neighbour hasn't got it either"));
    escalates(conv(...missing, '> still not here. crisis averted my foot'));
  });

  const dead = ["> my drill won't turn on", '< Try holding the button for 10 seconds.'];
  it('what would not power on now does: "it finally turned on", "the screen lit up" → calm', () => {
    stays(conv(...dead, '> it finally turned on! cheers'));
    stays(conv(...dead, '> found the switch, the screen lit up!! thanks'));
  });
  it('near cases: on for a moment then dead, or still not → escalates', () => {
    escalates(conv(...dead, '> it turned on then died again'));
    escalates(conv(...dead, '> it came on for a second then cut out'));
    escalates(conv(...dead, "> still nothing, it won't come on"));
    escalates(conv(...dead, "> the light came on but the motor won't run"));
  });

  const twice = ["> I've been charged twice for my order", '< One is a pre-authorisation that will drop off within 3 days.'];
  it('the answer taken as settling it: "sounds fine", "sounds good" → calm', () => {
    stays(conv(...twice, "> ok, I'll keep an eye on it but sounds fine"));
    stays(conv(...twice, '> sounds good, thanks'));
  });
  it('near cases: "sounds fine" with the problem still there → escalates', () => {
    escalates(conv(...twice, '> sounds fine but I still want the second charge refunded now'));
    escalates(conv(...twice, "> that sounds about right I suppose, but it's been 3 days already and it's still there"));
  });

  it('the wait greeted as over when the reply says it is done: "ooo finally 🙌" → calm', () => {
    stays(conv('> is my bike service done? been a week', '< Yes, it is complete and ready to collect.', '> ooo finally 🙌 coming after work'));
    stays(conv('> is my bike service done? been a week', '< Yes, it is complete and ready to collect.', '> yay finally! thanks'));
  });
  it('near cases: "finally" said flat, rolled-eyes or with the wait after it → escalates', () => {
    escalates(conv('> is my bike service done? been a week', '< We will chase the workshop.', '> finally. only took them two weeks to reply'));
    escalates(conv('> is my bike service done? been a week', '< We will chase the workshop.', '> finally 🙄'));
  });
});

describe('praise after a pre-sale enquiry or a comparison with another shop is not irony', () => {
  const enquiry = "> Hi, I'm thinking of buying the watch but wanted to ask about your refund policy first";
  it('an enquiry in statement form is no problem told: later praise is praise → calm', () => {
    stays(
      conv(
        enquiry,
        '< You can return it within 30 days.',
        '> what about postage?',
        '< Returns are free with our prepaid label.',
        "> That's really fair, very generous.",
        '< Glad to help!',
        "> I'll measure my wrist and come back",
      ),
    );
  });
  it('trouble told of another shop, next to praise → calm', () => {
    stays(
      conv(
        '> who pays return postage?',
        '< Returns are free with our prepaid label.',
        "> That's really fair. My last kettle from another shop I had to pay £8 to send back, so this is reassuring.",
      ),
    );
  });
  it('near cases: an enquiry about trouble still there, a problem told, another week, having to go to another shop → escalates', () => {
    escalates(
      conv("> I wanted to ask why my refund still hasn't come", '< Refunds take 5-10 days.', '> oh wonderful, very helpful.', '< Anything else?', '> no'),
    );
    escalates(conv("> my refund is late and I'm annoyed", '< Refunds take 5-10 days.', '> oh wonderful, very helpful.', '< Anything else?', '> no'));
    escalates(
      conv('> who pays return postage?', '< Returns are free with our prepaid label.', '> Oh really fair. Another week of waiting for my refund then.'),
    );
  });
});
