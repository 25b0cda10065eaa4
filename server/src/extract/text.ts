/**
 * Text helpers for the rule-based extractor: sentence and clause splitting, contraction expansion and the
 * first-person → third-person rewrite that turns "I moved to Shanghai" into "The user moved to Shanghai.".
 * Rewriting the user's own clause (instead of composing new text) keeps the key nouns, so lexical search finds them.
 */

export type Lang = 'en' | 'zh';

const HAN = /[\u3400-\u9fff]/g;

/** Chinese when Han characters make up a real share of the letters. */
export function detectLang(text: string): Lang {
  const han = (text.match(HAN) ?? []).length;
  const latin = (text.match(/[A-Za-z]+/g) ?? []).length;
  return han > 0 && han >= latin ? 'zh' : 'en';
}

const ABBREVIATIONS = /(?:\b(?:mr|mrs|ms|dr|prof|st|jr|sr|vs|etc|e\.g|i\.e|approx|no|inc|ltd|u\.s|a\.m|p\.m)\.)$/i;

/** Split a message into sentences, keeping the end punctuation (question marks matter later). */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n+/)) {
    // Latin end marks need a following space ("5.5 km" stays whole); CJK ones do not.
    const pieces = line.split(/(?<=[.!?…])\s+|(?<=[。！？；])\s*/);
    let buf = '';
    for (const piece of pieces) {
      buf = buf ? `${buf} ${piece}` : piece;
      // "Mr. Smith", "e.g. this": not a sentence end.
      if (ABBREVIATIONS.test(buf.trim())) continue;
      if (buf.trim()) out.push(buf.trim());
      buf = '';
    }
    if (buf.trim()) out.push(buf.trim());
  }
  return out.filter((s) => /[\p{L}\p{N}]/u.test(s));
}

const CONTRACTIONS: Array<[RegExp, string]> = [
  [/[’‘]/g, "'"],
  [/\bI'm\b/gi, 'I am'],
  [/\bIm\b(?= [a-z])/g, 'I am'],
  [/\bI've\b/gi, 'I have'],
  [/\bI'll\b/gi, 'I will'],
  [/\bI'd\b/gi, 'I would'],
  [/\bwe're\b/gi, 'we are'],
  [/\bwe've\b/gi, 'we have'],
  [/\bwe'll\b/gi, 'we will'],
  [/\bthey're\b/gi, 'they are'],
  [/\byou're\b/gi, 'you are'],
  [/\b(he|she|it|that|there|what|who)'s (been|got|gotten|had)\b/gi, '$1 has $2'],
  [/\b(he|she|it|that|there|what)'s\b/gi, '$1 is'],
  [/\bcan't\b/gi, 'cannot'],
  [/\bwon't\b/gi, 'will not'],
  [/\bshan't\b/gi, 'shall not'],
  [/\b(do|does|did|is|are|was|were|have|has|had|could|would|should|must|need)n't\b/gi, '$1 not'],
  [/\bgonna\b/gi, 'going to'],
  [/\bwanna\b/gi, 'want to'],
  [/\bgotta\b/gi, 'have to'],
  [/\bkinda\b/gi, 'kind of'],
];

/** "I'm" → "I am", "don't" → "do not": rules then only need to match one spelling. */
export function expandContractions(s: string): string {
  return CONTRACTIONS.reduce((acc, [re, to]) => acc.replace(re, to), s);
}

const IRREGULAR_PAST = new Set(
  ('went bought ran ate drank saw got had made took came gave found felt left lost met paid put said sent spent told ' +
    'thought wrote won flew drove swam sang began became broke brought built caught chose did drew fell forgot grew ' +
    'held hurt kept knew led let lit meant rode rose set shot shut sold slept spoke stood stole taught threw understood ' +
    'woke wore fought heard hid hung sat shook sought spun stuck swore swept tore bent bit blew bred burnt dealt dug ' +
    'fed fled flung forbade forgave froze hid laid lent mistook overcame rang sank slid sprang stank strove stung ' +
    'swung wept wound withdrew was were read cut hit quit')
    .split(' '),
);

/** Past-tense verb form (regular "-ed" or a common irregular one). */
export function isPastVerb(word: string): boolean {
  const w = word.toLowerCase();
  return IRREGULAR_PAST.has(w) || (/ed$/.test(w) && w.length > 3 && !['need', 'feed', 'seed', 'bleed', 'speed', 'breed', 'proceed', 'succeed', 'exceed'].includes(w));
}

const NOT_VERBS = new Set(['a', 'an', 'the', 'and', 'or', 'but', 'so', 'to', 'in', 'on', 'at', 'of', 'for', 'with', 'not', 'no', 'too', 'myself', 'alone']);

/** Third-person singular present: "go" → "goes", "try" → "tries", "have" → "has". */
export function thirdSingular(verb: string): string {
  const w = verb.toLowerCase();
  const special: Record<string, string> = { have: 'has', do: 'does', go: 'goes', be: 'is', am: 'is' };
  if (special[w]) return special[w];
  if (isPastVerb(w) || NOT_VERBS.has(w) || (/s$/.test(w) && !/(?:ss|us)$/.test(w))) return verb;
  if (/(?:ss|sh|ch|x|z|o)$/.test(w)) return `${verb}es`;
  if (/[^aeiou]y$/.test(w)) return `${verb.slice(0, -1)}ies`;
  return `${verb}s`;
}

const ADVERBS =
  '(?:(?:also|really|just|usually|still|now|never|always|often|recently|actually|only|even|already|currently|mostly|generally|sometimes|truly|absolutely|definitely|totally|kind of|sort of|no longer|rarely|seldom|normally|typically|personally|mainly|especially|particularly|finally|then|first|later|honestly|mostly|simply|occasionally|regularly|genuinely)\\s+)*';

const MODALS = /^(?:will|would|can|cannot|could|should|must|may|might|did|had|used|was|shall)$/i;

/**
 * Rewrite an English first-person clause in the third person.
 * "I can't eat oily food now, and I prefer something lighter" → "The user cannot eat oily food now, and the user prefers something lighter."
 */
export function thirdPersonEn(clause: string, opts: { family?: boolean } = {}): string {
  let s = expandContractions(clause.trim());
  s = s.replace(/\bI am\b/g, 'the user is').replace(/\bI was\b/g, 'the user was');
  s = s.replace(/\bI do not\b/g, 'the user does not').replace(/\bI do\b/g, 'the user does');
  s = s.replace(new RegExp(`\\bI (${ADVERBS})([A-Za-z-]+)\\b`, 'g'), (_m, adv: string, verb: string) => {
    if (MODALS.test(verb)) return `the user ${adv}${verb}`;
    return `the user ${adv}${thirdSingular(verb)}`;
  });
  s = s.replace(/\bI\b/g, 'the user');
  s = s.replace(/\bmy\b/gi, "the user's").replace(/\bmine\b/gi, "the user's").replace(/\bmyself\b/gi, 'themselves');
  s = s.replace(/\bme\b/gi, 'the user');
  const group = opts.family ? 'the user and family' : 'the user and others';
  s = s.replace(/\bwe\b/gi, group).replace(/\bus\b/g, group).replace(/\bour(s)?\b/gi, "the user's");
  s = s.replace(/\byour\b/gi, "the assistant's").replace(/\byou\b/gi, 'the assistant');
  return sentence(s, 'en');
}

/** Rewrite a Chinese first-person clause: 我 → 用户. */
export function thirdPersonZh(clause: string, opts: { family?: boolean } = {}): string {
  let s = clause.trim();
  s = s.replace(/我们家|咱们家|咱家/g, '用户家');
  s = s.replace(/我们|咱们/g, opts.family ? '用户一家' : '用户等人');
  s = s.replace(/我的/g, '用户的').replace(/我/g, '用户');
  s = s.replace(/您/g, '助手').replace(/你/g, '助手');
  if (!s.includes('用户')) s = `用户${s}`;
  return sentence(s, 'zh');
}

export function thirdPerson(clause: string, lang: Lang, opts: { family?: boolean } = {}): string {
  return lang === 'zh' ? thirdPersonZh(clause, opts) : thirdPersonEn(clause, opts);
}

/** Capitalised, trimmed and ended with one full stop. */
export function sentence(s: string, lang: Lang): string {
  let t = s.trim().replace(/\s+/g, ' ').replace(/\s+([,.;!?])/g, '$1');
  t = t.replace(/[\s,;:，；、]+$/u, '');
  if (lang === 'zh') {
    t = t.replace(/[。！!？?.,，]+$/u, '');
    return `${t}。`;
  }
  t = t.replace(/[.!?]+$/u, '');
  return `${t.charAt(0).toUpperCase()}${t.slice(1)}.`;
}

export function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** Normalised identifier fragment for stateKeys: lower case, no articles, singular-ish, at most 3 words. */
export function slug(s: string): string {
  const zh = detectLang(s) === 'zh';
  if (zh) return s.replace(/[的了吧呢啊呀和及与、，,。.!！?？\s]/g, '').slice(0, 8);
  const words = s
    .toLowerCase()
    .replace(/[^a-z0-9\s-]/g, ' ')
    .split(/\s+/)
    .filter((w) => w && !STOP_WORDS.has(w))
    .map(singular);
  return words.slice(0, 3).join('-');
}

const IE_PLURALS = /^(?:movies|cookies|brownies|smoothies|selfies|zombies|calories|pies|ties|lies|hoodies|goodies|veggies|rookies|series|species|aunties|sweeties|newbies|freebies)$/;

export function singular(w: string): string {
  if (w.length <= 3 || /(?:ss|us|is)$/.test(w)) return w;
  if (IE_PLURALS.test(w)) return w === 'series' || w === 'species' ? w : w.slice(0, -1);
  if (/ies$/.test(w)) return `${w.slice(0, -3)}y`;
  if (/(?:ches|shes|xes|oes)$/.test(w)) return w.slice(0, -2);
  if (/s$/.test(w)) return w.slice(0, -1);
  return w;
}

export const STOP_WORDS = new Set(
  ('a an the some any my your his her its our their this that these those of to in on at for with and or but ' +
    'very really so too quite just also more most much many lot lots kind sort bit little all is are am was be been ' +
    'being it them they he she i me we you do does did not no can will would should could now anymore any more ' +
    'eating eat drink drinking food foods stuff things thing one ones than')
    .split(' '),
);

/** Content words (for noise checks and keys). */
export function contentWords(s: string): string[] {
  return (s.toLowerCase().match(/[a-z][a-z'-]+|\d+/g) ?? []).filter((w) => !STOP_WORDS.has(w));
}

/** A short title from a phrase: at most `max` words, first letter upper case. */
export function title(phrase: string, max = 6): string {
  const zh = detectLang(phrase) === 'zh';
  const t = zh
    ? phrase.replace(/[。！？.!?，,]+$/u, '').slice(0, 16)
    : phrase.replace(/[.!?,;]+$/u, '').split(/\s+/).slice(0, max).join(' ');
  return t.charAt(0).toUpperCase() + t.slice(1);
}

/** Cut a captured object phrase at the first clause boundary ("apples because ..." → "apples"). */
export function cutPhrase(s: string): string {
  return s
    .split(/\s*(?:[,;:.!?()]|\s[-–—]\s|\s(?:because|since|but|when|whenever|if|so that|which|who|although|though|while|as well|anymore|any more|these days|nowadays|lately|at the moment|right now)\b)\s*/i)[0]
    .replace(/\s+(?:now|too|either|much|a lot|very much|so much|at all)$/i, '')
    .trim();
}
