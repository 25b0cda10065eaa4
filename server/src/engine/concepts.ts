/**
 * A small concept lexicon for offline recall. Without embeddings, "which fruit do I like?" shares no word with
 * "I like mangosteens", and "where do I live now?" none with "I moved to Shanghai".
 *
 * Each group is `heads > kinds / kinds / ...`: the heads name the concept (and stand for one another), each
 * `/`-separated set lists words for one kind of it. A head brings in the whole group ("fruit" finds "mangosteen");
 * a word of a kind brings in its own set and the heads ("puppy" finds "dog" and "pet"), never the other kinds:
 * "painting" is a hobby, but a question about painting is not about swimming. A group without `>` is all heads.
 * Words are written plainly and stemmed at load with the same tokenizer as the index.
 */
import { tokenize } from './text';

const GROUPS: string[] = [
  // places and moving
  'live lives living reside resident home house address moved move relocate settled apartment 住 住在 居住 搬 搬到 搬家 家 定居',
  'travel traveled trip trips visit visited went tour vacation holiday journey abroad sightseeing 旅行 旅游 去过 出游 游玩 度假',
  'hotel hotels inn hostel accommodation stay resort 酒店 宾馆 住宿 民宿',
  // food and drink
  'food eat eating meal dish dishes cuisine diet restaurant 吃 食物 饮食 菜 口味 餐 > lunch dinner breakfast snack / spicy 辣 / light lighter 清淡 / oily 油腻',
  'fruit fruits 水果 > apple apples 苹果 / banana bananas 香蕉 / mangosteen mangosteens 山竹 / orange 橙子 / grape grapes 葡萄 / strawberry 草莓 / mango 芒果 / pear 梨 / peach 桃 / watermelon 西瓜 / cherry',
  'drink drinks liquor alcohol spirits 酒 喝酒 饮酒 > wine 红酒 / beer 啤酒 / baijiu moutai 白酒 茅台 / whiskey / sober',
  'coffee latte espresso 咖啡',
  'tea 茶',
  'allergy allergic allergies intolerant 过敏',
  // people, pets, work
  'family 家人 > wife husband spouse 妻子 老婆 丈夫 老公 / kid kids child children 孩子 / son 儿子 / daughter 女儿 / parent parents 父母 / mother mom 妈妈 / father dad 爸爸 / sister / brother',
  'pet pets 宠物 > dog dogs puppy puppies retriever 狗 狗狗 小狗 金毛 / cat cats kitten 猫 猫咪 / parrot',
  'work job career profession occupation employer company office colleague 工作 职业 公司 同事 > developer engineer 工程师 / designer 设计师 / manager / nurse / teacher',
  'hobby hobbies interest interests pastime sport sports 爱好 兴趣 运动 > badminton 羽毛球 / football soccer 足球 / basketball 篮球 / tennis / swimming swim 游泳 / hiking hike / running 跑步 / painting paint / reading',
  'exercise workout gym fitness 锻炼 健身 > run ran running jog 跑步 / yoga',
  'health sick ill 健康 生病 > pain sore injury 疼 / doctor hospital 医生 / symptom / diarrhea 腹泻 拉肚子',
  // things and money
  'clothes clothing wear outfit 衣服 穿 > jacket coat 外套 / dress 裙子 / shirt / sweater',
  'weather forecast temperature 天气 温度 > rain rainy 下雨 / sunny 晴 / cloudy 多云 / cold 冷 / hot 热 / snow',
  'buy bought purchase purchased order ordered shop shopping 买 购买 下单 订单',
  'budget price cost money spend 预算 价格 花费 > cheap affordable afford 便宜 / expensive 贵',
  'invest investment investing finance financial 投资 理财 > fund funds 基金 / stock stocks 股票 / bond bonds / risk 风险 / retirement 退休 / savings',
  'computer 电脑 > laptop notebook macbook 笔记本 / pc desktop',
  'email emails mail letter 邮件',
  'size sizes fit 尺码 码',
  'material fabric 面料 材质 > polyester 涤纶 / cotton 棉 / wool / silk',
];

const stems = (words: string) => [...new Set(words.split(/\s+/).filter(Boolean).flatMap((w) => tokenize(w)))];

/** term -> the terms it brings in. */
const relatedOf = new Map<string, Set<string>>();
const relate = (term: string, others: string[]) => {
  let set = relatedOf.get(term);
  if (!set) relatedOf.set(term, (set = new Set()));
  for (const o of others) if (o !== term) set.add(o);
};
for (const group of GROUPS) {
  const [headPart, kindPart = ''] = group.split('>');
  const heads = stems(headPart);
  const kinds = kindPart.split('/').map(stems).filter((k) => k.length);
  const all = [...heads, ...kinds.flat()];
  for (const h of heads) relate(h, all);
  for (const k of kinds) for (const w of k) relate(w, [...k, ...heads]);
}

/** Terms related to `term` (excluding itself). */
export function relatedTerms(term: string): string[] {
  return [...(relatedOf.get(term) ?? [])];
}
