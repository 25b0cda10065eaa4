/**
 * English rule families. Each rule reads one clause and returns facts or preferences; values are the user's
 * clause rewritten in the third person so the nouns the user used stay searchable.
 */
import type { Clause } from './clause';
import {
  ARTIFACTS, BEHAVIOUR_VERBS, BODY_PARTS, CATEGORIES, DEVICES, FAMILY_EN, HOBBIES_EN, JOBS_EN, MATERIALS, NOT_JOBS_EN,
  PETS_EN, RISK_HIGH, RISK_LOW, STYLE_CUES, SYMPTOMS, TASTES, alternation,
} from './lexicon';
import { explicit, fact, implicit, rewrite, type Context, type ItemDraft, type Rule } from './model';
import { contentWords, cutPhrase, isPastVerb, lowerFirst, sentence, slug, thirdPersonEn, title } from './text';
import { resolveWhen } from './when';

const PLACE = String.raw`((?:[A-Z][\w'’.-]*)(?:\s+(?:[A-Z][\w'’.-]*|(?:of|de|la|del|upon)\b))*)`;
const REL = alternation(Object.keys(FAMILY_EN));
const PET = alternation(Object.keys(PETS_EN));
/** "puppy food", "cat litter": the pet word is a modifier, not the animal. */
const NOT_PET_HEAD = String.raw`(?!\s+(?:food|treats?|toys?|beds?|leash|collar|shampoo|kibble|snacks?|clothes|crate|cage|litter|bowls?|supplies|sitter|walker|insurance|grooming|park))`;
const HOBBY = alternation(HOBBIES_EN);
const JOB = alternation(JOBS_EN);
const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12 };
const NUM = String.raw`(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)`;

/** Capitalised words that follow "I am" but are not names. */
const NOT_NAMES = new Set(
  ('I Chinese American British English Canadian Australian Japanese Korean French German Spanish Italian Indian Russian ' +
    'Swedish Dutch Mexican Brazilian Irish Scottish Welsh Vietnamese Thai Filipino Indonesian Malaysian Singaporean ' +
    'Muslim Christian Catholic Jewish Buddhist Hindu Asian African European Sorry Back Fine Good Here Ok Okay Just Not ' +
    'So Very Really Still Also Now Done Ready Sure Happy Glad Excited Tired Busy Single Married Vegan Vegetarian ' +
    'Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August ' +
    'September October November December Is Are The A An In On At From Going Trying Looking Planning Thinking Always Never ' +
    'Sometimes Usually Definitely Totally Absolutely Super Pretty Kind Sort Proud Grateful Thankful Lucky Blessed Afraid ' +
    'Alright Available Free Home Late Early Great Well Ill Sick Hungry Cold Hot Bored Curious Nervous Interested Off ' +
    'Learning Working Doing Feeling Getting Hoping Trying Still Even Only Almost Already Currently').split(' '),
);

function isName(w: string | undefined): w is string {
  return !!w && /^[A-Z][a-z'-]+$/.test(w) && !NOT_NAMES.has(w);
}

function deviceSlot(text: string): string | undefined {
  return DEVICES.find(([re]) => re.test(text))?.[1];
}

function words(n: string): number {
  return NUMBER_WORDS[n.toLowerCase()] ?? Number(n);
}

// ---------------------------------------------------------------- profile: name, age, job, residence

/** "I am Alex, 28, backend dev in Hangzhou": the comma-separated parts after a name. */
function profileParts(c: Clause, ctx: Context, parts: string[]): ItemDraft[] {
  const out: ItemDraft[] = [];
  for (const raw of parts) {
    const p = raw.trim().replace(/^(?:and|a|an)\s+/i, '');
    const age = p.match(/^(\d{1,3})(?:\s*(?:years?|yrs?)(?:\s*old)?|\s*y\/?o)?$/i);
    if (age && Number(age[1]) > 0 && Number(age[1]) < 120) {
      out.push(ageFact(c, ctx, age[1]));
      continue;
    }
    const place = p.match(new RegExp(`^(?:(?:living|based|live)\\s+)?(?:in|from)\\s+${PLACE}$`));
    if (place) {
      const from = /^from/i.test(p);
      out.push(fact(c, ctx, from ? 'Hometown' : 'Location', `The user ${from ? 'is from' : 'is based in'} ${place[1]}.`, { stateKey: from ? 'hometown' : 'residence', tags: ['residence', 'location'] }));
      continue;
    }
    const job = p.match(new RegExp(`^((?:[\\w-]+\\s+){0,3}?(?:${JOB}))(?:\\s+(?:at|in|for)\\s+(.+))?$`, 'i'));
    if (job) {
      out.push(fact(c, ctx, 'Job', sentence(`The user works as ${article(job[1])} ${job[1]}${job[2] ? ` ${p.slice(job[1].length).trim()}` : ''}`, 'en'), { stateKey: 'job', tags: ['job'] }));
      const where = job[2]?.match(new RegExp(`^${PLACE}$`));
      if (where && p.match(/\bin\s/)) out.push(fact(c, ctx, 'Location', `The user is based in ${where[1]}.`, { stateKey: 'residence', tags: ['residence', 'location'] }));
      continue;
    }
    const hobby = p.match(new RegExp(`^(?:(?:I\\s+)?(?:play|plays|playing|love|likes?|enjoys?|into)\\s+)?(${HOBBY})$`, 'i'));
    if (hobby) out.push(fact(c, ctx, `Hobby: ${hobby[1]}`, `The user enjoys ${hobby[1]}.`, { stateKey: `hobby:${slug(hobby[1])}`, tags: ['hobby'] }));
  }
  return out;
}

function article(phrase: string): string {
  return /^[aeiou]/i.test(phrase) && !/^(?:uni|use|eu)/i.test(phrase) ? 'an' : 'a';
}

function ageFact(c: Clause, ctx: Context, age: string): ItemDraft {
  return fact(c, ctx, 'Age', `The user is ${age} years old.`, { stateKey: 'age', tags: ['age', 'person'] });
}

const ruleName: Rule = (c, ctx) => {
  const t = c.text;
  let name: string | undefined;
  let rest = '';
  const intro = t.match(/^I am\s+([A-Z][a-z'-]+)(?:\s+([A-Z][a-z'-]+))?\s*(?=$|,|\s+(?:and|from|here)\b)(.*)$/);
  if (intro && isName(intro[1])) {
    name = intro[2] && isName(intro[2]) ? `${intro[1]} ${intro[2]}` : intro[1];
    rest = intro[3];
  }
  const named = t.match(/\b(?:my name is|my name's|call me|people call me|I am called|I go by)\s+([A-Za-z][a-z'-]+(?:\s+[A-Z][a-z'-]+)?)/i);
  if (!name && named && !NOT_NAMES.has(named[1])) name = named[1].charAt(0).toUpperCase() + named[1].slice(1);
  const here = t.match(/^([A-Z][a-z'-]+) here$/);
  if (!name && here && isName(here[1])) name = here[1];
  if (!name || c.mood === 'question') return undefined;
  const out: ItemDraft[] = [fact(c, ctx, 'Name', `The user's name is ${name}.`, { stateKey: 'name', tags: ['name', 'person'] })];
  const parts = rest.split(/\s*,\s*|\s+and\s+/).filter((p) => p.trim());
  return out.concat(profileParts(c, ctx, parts));
};

const ruleAge: Rule = (c, ctx) => {
  const t = c.text;
  const m =
    t.match(/\bI am (\d{1,3})(?:\s*(?:years?|yrs?)(?:\s*old)?|\s*y\/?o)?(?=\s*$|\s*,|\s+and\b|\s+(?:this|now|already)\b)/) ??
    t.match(/\bI am an? (\d{1,3})[- ]years?[- ]old\b/) ??
    t.match(/\bI (?:just |recently )?turned (\d{1,3})\b/);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > 119) return undefined;
  if (/\bturned\b/.test(m[0])) return [fact(c, ctx, 'Age', rewrite(c), { stateKey: 'age', tags: ['age', 'person'] })];
  const parts = t.slice((m.index ?? 0) + m[0].length).split(/\s*,\s*/).filter((p) => p.trim());
  return [ageFact(c, ctx, m[1]), ...profileParts(c, ctx, parts)];
};

/** "backend developer", "senior UX designer", "pharmacist": a known title, or a short phrase ending like one. */
function isJobPhrase(phrase: string): boolean {
  const ws = phrase.trim().toLowerCase().split(/\s+/);
  if (ws.length > 4 || ws.includes('of') || ws.some((w) => NOT_JOBS_EN.has(w))) return false;
  if (new RegExp(`\\b(?:${JOB})\\b`, 'i').test(ws.join(' '))) return true;
  const last = ws[ws.length - 1];
  return /(?:er|or|ist|ian)$/.test(last) && last.length > 4;
}

const ruleJob: Rule = (c, ctx) => {
  const t = c.text;
  if (c.mood === 'question') return undefined;
  const tags = ['job'];
  if (/\b(?:at|for)\s+(?:an?\s+|the\s+)?[A-Za-z]/.test(t)) tags.push('employer');
  if (/\bdepartment|\bteam\b|\bdivision\b/i.test(t)) tags.push('department');
  const current =
    /\bI (?:currently |now |still |also )?(?:work|am working) (?:as|at|for|in)\b/.test(t) ||
    /\bmy (?:job|profession|occupation|role|position|title) is\b/.test(t) ||
    /\bI am (?:in charge of|the head of|responsible for|heading|leading|managing)\b/.test(t) ||
    /\bI (?:run|own|founded|co-founded|teach|lead|manage) (?:a |an |the |my own )?\w+/.test(t) && /\b(?:company|business|shop|store|startup|restaurant|team|class|classes|department|studio|agency|school)\b|\bteach\b/.test(t) ||
    /\bI (?:do|study|am studying|major in|am majoring in) .+ (?:for a living|at (?:university|college|school)|\b(?:university|college))/i.test(t) ||
    /\bI am (?:a |an )?(?:retired|unemployed|between jobs|self-employed|a freelancer|freelancing|job hunting|looking for (?:a )?(?:new )?job)\b/.test(t);
  const change =
    /\bI (?:just |recently |finally )?(?:got|started|landed|accepted|took) (?:a |my )?(?:new )?(?:job|position|role|offer)\b/.test(t) ||
    /\bI (?:just |recently )?(?:switched|changed) (?:jobs|careers|companies|roles|to)\b/.test(t) ||
    /\bI (?:just |recently )?(?:quit|left) my (?:job|company|position)\b/.test(t) ||
    /\bI (?:just |recently )?(?:got promoted|was promoted|have been promoted)\b/.test(t) ||
    /\bI (?:just |recently )?joined (?:\w+\s+){0,4}?(?:company|firm|startup|bank|agency|hospital|school|university|as an?)\b/.test(t) ||
    (/\bI (?:just |recently )?became (?:an? )?/.test(t) && isJobPhrase(t.replace(/^.*?\bbecame\s+(?:an?\s+)?/, '')));
  const am = t.match(/\bI am (?:now |currently |also |still )?(?:an? )((?:[\w-]+\s+){0,3}?[\w-]+)(?=\s+(?:at|in|for|with|from|and|who|working)\b|,|$)/);
  const isAm = !!am && isJobPhrase(am[1]) && !/\bI am an? (?:\d|big|huge)/.test(t);
  if (!current && !change && !isAm) return undefined;
  if (c.negated) return undefined;
  const past = /\bI (?:used to work|worked as|was an? )/.test(t) && !change;
  const value = rewrite(c);
  return [fact(c, ctx, past ? 'Past job' : 'Job', value, past ? { memoryType: 'LongTermMemory', tags: [...tags, 'history'] } : { stateKey: 'job', tags, when: change })];
};

const ruleResidence: Rule = (c, ctx) => {
  const t = c.text;
  if (c.mood === 'question') return undefined;
  const tags = ['residence', 'location'];
  const gone = t.match(new RegExp(`\\bI (?:no longer live|do not live|moved out of|left)\\s+(?:in\\s+)?${PLACE}`));
  if (gone && (/no longer|moved out|\bleft\b/.test(gone[0]) || /\banymore\b|\bany more\b/.test(t)))
    return [fact(c, ctx, 'Residence', `The user no longer lives in ${gone[1]}.`, { stateKey: 'residence', tags })];
  if (c.negated) return undefined;
  const moved = t.match(new RegExp(`\\b(?:I|we) (?:just |recently |finally |have |had |also )*(?:moved|relocated|emigrated|immigrated)\\s+(?:back\\s+|here\\s+)?(?:to|into)\\s+(?:the\\s+)?${PLACE}`));
  if (moved) {
    const value = `The user moved to ${moved[1]} and now lives in ${moved[1]}.`;
    return [fact(c, ctx, 'Residence', value, { stateKey: 'residence', tags, when: true })];
  }
  const live = t.match(new RegExp(`\\b(?:I|we) (?:currently |now |still |also |actually )*(live|am living|are living|reside|am based|are based|am staying long-term|have lived|have been living|settled)\\s+(?:in|at|near)\\s+(?:the\\s+)?${PLACE}`));
  if (live) {
    const value = /live|living|lived/.test(live[1]) ? rewrite(c) : `The user lives in ${live[2]}.`;
    return [fact(c, ctx, 'Residence', value, { stateKey: 'residence', tags })];
  }
  const from = t.match(new RegExp(`\\bI (?:am (?:originally )?from|grew up in|was born (?:and raised )?in|come from)\\s+${PLACE}`));
  if (from) return [fact(c, ctx, 'Hometown', rewrite(c), { stateKey: 'hometown', tags: ['hometown', 'location'] })];
  const movedFrom = t.match(new RegExp(`\\bI (?:moved|came|emigrated|immigrated) (?:here |over )?from\\s+${PLACE}`));
  if (movedFrom) return [fact(c, ctx, 'Origin', rewrite(c), { stateKey: 'hometown', tags: ['hometown', 'location'], when: true })];
  return undefined;
};

// ---------------------------------------------------------------- family, pets, devices, health

function familyWord(rel: string): string {
  return FAMILY_EN[rel.toLowerCase()] ?? rel.toLowerCase();
}

const ruleFamily: Rule = (c, ctx) => {
  const t = c.text.replace(new RegExp(`^the (${REL})\\b`, 'i'), 'my $1');
  const out: ItemDraft[] = [];
  const tags = ['family'];
  const named = t.match(new RegExp(`\\b(?:my|our) (${REL})(?:'s name is| is called| is named| named|,| is)?\\s+([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\\b(?!')`));
  if (named && isName(named[2])) {
    const rel = familyWord(named[1]);
    ctx.person = { rel, word: named[1], name: named[2] };
    ctx.lastTopic = 'person';
    // "my husband Tom is a teacher": keep what follows the name.
    const more = t.slice((named.index ?? 0) + named[0].length).trim();
    const value = more && !/^[,.]/.test(more) ? rewrite(c) : `The user's ${named[1]} is ${named[2]}.`;
    out.push(fact(c, ctx, `Family: ${rel}`, value, { stateKey: `family:${rel}:name`, tags }));
  }
  const age = t.match(new RegExp(`\\b(?:my|our) (${REL})(?:\\s+[A-Z][a-z]+)?\\s+(?:is|turned|just turned|will be|will turn|is now)\\s+${NUM}(?:\\s*(years?|months?)(?:\\s+old)?)?(?=$|[\\s,.])`, 'i'));
  if (age) {
    const rel = familyWord(age[1]);
    ctx.person ??= { rel, word: age[1] };
    ctx.lastTopic = 'person';
    out.push(fact(c, ctx, `Family: ${rel} age`, `The user's ${age[1]} is ${words(age[2])} ${age[3] ?? 'years'} old.`.replace(/\b1 years/, '1 year'), { stateKey: `family:${rel}:age`, tags: [...tags, 'age'] }));
  }
  const has = t.match(new RegExp(`\\bI have (?:a|an|one|two|three|four|five|\\d+)\\s+(?:(?:[\\w-]+-(?:year|month)-old|little|young|grown-up|adult|teenage|baby)\\s+)?(${REL})\\b`, 'i'));
  if (has && !out.length) {
    const rel = familyWord(has[1]);
    ctx.lastTopic = 'person';
    ctx.person = { rel, word: has[1] };
    out.push(fact(c, ctx, `Family: ${rel}`, rewrite(c), { stateKey: `family:${rel === 'child' ? 'children' : rel}`, tags }));
  }
  const allergy = t.match(new RegExp(`\\b(?:my|our) (${REL}) (?:is|are) (?:\\w+ )?allergic to ([\\w\\s-]+)`, 'i'));
  if (allergy) {
    const rel = familyWord(allergy[1]);
    out.push(fact(c, ctx, `Family allergy: ${rel}`, rewrite(c), { stateKey: `family:${rel}:allergy:${slug(cutPhrase(allergy[2]))}`, tags: [...tags, 'health', 'allergy'] }));
  }
  const status = t.match(/\bI (?:am|got|just got|recently got) (?:happily )?(married|single|divorced|engaged|widowed|separated|in a relationship)\b/);
  if (status) out.push(fact(c, ctx, 'Relationship status', rewrite(c), { stateKey: 'relationship', tags: [...tags, 'relationship'], when: /\bgot\b/.test(status[0]) }));
  const parent = t.match(/\bI am (?:a )?(?:mom|mum|mother|dad|father|parent|grandma|grandmother|grandpa|grandfather)(?: of)?\b/);
  if (parent && !out.length) out.push(fact(c, ctx, 'Family', rewrite(c), { stateKey: 'family:parent', tags }));
  return out.length ? out : undefined;
};

/** "my dog" / "it" / "Max" at the start of a clause: the user's pet is the subject. */
function petSubject(c: Clause, ctx: Context): { rest: string; species: string; phrase?: string } | undefined {
  const t = c.text;
  const own = t.match(new RegExp(`^(?:my|our|the)\\s+(?:(?:little|new|old|[\\w-]+-(?:month|year|week)-old)\\s+)*(${PET})\\b${NOT_PET_HEAD}\\s*`, 'i'));
  if (own) {
    const species = PETS_EN[own[1].toLowerCase().replace(/\s+/g, ' ')];
    let rest = t.slice(own[0].length);
    // "my golden retriever puppy is ...": keep the breed (and puppy/kitten) in the memory, not just "dog".
    let phrase = own[1];
    const young = rest.match(/^(puppy|pup|kitten)\b\s*/i);
    if (young) {
      phrase += ' ' + young[1];
      rest = rest.slice(young[0].length);
    }
    // "my dog Max loves ...": a capitalised word right after the pet word is its name (checked case-sensitively).
    const name = rest.match(/^([A-Z][a-z'-]+)\b\s*/);
    if (name && isName(name[1])) {
      ctx.pet = { species, name: name[1] };
      rest = rest.slice(name[0].length);
    } else if (!ctx.pet || ctx.pet.species !== species) ctx.pet = { species };
    return { rest, species, phrase };
  }
  if (!ctx.pet) return undefined;
  const pron = t.match(/^(?:it|he|she)\b\s*/i);
  if (pron && ctx.lastTopic === 'pet') return { rest: t.slice(pron[0].length), species: ctx.pet.species };
  if (ctx.pet.name && t.startsWith(`${ctx.pet.name} `)) return { rest: t.slice(ctx.pet.name.length + 1), species: ctx.pet.species };
  return undefined;
}

function petPhrase(ctx: Context, species: string, phrase?: string): string {
  const specific = phrase && phrase.toLowerCase() !== species;
  return `the user's ${specific ? phrase : species}${ctx.pet?.name ? ` ${ctx.pet.name}` : ''}${specific ? ` (a ${species})` : ''}`;
}

const PET_FOOD = /\b(?:food|treats?|snacks?|chicken|beef|lamb|mutton|salmon|fish|pork|kibble|meat|peanut butter|bones?|cheese|eggs?|rice|flavou?r)\b/i;

const rulePet: Rule = (c, ctx) => {
  const t = c.text;
  const subject = c.mood === 'statement' ? petSubject(c, ctx) : undefined;
  if (subject) {
    ctx.lastTopic = 'pet';
    const sp = subject.species;
    const value = sentence(`${petPhrase(ctx, sp, subject.phrase)} ${lowerFirst(thirdPersonEn(subject.rest).replace(/\.$/, ''))}`, 'en');
    const r = subject.rest;
    if (/\b(?:does not|will not|cannot|refuses to|never|only|can only)\s+(?:eat|like|touch|want|eats)\b|\bis allergic to\b|\bonly eats\b|\bis on (?:a|an) \w+ diet\b/i.test(r))
      return [fact(c, ctx, `Pet diet: ${sp}`, value, { stateKey: `pet:${sp}:diet`, tags: ['pet', 'diet'] })];
    if (/\b(?:loves?|likes?|enjoys?|adores?|is crazy about|goes crazy for|prefers?)\b/i.test(r))
      return [fact(c, ctx, `Pet likes: ${sp}`, value, { stateKey: `pet:${sp}:likes`, tags: PET_FOOD.test(r) ? ['pet', 'diet'] : ['pet'] })];
    if (/\b(?:has|had|got|is having|developed)\s+(?:a\s+|an\s+)?(?:diarrh(?:o)?ea|vomit\w*|fever|cold|cough|rash|fleas|worms|infection|allerg\w+|upset stomach|loose stools?|ear infection)\b|\bis (?:sick|ill|unwell|limping|injured|not eating)\b|\bthrew up\b|\bvomited\b/i.test(r))
      return [fact(c, ctx, `Pet health: ${sp}`, value, { memoryType: 'LongTermMemory', stateKey: `pet:${sp}:health`, tags: ['pet', 'health'], when: true })];
    // Age, weight and name are separate states: a new weight must not replace the breed and age.
    if (/\b(?:weighs|catties|kg|kilos?|pounds|lbs?|jin)\b/i.test(r)) return [fact(c, ctx, `Pet weight: ${sp}`, value, { stateKey: `pet:${sp}:weight`, tags: ['pet', 'weight'] })];
    if (/\b(?:is|turned|just turned)\b.*\bold\b/i.test(r)) return [fact(c, ctx, `Pet age: ${sp}`, value, { stateKey: `pet:${sp}:age`, tags: ['pet', 'age'] })];
    if (/\bis (?:named|called)\b|^(?:'s name|name) is\b/i.test(r)) return [fact(c, ctx, `Pet name: ${sp}`, value, { stateKey: `pet:${sp}:name`, tags: ['pet', 'name'] })];
    return [fact(c, ctx, `Pet: ${sp}`, value, { memoryType: 'LongTermMemory', tags: ['pet'], when: true })];
  }
  const own = t.match(new RegExp(`\\b(?:I|we) (?:just |recently |finally |also |now )*(?:have|has|had|got|adopted|own|bought|rescued|am raising|raise|keep|brought home|welcomed|am fostering)\\b.*?\\b(${PET})\\b${NOT_PET_HEAD}`, 'i'));
  const mention = t.match(new RegExp(`\\bmy\\s+((?:[\\w-]+\\s+){1,4}?)(${PET})\\b${NOT_PET_HEAD}`, 'i'));
  if (own && c.mood !== 'question') {
    const species = PETS_EN[own[1].toLowerCase().replace(/\s+/g, ' ')];
    const name = t.match(/\b(?:named|called)\s+([A-Z][a-z'-]+)/)?.[1];
    ctx.pet = { species, name };
    ctx.lastTopic = 'pet';
    let value = rewrite(c);
    if (!new RegExp(`\\b${species}s?\\b`, 'i').test(value)) value = value.replace(/\.$/, ` (a ${species}).`);
    const tags = ['pet'];
    if (/\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)[- ](?:month|year|week)s?[- ]old\b/i.test(t)) tags.push('age');
    if (/\b(?:catties|kg|kilos?|pounds|lbs?|jin)\b/i.test(t)) tags.push('weight');
    return [fact(c, ctx, `Pet: ${species}`, value, { stateKey: `pet:${species}`, tags })];
  }
  if (mention && /\d|month|year|old|week|retriever|labrador|husky|corgi|poodle|shiba|bulldog|beagle|terrier|shepherd|collie|ragdoll|shorthair|persian|siamese/i.test(mention[1])) {
    const species = PETS_EN[mention[2].toLowerCase().replace(/\s+/g, ' ')];
    ctx.pet ??= { species };
    ctx.lastTopic = 'pet';
    const phrase = `${mention[1]}${mention[2]}`.trim();
    return [fact(c, ctx, `Pet: ${species}`, `The user has ${article(phrase)} ${phrase}${species === mention[2].toLowerCase() ? '' : ` (a ${species})`}.`, { stateKey: `pet:${species}`, tags: ['pet'] })];
  }
  return undefined;
};

const DEVICE_WORDS = String.raw`(?:macbook(?:\s+(?:pro|air))?|laptop|notebook|thinkpad|chromebook|iphone|ipad|imac|mac mini|phone|smartphone|tablet|kindle|desktop|pc|computer|workstation|pixel\s*\d*|galaxy\s+\w+|surface\s+\w+|car|tesla|watch|airpods|headphones|camera|playstation|ps5|xbox|switch)`;

const ruleDevice: Rule = (c, ctx) => {
  const t = c.text;
  const is = t.match(new RegExp(`\\bmy\\s+((?:[\\w-]+\\s+){0,2}?(?:computer|laptop|phone|device|machine|pc|mac|car|tablet|notebook|desktop|os|operating system))\\s+is\\s+(?!like\\b|so\\b|too\\b|very\\b|not\\b|broken\\b|dead\\b)(?:an?\\s+|the\\s+)?(.+)`, 'i'));
  if (is && c.mood !== 'question') {
    const slot = deviceSlot(is[2]) ?? deviceSlot(is[1]) ?? 'computer';
    return [fact(c, ctx, `Device: ${slot}`, rewrite(c), { stateKey: `device:${slot}`, tags: ['device'] })];
  }
  const use = t.match(new RegExp(`\\bI (?:currently |now |also |mainly |mostly |just |recently |finally )*(?:use|have|own|am using|work on|am on|got|just got|bought|just bought|switched (?:from .+? )?to|drive|ride)\\s+(?:an?\\s+|the\\s+|my\\s+|two\\s+)?((?:[\\w.-]+\\s+){0,4}?${DEVICE_WORDS}\\b(?:\\s+(?:pro|air|max|mini|plus|ultra|\\d+(?:\\s*(?:gb|tb|inch|"))?))*)`, 'i'));
  if (use && c.mood !== 'question' && !c.negated) {
    const slot = deviceSlot(use[1]) ?? 'computer';
    return [fact(c, ctx, `Device: ${slot}`, rewrite(c), { stateKey: `device:${slot}`, tags: ['device'] })];
  }
  const mention = t.match(new RegExp(`\\bmy\\s+((?:[\\w.-]+\\s+){1,4}?${DEVICE_WORDS}\\b(?:\\s+(?:pro|air|max|mini|plus|ultra|\\d+))*)`, 'i'));
  if (mention && /\d|inch|intel|\bm[1-4]\b|apple|windows|android|gaming|pro\b|air\b|silicon|amd|nvidia|linux/i.test(mention[1])) {
    const slot = deviceSlot(mention[1]) ?? 'computer';
    return [fact(c, ctx, `Device: ${slot}`, `The user has ${article(mention[1])} ${mention[1].trim()}.`, { stateKey: `device:${slot}`, tags: ['device'] })];
  }
  return undefined;
};

const ruleHealth: Rule = (c, ctx) => {
  const t = c.text;
  if (c.mood === 'question') return undefined;
  const allergy = t.match(/\bI am (?:not |also |very |severely |mildly )*allergic to ([\w\s-]+)|\bI have (?:an? )?([\w\s-]+?) allerg(?:y|ies)\b/);
  if (allergy) {
    const what = cutPhrase(allergy[1] ?? allergy[2]);
    return [fact(c, ctx, 'Allergy', sentence(`The user is ${/\bnot allergic\b/.test(t) ? 'not ' : ''}allergic to ${what}`, 'en'), { stateKey: `allergy:${slug(what)}`, tags: ['health', 'allergy'] })];
  }
  const body = t.match(new RegExp(`\\b(?:my|I (?:hurt|injured|sprained|broke|twisted|pulled|strained|bruised) my) ((?:left |right |lower |upper )?(?:${BODY_PARTS}))\\b(?:.*\\b(?:${SYMPTOMS}|pain|injury)\\b)?`, 'i'));
  if (body && (new RegExp(`\\b(?:${SYMPTOMS}|pain|injury)\\b`, 'i').test(t) || /\bI (?:hurt|injured|sprained|broke|twisted|pulled|strained|bruised)\b/.test(t)))
    return [fact(c, ctx, `Health: ${body[1]}`, rewrite(c), { memoryType: 'LongTermMemory', stateKey: `health:${slug(body[1])}`, tags: ['health'], when: true })];
  const ill = t.match(/\bI (?:have|have got|got|caught|am having|am suffering from|suffer from|was diagnosed with|have been diagnosed with)\s+(?:a |an |the )?((?:bad |terrible |mild |slight |chronic )?(?:cold|flu|fever|cough|headache|migraine|sore throat|toothache|stomachache|back pain|covid|diabetes|asthma|high blood pressure|hypertension|depression|anxiety|adhd|insomnia|arthritis|eczema|allergies|hay fever|a broken \w+|an injury))\b/i);
  if (ill) {
    const chronic = /diabetes|asthma|blood pressure|hypertension|depression|anxiety|adhd|insomnia|arthritis|eczema|chronic/i.test(ill[1]);
    return [fact(c, ctx, `Health: ${ill[1]}`, rewrite(c), { memoryType: chronic ? 'UserMemory' : 'LongTermMemory', stateKey: `health:${slug(ill[1])}`, tags: ['health'], when: !chronic })];
  }
  return undefined;
};

// ---------------------------------------------------------------- likes, hobbies, style, shopping

/** Time adverbs that may come before the subject ("Recently I started ..."). */
const TIME_LEAD = 'recently|lately|nowadays|these days|currently|today|yesterday|tonight|sometimes|usually|often|last \\w+|this \\w+|on \\w+days?|in \\w+';

const NOT_ACTIVITIES = /^(?:eating|drinking|having|getting|being|feeling|thinking|knowing|seeing|hearing|saying|telling|waiting|trying)$/i;

/**
 * Whether the "I ..." at `index` is the clause's own statement rather than a relative clause:
 * "a tech company I like" and "the headphones I bought" are not the user stating a like or a purchase.
 */
function atClauseStart(t: string, index: number): boolean {
  const before = t.slice(0, index);
  if (new RegExp(`^(?:(?:and|but|so|also|now|actually|honestly|really|still|personally|plus|then|yeah|well|oh|${TIME_LEAD})\\s+)*$`, 'i').test(before) || /,\s*$/.test(before)) return true;
  return !/\b(?:the|a|an|this|that|these|those|my|your|his|her|our|their|some|any|every|which|who|whom|what)\s+(?:[\w'-]+\s+){0,3}$/i.test(before);
}

/** Objects that point at something else (the other speaker's things, "that", "how ...") are not the user's tastes. */
function objectOk(obj: string): boolean {
  if (!obj || !slug(obj)) return false;
  if (/\byou(?:r|rs|rself)?\b/i.test(obj)) return false;
  if (/^(?:it|that|this|these|those|them|they|him|her|his|their|how|when|what|where|why|the way|being|in|i|we|he|she|one|ones|so|too|all of|a ton|a lot|lots|so much|the idea|the thought|the fact)\b/i.test(obj)) return false;
  return contentWords(obj).length > 0;
}

const ruleHobby: Rule = (c, ctx) => {
  const t = c.text;
  if (c.mood === 'question') return undefined;
  const tags = ['hobby'];
  const mine = t.match(/\bmy (?:hobby|hobbies|pastime|pastimes|favou?rite (?:sport|hobby|activity|pastime)) (?:is|are|include|includes)\s+(.+)/i);
  if (mine) return [fact(c, ctx, `Hobby: ${title(cutPhrase(mine[1]), 4)}`, rewrite(c), { stateKey: `hobby:${slug(cutPhrase(mine[1]))}`, tags })];
  const play = t.match(new RegExp(`\\bI (?:also |really |usually |often |regularly |sometimes |still |love to |like to )*(?:play|do|practi[cs]e|go)\\s+(?:some\\s+)?(${HOBBY})\\b`, 'i'));
  if (play && !c.negated && atClauseStart(t, play.index ?? 0)) return [fact(c, ctx, `Hobby: ${play[1]}`, rewrite(c), { stateKey: `hobby:${slug(play[1])}`, tags })];
  const like = t.match(new RegExp(`\\bI ((?:also |really |absolutely |still |just |do |truly |no longer |do not |never |(?:do not |no longer )?really )*)(like|love|enjoy|adore|am into|am passionate about|am keen on|am a (?:big |huge )?fan of|am addicted to|like to|love to)\\s+(?:to\\s+)?(?:(${HOBBY})\\b|([a-z]+ing)\\b)`, 'i'));
  if (like && atClauseStart(t, like.index ?? 0) && !(like[4] && NOT_ACTIVITIES.test(like[4]))) {
    const phrase = cutPhrase(t.slice((like.index ?? 0) + like[0].length - (like[3] ?? like[4]).length));
    if (!objectOk(phrase)) return undefined;
    const what = like[3] ?? phrase;
    return [fact(c, ctx, `Hobby: ${title(what, 4)}`, rewrite(c), { stateKey: `hobby:${slug(what)}`, tags })];
  }
  const free = t.match(/\b(?:in my (?:free|spare) time|on (?:the )?weekends|after work),?\s+I (?:usually |often |like to |love to )?(.+)/i);
  if (free && objectOk(cutPhrase(free[1]))) return [fact(c, ctx, `Hobby: ${title(cutPhrase(free[1]), 4)}`, rewrite(c), { stateKey: `hobby:${slug(cutPhrase(free[1]))}`, tags })];
  const habit = t.match(/\bI (?:usually |often |regularly |also )*(run|swim|cycle|bike|walk|jog|hike|work out|exercise|go to the gym|meditate|do yoga)\b.*\b(?:every|each|a|per|twice|three times|daily|weekly)\b/i);
  if (habit) return [fact(c, ctx, `Habit: ${habit[1]}`, rewrite(c), { stateKey: `hobby:${slug(habit[1])}`, tags: ['hobby', 'exercise'] })];
  const learn = t.match(/\bI (?:am|have been|started|began|just started) (?:learning|studying|taking (?:\w+ )?(?:classes|lessons|a course) (?:in|on)?)\s*(.+)/i);
  if (learn && !c.negated && objectOk(cutPhrase(learn[1]))) return [fact(c, ctx, `Learning: ${title(cutPhrase(learn[1]), 4)}`, rewrite(c), { stateKey: `learning:${slug(cutPhrase(learn[1]))}`, tags: ['learning', 'hobby'] })];
  return undefined;
};

function tasteOf(text: string): string | undefined {
  return TASTES.find(([re]) => re.test(text))?.[1];
}

function categoryOf(text: string): string | undefined {
  return CATEGORIES.find(([re]) => re.test(text))?.[1];
}

const FOOD_WORDS =
  /\b(?:food|foods|dish(?:es)?|cuisine|meals?|chicken|beef|pork|lamb|mutton|fish|seafood|shrimps?|prawns?|crab|rice|noodles|pasta|pizza|burgers?|sushi|salad|vegetables?|veggies|fruits?|cakes?|chocolate|ice cream|coffee|tea|milk|cheese|eggs?|bread|tofu|coriander|cilantro|garlic|onions?|peanuts?|nuts|meat|steak|soup|dumplings?|hot ?pot|barbecue|bbq|snacks?|desserts?|wine|beer|baijiu|liquor|alcohol|juice|soda|spicy|sweets?|candy|mushrooms?|tomato(?:es)?|potato(?:es)?|beans?|dairy|gluten|sugar|salt|oil|curry|tacos?)\b/i;

/**
 * The stateKey a like/dislike of `object` updates. A taste is one dimension ("food:spicy", whatever the polarity);
 * a closed category keeps one current favourite ("fruit:like", so "actually I like mangosteens" replaces apples,
 * unless the user says "also"); anything else is keyed by the object itself, so only a change about it supersedes.
 */
function preferenceKey(object: string, positive: boolean, change: boolean, also: boolean, dietVerb: boolean): string {
  const taste = tasteOf(object);
  if (taste) return `food:${taste}`;
  const cat = categoryOf(object);
  if (cat) return `${cat}:${positive || change ? 'like' : 'dislike'}${also && positive ? `:${slug(object)}` : ''}`;
  if (dietVerb) return `diet:${slug(object)}`;
  return `like:${slug(object)}`;
}


const rulePreference: Rule = (c) => {
  const t = c.text;
  if (c.mood === 'question' || c.mood === 'imperative') return undefined;
  const diet = t.match(/\bI am (?:a |an |now |also |strictly )*(vegetarian|vegan|pescatarian|lactose[- ]intolerant|gluten[- ]free|on a diet|on a \w+ diet|keto|halal|kosher|teetotal|sober)\b/i);
  if (diet) return [explicit(c, rewrite(c), `diet:${slug(diet[1])}`, ['preference', 'food', 'diet'])];
  const favA = t.match(/\bmy (?:favou?rite|fave|most loved) ([\w\s-]+?) (?:is|are|has to be|would be)\s+(.+)/i);
  const favB = t.match(/^(.+?) (?:is|are) my (?:favou?rite|fave)(?:\s+([\w\s-]+))?$/i);
  const favWhat = favA ? favA[1] : favB ? favB[2] ?? favB[1] : undefined;
  if (favWhat && objectOk(favA ? favA[2] : favB![1])) return [explicit(c, rewrite(c), `favorite:${slug(favWhat)}`, ['preference', ...(FOOD_WORDS.test(t) ? ['food'] : [])])];
  const change = /\b(?:no longer|anymore|any more|stopped|gave up|quit|not .* (?:now|these days)|now)\b/i.test(t);
  // "I don't drink." / "I don't smoke.": the verb alone is the habit.
  const habit = t.match(/^I (?:do not|never|no longer|cannot) (drink|smoke)(?: (?:anymore|any more|at all|now))?$/i);
  if (habit) return [explicit(c, rewrite(c), habit[1].toLowerCase() === 'drink' ? 'diet:alcohol' : 'habit:smoking', ['preference', ...(habit[1].toLowerCase() === 'drink' ? ['food', 'diet'] : ['habit'])])];
  const neg = t.match(/\bI\s+(?:(?:really|just|actually|also|absolutely|totally|now|still|do|truly|seriously|simply)\s+)*(?:(?:do not|does not|did not|cannot|can not|will not|never|no longer|am not able to|am unable to)\s+(?:really\s+|even\s+|ever\s+|quite\s+|much\s+)*(like|love|enjoy|eat|drink|stand|tolerate|handle|touch|bear|have|take|eat any|digest)|(hate|dislike|detest|loathe|avoid|gave up|quit|stopped (?:eating|drinking|liking|enjoying)|am not (?:a (?:big |huge )?fan of|into|keen on|fond of)|am sick of|am tired of|cannot stand|am not a fan of))\s+(.+)/i);
  if (neg && atClauseStart(t, neg.index ?? 0)) {
    const verb = (neg[1] ?? neg[2]).toLowerCase();
    const object = cutPhrase(neg[3].replace(/^(?:to |eating |drinking |having |any |very |too much |much |so much )+/i, ''));
    if (!objectOk(object)) return undefined;
    // "can't have dairy" is diet; "can't have done it" is not.
    if (/^(?:have|take)$/.test(verb) && !FOOD_WORDS.test(object)) return undefined;
    const dietVerb = /eat|drink|touch|digest|have|take|gave up|quit|stopped eating|stopped drinking|avoid/.test(verb) && (verb !== 'avoid' || FOOD_WORDS.test(object));
    const key = preferenceKey(object, false, change, c.also, dietVerb);
    const food = dietVerb || !!tasteOf(object) || FOOD_WORDS.test(object) || categoryOf(object) === 'fruit';
    return [explicit(c, rewrite(c), key, ['preference', food ? 'food' : 'dislike'])];
  }
  const pos = t.match(/\bI\s+(?:(?:really|also|still|now|actually|do|absolutely|just|totally|kind of|sort of|especially|particularly|truly|mostly|generally|usually|definitely)\s+)*(like|love|adore|enjoy|prefer|would prefer|would rather|am into|am a (?:big |huge )?fan of|am crazy about|am obsessed with|cannot get enough of|crave|fancy|am fond of)\s+(.+)/i);
  if (pos && atClauseStart(t, pos.index ?? 0)) {
    const object = cutPhrase(pos[2].replace(/^(?:to (?:eat|drink|have) |eating |drinking |having |to )/i, ''));
    if (!objectOk(object) || /^(?:know|ask|see|say|thank|help|talk|hear|meet|chat)\b/i.test(object)) return undefined;
    const key = preferenceKey(object, true, change, c.also, false);
    const food = !!tasteOf(object) || FOOD_WORDS.test(object) || categoryOf(object) === 'fruit';
    return [explicit(c, rewrite(c), key, ['preference', food ? 'food' : 'like'])];
  }
  return undefined;
};

function artifactOf(text: string): string | undefined {
  return ARTIFACTS.find(([re]) => re.test(text))?.[1];
}

function styleSlot(text: string): string {
  const art = artifactOf(text);
  if (art) return art;
  if (/emoji/i.test(text)) return 'emoji';
  if (/\b(?:english|chinese|language|spanish|french|japanese)\b/i.test(text)) return 'language';
  if (/\btone|formal|casual|friendly|polite\b/i.test(text)) return 'tone';
  if (/\bbullet|markdown|list|table|format|headings?\b/i.test(text)) return 'format';
  return 'reply';
}

/** "When writing summaries, keep it short" → opener "When writing summaries" + instruction "keep it short". */
const OPENER = /^((?:when|whenever|if|for|while|in|on|during|after|before|from now on|in future|in the future)\b[^,]*),\s*(.+)$/i;

/** Words that only ever describe how to answer, so they mark a style preference even without "always". */
const STRONG_STYLE =
  /\b(?:concise|succinct|brief|wordy|verbose|tone|formal|informal|format|formatting|bullets?|bullet points|key points|markdown|emojis?|emoticons?|numbered list|plain language|step by step|start with|begin with|open with|end with|sign off|syntax highlighting)\b/i;
/** Marks an instruction as standing rather than one-off. */
const PERSISTENT = /\b(?:always|never|from now on|in (?:the )?future|every time|each time|whenever|going forward|by default|keep|stop|do not|no more|go easy on|avoid|when(?:ever)? (?:writing|you write|replying|you reply|answering))\b/i;
/** A generic (plural or habitual) artifact: "replies", "emails", "your answers", not "an email to Bob". */
const GENERIC_ARTIFACT = /\b(?:repl(?:ies)|answers|responses|explanations|messages|e-?mails|letters|summaries|recaps|reminders|plans|reports|docs|documents|documentation|code blocks?|code|posts|translations|your (?:reply|answer|response)s?)\b/i;

const ruleStyle: Rule = (c) => {
  const t = c.text;
  if (c.mood === 'question' || !STYLE_CUES.test(t)) return undefined;
  const slot = styleSlot(t);
  const tags = ['style', slot];
  const key = `style:${slot}`;
  const opener = t.match(OPENER);
  const openerTask = opener && new RegExp(`^(?:please |first |always |never |just |then )*(?:${IMPERATIVE_VERBS})\\b`, 'i').test(opener[2]);
  if (opener && openerTask && (PERSISTENT.test(t) || /^(?:when|whenever|for|in)\b/i.test(opener[1])))
    return [explicit(c, sentence(`${opener[1]}, the user ${wantsAssistant(opener[2])}`, 'en'), key, tags)];
  const standing = PERSISTENT.test(t) || GENERIC_ARTIFACT.test(t) || (STRONG_STYLE.test(t) && !/\b(?:a|an|this|that)\s+(?!bit\b|little\b|lot\b)\w+/i.test(t));
  if (c.mood === 'imperative' && standing) return [explicit(c, sentence(`The user ${wantsAssistant(t)}`, 'en'), key, tags)];
  if (!artifactOf(t) && !STRONG_STYLE.test(t)) return undefined;
  const modal = t.match(new RegExp(`^((?:the |my |all |any |your )?(?:[\\w-]+\\s+){0,2}?(?:e-?mails?|letters?|summar(?:y|ies)|recaps?|reminders?|plans?|reports?|code|docs?|documents?|repl(?:y|ies)|answers?|responses?|explanations?|messages?|posts?|translations?|code blocks?))\\s+(?:should|must|need to|needs to|have to|has to|ought to)\\s+(.+)`, 'i'));
  if (modal) return [explicit(c, sentence(`The user wants ${lowerFirst(thirdPersonEn(modal[1]).replace(/\.$/, ''))} to ${lowerFirst(thirdPersonEn(modal[2]).replace(/\.$/, ''))}`, 'en'), key, tags)];
  const bare = t.match(/^((?:the |my |all )?(?:e-?mails?|summar(?:y|ies)|reminders?|reports?|repl(?:y|ies)|answers?|responses?))\s+(start|begin|end|use|include|be|stay|follow|open|contain|have)s?\b\s*(.*)$/i);
  if (bare) return [explicit(c, sentence(`The user wants ${bare[1].toLowerCase()} to ${bare[2].toLowerCase()} ${bare[3]}`, 'en'), key, tags)];
  if (c.mood === 'statement' && (artifactOf(t) || STRONG_STYLE.test(t)) && /\bI (?:\w+ )?(?:prefer|like|want|need|would like|would prefer|expect|appreciate|hate|dislike|do not like|do not want|love)\b/.test(t))
    return [explicit(c, rewrite(c), key, tags)];
  return undefined;
};

const IMPERATIVE_VERBS =
  'keep|make|use|write|start|begin|avoid|give|list|add|include|reply|answer|respond|tell|show|put|be|go|format|open|end|sign|limit|focus|skip|always|never|do not|summari[sz]e|explain|translate|mark|sort|highlight|bold|number|number|break|split';

/** An instruction to the assistant rewritten so it reads after "wants the assistant to": "tell me" → "tell the user". */
function assistantTask(text: string): string {
  const s = text.replace(/^please\s+/i, '').replace(/\bplease\s+/gi, '');
  return lowerFirst(thirdPersonEn(s).replace(/\.$/, '').replace(/^The user\b/, 'the user'));
}

/** "wants the assistant to keep it short" / "wants the assistant not to use emojis". */
function wantsAssistant(text: string): string {
  const task = assistantTask(text);
  const neg = task.match(/^(?:do not|never|don't)\s+(.*)$/i);
  return neg ? `wants the assistant ${/^never/i.test(task) ? 'never' : 'not'} to ${neg[1]}` : `wants the assistant to ${task}`;
}

const SIZE_LETTERS = '(XXS|XS|S|M|L|XL|XXL|XXXL|2XL|3XL)';

const ruleShopping: Rule = (c) => {
  const t = c.text;
  const out: ItemDraft[] = [];
  const size =
    t.match(new RegExp(`\\bsize\\s*(?:is\\s*|:\\s*|of\\s*)?(?:an?\\s+)?(${SIZE_LETTERS.slice(1, -1)}|\\d{1,2}(?:\\.5)?|small|medium|large|extra[- ]large|petite)\\b`, 'i')) ??
    t.match(new RegExp(`\\bI (?:usually |normally |always |typically )?(?:wear|take|am|fit|need) (?:an? )?(?:size )?${SIZE_LETTERS}\\b`));
  if (size && !/\b(?:screen|file|font|room|bed|pizza|portion|team|company)\b/i.test(t)) {
    const shoe = /\bshoes?|sneakers?|boots?|heels\b/i.test(t);
    out.push(explicit(c, `The user wears ${shoe ? 'shoe ' : ''}size ${size[1]}${shoe ? '' : ' (clothing)'}.`, shoe ? 'size:shoe' : 'size:clothing', ['preference', 'shopping', 'size']));
  }
  const mat = t.match(MATERIALS);
  if (mat && c.mood !== 'question') {
    const m = mat[0].toLowerCase();
    const before = t.slice(0, mat.index);
    const after = t.slice((mat.index ?? 0) + m.length);
    const negative = /\b(?:no|not|without|avoid|hate|dislike|do not want|do not like|cannot wear|allergic to|free of|nothing|never|none)\b[^,.]*$/i.test(before) || /^\s*-?free\b/i.test(after);
    const positive = /\b(?:prefer|like|love|only|made of|pure|100%|want|need)\b[^,.]*$/i.test(before);
    if (negative || positive)
      out.push(explicit(c, negative ? `The user does not want ${m} (avoids ${m} materials).` : `The user prefers ${m}.`, `material:${slug(m)}`, ['preference', 'shopping', 'material']));
  }
  const budget =
    t.match(/\b(?:under|below|less than|no more than|not more than|not over|at most|max(?:imum)?(?: of)?|within|up to|cheaper than|lower than)\s*((?:[$€£¥]|US\$|RMB\s?|CNY\s?)\s?\d[\d,.]*k?|\d[\d,.]*k?\s*(?:dollars|bucks|usd|euros?|pounds|yuan|rmb|元|块))/i) ??
    t.match(/\bI (?:only )?have (?:about |around |roughly |only |just )?((?:[$€£¥]|US\$)\s?\d[\d,.]*k?)\b/) ??
    t.match(/\bbudget\s*(?:is|of|:|around|about|=)?\s*(?:around |about |roughly )?((?:[$€£¥]|US\$|RMB\s?)\s?\d[\d,.]*k?|\d[\d,.]*k?\s*(?:dollars|bucks|usd|euros?|pounds|yuan|rmb|元|块)?)/i);
  if (budget) {
    const bound = budget[0].replace(/^budget\s*(?:is|of|:|=)?\s*/i, '').replace(/^I (?:only )?have\s+/i, '').trim();
    out.push(explicit(c, `The user's budget is ${bound}${/\bbudget\b/i.test(t) ? '' : ' (price limit)'}.`, 'budget', ['preference', 'shopping', 'budget']));
  }
  return out.length ? out : undefined;
};

const ruleRisk: Rule = (c) => {
  const t = c.text;
  if (!/\brisks?\b|risk-averse|\bconservative\b|\baggressive\b/i.test(t) || c.mood === 'question') return undefined;
  const low = /\b(?:do not|never|not|would rather not)\s+(?:\w+\s+)?(?:want|like|willing|going|able)\s+to\s+take\s+(?:too much|much|a lot of|any|high|big|huge|many)?\s*risks?|risk[- ]averse|low risk tolerance|\bconservative\b|(?:prefer|want|like)\s+(?:low|lower|less|minimal)[- ]risk|cannot (?:afford|accept|handle|tolerate|take)\s+(?:much |too much |high |big |any )?risks?|avoid (?:\w+ )?risks?|(?:too|very) risky/i.test(t);
  const high = !low && /\b(?:can|am willing to|willing to|do not mind|happy to|like to|love to)\s+(?:take|accept|handle|tolerate)\s+(?:high|more|some|a lot of|big)?\s*risks?|\baggressive\b|high risk tolerance|high[- ]risk/i.test(t);
  if (!low && !high) return undefined;
  return [explicit(c, rewrite(c).replace(/\.$/, low ? ' (low risk tolerance, conservative).' : ' (high risk tolerance).'), 'risk', ['preference', 'finance', 'risk'])];
};

const ruleAvoid: Rule = (c) => {
  const t = c.text;
  const frag = t.match(/^(?:no|avoid|without|skip|zero|avoiding)\s+(?!more than|less than|problem|worries|thanks|idea|need|way|one|time\b)(.+)$/i);
  if (frag && (c.mood === 'fragment' || c.mood === 'imperative') && objectOk(cutPhrase(frag[1])) && !isPastVerb(frag[1].split(/\s+/)[0])) {
    const obj = lowerFirst(cutPhrase(frag[1]));
    return [explicit(c, `The user wants to avoid ${obj}.`, `avoid:${slug(obj)}`, ['preference'])];
  }
  const notWant = t.match(/\bI (?:really |just |also )*(?:do not|would rather not|never|do not ever) want (?:to )?(.+)/i);
  if (notWant && c.mood === 'statement') return [explicit(c, rewrite(c), `want:${slug(cutPhrase(notWant[1]))}`, ['preference'])];
  const avoid = t.match(/\bI (?:want|would like|need|prefer|try|like) to avoid (.+)/i);
  if (avoid) return [explicit(c, rewrite(c), `avoid:${slug(cutPhrase(avoid[1]))}`, ['preference'])];
  const notY = t.match(/^([\w\s-]{2,40}?),?\s+(?:but )?not\s+([\w\s-]{2,40})$/i);
  if (notY && c.mood === 'fragment' && objectOk(notY[1]) && objectOk(notY[2])) return [explicit(c, `The user prefers ${lowerFirst(notY[1].trim())}, not ${notY[2].trim()}.`, `like:${slug(notY[1])}`, ['preference'])];
  return undefined;
};

/** "too expensive", "too long": a complaint reveals a preference the user did not state. */
const ruleComplaint: Rule = (c) => {
  const t = c.text;
  // "not too wordy" in an instruction is a requirement, handled as an explicit preference.
  if (c.mood === 'imperative' || /\bnot too\b/i.test(t)) return undefined;
  const reason = `The user complained: "${c.original.trim()}".`;
  if (/\btoo (?:expensive|pricey|costly)\b|\bcannot afford\b|\bover (?:my|the) budget\b|\bway too much money\b/i.test(t))
    return [implicit('The user may be price-sensitive and prefer cheaper, cost-effective options.', reason, 'price:sensitivity', ['preference', 'price'])];
  if (/\b(?:too|way too|so) (?:long|wordy|verbose|detailed)\b|\btl;?dr\b/i.test(t) && !/\bwait|queue|line|flight|drive\b/i.test(t))
    return [implicit('The user may prefer shorter, more concise replies.', reason, 'style:reply', ['style', 'reply'])];
  if (/\btoo (?:spicy|hot)\b/i.test(t) && FOOD_WORDS.test(c.sentence))
    return [implicit('The user may not handle very spicy food well.', reason, 'food:spicy', ['preference', 'food'])];
  if (/\btoo (?:formal|stiff)\b/i.test(t)) return [implicit('The user may prefer a more casual tone.', reason, 'style:tone', ['style', 'tone'])];
  if (/\btoo far\b/i.test(t)) return [implicit('The user may prefer nearby options.', reason, 'distance', ['preference'])];
  return undefined;
};

// ---------------------------------------------------------------- events: trips, purchases, plans, exercise, behaviour

function futureTense(t: string): boolean {
  return /\b(?:will|going to|plan(?:ning)? to|planning on|am (?:flying|traveling|travelling|heading|going|leaving|visiting|driving)|are (?:flying|traveling|travelling|heading|going|visiting)|next|tomorrow|upcoming|this coming|hope to|want to|would like to|intend to|about to)\b/i.test(t);
}

const ruleTrip: Rule = (c, ctx) => {
  const t = c.text;
  if (c.mood === 'question' || c.negated) return undefined;
  const trip = t.match(new RegExp(`\\b((?:(?:a|an|my|our|the)\\s+)?(?:[\\w-]+\\s+){0,2}?(?:trip|vacation|holiday|journey|tour|visit|getaway|honeymoon|business trip|flight))\\s+to\\s+${PLACE}`));
  const went = t.match(new RegExp(`\\b(?:I|we) (?:just |recently |also |finally |have |had |once |already )*(?:went|traveled|travelled|flew|drove|visited|toured|backpacked|vacationed|returned from|came back from|got back from|have been to|been to|was in|were in|stayed in|spent (?:\\w+\\s+){1,3}in|went on (?:a |an )?(?:\\w+\\s+)?trip to|am (?:flying|traveling|travelling|going|heading|driving) to|are (?:flying|traveling|travelling|going|heading|driving) to|will (?:go|travel|fly|drive|visit|be in) (?:to )?|(?:plan|am planning|want|hope|intend) to (?:go|travel|fly|visit) (?:to )?|am visiting)\\s*(?:to\\s+)?${PLACE}`));
  if (went && !atClauseStart(t, went.index ?? 0)) return undefined;
  const place = went?.[1] ?? trip?.[2];
  if (!place || /^(?:I|The|A|My)$/.test(place)) return undefined;
  const future = futureTense(t) && !/\b(?:went|was|were|visited|flew|drove|traveled|travelled|returned|came back|got back)\b/.test(t);
  if (trip) ctx.trip = `the ${trip[1].replace(/^(?:a|an|my|our|the)\s+/i, '')} to ${trip[2]}`;
  else ctx.trip = `the trip to ${place}`;
  // "Help me plan a trip to Italy": the user is planning it.
  const request = c.mood === 'imperative';
  const value = request ? sentence(`The user ${wantsAssistant(t)}`, 'en') : rewrite(c);
  return [fact(c, ctx, `${future || request ? 'Planned trip' : 'Trip'} to ${place}`, value, { event: true, tags: future || request ? ['travel', 'plan'] : ['travel'], when: true })];
};

const rulePurchase: Rule = (c, ctx) => {
  const t = c.text;
  if (c.mood === 'question' || c.negated) return undefined;
  const m = t.match(/\b(?:I|we) (?:just |recently |finally |also |have |had |already |then )*(bought|purchased|ordered|picked up|paid for|subscribed to|signed up for|booked|reserved|renewed|got myself|splurged on|treated myself to|placed an order for|added (?:.+?) to (?:my|the) cart)\s+(.+)/i);
  if (!m || !atClauseStart(t, m.index ?? 0)) return undefined;
  const obj = cutPhrase(m[2].replace(/^(?:a|an|the|some|my)\s+/i, ''));
  if (!objectOk(obj) || resolveWhen(obj, c.msg.time, ctx.tz, 'en') === resolveWhen(m[2], c.msg.time, ctx.tz, 'en') && /^\S+ (?:days?|weeks?|months?|years?) ago$|^(?:yesterday|today|last \w+)$/i.test(obj)) return undefined;
  const booking = /booked|reserved/i.test(m[1]);
  return [fact(c, ctx, `${booking ? 'Booking' : 'Purchase'}: ${title(obj, 6)}`, rewrite(c), { event: true, tags: [booking ? 'booking' : 'purchase'], when: true })];
};

/** After "I want to"/"I will": talk about the conversation itself, or picking among offered options (handled as a choice). */
const REQUEST_VERBS = /^(?:know|ask|check|see|confirm|understand|find out|clarify|make sure|say|tell|talk|chat|thank|mention|share|try|look|hear|go now|leave now|be honest|add|point out|get started|sleep now|choose|pick|select|go with|opt for|take (?:that|this|it|the first|the second|the last)\b)/i;

const rulePlan: Rule = (c, ctx) => {
  const t = c.text;
  if (c.mood === 'question') return undefined;
  const m = t.match(/\b(?:I|we) (?:am |are |will be |have |had |also |really |just |still |definitely |probably )*(going to|planning to|planning on|plan to|will|intend to|thinking of|thinking about|hope to|want to|would like to|about to|scheduled to|have to|need to|must|supposed to|decided to|have decided to|aim to|am aiming to|expect to|looking forward to)\s+(.+)/i);
  if (m && !c.negated) {
    const obj = m[2].trim();
    if (REQUEST_VERBS.test(obj) || contentWords(obj).length < 2 && !resolveWhen(t, c.msg.time, ctx.tz, 'en')) return undefined;
    const intent = /want|would like|hope|need|thinking/i.test(m[1]);
    // "We are going to the zoo": "going to" is the motion itself, keep it in the title.
    const what = /^(?:the|a|an|my|our)\b/i.test(obj) ? `${m[1]} ${obj}` : obj;
    return [fact(c, ctx, `${intent ? 'Intent' : 'Plan'}: ${title(cutPhrase(what), 8)}`, rewrite(c), { event: true, tags: intent ? ['plan', 'intent'] : ['plan'], when: true })];
  }
  const remind = t.match(/^remind (?:me|us) (?:to |about |that )?(.+)/i);
  if (remind) return [fact(c, ctx, `Reminder: ${title(cutPhrase(remind[1]), 6)}`, sentence(`The user wants to be reminded to ${assistantTask(remind[1])}`, 'en'), { event: true, tags: ['plan', 'reminder'], when: true })];
  if (c.mood === 'imperative' && /^(?:take|bring|go|visit|meet|pick up|call|pay|buy|attend|book|see|drop off|prepare|clean|finish|submit|send|renew|water|walk|feed)\b/i.test(t) && (resolveWhen(t, c.msg.time, ctx.tz, 'en') || c.remember))
    return [fact(c, ctx, `Plan: ${title(cutPhrase(t), 6)}`, sentence(`The user plans to ${assistantTask(t)}`, 'en'), { event: true, tags: ['plan', 'todo'], when: true })];
  return undefined;
};

const ruleExercise: Rule = (c, ctx) => {
  const t = c.text;
  if (c.mood === 'question') return undefined;
  const m = t.match(/\bI (?:just |also |finally |have |had )*(ran|jogged|walked|swam|cycled|biked|rode|hiked|climbed|played|practiced|practised|lifted|worked out|exercised|went (?:running|jogging|swimming|hiking|cycling|biking|climbing|skiing|to the gym)|did (?:some |a )?(?:yoga|pilates|workout|hiit|cardio|push-?ups|squats)|completed|finished)\b(.*)/i);
  if (!m) return undefined;
  const detail = m[2];
  const measured = /\d\s*(?:km|k\b|kilomet(?:er|re)s?|miles?|m\b|meters?|laps?|minutes?|mins?|hours?|hrs?|reps?|sets?|steps)|marathon|\b5k\b|\b10k\b|half marathon/i.test(detail);
  const sport = new RegExp(`\\b(?:${HOBBY})\\b`, 'i').test(t);
  if (!measured && !sport && !/gym|yoga|workout|worked out|exercised/i.test(m[1]) && !resolveWhen(t, c.msg.time, ctx.tz, 'en')) return undefined;
  return [fact(c, ctx, `Exercise: ${title(`${m[1]}${detail}`, 5)}`, rewrite(c), { event: true, tags: ['exercise', 'health'], when: true })];
};

const ruleBehaviour: Rule = (c, ctx) => {
  const t = c.text;
  const m = t.match(new RegExp(`^I (?:also |then |repeatedly |frequently |often )*((?:${BEHAVIOUR_VERBS})(?:\\s+and\\s+(?:${BEHAVIOUR_VERBS}))*)\\s+(.+)`, 'i'));
  if (!m || c.mood === 'question') return undefined;
  const what = m[2].trim();
  const out: ItemDraft[] = [fact(c, ctx, `Behavior: ${title(`${m[1]} ${what}`, 6)}`, rewrite(c), { event: true, tags: ['behavior'], when: true })];
  const reason = `Inferred from the user's behaviour: "${c.original.trim()}".`;
  const interest = cutPhrase(what.replace(/^(?:on |the |a |an |to |into |for |in )+/i, '')).replace(/\s+(?:ad|advert|advertisement|banner|link|page|post)\b.*$/i, '').replace(/^["'“‘]|["'”’]$/g, '');
  if (RISK_LOW.test(what) && /(?:fund|invest|financ|stock|bond|portfolio|wealth|deposit|insurance|理财|基金)/i.test(what))
    out.push(implicit('The user may prefer low-risk, conservative investments (fixed income, stable funds).', reason, 'risk', ['preference', 'finance', 'risk']));
  else if (RISK_HIGH.test(what))
    out.push(implicit('The user may accept higher-risk investments.', reason, 'risk', ['preference', 'finance', 'risk']));
  if (out.length === 1 && /bookmark|favou?rite|saved|added|subscribed|clicked|followed|starred|browsed|searched/i.test(m[1]) && interest && contentWords(interest).length)
    out.push(implicit(`The user may be interested in ${interest}.`, reason, `interest:${slug(interest)}`, ['preference', 'interest']));
  return out;
};

/** Nouns whose "my X is Y" the specific rules already handle, or that describe a passing moment. */
const NOT_ATTRIBUTES = new RegExp(`^(?:${REL}|${PET}|name|job|hobby|hobbies|favou?rite.*|size|budget|computer|laptop|phone|car|day|week|morning|night|weekend|life|head|back|knee|heart|mind|bad|fault|pleasure|turn|point|question|problem|guess|god|goodness)$`, 'i');

/**
 * "My birthday is March 3rd", "My goal is to open a bakery": a named attribute of the user, one state per attribute.
 */
const ruleAttribute: Rule = (c, ctx) => {
  const t = c.text;
  if (c.mood !== 'statement') return undefined;
  const m = t.match(/^my ((?:[a-z-]+\s+){0,2}?[a-z-]+) (?:is|are|was|will be)\s+(.+)$/i);
  // Progressive, passive or dated values ("is paying off", "was hit by a flood last week") are events, not attributes.
  if (m && (/^(?:\w+ing|been|being|\w+ed|by)\b/i.test(m[2]) || resolveWhen(t, c.msg.time, ctx.tz, 'en'))) return undefined;
  if (!m || NOT_ATTRIBUTES.test(m[1]) || NOT_ATTRIBUTES.test(m[1].split(/\s+/)[0]) || !objectOk(cutPhrase(m[2]).replace(/^(?:to|a|an|the|at|on|in)\s+/i, '')) || /^(?:so|very|really|too|great|good|bad|fine|ok|okay|awesome|amazing|nice|killing|driving)\b/i.test(m[2])) return undefined;
  return [fact(c, ctx, title(m[1], 4), rewrite(c), { stateKey: `my:${slug(m[1])}`, tags: ['profile'] })];
};

// ---------------------------------------------------------------- generic fallback

const LOW_INFO =
  /^I (?:(?:totally|really|completely|fully|100%|just|so|absolutely|definitely|also|do|still|truly)\s+)*(?:think|guess|believe|suppose|hope|see|know|agree|understand|mean|feel|am (?:fine|good|okay|ok|well|sure|not sure|here|back|glad|happy|sorry|afraid|just|in a meeting|busy|on my way|driving|typing|ready|done|curious|wondering|confused|lost|so happy|so glad|off to|heading out|heading off)|will (?:check|see|think|try|let you know|be right back|get back)|have (?:to go|a question|another question|a few questions|no idea|one more question)|would (?:love|like) (?:that|it|to)|can(?:not)? (?:see|tell|wait)|just (?:wanted|want)|was (?:just|wondering)|do not know|cannot remember|forgot)\b/i;

/** Social talk aimed at the other person ("proud of you", "wishing you ..."): nothing about the user. */
const ABOUT_YOU = /\b(?:proud of|glad|happy for|wishing|wish|thank|love|miss|appreciate|agree with|admire|impressed by|jealous of|rooting for|here for|with) (?:you|your)\b|^I (?:hope|bet|know|see|guess|think|believe) (?:you|your)\b/i;

/** "We can do it", "let's ...": encouragement, not a fact. */
const WE_GENERIC = /^(?:we|the user and others) (?:can|could|should|all|must|need to|will always|have to|got this)\b/i;

const ruleGeneric: Rule = (c, ctx) => {
  const t = c.text;
  if (c.mood !== 'statement') return undefined;
  // Also "Growing up, I saw ..." and "Especially after I failed the test, I ...": an opener, then the user.
  const firstPerson = new RegExp(`^(?:(?:${TIME_LEAD}),?\\s+|[^,]{1,60},\\s*)?(?:I|my|we|our)\\b`, 'i').test(t) || /^(?:especially |ever since |back when |once |after |before |when |since )?(?:I|we)\b/i.test(t.replace(/^\w+\s+(?=after|before|when|since)/i, ''));
  const person = ctx.person && /^(?:he|she)\b/i.test(t) && ctx.lastTopic === 'person';
  if (!firstPerson && !person) return undefined;
  const body = person ? `my ${ctx.person!.word}${ctx.person!.name ? ` ${ctx.person!.name}` : ''} ${t.replace(/^(?:he|she)\s+/i, '')}` : t;
  const cw = contentWords(body.replace(/^(?:I|my|we|our)\s+\w+/, ''));
  if (cw.length < 2 || body.length < 14) return undefined;
  if (LOW_INFO.test(body) && contentWords(body.replace(LOW_INFO, '')).length < 3) return undefined;
  if (ABOUT_YOU.test(body) || WE_GENERIC.test(body)) return undefined;
  const value = rewrite(c, body);
  const verb = /\b(?:I|we) (?:just |recently |also |finally |then |really |actually )*([a-z]+)\b/i.exec(body)?.[1] ?? '';
  const isEvent = !!resolveWhen(body, c.msg.time, ctx.tz, 'en') || (isPastVerb(verb) && !/^(?:was|were|had|used)$/i.test(verb));
  const family = /^(?:my|our) (?:wife|husband|kids?|children|son|daughter|mom|mother|dad|father|parents|brother|sister|partner|family)\b/i.test(body);
  const opinion = /^I (?:think|believe|feel|guess|suppose)\b/i.test(body);
  const tags = family ? ['family'] : opinion ? ['opinion'] : isEvent ? ['event'] : ['statement'];
  const key = value.replace(/^The user(?:'s)?\s+(?:and (?:family|others)\s+)?/, '').replace(/^(?:is|are|was|were|has been|have been|will be)\s+/i, '');
  return [fact(c, ctx, title(key, 6), value, { memoryType: 'LongTermMemory', event: isEvent, tags, when: true })];
};

// ---------------------------------------------------------------- ordering

/**
 * Rule groups run in order; inside a group the first rule that matches wins (so "I like hiking" is a hobby,
 * not also a food-style like). The generic fallback only runs when no group matched.
 */
export const EN_GROUPS: Rule[][] = [
  [ruleName, ruleAge],
  [ruleJob],
  [ruleResidence],
  [ruleFamily],
  [rulePet],
  [ruleDevice],
  [ruleHealth],
  [ruleAttribute],
  [ruleStyle, ruleShopping, ruleRisk, ruleHobby, rulePreference, ruleAvoid],
  [ruleComplaint],
  [ruleTrip, rulePurchase, ruleExercise, ruleBehaviour, rulePlan],
];

export const EN_FALLBACK: Rule = ruleGeneric;
