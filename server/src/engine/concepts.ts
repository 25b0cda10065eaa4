/**
 * A small concept lexicon for offline recall. Without embeddings, "which fruit do I like?" shares no word with
 * "I like mangosteens", and "where do I live now?" none with "I moved to Shanghai". Each group lists words that
 * answer for one another; a query term brings in the rest of its groups at a lower weight. Words are written
 * plainly and stemmed at load with the same tokenizer as the index.
 */
import { tokenize } from './text';

const GROUPS: string[] = [
  // places and moving
  'live lives living reside resident home house address moved move relocate settled apartment 住 住在 居住 搬 搬到 搬家 家 定居',
  'travel traveled trip trips visit visited went tour vacation holiday journey abroad sightseeing 旅行 旅游 去过 出游 游玩 度假',
  'hotel hotels inn hostel accommodation stay resort 酒店 宾馆 住宿 民宿',
  // food and drink
  'food eat eating meal dish dishes cuisine lunch dinner breakfast snack diet spicy light lighter oily restaurant 吃 食物 饮食 菜 口味 辣 清淡 油腻 餐',
  'fruit fruits apple apples banana bananas mangosteen mangosteens orange grape grapes strawberry mango pear peach watermelon cherry 水果 苹果 香蕉 山竹 橙子 葡萄 草莓 芒果 梨 桃 西瓜',
  'drink drinks liquor alcohol wine beer baijiu whiskey moutai spirits sober 酒 白酒 红酒 啤酒 茅台 喝酒 饮酒',
  'coffee tea latte espresso 咖啡 茶',
  'allergy allergic allergies intolerant 过敏',
  // people, pets, work
  'family wife husband kid kids child children son daughter parent parents mother father mom dad sister brother 家人 妻子 老婆 丈夫 老公 孩子 儿子 女儿 父母 妈妈 爸爸',
  'pet pets dog dogs puppy puppies retriever cat cats kitten parrot 宠物 狗 狗狗 小狗 金毛 猫 猫咪',
  'work job career profession occupation employer company office colleague developer engineer designer manager nurse teacher 工作 职业 公司 同事 工程师 设计师',
  'hobby hobbies interest interests pastime sport sports badminton football soccer basketball tennis swimming hiking running painting reading 爱好 兴趣 运动 羽毛球 足球 篮球 游泳 跑步',
  'exercise workout gym run ran running jog fitness yoga 锻炼 健身 跑步',
  'health sick ill pain sore injury doctor hospital symptom diarrhea 健康 生病 疼 医生 腹泻 拉肚子',
  // things and money
  'clothes clothing wear outfit jacket coat dress shirt sweater 衣服 穿 外套 裙子',
  'weather temperature rain rainy sunny cloudy cold hot snow forecast 天气 温度 下雨 晴 多云 冷 热',
  'buy bought purchase purchased order ordered shop shopping 买 购买 下单 订单',
  'budget price cost cheap expensive afford affordable money spend 预算 价格 便宜 贵 花费',
  'invest investment investing fund funds stock stocks bond bonds risk finance financial retirement savings 投资 基金 股票 理财 风险 退休',
  'computer laptop macbook pc notebook 电脑 笔记本',
  'email emails mail letter 邮件',
  'size sizes fit 尺码 码',
  'material fabric polyester cotton wool silk 面料 材质 涤纶 棉',
];

const groupsOfTerm = new Map<string, number[]>();
const termsOfGroup: string[][] = GROUPS.map((g, i) => {
  const stems = [...new Set(g.split(/\s+/).flatMap((w) => tokenize(w)))];
  for (const s of stems) groupsOfTerm.set(s, [...(groupsOfTerm.get(s) ?? []), i]);
  return stems;
});

/** Terms related to `term` (excluding itself), from every group it belongs to. */
export function relatedTerms(term: string): string[] {
  const groups = groupsOfTerm.get(term);
  if (!groups) return [];
  const out = new Set<string>();
  for (const g of groups) for (const t of termsOfGroup[g]) if (t !== term) out.add(t);
  return [...out];
}
