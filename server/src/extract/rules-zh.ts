/**
 * Chinese (simplified) rule families, the counterpart of rules-en.ts. Values are the user's clause with 我 → 用户,
 * so the nouns stay as the user wrote them (segmented full-text search then finds them).
 */
import type { Clause } from './clause';
import {
  CATEGORIES, DEVICES, FAMILY_ZH, HOBBIES_ZH, JOB_SUFFIX_ZH, MATERIALS, PETS_ZH, RISK_HIGH, RISK_LOW,
  TASTES, alternation,
} from './lexicon';
import { explicit, fact, implicit, rewrite, type Context, type ItemDraft, type Rule } from './model';
import { slug, title } from './text';
import { resolveWhen } from './when';


const HAN = '[\\u4e00-\\u9fa5]';
const NAME = `((?:${HAN}|[A-Za-z·]){1,8}?)`;
const CN_NUM = '(\\d{1,3}|[一二两三四五六七八九十]{1,3})';
const PET = alternation(Object.keys(PETS_ZH));
const REL = alternation(Object.keys(FAMILY_ZH));
const HOBBY = alternation(HOBBIES_ZH);
const SURNAMES = '王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const NOT_PET_HEAD = '(?!粮|粮食|零食|玩具|窝|绳|用品|罐头|砂|笼)';

/** 二十八 → 28 (up to 99), digits pass through. */
export function cnNumber(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  const d: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
  if (s === '十') return 10;
  const m = s.match(/^([一二两三四五六七八九])?十([一二三四五六七八九])?$/);
  if (m) return (m[1] ? d[m[1]] : 1) * 10 + (m[2] ? d[m[2]] : 0);
  return d[s] ?? NaN;
}

function cut(s: string): string {
  return s.split(/[，,。！？!?；;]|因为|但是|不过|所以|而且/)[0].replace(/[了的啊呀吧呢哦]+$/u, '').trim();
}

const SPECIES_ZH: Record<string, string> = { dog: '狗', cat: '猫', rabbit: '兔子', hamster: '仓鼠', bird: '鸟', turtle: '乌龟', fish: '鱼', chinchilla: '龙猫' };

// ---------------------------------------------------------------- profile

function profilePartsZh(c: Clause, ctx: Context, parts: string[]): ItemDraft[] {
  const out: ItemDraft[] = [];
  for (const p of parts) {
    const age = p.match(new RegExp(`^(?:今年|现在)?${CN_NUM}岁(?:了)?$`));
    if (age) {
      out.push(fact(c, ctx, '年龄', `用户${cnNumber(age[1])}岁。`, { stateKey: 'age', tags: ['age', 'person'] }));
      continue;
    }
    const work = p.match(new RegExp(`^(?:现在|目前)?在(${HAN}{2,8}?)(?:做|当|从事|工作|上班)(.*)$`));
    if (work) {
      out.push(fact(c, ctx, '职业', `用户在${work[1]}${p.slice(p.indexOf(work[1]) + work[1].length)}。`, { stateKey: 'job', tags: ['job'] }));
      continue;
    }
    const job = p.match(new RegExp(`^(?:是)?(?:一名|一个|一位)?(.{0,10}?${JOB_SUFFIX_ZH})$`));
    if (job) {
      out.push(fact(c, ctx, '职业', `用户是${job[1]}。`, { stateKey: 'job', tags: ['job'] }));
      continue;
    }
    const live = p.match(new RegExp(`^(?:住在|生活在|在)(${HAN}{2,8})$`));
    if (live) out.push(fact(c, ctx, '居住地', `用户住在${live[1]}。`, { stateKey: 'residence', tags: ['residence', 'location'] }));
  }
  return out;
}

const ruleNameZh: Rule = (c, ctx) => {
  const t = c.text;
  if (c.mood === 'question') return undefined;
  const m =
    t.match(new RegExp(`^我(?:叫|的名字(?:是|叫)|名叫)\\s*${NAME}(?=$|，|,|。|今年|\\d)`)) ??
    t.match(new RegExp(`^(?:你)?(?:可以)?(?:叫|称呼)我\\s*${NAME}(?:就行|就好|就可以|吧)?$`)) ??
    t.match(new RegExp(`^我是((?:[小老阿]${HAN}{1,2})|(?:[${SURNAMES}]${HAN}{1,2})|[A-Z][a-z]+)(?=$|，)`));
  if (!m || new RegExp(`${JOB_SUFFIX_ZH}$`).test(m[1])) return undefined;
  const parts = t.slice((m.index ?? 0) + m[0].length).split(/[，,]/).map((p) => p.trim()).filter(Boolean);
  return [fact(c, ctx, '姓名', `用户的名字是${m[1]}。`, { stateKey: 'name', tags: ['name', 'person'] }), ...profilePartsZh(c, ctx, parts)];
};

const ruleAgeZh: Rule = (c, ctx) => {
  const m = c.text.match(new RegExp(`^我(?:今年|现在|已经)?${CN_NUM}岁`));
  if (!m || c.mood === 'question') return undefined;
  const parts = c.text.slice(m[0].length).split(/[，,]/).map((p) => p.trim()).filter(Boolean);
  return [fact(c, ctx, '年龄', `用户${cnNumber(m[1])}岁。`, { stateKey: 'age', tags: ['age', 'person'] }), ...profilePartsZh(c, ctx, parts)];
};

const ruleJobZh: Rule = (c, ctx) => {
  const t = c.text;
  if (c.mood === 'question') return undefined;
  const tags = ['job'];
  if (/部门|部|团队|组/.test(t)) tags.push('department');
  if (/公司|集团|银行|医院|学校|大学/.test(t)) tags.push('employer');
  const change = /我(?:刚|最近|已经|上个月|去年)?(?:换了?(?:新)?工作|跳槽|转行|离职|辞职|入职|升职|被提拔)/.test(t);
  const is = new RegExp(`^我(?:现在|目前|也)?是(?:一名|一个|一位|个|名|位)?(.{0,14}?${JOB_SUFFIX_ZH})(?:$|，)`).test(t) && !c.negated;
  const at = /^我(?:现在|目前|一直)?在(.{2,20}?)(?:工作|上班|任职|实习|当|做|负责)/.test(t);
  const mine = /^我的(?:工作|职业|岗位|职位)是/.test(t) || /^我是(?:做|搞|干)(.{1,8})的$/.test(t);
  if (!change && !is && !at && !mine) return undefined;
  return [fact(c, ctx, '职业', rewrite(c), { stateKey: 'job', tags, when: change })];
};

const ruleResidenceZh: Rule = (c, ctx) => {
  const t = c.text;
  if (c.mood === 'question') return undefined;
  const tags = ['residence', 'location'];
  const moved = t.match(new RegExp(`(?:最近|刚|已经|前段时间|去年|今年)?(?:搬到了?|搬家到了?|搬去了?|移居到?|迁居到?)(${HAN}{2,10}?)(?:了|去了|来了|住)?$`));
  // "下个月要搬到柏林" is a plan; the residence changes when the move has happened.
  if (moved && /^我|^搬|^最近|^刚|^已经|^去年|^今年/.test(t) && !/要|将|打算|准备|计划|想|下个月|下周|明年|明天|以后/.test(t)) return [fact(c, ctx, '居住地', `用户搬到了${moved[1]}，现在住在${moved[1]}。`, { stateKey: 'residence', tags, when: true })];
  const gone = t.match(new RegExp(`我(?:已经)?不(?:再)?住在(${HAN}{2,8}?)(?:了)?$`));
  if (gone) return [fact(c, ctx, '居住地', `用户已经不住在${gone[1]}了。`, { stateKey: 'residence', tags })];
  if (c.negated) return undefined;
  const live = t.match(new RegExp(`^我(?:们)?(?:现在|目前|一直|也)?(?:住在|住|生活在|居住在|定居在|常住在?)(${HAN}{2,10})`));
  if (live) return [fact(c, ctx, '居住地', rewrite(c), { stateKey: 'residence', tags })];
  const livedIn = t.match(new RegExp(`^我(?:们)?(?:现在|目前|一直|已经)?在(${HAN}{2,8}?)(?:住|生活|定居|居住)`));
  if (livedIn) return [fact(c, ctx, '居住地', rewrite(c), { stateKey: 'residence', tags })];
  const home = t.match(new RegExp(`^我家(?:住)?在(${HAN}{2,10})`));
  if (home) return [fact(c, ctx, '居住地', `用户家在${home[1]}。`, { stateKey: 'residence', tags })];
  const from = t.match(new RegExp(`^我(?:是(${HAN}{2,6}?)人$|来自(${HAN}{2,8})|老家(?:是|在)(${HAN}{2,8})|出生在(${HAN}{2,8}))`));
  if (from) return [fact(c, ctx, '家乡', rewrite(c), { stateKey: 'hometown', tags: ['hometown', 'location'] })];
  return undefined;
};

const ruleFamilyZh: Rule = (c, ctx) => {
  const t = c.text;
  const out: ItemDraft[] = [];
  const named = t.match(new RegExp(`(?:我(?:的|家)?)?(${REL})(?:叫|名叫|的名字(?:是|叫)|是)(${HAN}{2,3}|[A-Z][a-z]+)(?=$|，|,)`));
  if (named && !new RegExp(`${JOB_SUFFIX_ZH}$`).test(named[2]) && !/人$|的$/.test(named[2])) {
    const rel = FAMILY_ZH[named[1]];
    ctx.person = { rel, word: named[1], name: named[2] };
    ctx.lastTopic = 'person';
    out.push(fact(c, ctx, `家人：${named[1]}`, `用户的${named[1]}叫${named[2]}。`, { stateKey: `family:${rel}:name`, tags: ['family'] }));
  }
  const age = t.match(new RegExp(`(?:我(?:的|家)?)?(孩子|儿子|女儿|小孩|宝宝|娃|闺女|老大|老二)(?:今年|现在|已经)?${CN_NUM}(岁|个月)`));
  if (age) {
    const rel = FAMILY_ZH[age[1]] ?? 'child';
    ctx.lastTopic = 'person';
    ctx.person ??= { rel, word: age[1] };
    out.push(fact(c, ctx, `家人：${age[1]}年龄`, `用户的${age[1]}${cnNumber(age[2])}${age[3]}。`, { stateKey: `family:${rel}:age`, tags: ['family', 'age'] }));
  }
  const count = t.match(new RegExp(`我(?:家)?有${CN_NUM}(?:个|位)(孩子|儿子|女儿|小孩|娃)`));
  if (count && !out.length) out.push(fact(c, ctx, '家人', rewrite(c), { stateKey: 'family:children', tags: ['family'] }));
  const status = t.match(/我(?:已经|刚|去年|今年)?(结婚|离婚|订婚|单身|有对象|在恋爱|脱单)/);
  if (status && !out.length) out.push(fact(c, ctx, '婚恋状况', rewrite(c), { stateKey: 'relationship', tags: ['family', 'relationship'], when: true }));
  return out.length ? out : undefined;
};

/** "狗狗"/"我家狗"/"它"/the pet's name at the start of a clause: the user's pet is the subject. */
function petSubjectZh(c: Clause, ctx: Context): { rest: string; species: string } | undefined {
  const t = c.text;
  const own = t.match(new RegExp(`^(?:我(?:家|的|们家)(?:的)?|那只|这只)?(${PET})${NOT_PET_HEAD}`));
  if (own) {
    const species = PETS_ZH[own[1]];
    if (!ctx.pet || ctx.pet.species !== species) ctx.pet = { species };
    return { rest: t.slice(own[0].length), species };
  }
  if (!ctx.pet) return undefined;
  if (/^[它他她]/.test(t) && ctx.lastTopic === 'pet') return { rest: t.slice(1), species: ctx.pet.species };
  if (ctx.pet.name && t.startsWith(ctx.pet.name)) return { rest: t.slice(ctx.pet.name.length), species: ctx.pet.species };
  return undefined;
}

const rulePetZh: Rule = (c, ctx) => {
  const t = c.text;
  if (c.mood === 'question') {
    const mention = t.match(new RegExp(`我(?:家|的)(?:那只|这只)?((?:${HAN}|\\d){1,8}?)(${PET})${NOT_PET_HEAD}`));
    if (!mention || !/\d|[一两三四五六七八九十]|个月|岁|金毛|拉布拉多|哈士奇|柯基|泰迪|柴犬|边牧|萨摩耶|布偶|英短/.test(mention[0])) return undefined;
    const species = PETS_ZH[mention[2]];
    ctx.pet ??= { species };
    ctx.lastTopic = 'pet';
    return [fact(c, ctx, `宠物：${SPECIES_ZH[species] ?? species}`, `用户有一只${mention[1]}${mention[2]}。`, { stateKey: `pet:${species}`, tags: ['pet'] })];
  }
  const own = t.match(new RegExp(`我(?:家|们家)?(?:有|养了?|领养了?|收养了?|捡了|新养了?|刚养了?)(?:一|两|三|\\d)?(?:只|条|个|头)?(.{0,12}?)(${PET})${NOT_PET_HEAD}`));
  if (own) {
    const species = PETS_ZH[own[2]];
    const name = t.match(new RegExp(`(?:叫|名叫|名字叫)(${HAN}{1,4}|[A-Z][a-z]+)`))?.[1];
    ctx.pet = { species, name };
    ctx.lastTopic = 'pet';
    let value = rewrite(c);
    const zh = SPECIES_ZH[species] ?? '';
    if (zh && !value.includes(zh)) value = value.replace(/。$/, `（${zh}）。`);
    const tags = ['pet'];
    if (/个月|岁/.test(t)) tags.push('age');
    if (/斤|公斤|kg/i.test(t)) tags.push('weight');
    return [fact(c, ctx, `宠物：${zh || species}`, value, { stateKey: `pet:${species}`, tags })];
  }
  const subject = petSubjectZh(c, ctx);
  if (!subject) return undefined;
  ctx.lastTopic = 'pet';
  const sp = subject.species;
  const phrase = `用户的${SPECIES_ZH[sp] ?? '宠物'}${ctx.pet?.name ? ctx.pet.name : ''}`;
  const r = subject.rest.replace(/^[，,\s]+/, '');
  const value = `${phrase}${r.replace(/我/g, '用户').replace(/[。！!]+$/u, '')}。`;
  if (/不吃|不爱吃|不能吃|只吃|过敏|不喜欢吃|吃不了/.test(r)) return [fact(c, ctx, `宠物饮食：${SPECIES_ZH[sp] ?? sp}`, value, { stateKey: `pet:${sp}:diet`, tags: ['pet', 'diet'] })];
  if (/拉稀|拉肚子|腹泻|呕吐|吐了|生病|发烧|咳嗽|不吃东西|软便|皮肤病|过敏了/.test(r))
    return [fact(c, ctx, `宠物健康：${SPECIES_ZH[sp] ?? sp}`, value, { memoryType: 'LongTermMemory', stateKey: `pet:${sp}:health`, tags: ['pet', 'health'], when: true })];
  if (/喜欢|爱吃|爱/.test(r)) return [fact(c, ctx, `宠物喜好：${SPECIES_ZH[sp] ?? sp}`, value, { stateKey: `pet:${sp}:likes`, tags: /吃|零食|粮/.test(r) ? ['pet', 'diet'] : ['pet'] })];
  if (/个月|岁|斤|公斤|kg|叫/.test(r)) return [fact(c, ctx, `宠物：${SPECIES_ZH[sp] ?? sp}`, value, { stateKey: `pet:${sp}`, tags: ['pet'] })];
  return [fact(c, ctx, `宠物：${SPECIES_ZH[sp] ?? sp}`, value, { memoryType: 'LongTermMemory', tags: ['pet'], when: true })];
};

const ruleDeviceZh: Rule = (c, ctx) => {
  const t = c.text;
  const is = t.match(/我(?:的|用的)?(电脑|笔记本|手机|平板|设备|车|汽车)(?:是|型号是|用的是)(.+)/);
  const use = t.match(/我(?:现在|平时|一直|刚|刚刚|最近|新)?(?:用的是|在用|用|买了|换了|入手了)(?:一台|一部|一个|台|部)?(.*?(?:MacBook|iPhone|iPad|ThinkPad|Mac|华为|小米|苹果|联想|戴尔|电脑|笔记本|手机|平板).*)/i);
  const m = is ?? use;
  if (!m || c.negated) return undefined;
  const slot = DEVICES.find(([re]) => re.test(m[m.length - 1]))?.[1] ?? DEVICES.find(([re]) => re.test(m[1]))?.[1] ?? 'computer';
  return [fact(c, ctx, `设备：${m[1].slice(0, 10)}`, rewrite(c), { stateKey: `device:${slot}`, tags: ['device'] })];
};

const ruleHealthZh: Rule = (c, ctx) => {
  const t = c.text;
  if (c.mood === 'question') return undefined;
  const allergy = t.match(/我(?:不)?对(.{1,12}?)过敏/);
  if (allergy) return [fact(c, ctx, '过敏', rewrite(c), { stateKey: `allergy:${slug(allergy[1])}`, tags: ['health', 'allergy'] })];
  const body = t.match(/(膝盖|腰|头|腿|肩膀|肩|脖子|颈椎|脚踝|手腕|胃|肚子|眼睛|牙|脚|手|背|嗓子|喉咙)(?:有点|有些|很|特别|一直|还是)?(酸|疼|痛|不舒服|肿|受伤|扭了|拉伤)/);
  if (body) return [fact(c, ctx, `健康：${body[1]}`, rewrite(c), { memoryType: 'LongTermMemory', stateKey: `health:${body[1]}`, tags: ['health'], when: true })];
  const ill = t.match(/我(?:最近|今天|昨天)?(?:得了|有|患有|确诊了?)?(感冒|发烧|咳嗽|头疼|头痛|胃疼|失眠|糖尿病|高血压|哮喘|抑郁|焦虑|过敏性鼻炎)/);
  if (ill && !c.negated) {
    const chronic = /糖尿病|高血压|哮喘|抑郁|焦虑|鼻炎/.test(ill[1]);
    return [fact(c, ctx, `健康：${ill[1]}`, rewrite(c), { memoryType: chronic ? 'UserMemory' : 'LongTermMemory', stateKey: `health:${ill[1]}`, tags: ['health'], when: !chronic })];
  }
  return undefined;
};

// ---------------------------------------------------------------- likes, style, shopping

const ruleHobbyZh: Rule = (c, ctx) => {
  const t = c.text;
  if (c.mood === 'question') return undefined;
  const mine = t.match(/我的(?:爱好|兴趣爱好|兴趣)(?:是|有|包括)(.+)/);
  if (mine) return [fact(c, ctx, `爱好：${cut(mine[1])}`, rewrite(c), { stateKey: `hobby:${slug(cut(mine[1]))}`, tags: ['hobby'] })];
  const m = t.match(new RegExp(`^我?(?:平时|周末|业余时间|空闲时|有空时|下班后|最近|现在|一直|每天|每周)?(?:也|还|很|特别|比较|非常|一直)*(?:不再|不|不太)?(?:喜欢|爱|热爱|经常|常常|会|在学|学)(?:去)?(?:打|踢|玩|跑|游|下|弹|画|看|读|爬|骑|钓|滑|跳|唱|练|做)?(${HOBBY})`));
  if (!m) return undefined;
  return [fact(c, ctx, `爱好：${m[1]}`, rewrite(c), { stateKey: `hobby:${m[1]}`, tags: ['hobby'] })];
};

function tasteOf(s: string): string | undefined {
  return TASTES.find(([re]) => re.test(s))?.[1];
}

const FOOD_ZH = /吃|喝|菜|饭|面|肉|鸡|鱼|虾|蟹|辣|甜|酸|咸|香菜|葱|蒜|奶|茶|咖啡|酒|水果|零食|海鲜|火锅|烧烤|素|油腻|清淡|口味/;

function prefKeyZh(object: string, positive: boolean, change: boolean, also: boolean, dietVerb: boolean): string {
  const taste = tasteOf(object);
  if (taste) return `food:${taste}`;
  const cat = CATEGORIES.find(([re]) => re.test(object))?.[1];
  if (cat) return `${cat}:${positive || change ? 'like' : 'dislike'}${also && positive ? `:${slug(object)}` : ''}`;
  if (dietVerb) return `diet:${slug(object)}`;
  return `like:${slug(object)}`;
}

const rulePreferenceZh: Rule = (c) => {
  const t = c.text;
  if (c.mood === 'question') return undefined;
  if (/^我(?:是)?(?:吃素|素食者?|纯素食?者?|不吃肉)/.test(t)) return [explicit(c, rewrite(c), 'diet:vegetarian', ['preference', 'food', 'diet'])];
  const fav = t.match(/我最(?:喜欢|爱)的(.{1,8}?)是(.+)/);
  if (fav) return [explicit(c, rewrite(c), `favorite:${slug(fav[1])}`, ['preference', ...(FOOD_ZH.test(t) ? ['food'] : [])])];
  const change = /不再|现在|已经|了$|如今|最近/.test(t);
  const neg = t.match(/^我?(?:现在|已经|一直|从来|平时|也|还|真的|实在)*(不太喜欢|不喜欢|不爱|讨厌|受不了|吃不了|喝不了|不能吃|不能喝|不吃|不喝|不碰|忌口|不再喜欢|不再吃|戒了|戒掉了?)(吃|喝)?(.+)/);
  if (neg) {
    const object = cut(neg[3]);
    if (!object) return undefined;
    const dietVerb = /吃|喝|碰|忌口|戒/.test(neg[1]) || !!neg[2];
    const food = dietVerb || !!tasteOf(object) || FOOD_ZH.test(object);
    return [explicit(c, rewrite(c), prefKeyZh(object, false, change, c.also, dietVerb), ['preference', food ? 'food' : 'dislike'])];
  }
  const pos = t.match(/^我?(?:现在|也|还|特别|很|非常|最|比较|更|一直|真的|超级)*(喜欢|爱吃|爱喝|偏爱|偏好|更喜欢|钟爱|迷上了|喜爱|爱)(吃|喝|用|穿|看|听)?(.+)/);
  if (pos && !/^爱(?:你|死)/.test(pos[1] + pos[3])) {
    const object = cut(pos[3]);
    if (!object || /^(?:你|这个|那个|它)$/.test(object)) return undefined;
    const food = !!tasteOf(object) || FOOD_ZH.test(`${pos[1]}${pos[2] ?? ''}${object}`);
    return [explicit(c, rewrite(c), prefKeyZh(object, true, change, c.also, false), ['preference', food ? 'food' : 'like'])];
  }
  return undefined;
};

const ARTIFACTS_ZH: Array<[RegExp, string]> = [
  [/邮件|信件/, 'email'], [/总结|摘要|纪要/, 'summary'], [/提醒|计划|待办|日程/, 'reminder'], [/报告|周报|日报/, 'report'],
  [/代码/, 'code'], [/文档/, 'doc'], [/表情/, 'emoji'], [/翻译/, 'translation'], [/文案|文章|帖子/, 'writing'],
  [/回复|回答|答案|解释|说话|回答问题/, 'reply'],
];
const STYLE_ZH = /简短|简洁|简单点|简单一点|啰嗦|详细|语气|正式|口语|轻松|格式|分点|要点|列出|先列|先说|开头|结尾|表情|中文|英文|不要太长|精简|条理|markdown|幽默|温柔|直接/i;
const PERSIST_ZH = /以后|今后|之后|每次|总是|一直|都|从现在起|从今以后|默认|所有|尽量|不要|别|保持|习惯|时/;

const ruleStyleZh: Rule = (c) => {
  const t = c.text;
  if (c.mood === 'question' || !STYLE_ZH.test(t)) return undefined;
  const slot = ARTIFACTS_ZH.find(([re]) => re.test(t))?.[1] ?? (/表情/.test(t) ? 'emoji' : /中文|英文/.test(t) ? 'language' : /语气|正式|口语|轻松/.test(t) ? 'tone' : 'reply');
  const oneOff = /[一这那](?:封|份|篇|条|段)/.test(t);
  if (oneOff || !(PERSIST_ZH.test(t) || ARTIFACTS_ZH.some(([re]) => re.test(t)))) return undefined;
  const body = t.replace(/^(?:请|麻烦|帮我|你)+/, '');
  const text = /^我(?:希望|喜欢|习惯|想要|要|需要|更喜欢|偏好)/.test(body) ? rewrite(c, body) : `用户希望${body.replace(/我/g, '用户').replace(/[。！!]+$/u, '')}。`;
  return [explicit(c, text, `style:${slot}`, ['style', slot])];
};

const ruleShoppingZh: Rule = (c) => {
  const t = c.text;
  const out: ItemDraft[] = [];
  const size = t.match(/(?:尺码|尺寸|码数|号码)(?:是|为|：|:)?\s*(XXS|XS|S|M|L|XL|XXL|XXXL|\d{2,3})|穿\s*(XXS|XS|S|M|L|XL|XXL|XXXL|\d{2,3})\s*码?|(XXS|XS|S|M|L|XL|XXL|XXXL)\s*码/i);
  if (size) {
    const v = (size[1] ?? size[2] ?? size[3]).toUpperCase();
    const shoe = /鞋/.test(t);
    out.push(explicit(c, `用户穿${shoe ? '鞋' : ''}${v}码（尺码${v}）。`, shoe ? 'size:shoe' : 'size:clothing', ['preference', 'shopping', 'size']));
  }
  const mat = t.match(MATERIALS);
  if (mat && c.mood !== 'question') {
    const m = mat[0];
    const negative = /不要|不穿|别|避免|不喜欢|过敏|拒绝|不含|无|讨厌|不能/.test(t.slice(0, mat.index));
    out.push(explicit(c, negative ? `用户不要${m}材质的衣物。` : `用户偏好${m}材质。`, `material:${m}`, ['preference', 'shopping', 'material']));
  }
  const budget = t.match(/预算(?:是|在|为|大概|大约|控制在)?\s*(\d+(?:\.\d+)?\s*(?:元|块|美元|刀|万)?)\s*(以内|以下|之内|左右|上下)?|(\d+(?:\.\d+)?\s*(?:元|块|美元|刀))\s*(以内|以下|之内)/);
  if (budget) {
    const amount = (budget[1] ?? budget[3]).replace(/\s+/g, '');
    const bound = budget[2] ?? budget[4] ?? '';
    out.push(explicit(c, `用户的预算为${amount}${bound}。`, 'budget', ['preference', 'shopping', 'budget']));
  }
  return out.length ? out : undefined;
};

const ruleRiskZh: Rule = (c) => {
  const t = c.text;
  // Only what the user says about themselves; "收藏了低风险基金" is behaviour, inferred elsewhere.
  if (!/风险|保守|激进|稳健/.test(t) || c.mood === 'question' || !/^我|^本人|^(?:不想|不愿|不敢|怕|能接受|愿意)/.test(t)) return undefined;
  const low = /不想|不愿|不敢|不能|怕|不要|承受不了|受不了|低风险|保守|稳健|稳一点|太大的风险|太多风险/.test(t);
  const high = !low && /高风险|激进|能承受|愿意承担|不怕/.test(t);
  if (!low && !high) return undefined;
  return [explicit(c, rewrite(c).replace(/。$/, low ? '（风险偏好低，偏保守）。' : '（风险承受能力高）。'), 'risk', ['preference', 'finance', 'risk'])];
};

const ruleAvoidZh: Rule = (c) => {
  const t = c.text;
  const m = t.match(/^(?:我)?(?:希望|想)?(?:尽量)?(?:不要|别|避免|不想要|不想|不走|拒绝)(.{2,20})$/);
  if (!m || c.mood === 'question') return undefined;
  const obj = cut(m[1]);
  if (!obj) return undefined;
  const text = /^我/.test(t) ? rewrite(c) : `用户希望${t.replace(/[。！!]+$/u, '')}。`;
  return [explicit(c, text, `avoid:${slug(obj)}`, ['preference'])];
};

const ruleComplaintZh: Rule = (c) => {
  const t = c.text;
  if (c.mood === 'imperative' || /^(?:别|不要)/.test(t)) return undefined;
  const reason = `用户抱怨：“${c.original.trim()}”。`;
  if (/太贵|贵了|超预算|买不起|价格太高/.test(t)) return [implicit('用户可能对价格比较敏感，偏好性价比高的选择。', reason, 'price:sensitivity', ['preference', 'price'])];
  if (/太长了|太啰嗦|太啰嗦了|说重点|太多了/.test(t)) return [implicit('用户可能更喜欢简短、直接的回复。', reason, 'style:reply', ['style', 'reply'])];
  if (/太辣/.test(t)) return [implicit('用户可能不太能吃辣。', reason, 'food:spicy', ['preference', 'food'])];
  if (/太远/.test(t)) return [implicit('用户可能更偏好距离近的选择。', reason, 'distance', ['preference'])];
  return undefined;
};

// ---------------------------------------------------------------- events

const NOT_PLACES = /公司|超市|医院|学校|商场|银行|动物园|公园|健身房|餐厅|饭店|上班|买|吃|看|散步|跑步|家|那里|这里|哪|外面|楼下|附近|单位|现场|机场|车站|酒店|宾馆|朋友|医生|药店/;

const ruleTripZh: Rule = (c, ctx) => {
  const t = c.text;
  if (c.mood === 'question' || c.negated) return undefined;
  const m =
    t.match(new RegExp(`(?:去|到|飞)(${HAN}{2,6}?)的(?:行程|旅行|旅游|机票|航班|火车票|高铁票)`)) ??
    t.match(new RegExp(`(?:去了|去过|到了|飞去了?|飞到了?|游览了|逛了|玩了|回了)(${HAN}{2,6}?)(?:旅游|旅行|玩|出差|度假|一趟|$|，|。|看|参加)`)) ??
    t.match(new RegExp(`(?:去|到|飞)(${HAN}{2,6}?)(?:旅游|旅行|玩了?|出差|度假)`));
  if (!m || NOT_PLACES.test(m[1])) return undefined;
  const place = m[1];
  const future = /打算|计划|准备|要去|想去|将|下周|下个月|明年|明天|周末去|会去/.test(t) && !/了/.test(t.slice(t.indexOf(place) - 2, t.indexOf(place)));
  ctx.trip = `${place}之行`;
  return [fact(c, ctx, `${future ? '旅行计划' : '旅行'}：${place}`, rewrite(c), { event: true, tags: future ? ['travel', 'plan'] : ['travel'], when: true })];
};

const rulePurchaseZh: Rule = (c, ctx) => {
  const t = c.text;
  if (c.mood === 'question') return undefined;
  const m = t.match(/(买了|购买了|下单了?|入手了|订购了|网购了|预订了|预定了|订了)(.+)/);
  if (!m || /^(?:吗|没|什么)/.test(m[2])) return undefined;
  const obj = cut(m[2]);
  if (!obj) return undefined;
  const booking = /预订|预定|订了/.test(m[1]);
  return [fact(c, ctx, `${booking ? '预订' : '购买'}：${title(obj)}`, rewrite(c), { event: true, tags: [booking ? 'booking' : 'purchase'], when: true })];
};

const rulePlanZh: Rule = (c, ctx) => {
  const t = c.text;
  if (c.mood === 'question' || c.negated) return undefined;
  const when = resolveWhen(t, c.msg.time, ctx.tz, 'zh');
  const planned = /打算|计划|准备|想要|要去|将要|会去|约了|安排/.test(t);
  const activity = /去|带|参加|见|看|买|办|交|陪|接|送|开会|出发|上课|考试/.test(t);
  if (!(planned && activity) && !(when && activity && /^(?:我|我们)?(?:周|星期|礼拜|明天|后天|下周|这周|本周|今天|今晚|周末|月底|下个月)/.test(t))) return undefined;
  // Habits ("我周末喜欢去爬山") are hobbies, not dated plans.
  if (/^我.*(?:想知道|想问)/.test(t) || /喜欢|爱|经常|常常|平时|一般|总是|每[天周月年]|通常/.test(t)) return undefined;
  const text = /^我/.test(t) ? rewrite(c) : `用户计划${t.replace(/[。！!]+$/u, '')}。`;
  return [fact(c, ctx, `计划：${title(t.replace(/^我(?:们)?/, ''))}`, text, { event: true, tags: ['plan'], when: true })];
};

const ruleExerciseZh: Rule = (c, ctx) => {
  const t = c.text;
  const m = t.match(/(跑了|游了|骑了|走了|爬了|练了|打了|做了)(.{0,8}?)(\d+|[一两二三四五六七八九十]+)\s*(公里|千米|km|米|分钟|小时|圈|场|个)/i);
  if (!m || c.mood === 'question') return undefined;
  return [fact(c, ctx, `运动：${m[0]}`, rewrite(c), { event: true, tags: ['exercise', 'health'], when: true })];
};

const ruleBehaviourZh: Rule = (c, ctx) => {
  const t = c.text;
  const m = t.match(/^(?:我)?(?:又|还|反复|多次|经常)?((?:点击|点开|浏览|收藏|关注|搜索|加购|订阅|点赞|查看|购买)(?:了|过)?(?:并|和|又)?(?:点击|点开|浏览|收藏|关注|搜索|加购|订阅|点赞|查看|购买)?(?:了|过)?)(.+)/);
  if (!m) return undefined;
  const what = m[2].replace(/^(?:了|过)/, '').replace(/[“”"'‘’「」]/g, '');
  const out: ItemDraft[] = [fact(c, ctx, `行为：${title(t)}`, rewrite(c), { event: true, tags: ['behavior'], when: true })];
  const reason = `根据用户行为推断：“${c.original.trim()}”。`;
  if (RISK_LOW.test(what) && /基金|理财|投资|债|存款|保险|fund/i.test(what) && !/^(?:养老)?理财/.test(what)) out.push(implicit('用户可能偏好低风险、稳健保守的理财产品。', reason, 'risk', ['preference', 'finance', 'risk']));
  else if (RISK_HIGH.test(what)) out.push(implicit('用户可能能接受较高风险的投资。', reason, 'risk', ['preference', 'finance', 'risk']));
  const interest = cut(what.replace(/(?:广告|链接|页面|详情页)(?:进入.*)?$/, ''));
  if (out.length === 1 && /收藏|关注|加购|订阅|点击|点开|浏览|搜索/.test(m[1]) && interest) out.push(implicit(`用户可能对${interest}感兴趣。`, reason, `interest:${slug(interest)}`, ['preference', 'interest']));
  return out;
};

const NOT_ATTRIBUTES_ZH = new RegExp(`^(?:${REL}|${PET}|名字|工作|职业|爱好|电脑|手机|笔记本|平板|车|预算|尺码)$`);

/** "我的生日是3月3日", "我的目标是开一家面包店": a named attribute, one state per attribute. */
const ruleAttributeZh: Rule = (c, ctx) => {
  const m = c.text.match(new RegExp(`^我的(${HAN}{1,6}?)(?:是|在)(.{2,40})$`));
  if (!m || c.mood === 'question' || NOT_ATTRIBUTES_ZH.test(m[1]) || /^最/.test(m[1])) return undefined;
  return [fact(c, ctx, m[1], rewrite(c), { stateKey: `my:${m[1]}`, tags: ['profile'] })];
};

// ---------------------------------------------------------------- generic

const LOW_INFO_ZH = /^我(?:觉得还行|知道了?|明白了?|懂了|看看|想想|试试|不知道|也是|同意|来了|回来了|在忙|先走了|先去忙了|去忙了|马上|等会|稍后|没事|还好|可以|好的|是的)/;

const ruleGenericZh: Rule = (c, ctx) => {
  const t = c.text;
  if (c.mood !== 'statement' && c.mood !== 'fragment') return undefined;
  const lead = /^(?:昨天|今天|前天|上周|上个月|去年|今年|最近|刚才|刚刚|周末|晚上|早上|前几天|这周|本周|下周|明天)(?:的)?/;
  const body = t.replace(lead, '');
  if (!/^(?:我|我们|我家|咱)/.test(body) || t.length < 6 || LOW_INFO_ZH.test(body)) return undefined;
  const isEvent = !!resolveWhen(t, c.msg.time, ctx.tz, 'zh') || /了|\d{4}年/.test(t);
  const value = rewrite(c);
  const tags = /孩子|老婆|老公|儿子|女儿|家人|父母|爸|妈/.test(t) ? ['family'] : /^我(?:觉得|认为|感觉)/.test(t) ? ['opinion'] : isEvent ? ['event'] : ['statement'];
  return [fact(c, ctx, title(value.replace(/^用户(?:的)?/, '')), value, { memoryType: 'LongTermMemory', event: isEvent, tags, when: true })];
};

export const ZH_GROUPS: Rule[][] = [
  [ruleNameZh, ruleAgeZh],
  [ruleJobZh],
  [ruleResidenceZh],
  [ruleFamilyZh],
  [rulePetZh],
  [ruleDeviceZh],
  [ruleHealthZh],
  [ruleAttributeZh],
  [ruleStyleZh, ruleShoppingZh, ruleRiskZh, ruleHobbyZh, rulePreferenceZh, ruleAvoidZh],
  [ruleComplaintZh],
  [ruleTripZh, rulePurchaseZh, ruleExerciseZh, ruleBehaviourZh, rulePlanZh],
];

export const ZH_FALLBACK: Rule = ruleGenericZh;

