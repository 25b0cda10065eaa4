/**
 * Advice and recommendation questions ("recommend a restaurant for me", "what should I buy my dog",
 * "推荐一家适合我的餐厅") need the user's standing constraints and preferences (diet, allergies, budget, size,
 * materials, breed) though they share no word with them. Such a question brings its domain's constraint words in
 * as related words of the word that named the domain, so a memory that fits the domain better ranks higher; a
 * plain factual question ("where do I live?") brings nothing in.
 */
import type { Related } from './concepts';
import { tokenize } from './text';

/** Below a curated related word: a constraint is what the answer must respect, not what was asked about. */
export const CONSTRAINT_WEIGHT = 0.5;

const ADVICE_EN =
  /\b(recommend\w*|suggest\w*|advice|advise|ideas?|tips?|should (i|we)|can (i|we)|could (i|we)|what to (buy|eat|cook|wear|get|order|do|bring|pack)|gifts?|present for|help me (choose|pick|find|plan|decide)|good (place|restaurant|gift|hotel|food)|avoid\w*|suitable|suit me|fit me|best for me)\b/i;
const ADVICE_ZH = /推荐|建议|适合|该怎么|应该|帮我(选|挑|找|订|安排|规划|买)|送(什么|啥)|买(什么|啥|点)|吃(什么|啥|点)|穿(什么|啥)|去哪|有什么好|忌口|注意|避免|不能吃|礼物/;

/** Whether a question asks for advice or a recommendation (rather than for a fact). */
export const asksForAdvice = (query: string): boolean => ADVICE_EN.test(query) || ADVICE_ZH.test(query);

interface Domain {
  /** Words that name the domain in a question. */
  cues: string;
  /** What an answer in the domain has to respect. */
  constraints: string;
}

const DOMAINS: Domain[] = [
  {
    cues: 'restaurant restaurants eat eating food meal meals dinner lunch breakfast cook cooking recipe dish snack cuisine menu 餐厅 饭店 饭馆 吃 饭 菜 餐 外卖 料理 做饭 食谱 饮食',
    constraints:
      'allergy allergic allergies intolerant intolerance vegetarian vegan diet spicy dislike hate halal kosher gluten lactose favorite favourite budget 过敏 素食 吃素 忌口 辣 清淡 口味 不吃 预算',
  },
  {
    cues: 'buy buying gift gifts present shop shopping purchase clothes clothing wear outfit shirt shoes jacket dress coat 买 礼物 购物 衣服 穿 鞋 外套 裙子',
    constraints: 'size sizes fit fabric material cotton wool polyester silk color colour style budget price brand 尺码 尺寸 码 面料 材质 棉 涤纶 羊毛 颜色 风格 预算 价格 品牌',
  },
  {
    cues: 'dog dogs cat cats pet pets puppy kitten 狗 猫 宠物 狗狗 猫咪 小狗 小猫',
    constraints: 'breed retriever labrador poodle corgi terrier allergy allergic diet food age 品种 金毛 拉布拉多 泰迪 柯基 过敏 狗粮 猫粮 岁',
  },
  {
    cues: 'trip trips travel traveling hotel hotels flight flights vacation holiday 旅行 旅游 酒店 出行 出差 机票 航班 住宿 度假',
    constraints: 'hotel room seat window aisle budget smoking quiet view 酒店 房间 座位 靠窗 过道 预算 吸烟 禁烟 安静',
  },
  {
    cues: 'weekend fun free activity activities hobby hobbies 周末 爱好 空闲 休闲 兴趣',
    constraints: 'hobby hobbies enjoy love interest sport sports 爱好 兴趣 喜欢 运动',
  },
  {
    cues: 'avoid avoiding 避免 忌口 不能',
    constraints: 'allergy allergic allergies intolerant intolerance dislike hate vegetarian vegan 过敏 不吃 讨厌 素食',
  },
];

const CJK = /[\p{Script=Han}]/u;
const stemmed = (words: string) => [...new Set(words.split(/\s+/).filter(Boolean).flatMap((w) => (CJK.test(w) ? [w] : tokenize(w))))];
const domains = DOMAINS.map((d) => ({ cues: stemmed(d.cues), constraints: stemmed(d.constraints) }));

/** For an advice question: the constraint words of each domain it names, keyed by the query term that named it. */
export function adviceRelated(query: string, terms: string[]): Map<string, Related[]> {
  const out = new Map<string, Related[]>();
  if (!asksForAdvice(query)) return out;
  for (const d of domains) {
    // A Chinese cue may sit inside a longer segmented word ("吃什么").
    const cue = terms.find((t) => d.cues.some((c) => t === c || (CJK.test(c) && t.includes(c))));
    if (!cue) continue;
    const list = out.get(cue) ?? [];
    for (const term of d.constraints) if (!terms.includes(term) && !list.some((r) => r.term === term)) list.push({ term, weight: CONSTRAINT_WEIGHT });
    out.set(cue, list);
  }
  return out;
}
