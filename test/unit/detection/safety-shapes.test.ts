import { describe, expect, it } from 'vitest';
import { detect, type ConversationInput } from '../../../src/detection/index.ts';

// Safety incidents by shape (issue #12): harm to a person or pet linked to a product, hazard states of
// a product, contaminated food or medicine, medical care sought after use. Every one must come out
// URGENT, also when mentioned in passing in another question; look-alikes must not fire. Examples
// written for these tests, not taken from any labelled set.

function conv(text: string, followUp = 'ok thanks'): ConversationInput {
  return {
    channel: 'web_chat',
    aiConfidence: 0.9,
    messages: [
      { role: 'customer', text },
      { role: 'assistant', text: 'Thanks for telling us, let me check.' },
      { role: 'customer', text: followUp },
    ],
  };
}

describe('safety shapes → URGENT', () => {
  it.each([
    // harm to a person or pet
    'The grater slipped and I cut across the back of my hand, it needed glue at the clinic.',
    'My son came up in hives an hour after using the bubble bath.',
    'His forearm is red and stinging where the steam from the iron hit it.',
    'The gate swung shut and my toddler had his fingers jammed in the hinge, his fingers are bruised.',
    'the puppy threw up twice after chewing the rope toy',
    'We both had upset stomachs the day after the ready meal.',
    'my gran took the sleeping tablets and felt really dizzy, then fainted in the hall',
    'the trampoline leg buckled while the kids were bouncing on it',
    // hazard states
    'The slow cooker lid blew off and the plug is discoloured.',
    'There is a gas smell in the kitchen since the new hob was fitted.',
    'The heater left scorch marks on the skirting board.',
    'The extension lead went bang and the socket has gone black.',
    'Car seat harness came undone on the motorway.',
    'Cordless drill battery got hot enough to melt the case.',
    'Question about my speaker order. The housing has started to bulge out at the sides, can I swap the colour?',
    'Not urgent, but I got a bit of a zap when I touched the metal side of the toaster while it was on.',
    'The bookcase toppled forward when my 3 year old climbed the shelves, it missed her by inches.',
    'the pushchair folded on my daughter while I was strapping her in',
    'I have a phone battery pack from you (order 5521, the blue one). It has puffed up and rocks on the desk, is that warranty?',
    'The wooden rattle lost a ring yesterday and it was in my son mouth before I noticed, do you sell a safer one?',
    'The toaster gives current when you touch the chrome side while it is on.',
    'I put my hand in the foot spa water and got a shock right up my arm.',
    'Scalded the back of my hand on the kettle lid, it is red and sore.',
    'Both my earlobes are swollen after two days with the earrings, the GP says it is a nickel reaction.',
    'My dad touched the lamp base and his hand is still tingling an hour later.',
    // contamination
    'Found metal shavings in the tin of chickpeas.',
    'I bit down on something sharp in the flapjack.',
    "Found a hard sharp clear piece in my daughter's fruit pouch, she had eaten half of it.",
    'The box of vitamins had the wrong tablets in it and my husband took three before we noticed.',
    // medical care sought
    'We ended up at the ER after the ladder folded.',
    'Had to ring poison control after my daughter licked the cleaning pod.',
    'The emergency vet is keeping him in overnight after he ate the chew.',
    // a failure, then someone hurt in the next sentence
    'the slats gave out in the night and the mattress dropped to the floor. my husband hurt his back',
    'The dining chair collapsed under me at dinner and I banged my elbow on the table.',
  ])('"%s"', (text) => {
    const d = detect(conv(text));
    expect(d.riskFlags).toContain('safety');
    expect(d.priority).toBe('URGENT');
  });

  it('a mention in passing inside another question still counts', () => {
    const d = detect(
      conv('Can I change my delivery day to Friday? Oh and the phone charger you sent gave off a burnt smell last night.', 'Friday works, thanks'),
    );
    expect(d.priority).toBe('URGENT');
  });
});

describe('look-alikes do not fire safety', () => {
  it.each([
    'stroller folded dimensions? need to know if it fits in a small hatchback trunk',
    'Does the high chair fold flat? How wide is it folded?',
    'Battery life on the headphones, is it really 30 hours?',
    'Does the Fire TV stick work with the older remote?',
    'Killer price on the trainers, is the offer on until Sunday?',
    'How do I burn a CD with the laptop drive?',
    'Do you have the fire-red colour in a medium?',
    'Is the shock-proof case compatible with the Pixel?',
    'Is this nut-free? Asking before I buy a box for the school party.',
    'My son is allergic so I check labels, does the chocolate contain sesame?',
    'If the battery swells in a year, is that covered by the warranty?',
    'I got a shock when I saw the delivery charge, is there a cheaper option?',
    'My vet recommended this food, do you stock the 12kg bag?',
    'My optician checked my prescription, can I update the lenses on my order?',
    'The bananas arrived bruised, can I get a refund on those?',
    'Does the kettle switch itself off if it boils dry?',
    'The rice sack was split open when it came, about a cup spilled in the box, can you send another?',
    'I cut open the box and the lid of the blender was missing.',
    'I dropped off my return at the post office this morning, when will the refund come?',
    'My vet said to move him onto a senior food, which ones do you have?',
    'Is the pan lid oven safe up to 200 degrees?',
    'Thinking of buying the heater, in general does it get too hot to touch?',
    'Does the soldering iron get hot enough to melt lead-free solder?',
    'Is the stacking toy fine for a toddler who still puts everything in his mouth?',
    'Is the current model the one with the bigger tank?',
    // a failure and a hurt body part without a link between them
    'I hurt my back last year, so I need a bed frame that is easy to get in and out of.',
    'The box came apart in the rain. Did the water hurt the paint on the frame?',
  ])('"%s"', (text) => {
    expect(detect(conv(text)).riskFlags).not.toContain('safety');
  });
});
