/**
 * Safety incidents told in the customer's own words → the `safety` risk flag (URGENT) and a keyword
 * naming the hazard: a swelling or overheating battery, something foreign in food, a burn, an
 * allergic reaction, breathing trouble, an electric shock, choking or swallowing, smoke or fire,
 * scorched or melted plugs, an injury, sickness after eating or using a product.
 *
 * A hazard word alone is not an incident: "fire pit", "smoke detector", "sunburn gel", "I hurt my
 * back last year so I need a chair" do not fire. Patterns describe something that happened (to a
 * person, a pet or the home); a few generic words ("toxic", "dangerous", "choking hazard") count
 * only in statements, not in questions ("is the paint toxic?").
 */
import { compileGate, compileTagged, gateOpen, inQuestion, matchTagged, openPatterns } from './pattern.ts';

const BODY =
  '(hand|hands|arm|arms|finger|fingers|nail|nails|toe|toes|thumb|palm|wrist|skin|leg|legs|knee|foot|feet|face|lip|lips|eye|eyes|head|neck|chest|back|mouth|tongue|throat|scalp|ear|ears|paw|paws|tail|ankle|elbow|shoulder|shoulders|hip|forehead|cheek|jaw|nose|belly)';
/** the way an injured body part is told: "my arm is red and stinging", "her paw is swollen" */
const HARMED =
  '(blistered|blistering|stinging|burning|raw|swollen|bruised|bleeding|throbbing|scalded|cut open|red and sore|red and stinging|red and swollen|red and burning|red and blistered|red and raw|red and throbbing)';
/** products whose failure is itself a danger: a buckle that snapped while driving, a stair gate that gave way */
const SAFETY_CRITICAL =
  '(car seat|buckle|harness|brake|brakes|helmet|stair gate|baby gate|safety gate|cot|crib|high chair|highchair|pram|pushchair|stroller|buggy|ladder|smoke alarm|smoke detector|seatbelt|seat belt|child lock|railing|bannister|banister|bed rail|car seat base|isofix)';
const WHO =
  '(my|his|her|their|our|me|him|us|them|myself|himself|herself|themselves|son|daughter|kid|kids|child|children|baby|toddler|wife|husband|partner|mum|mom|dad)';
const POWER = '(battery|batteries|power bank|powerbank|charger|charging case|phone|laptop|ebike|e bike|scooter|vape|cell|cells)';
const ELECTRIC = '(plug|plugs|socket|sockets|outlet|cable|cord|lead|wire|wires|adapter|adaptor|charger|extension|power strip|fuse|switch)';
const FOOD =
  '(food|jar|bar|bars|meal|bread|cereal|granola|yogurt|yoghurt|sauce|drink|bottle|can|salad|soup|sandwich|chocolate|cookie|cookies|biscuit|biscuits|snack|snacks|kibble|pouch|milk|formula|pasta|rice|cake|pizza|juice|coffee|tea|honey|jam|crisps|chips|nuts|fruit|water|puree|purée|dinner|lunch|breakfast|mouthful|bite|packet|tin)';
const FOREIGN =
  '(glass|metal|plastic|staple|staples|wire|hair|hairs|stone|stones|screw|bolt|insect|insects|bug|bugs|maggot|maggots|worm|worms|mould|mold|shard|shards|splinter|needle|pin|nail|bone|rubber|fly|cockroach|mouse|rat)';

export type SafetyHazard =
  | 'battery swelling or overheating'
  | 'foreign object in food'
  | 'burn'
  | 'burning smell or scorching'
  | 'smoke or fire'
  | 'electric shock'
  | 'allergic reaction'
  | 'breathing difficulty'
  | 'choking or swallowing'
  | 'injury'
  | 'sickness after use'
  | 'hazard';

const PATTERNS: Readonly<Record<SafetyHazard, readonly string[]>> = {
  'battery swelling or overheating': [
    `${POWER} ~8 swollen|swelling|swelled|swell|swells|puffed|puffing|puffy|bulging|bulge|bulges|bloated|expanded|expanding|ballooned|hissing|hissed|hisses|leaking|smoking|exploded|explode|overheats|overheating|overheated|melted|melting`,
    `swollen|swelling|puffed|bulging|bloated|expanded ~3 ${POWER}`,
    // "the deck has bulged up around the middle where the battery is"
    `swelled|bulged|ballooned ~8 ${POWER}`,
    // the same past a comma: "it has swelled underneath, right where the battery sits"
    're: (?:swelled|bulged|ballooned|swollen|bulging) (?:[^.!?]{0,60}? )?(?:battery|batteries|power bank|powerbank) ',
    // the device named earlier in the sentence, past a comma or a bracket: "the power bank (20000mAh, the grey one) has started to bulge"
    're: (?:battery|batteries|power bank|powerbank|charger|charging case|laptop|ebike|e bike|scooter|vape) (?:[^.!?]{0,90}? )?(?:swollen|swelling|swelled|swell|swells|puffy|puffed|bulging|bulged|bulge|bulges|bloated|ballooned|expanded|hissing|smoking) ',
    `${POWER} ~6 too|very|really|extremely|super|scorching|burning hot|warm`,
    `${POWER} ~6 hot to the? touch`,
    `${POWER} ~6 (is|are|gets|got|get|getting|was|became|becomes) hot $`,
  ],
  'foreign object in food': [
    `(piece|pieces|bit|bits|chunk|shard|shards|fragment|fragments) of ${FOREIGN} ~8 (in|inside|into|within|among|from) ~4 ${FOOD}`,
    `${FOOD} ~10 (there was|there were|found|find|noticed|spotted) ~4 (piece|pieces|bit|bits|chunk|shard|shards|fragment|fragments) of ~2 ${FOREIGN}`,
    `(piece|pieces|bit|bits|chunk|shard|shards|fragment|fragments) of ~2 ${FOREIGN} (inside|in it|in there|in them)`,
    `${FOREIGN} ~6 (in|inside|into|within|among|from) ~4 ${FOOD}`,
    `(found|find|there was|there were|there is|bit into|crunched|biting) ~4 ${FOREIGN} ~3 (in|inside|into)`,
    `${FOOD} ~6 (had|has|contained|contains|with) ~3 (glass|metal|staple|wire|hair|insect|bug|maggot|mould|mold|shard|plastic)`,
    `(mouldy|moldy|rotten|contaminated|maggots|maggot) ~5 ${FOOD}`,
    '(black|green|white|grey)? (mould|mold|mildew) (inside|in|on|growing|all over|everywhere|under)',
    `${FOOD} ~4 (mouldy|moldy|rotten|contaminated|crawling)`,
  ],
  burn: [
    `burn|burned|burnt|burns|burning|scalded|scalding|scald|blistered ${WHO}`,
    `(burn|burns|blister|blisters|scald|scalds|burnt|burned|welt|welts|red mark|red marks) (on|across|to) ${WHO}? ~1 ${BODY}`,
    // "she touched it and has a red mark": the mark a hot thing leaves
    '(touched|touching|grabbed|held|picked up) ~6 (red mark|red marks|blister|blisters|burn|burns|burnt|burned)',
    're:(?:have|has|got|had|left|leaving|gave|given|causing|caused) (?:a |an |some |me a |him a |her a |us a |them a )(?:[^ .,!?]+ ){0,2}(?:burn|burns|blister|blisters|scald|scalds|welt|welts) (?!cream |gel |spray |ointment |kit |dressing )',
    `(boiling|hot|scalding) (water|oil|steam|tea|coffee|liquid|wax) ~5 (over|on|onto|into|across) ${WHO}`,
    `${BODY} ~3 (burnt|burned|blistered|scalded|blistering|burning)`,
  ],
  'burning smell or scorching': [
    '(so|too|very|extremely|really|got|gets|getting|became) hot ~8 (warped|melted|melting|deformed|scorched|charred|burnt|burned|blistered|bubbled|bubbling|caught fire|smoking)',
    '(so|too|very|extremely|really|got|gets|getting|became) hot ~10 (went|gone|turned|going|turning) (soft|brown|black|gooey)',
    '(melted|warped|deformed|scorched|fused) ~4 (onto|into|on|to) ~3 (table|desk|bed|carpet|floor|surface|counter|worktop|bedside|pillow|sofa|sheet|sheets|duvet)',
    'burning smell|smells|smelled|odour|odor',
    '(smell|smells|smelled|smelt|smelling|stink|stinks|stank|reek|reeks) ~2 (of|like)? (burning|burnt|burned|smoke|melting|melted|electrical|plastic|rubber|gas)',
    '(scorching|red hot|too hot to touch|too hot to hold)',
    `${ELECTRIC} ~6 (blackened|scorched|charred|melted|melting|burnt|burned|sparked|sparking|sparks|smoking|black mark|black marks|scorch marks)`,
    `(blackened|scorched|charred|scorch) ~4 (${ELECTRIC}|table|counter|worktop|wall|carpet|floor|desk|shelf|through)`,
    `(melted|melting) ~4 (${ELECTRIC}|through)`,
    '(sparked|sparking|sparks|spark) ~4 (when|while|from|out|and|as)',
    'black mark|marks ~4 (socket|outlet|plug)',
  ],
  'smoke or fire': [
    '(smoke|flames|flame) (came|coming|started|poured|pouring|billowed|billowing|rose|everywhere|out of|from|got)',
    'caught|catch|catches|catching (fire|alight|flame|flames)',
    'on fire',
    'burst|bursting|went up into? flames',
    'set ~4 (on fire|alight|ablaze)',
    '(started|starting|began|begun) to? (smoke|smoking|burn|burning|melt|melting|spark|sparking)',
    '(could|would|might) have ~4 (fire|burned|burnt|exploded|killed)',
    '(nearly|almost) ~3 (fire|burned down|burnt down|exploded|set)',
    '(flame|flames) ~3 (huge|massive|enormous|out of control|too big|spread)',
    '(cracked|shattered|exploded|burst) ~3 (from|because of|due to) the? heat',
    'exploded|explode|explodes|exploding',
    '(it|charger|battery|plug|cable|device|phone|laptop|appliance|heater|machine|unit|thing|socket|adapter) (was|is|started|kept|keeps)? (smoking|sparking|popping|crackling|hissing|fizzing)',
    'fire brigade',
    '(flames|flame|sparks|smoke|fire) (shot|shooting|leapt|leaping|burst|bursting|flew|flying)',
    '(full of|filled with|fills with|filling with) smoke',
    '(tripped|trips|tripping|blew|blown|blowing) (the|a|my|our)? (fuse|fuses|breaker|breakers|electrics|circuit|trip switch)',
    'fire|smoke alarm|alarms went|go|goes off',
  ],
  'electric shock': [
    '(got|get|gets|getting|gave|giving|given|received|had) (a|an|me|him|her|us)? (an|a)? (electric|electrical|nasty|small|big|strong)? (shock|shocks|jolt|zap) ~6 (touch|touched|touching|plug|plugged|plugging|socket|metal|switch|handle|wire|lamp|kettle|cable|water|base|from)',
    'electric|electrical shock|shocks',
    'electrocuted|electrocute|electrocuting',
    'shocked|zapped|jolted (me|him|her|us|my|them)',
    '(tingled|tingling|tingle) ~4 (touched|touch|touching|metal|plug|socket|when)',
    '(touched|touching|touch) ~12 (tingled|tingling|tingle|shock|zapped|zap|jolt)',
    '(get|gets|getting|got|giving|gives|gave|give) (me|us|him|her|them|you)? (a|an)? ~1 (zap|zaps|jolts)',
    '(giving|gives|gave|give) (me|us|him|her|them|people|you) ~1 shocks',
    'live (wire|wires|current|metal)',
    // "got a little shock off the metal side", "felt a slight jolt when I touched it"
    '(got|get|gets|getting|had|felt|feel|feeling|received) ~3 (shock|shocks|jolt|jolts|zap) ~4 (off|from|when|touching|touched|through)',
    `${BODY} (tingled|went numb|was numb|is numb|tingling)`,
    '(blue|white|bright|orange|big|saw a) (flash|flashes|spark) ~3 (inside|from|in|out|when|behind)',
    '(arcing|arced)',
  ],
  'allergic reaction': [
    'allergic reaction|reactions',
    '(anaphylaxis|anaphylactic|epipen|epi pen|antihistamine|antihistamines|hives)',
    '(broke|break|breaking|broken) out in',
    '(rash|rashes) (on|all over|across)',
    '(came|come|comes|coming) out in a? (rash|rashes|hives|spots|blisters)',
    `(lips|face|eyes|eyelids|throat|tongue|cheeks|skin|neck|hands|mouth|eye|lip) ~4 (swollen|swelled|swelling|swell|puffy|puffed|itchy|itching|red and|blotchy|peeling|blistering)`,
    `(swollen|swelled|swelling|puffy|itchy|blotchy) ~3 (lips|face|eyes|eyelids|throat|tongue|cheeks|neck|skin)`,
    '(reacted|reacting) ~3 (to|after|badly|right|immediately|straight)',
    `(${WHO}) ~3 (reacted|reacting)`,
    '(having|had|have|has|a|an|severe|bad|serious) (reaction|reactions) (to|after|from)?',
    'reaction to|after|from',
  ],
  'breathing difficulty': [
    '(trouble|difficulty|difficulties|struggling|struggled|struggle|hard|problems) ~2 (breathing|breathe|to breathe)',
    '(cant|couldnt|cannot|unable to|could not|can not) ~1 breathe',
    'throat ~3 (tight|tightening|closing|swelling|swollen|burning)',
    '(eyes|nose|throat) ~3 (sting|stinging|stung|burn|burning|watering|streaming)',
    '(still|started|kept|keep|been) (coughing|wheezing|choking)',
    'wheezing|wheezy',
    '(fumes|fume) ~4 (made|making|gave|dizzy|headache|sick|nauseous)',
  ],
  'choking or swallowing': [
    '(swallowed|swallowing|inhaled|choked|gagging|gagged)',
    '(throat|mouth|gums|tongue) (is|was|feels|felt|are|has been|now)? (sore|bleeding|cut|scratched|swollen|burning|hurting|raw)',
    're: choking (?!hazard )',
    `(put|putting|puts|had|stuck) ~3 (in|into|inside) (his|her|their|my|the) (mouth|nose|ear|throat)`,
    `out of (his|her|their|my) (throat|mouth|airway)`,
    `(cord|cords|string|strap|ribbon|chain) ~6 (around|round) ~2 (his|her|their|my|the|baby|toddler) ~1 neck`,
    `(button|coin) (battery|batteries|cell|cells) ~8 (missing|loose|came out|fell out|baby|toddler|child|son|daughter|kid|mouth)`,
  ],
  injury: [
    `(cut|sliced|gashed|slashed|split|grazed|bruised|broke|broken|fractured|sprained|twisted|trapped|crushed|pinched) ${WHO}? ~1 (${BODY}|open)`,
    `(cut|sliced|gashed|slashed) (myself|himself|herself|themselves|open|${WHO})`,
    '(needed|needing|need|got|had|getting|get) ~2 (stitches|stiches|a cast|surgery|an x ray|x rays|an xray|glued|a tetanus)',
    `(has|have|had|got|with|left|leaving) (a|an|some)? (nasty|big|huge|bad|deep|small)? (bruise|bruises|cut|cuts|gash|bump|lump|wound|scar|black eye)`,
    '(bleeding|bled|blood everywhere|blood all over)',
    '(chipped|cracked|broke|broken|lost) (a|my|his|her|their|our)? ~1 (tooth|teeth|filling|crown)',
    `(it|this|that|which|they|the) ~3 (hurt|injured|cut|hit|struck|fell on|trapped|crushed|pinched) (me|my|him|her|us|them|his|our|their)`,
    '(got|was|were|been|badly|seriously) (hurt|injured)',
    '(got|was|were|been|get|gets) (hit|struck|clipped|run over|knocked down|knocked over|bitten|stung|trapped|pinned)',
    '(snapped|broke|gave way|failed|came apart|came loose|collapsed) ~6 (fell|fall|ran|run|injured|hurt|hit|into the road|loose)',
    '(cough|coughing|temperature|fever|rash|headache|headaches|nosebleed|nosebleeds) (since|after|from|ever since)',
    '(i|he|she|we|they|son|daughter|kid|child) (fell|came) off',
    '(fell|fallen|collapsed|tipped|toppled|gave way) ~3 (on|onto) (me|my|him|her|us|them|his|our|their)',
    '(injured|injury|injuries)',
    `${BODY} (got)? (trapped|crushed|caught|stuck|pinched|jammed|squashed|slammed)`,
    `(got|gets|get|had) (his|her|my|their|our) ${BODY} (trapped|crushed|caught|stuck|pinched|jammed|squashed|slammed)`,
    '(shattered|exploded|burst) (while|when|on its own|by itself|spontaneously|in my hand|in his hand|in her hand|in use|during use)',
    '(shards|splinters|broken glass) ~2 (all over|everywhere|floor|kitchen|food|carpet|bed)',
    '(a e|a and e|emergency room|urgent care|hospital|doctors|doctor|paramedics|ambulance|vet|vets|poison control|poison centre|gp|pediatrician|paediatrician|nurse) ~4 (now|today|tonight|last night|yesterday|because|after|said|says|wants|thinks|confirmed|asked|asks|told|needs|needed|examined|prescribed)',
    '(went|go|going|gone|rushed|rushing|taken|took|take|taking|way|drove|driving|ended up|admitted|sent|called|calling|phoned|phone) ~3 (the|to|an|a)? (a e|a and e|emergency room|urgent care|hospital|doctors|doctor|paramedics|ambulance|vet|vets|poison control|111|911|999)',
    'stuck|trapped|caught between the? (bars|slats)',
    `(snapped|collapsed|gave way|broke) ~6 (${WHO}) ~3 (fell|stuck|trapped|hurt|bruise)`,
    // a harmed body part: "my arm is red and stinging", "her paw is swollen"
    `(my|his|her|their|our|the|dogs|cats) ${BODY} (is|was|went|looks|feels|turned|got|has gone|has been|are|were)? (all|very|really|badly|bright)? ${HARMED}`,
    '(limping|limps|cant walk|cannot walk|cant put weight|can not walk)',
    '(buckled|collapsed|gave way|snapped|broke|tipped|wobbled|slid|folded) ~8 (i|he|she|we|they|son|daughter|kid|child|toddler|baby|mum|mom|dad) (fell|slipped|tripped|went flying)',
    `${SAFETY_CRITICAL} ~1 (snapped|broke|failed|gave way|came undone|came loose|collapsed|cracked|fell apart|sheared|buckled|folded|released|popped open|gave out)`,
    '(lid|door|top|cap|glass|screen|bottle|valve) (blew|flew|shot|exploded|burst|popped) (off|open|out)',
  ],
  'sickness after use': [
    '(heart|pulse) ~3 (pounding|racing|thumping|beating fast|skipping|fluttering|palpitations|going crazy)',
    '(chest|heart) (is|was|feels|felt|feeling|has been)? (tight|tightness|pain|pains|hurting|hurts|pounding|racing|heavy)',
    'chest (pain|pains|tightness)',
    '(vomiting|vomited|vomit|threw up|throwing up|thrown up|diarrhoea|diarrhea|food poisoning|poisoned|poisoning|nausea|nauseous)',
    're:(?:got|get|getting|gotten|became|fell|all|made (?:me|us|him|her|them)) (?:very |really |so )?(?:sick|ill|unwell) (?!of |and tired )',
    '(sick|ill|unwell) (after|since|from) ~3 (eating|drinking|using|taking|ate|drank|the|your|it|we|i|they|opening)',
    '(stomach|tummy) ~3 (ache|pain|cramps|upset|bug)',
    '(made|making|makes) (me|us|him|her|them|my) ~2 (sick|ill|dizzy|faint)',
    // a symptom since using the product: "a headache and dizziness since using the plug-in"
    '(headache|headaches|dizziness|dizzy|migraine|migraines|nausea|sore throat|itching|itchy|rash|blisters|stinging|numbness|sore eyes|cough|coughing|wheezing|breathless|palpitations|sick|ill|unwell) ~6 (since|after|from) ~2 (using|use|eating|drinking|taking|wearing|applying|putting|installing|plugging|opening|ate|drank|used|wore|applied|opened|installed|plugged|took|tried|started using|started taking)',
    '(chewed|ate|eaten|swallowed|licked|drank|drunk|used|eating|chewing) ~8 (being|been|is|was|keeps being|kept being) (really|very)? (sick|ill|unwell)',
  ],
  hazard: [
    '(fire|safety|choking|electrical|health|burn) hazard',
    '(toxic|dangerous|unsafe|hazardous|poisonous)',
    '(carbon monoxide|co|gas) (alarm|alarms|detector|detectors|leak|leaking) ~3 (went off|going off|goes off|keeps going off|sounded|beeping|triggered)',
    'carbon monoxide (leak|leaking|poisoning|in the|coming)',
  ],
};

/** Hazards whose words count only outside questions ("is the paint toxic?" is not an incident). */
const STATEMENT_ONLY = new Set<SafetyHazard>(['hazard']);

const CONDITION = / (?:if|in case|whether|what if|supposing) /;
const OTHER_PRODUCT = / (?:(?:a |another |other |different )(?:brand|brands|make|company|shop|retailer|product)|elsewhere|(?:years|months) ago) /;
const BURN_IN = /^ burn (?:them |it |the [^ .,!?]+ )?in /;

/** the sentence of tokenText up to position at */
function sentenceBefore(text: string, at: number): string {
  let k = at;
  while (k > 0 && !(text.charCodeAt(k - 1) === 32 && /[.!?]/.test(text[k - 2] ?? ''))) k--;
  return text.slice(Math.max(0, k - 1), at + 1);
}

function sentenceAround(text: string, at: number): string {
  let end = at + 1;
  while (end < text.length && !/[.!?]/.test(text[end]!)) end++;
  return `${sentenceBefore(text, at)}${text.slice(at + 1, end)} `;
}

/** the sentence holding position at ends with "?" */
function endsAsked(text: string, at: number): boolean {
  for (let k = at; k < text.length; k++) {
    const c = text[k]!;
    if (c === '?') return true;
    if (c === '.' || c === '!') return false;
  }
  return false;
}

const HYPOTHETICAL = / (?:if|in case|should|suppose|supposing|what happens) (?:[^ .!?]+ ){0,6}$/;

const COMPILED = compileTagged((Object.keys(PATTERNS) as SafetyHazard[]).map((h) => [h, PATTERNS[h]] as const));
/** the words each pattern needs (for its three raw patterns, given here in PATTERNS order) */
const GATE = compileGate(
  (Object.keys(PATTERNS) as SafetyHazard[]).flatMap((h) => PATTERNS[h]),
  [
    'swelled|bulged|ballooned|swollen|bulging battery|batteries|power|powerbank',
    'battery|batteries|power|powerbank|charger|charging|laptop|ebike|e|scooter|vape swollen|swelling|swelled|swell|swells|puffy|puffed|bulging|bulged|bulge|bulges|bloated|ballooned|expanded|hissing|smoking',
    'burn|burns|blister|blisters|scald|scalds|welt|welts',
    'choking',
    'sick|ill|unwell',
  ],
);

/** False when findSafety(tokenText(toks)) is certainly empty (no pattern has all the words it needs). */
export function maySafety(toks: readonly string[], hashes: readonly number[]): boolean {
  return gateOpen(GATE, toks, hashes);
}

/** The patterns findSafety() may match in a text made of these tokens (openPatterns key), or null when none. */
export function safetyPatterns(toks: readonly string[], hashes: readonly number[]): string | null {
  return openPatterns(GATE, toks, hashes);
}

/** Words without which no safety pattern can match (a cheap per-message pre-filter). */
export const SAFETY_CUES: readonly string[] = [
  ...'bulged zaps jolts giving gives gave give swollen swelling swelled swell swells puffed puffing puffy bulging bulge bulges bloated expanded expanding ballooned hissing hissed hisses leaking smoking exploded explode explodes exploding overheats overheating overheated melted melting hot warm'.split(
    ' ',
  ),
  ...'glass metal plastic staple staples wire hair hairs stone stones screw bolt insect insects bug bugs maggot maggots worm worms mould mold shard shards splinter needle pin nail bone rubber fly cockroach mouse rat mouldy moldy rotten contaminated crawling'.split(
    ' ',
  ),
  ...'burn burned burnt burns burning scalded scalding scald scalds blistered blister blisters welt welts boiling blistering'.split(' '),
  ...'smell smells smelled smelt smelling stink stinks stank reek reeks blackened scorched charred scorch sparked sparking sparks spark black'.split(' '),
  ...'smoke flames flame caught catch catches catching fire set started starting began begun could would might nearly almost cracked shattered burst went'.split(
    ' ',
  ),
  ...'shock shocks jolt zap electric electrical electrocuted electrocute electrocuting shocked zapped jolted tingled tingling tingle touched touching touch live'.split(
    ' ',
  ),
  ...'allergic anaphylaxis anaphylactic epipen epi antihistamine antihistamines hives broke break breaking broken rash rashes came come comes coming lips face eyes eyelids throat tongue cheeks skin neck hands mouth eye lip reacted reacting reaction reactions'.split(
    ' ',
  ),
  ...'trouble difficulty difficulties struggling struggled struggle hard problems cant couldnt cannot unable can nose still kept keep been wheezing wheezy fumes fume'.split(
    ' ',
  ),
  ...'swallowed swallowing inhaled choked choking gagging gagged put putting puts had stuck out'.split(' '),
  ...'cut sliced gashed slashed split grazed bruised fractured sprained twisted trapped crushed pinched needed needing need got getting get has have with left bleeding bled blood it this that which they the was were badly seriously fell fallen collapsed tipped toppled gave injured injury injuries a er emergency urgent hospital doctors doctor paramedics ambulance vet vets poison gp went go going gone rushed rushing taken took take taking way drove driving ended admitted sent called calling phoned phone snapped'.split(
    ' ',
  ),
  ...'vomiting vomited vomit threw throwing thrown diarrhoea diarrhea food poisoned poisoning nausea nauseous all feel feeling felt became made sick ill unwell stomach tummy making makes'.split(
    ' ',
  ),
  ...'toxic dangerous unsafe hazardous poisonous hazard'.split(' '),
  ...'swelled bulged ballooned red mark marks grabbed held picked chipped tooth teeth'.split(' '),
];

export interface SafetyFinding {
  hazard: SafetyHazard;
  /** the words that matched */
  match: string;
}

/** Safety incidents in one message's tokenText (see pattern.ts), in PATTERNS order. */
export function findSafety(text: string, open?: string | null): SafetyFinding[] {
  const found: { tag: SafetyHazard; match: string; at: number }[] = [];
  matchTagged(COMPILED, text, found, open);
  const out: SafetyFinding[] = [];
  for (const f of found) {
    if (STATEMENT_ONLY.has(f.tag) && inQuestion(text, f.at + 1)) continue;
    // "is the chew toy safe if swallowed?": a hypothetical asked about, not an incident
    if (HYPOTHETICAL.test(text.slice(Math.max(0, f.at - 40), f.at + 1)) && inQuestion(text, f.at + 1)) continue;
    // "if it gives me a reaction, would I be able to return it?": a condition asked about
    if (CONDITION.test(sentenceBefore(text, f.at)) && endsAsked(text, f.at)) continue;
    // "I had a reaction once to a different brand", "burn them in for 50 hours": not this product, not harm
    if (OTHER_PRODUCT.test(sentenceAround(text, f.at)) || BURN_IN.test(text.slice(f.at, f.at + f.match.length + 8))) continue;
    out.push({ hazard: f.tag, match: f.match });
  }
  return out;
}
