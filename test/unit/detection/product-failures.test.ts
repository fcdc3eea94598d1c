import { describe, it } from 'vitest';
import { expectNoSafetyIncident as expectCalm, expectSafetyUrgent as expectUrgent } from './helpers.ts';

// A safety-critical product (a helmet, a harness, a car seat, climbing gear) that failed structurally
// (cracked in half, split in two, tore at the seam) or failed while in use, named a few words before its
// failure ("the helmet you sold cracked in half"); and a person's or a pet's bone told broken after the
// word, its owner named and the cause told after it ("our dog's leg is broken, the crate door fell on
// it"). Each with near cases that share their words and must stay calm. Examples written for these tests.

describe('a safety-critical product that failed structurally or in use', () => {
  it('"the helmet you sold cracked in half on his first ride" → safety, URGENT', () => {
    expectUrgent('the helmet you sold cracked in half on his first ride');
    expectUrgent('The bike helmet we bought snapped in two during his first ride.');
    expectUrgent('The child seat I ordered split down the middle while driving on the motorway.');
  });
  it('"The climbing harness tore at the seam during his first climb." → safety, URGENT', () => {
    expectUrgent('The climbing harness tore at the seam during his first climb.');
    expectUrgent('the harness we got from you ripped apart during his climb');
    expectUrgent('The carabiner you sent me snapped clean through on the descent.');
    expectUrgent("My son's climbing helmet cracked on his first climb.");
    // told as a question, still told
    expectUrgent('Is it normal that the helmet cracked in half on his first ride?');
    expectUrgent('Why did the car seat split in two on the motorway?');
  });
  it('near cases: no failure, a question, an old one, a part or the box, a design → calm', () => {
    expectCalm('Is the helmet certified? He has his first ride on Saturday.');
    expectCalm('The skull print on my helmet has cracked, can I get a new decal?');
    expectCalm('The harness is great, he did his first climb in it yesterday!');
    expectCalm('my old helmet cracked in half years ago so I want a sturdier one, which is best?');
    expectCalm('will the helmet crack in half if he falls on his first ride?');
    expectCalm('does the harness ever tear at the seam during a climb?');
    expectCalm('The helmet sticker split in two on his first ride, any spare stickers?');
    expectCalm('the car seat manual tore in half when the baby grabbed it, can you send a new one?');
    expectCalm('I read that cheap helmets split in two on the first crash, is yours tested?');
    expectCalm('the cardboard the car seat came in split apart, no damage to the seat though');
    expectCalm('the ladder arrived, the box ripped apart in transit but the ladder is fine');
    expectCalm('the car seat cover split at the seam, can I get a new cover?');
    expectCalm('the stroller basket tore at the seams, can I buy a new one?');
    expectCalm('the helmet we bought broke in nicely on his first ride');
    expectCalm('the harness ripped open easily on the first use, the packaging I mean');
    expectCalm('the pram wheels split the puddles on our first outing lol');
    // found by probing the first version: a separation asked about or made by design
    expectCalm('Does the ladder split in two so I can use it as two step ladders?');
    expectCalm('The stroller split apart into the seat and carrycot just like the video, love it!');
  });
});

describe("a person's or a pet's bone told broken, the cause told after it", () => {
  it('"Our dog\'s leg is broken, the crate door fell on it" → safety, URGENT', () => {
    expectUrgent("Our dog's leg is broken, the crate door fell on it");
    expectUrgent("My cat's tail is broken, the cat flap slammed shut on it");
    expectUrgent("our puppy's paw is broken after the gate swung on it");
  });
  it('near cases: a product part, the reason to buy, a doll, healing → calm', () => {
    expectCalm("My dog's leg warmer has a broken zip, can I swap it?");
    expectCalm('the crate door is a bit stiff, is there a trick to it?');
    expectCalm("My dog's leg is healing well, thanks for asking!");
    expectCalm("our dog's leg is broken, so we need a bigger crate with a ramp, which one?");
    expectCalm("My son's arm is broken from football, does the jacket fit over a cast?");
    expectCalm("The dog's leg warmer is broken, the zip snapped when I put it on");
    expectCalm("my cat's tail is broken from a fight so I want a softer bed, which one?");
    expectCalm("our puppy's paw print tag is broken after a week, can I get another?");
    expectCalm('The chair leg is broken, it fell over when I moved it');
    expectCalm('the chairs arrived but their legs are broken');
    expectCalm("my daughter's doll arrived and her arm is broken");
    expectCalm('her legs are broken on the doll, they snapped when she played');
    // found by probing the first version: "when" alone tells no cause
    expectCalm("Our dog's tail was broken when we adopted him, which harness is gentlest?");
  });
});

describe('"snapped" said of a camera on the product: a picture taken, not a part that broke', () => {
  it('"The helmet cam snapped some great shots on his first ride!" → calm', () => {
    expectCalm('The helmet cam snapped some great shots on his first ride!');
    expectCalm('my helmet camera snapped a few pics of the view, love it');
    expectCalm('The stroller cam snapped loads of photos of the baby on our walk');
  });
  it('near cases: the product or a part of it that snapped → safety, URGENT', () => {
    expectUrgent('The helmet strap snapped on his first ride');
    expectUrgent('the car seat buckle snapped while we were driving');
    expectUrgent('The helmet snapped in two when he fell off his bike');
    // "snapped" ends its sentence: a part that broke, not a picture
    expectUrgent('The helmet cam mount snapped. Shots of the trail are gone and he came off the bike');
  });
});
