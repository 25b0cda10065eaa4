/** Offline rule extractor, simplified Chinese: the same scenarios as extract-rules.test.ts, written in Chinese. */
import { extractWithRules } from '../../server/src/extract/rules';
import type { ExtractMessage, Extraction, Role } from '../../server/src/extract/types';

type Turn = [Role, string] | [Role, string, string];

function run(turns: Turn[]): Extraction {
  const messages: ExtractMessage[] = turns.map(([role, text, at], index) => ({ index, role, text, time: Date.parse(`${at ?? '2025-06-10T10:00:00'}+08:00`) }));
  return extractWithRules(messages, { timezone: 'Asia/Shanghai' });
}

const values = (x: Extraction) => x.facts.map((f) => f.value);
const factWith = (x: Extraction, re: RegExp) => x.facts.find((f) => re.test(f.value));
const prefWith = (x: Extraction, re: RegExp) => x.preferences.find((p) => re.test(p.text));

describe('旅行与酒店选择（§8.1）', () => {
  const x = run([
    ['user', '我订了暑假去广州的行程，有哪些连锁酒店可以选？'],
    ['assistant', '可以考虑7天、全季、希尔顿等。'],
    ['user', '我选7天吧。'],
  ]);

  it('keeps the trip with its city and the choice with its offer', () => {
    expect(factWith(x, /广州/)).toMatchObject({ value: '用户订了暑假去广州的行程。', event: true, tags: ['travel'] });
    expect(factWith(x, /选择了7天/)).toMatchObject({ value: '用户选择了7天作为酒店（广州之行），可选项有：7天、全季、希尔顿。', sourceIndexes: [0, 1, 2] });
  });

  it('infers the budget-hotel preference', () => {
    expect(prefWith(x, /性价比/)).toMatchObject({ type: 'implicit_preference', text: '用户可能偏好性价比高的酒店（经济型酒店）。', stateKey: 'hotel:tier' });
    expect(prefWith(x, /性价比/)!.reasoning).toBe('助手提供了7天、全季、希尔顿，用户选择了7天（其中最经济的选项）。');
  });
});

describe('时间感知（§8.2）', () => {
  const x = run([
    ['user', '我住在北京。', '2025-01-10T10:00:00'],
    ['user', '我搬到上海了。', '2025-06-01T10:00:00'],
    ['user', '去年国庆去了西安。', '2025-10-08T10:00:00'],
    ['user', '今年五一我去杭州玩了。', '2026-05-02T10:00:00'],
  ]);

  it('residence: same stateKey, the move says where the user lives now', () => {
    expect(x.facts.filter((f) => f.stateKey === 'residence').map((f) => f.value)).toEqual(['用户住在北京。', '用户搬到了上海，现在住在上海。']);
  });

  it('trips: separate events with resolved dates', () => {
    expect(factWith(x, /西安/)).toMatchObject({ value: '用户去年国庆去了西安（2024年10月）。', event: true, tags: ['travel'] });
    expect(factWith(x, /杭州/)!.value).toContain('（2026年5月）');
    expect(x.facts.filter((f) => f.tags.includes('travel')).every((f) => f.stateKey === undefined)).toBe(true);
  });

  it('likes spicy, then cannot eat oily or spicy, prefers light: same stateKey', () => {
    const y = run([
      ['user', '我喜欢吃辣。', '2025-09-12T08:00:00'],
      ['user', '我现在不能吃油腻和辛辣的，喜欢清淡。', '2025-09-25T12:00:00'],
    ]);
    expect(y.preferences.map((p) => [p.text, p.stateKey])).toEqual([
      ['用户喜欢吃辣。', 'food:spicy'],
      ['用户现在不能吃油腻和辛辣的，喜欢清淡。', 'food:spicy'],
    ]);
  });
});

describe('宠物与购物（§8.3）', () => {
  const x = run([
    ['user', '我家有只三个月大的金毛，体重约12斤，买哪款狗粮比较好？对了，它不吃鸡肉口味的。'],
    ['user', '我买了A羊肉幼犬粮。'],
    ['user', '狗狗吃了这个狗粮拉稀了，想换一款。', '2025-06-20T10:00:00'],
  ]);

  it('keeps breed, age and weight', () => {
    expect(factWith(x, /金毛/)).toMatchObject({ value: '用户家有只三个月大的金毛，体重约12斤（狗）。', stateKey: 'pet:dog' });
  });

  it('resolves 它 to the dog for the diet', () => {
    expect(factWith(x, /鸡肉/)).toMatchObject({ value: '用户的狗不吃鸡肉口味的。', stateKey: 'pet:dog:diet' });
  });

  it('records the purchase and the diarrhea', () => {
    expect(factWith(x, /羊肉幼犬粮/)).toMatchObject({ event: true, tags: ['purchase'], key: '购买：A羊肉幼犬粮' });
    expect(factWith(x, /拉稀/)).toMatchObject({ stateKey: 'pet:dog:health' });
  });
});

describe('设备、理财、写作、家庭（§8.5, §8.8–8.10）', () => {
  it('device with chip', () => {
    const x = run([['user', '我的电脑是 MacBook Pro 13寸，Intel 芯片。公司内网代理怎么安装？']]);
    expect(values(x)).toEqual(['用户的电脑是 MacBook Pro 13寸，Intel 芯片。']);
    expect(x.facts[0].stateKey).toBe('device:laptop');
  });

  it('behaviour logs and stated risk', () => {
    const x = run([['user', '点击了“养老理财”广告进入App'], ['user', '浏览并收藏了低风险基金'], ['user', '我不想承担太多风险。']]);
    expect(values(x)).toEqual(['用户点击了“养老理财”广告进入App。', '用户浏览并收藏了低风险基金。']);
    expect(prefWith(x, /养老理财/)).toMatchObject({ type: 'implicit_preference', text: '用户可能对养老理财感兴趣。' });
    expect(prefWith(x, /低风险、稳健/)).toMatchObject({ type: 'implicit_preference', stateKey: 'risk' });
    expect(prefWith(x, /不想承担/)).toMatchObject({ type: 'explicit_preference', text: '用户不想承担太多风险（风险偏好低，偏保守）。', stateKey: 'risk' });
  });

  it('role and writing style', () => {
    const x = run([['user', '我在一家互联网公司做市场营销。写邮件时语气轻松一点，并以“亲爱的XX”开头。'], ['user', '写总结的时候，先列三个要点。']]);
    expect(x.facts[0]).toMatchObject({ value: '用户在一家互联网公司做市场营销。', stateKey: 'job' });
    expect(prefWith(x, /邮件/)).toMatchObject({ text: '用户希望写邮件时语气轻松一点，并以“亲爱的XX”开头。', stateKey: 'style:email' });
    expect(prefWith(x, /总结/)).toMatchObject({ text: '用户希望写总结的时候，先列三个要点。', stateKey: 'style:summary' });
  });

  it('plan, reminder format and family', () => {
    const x = run([['user', '周六带孩子去动物园，帮我记一下。'], ['user', '以后提醒我的时候，先列三个要点，再给一个建议。'], ['user', '我老婆叫小云，孩子6岁。']]);
    expect(factWith(x, /动物园/)).toMatchObject({ value: '用户计划周六带孩子去动物园（2025年6月14日）。', event: true });
    expect(prefWith(x, /要点/)).toMatchObject({ stateKey: 'style:reminder' });
    expect(factWith(x, /小云/)).toMatchObject({ value: '用户的老婆叫小云。', stateKey: 'family:wife:name' });
    expect(factWith(x, /6岁/)).toMatchObject({ value: '用户的孩子6岁。', stateKey: 'family:child:age' });
  });
});

describe('小场景（§8.11）与偏好', () => {
  it('exercise and sore knee', () => {
    const x = run([['user', '我今天跑了5公里，膝盖有点酸。']]);
    expect(factWith(x, /5公里/)).toMatchObject({ value: '用户今天跑了5公里（2025年6月10日）。', event: true });
    expect(factWith(x, /膝盖/)).toMatchObject({ stateKey: 'health:膝盖' });
  });

  it('profile in one sentence, plus a hobby', () => {
    const x = run([['user', '我叫小王，28岁，在杭州做后端开发，喜欢打羽毛球。']]);
    expect(x.facts.map((f) => [f.stateKey, f.value])).toEqual([
      ['name', '用户的名字是小王。'],
      ['age', '用户28岁。'],
      ['job', '用户在杭州做后端开发。'],
      ['hobby:羽毛球', '用户喜欢打羽毛球。'],
    ]);
  });

  it('short replies, apples then mangosteens, coriander, nut allergy', () => {
    const x = run([['user', '回复简短一点，别太啰嗦。'], ['user', '我喜欢苹果，不喜欢香蕉。'], ['user', '其实我喜欢山竹。'], ['user', '我不吃香菜。'], ['user', '我对坚果过敏。']]);
    expect(x.preferences.map((p) => [p.text, p.stateKey])).toEqual([
      ['用户希望回复简短一点，别太啰嗦。', 'style:reply'],
      ['用户喜欢苹果。', 'fruit:like'],
      ['用户不喜欢香蕉。', 'fruit:dislike'],
      ['用户喜欢山竹。', 'fruit:like'],
      ['用户不吃香菜。', 'diet:香菜'],
    ]);
    expect(factWith(x, /坚果/)).toMatchObject({ value: '用户对坚果过敏。', stateKey: 'allergy:坚果' });
  });

  it('size, material and budget', () => {
    const x = run([['user', '我穿M码，不要涤纶的，预算30美元以内。']]);
    expect(x.preferences.map((p) => [p.text, p.stateKey])).toEqual([
      ['用户穿M码（尺码M）。', 'size:clothing'],
      ['用户不要涤纶材质的衣物。', 'material:涤纶'],
      ['用户的预算为30美元以内。', 'budget'],
    ]);
  });
});

describe('更多说法', () => {
  it('叫我X is a name; 我是做X的 is a job; 在X住 is a residence', () => {
    const x = run([['user', '叫我小杰就行。'], ['user', '我是做设计的。'], ['user', '我在深圳住了三年了。']]);
    expect(x.facts.map((f) => [f.stateKey, f.value])).toEqual([
      ['name', '用户的名字是小杰。'],
      ['job', '用户是做设计的。'],
      ['residence', '用户在深圳住了三年了。'],
    ]);
  });

  it('a planned move is an event, not yet a residence', () => {
    const x = run([['user', '我下个月要搬到柏林。']]);
    expect(x.facts[0]).toMatchObject({ value: '用户下个月要搬到柏林（2025年7月）。', event: true });
    expect(x.facts[0].stateKey).toBeUndefined();
  });

  it('a job change in one sentence is one fact', () => {
    expect(run([['user', '我换工作了，现在在阿里做运营。']]).facts).toEqual([expect.objectContaining({ value: '用户换工作了，现在在阿里做运营。', stateKey: 'job' })]);
  });

  it('habits are hobbies, not dated plans', () => {
    const x = run([['user', '我周末喜欢去爬山。']]);
    expect(x.facts).toEqual([expect.objectContaining({ value: '用户周末喜欢去爬山。', stateKey: 'hobby:爬山' })]);
  });

  it('a statement led by a time word is kept with its date', () => {
    expect(values(run([['user', '昨天我和朋友去看了演唱会。']]))).toEqual(['昨天用户和朋友去看了演唱会（2025年6月9日）。']);
  });

  it('pet names carry over: 团子不吃鱼', () => {
    const x = run([['user', '我养了一只布偶猫，叫团子。'], ['user', '团子不吃鱼。']]);
    expect(x.facts.map((f) => [f.stateKey, f.value])).toEqual([
      ['pet:cat', '用户养了一只布偶猫，叫团子。'],
      ['pet:cat:diet', '用户的猫团子不吃鱼。'],
    ]);
  });
});

describe('噪声与否定', () => {
  it.each([['你好！'], ['谢谢，好的。'], ['稍等一下。'], ['北京今天天气怎么样？'], ['哈哈哈']])('%s produces nothing', (input) => {
    const x = run([['user', input]]);
    expect(x.facts).toEqual([]);
    expect(x.preferences).toEqual([]);
  });

  it('我不是北京人 is not a residence', () => {
    const x = run([['user', '我不是北京人。']]);
    expect(x.facts.some((f) => f.stateKey === 'residence' || f.stateKey === 'hometown' || /住在北京/.test(f.value))).toBe(false);
  });

  it('我已经不住在北京了 updates the residence', () => {
    expect(run([['user', '我已经不住在北京了。']]).facts[0]).toMatchObject({ value: '用户已经不住在北京了。', stateKey: 'residence' });
  });
});
