import { describe, it, expect } from 'vitest';
import { detect, type ConversationInput, type TriggerType } from '../../../src/detection/index.ts';
import { conv } from './helpers.ts';
import { canonical } from '../../../src/detection/signals/normalise.ts';

// Causes of the w43 (people shopping for someone else: carers, PAs, gift buyers, parents) and w44
// (World Englishes: India, Nigeria, the Philippines, South Africa, Singapore/Malaysia, Kenya, Ghana)
// blind batches, each read by its shape. Every case that changes is paired with a near case that must
// not. Examples written for these tests.

const fired = (c: ConversationInput, type: TriggerType) => detect(c).triggers.some((t) => t.type === type);

describe('safety: a device that set off the smoke alarm; a plug too hot with its casing gone soft', () => {
  it('"the heater set off the fire alarm in the hallway" → safety, URGENT', () => {
    const c = conv(
      '> we bought a fan heater for the shop. this morning the heater set off the fire alarm in the hallway',
      '< Heaters can smell a little the first time they are used.',
    );
    const d = detect(c);
    expect(d.riskFlags).toContain('safety');
    expect(d.priority).toBe('URGENT');
  });
  it('near case: "burnt toast set off the smoke alarm, do you sell a quieter alarm?" → no safety flag', () => {
    const c = conv('> burnt toast set off the smoke alarm again, do you sell one with a hush button?', '< Yes, the Kidde 10Y has a hush button.');
    expect(detect(c).riskFlags).not.toContain('safety');
  });
  it('near case: "can this smoke alarm be set off by steam?" → no safety flag', () => {
    expect(detect(conv('> can this smoke alarm be set off by steam from the shower?')).riskFlags).not.toContain('safety');
  });
  it('"the adapter got very hot and its casing went brown" → safety', () => {
    const c = conv('> the travel adapter got very hot and the casing went brown near the pins', '< Adapters can feel warm in use.');
    expect(detect(c).riskFlags).toContain('safety');
  });
  it('near case: "the plug gets a bit warm after an hour, is that normal?" → no safety flag', () => {
    expect(detect(conv('> the plug gets a bit warm after an hour of charging, is that normal?')).riskFlags).not.toContain('safety');
  });
});

describe('closing an account named by its kind ("close the trade account") is account closure', () => {
  it('"we will close the company account and go elsewhere" → KEYWORD_MATCH account closure', () => {
    const c = conv('> third short delivery this quarter. we are going to close the company account unless this is fixed.');
    expect(detect(c).keywords).toContain('account closure');
  });
  it('near case: "how do I close the company account?" asks how → no account closure', () => {
    expect(detect(conv('> how do I close the company account?')).keywords).not.toContain('account closure');
  });
  it('near case: "can I open a business account?" → no account closure', () => {
    expect(detect(conv('> can I open a business account for our café?')).keywords).not.toContain('account closure');
  });
});

describe('"Great. Does …?": an acknowledgement word then a question word takes the answer and asks on', () => {
  it('"Perfect. Do you deliver to Durban too?" after an answer → no REPEATED_QUESTION', () => {
    const c = conv('> do you deliver to Cape Town?', '< Yes, we deliver to Cape Town in 2-3 working days.', '> Perfect. Do you deliver to Durban as well?');
    expect(fired(c, 'REPEATED_QUESTION')).toBe(false);
  });
  it('near case: "great but do you deliver to Cape Town or not?" → REPEATED_QUESTION', () => {
    const c = conv('> do you deliver to Cape Town?', '< We deliver to most of South Africa.', '> great but do you deliver to Cape Town or not?');
    expect(fired(c, 'REPEATED_QUESTION')).toBe(true);
  });
});

describe('thanks in other languages ("asante sana", "salamat") and "much obliged" close a complaint that was acted on', () => {
  it('"ok I see it now. Asante sana" after the payment was matched → not escalated', () => {
    const c = conv(
      '> I paid through M-Pesa yesterday but my order still shows payment pending.',
      "< Thanks for your patience! I've matched your payment and the order is now marked paid.",
      '> ok I see it now. Asante sana',
    );
    expect(detect(c).shouldEscalate).toBe(false);
  });
  it('near case: "asante, but it still shows pending" → escalated', () => {
    const c = conv(
      '> I paid through M-Pesa yesterday but my order still shows payment pending.',
      "< Thanks for your patience! I've matched your payment and the order is now marked paid.",
      '> asante, but it still shows pending on my side. still nothing.',
    );
    expect(detect(c).shouldEscalate).toBe(true);
  });
  it('"Much obliged." after a replacement was arranged → not escalated', () => {
    const c = conv(
      '> The orchid in the gift box arrived with a snapped stem.',
      "< I'm sorry! I've arranged a new orchid to go out on tomorrow's van.",
      '> Ah good, my aunt will be pleased. Much obliged.',
    );
    expect(detect(c).shouldEscalate).toBe(false);
  });
  it('near case: "I would be obliged if someone could actually reply, it is still missing" → escalated', () => {
    const c = conv(
      '> The orchid never arrived.',
      '< Deliveries can take up to 5 days.',
      '> I would be obliged if you could check, it is still missing after 9 days.',
    );
    expect(detect(c).shouldEscalate).toBe(true);
  });
});

describe('someone who lost their own one ("my son lost his own", "she lost hers") is the reason to buy, not trouble', () => {
  it('"my husband lost his own, is this the same model?" → not escalated', () => {
    const c = conv(
      '> is this the same reading lamp as last year? my husband lost his own on holiday.',
      "< Yes, it's the same model.",
      '> great, ordering now.',
    );
    expect(detect(c).shouldEscalate).toBe(false);
  });
  it('near case: "the courier lost my parcel" → still negative', () => {
    expect(detect(conv('> the courier lost my parcel')).sentiment).toBeLessThan(0);
  });
});

describe('sarcasm: "you\'re too kind" to a canned reply, the quality claimed praised back next to a typo', () => {
  it('"you are too kind" after a problem and a canned reply → NEGATIVE_SENTIMENT', () => {
    const c = conv(
      "> Dad's walking frame order has been stuck on 'processing' and he has been stuck indoors for a week.",
      '< We appreciate your patience while your order is processed.',
      "> Oh, you're too kind. His patience has run out, mine too.",
    );
    expect(fired(c, 'NEGATIVE_SENTIMENT')).toBe(true);
  });
  it('near case: "you\'re too kind, thank you" after an action → not escalated', () => {
    const c = conv(
      "> Dad's walking frame order has been stuck on 'processing' for a week.",
      "< I'm sorry! I've pushed it through and it has been dispatched today by express.",
      "> Oh you're too kind, thank you.",
    );
    expect(detect(c).shouldEscalate).toBe(false);
  });
  it('"very high quality, the typo is lovely and sharp" → NEGATIVE_SENTIMENT', () => {
    const c = conv(
      "> The engraved pen for my boss says 'Congradulations' on the side.",
      '< Our engraving is done to a high quality standard.',
      '> Yes, very high quality. The typo is lovely and sharp.',
    );
    expect(fired(c, 'NEGATIVE_SENTIMENT')).toBe(true);
  });
  it('near case: "very high quality, no typo anywhere, thanks" → not escalated', () => {
    const c = conv('> The engraved pen came today.', '< Glad it arrived!', '> very high quality print, spelt perfectly. thanks');
    expect(detect(c).shouldEscalate).toBe(false);
  });
});

describe('"wah" praises as "wow" does; an arrival only guessed at ("maybe the courier delivered it by magic") is none; the "rider" delivers', () => {
  it('"Wah, excellent. Maybe the rider delivered it by teleport." after "it shows delivered" → NEGATIVE_SENTIMENT', () => {
    const c = conv(
      '> Tracking says delivered at 11am. Nobody came, no call, nothing at the gate.',
      '< Our records show the order was delivered. Please ask your neighbours.',
      '> Wah, excellent. Asked the neighbours, asked the guard. Maybe the rider delivered it by teleport.',
    );
    expect(fired(c, 'NEGATIVE_SENTIMENT')).toBe(true);
  });
  it('near case: "wah, the rider delivered it this morning, thanks" → not escalated', () => {
    const c = conv(
      '> Tracking says delivered at 11am but nothing at the gate.',
      '< Please check with the guard.',
      '> wah ok, the rider delivered it to the guard this morning. thanks!',
    );
    expect(detect(c).shouldEscalate).toBe(false);
  });
});

describe("irony with the reply's word in scare quotes keeps its own thanks ironic", () => {
  it('\'Lovely, "shortly". … really appreciate it\' after "refund initiated" → NEGATIVE_SENTIMENT', () => {
    const c = conv(
      '> My refund has said pending since the 2nd of last month.',
      '< Your refund has been initiated and will reach you shortly.',
      '> Lovely, "shortly". It was initiated before Christmas. Really appreciate it.',
    );
    expect(fired(c, 'NEGATIVE_SENTIMENT')).toBe(true);
  });
  it('near case: "Lovely, really appreciate it" after the same reply → not escalated', () => {
    const c = conv(
      '> My refund has said pending since the 2nd of last month.',
      '< Your refund has been initiated and will reach you shortly.',
      '> Lovely, really appreciate it.',
    );
    expect(detect(c).shouldEscalate).toBe(false);
  });
});

describe('a delivery speed paid for, then days gone by ("I paid for express. 9 days now.")', () => {
  it('"Paid for next-day on the rice cooker. 6 days now." → NEGATIVE_SENTIMENT', () => {
    expect(fired(conv('> Paid for next-day on the rice cooker. 6 days now.'), 'NEGATIVE_SENTIMENT')).toBe(true);
  });
  it('near case: "I paid for express. It came in 2 days, great." → not escalated', () => {
    expect(detect(conv('> I paid for express on the rice cooker. It came in 2 days, great.')).shouldEscalate).toBe(false);
  });
  it('near case: "I paid for express. 3 days before the party so it should be fine." → not escalated', () => {
    expect(detect(conv('> I paid for express. 3 days before the party so it should be fine.')).shouldEscalate).toBe(false);
  });
});

describe('"Yes, I\'ve downloaded it. …?": the customer did what the reply said, then asks again', () => {
  it('did what the reply said, then asks how to get the company on it → REPEATED_QUESTION', () => {
    const c = conv(
      '> I need the receipt for the desk order to show our company, not my own name.',
      '< Receipts can be downloaded from your order history.',
      "> Yes, I've downloaded it. It has my name on it. How do I get Orbit Dental Ltd shown on it instead?",
    );
    expect(fired(c, 'REPEATED_QUESTION')).toBe(true);
  });
  it('near case: "yes I\'ve ordered it. when will it ship?" after a reply that said nothing of ordering → no REPEATED_QUESTION', () => {
    const c = conv('> is the oak desk in stock?', '< Yes, the oak desk is in stock.', "> yes I've ordered it. when will it ship?");
    expect(fired(c, 'REPEATED_QUESTION')).toBe(false);
  });
});

describe('a company named with its legal suffix ("Harbour & Reed Ltd", "Acme Inc") is the company', () => {
  it('"ltd", "llc", "plc", "inc" map to the concept of "company"', () => {
    for (const w of ['ltd', 'llc', 'plc', 'inc', 'pty']) expect(canonical(w)).toBe(canonical('company'));
  });
  it('near case: "limited" ("limited stock") is not the company', () => {
    expect(canonical('limited')).not.toBe(canonical('company'));
  });
});

describe('"no worries" after a claim just mocked in scare quotes is ironic too', () => {
  it('"So \'express\' means whenever you feel like it. No worries, … ta very much." → NEGATIVE_SENTIMENT', () => {
    const c = conv(
      "> I paid for express on my nephew's football boots, the match is Saturday.",
      '< Your order is on its way and should arrive within 4-6 working days.',
      "> So 'express' means whenever you feel like it. No worries, he can play in socks. Ta very much.",
    );
    expect(fired(c, 'NEGATIVE_SENTIMENT')).toBe(true);
  });
  it('near case: "The \'express\' one came today. No worries at all, ta" → not escalated', () => {
    expect(detect(conv("> The 'express' one came today. No worries at all, ta")).shouldEscalate).toBe(false);
  });
  it('near case: "ah no worries, ta very much" with nothing quoted → not escalated', () => {
    const c = conv('> can I still add socks to my order?', '< Sorry, the order has already been packed.', '> ah no worries, ta very much');
    expect(detect(c).shouldEscalate).toBe(false);
  });
});
