import { describe, it, expect } from 'vitest';
import { detect, type Decision, type TriggerType } from '../../../src/detection/index.ts';
import { conv } from './helpers.ts';

// Open shapes of person requests, reworded repeats, safety, churn, legal and refused damage (issue #12).

/** A web chat where the AI is confident, so only the words decide. `>` customer, `<` assistant. */
const trigger = (d: Decision, type: TriggerType) => d.triggers.find((t) => t.type === type);

describe('MANUAL by shape: a wish or question, someone on the company side, a way to reach them', () => {
  it.each([
    'I would prefer to deal with a human on this one, it is complicated.',
    'Is anybody from your returns department able to help me with this?',
    'Can I be transferred to someone please?',
    'Are there any humans working today? I need help with a return.',
    'Any humans around?',
    'I want to raise this with a staff member.',
    'Could I get an email from someone at head office?',
    "I'd like to discuss it with a colleague of yours.",
    'Would it be ok if someone called me instead?',
    'Might be easier if someone phoned me.',
    'A phone call would be much easier.',
    'Is a callback possible?',
    'Can we do this over the phone instead?',
    "Who's the right person to talk to about this?",
    "I'd like a word with your manager.",
    'Will anyone actually read this?',
    'Could I have the phone number of someone who can help?',
    "If there's a person available I'd like to talk to them.",
    'Not another automated response please. Someone with a pulse.',
  ])('"%s" → MANUAL', (text) => {
    expect(trigger(detect(conv(`> ${text}`, '< I can help you here!')), 'MANUAL')).toMatchObject({ value: 'customer_request' });
  });

  it.each([
    "I'd rather pay by card than by phone.",
    'Can I order over the phone?',
    'Will someone be there to help unload the sofa?',
    'Is anyone able to collect on my behalf if I am at work?',
    'Does anyone read the reviews? Just left a 5 star one :)',
    'Can I email the receipt to someone else as a gift?',
    'Is your team available on bank holidays?',
    'I would like to chat with my partner before I decide on the colour.',
    'Can my daughter call to change the address?',
    'Is a phone call needed to activate the SIM?',
    'Thanks, the person I spoke to on the phone yesterday sorted it all.',
    'Ok great, no need for a call, email is fine thanks.',
    'Can I speak to the driver directly about where to leave it?',
  ])('"%s" → nothing', (text) => {
    expect(detect(conv(`> ${text}`)).shouldEscalate).toBe(false);
  });
});

describe('REPEATED_QUESTION by shape: a correction, a rephrase, the same kind of question after a reply without that answer', () => {
  it.each([
    [
      'What is the maximum load for the wall shelf?',
      'The Linea shelf has a sleek floating design with hidden brackets.',
      'How many kilos can I safely put on it?',
    ],
    [
      'Is the rug machine washable or does it need dry cleaning?',
      'The Aster rug is woven from recycled cotton and comes in three colours.',
      'Can I just pop it in the washer, or will that ruin it?',
    ],
    [
      'Can I use my gift card on sale items?',
      'Gift cards are available in values from £10 to £200.',
      "I'm not asking about buying one. Does it work on reduced stuff?",
    ],
    [
      'Can I change the delivery date for order 4471?',
      'Your order 4471 is being prepared in our warehouse.',
      'Let me rephrase: is it possible to move it to next week?',
    ],
    ['Is the jumper itchy?', 'The jumper is 100% merino wool.', 'I just want to know if it will irritate sensitive skin.'],
    ['Are the sheets cotton or polyester?', 'Our sheets come in 6 lovely colours.', 'What are they made of though?'],
  ])('"%s" / "%s" / "%s" → REPEATED_QUESTION', (q1, a, q2) => {
    expect(trigger(detect(conv(`> ${q1}`, `< ${a}`, `> ${q2}`)), 'REPEATED_QUESTION')).toBeDefined();
  });

  it.each([
    ['How many pods come in a box?', "Each box contains a month's supply, perfect for daily use.", 'How much is a box?'],
    ['When is my subscription renewing?', 'You can see your renewal date in Account > Subscription.', 'Thanks, found it. When can I pause it until?'],
    ['Do you have the boots in a 5?', 'We do, in black and tan.', "Perfect. I need to know whether they're true to size before I order."],
    ['Is the blender dishwasher safe?', 'The jug and blades are dishwasher safe; the base is not.', 'Great, thanks. Does it come with a recipe book though?'],
    ['Where is my nearest store?', 'Our nearest store to you is at 12 King Street, Leeds.', 'Where do I park there?'],
    ['How much is shipping?', 'Shipping is free on all orders this week!', 'Lovely, how much is express then?'],
  ])('"%s" / "%s" / "%s" → nothing', (q1, a, q2) => {
    expect(detect(conv(`> ${q1}`, `< ${a}`, `> ${q2}`)).shouldEscalate).toBe(false);
  });
});

describe('safety by shape → URGENT: a harmed body part, a shock felt, symptoms since use, a safety-critical part failing', () => {
  it.each([
    'got a little shock off the metal side of the kettle when i touched it lol, arm tingled for a bit. is that normal?',
    "I've had a headache and dizziness since using the new air freshener plug-in.",
    'My cat got her paw trapped in the automatic feeder and is limping now.',
    'The car seat buckle snapped while we were driving.',
    'The pressure cooker lid blew off and hot soup went everywhere, my arm is red and stinging.',
    'The ladder buckled when I was on the third step and I fell.',
    'The dog food smelled off and both dogs have had diarrhoea since.',
    'The lamp flickers and buzzes and I saw a blue flash inside it.',
    "My dog chewed the squeaky toy and now he's being sick, a piece is missing.",
  ])('"%s" → safety, URGENT', (text) => {
    const d = detect(conv(`> ${text}`, '< Thanks for getting in touch! Our products come with a 2-year warranty.'));
    expect(d.riskFlags).toContain('safety');
    expect(d.priority).toBe('URGENT');
  });

  it.each([
    'I fell in love with the green lamp, is it back in stock?',
    'My son slipped on the wet floor at school so I need a knee brace, which size?',
    'My feet are numb from standing all day, do you have cushioned insoles?',
    "The stroller's cup holder broke off, can I buy a new one?",
    'I tripped over the parcel the courier left on the doorstep, no harm done, but please ask them to knock.',
    'Is there a flash sale on this weekend?',
    'Our dog ate the whole bag of treats in one go haha, can I buy in bulk?',
  ])('"%s" → no safety', (text) => {
    expect(detect(conv(`> ${text}`)).riskFlags).not.toContain('safety');
  });
});

describe('fraud told as a fact → legal_threat', () => {
  it.each([
    "There are two payments on my statement from you that I didn't make.",
    'Somebody has got into my account and changed the delivery address.',
    "My account was hacked last night, there's an order for a laptop I never placed.",
    "I don't recognise this transaction of $240 from your company.",
    "These orders aren't mine. I didn't authorise any of them.",
  ])('"%s" → legal_threat', (text) => {
    expect(detect(conv(`> ${text}`, '< Please log in to view your order history.')).riskFlags).toContain('legal_threat');
  });

  it.each([
    "I didn't make the order in time for the sale, can I still get the discount?",
    "I was charged for an item I didn't order, it's a blue mug instead of the red one.",
    'My husband used my account to order the sofa, can I change the delivery name?',
    'I never made an account, can I check out as a guest?',
  ])('"%s" → no legal_threat', (text) => {
    expect(detect(conv(`> ${text}`)).riskFlags).not.toContain('legal_threat');
  });
});
