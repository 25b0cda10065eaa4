/** Building blocks of the rule extractor: relative dates, clause splitting, third-person rewriting. */
import { clausesOf } from '../../server/src/extract/clause';
import { thirdPersonEn, thirdPersonZh, splitSentences } from '../../server/src/extract/text';
import { resolveWhen } from '../../server/src/extract/when';
import * as extract from '../../server/src/extract';

const at = (iso: string) => Date.parse(`${iso}+08:00`);
const TZ = 'Asia/Shanghai';

describe('resolveWhen', () => {
  it.each([
    ['I went there yesterday', '2023-05-08T13:56:00', '7 May 2023'],
    ['I gave a talk last week', '2023-06-09T10:00:00', 'the week before 9 June 2023'],
    ['I painted that lake sunrise last year', '2023-05-08T10:00:00', '2022'],
    ['I started transitioning three years ago', '2023-06-09T10:00:00', '2020'],
    ['We go camping next month', '2023-05-25T10:00:00', 'June 2023'],
    ['Take the kids to the zoo on Saturday', '2025-06-10T10:00:00', '14 June 2025'],
    ['I ran a charity race last Sunday', '2023-05-25T10:00:00', '21 May 2023'],
    ["I traveled to Xi'an during last year's National Day holiday", '2025-10-08T10:00:00', 'October 2024'],
    ['I spent Chinese New Year with my parents', '2025-03-01T10:00:00', 'January 2025'],
  ])('%s (said %s) → %s', (text, said, expected) => {
    expect(resolveWhen(text, at(said), TZ, 'en')).toBe(expected);
  });

  it.each([
    ['去年国庆去了西安', '2025-10-08T10:00:00', '2024年10月'],
    ['昨天去了医院', '2025-06-10T10:00:00', '2025年6月9日'],
    ['下周三开会', '2025-06-10T10:00:00', '2025年6月11日'],
    ['上周末去爬山了', '2025-06-10T10:00:00', '2025年6月10日之前的那个周末'],
  ])('%s (said %s) → %s', (text, said, expected) => {
    expect(resolveWhen(text, at(said), TZ, 'zh')).toBe(expected);
  });

  it('uses the configured time zone for the calendar day', () => {
    // 2025-06-10 01:00 in Shanghai is still 9 June in UTC.
    expect(resolveWhen('today', at('2025-06-10T01:00:00'), 'UTC', 'en')).toBe('9 June 2025');
    expect(resolveWhen('today', at('2025-06-10T01:00:00'), TZ, 'en')).toBe('10 June 2025');
  });

  it('returns nothing without a relative expression', () => {
    expect(resolveWhen('I live in Beijing', at('2025-06-10T10:00:00'), TZ, 'en')).toBeUndefined();
  });
});

describe('third-person rewriting', () => {
  it.each([
    ["I can't eat oily food now, and I prefer something lighter", 'The user cannot eat oily food now, and the user prefers something lighter.'],
    ['I have a dog and my wife loves him', "The user has a dog and the user's wife loves him."],
    ["I don't like bananas", 'The user does not like bananas.'],
    ['I really enjoy hiking with my kids', "The user really enjoys hiking with the user's kids."],
    ['I went to Paris and I watch movies', 'The user went to Paris and the user watches movies.'],
    ['I try new things and I go out', 'The user tries new things and the user goes out.'],
  ])('%s', (input, expected) => {
    expect(thirdPersonEn(input)).toBe(expected);
  });

  it('Chinese: 我 → 用户', () => {
    expect(thirdPersonZh('我的电脑是MacBook')).toBe('用户的电脑是MacBook。');
    expect(thirdPersonZh('今年五一我去杭州玩了')).toBe('今年五一用户去杭州玩了。');
    expect(thirdPersonZh('周六带孩子去动物园')).toBe('用户周六带孩子去动物园。');
  });
});

describe('sentences and clauses', () => {
  const msg = (text: string) => ({ index: 0, role: 'user' as const, text, time: 0 });

  it('keeps decimals and abbreviations inside a sentence', () => {
    expect(splitSentences('I ran 5.5 km with Dr. Smith. Then I slept!')).toEqual(['I ran 5.5 km with Dr. Smith.', 'Then I slept!']);
  });

  it('carries the subject over to a subjectless clause', () => {
    expect(clausesOf(msg('I like apples, dislike bananas.')).map((c) => c.text)).toEqual(['I like apples', 'I dislike bananas']);
  });

  it('keeps an instruction whole and marks its mood', () => {
    const [c] = clausesOf(msg('Keep replies short, not too wordy.'));
    expect(c).toMatchObject({ text: 'Keep replies short, not too wordy', mood: 'imperative' });
  });

  it('separates the question from the statement', () => {
    expect(clausesOf(msg('I have a dog. Which food is better?')).map((c) => c.mood)).toEqual(['statement', 'question']);
    expect(clausesOf(msg('我家有只金毛，买哪款狗粮比较好？')).map((c) => c.mood)).toEqual(['statement', 'question']);
  });

  it('writes out the subject of log-style lines and casual plans', () => {
    expect(clausesOf(msg('Browsed and bookmarked low-risk funds')).map((c) => c.text)).toEqual(['I browsed and bookmarked low-risk funds']);
    expect(clausesOf(msg('Flying to Beijing next Wed, staying at Ji Hotel Chaoyang.')).map((c) => c.text)).toEqual([
      'I am flying to Beijing next Wed',
      'I am staying at Ji Hotel Chaoyang',
    ]);
    expect(clausesOf(msg('Taking care of ourselves is so important.'))[0].text).toBe('Taking care of ourselves is so important');
  });

  it('flags corrections and remember requests', () => {
    expect(clausesOf(msg('Wrong, actually I like mangosteens.'))[0]).toMatchObject({ text: 'I like mangosteens', correction: true });
    expect(clausesOf(msg('Take the kids to the zoo on Saturday, please remember it.'))[0]).toMatchObject({ text: 'Take the kids to the zoo on Saturday', remember: true });
  });
});

describe('module entry', () => {
  it('re-exports both extractors', () => {
    expect(typeof extract.extractWithRules).toBe('function');
    expect(typeof extract.extractToolMemories).toBe('function');
  });
});
