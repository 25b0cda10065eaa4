/**
 * Clause model: a user message is cut into sentences, then into clauses that each say one thing.
 * "I like apples, dislike bananas" becomes "I like apples" + "I dislike bananas" (the subject carries over),
 * while "Keep replies short, not too wordy" stays one clause because its second half adds no new statement.
 */
import type { ExtractMessage } from './types';
import { detectLang, expandContractions, isPastVerb, splitSentences, type Lang } from './text';

export type Mood = 'statement' | 'question' | 'imperative' | 'fragment';

export interface Clause {
  lang: Lang;
  /** Normalised clause: contractions expanded, fillers dropped, implied subject written out ("I clicked ..."). */
  text: string;
  /** The clause as the user wrote it, for reasoning strings. */
  original: string;
  /** The whole sentence the clause came from (normalised the same way). */
  sentence: string;
  /** Position of the sentence in the message, so clauses of one sentence can be merged. */
  sentenceIndex: number;
  mood: Mood;
  /** The user corrected an earlier statement ("actually", "其实", "wrong"). */
  correction: boolean;
  /** An addition rather than a replacement ("also", "too", "也"). */
  also: boolean;
  /** The user asked for it to be remembered ("please remember it", "帮我记一下"). */
  remember: boolean;
  /** The clause contains a negation ("not", "never", "不", "没"). */
  negated: boolean;
  msg: ExtractMessage;
}

// ---------------------------------------------------------------- English

const EN_FILLERS =
  /^(?:(?:by the way|btw|anyway|anyways|honestly|basically|actually|also|just so you know|fyi|to be honest|tbh|you know|i mean|in fact|oh|ah|um+|uh+|hmm+|haha+|lol|wow|and|but|so|plus|then)\b[,:]?\s*|(?:well|ok(?:ay)?|yes|yeah|yep|no|nope|sure|right|wrong|correct|true|like|hey|hi|hello|alright|oh no)(?:\s*[,:!]\s*|\s*$))/i;

const EN_REMEMBER_HEAD = /^(?:please\s+)?(?:remember|note|keep in mind|do not forget|don't forget)(?: that)?[,:]?\s+(?!to\b)/i;
const EN_REMEMBER_TAIL = /[,;]?\s*(?:and\s+)?(?:please\s+)?(?:remember|note|memori[sz]e|keep in mind|do not forget)(?:\s+(?:it|that|this))?(?:\s+for me)?(?:,?\s*please)?\s*[.!]*$/i;

const EN_SUBJECT =
  /^(?:I|my|we|our|he|she|it|they|his|her|their|the\s+(?:kids?|children|child|son|daughter|baby|dog|cat|puppy|kitten|pet)|(?:[A-Z][a-z]+)\s+(?:is|was|has|had|loves|likes|hates|will|does|did|cannot|can)\b)\b/;

const EN_VERB_START =
  /^(?:(?:also|really|still|now|just|never|usually|often|always|actually|currently|recently)\s+)*(?:like|love|dislike|hate|prefer|enjoy|adore|do not|cannot|will not|never|no longer|am|have|live|lived|work|worked|play|moved|bought|ordered|purchased|went|eat|drink|use|own|study|got|traveled|travelled|visited|plan|want|need|weigh|speak|wake up|drive|usually)\b/i;

/** A question opener: a wh-word not starting a subordinate clause ("When I travel, ..."), or an inverted auxiliary. */
const EN_QUESTION_START =
  /^(?:(?:what|which|where|when|why|who|whom|whose|how)\b(?!\s+(?:I|we|[a-z]+ing)\b)|(?:do|does|did|can|could|would|will|should|shall|is|are|am|was|were|may|might|have|has)\s+(?:I|you|we|they|he|she|it|there|my|your|this|that|the|any|anyone|someone)\b|any\s+\w+|anything\b)/i;

/** A leading subordinate part that belongs to the clause after it ("When writing summaries, I prefer ..."). */
const EN_OPENER = /^(?:when|whenever|if|for|while|during|after|before|as|since|from now on|in (?:the )?future|going forward|on|in|especially|ever since|back when|once|until|[a-z]+ing\b(?! (?:is|are|was|were)\b))/i;

const EN_REQUEST = /^(?:(?:can|could|would|will) you(?: please)?|please|i (?:want|need|would like) you to|i'd like you to)\s+/i;

export const EN_IMPERATIVE =
  /^(?:please\s+)?(?:keep|make|use|write|start|begin|avoid|give|list|add|include|remind|call|send|book|take|bring|buy|reply|answer|respond|tell|show|put|set|plan|schedule|check|stop|try|be|go|get|find|translate|summari[sz]e|explain|format|open|end|sign|limit|focus|skip|always|never|do not|don't|no need to|pick|drop|cut|sort|mark|save|note|prepare|draft|organi[sz]e|arrange)\b/i;

const GERUND_START = /^(?:[a-z]+ing)\b/i;
const SUBJECTLESS_AM = /^(?:excited|interested|married|tired|worried|happy|glad|thrilled|stuck|busy|done|based|located|obsessed|addicted|allergic|scared|afraid|nervous|bored)\b/i;

function stripFillers(s: string): { text: string; correction: boolean; also: boolean } {
  let text = s.trim();
  let correction = false;
  let also = false;
  for (let i = 0; i < 4; i++) {
    const m = text.match(EN_FILLERS);
    if (!m) break;
    if (/actually|in fact|wrong/i.test(m[0])) correction = true;
    if (/also|plus/i.test(m[0])) also = true;
    text = text.slice(m[0].length).trim();
  }
  return { text, correction, also };
}

/** A finite verb: the sentence has its own subject and predicate ("Taking care of ourselves is key"). */
const FINITE = /\b(?:is|are|was|were|makes?|made|has|have|had|sounds?|looks?|means?|feels?|seems?|brings?|helps?|gives?|can|will|would|should|could|must|does|do)\b/i;

/** "Excited to ..." but not "Went to ...": a participle used as an adjective takes "I am". */
const PAST_NOT_ADJECTIVE = /^(?:went|moved|got|came|flew|drove|talked|listened|looked|signed|applied|switched|traveled|travelled|returned)$/i;

/** Write out the subject a casual or log-style clause left implied ("Clicked the ad" → "I clicked the ad"). */
function impliedSubjectEn(seg: string, sentence: string): string {
  const [first = '', secondRaw = ''] = seg.split(/\s+/);
  const second = secondRaw.toLowerCase();
  const head = sentence.split(/\s+[-–—:]\s+|\s*[;:]\s*/)[0];
  if (/^(?:going to|gonna)\b/i.test(seg)) return `I am ${seg.replace(/^gonna/i, 'going to')}`;
  // "Growing up, I saw ...": a participle phrase before the real subject.
  if (/^[a-z]+ing\b[^,]*,\s*(?:I|we|my|our|he|she|they)\b/i.test(sentence)) return seg;
  if (/^been\b/i.test(seg)) return `I have ${seg}`;
  if (SUBJECTLESS_AM.test(seg) || (isPastVerb(first) && ['to', 'about', 'with', 'for', 'by', 'in', 'of', 'at'].includes(second) && !PAST_NOT_ADJECTIVE.test(first)))
    return `I am ${lowerFirstWord(seg)}`;
  // "Flying to Beijing next Wed" leaves out "I am".
  if (GERUND_START.test(first) && !FINITE.test(head) && !/^(?:nothing|something|anything|everything|morning|evening|spring|thing|king|ring|string|ceiling|building|wedding|meeting|clothing|feeling|painting)$/i.test(first))
    return `I am ${lowerFirstWord(seg)}`;
  if (isPastVerb(first) || (/^(?:just|recently|finally|already)$/i.test(first) && isPastVerb(second)) || (/^(?:love|loved|hate|adore)\b/i.test(first) && !FINITE.test(head)))
    return `I ${lowerFirstWord(seg)}`;
  return seg;
}

function lowerFirstWord(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}

/** Subject of a clause, to carry over to a following clause that has none. */
function subjectOf(text: string): string {
  const m = text.match(/^(I|my \w+|the \w+|he|she|it|they|we)\b/i);
  return m ? m[1] : 'I';
}

interface Draft {
  text: string;
  original: string;
  correction: boolean;
  also: boolean;
}

/** Split at commas/semicolons (not inside numbers) and before conjunctions, keeping each separator. */
function segmentsEn(sentence: string): Array<{ sep: string; seg: string }> {
  const parts = sentence.split(/(\s*[,;](?!\d{3}\b)\s*|\s+(?=(?:and|but|so|because|while|though|although|plus|yet)\s))/i);
  const out: Array<{ sep: string; seg: string }> = [];
  for (let i = 0; i < parts.length; i += 2) if (parts[i]?.trim()) out.push({ sep: (parts[i - 1] ?? '').trim(), seg: parts[i] });
  return out;
}

function clausesEn(sentence: string): Draft[] {
  const out: Draft[] = [];
  // A segment that is only a filler ("Wrong, ...") passes its cues on to the next clause.
  let pending = { correction: false, also: false };
  for (const { sep, seg: raw } of segmentsEn(sentence)) {
    const conj = /^(?:and|but|so|because|while|though|although|plus|yet|then)\s+/i.test(raw);
    const stripped = stripFillers(raw);
    const correction = stripped.correction || pending.correction;
    const also = stripped.also || pending.also;
    // Lower-case a leading determiner so rules can match "my wife" however the sentence began.
    const rest = stripped.text.replace(/^(My|Our|The|We|He|She|It|They|His|Her|Their)\b/, (w) => w.toLowerCase());
    if (!rest) {
      pending = { correction, also };
      continue;
    }
    pending = { correction: false, also: false };
    const cur = out[out.length - 1];
    const fresh = (text: string) => out.push({ text, original: raw.trim(), correction, also });
    const glue = sep ? `${sep} ` : ' ';
    const append = () => {
      cur.text += `${glue}${raw.trim()}`;
      cur.original += `${glue}${raw.trim()}`;
      cur.correction ||= correction;
      cur.also ||= also;
    };
    const openerOnly = !!cur && EN_OPENER.test(cur.text) && !cur.text.includes(',');
    if (!cur) fresh(impliedSubjectEn(rest, stripFillers(sentence).text));
    else if (openerOnly) append();
    else if (EN_SUBJECT.test(rest) || (EN_QUESTION_START.test(rest) && !conj)) fresh(rest);
    else if (EN_VERB_START.test(rest)) fresh(`${subjectOf(cur.text)} ${rest}`);
    else if (GERUND_START.test(rest) && /^I am \w+ing\b/.test(cur.text)) fresh(`I am ${rest}`);
    else append();
  }
  return out;
}

function moodEn(text: string, isLast: boolean, endsWithQuestion: boolean): { mood: Mood; text: string } {
  const req = text.match(EN_REQUEST);
  if (req) return { mood: 'imperative', text: text.slice(req[0].length) };
  if (EN_QUESTION_START.test(text) && !/^(?:do not|does not|did not|is not|are not|have not|has not)\b/i.test(text)) return { mood: 'question', text };
  if (isLast && endsWithQuestion && !/^(?:I|my|we|our)\b/.test(text)) return { mood: 'question', text };
  if (/^(?:I wonder|I was wondering|I am wondering|I want to know|I would like to know|I need to know|tell me|let me know)\b/i.test(text)) return { mood: 'question', text };
  if (EN_IMPERATIVE.test(text)) return { mood: 'imperative', text: text.replace(/^please\s+/i, '') };
  // "size M", "no polyester", "budget under $30": short and verbless.
  if (text.split(/\s+/).length <= 7 && !/\b(?:I|my|we|our|he|she|it|they|you|your)\b/i.test(text) && !/\b(?:is|are|was|were|has|have|had|do|does|did|will|can|would|should|could)\b/i.test(text))
    return { mood: 'fragment', text };
  return { mood: 'statement', text };
}

// ---------------------------------------------------------------- Chinese

const ZH_FILLERS = /^(?:对了|顺便说一下|顺便说|顺便|另外|其实|实际上|说实话|老实说|话说|嗯+|哦+|噢|呃|额|那个|然后|所以|而且|但是|不过|可是|还有|哈哈+|啊|好的|好吧|不对|错了|更正一下|更正|补充一下|补充)[，,、\s]*/;
const ZH_REMEMBER = /(?:请|麻烦)?(?:帮我|给我)?(?:记住|记一下|记下来|记下|记着|别忘了|不要忘了)(?:这件事|这个|哦|啊|吧|一下)?[。！!]*$/;
const ZH_SUBJECT = /^(?:我|咱|它|他|她|孩子|小孩|儿子|女儿|老婆|老公|妻子|丈夫|太太|爱人|宝宝|狗狗|猫咪|小狗|小猫|爸爸|妈妈|父母|膝盖|腰|头|腿|肩膀|脖子|脚踝|手腕|胃|肚子|嗓子|喉咙|眼睛|牙)/;
const ZH_VERB_START = /^(?:喜欢|不喜欢|爱吃|爱|讨厌|不吃|不能|不要|不想|不爱|也|还|住在|住|是|现在|平时|最近|已经|想|要|打算|计划|准备|更喜欢|偏好|受不了|吃不了|对.{1,8}过敏)/;
export const ZH_QUESTION = /[？?]$|吗[？?。]?$|呢[？?。]?$|什么|怎么|怎样|如何|哪|几[个点天号岁次]|多少|为什么|为啥|是不是|能不能|可不可以|有没有|是否|要不要|好不好|行不行/;
export const ZH_IMPERATIVE = /^(?:请|帮我|麻烦|给我|以后|今后|之后|回复|回答|写|总结|记得|不要|别|尽量|每次|务必|一定要)/;

function clausesZh(sentence: string): Draft[] {
  const out: Draft[] = [];
  for (const raw of sentence.split(/[，,；;]/).map((s) => s.trim()).filter(Boolean)) {
    let rest = raw;
    let correction = false;
    let also = false;
    for (let i = 0; i < 3; i++) {
      const m = rest.match(ZH_FILLERS);
      if (!m || !m[0]) break;
      if (/其实|实际上|不对|错了|更正/.test(m[0])) correction = true;
      if (/还有|另外|补充/.test(m[0])) also = true;
      rest = rest.slice(m[0].length);
    }
    if (!rest) continue;
    if (/^也|^还/.test(rest)) also = true;
    const cur = out[out.length - 1];
    const fresh = (text: string) => out.push({ text, original: raw, correction, also });
    if (!cur || ZH_SUBJECT.test(rest) || ZH_QUESTION.test(rest) || ZH_QUESTION.test(cur.text)) fresh(rest);
    else if (ZH_VERB_START.test(rest)) fresh(`${/^我/.test(cur.text) ? '我' : ''}${rest}`);
    else {
      cur.text += `，${rest}`;
      cur.original += `，${raw}`;
      cur.correction ||= correction;
      cur.also ||= also;
    }
  }
  return out;
}

function moodZh(text: string): Mood {
  if (ZH_QUESTION.test(text) && !/^我(?:不知道|想知道)/.test(text)) return 'question';
  if (/^我(?:想知道|想问|想请教|请问)/.test(text)) return 'question';
  if (ZH_IMPERATIVE.test(text)) return 'imperative';
  if (!/我|它|他|她/.test(text) && text.length <= 8) return 'fragment';
  return 'statement';
}

// ---------------------------------------------------------------- both

/** Cut one message into clauses. */
export function clausesOf(msg: ExtractMessage): Clause[] {
  const out: Clause[] = [];
  splitSentences(msg.text).forEach((rawSentence, sentenceIndex) => {
    const lang = detectLang(rawSentence);
    if (lang === 'zh') {
      let s = rawSentence;
      const remember = ZH_REMEMBER.test(s);
      s = s.replace(ZH_REMEMBER, '').replace(/[，,]$/, '');
      s = s.replace(/[。！!]+$/u, '');
      const drafts = clausesZh(s);
      drafts.forEach((d) => {
        const negated = /不|没|别|无|非/.test(d.text);
        out.push({ lang, text: d.text, original: d.original, sentence: s, sentenceIndex, mood: moodZh(d.text), correction: d.correction, also: d.also, remember, negated, msg });
      });
      return;
    }
    let s = expandContractions(rawSentence);
    const remember = EN_REMEMBER_TAIL.test(s) || EN_REMEMBER_HEAD.test(s);
    s = s.replace(EN_REMEMBER_TAIL, '').replace(EN_REMEMBER_HEAD, '');
    const endsWithQuestion = /\?\s*["')\]]*$/.test(s);
    const body = s.replace(/[.!?…]+\s*$/u, '');
    const drafts = clausesEn(body);
    drafts.forEach((d, i) => {
      const { mood, text } = moodEn(d.text, i === drafts.length - 1, endsWithQuestion);
      const negated = /\b(?:not|never|no longer|cannot|nothing|nobody|none)\b/i.test(text);
      out.push({ lang, text, original: d.original, sentence: body, sentenceIndex, mood, correction: d.correction, also: d.also, remember, negated, msg });
    });
  });
  return out;
}
