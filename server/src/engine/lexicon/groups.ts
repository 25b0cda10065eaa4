/**
 * The curated part of the concept lexicon, English and Chinese, for the domains memories are most often about
 * (the templates' diet, shopping, pets, travel and hobbies among them). WordNet (wordnet.ts) covers English
 * categories broadly; these groups cover Chinese, and the words WordNet files under other senses.
 *
 * Each group is `heads > kinds / kinds / ...`: the heads name the concept (and stand for one another), each
 * `/`-separated set lists words for one kind of it. A head brings in the whole group ("fruit" finds "mangosteen");
 * a word of a kind brings in its own set and the heads ("puppy" finds "dog" and "pet"), never the other kinds:
 * "painting" is a hobby, but a question about painting is not about swimming. A group without `>` is all heads.
 * Words are written plainly and stemmed at load with the same tokenizer as the index.
 */
export const GROUPS: string[] = [
  // places and moving
  'live lives living reside resident home house address moved move relocate settled apartment 住 住在 居住 搬 搬到 搬家 家 定居',
  'travel traveled trip trips visit visited went tour vacation holiday journey abroad sightseeing 旅行 旅游 去过 出游 游玩 度假 出行 出差',
  'hotel hotels inn hostel accommodation stay resort 酒店 宾馆 住宿 民宿 > room 房间 / bed 床 / breakfast 早餐',
  'flight flights fly plane airline airport 航班 飞机 机票 > seat 座位 / window 靠窗 / aisle 过道',
  // food and drink
  'food eat eating meal dish dishes cuisine diet restaurant 吃 食物 饮食 菜 口味 餐 餐厅 饭店 > lunch dinner breakfast snack 午饭 晚饭 早饭 / spicy 辣 / light lighter 清淡 / oily 油腻 / sweet 甜 / vegetarian vegan 素食 吃素',
  'fruit fruits 水果 > apple apples 苹果 / banana bananas 香蕉 / mangosteen mangosteens 山竹 / orange 橙子 / grape grapes 葡萄 / strawberry 草莓 / mango 芒果 / pear 梨 / peach 桃 / watermelon 西瓜 / cherry',
  'nut nuts 坚果 > peanut peanuts 花生 / almond almonds 杏仁 / walnut walnuts 核桃 / cashew cashews 腰果',
  'seafood 海鲜 > shrimp prawn 虾 / crab 螃蟹 蟹 / fish 鱼 / shellfish 贝',
  'drink drinks liquor alcohol spirits 酒 喝酒 饮酒 > wine 红酒 / beer 啤酒 / baijiu moutai 白酒 茅台 / whiskey / sober',
  'coffee latte espresso 咖啡',
  'tea 茶',
  'allergy allergic allergies intolerant intolerance 过敏 > peanut nut nuts 花生 坚果 / gluten 麸质 / lactose dairy milk 乳糖 牛奶 / seafood shellfish 海鲜',
  // people, pets, work
  'family 家人 > wife husband spouse 妻子 老婆 丈夫 老公 / kid kids child children 孩子 / son 儿子 / daughter 女儿 / parent parents 父母 / mother mom 妈妈 / father dad 爸爸 / sister / brother',
  'pet pets 宠物 > dog dogs puppy puppies retriever labrador poodle corgi 狗 狗狗 小狗 金毛 拉布拉多 泰迪 柯基 / cat cats kitten 猫 猫咪 小猫 / parrot 鹦鹉',
  'work job career profession occupation employer company office colleague 工作 职业 公司 同事 > developer engineer 工程师 / designer 设计师 / manager / nurse / teacher',
  'hobby hobbies interest interests pastime pastimes activity activities leisure recreation sport sports 爱好 兴趣 运动 业余 活动 消遣 > badminton 羽毛球 / football soccer 足球 / basketball 篮球 / tennis 网球 / volleyball 排球 / swimming swim 游泳 / hiking hike 徒步 爬山 / camping camp 露营 / running 跑步 / cycling biking bike 骑行 / skiing ski 滑雪 / surfing surf 冲浪 / climbing 攀岩 / fishing 钓鱼 / yoga 瑜伽 / dancing dance 跳舞 舞蹈 / painting paint 画画 绘画 / drawing draw sketch 素描 / pottery ceramics clay 陶艺 / photography 摄影 / reading 读书 看书 阅读 / writing 写作 / cooking cook 做饭 烹饪 / baking bake 烘焙 / gardening garden 园艺 / knitting 织毛衣 / singing sing 唱歌 / guitar 吉他 / piano 钢琴 / violin 小提琴 / chess 象棋 下棋 / gaming videogames 游戏 / museum museums 博物馆 / volunteering volunteer 志愿',
  'exercise workout gym fitness 锻炼 健身 > run ran running jog 跑步 / yoga 瑜伽',
  'health sick ill 健康 生病 > pain sore injury 疼 / doctor hospital 医生 / symptom / diarrhea 腹泻 拉肚子',
  // things and money
  'clothes clothing wear outfit 衣服 穿 服装 > jacket coat 外套 / dress 裙子 / shirt 衬衫 / sweater 毛衣 / shoes 鞋 / pants trousers 裤子',
  'weather forecast temperature 天气 温度 > rain rainy 下雨 / sunny 晴 / cloudy 多云 / cold 冷 / hot 热 / snow',
  'buy bought purchase purchased order ordered shop shopping 买 购买 下单 订单 购物',
  'budget price cost money spend 预算 价格 花费 钱 > cheap affordable afford 便宜 实惠 / expensive 贵',
  'invest investment investing finance financial 投资 理财 > fund funds 基金 / stock stocks 股票 / bond bonds / risk 风险 / retirement 退休 / savings',
  'computer 电脑 > laptop notebook macbook 笔记本 / pc desktop',
  'email emails mail letter 邮件',
  'size sizes fit 尺码 码 尺寸 号',
  'material fabric 面料 材质 料子 > polyester 涤纶 / cotton 棉 纯棉 / wool 羊毛 / silk 丝绸 真丝 / linen 亚麻',
  'color colour 颜色 > black 黑 黑色 / white 白 白色 / blue 蓝 蓝色 / red 红 红色',
];
