/**
 * Small word lists the offline extractor classifies with. They are deliberately short: each list only has to
 * recognise the common cases, the generic rules catch the rest with the user's own wording.
 */

/** Build a case-insensitive whole-word alternation from a list (longest first so "table tennis" beats "tennis"). */
export function alternation(words: readonly string[]): string {
  return [...words]
    .sort((a, b) => b.length - a.length)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+'))
    .join('|');
}

export const JOBS_EN = [
  'developer', 'dev', 'engineer', 'programmer', 'coder', 'designer', 'manager', 'teacher', 'doctor', 'nurse', 'lawyer',
  'accountant', 'student', 'researcher', 'scientist', 'analyst', 'consultant', 'writer', 'artist', 'marketer',
  'salesperson', 'sales rep', 'product manager', 'pm', 'architect', 'chef', 'cook', 'driver', 'photographer',
  'musician', 'journalist', 'editor', 'officer', 'professor', 'lecturer', 'intern', 'freelancer', 'entrepreneur',
  'founder', 'ceo', 'cto', 'cfo', 'counselor', 'counsellor', 'therapist', 'pharmacist', 'dentist', 'mechanic',
  'electrician', 'farmer', 'pilot', 'firefighter', 'police officer', 'cop', 'soldier', 'retiree', 'homemaker',
  'housewife', 'stay-at-home mom', 'stay-at-home dad', 'barista', 'waiter', 'waitress', 'cashier', 'clerk',
  'secretary', 'assistant', 'administrator', 'admin', 'recruiter', 'tutor', 'trainer', 'coach', 'veterinarian',
  'vet', 'surgeon', 'physician', 'psychologist', 'social worker', 'banker', 'trader', 'investor', 'broker',
  'realtor', 'agent', 'translator', 'interpreter', 'blogger', 'youtuber', 'streamer', 'influencer', 'actor',
  'actress', 'singer', 'dancer', 'painter', 'illustrator', 'animator', 'operator', 'technician', 'specialist',
  'director', 'executive', 'lead', 'supervisor', 'owner', 'contractor', 'plumber', 'carpenter', 'baker',
  'librarian', 'ops', 'devops', 'sre', 'data scientist', 'team lead', 'tech lead', 'full-stack', 'frontend',
  'backend', 'qa', 'tester', 'copywriter', 'marketing', 'hr', 'phd student', 'grad student', 'undergrad',
];

/** Words that end like a job title ("-er") but describe something else. */
export const NOT_JOBS_EN = new Set([
  'believer', 'lover', 'fan', 'member', 'user', 'winner', 'loser', 'follower', 'beginner', 'fighter', 'dreamer',
  'thinker', 'sucker', 'stranger', 'other', 'mother', 'father', 'brother', 'sister', 'daughter', 'partner',
  'number', 'player', 'customer', 'owner', 'reader', 'listener', 'watcher', 'eater', 'drinker', 'sleeper',
  'person', 'introvert', 'extrovert', 'vegetarian', 'vegan', 'newbie', 'perfectionist', 'optimist', 'pessimist',
  'morning person', 'night owl', 'bit', 'little', 'lot', 'big', 'huge',
]);

export const JOB_SUFFIX_ZH =
  '(?:工程师|程序员|设计师|产品经理|经理|总监|主管|老板|医生|护士|律师|会计|老师|教师|教授|学生|研究生|博士生|大学生|销售|运营|研究员|作家|记者|编辑|司机|厨师|主播|博主|创业者|自由职业者|公务员|警察|军人|画家|摄影师|架构师|分析师|顾问|咨询师|实习生|店长|店主|客服|财务|人事|行政|会计师|药剂师|兽医|牙医|翻译|演员|歌手|码农|开发|前端|后端|测试|退休人员|家庭主妇|全职妈妈|全职爸爸|师|员|家)';

export const FAMILY_EN: Record<string, string> = {
  wife: 'wife', husband: 'husband', spouse: 'spouse', partner: 'partner', girlfriend: 'girlfriend',
  boyfriend: 'boyfriend', fiance: 'fiance', fiancee: 'fiancee', son: 'son', daughter: 'daughter', kid: 'child',
  kids: 'children', child: 'child', children: 'children', baby: 'child', toddler: 'child', mom: 'mother',
  mother: 'mother', mum: 'mother', dad: 'father', father: 'father', parents: 'parents', brother: 'brother',
  sister: 'sister', grandma: 'grandmother', grandmother: 'grandmother', grandpa: 'grandfather',
  grandfather: 'grandfather', aunt: 'aunt', uncle: 'uncle', cousin: 'cousin', niece: 'niece', nephew: 'nephew',
  twins: 'children', family: 'family', 'mother-in-law': 'mother-in-law', 'father-in-law': 'father-in-law',
};

export const FAMILY_ZH: Record<string, string> = {
  老婆: 'wife', 妻子: 'wife', 太太: 'wife', 媳妇: 'wife', 爱人: 'spouse', 老公: 'husband', 丈夫: 'husband', 先生: 'husband',
  儿子: 'son', 女儿: 'daughter', 孩子: 'child', 小孩: 'child', 娃: 'child', 宝宝: 'child', 闺女: 'daughter',
  爸爸: 'father', 父亲: 'father', 爸: 'father', 妈妈: 'mother', 母亲: 'mother', 妈: 'mother', 哥哥: 'brother',
  姐姐: 'sister', 弟弟: 'brother', 妹妹: 'sister', 男朋友: 'boyfriend', 女朋友: 'girlfriend', 对象: 'partner',
  爷爷: 'grandfather', 奶奶: 'grandmother', 外公: 'grandfather', 外婆: 'grandmother', 父母: 'parents', 爸妈: 'parents',
};

/** Pet words mapped to a species key; breeds map to their species. */
export const PETS_EN: Record<string, string> = {
  dog: 'dog', dogs: 'dog', puppy: 'dog', pup: 'dog', doggy: 'dog', 'golden retriever': 'dog', retriever: 'dog',
  labrador: 'dog', lab: 'dog', husky: 'dog', corgi: 'dog', poodle: 'dog', 'shiba inu': 'dog', shiba: 'dog',
  bulldog: 'dog', beagle: 'dog', chihuahua: 'dog', 'german shepherd': 'dog', 'border collie': 'dog', collie: 'dog',
  pomeranian: 'dog', samoyed: 'dog', dachshund: 'dog', schnauzer: 'dog', terrier: 'dog', pug: 'dog', 'teddy dog': 'dog',
  cat: 'cat', cats: 'cat', kitten: 'cat', kitty: 'cat', ragdoll: 'cat', 'british shorthair': 'cat', persian: 'cat',
  siamese: 'cat', 'maine coon': 'cat', tabby: 'cat', rabbit: 'rabbit', bunny: 'rabbit', hamster: 'hamster',
  parrot: 'bird', bird: 'bird', budgie: 'bird', fish: 'fish', goldfish: 'fish', turtle: 'turtle', tortoise: 'turtle',
  'guinea pig': 'guinea pig', snake: 'snake', lizard: 'lizard', horse: 'horse', pony: 'horse',
};

export const PETS_ZH: Record<string, string> = {
  狗狗: 'dog', 小狗: 'dog', 狗: 'dog', 幼犬: 'dog', 金毛: 'dog', 拉布拉多: 'dog', 哈士奇: 'dog', 柯基: 'dog', 泰迪: 'dog',
  贵宾: 'dog', 柴犬: 'dog', 边牧: 'dog', 萨摩耶: 'dog', 比熊: 'dog', 博美: 'dog', 法斗: 'dog', 德牧: 'dog', 雪纳瑞: 'dog',
  猫咪: 'cat', 小猫: 'cat', 猫: 'cat', 布偶: 'cat', 英短: 'cat', 美短: 'cat', 橘猫: 'cat', 暹罗: 'cat', 兔子: 'rabbit',
  仓鼠: 'hamster', 鹦鹉: 'bird', 乌龟: 'turtle', 金鱼: 'fish', 龙猫: 'chinchilla',
};

/** Device words mapped to a device slot, so a new laptop supersedes the old laptop but not the phone. */
export const DEVICES: Array<[RegExp, string]> = [
  [/\b(?:macbook(?:\s+(?:pro|air))?|laptop|notebook|thinkpad|chromebook|surface\s+(?:laptop|book|pro)|xps|zenbook|matebook)\b|笔记本/i, 'laptop'],
  [/\b(?:iphone|android phone|smartphone|cell ?phone|mobile phone|phone|pixel\s*\d*|galaxy\s+s\d+|huawei\s+(?:mate|p)\d*|xiaomi)\b|手机/i, 'phone'],
  [/\b(?:ipad|tablet|galaxy tab|kindle|e-?reader)\b|平板/i, 'tablet'],
  [/\b(?:imac|mac mini|mac studio|desktop|pc|computer|workstation)\b|电脑|台式机/i, 'computer'],
  [/\b(?:apple watch|smartwatch|fitbit|garmin)\b|手表/i, 'watch'],
  [/\b(?:car|tesla|suv|sedan|ev)\b|汽车|车/i, 'car'],
  [/\b(?:playstation|ps5|ps4|xbox|switch|nintendo)\b|游戏机/i, 'console'],
  [/\b(?:airpods|headphones|earbuds)\b|耳机/i, 'headphones'],
  [/\b(?:camera)\b|相机/i, 'camera'],
];

export const HOBBIES_EN = [
  'badminton', 'tennis', 'table tennis', 'ping pong', 'basketball', 'football', 'soccer', 'volleyball', 'baseball',
  'golf', 'swimming', 'running', 'jogging', 'hiking', 'cycling', 'biking', 'yoga', 'pilates', 'chess', 'guitar',
  'piano', 'violin', 'drums', 'painting', 'drawing', 'sketching', 'reading', 'cooking', 'baking', 'photography',
  'fishing', 'camping', 'skiing', 'snowboarding', 'climbing', 'rock climbing', 'bouldering', 'dancing', 'singing',
  'gaming', 'video games', 'board games', 'knitting', 'gardening', 'pottery', 'surfing', 'boxing', 'martial arts',
  'karate', 'marathons', 'travelling', 'traveling', 'writing', 'poetry', 'calligraphy', 'meditation', 'skating',
  'skateboarding', 'horse riding', 'sailing', 'diving', 'scuba diving', 'kayaking', 'woodworking', 'crafts',
  'embroidery', 'sewing', 'birdwatching', 'bowling', 'darts', 'billiards', 'pool', 'cricket', 'rugby', 'hockey',
  'squash', 'crossfit', 'weightlifting', 'gym', 'working out', 'fitness', 'collecting', 'puzzles', 'anime', 'manga',
];

export const HOBBIES_ZH = [
  '羽毛球', '篮球', '足球', '网球', '乒乓球', '排球', '高尔夫', '游泳', '跑步', '慢跑', '爬山', '徒步', '骑行', '骑车',
  '钓鱼', '滑雪', '瑜伽', '健身', '摄影', '拍照', '画画', '绘画', '唱歌', '跳舞', '读书', '阅读', '看书', '下棋', '围棋',
  '象棋', '弹琴', '钢琴', '吉他', '小提琴', '旅游', '旅行', '露营', '烹饪', '做饭', '烘焙', '打游戏', '玩游戏', '书法',
  '马拉松', '攀岩', '冲浪', '潜水', '滑板', '拳击', '太极', '广场舞', '追剧', '看电影', '听音乐', '写作', '园艺', '养花',
  '手工', '编织', '插花', '茶艺', '品茶', '剧本杀', '桌游',
];

/** Flavour words: a taste is one mutable state ("likes spicy" then "can't eat spicy now"). Ordered by priority. */
export const TASTES: Array<[RegExp, string]> = [
  [/\bspicy\b|\bhot food\b|\bchil(?:l)?i(?:es)?\b|辣/i, 'spicy'],
  [/\bsweets?\b|\bsugary\b|\bdesserts?\b|甜/i, 'sweet'],
  [/\bsalty\b|咸/i, 'salty'],
  [/\bsour\b|酸(?!奶)/i, 'sour'],
  [/\boily\b|\bgreasy\b|\bfried food\b|油腻|油炸/i, 'oily'],
  [/\blight(?:er)?\s+(?:food|meals?|dishes|diet|flavou?rs?)\b|\bsomething\s+light(?:er)?\b|\bbland\b|清淡/i, 'light'],
  [/\bbitter\b|苦/i, 'bitter'],
];

/** Closed categories where a new favourite usually replaces the old one ("actually I like mangosteens"). */
export const CATEGORIES: Array<[RegExp, string]> = [
  [/\b(?:apples?|bananas?|mangosteens?|mangos?|mangoes|oranges?|grapes?|strawberr(?:y|ies)|watermelons?|durians?|pears?|peach(?:es)?|cherr(?:y|ies)|lychees?|litchis?|kiwis?|pineapples?|blueberr(?:y|ies)|plums?|lemons?|papayas?|grapefruits?|melons?|fruits?)\b|苹果|香蕉|山竹|芒果|橙子|橘子|葡萄|草莓|西瓜|榴莲|梨|桃子|樱桃|荔枝|猕猴桃|菠萝|蓝莓|柚子|哈密瓜|水果/i, 'fruit'],
  [/\b(?:red|blue|green|yellow|purple|pink|black|white|grey|gray|orange|brown) colou?r\b|\bcolou?r\b|红色|蓝色|绿色|黄色|紫色|粉色|黑色|白色|灰色|颜色/i, 'color'],
  [/\b(?:spring|summer|autumn|fall|winter) season\b|\bseasons?\b|春天|夏天|秋天|冬天|季节/i, 'season'],
];

export const MATERIALS =
  /\b(polyester|cotton|wool|cashmere|silk|linen|nylon|leather|faux leather|spandex|acrylic|rayon|viscose|denim|fleece)\b|(涤纶|聚酯纤维|纯棉|棉质|羊毛|羊绒|真丝|丝绸|亚麻|尼龙|真皮|皮革|氨纶|腈纶|化纤)/i;

/** Artifacts a style instruction can be about, mapped to the state slot it sets. */
export const ARTIFACTS: Array<[RegExp, string]> = [
  [/\b(?:e-?mails?|letters?)\b|邮件|信件/i, 'email'],
  [/\b(?:summar(?:y|ies)|recaps?|abstracts?)\b|总结|摘要|纪要/i, 'summary'],
  [/\b(?:reminders?|plans?|to-?dos?|schedules?)\b|提醒|计划|待办|日程/i, 'reminder'],
  [/\b(?:reports?)\b|报告|周报|日报/i, 'report'],
  [/\b(?:code|code blocks?|snippets?)\b|代码/i, 'code'],
  [/\b(?:docs?|documents?|documentation|markdown)\b|文档/i, 'doc'],
  [/\b(?:emojis?|emoticons?)\b|表情/i, 'emoji'],
  [/\b(?:translations?)\b|翻译/i, 'translation'],
  [/\b(?:posts?|copy|captions?|slogans?|articles?|essays?)\b|文案|文章|帖子/i, 'writing'],
  [/\b(?:repl(?:y|ies)|answers?|responses?|explanations?|messages?)\b|回复|回答|答案|解释|说话/i, 'reply'],
];

/** Words that make an instruction about how the assistant should talk or format, not a one-off task. */
export const STYLE_CUES =
  /\b(?:short|shorter|brief|concise|succinct|wordy|verbose|long|detailed|tone|formal|informal|casual|friendly|polite|format|formatting|bullet|bullets|bullet points|key points|points|numbered|list|markdown|table|emojis?|start with|begin with|open with|end with|sign off|in english|in chinese|language|plain|simple|step by step|examples?|headings?|highlight(?:ing)?|go easy on|no more than \d+ words|at most \d+ words|under \d+ words)\b|简短|简洁|简单点|简单一点|啰嗦|详细|语气|正式|口语|轻松|格式|分点|要点|列出|先列|先说|开头|结尾|表情|中文|英文|以后|每次|总是|不要太长|精简|markdown|条理/i;

/** Hotel and travel brands by price tier, for "chose the cheapest option" inferences. */
export const TIERS: Array<[RegExp, 'budget' | 'mid' | 'premium']> = [
  [/7\s*days?\s*inn|home\s*inn|hanting|jinjiang\s*inn|motel\s*(?:6|168)|super\s*8|ibis|greentree|hostel|pod\s*hotel|budget|economy(?:\s+class)?|cheap(?:est)?|affordable|spring airlines|ryanair|easyjet|airasia|spirit airlines|7天|七天|如家|汉庭|锦江之星|格林豪泰|青旅|青年旅舍|经济型|快捷酒店|春秋航空|经济舱/i, 'budget'],
  [/ji\s*hotel|全季|atour|亚朵|holiday\s*inn|hampton|courtyard|novotel|桔子|orange hotel|mid-?range|premium economy/i, 'mid'],
  [/hilton|marriott|sheraton|hyatt|ritz|four\s*seasons|shangri-?la|intercontinental|mandarin oriental|peninsula|westin|w hotel|st\.?\s*regis|waldorf|conrad|luxury|five-star|5-star|high-end|business class|first class|emirates|singapore airlines|qatar airways|cathay|希尔顿|万豪|喜来登|凯悦|丽思|四季酒店|香格里拉|洲际|半岛|威斯汀|五星|豪华|奢华|高端|商务舱|头等舱/i, 'premium'],
];

export const RISK_LOW = /low[- ]risk|conservative|stable|steady|safe|fixed[- ]income|bonds?|principal[- ]protected|capital preservation|money market|deposits?|低风险|稳健|保守|保本|稳定|固收|债券|货币基金|存款/i;
export const RISK_HIGH = /high[- ]risk|aggressive|speculative|crypto|leverage|high[- ]yield|growth stocks?|options trading|高风险|激进|炒股|加密货币|杠杆|期货/i;

export const BODY_PARTS =
  'knee|knees|back|lower back|head|leg|legs|shoulder|shoulders|neck|ankle|ankles|wrist|wrists|stomach|tummy|eye|eyes|tooth|teeth|foot|feet|arm|arms|hip|hips|elbow|elbows|throat|chest|hand|hands|finger|fingers|toe|toes|muscles?|hamstring|calf|calves';

export const SYMPTOMS =
  'sore|hurts?|hurting|aches?|aching|painful|injured|swollen|broken|sprained|stiff|numb|itchy|bleeding|tired|weak|pulled|strained';

export const BEHAVIOUR_VERBS =
  'clicked|browsed|bookmarked|favorited|favourited|saved|viewed|searched(?: for)?|added|subscribed(?: to)?|downloaded|watched|liked|shared|followed|opened|purchased|bought|ordered|visited|compared|read|signed up(?: for)?|registered(?: for)?|unsubscribed(?: from)?|returned|canceled|cancelled|rated|reviewed|starred';
