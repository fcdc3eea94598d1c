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
import { compileGate, compileTagged, gateOpen, inQuestion, isSentenceMark, matchTagged, openPatterns } from './pattern.ts';

const BODY =
  '(hand|hands|arm|arms|forearm|forearms|finger|fingers|fingertip|fingertips|nail|nails|toe|toes|thumb|palm|wrist|skin|leg|legs|knee|ankle|ankles|foot|feet|face|cheek|cheeks|forehead|chin|nose|lip|lips|eye|eyes|eyelid|eyelids|head|neck|shoulder|shoulders|elbow|elbows|hip|hips|rib|ribs|jaw|shin|shins|chest|tummy|belly|back|mouth|gum|gums|tongue|throat|scalp|ear|ears|paw|paws|tail)';
/** body parts of the harmed-part shape (cheeks and eyes swollen after a cream are told as an allergy instead) */
const HARMED_PART =
  '(hand|hands|arm|arms|finger|fingers|nail|nails|toe|toes|thumb|palm|wrist|skin|leg|legs|knee|foot|feet|face|lip|lips|eye|eyes|head|neck|chest|back|mouth|tongue|throat|scalp|ear|ears|paw|paws|tail|ankle|elbow|shoulder|shoulders|hip|forehead|cheek|jaw|nose|belly)';
/** the way an injured body part is told: "my arm is red and stinging", "her paw is swollen" */
const HARMED =
  '(blistered|blistering|stinging|burning|raw|swollen|bruised|bleeding|throbbing|scalded|cut open|red and sore|red and stinging|red and swollen|red and burning|red and blistered|red and raw|red and throbbing)';
/** products whose failure is itself a danger: a buckle that snapped while driving, a stair gate that gave way */
const SAFETY_CRITICAL =
  '(car seat|buckle|harness|brake|brakes|helmet|stair gate|baby gate|safety gate|cot|crib|high chair|highchair|pram|pushchair|stroller|buggy|ladder|smoke alarm|smoke detector|seatbelt|seat belt|child lock|railing|bannister|banister|bed rail|car seat base|isofix|child seat|booster seat|carabiner|karabiner|climbing rope)';
/** a regex gap word (no marker) */
const GAP = '[^ .,!?]+';
/** what may stand between a safety-critical product and its failure but is not its structure: its box, its cover, a part or a design on it */
const NOT_STRUCTURE =
  '(?:box|boxes|packaging|package|parcel|bag|case|cover|covers|label|sticker|stickers|print|decal|tag|visor|peak|basket|canopy|hood|manual|insert|pad|pads|padding|liner|cushion|fabric|mesh|tray|toy|toys|mirror|light|bell|pouch|pocket|logo|paint|cam|camera|mount|was fine|came in|comes in|arrived in|shipped in|packed in|wrapped in)';
/** what a bone or a limb is told as when it is broken after the word ("our dog's leg is broken"): bones, a pet's paw or tail */
const BREAKABLE =
  '(rib|ribs|collarbone|collar bone|wrist|wrists|skull|kneecap|cheekbone|ankle|ankles|elbow|arm|arms|leg|legs|nose|finger|fingers|toe|toes|jaw|hip|pelvis|shoulder|hand|foot|knee|paw|paws|tail)';
/** what may follow a cracked bone: a break or a linking word, not a noun it names ("toe nail", "wrist guard", "skull cap") */
const AFTER_BONE = '(,|and|from|in|on|after|when|while|but|so|confirmed|now|too|as|last|yesterday|today|this|that|which|because|thanks|lol)';
/** bones a person cracks (not lips, heels or skin, which crack dry) */
const BONE =
  '(rib|ribs|collarbone|collar bone|wrist|wrists|skull|vertebra|vertebrae|sternum|kneecap|cheekbone|cheek bone|ankle|elbow|arm|leg|nose|finger|fingers|toe|toes|jaw|hip|pelvis|shoulder|bone|bones)';
const WHO =
  '(my|his|her|their|our|me|him|us|them|myself|himself|herself|themselves|son|daughter|kid|kids|child|children|baby|toddler|wife|husband|partner|mum|mom|dad)';
const POWER = '(battery|batteries|power bank|powerbank|charger|charging case|phone|laptop|ebike|e bike|scooter|vape|cell|cells)';
const ELECTRIC = '(plug|plugs|socket|sockets|outlet|cable|cord|lead|wire|wires|adapter|adaptor|charger|extension|power strip|fuse|switch)';
const FOOD =
  '(food|jar|bar|bars|meal|bread|cereal|granola|yogurt|yoghurt|sauce|drink|bottle|can|salad|soup|sandwich|chocolate|cookie|cookies|biscuit|biscuits|snack|snacks|kibble|pouch|milk|formula|pasta|rice|cake|pizza|juice|coffee|tea|honey|jam|crisps|chips|nuts|fruit|water|puree|purée|dinner|lunch|breakfast|mouthful|bite|packet|tin|cheese|meat|chicken|fish|burger|sausage|sausages|pie|oats|porridge|flour|curry|noodles|sweets|gummies|loaf|passata|pouches|treats|tablets|pills|capsules)';
const FOREIGN =
  '(glass|metal|plastic|staple|staples|wire|hair|hairs|stone|stones|screw|bolt|insect|insects|bug|bugs|maggot|maggots|worm|worms|mould|mold|shard|shards|splinter|needle|pin|nail|bone|rubber|fly|cockroach|mouse|rat)';

/** things not made to be eaten, chewed or drunk (a child or a pet who did is poisoned or choking) */
const NOT_EDIBLE =
  '(glue|superglue|nail glue|lash glue|polish|nail polish|remover|acetone|detergent|bleach|pod|pods|laundry pod|laundry pods|dishwasher tablet|dishwasher tablets|battery|batteries|magnet|magnets|hair dye|dye|paint|perfume|serum|lotion|shampoo|conditioner|toothpaste|antifreeze|slug pellets|rat poison|weedkiller|silica gel|desiccant)';

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
  | 'gas or chemical leak'
  | 'failure while in use'
  | 'wrong or contaminated medicine'
  | 'medical care after use'
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
    // the device named sentences before "it's puffed up" / "the case has bulged": "I bought a power bank in January (order …). It's puffed up"
    're: (?:battery|batteries|power bank|powerbank|laptop|phone|vape|ebike|e bike|scooter)(?: [^ ]+){0,40}? (?:it|the case|the casing) (?:(?:has|is|was|now|gone|got|started|to|quite|really|very|all|slightly|a bit) ){0,3}(?:puffed|puffy|swollen|swelled|bulging|bulged|ballooned|bloated) ',
    // a device's casing pushed out from inside: "the casing has started to bulge out at the sides"
    '(casing|housing|battery cover|back cover|back panel) ~4 (bulge|bulges|bulging|bulged|swollen|swelling|puffing|puffed|expanding|expanded|ballooning|ballooned)',
    // pushed apart from inside, the sign of a swelling battery: "the back panel started lifting at the corner", "the screen is being pushed up from the frame"
    // (not "the screen protector is lifting", "the sticker on the back is lifting")
    '(back panel|back cover|battery cover|rear panel|rear cover|back glass) ~3 (lifting|lifted|lifts|pushed up|pushed out|pushing up|pushing out|popping out|popped out|separating|separated|coming away|came away)',
    '(screen|display|trackpad|touchpad) (is|was|has|being|been|now|getting|started|keeps)? ~2 (pushed up|pushed out|pushing up|pushing out|popping out|popped out|separating|separated|coming away|came away|lifting away|lifted away) ~3 (from|off)',
    `${POWER} ~6 too|very|really|extremely|super|scorching|burning hot|warm`,
    `${POWER} ~6 hot to the? touch`,
    `${POWER} ~6 (is|are|gets|got|get|getting|was|became|becomes) hot $`,
  ],
  'foreign object in food': [
    `(piece|pieces|bit|bits|chunk|shard|shards|fragment|fragments) of ${FOREIGN} ~8 (in|inside|into|within|among|from) ~4 ${FOOD}`,
    `${FOOD} ~10 (there was|there were|found|find|noticed|spotted) ~4 (piece|pieces|bit|bits|chunk|shard|shards|fragment|fragments) of ~2 ${FOREIGN}`,
    `(piece|pieces|bit|bits|chunk|shard|shards|fragment|fragments) of ~2 ${FOREIGN} (inside|in it|in there|in them)`,
    `${FOREIGN} ~6 (in|inside|into|within|among|from) ~4 ${FOOD}`,
    // "a small piece of wire, like from a brush, in the protein bar"
    `re: (?:piece|pieces|bit|bits|chunk|shard|shards|fragment|fragments|sliver) of (?:${FOREIGN.slice(1)} [^.!?]{0,60}?(?:in|inside) (?:[^ .,!?]+ ){0,3}(?:${FOOD.slice(1)} `,
    `(found|find|there was|there were|there is|bit into|crunched|biting) ~4 ${FOREIGN} ~3 (in|inside|into)`,
    `${FOOD} ~6 (had|has|contained|contains|with) ~3 (glass|metal|staple|wire|hair|insect|bug|maggot|mould|mold|shard|plastic)`,
    `(mouldy|moldy|rotten|contaminated|maggots|maggot) ~5 ${FOOD}`,
    '(black|green|white|grey)? (mould|mold|mildew) (inside|in|on|growing|all over|everywhere|under)',
    `${FOOD} ~4 (mouldy|moldy|rotten|contaminated|crawling)`,
    // "found a hard clear sharp piece in my son's apple pouch"
    `(found|find|noticed|spotted|there was) ~4 (hard|sharp|clear|pointed|jagged) ~3 (piece|pieces|bit|bits|fragment|fragments|chunk|shard|sliver) ~2 (in|inside) ~5 ${FOOD}`,
    // "I bit into something hard in the granola"
    '(bit|bite|biting|crunched|chewed) (into|on|down on) ~2 (something|a|an|some) ~1 (hard|sharp|metal|metallic|plastic|glass)',
    // "black flakes in the water", "metal shavings in the sauce"
    `(black|metal|metallic|plastic|silver|rubber|glass) (flakes|flake|particles|specks|shavings|fragments|slivers|sliver) ~4 (in|inside|into|floating|from|among) ~4 ${FOOD}?`,
    '(gunk|slime|sludge|fungus|mildew) (inside|in|growing|all over|on)',
    `(weevils|weevil|larvae|moths|ants|beetles|slugs|snail) ~4 (in|inside|among|crawling|all through)`,
  ],
  burn: [
    `burn|burned|burnt|burns|burning|scalded|scalding|scald|blistered ${WHO}`,
    `(burn|burns|blister|blisters|scald|scalds|burnt|burned|welt|welts|red mark|red marks) (on|across|to) ${WHO}? ~1 ${BODY}`,
    // "she touched it and has a red mark": the mark a hot thing leaves
    '(touched|touching|grabbed|held|picked up) ~6 (red mark|red marks|blister|blisters|burn|burns|burnt|burned)',
    're:(?:have|has|got|had|left|leaving|gave|given|causing|caused) (?:a |an |some |me a |him a |her a |us a |them a )(?:[^ .,!?]+ ){0,2}(?:burn|burns|blister|blisters|scald|scalds|welt|welts) (?!cream |gel |spray |ointment |kit |dressing )',
    `(boiling|hot|scalding) (water|oil|steam|tea|coffee|liquid|wax) ~5 (over|on|onto|into|across) ${WHO}`,
    `${BODY} ~3 (burnt|burned|blistered|scalded|blistering|burning)`,
    `${WHO} ${BODY} (is|was|are|were|went|looks|feels|felt|still|now)? ~2 (stinging|throbbing|blistering|blistered|weeping)`,
    '(sprayed|splashed|spilled|spat|squirted|shot|poured) ~4 (boiling|scalding|hot) (water|oil|stock|soup|liquid|steam|wax|milk|coffee|tea|fat)',
    '(chemical|nasty|bad|severe|serious|deep|first degree|second degree|third degree|minor) (burn|burns|scald|scalds)',
    `(${WHO}|i|he|she|we|they) (have|has|had)? been (burnt|burned|scalded)`,
    `${BODY} ~4 (blisters|blister|blistered|blistering|weeping|peeling|red raw|raw and)`,
    // a body part that has burns or blisters, the hedge of an unsure or casual writer kept: "my scalp has like burns now"
    // (not asked ahead: "will my scalp have burns if …?")
    `re: (?<!(?:will|would|could|can|might|may|does|do|did) )(?:my|his|her|their|our) (?:${BODY.slice(1)} (?:has|have|had|got) (?:(?:got|now) )?(?:(?:like|some|actual|real|little|small|tiny|big|bad|red) )?(?:burns|blisters|scalds|welts) `,
    // "Burned the back of my hand"
    `(burned|burnt|scalded|blistered) (the)? (back|palm|side|top|tip|tips|inside|front) of (my|his|her|their|our) ${BODY}`,
  ],
  'burning smell or scorching': [
    // past a comma or a dash: "getting very hot — one section has melted its cover"
    '(so|too|very|extremely|really|got|gets|getting|became) hot ,? ~8 (warped|melted|melting|deformed|scorched|charred|burnt|burned|blistered|bubbled|bubbling|caught fire|smoking)',
    '(so|too|very|extremely|really|got|gets|getting|became) hot ~10 (went|gone|turned|going|turning) (soft|brown|black|gooey)',
    '(melted|warped|deformed|scorched|fused) ~4 (onto|into|on|to) ~3 (table|desk|bed|carpet|floor|surface|counter|worktop|bedside|pillow|sofa|sheet|sheets|duvet)',
    'burning smell|smells|smelled|odour|odor',
    '(smell|smells|smelled|smelt|smelling|stink|stinks|stank|reek|reeks) ~2 (of|like)? (burning|burnt|burned|smoke|melting|melted|electrical|plastic|rubber|gas)',
    '(scorching|red hot|too hot to touch|too hot to hold)',
    '(too|so) hot to (touch|hold)',
    // "left scorch marks on the wardrobe", "burn marks on the rug"
    '(scorch|burn|scorched|burnt|burned|singe|singed|melt) (mark|marks|patch|patches)',
    'hot enough to (melt|burn|scorch|warp|blister|singe)',
    `${ELECTRIC} ~6 (blackened|scorched|charred|melted|melting|burnt|burned|sparked|sparking|sparks|smoking|black mark|black marks|scorch marks)`,
    `(blackened|scorched|charred|scorch) ~4 (${ELECTRIC}|table|counter|worktop|wall|carpet|floor|desk|shelf|through)`,
    `(melted|melting) ~4 (${ELECTRIC}|through)`,
    '(sparked|sparking|sparks|spark) ~4 (when|while|from|out|and|as)',
    'black mark|marks ~4 (socket|outlet|plug)',
    '(burnt|burned|burning|electrical|melting) (plastic|rubber|electrical|wire|wires|metal|dust)? (smell|smells|odour|odor|stench)',
    're: (?:a bit of|some|a puff of|a wisp of|lots of|a plume of|a cloud of|a lot of|thick|black|acrid) smoke (?!alarm|alarms|detector|detectors|machine|grey|gray|glass|tint)',
    '(smell|smells|smelled|smelt|smelling) (like|of) (hot|overheating) (electrics|electrical|wires|wiring|plastic|metal)',
    '(scorched|singed|charred) (the|a|my|our|their|his|her|part of|through)',
    `${ELECTRIC} ~4 (discoloured|discolored|discolouration|discoloration)`,
    '(lid|top|cap|door|seal|valve|glass) (blew|flew|shot|burst) (off|open|out)',
    // "the USB plug went pop and there was a flash", "the socket is a bit black"
    `${ELECTRIC} ~6 (went|goes|go|going) (pop|bang|boom)`,
    '(a|big|loud|bright|blue) (flash|bang) (from|out of|came|inside|when|as|and)',
    `${ELECTRIC} ~4 (gone|turned|went|going|turning|a bit|slightly|all) (black|brown|soft)`,
    // "one's plug got really hot, the casing's gone soft": a plug or socket too hot to be normal
    `${ELECTRIC} (got|gets|getting|gone|went|was|is|became) (really|very|so|too|extremely|dangerously|scarily|burning|boiling)? hot ,? (and)? (the|its|it)? (casing|case|housing|plastic|cover|pins|prongs) (has|had|is|was)? (gone|turned|went|going|turning|got|gotten)? (soft|brown|black|warped|melted|melting|discoloured|discolored)`,
  ],
  'smoke or fire': [
    '(smoke|flames|flame) (came|coming|started|poured|pouring|billowed|billowing|rose|everywhere|out of|from|got)',
    'caught|catch|catches|catching (fire|alight|flame|flames)',
    // not a body part on fire ("my eyes are on fire", "my feet are on fire after the hike": a burning feeling, read as irritation or a symptom)
    're: (?<!(?:eye|eyes|throat|skin|mouth|tongue|lips|face|feet|foot|hands|hand|legs|nose|ears|scalp|chest|stomach|tummy|back|muscles|calves|thighs|arms|shoulders|knees|gums) (?:(?:is|are|was|were|feel|feels|felt|r|literally|still|now|absolutely|totally|all|just|like) ){1,2})on fire ',
    '(burst|bursting|went|go|goes|going) up? (in|into) (flames|flame)',
    'set ~4 (on fire|alight|ablaze)',
    '(started|starting|began|begun) to? (smoke|smoking|burn|burning|melt|melting|spark|sparking)',
    '(could|would|might) have ~4 (fire|burned|burnt|exploded|killed|crushed|hurt|injured|hit|landed)',
    '(nearly|almost) ~3 (fire|burned down|burnt down|exploded|set)',
    '(flame|flames) ~3 (huge|massive|enormous|out of control|too big|spread)',
    '(cracked|shattered|exploded|burst) ~3 (from|because of|due to) the? heat',
    'exploded|explode|explodes|exploding',
    '(it|charger|battery|plug|cable|device|phone|laptop|appliance|heater|machine|unit|thing|socket|adapter) (was|is|started|kept|keeps)? (smoking|sparking|popping|crackling|hissing|fizzing)',
    // the fire brigade called or come, not a leaflet "from the local fire brigade"
    '(called|call|calling|rang|phoned|ring|came|arrived|attended|get|got|had) ~3 fire (brigade|service|department)',
    'fire (brigade|department) ~2 (came|arrived|attended|was called|were called|turned up|put|said|says|told|had to)',
    '(flames|flame|sparks|smoke|fire) (shot|shooting|leapt|leaping|burst|bursting|flew|flying)',
    '(full of|filled with|fills with|filling with) smoke',
    '(tripped|trips|tripping|blew|blown|blowing) (the|a|my|our)? (fuse|fuses|breaker|breakers|electrics|circuit|trip switch)',
    'fire|smoke alarm|alarms went|go|goes off',
    // "it set off the smoke alarm in the meeting room": something that smoked enough to be detected (not "a smoke alarm I bought")
    `(it|this|${ELECTRIC}|heater|radiator|fan|lamp|kettle|toaster|appliance|device|unit|machine|battery|laptop) (has|had|just)? (set|sets|setting|triggered|triggers|triggering) off? (the|a|our|my|their|both)? (fire|smoke) (alarm|alarms|detector|detectors)`,
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
    // "gives current when you touch the steel body"
    '(gives|giving|gave|give|passing|passes|leaking|leaks|carrying|carries) (off)? (a|an)? (electric|electrical|small|slight|mild)? current ~8 (touch|touched|touching|body|metal|casing|handle|steel)',
    // "got a little shock off the metal side", "felt a slight jolt when I touched it"
    '(got|get|gets|getting|had|felt|feel|feeling|received) ~4 (shock|shocks|jolt|jolts|zap) ~4 (off|from|when i touched|when touching|touching|touched|through)',
    `${BODY} (is|was|has been|keeps)? (still)? (tingled|went numb|numb|tingling)`,
    '(blue|white|bright|orange|big|saw a) (flash|flashes|spark) ~3 (inside|from|in|out|when|behind)',
    '(arcing|arced)',
    // "got a little shock off the metal side"
    '(got|get|gets|getting|had|felt|feel|feeling) (a|an)? (little|slight|mild|small|tiny|nasty|real|proper|sharp)? (shock|shocks|jolt|zap|zaps) (off|from|through)',
    '(got|get|gets|getting|had|received|took) (a|an) (little|slight|mild|small|tiny|nasty|real|proper|sharp|big)? (jolt|zap|electric shock)',
    `(${BODY}) (went|felt|feels|was|is|goes|has gone) (numb|dead|tingly|tingling)`,
    // "I got a shock right up my arm"
    '(got|felt|had|received) (a|an) (electric|small|big|nasty|sharp|real)? (shock|jolt) (right)? (up|through|in|into|down) (my|his|her|their) (arm|arms|hand|hands|fingers|body|leg|wrist)',
  ],
  'allergic reaction': [
    'allergic reaction|reactions',
    '(anaphylaxis|anaphylactic|epipen|epi pen|antihistamine|antihistamines|hives|adrenaline)',
    // "my cheeks have come up in blisters"
    '(came|come|comes|coming|flared|flaring) up in (blisters|blister|a rash|rash|rashes|hives|welts|spots|lumps|bumps|red)',
    '(broke|break|breaking|broken) out in',
    '(rash|rashes) (on|all over|across)',
    '(came|come|comes|coming) out in a? (rash|rashes|hives|spots|blisters)',
    `(lips|face|eyes|eyelids|throat|tongue|cheeks|skin|neck|hands|mouth|eye|lip|earlobes|earlobe|ears) ~4 (swollen|swelled|swelling|swell|puffy|puffed|itchy|itching|red and|blotchy|peeling|blistering)`,
    `(swollen|swelled|swelling|puffy|itchy|blotchy) ~3 (lips|face|eyes|eyelids|throat|tongue|cheeks|neck|skin)`,
    '(reacted|reacting) ~3 (to|after|badly|right|immediately|straight)',
    `(${WHO}) ~3 (reacted|reacting)`,
    '(having|had|have|has|a|an|severe|bad|serious) (skin|nickel|latex|metal|contact|allergic)? (reaction|reactions) (to|after|from)?',
    'reaction to|after|from',
  ],
  'breathing difficulty': [
    '(trouble|difficulty|difficulties|struggling|struggled|struggle|hard|problems) ~2 (breathing|breathe|to breathe)',
    '(cant|couldnt|cannot|unable to|could not|can not) ~1 breathe',
    'throat ~3 (tight|tightening|closing|swelling|swollen|burning)',
    // one eye as two, the symptoms listed past a comma: "my eye is red, watering nonstop"
    '(eye|eyes|nose|throat) ~3 (sting|stinging|stung|burn|burning|watering|streaming|on fire)',
    're: (?:eye|eyes) (?:[^ .,!?]+ ){1,3}, (?:and )?(?:watering|streaming|stinging|burning) ',
    '(still|started|kept|keep|been) (coughing|wheezing|choking)',
    'wheezing|wheezy',
    '(fumes|fume) ~4 (made|making|gave|dizzy|headache|sick|nauseous)',
  ],
  'choking or swallowing': [
    '(swallowed|swallowing|inhaled|choked|gagging|gagged)',
    '(throat|mouth|gums|tongue) (is|was|feels|felt|are|has been|now)? (sore|bleeding|cut|scratched|swollen|burning|hurting|raw)',
    're: choking (?!hazard )',
    // not "puts": "a toddler who still puts things in his mouth" is a habit, not something that happened
    `(put|putting|had|stuck) ~3 (in|into|inside) (his|her|their|my|the) (mouth|nose|ear|throat)`,
    `out of (his|her|their|my) (throat|mouth|airway)`,
    // "one of the beads came loose and was in my daughter's mouth"
    `(was|were|ended up|got) in (his|her|their|my|our) (baby|son|daughter|toddler|kid|child|babys|sons|daughters|toddlers|kids|childs|dog|dogs|puppy|puppys|cat|cats) (mouth|throat)`,
    // "the toggle came off in my son's mouth", "a bead broke off into her mouth"
    're: (?:came off|came loose|came out|fell off|fell out|broke off|snapped off|pulled off) (?:[^ .,!?]+ ){0,2}(?:in|into) (?:his|her|their|my|our) (?:(?:baby|son|daughter|toddler|kid|child|dog|puppy|cat) )?(?:mouth|throat) ',
    // a small part found in a child's mouth: "the bead came out … found it in her mouth"
    '(found|find|noticed|spotted|discovered|caught) ~4 in (his|her|their|my|our) (mouth|throat)',
    // something not made to be eaten, chewed or drunk: "has been chewing on the nail glue", "the dog licked the bleach"
    // the thing is what was chewed, only determiners and one word between ("licked the laundry detergent"): not "ate lunch while the nail polish dried"
    `(chewing|chewed|chew|eating|eaten|ate|drank|drunk|drinking|licked|licking|sucking|sucked|swallowed) (on|at|up)? (the|some|a|an|her|his|my|their|your|our|its)? (of)? (the|her|his|my|their|your|our)? ~1 ${NOT_EDIBLE}`,
    `(cord|cords|string|strap|ribbon|chain) ~6 (around|round) ~2 (his|her|their|my|the|baby|toddler) ~1 neck`,
    `(button|coin|hearing aid|watch) (battery|batteries|cell|cells) ~8 (missing|loose|came out|fell out|baby|toddler|child|son|daughter|kid|mouth)`,
    // a small child into batteries, pills or magnets: "my daughter's 3 yr old … got into my hearing aid batteries"
    '(toddler|baby|child|kid|grandson|granddaughter|grandchild|yr old|year old|son|daughter|puppy|dog) ~6 (got into|got hold of|chewed) ~3 (batteries|battery|pills|tablets|medication|medicine|magnets|detergent|pods)',
  ],
  injury: [
    `(cut|sliced|gashed|slashed|split|grazed|bruised|broke|broken|fractured|sprained|twisted|trapped|crushed|pinched) ${WHO}? ~1 ${BODY}`,
    // not "cut open the box" nor "the bag was split open": open only with a person's body part (above)
    `(cut|sliced|gashed|slashed) (myself|himself|herself|themselves|${WHO})`,
    '(needed|needing|need|got|had|getting|get) ~2 (stitches|stiches|a cast|surgery|an x ray|x rays|an xray|glued|a tetanus)',
    `(has|have|had|got|with|left|leaving) (a|an|some)? (nasty|big|huge|bad|deep|small)? (bruise|bruises|cut|cuts|gash|bump|lump|wound|scar|black eye)`,
    '(bleeding|bled|blood everywhere|blood all over)',
    '(chipped|cracked|broke|broken|lost) (a|my|his|her|their|our)? ~1 (tooth|teeth|molar|molars|filling|crown|veneer)',
    `(it|this|that|which|they|the) ~3 (hurt|injured|cut|hit|struck|fell on|trapped|crushed|pinched) (me|my|him|her|us|them|his|our|their)`,
    '(got|was|were|been|badly|seriously) (hurt|injured)',
    '(got|was|were|been|get|gets) (hit|struck|clipped|run over|knocked down|knocked over|bitten|stung|trapped|pinned)',
    // someone fell: "the strap snapped and he fell" is read below with who fell (not "the stitching came apart and the buckle fell off")
    '(snapped|broke|gave way|failed|came apart|came loose|collapsed) ~6 (fall|ran|run|injured|hurt|hit|into the road|loose)',
    '(cough|coughing|temperature|fever|rash|headache|headaches|nosebleed|nosebleeds) (since|after|ever since|from using|from the|from it|from this|from these|from your|from wearing|from eating|from drinking|from taking)',
    // the symptom, then who got it from the product: "the rash I got from these tablets" (not "a rash from those cheap earrings", told before buying)
    '(rash|rashes|hives|headache|headaches|nosebleed|nosebleeds) (i|he|she|we|they|my|our) (son|daughter|kid|baby|wife|husband)? (got|had|have|has|developed|get|gets) (from|after|since) (these|this|your|taking|using|eating|wearing)',
    '(i|he|she|we|they|son|daughter|kid|child) (fell|came) off',
    '(fell|fallen|collapsed|tipped|toppled|gave way) ~3 (on|onto) (me|my|him|her|us|them|his|our|their)',
    '(injured|injury|injuries)',
    `${BODY} (got)? (trapped|crushed|caught|stuck|pinched|jammed|squashed|slammed)`,
    `(got|gets|get|had) (his|her|my|their|our) ${BODY} (trapped|crushed|caught|stuck|pinched|jammed|squashed|slammed)`,
    '(shattered|exploded|burst) (while|when|on its own|by itself|spontaneously|in my hand|in his hand|in her hand|in use|during use)',
    '(shards|splinters|broken glass) ~2 (all over|everywhere|floor|kitchen|food|carpet|bed)',
    // not "my vet said to switch his food" nor "the doctor asked me to": advice is not harm
    '(a e|a and e|emergency room|urgent care|hospital|doctors|doctor|paramedics|ambulance|vet|vets|poison control|poison centre|gp|pediatrician|paediatrician|nurse) ~4 (now|today|tonight|last night|yesterday|because|after|thinks|confirmed|needs|needed|examined|prescribed)',
    '(went|go|going|gone|rushed|rushing|taken|took|take|taking|way|drove|driving|ended up|admitted|sent|called|calling|phoned|phone|rung|rang|ring|ringing|dialled|dialed) ~3 (the|to|an|a)? (a e|a and e|emergency room|urgent care|hospital|doctors|doctor|paramedics|ambulance|vet|vets|poison control|111|911|999)',
    'stuck|trapped|caught between the? (bars|slats)',
    `(cut|sliced|gashed|slashed) (across|into|through|open|deep into|right into|the tip of|the side of|the inside of) ${WHO}? ${BODY}`,
    // "cut across the back of my hand"
    `re: (?:cut|sliced|gashed|slashed|scraped) (?:(?:across|into|through|open|deep|right|the|top|tip|side|back|inside|base|of) ){1,4}(?:my|his|her|their|our) (?:${BODY.slice(1)} `,
    `(hand|hands|finger|fingers|thumb) (slid|slipped) ~3 (blade|onto|into|down the)`,
    '#num (stitches|stiches|steri strips|staples in)',
    '(concussion|concussed|fractured|sprained|dislocated)',
    // a bone a person now has cracked ("broken" and "fractured" are read above): "I've got two cracked ribs", "cracked his wrist" (not "cracked lips",
    // "my heels are cracked"); the bone ends the phrase, so not "a cracked toe nail", "a cracked wrist guard"
    `(i|he|she|we|they|${WHO}) (have|has|had|now have|now has|ended up with)? (got)? #num? cracked ${BONE} $`,
    `(i|he|she|we|they|${WHO}) (have|has|had|now have|now has|ended up with)? (got)? #num? cracked ${BONE} ${AFTER_BONE}`,
    `cracked (my|his|her|their|our) #num? ${BONE} $`,
    `cracked (my|his|her|their|our) #num? ${BONE} ${AFTER_BONE}`,
    `(bump|bumps|cut|cuts|bruise|bruises|gash|graze|grazes|lump|scratch|scratches|wound) (on|across|to|under|above) (his|her|my|their|our|the baby) ~1 ${BODY}`,
    '(grazes|scrapes|bruises) (and|on|all over|to|everywhere)',
    '(i|he|she|they|we|son|daughter|kid|kids|child|children|baby|toddler|wife|husband|partner|mum|mom|dad|gran|grandad|grandma|nan|nephew|niece|dog|cat|puppy) ~2 (fell|fallen|tumbled|crashed) (through|off|out of|down|onto|from)',
    '(coming|came|falling|fell) out in (clumps|handfuls|chunks)',
    `${BODY} (is|was|are|went|gone|now|all)? (scabby|crusty|oozing|cracked and bleeding)`,
    '(nearly|almost|didnt|did not) (swallow|swallowed|choke|choked|inhaled)',
    `(${WHO}|i|he|she|they|we) (is|was|am|are|were|got|been|left)? (badly|quite|really|all|a bit)? (bruised|winded|grazed|black and blue)`,
    `(dropped|fell|collapsed|gave way|snapped|broke|tipped|folded) with (${WHO}|me|him|her|us|them) ~2 (on it|in it|on board|inside|on them|in them|on|in)`,
    `${WHO} ${BODY} (was|were|got|is|are|been|became)? (wedged|trapped|crushed|caught|stuck|pinched|jammed|squashed|slammed)`,
    `(hit|struck|smacked|whacked) (${WHO}|him|her|me) ~3 (in|on) the (face|head|eye|eyes|mouth|nose|chest)`,
    `(snapped|collapsed|gave way|broke) ~6 (${WHO}) ~3 (fell|stuck|trapped|hurt|bruise)`,
    // a failure, then someone hurt in the same or the next sentence: "the legs gave out at 2am and the whole thing dropped. my gf hurt her back"
    `re: (?:gave out|gave way|collapsed|snapped|broke|caved in|came apart|fell apart|buckled) (?:[^ .!?]+ ){0,10}(?:[.!] )?(?:[^ .!?]+ ){0,6}(?:hurt|injured|bruised|banged|jarred|wrenched|cut|hit|crushed|trapped) (?:my|his|her|their|our) (?:${BODY.slice(1)} `,
    // a harmed body part: "my arm is red and stinging", "her paw is swollen"
    `(my|his|her|their|our|the|dogs|cats) ${HARMED_PART} (is|was|went|looks|feels|turned|got|has gone|has been|are|were)? (all|very|really|badly|bright)? ${HARMED}`,
    '(limping|limps|cant walk|cannot walk|cant put weight|can not walk)',
    '(buckled|collapsed|gave way|snapped|broke|tipped|wobbled|slid|folded|failed|came apart|came loose) ~8 (i|he|she|we|they|son|daughter|kid|child|toddler|baby|mum|mom|dad|gran|nan|grandma|grandad|grandpa|wife|husband|partner|friend|mate|brother|sister|dog|puppy|cat) (fell|slipped|tripped|went flying)',
    `${SAFETY_CRITICAL} ~1 (snapped|broke|failed|gave way|came undone|came loose|collapsed|cracked|fell apart|sheared|buckled|released|popped open|gave out)`,
    // folding is what a pram or a ladder is made to do ("stroller folded dimensions?"): only folding on someone or in use
    `${SAFETY_CRITICAL} ~1 folded (up|in)? (on|onto|while|when|with|mid|suddenly|unexpectedly|itself|by itself|on its own|without warning)`,
    '(lid|door|top|cap|glass|screen|bottle|valve) (blew|flew|shot|exploded|burst|popped) (off|open|out)',
    // a person's or a pet's bone told broken after the word, its owner named and the cause told after it: "our dog's leg is broken,
    // the crate door fell on it" (not "the table leg is broken", "my dog's leg warmer has a broken zip", "the doll arrived and her arm is broken",
    // "her legs are broken on the doll")
    `re: (?:my|his|her|our|dog|dogs|cat|cats|puppy|kitten|pup|son|daughter|kid|child|baby|toddler|wife|husband|partner|mum|mom|dad) (?:${BREAKABLE.slice(1)} (?:(?:is|was|are|were|got|now|has been|have been|badly) ){0,2}(?:broken|crushed) (?!on the |on my |on her |on his |of the )(?:[^.!?]{0,60}? )?(?:fell|fallen|slammed|slams|landed|tipped|toppled|collapsed|snapped|gave way|dropped|closed|shut|swung|trapped|caught) `,
    // the same bone told broken after a crash or a fall off a ride: "we crashed and his arm is broken", "she came off and her wrist is
    // fractured" (the cause before the break; not "the doll fell and her arm is broken": a crash or coming off is a ride's)
    `re: (?:crashed|crash|came off|come off|thrown off|flew off|went over the handlebars|accident) (?:[^.!?]{0,40}? )?(?:my|his|her|our|their) (?:${BREAKABLE.slice(1)} (?:(?:is|was|are|were|got|now|has been|have been|badly) ){0,2}(?:broken|fractured) `,
  ],
  'sickness after use': [
    '(heart|pulse) ~3 (pounding|racing|thumping|beating fast|skipping|fluttering|palpitations|going crazy)',
    '(chest|heart) (is|was|feels|felt|feeling|has been)? (tight|tightness|pain|pains|hurting|hurts|pounding|racing|heavy)',
    'chest (pain|pains|tightness)',
    '(vomiting|vomited|vomit|threw up|throwing up|thrown up|diarrhoea|diarrhea|food poisoning|poisoned|poisoning|nausea|nauseous)',
    '(upset|sore|bad|dodgy|funny|runny) (stomach|stomachs|tummy|tummies|poo|poos)',
    // "she was sick three times after dinner"
    '(was|been|were|being|is|are|got) (sick|ill) (#num times|twice|again|everywhere|all night|overnight|all over|since)',
    '(vet|vets|doctor|doctors|hospital|they|gp) (has|have|had|put) (her|him|them|me|us|my) ~1 on (fluids|a drip|antibiotics|steroids|oxygen)',
    '(cant|couldnt|cannot|could not|can not) keep (anything|food|water|it|milk) down',
    // a pet or a child who ate some of it, then signs of poisoning: "my spaniel ate some of the pellets … now he's drooling and can't stand"
    '(ate|eaten|licked|chewed|drank|swallowed) ~14 (vomiting|seizure|seizures|fitting|collapsed|twitching|foaming|convulsing|(cant|cannot|can not|couldnt) (stand|walk|breathe))',
    '(feeling|feels|felt|feel|is|was|went|been|gone|am|are|got|get|gets|getting|she|he|shes|hes|im|theyre) (very|really|so|a bit|quite|all)? (dizzy|faint|lightheaded|light headed|woozy|drowsy)',
    '(nosebleed|nosebleeds|bleeding|bleed) ~3 (wouldnt|would not|wont|will not|didnt|did not|doesnt|cant|couldnt) stop',
    `(${WHO}|i|he|she|they|we) (nearly|almost|then|just)? (passed out|fainted|blacked out|lost consciousness|had a seizure|had a fit)`,
    're:(?:got|get|getting|gotten|became|fell|all|made (?:me|us|him|her|them)) (?:very |really |so )?(?:sick|ill|unwell) (?!of |and tired )',
    '(sick|ill|unwell) (after|since|from) ~3 (eating|drinking|using|taking|ate|drank|the|your|it|we|i|they|opening)',
    '(stomach|tummy) ~3 (ache|pain|cramps|upset|bug)',
    '(made|making|makes) (me|us|him|her|them|my) ~2 (sick|ill|dizzy|faint)',
    // a symptom since using the product: "a headache and dizziness since using the plug-in"
    '(headache|headaches|dizziness|dizzy|migraine|migraines|nausea|sore throat|itching|itchy|rash|blisters|stinging|numbness|sore eyes|cough|coughing|wheezing|breathless|palpitations|sick|ill|unwell|on fire) ~6 (since|after|from) ~2 (using|use|eating|drinking|taking|wearing|applying|putting|installing|plugging|opening|ate|drank|used|wore|applied|opened|installed|plugged|took|tried|started using|started taking)',
    '(chewed|ate|eaten|swallowed|licked|drank|drunk|used|eating|chewing) ~8 (being|been|is|was|keeps being|kept being) (really|very)? (sick|ill|unwell)',
  ],
  'gas or chemical leak': [
    '(gas|fuel|petrol|propane|butane) (smell|smells|odour|odor|stench)',
    '(gas|fuel|petrol|propane|butane|chemical|chemicals|acid|coolant) (leak|leaks|leaking|leaked|escaping)',
    '(leaking|leaked|leaks|leak|oozing|oozed) ~3 (gas|fuel|chemical|chemicals|acid|battery acid|coolant)',
    '(connection|canister|valve|hose|cylinder|regulator|tank|seal|pipe|nozzle|stove|bottle) ~3 (hiss|hisses|hissing|hissed)',
  ],
  'failure while in use': [
    // a safety-critical product that failed structurally, named a few words before: "the helmet you sold cracked in half", "the
    // climbing harness tore at the seam" (not asked: "does the ladder split in two?"; not a designed separation: "split apart into the seat and
    // carrycot"; not its box, its cover or a part that is not its structure: "the car seat cover split at the seam", "the
    // cardboard the car seat came in split apart"; nor a test shown: "the helmet cracked in half test video")
    `re: (?<!(?:does|do|can|will|would|could|should|might|may) (?:the|a|this|that|your|my|our|its) )(?:${SAFETY_CRITICAL.slice(1, -1)}) (?:(?!${NOT_STRUCTURE} )${GAP} ){0,4}(?:cracked|split|snapped|tore|torn|ripped|broke|sheared) (?:in half|in two|apart|clean through|right through|down the middle|at the seam|at the seams|along the seam|along the seams) (?!into |test |tests |video |videos |demo |footage |clip |photo |photos |review |reviews )`,
    // or failed while in use: "the helmet we bought cracked on his first ride", "the harness ripped during his climb" (the failure
    // straight before the use, so not "the helmet we bought broke in nicely on his first ride", "the helmet cam snapped some great shots")
    `re: (?:${SAFETY_CRITICAL.slice(1, -1)}) (?:(?!${NOT_STRUCTURE} )${GAP} ){0,4}(?:cracked|split|snapped|tore|torn|ripped|broke|sheared) (?:(?:open|apart|off|completely|suddenly|clean through|right through) )?(?:on|during|while|mid|halfway through) (?:(?:his|her|my|their|our|the|a) )?(?:(?:first|second|very first|last) )?(?:ride|climb|trip|drive|journey|fall|crash|descent|run|outing|use|driving|climbing|riding|cycling) `,
    '(shelf|shelves|mirror|bracket|brackets|tv|television|wardrobe|cabinet|bookcase|light fitting|ceiling light|curtain pole|pole|canopy) ~2 (came down|fell down|fell off|came off the wall|pulled out of the wall|came away from the wall|crashed down|collapsed)',
    '(landed|fell|crashed) (on|onto) (my|his|her|their|our) ~1 (son|daughter|kid|baby|toddler|child|bed|cot|crib|head|pillow)',
    '(let go|gave way|came off|came loose|came undone|snapped|failed|detached|sheared) (on|while|when|during|going|halfway|at) ~2 (downhill|descent|hill|motorway|speed|ride|stairs|ladder|climb|junction|roundabout)',
    // "the car seat buckle released by itself while driving"
    '(buckle|buckles|harness|seatbelt|seat belt|stair gate|safety gate|safety catch|child lock) ~4 (released|unbuckled|unclipped|unlatched|popped open|came undone|came open|gave way|let go|opened)',
    '(brake|brakes) (failed|stopped working|gave out|went|locked|didnt work|did not work)',
    '(released|unclipped|unlatched|unbuckled|came undone|gave way|collapsed|folded up|dropped|dropped down|slid down|came loose|fell down) (by itself|on its own|itself|suddenly|without warning)',
    // "a leg gave way while my dad was sitting on it", "the frame collapsed in on her"
    '(snapped|collapsed|gave way|folded up|came apart|broke apart|buckled|tipped over|toppled over|sheared|let go) ~6 (while|when|with) ~4 (using|in use|sitting|sat|standing|stood|climbing|riding|driving|cycling|chopping|cutting|lifting|playing|sleeping|pouring|on it|in it|in them)',
    '(collapsed|folded|caved) (in on|down on|on top of) (me|him|her|us|them|my|his|our|their)',
    // furniture tipping over as a child pulls or climbs on it: "it tipped over on sunday when my 4 year old pulled the drawers out"
    '(tipped|toppled|fell) (over|forward|forwards) ~4 (when|while|as|after|with) (my|our|his|her|their|the)? (son|daughter|kid|kids|child|children|baby|toddler|grandson|granddaughter|little one|boy|girl)',
    '(tipped|toppled|fell) (over|forward|forwards) ~4 (when|while|as|after|with) (my|our|his|her|their|the)? #num (year|yr|years) old',
  ],
  'wrong or contaminated medicine': [
    '(contained|contains|containing|had|has|in|inside|with|were|was) (different|wrong|the wrong) (pills|tablets|capsules|medication|medicine|medicines)',
    // "my mum took two before we noticed", "drank tea for a week before seeing it"
    '(took|taken|swallowed|ate|eaten|drank|drunk|fed|eating|drinking) ~6 (before|until) (we|i|she|he|they|anyone) (noticed|realised|realized|saw|spotted|seeing|noticing|found)',
  ],
  'medical care after use': [
    '(went|go|going|gone|rushed|taken|took|take|taking|drove|driving|ended up|admitted|sent|in|at) (to)? (the)? (er|casualty|minor injuries|eye clinic|urgent care)',
    '(emergency|out of hours) (vet|vets|dentist|doctor|gp|department)',
    '(poison|poisons) (line|control|centre|center|helpline|hotline|unit)',
    '(nurse|nhs|medical) (line|helpline|hotline)',
    '(called|calling|phoned|phoning|rang|ringing|call|ring) (111|911|999|nhs 111|an ambulance|the ambulance|the doctor|the gp|the vet|our vet|our gp|the nurse|the pharmacist)',
    're: (?:pharmacist|dentist|dermatologist|allergist|consultant|midwife|paramedic|paramedics|gp|doctor|doctors|vet|nurse) (?:[^ .,!?]+ ){0,3}(?:diagnosed|examined|prescribed|dressed|treated|sedated|stitched|(?:checked|looked) (?:him|her|me|them|us) over|(?:said|says|thinks|reckons) (?:it|that|this) (?:looks|looked|is|was) like) ',
    '(had|did|does|needs|need|needed|got|getting|wants to|want to|for) (an|a)? (xray|x ray|ecg)',
    '(xrayed|x rayed|stitched up|bandaged up)',
    // "He's on a drip", "she's been on oxygen since"
    '(he|she|they|hes|shes|theyre|is|been|now|still) (on) (a drip|fluids|oxygen)',
    // "The vet says the symptoms look like metaldehyde"
    '(vet|vets|doctor|doctors|gp|hospital|nurse) (says|said|thinks|reckons) (the|his|her|their|these)? (symptoms|signs) (look|looks|looked|are|point|suggest)',
  ],
  hazard: [
    '(fire|safety|choking|electrical|health|burn) hazard',
    '(toxic|dangerous|unsafe|hazardous|poisonous)',
    '(carbon monoxide|co|gas) (alarm|alarms|detector|detectors|leak|leaking) ~3 (went off|going off|goes off|keeps going off|sounded|beeping|triggered)',
    'carbon monoxide (leak|leaking|poisoning|in the|coming)',
  ],
};

/** Hazards whose words count only outside questions ("is the paint toxic?" is not an incident). */
const STATEMENT_ONLY = new Set<SafetyHazard>(['hazard', 'medical care after use']);

const CONDITION = / (?:if|in case|whether|what if|supposing) /;
// "months ago" dates another incident, unless it dates the purchase: "the power bank I bought from you 2 months ago is swelling"
const OTHER_PRODUCT =
  / (?:(?:a |another |other |different )(?:brand|brands|make|company|shop|retailer|product)|elsewhere|(?<!(?:bought|ordered|purchased|got|received|delivered|arrived|came)(?: [^ .,!?]+){0,4} )(?:years|months) ago|last year|years back) /;
/** the customer's old one, replaced by what they ask about: "the old one snapped a pole and nearly collapsed on us, so how does this one cope with wind?" */
const OLD_ONE = / (?:(?:my|our|his|her|their) old [^ .,!?]+|the old (?:one|ones)) /;
const BURN_IN = /^ burn (?:them |it |the [^ .,!?]+ )?in /;
/** "battery swelling, is that covered by warranty? asking before I buy": a general question, nothing happened */
const BEFORE_BUYING =
  / (?:before (?:i |we )?(?:buy|buying|order|ordering|purchase|purchasing|get|getting)|thinking (?:of|about) (?:buying|getting|ordering)|planning to (?:buy|order|get)|in general|generally) /;

/** the sentence of tokenText up to position at */
function sentenceBefore(text: string, at: number): string {
  let k = at;
  while (k > 0 && !(text.charCodeAt(k - 1) === 32 && isSentenceMark(text, k - 2))) k--;
  return text.slice(Math.max(0, k - 1), at + 1);
}

function sentenceAround(text: string, at: number): string {
  let end = at + 1;
  while (end < text.length && !isSentenceMark(text, end)) end++;
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
/** what follows a hazard named in a rule or a rating: "fire hazard rule", "fire hazard certificate" */
const HAZARD_RULE =
  /^ ?(?:rule|rules|policy|policies|regulation|regulations|certificate|certification|certified|rating|rated|test|testing|tested|standard|standards|check|checks|assessment) /;
/** a hazard named only to avoid it: "no point setting the printer on fire", "I don't want to set anything on fire" */
const AVOIDED = / (?:no point|dont want to|do not want to|wouldnt want to|would not want to|dont wanna|to avoid|so as not to|without) (?:[^ .,!?]+ ){0,5}$/;

/**
 * A generic hazard word said of something that cannot hurt anyone: "dangerous info", "a dangerous
 * sale", "toxic positivity", "dangerous for my wallet" — a figure of speech, not an incident.
 */
const FIGURATIVE_HAZARD =
  /^ (?:info|information|news|knowledge|deal|deals|sale|sales|discount|discounts|offer|offers|price|prices|pricing|website|site|page|app|game|games|territory|question|questions|idea|ideas|habit|habits|thought|thoughts|words|combo|combination|positivity|relationship|relationships|mindset|levels of|amount of|for (?:my|the|our|your) (?:wallet|bank|bank account|bank balance|budget|finances|purse|savings|card))\b/;
/**
 * A hurt the customer got from somewhere else, told as the reason for a purchase: "a bit of a burn on
 * my shoulders from the weekend at the beach" — a day out, the sun, a holiday, a sport, not the product;
 * or a symptom of an illness: "my eyes are streaming with hay fever" (the pharmacy's customer).
 */
const OTHER_CAUSE =
  / (?:from|at|on|in|during|over|with|because of|due to|after) (?:the |my |our |a |an |this |that |last |all |too much )?(?:weekend|holiday|holidays|vacation|sun|sunshine|beach|trip|day out|festival|hike|hiking|gym|workout|summer|heatwave|sunbathing|seaside|skiing|slopes|camping|hay fever|hayfever|pollen|allergies|a cold|the cold|cold|flu|the flu|covid|a virus|sinusitis|sinuses|asthma|my asthma|running|a run|the run|marathon|my period|her hip|his hip|my hip|her knee|his knee|my knee|her op|his op|my op|her operation|his operation|my operation|surgery|her stroke|his stroke|a stroke|a fall|her fall|his fall)(?= (?:in|at|on|with|last|this|yesterday|today|lol|haha|and|but|so|[.,!?])(?: |$)| *$)/;
/** the customer ties the hurt to what they bought: "… on the weekend, using the grill I bought from you" */
const TIED_TO_PURCHASE = / (?:you|your|bought|ordered|purchased|sold|delivered) /;
/** a question about what to buy names "you" without tying anything to a purchase: "which drops do you recommend?" */
const ASKS_WHAT_TO_BUY = / (?:do|would|can|could) you (?:recommend|sell|have|stock|suggest|do|carry) /g;
function tiedToPurchase(sentence: string): boolean {
  return TIED_TO_PURCHASE.test(sentence.replace(ASKS_WHAT_TO_BUY, ' '));
}
function figurative(text: string, at: number, match: string): boolean {
  const m = text.indexOf(` ${match} `, at);
  if (m < 0) return false;
  const end = m + match.length + 1;
  return FIGURATIVE_HAZARD.test(text.slice(end, end + 40));
}
const HURT_BY_OTHER_CAUSE = new Set<SafetyHazard>(['burn', 'injury', 'breathing difficulty', 'sickness after use']);

// ── body words that are not a body: a part of the product, a design on it, an injury told as the reason to buy

/**
 * Someone (or a pet) a body word may belong to: a person word, a pronoun, a relative, a pet. Anything
 * else named as the owner of a body word is a thing ("the umbrella … ribs", "the chair … arm").
 */
const SOMEONE = new Set(
  (
    'i me my mine myself you your yours yourself he him his himself she her hers herself we us our ours ourselves they them their theirs themselves ' +
    'son sons daughter daughters kid kids child children childs baby babies toddler toddlers wife husband partner mum mom mummy mommy mother dad daddy father ' +
    'boy boys girl girls lad lass man woman guy fella bloke person people someone somebody everyone anyone friend friends mate mates ' +
    'brother brothers sister sisters gran granny grandma grandmother nan nana grandad grandpa grandfather grandson granddaughter grandchild grandkids ' +
    'nephew niece aunt auntie uncle cousin hubby gf bf boyfriend girlfriend fiance fiancee colleague neighbour neighbor flatmate roommate customer guest ' +
    'teenager teen youngest eldest oldest little one ones old year years yr half twins twin ' +
    'dog dogs doggy puppy pup puppies cat cats kitten kittens pet pets horse pony rabbit bunny hamster guinea pig bird parrot thing'
  ).split(' '),
);
/** body words that also name a part of a thing: an umbrella's ribs, a chair's arm or back, a bottle's neck, a shoe's tongue */
const PART_WORD =
  /^(?:rib|ribs|arm|arms|leg|legs|back|neck|head|foot|feet|face|nose|tongue|lip|lips|eye|eyes|ear|ears|toe|toes|heel|heels|mouth|spine|shoulder|shoulders|elbow|knee|hip|tail|hand|hands|finger|fingers|teeth|tooth|skin|chest|belly)$/;
/** words of a side, a size or a place that may stand between "broken" and a body word ("a broken left arm") */
const NOT_AN_OWNER =
  /^(?:left|right|front|back|upper|lower|little|poor|tiny|small|big|middle|index|ring|pinky|baby|fore|hind|top|bottom|both|other|same|two|three|four|#num|a|an|the|one|few|couple|of|some|several|bad|badly)$/;
/** a thing named as the subject that has or came with the body word: "the umbrella arrived with two", "my umbrella has a", "it came with a" */
const THING_HAS =
  / (?:(?:the|my|our|this|that|your|his|her|their|its) ((?:[^ .,!?]+ ){0,2}?[^ .,!?]+)|(it)) (?:(?:has|had|have|was|is|just|now|already|also|both) )?(?:arrived|came|turned up|showed up|has|had|have|got|was delivered|is|was)(?: with| in)?(?: (?:a|an|one|two|three|four|#num|some|several|of|its|the|few|couple|bent|and|already|badly))* $/;
/** a thing named after the body word: "ribs of the tent frame", "ribs on the frame" (not a side: "on the left") */
const OF_THING = /^ (?:of|on|in|from) (?:the|its|this|that|my|our|your) ((?:[^ .,!?]+ ){0,2}?[^ .,!?]+) /;

/** someone told hurt elsewhere in the message: "… and so has the shell, he hit his head hard" */
const HARM_TOLD =
  / (?:hit|hurt|hurts|cut|injured|injury|bleeding|bled|bruised|bruise|fell|fallen|landed|knocked|trapped|crushed|pinched|concussion|concussed|hospital|doctor|ambulance|a e) /;
/** a body word of any kind (BODY, BONE): an owner that is itself a body part is no thing */
const BODY_WORD = new RegExp(` (?:${BODY.slice(1, -1)}|${BONE.slice(1, -1)}) `);

/** "the first ones", "the new one": a thing, not "the little ones" */
const THING_ONE = /^(?:first|second|third|new|other|replacement|original|last|previous|earlier|these|those|spare|next)$/;

function someone(words: string): boolean {
  const ws = words.split(' ');
  for (let k = 0; k < ws.length; k++) {
    const w = ws[k]!;
    if (w === '' || !SOMEONE.has(w)) continue;
    if ((w === 'one' || w === 'ones') && THING_ONE.test(ws[k - 1] ?? '')) continue;
    return true;
  }
  return false;
}

/**
 * A body word naming a part of a product, the product its owner ("the umbrella arrived with two broken
 * ribs", "broken umbrella ribs", "two broken ribs on the frame of the umbrella"): no person or pet in
 * the match, the owner a thing — the subject having it, the word right before it, or a thing it is of
 * or on — and, but for a subject that has it, no person or pet told before it in the sentence.
 */
function partOfProduct(text: string, at: number, match: string): boolean {
  const words = match.split(' ');
  let body = -1;
  for (let k = words.length - 1; k >= 0; k--)
    if (PART_WORD.test(words[k]!)) {
      body = k;
      break;
    }
  if (body < 0 || someone(match)) return false;
  const before = sentenceBefore(text, at);
  if (HARM_TOLD.test(text.slice(0, at + 1)) || HARM_TOLD.test(text.slice(at + match.length + 1))) return false;
  const owner = THING_HAS.exec(before);
  // the owner is no person, pet or body part ("his foot has two broken toes")
  if (owner !== null) return !someone(owner[1] ?? owner[2] ?? '') && !BODY_WORD.test(` ${owner[1] ?? ''} `);
  if (someone(before)) return false;
  // "broken umbrella ribs": the word right before the body word
  const prev = words[body - 1];
  if (body >= 2 && prev !== undefined && !NOT_AN_OWNER.test(prev) && !BODY_WORD.test(` ${prev} `)) return true;
  const end = text.indexOf(` ${match} `, at);
  if (end < 0) return false;
  const after = OF_THING.exec(text.slice(end + match.length + 1, end + match.length + 80));
  return (
    after !== null && !someone(after[1]!) && !BODY_WORD.test(` ${after[1]!} `) && !/^(?:left|right|side|other|same|one|top|bottom|front|back)\b/.test(after[1]!)
  );
}

/**
 * The injury told as the reason to buy something, then a question before buying ("my kid has a broken
 * arm so we need a sling-friendly jacket, which size?", "since my husband fractured his hip we need a
 * raised seat, which one fits?"): nothing in the message before the need tells a cause (a failure, a
 * fall, "when", "after", the product bought or sold), and the need is no refund or replacement.
 */
const NEED =
  /^(?: [^ .,!?]+){0,4}?(?: ,)?(?: so| and so| which is why| thats why| that is why)(?: (?:we|i|he|she|they|hes|shes|im|were|theyre))?(?: (?:am|are|is|will|ll|d|would|now|really|also|re|m|s|just|urgently)){0,2} (?:need|needs|want|wants|looking for|after|shopping for|going to need|hoping to find|trying to find|searching for|like|buying|getting) /;
const SINCE_NEED =
  /^ (?:since|because|as|now that|now) [^.!?]*? (?:we|i|he|she|they)(?: (?:will|ll|now|really|also|are|am|is|re|m)){0,2} (?:need|needs|want|wants|looking for|after|shopping for) /;
const TOLD_CAUSE =
  / (?:when|while|after|falling|fell|fall|off|from|using|used|riding|playing|snapped|snap|collapsed|gave|came|split|tipped|toppled|tripped|slipped|exploded|burst|shattered|hit|it|its|this|that|which|you|your|sold|bought|ordered|purchased|delivered|arrived|because of|due to|thanks to|caused|product|item|order) /;
const NEED_PUT_RIGHT =
  / (?:refund|replacement|return|compensation|money back|complaint|claim|exchange|report|doctor|hospital|gp|vet|help|answers|advice|to know|to talk|to speak|someone|somebody|a call|contact|urgent|urgently) /;
/** the question is one asked before buying: a size, a fit, a choice, what is stocked */
const PRE_SALE =
  / (?:size|sizes|sizing|fit|fits|fitting|recommend|recommended|stock|sell|do you do|do you have|available|which|what|colour|colours|color|colors|suitable|come in|comes in|work with|best|good for) [^.!]*\?/;
/** a cause told after the need: "… which size? it happened when the slide you sold us collapsed" */
const CAUSE_AFTER =
  / (?:when|while|after|happened|caused|because|snapped|collapsed|gave way|split|fell|falling|tipped|toppled|slipped|kicked|jammed|broke|cracked|burst|exploded|shattered|failed|came off|came apart|sold|bought|ordered|from you|your) /;
/** a product failing in the match itself ("ladder gave way"): no injury told as a reason */
const FAILED = / (?:gave|snapped|collapsed|failed|came|split|tipped|toppled|released|sheared|buckled|exploded|burst|shattered|fell|folded) /;
function reasonToBuy(text: string, at: number, match: string): boolean {
  if (text.indexOf('?', at) < 0) return false;
  const end = text.indexOf(` ${match} `, at);
  if (end < 0 || FAILED.test(` ${match} `)) return false;
  const matchEnd = end + match.length + 1;
  const sentence = sentenceAround(text, at);
  let needAt: number;
  const so = NEED.exec(text.slice(matchEnd, matchEnd + 90));
  if (so !== null) needAt = matchEnd + so[0].length - 1;
  else if (SINCE_NEED.test(sentence)) {
    const start = text.lastIndexOf(sentence.trimEnd(), at + 1);
    needAt = start < 0 ? -1 : start + (SINCE_NEED.exec(sentence)?.[0].length ?? 0);
    if (needAt < matchEnd) return false;
  } else return false;
  // what is told before the need, the injury's own words taken out
  const told = `${text.slice(0, end + 1)}${text.slice(matchEnd, needAt + 1)}`;
  if (TOLD_CAUSE.test(told)) return false;
  const need = text.slice(needAt);
  return !NEED_PUT_RIGHT.test(`${need.split(/[.!?]/)[0]!} `) && !CAUSE_AFTER.test(need) && PRE_SALE.test(need);
}

/** what names a design on a product: a print, a pattern, a logo, a decal */
const DESIGN =
  '(?:print|prints|printed|pattern|patterns|patterned|logo|logos|decal|decals|sticker|stickers|graphic|graphics|design|designs|motif|motifs|emblem|emblems|badge|badges|transfer|transfers|artwork|applique|embroidery|embroidered|charm|charms|tag|tags|icon|icons|emoji|shaped|shape)';
/** a design on the product named just before the failing product: "the skull print on my (bike) helmet" */
const DESIGN_ON = new RegExp(` ${DESIGN} (?:on|of|from) (?:the|my|our|his|her|their|your|this|that|its|a|an)(?: [^ .,!?]+)? $`);
/** a body word naming a design: "a broken hand print", "the skull logo", "a bone shaped tag" */
const BODY_AS_DESIGN = new RegExp(`^ ${DESIGN} `);
/** what "snapped" takes when it means took a picture: "the helmet cam snapped some great shots on his first ride" */
const A_PICTURE =
  /^ (?:(?:some|a|an|few|loads of|lots of|tons of|couple of|great|amazing|awesome|nice|good|cool|epic|brilliant|stunning|beautiful|gorgeous|quick|more|the|his|her|my|our|their) ){0,3}(?:shot|shots|pic|pics|photo|photos|picture|pictures|selfie|selfies|snap|snaps|footage|image|images|still|stills|video|videos|clip|clips) /;

/** A failure told by "snapped" that is a picture taken ("the helmet cam snapped a few pics"), not a part that broke. */
function snappedAPicture(text: string, at: number, match: string): boolean {
  if (!match.endsWith(' snapped')) return false;
  const end = text.indexOf(` ${match} `, at);
  return end >= 0 && A_PICTURE.test(text.slice(end + match.length + 1));
}

function designOnProduct(text: string, at: number, match: string): boolean {
  if (HARM_TOLD.test(text)) return false;
  if (DESIGN_ON.test(sentenceBefore(text, at))) return true;
  const end = text.indexOf(` ${match} `, at);
  if (end < 0) return false;
  const words = match.split(' ');
  return PART_WORD.test(words[words.length - 1]!) && !someone(match) && BODY_AS_DESIGN.test(text.slice(end + match.length + 1, end + match.length + 40));
}

const COMPILED = compileTagged((Object.keys(PATTERNS) as SafetyHazard[]).map((h) => [h, PATTERNS[h]] as const));
/** every pattern, in PATTERNS order (the order of the gate and of the tagged expression) */
export const SAFETY_PATTERN_LIST: readonly string[] = (Object.keys(PATTERNS) as SafetyHazard[]).flatMap((h) => PATTERNS[h]);
/** the words each raw pattern needs, in PATTERNS order */
export const SAFETY_RAW_NEEDS: readonly string[] = [
  'swelled|bulged|ballooned|swollen|bulging battery|batteries|power|powerbank',
  'battery|batteries|power|powerbank|charger|charging|laptop|ebike|e|scooter|vape swollen|swelling|swelled|swell|swells|puffy|puffed|bulging|bulged|bulge|bulges|bloated|ballooned|expanded|hissing|smoking',
  'battery|batteries|power|powerbank|laptop|phone|vape|ebike|e|scooter it|case|casing puffed|puffy|swollen|swelled|bulging|bulged|ballooned|bloated',
  'piece|pieces|bit|bits|chunk|shard|shards|fragment|fragments|sliver of',
  'burn|burns|blister|blisters|scald|scalds|welt|welts',
  'has|have|had|got burns|blisters|scalds|welts',
  'smoke',
  'on fire',
  'eye|eyes watering|streaming|stinging|burning',
  'choking',
  'came|fell|broke|snapped|pulled in|into mouth|throat',
  'cut|sliced|gashed|slashed|scraped my|his|her|their|our',
  'gave|collapsed|snapped|broke|caved|came|fell|buckled hurt|injured|bruised|banged|jarred|wrenched|cut|hit|crushed|trapped my|his|her|their|our',
  'my|his|her|our|dog|dogs|cat|cats|puppy|kitten|pup|son|daughter|kid|child|baby|toddler|wife|husband|partner|mum|mom|dad rib|ribs|collarbone|collar|wrist|wrists|skull|kneecap|cheekbone|ankle|ankles|elbow|arm|arms|leg|legs|nose|finger|fingers|toe|toes|jaw|hip|pelvis|shoulder|hand|foot|knee|paw|paws|tail broken|crushed',
  'crashed|crash|came|come|thrown|flew|went|accident my|his|her|our|their rib|ribs|collarbone|collar|wrist|wrists|skull|kneecap|cheekbone|ankle|ankles|elbow|arm|arms|leg|legs|nose|finger|fingers|toe|toes|jaw|hip|pelvis|shoulder|hand|foot|knee|paw|paws|tail broken|fractured',
  'sick|ill|unwell',
  'car|buckle|harness|brake|brakes|helmet|stair|baby|safety|cot|crib|high|highchair|pram|pushchair|stroller|buggy|ladder|smoke|seatbelt|seat|child|railing|bannister|banister|bed|isofix|booster|carabiner|karabiner|climbing cracked|split|snapped|tore|torn|ripped|broke|sheared in|apart|clean|right|down|at|along',
  'car|buckle|harness|brake|brakes|helmet|stair|baby|safety|cot|crib|high|highchair|pram|pushchair|stroller|buggy|ladder|smoke|seatbelt|seat|child|railing|bannister|banister|bed|isofix|booster|carabiner|karabiner|climbing cracked|split|snapped|tore|torn|ripped|broke|sheared on|during|while|mid|halfway',
  'pharmacist|dentist|dermatologist|allergist|consultant|midwife|paramedic|paramedics|gp|doctor|doctors|vet|nurse',
];
const GATE = compileGate(SAFETY_PATTERN_LIST, SAFETY_RAW_NEEDS);

/** False when findSafety(tokenText(toks)) is certainly empty (no pattern has all the words it needs). */
export function maySafety(toks: readonly string[], hashes: readonly number[]): boolean {
  return gateOpen(GATE, toks, hashes);
}

/** The patterns findSafety() may match in a text made of these tokens (openPatterns key), or null when none. */
export function safetyPatterns(toks: readonly string[], hashes: readonly number[]): string | null {
  return openPatterns(GATE, toks, hashes);
}

/** Distinctive words of the safety patterns (signals/safety.ts): every pattern contains one. */
export const SAFETY_ANCHORS: readonly string[] = (
  'battery batteries bank powerbank charger phone laptop ebike scooter vape cell cells bulged zaps jolts giving gives gave give banged jarred wrenched ' +
  'lifting lifted lifts pushed pushing popping popped separating separated coming came pods tablets pills medication medicine magnets detergent nosebleed nosebleeds bleeding bleed ' +
  'glass metal plastic staple staples wire hair hairs stone stones screw bolt insect insects bug bugs maggot maggots worm worms mould mold shard shards splinter needle pin nail bone rubber fly cockroach mouse rat mouldy moldy rotten contaminated crawling ' +
  'burn burns burned burnt burning scald scalds scalded scalding blister blisters blistered blistering welt welts boiling ' +
  'smell smells smelled smelt smelling stink stinks stank reek reeks blackened scorched charred scorch melted melting sparked sparking sparks spark black ' +
  'smoke smoking flames flame fire alight ablaze exploded explode explodes exploding killed heat melt brigade alarm alarms shot shooting leapt leaping flew flying filled fills filling tripped trips tripping blew blown blowing fuse fuses breaker breakers electrics circuit plastic rubber gas scorching red mould mold mildew ' +
  'shock shocks jolt zap electric electrical electrocuted electrocute electrocuting shocked zapped jolted tingled tingling tingle live current ' +
  'allergic anaphylaxis anaphylactic epipen epi antihistamine antihistamines hives rash rashes spots swollen swelled swelling swell swells puffy puffed puffing bulging bulge bulges bloated expanded expanding ballooned hissing hissed hisses itchy itching blotchy peeling reacted reacting reaction reactions hot warm overheats overheating overheated leaking ' +
  'breathing breathe throat sting stinging stung watering streaming coughing wheezing wheezy fumes fume ' +
  'swallowed swallowing inhaled choked choking gagging gagged mouth nose ear airway ' +
  'nail nails toe toes caught jammed squashed slammed shattered burst shards splinters popping crackling fizzing cut cuts sliced gashed slashed grazed bruised broke broken fractured sprained twisted trapped crushed pinched stitches stiches cast surgery xray tetanus bruise bruises gash bump lump wound scar bleeding bled blood hurt injured injury injuries fell fallen off e emergency urgent hospital doctors doctor paramedics ambulance vet vets poison gp 111 911 999 bars slats snapped collapsed toppled tipped ' +
  'vomiting vomited vomit threw throwing thrown diarrhoea diarrhea poisoning poisoned nausea nauseous sick ill unwell stomach tummy dizzy faint hit struck clipped run knocked bitten stung pinned gave failed apart loose cough temperature fever headache headaches nosebleed nosebleeds pediatrician paediatrician nurse asked ' +
  'hazard toxic dangerous unsafe hazardous poisonous heart pulse chest warped deformed fused carbon monoxide co gas cord cords string strap ribbon button coin neck chipped tooth teeth filling crown mark marks grabbed held picked ' +
  'molar molars veneer er casualty minor clinic 111 flakes flake particles specks shavings slivers sliver weevils weevil larvae moths ants beetles slugs snail bit bite biting crunched chewed ' +
  'scald chemical degree minor severe serious deep been numb dead tingly slid slipped concussion concussed dislocated smacked whacked ' +
  'fuel petrol propane butane chemicals acid coolant leak leaks leaked escaping oozing oozed hiss buckle buckles harness seatbelt seat gate catch lock brake brakes released unclipped unlatched unbuckled undone folded apart buckled sheared let caved ' +
  'different wrong took taken ate eaten drank drunk fed eating drinking nhs line helpline hotline xray ecg xrayed stitched bandaged ' +
  'pharmacist dentist optician dermatologist allergist consultant midwife health paramedic paramedics lightheaded woozy drowsy passed fainted blacked seizure fit upset dodgy funny keep ' +
  'singe singed patch patches enough adrenaline flared flaring pop bang boom flash fragments weeping raw brown soft nearly almost lumps bumps break breaking gums split x ray rays rayed glued stuck steri staples stomachs tummies headed consciousness poisons tongue gunk slime sludge fungus runny poo poos twice fluids drip antibiotics oxygen out hours department winded grazed wedged dropped discoloured discolored discolouration discoloration singed lid sprayed splashed spilled spat squirted poured stinging throbbing steroids scraped hip hips rib ribs jaw shin shins grazes scrapes bruises tumbled crashed clumps handfuls chunks scabby crusty oozing swallow choke shelf shelves mirror bracket brackets tv television wardrobe cabinet bookcase pole canopy landed detached piece pieces chunk graze scratch scratches ceiling fitting fragment bits' +
  'ankle arced arcing banister bannister belly breathless buggy cap cheek chewing cot crib dizziness door elbow feel feeling felt flashes forehead helmet highchair isofix ladder licked limping limps migraine migraines numbness palpitations paw paws pram pushchair railing received shoulder shoulders stroller tail top valve walk weight' +
  ' piece pieces bit bits chunk fragment fragments sliver car stair baby safety high smoke seat child bed screen bottle sore' +
  ' puffing expanding ballooning casing housing prongs chew ate drank drinking licking sucking sucked cracked booster carabiner karabiner climbing'
).split(' ');

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
  ...'swallowed swallowing inhaled choked choking gagging gagged put putting puts had stuck out chewing chewed chew eating eaten ate drank drunk drinking licked licking sucking sucked'.split(
    ' ',
  ),
  ...'cut sliced gashed slashed split grazed bruised fractured sprained twisted trapped crushed pinched needed needing need got getting get has have with left bleeding bled blood it this that which they the was were badly seriously fell fallen collapsed tipped toppled gave injured injury injuries a er emergency urgent hospital doctors doctor paramedics ambulance vet vets poison gp went go going gone rushed rushing taken took take taking way drove driving ended admitted sent called calling phoned phone snapped'.split(
    ' ',
  ),
  ...'vomiting vomited vomit threw throwing thrown diarrhoea diarrhea food poisoned poisoning nausea nauseous all feel feeling felt became made sick ill unwell stomach tummy making makes'.split(
    ' ',
  ),
  ...'toxic dangerous unsafe hazardous poisonous hazard'.split(' '),
  ...'swelled bulged ballooned red mark marks grabbed held picked chipped tooth teeth tore torn ripped sheared'.split(' '),
];

export interface SafetyFinding {
  hazard: SafetyHazard;
  /** the words that matched */
  match: string;
  /** where the match starts in the tokenText (the space before it) */
  at: number;
}

/** Safety incidents in one message's tokenText (see pattern.ts), in PATTERNS order. */
export function findSafety(text: string, open?: string | null): SafetyFinding[] {
  const found: { tag: SafetyHazard; match: string; at: number }[] = [];
  matchTagged(COMPILED, text, found, open);
  const out: SafetyFinding[] = [];
  for (const f of found) {
    if (STATEMENT_ONLY.has(f.tag) && inQuestion(text, f.at + 1)) continue;
    if (f.tag === 'hazard' && figurative(text, f.at, f.match)) continue;
    // "a burn on my shoulders from the weekend in Brighton": hurt by something else, not by the product
    if (HURT_BY_OTHER_CAUSE.has(f.tag)) {
      const sentence = sentenceAround(text, f.at);
      if (OTHER_CAUSE.test(sentence) && !tiedToPurchase(sentence)) continue;
    }
    // "the umbrella arrived with two broken ribs": a body word naming a part of the product that owns it
    if (f.tag === 'injury' && partOfProduct(text, f.at, f.match)) continue;
    // "my kid has a broken arm so we need a sling-friendly jacket, which size?": an injury told as the reason to buy
    if (HURT_BY_OTHER_CAUSE.has(f.tag) && reasonToBuy(text, f.at, f.match)) continue;
    // "the skull print on my helmet has cracked": a design on the product, or a body word naming one ("a broken hand print")
    if (f.tag === 'injury' && designOnProduct(text, f.at, f.match)) continue;
    if (f.tag === 'injury' && snappedAPicture(text, f.at, f.match)) continue;
    // "my venue has a strict no fire hazard rule": a rule about hazards, not one
    if (f.tag === 'hazard' && HAZARD_RULE.test(text.slice(f.at + f.match.length + 1, f.at + f.match.length + 30))) continue;
    // "no point setting the office printer on fire on day one": a fire only imagined to avoid it
    if (f.tag === 'smoke or fire' && AVOIDED.test(text.slice(Math.max(0, f.at - 50), f.at + 1))) continue;
    // "is the chew toy safe if swallowed?": a hypothetical asked about, not an incident
    if (HYPOTHETICAL.test(text.slice(Math.max(0, f.at - 40), f.at + 1)) && inQuestion(text, f.at + 1)) continue;
    // "if it gives me a reaction, would I be able to return it?": a condition asked about
    if (CONDITION.test(sentenceBefore(text, f.at)) && endsAsked(text, f.at)) continue;
    // "I had a reaction once to a different brand", "burn them in for 50 hours": not this product, not harm
    if (OTHER_PRODUCT.test(sentenceAround(text, f.at)) || BURN_IN.test(text.slice(f.at, f.at + f.match.length + 8))) continue;
    if (endsAsked(text, f.at) && BEFORE_BUYING.test(text)) continue;
    // what the customer's old one did, told to ask about a new one (not one bought here: "my old one from you")
    if (endsAsked(text, f.at) && OLD_ONE.test(sentenceBefore(text, f.at)) && !tiedToPurchase(sentenceAround(text, f.at))) continue;
    // "does it get hot enough to burn designs?": what a tool can do, asked about
    if (f.match.startsWith('hot enough') && endsAsked(text, f.at)) continue;
    out.push({ hazard: f.tag, match: f.match, at: f.at });
  }
  return out;
}

// ── a device named in an earlier customer message, its hazard told in the next one:
//    "the power bank I bought in the spring looks weird." … "It's puffed up and the case has split."

/** Words that tell a power device swelling or overheating without naming it (signals/cues.ts SIG_SWELL). */
export const SWELL_WORDS: readonly string[] =
  'puffed puffy puffing swollen swelled swelling swell swells bulge bulges bulging bulged ballooned ballooning bloated expanding expanded hissing hissed smoking overheating overheated overheats'.split(
    ' ',
  );

/**
 * The hazard told of something named before: "it's puffed up", "the case has started to bulge", "it
 * keeps overheating". Only "it", "this", "the case/casing/back/cover" as the subject, so "the jacket
 * is puffed up" names its own subject and is not carried.
 */
const CARRIED_HAZARD =
  / (?:it|this|this thing|the whole thing|the case|the casing|the housing|the back|the back cover|the cover|the shell|the battery) (?:(?:has|is|was|s|now|just|gone|got|getting|become|became|started|starting|begun|began|to|quite|really|very|all|slightly|a bit|kind of|sort of|totally|completely|badly|been|be|keeps|kept|looks|look|looking|feels|feel|seems|seem) ){0,4}(?:puffed|puffy|puffing|swollen|swelled|swelling|(?<= to )swell|swells|bulge|bulges|bulging|bulged|ballooned|ballooning|bloated|expanding|expanded|hissing|hissed|smoking|overheating|overheated|overheats) /;
/** what the subject could stand for earlier in the same message ("The jacket came today. It's puffed up") */
const NAMED_BEFORE = / (?:the|my|this|that|a|an|our|his|her|their|your) [^ .,!?]+ /;
/** a power device named as the product ("the power bank I bought", "my laptop"); "on my phone", "phone number" are not the product */
const POWER_NAMED =
  / (?:battery|batteries|power bank|powerbank|charger|charging case|laptop|vape|ebike|e bike|scooter|hoverboard|(?<!(?:on|from|by|via|through|using|with|over) (?:my|the|your|a) )phone(?! (?:number|call|calls|app|line|case|cover|holder|stand|mount|screen|signal)))(?= )/;

/** How many earlier customer messages a named device is carried over. */
export const CARRY_MESSAGES = 2;

/**
 * A power device's swelling or overheating told in this message (tokenText) of a device named in one of
 * the customer's previous messages (tokenTexts, the latest last), or null. The subject must be "it" or
 * the device's casing and nothing may be named before it in this message, so "it" can only stand for
 * the earlier device; the same conditions and questions as findSafety() do not count.
 */
export function findCarriedSafety(text: string, earlier: readonly string[]): SafetyFinding | null {
  const m = CARRIED_HAZARD.exec(text);
  if (m === null) return null;
  if (NAMED_BEFORE.test(text.slice(0, m.index + 1))) return null;
  const at = m.index;
  if (HYPOTHETICAL.test(text.slice(Math.max(0, at - 40), at + 1)) && inQuestion(text, at + 1)) return null;
  if (CONDITION.test(sentenceBefore(text, at)) && endsAsked(text, at)) return null;
  if (OTHER_PRODUCT.test(sentenceAround(text, at))) return null;
  if (endsAsked(text, at) && BEFORE_BUYING.test(text)) return null;
  for (let k = earlier.length - 1; k >= 0 && k >= earlier.length - CARRY_MESSAGES; k--) {
    const before = earlier[k]!;
    const d = POWER_NAMED.exec(before);
    // "I had a power bank from another brand years ago": not this product
    if (d !== null && !OTHER_PRODUCT.test(sentenceAround(before, d.index)))
      return { hazard: 'battery swelling or overheating', match: `${d[0].trim()} … ${m[0].trim()}`, at };
  }
  return null;
}
