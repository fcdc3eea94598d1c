/**
 * Cue words of the conversation signals, marked on the shared word entries (one look-up per word, see
 * wordindex.ts) so that the detector runs a signal's patterns only on messages that contain one of
 * its cue words. Bits 8+ of WordInfo.flags (wordindex.ts uses the low bits).
 */
import { wordEntry } from '../sentiment.ts';
import { PERSON_OPEN_CUES } from '../manual.ts';
import { DID_NOT_HELP } from './looping.ts';
import { FACT_FIRST_WORDS } from '../facts.ts';
import { SARCASM_ANCHORS } from './sarcasm.ts';
import { ELAPSED_ANCHORS } from './elapsed.ts';
import { PUSHBACK_MARKERS } from '../repetition.ts';
import { ACK_WORDS, MORE_FACT_EXTRA_ANCHORS, MORE_RESOLVED_ANCHORS, NOT_ACK, THANKS } from './frustration.ts';
import { DAMAGE_WORDS } from './refusal.ts';
import { SAFETY_ANCHORS, SWELL_WORDS } from './safety.ts';

export const SIG_SAFETY = 1 << 8;
export const SIG_THREAT = 1 << 9;
export const SIG_PERSON = 1 << 10;
export const SIG_NOT_HELPED = 1 << 11;
/** a word a complaint fact (facts.ts) can start with; numbers are checked apart */
export const SIG_FACT = 1 << 12;
/** a word of the resolution patterns (signals/frustration.ts): "arrived", "sorted", "never mind" … */
export const SIG_RESOLVED = 1 << 13;

/** a word of the sarcasm patterns (signals/sarcasm.ts) */
export const SIG_SARCASM = 1 << 14;
/** a word of the conversation-level fact patterns (MORE_FACTS, signals/frustration.ts) */
export const SIG_MORE_FACTS = 1 << 15;
/** acknowledgement words ("ok", "thanks", "got it"), thanks words, and words that make a "thanks" sarcastic or a complaint */
export const SIG_ACK = 1 << 16;
export const SIG_THANKS = 1 << 17;
export const SIG_NOT_ACK = 1 << 18;
/** a word signals/elapsed.ts needs (time passed, a count, a promise, "still"); numbers are checked apart */
export const SIG_ELAPSED = 1 << 19;
/** a word pushesBack (repetition.ts) looks for beyond the message's opening */
export const SIG_PUSHBACK = 1 << 20;
/** a word that says an item is damaged or faulty (signals/refusal.ts) */
export const SIG_DAMAGE = 1 << 21;
/** a word that tells a device swelling or overheating without naming it (signals/safety.ts, a device named in an earlier message) */
export const SIG_SWELL = 1 << 22;

export const MORE_FACT_ANCHORS: readonly string[] = (
  'zero updates replies response news product refund goods ago now week weeks weekend month months day days still off nothing delivered eligible keeps kept fault mistake responsibility ' +
  'replacement exchange credit voucher vouchers repair points transit courier nobody noone came showed turned knocked rang bothered ' +
  'separate occasions bills invoices row every each ' +
  'pay paying postage closed instead attempted home automatic automated auto second monday tuesday wednesday thursday friday saturday sunday sitting stuck sat held lying waiting taken took charged debited billed wrong incorrect arrived ordered paid bought damage break drop misuse scratch crack smash dent bend misuse wear user accidental cosmetic covered faulty circles anywhere nowhere listening reading understanding understand helpful helping useful waste wasting wasted giving repeating same identical scripted generic canned read'
).split(' ');

export const RESOLVED_ANCHORS: readonly string[] = (
  'arrived came turned showed here received got sorted resolved fixed solved good fine ok okay working works worked ' +
  'mind nevermind worries problem bad mistake fault alarm ignore found there happy pleased satisfied glad ' +
  'sorry delivered released panic forget scratch dropped brought collected picked found sorting fixing resolving solving helping appeared back see ' +
  'all placed through done landed come time first explains makes'
).split(' ');

/** Distinctive words of the threat patterns (signals/threats.ts). */
export const THREAT_ANCHORS: readonly string[] = (
  'bank banks card visa mastercard amex paypal klarna society claim dispute chargeback fraud fraudulent unauthorised unauthorized ' +
  'fraud fraudulent scam theft lawyer lawyers attorney attorneys solicitor solicitors legal court claims consumer illegal unlawful law contract statutory ombudsman legally authorities police regulator regulators watchdog standards ftc cma bbb ' +
  'account accounts profile membership subscription data everything whole entire every cancelled refunded returned unsubscribe remove ' +
  'never anymore renewing last final straw business custom elsewhere forget forgetting give gave done finished fed longer trust money amazon ebay etsy competitor competitors competition ' +
  'followers subscribers readers viewers fans audience readership community review reviews rating ratings trustpilot yelp tripadvisor reddit twitter tiktok instagram facebook youtube social socials newspaper paper papers press journalist journalists bbc column blog forum forums linkedin mumsnet group everyone everybody friends people world others anyone channel vlog podcast viral screenshot screenshots screenshotted screenshotting tweet tweeting ' +
  'everywhere publicly online unenforceable enforceable hold binding subject gdpr protection article options patience ideas resort column reporter reporters media ' +
  'make made place placed authorise authorize authorised authorized recognise recognize approve approved someone somebody stranger hacker hackers fraudster fraudsters police crime sheriff sheriffs cops fraud security ' +
  'hacked compromised stolen cloned breached accessed leaked exposed ' +
  'petition petitions fccpc accc ccpc ncc dti cfpb ' +
  'acting writing client clients misleading deceptive false consent permission authorisation authorization shared sold passed leaked handed breach breached breaching violation violating violated rights entitled cease letter section tribunal ico commissioner asa advisory citizens identity id pipeda ccpa cpra lgpd popia dpdp personal'
).split(' ');

for (const w of SAFETY_ANCHORS) wordEntry(w).flags |= SIG_SAFETY;
for (const w of THREAT_ANCHORS) wordEntry(w).flags |= SIG_THREAT;
for (const w of PERSON_OPEN_CUES) wordEntry(w).flags |= SIG_PERSON;
for (const w of DID_NOT_HELP) wordEntry(w).flags |= SIG_NOT_HELPED;
for (const w of FACT_FIRST_WORDS) wordEntry(w).flags |= SIG_FACT;
for (const w of RESOLVED_ANCHORS) wordEntry(w).flags |= SIG_RESOLVED;
for (const w of MORE_RESOLVED_ANCHORS) wordEntry(w).flags |= SIG_RESOLVED;
for (const w of SARCASM_ANCHORS) wordEntry(w).flags |= SIG_SARCASM;
for (const w of MORE_FACT_ANCHORS) wordEntry(w).flags |= SIG_MORE_FACTS;
for (const w of MORE_FACT_EXTRA_ANCHORS) wordEntry(w).flags |= SIG_MORE_FACTS;
for (const w of ACK_WORDS) wordEntry(w).flags |= SIG_ACK;
for (const w of THANKS) wordEntry(w).flags |= SIG_THANKS;
for (const w of NOT_ACK) wordEntry(w).flags |= SIG_NOT_ACK;
for (const w of ELAPSED_ANCHORS) wordEntry(w).flags |= SIG_ELAPSED;
for (const w of PUSHBACK_MARKERS) wordEntry(w).flags |= SIG_PUSHBACK;
for (const w of DAMAGE_WORDS) wordEntry(w).flags |= SIG_DAMAGE;
for (const w of SWELL_WORDS) wordEntry(w).flags |= SIG_SWELL;
