/**
 * Offline reading of profile fields from what a user says: where they live, their clothing size, their budget,
 * their job and their name, in English and Chinese. A template field is read this way when its `extract` says
 * which of these it holds, or when its name says so ("city", "居住地", "size", "budget"...).
 */
export type ProfileFieldKind = 'city' | 'size' | 'budget' | 'job' | 'name';

const FIELD_NAMES: Array<[ProfileFieldKind, RegExp]> = [
  ['city', /city|residence|location|hometown_now|where_?live|居住地|常住|城市|所在地/i],
  ['size', /size|尺码|尺寸|码数/i],
  ['budget', /budget|预算/i],
  ['job', /job|occupation|profession|职业|工作/i],
  ['name', /^(name|full_?name|姓名|名字)$/i],
];

export const PROFILE_FIELD_KINDS = FIELD_NAMES.map(([k]) => k);

/** Which kind a template field holds: its explicit `extract`, else what its name says, else none. */
export function fieldKind(name: string, extract: unknown): ProfileFieldKind | undefined {
  if (typeof extract === 'string') return PROFILE_FIELD_KINDS.find((k) => k === extract);
  return FIELD_NAMES.find(([, re]) => re.test(name))?.[0];
}

const PLACE = "([A-Z][\\p{L}'.-]*(?:[ -][A-Z][\\p{L}'.-]*){0,3})";
const ZH_PLACE = '([\\u4e00-\\u9fa5]{2,8}?)';
/** What ends a Chinese place name: punctuation, the end, or the verb that follows it ("搬到上海工作"). */
const ZH_PLACE_END = '了|，|,|。|！|!|工作|生活|定居|上班|读书|上学|$';

const PATTERNS: Record<ProfileFieldKind, RegExp[]> = {
  city: [
    new RegExp(`\\b(?:moved|relocated) to ${PLACE}`, 'u'),
    new RegExp(`\\bI (?:now |currently )?live in ${PLACE}`, 'u'),
    new RegExp(`\\bI(?:'m| am) (?:now )?(?:based|living) in ${PLACE}`, 'u'),
    // A plan ("下个月要搬到…") is not a move: only a move that has happened, or where they live now.
    new RegExp(`^(?!.*(?:要|将|打算|准备|计划|想)搬).*?搬到了?${ZH_PLACE}(?=${ZH_PLACE_END})`, 'u'),
    new RegExp(`我(?:现在)?住在${ZH_PLACE}(?=${ZH_PLACE_END})`, 'u'),
  ],
  size: [
    /\b(?:I (?:wear|take)(?: a)?(?: size)?|my size is|size)\s+(XXS|XS|S|M|L|XL|XXL|XXXL|\d{1,2}(?:\.\d)?)\b/i,
    /尺码(?:是|为)?\s*([A-Za-z]{1,4}|\d{1,3})/,
    /穿\s*([SMLXsmlx]{1,4}|\d{1,3})\s*码/,
  ],
  budget: [
    /\bbudget (?:is |of )?((?:under|below|around|about|up to|less than|at most)?\s*[$€£¥]\s?\d[\d,.]*(?:\s?k)?|(?:under|below|around|about|up to|less than|at most)?\s*\d[\d,.]*\s?(?:dollars|usd|euros|yuan|rmb|元))/i,
    /预算(?:是|在|为)?\s*(\d[\d,.]*\s*(?:元|块|美元)?(?:以内|以下|左右)?)/,
  ],
  job: [/\bI work as an? ([a-z]+(?: [a-z]+){0,2}?)(?=[,.!;]| at | in | for |$)/i, /我(?:的职业)?是一?名([\u4e00-\u9fa5]{2,6}?)(?:，|,|。|$)/],
  name: [/\bmy name is ([A-Z][\p{L}'-]+(?: [A-Z][\p{L}'-]+)?)/u, /我叫([\u4e00-\u9fa5]{2,4}?)(?:，|,|。|$)/],
};

/** The value a message states for a field kind, if it states one. */
export function readField(kind: ProfileFieldKind, text: string): string | undefined {
  for (const re of PATTERNS[kind]) {
    const m = text.match(re);
    if (m?.[1]) return m[1].trim().replace(/[.,!?。，！]+$/, '');
  }
  return undefined;
}
