/**
 * Noise: greetings, thanks, acknowledgements and temporary context ("wait a second") carry nothing worth keeping.
 * Rules would mostly ignore them anyway; this check makes sure the generic fallback never stores them.
 */
import type { Clause } from './clause';

const EN_NOISE = new RegExp(
  '^(?:' +
    [
      'hi', 'hello', 'hey', 'hiya', 'yo', 'howdy', 'greetings', 'good (?:morning|afternoon|evening|night|day)',
      'thanks?(?: you)?(?: (?:so|very) much| a lot| again| anyway)?', 'thank you(?: (?:so|very) much)?', 'thx', 'ty', 'cheers',
      'ok(?:ay)?', 'k', 'sure', 'cool', 'great', 'nice', 'awesome', 'perfect', 'excellent', 'wonderful', 'got it', 'i see',
      'yes', 'yeah', 'yep', 'yup', 'no', 'nope', 'alright', 'all right', 'bye', 'goodbye', 'see (?:you|ya)(?: later| soon)?',
      'talk (?:to you )?(?:soon|later)', 'lol', 'haha+', 'hehe+', 'hmm+', 'um+', 'wow', 'oh', 'ah', 'sounds (?:good|great)',
      'noted', 'understood', 'makes sense', 'fair enough', 'no problem', 'no worries', 'np', "you(?: are|'re) welcome",
      'good', 'fine', 'me too', 'same(?: here)?', 'right', 'exactly', 'of course', 'indeed', 'agreed', 'i agree',
      'i know', 'i think so', 'i guess(?: so)?', 'not sure', 'i do not know', 'i am not sure', 'never ?mind', 'please',
      'good to see you', 'nice to meet you', '(?:it is )?good to hear(?: that)?', 'that is (?:great|cool|nice|awesome|good|interesting)',
      'how are you', 'how is it going', 'what is up', 'sup',
    ].join('|') +
    ')[\\s.!?,~]*$',
  'i',
);

/** Temporary context: about the next minute of the conversation, not about the user. */
const EN_TEMPORARY =
  /^(?:wait|hold on|hang on|one (?:sec|second|moment|minute)|give me a (?:sec|second|moment|minute)|let me (?:think|check|see|look)|be right back|I will be right back|brb|just a (?:sec|second|moment|minute)|I am (?:typing|back|here|still here|in a meeting)(?: now)?|I have to go(?: now)?|gotta go|I will (?:check|think about it|get back to you))\b/i;

const ZH_NOISE =
  /^(?:你好|您好|嗨|哈喽|hello|hi|早上好|早安|晚上好|晚安|下午好|中午好|谢谢(?:你|您|啦|了)?|谢啦|多谢|感谢(?:你|您)?|好的|好|嗯+|哦+|噢+|啊+|行|可以|没问题|收到|明白(?:了)?|了解(?:了)?|知道了|好吧|拜拜|再见|哈哈+|呵呵|不客气|没事|是的|对|对的|没错|ok|OK|太好了|棒|不错)[啊呀呢吧啦哈～~！!。.，,\s]*$/;

const ZH_TEMPORARY = /^(?:稍等|等一下|等等|等会(?:儿)?|我想想|让我想想|让我看看|我看看|我先去忙|我先走了|马上回来|我回来了|我在呢)/;

export function isNoise(c: Clause): boolean {
  const t = c.text.trim();
  if (!t) return true;
  if (c.lang === 'zh') return ZH_NOISE.test(t) || ZH_TEMPORARY.test(t);
  // "Thanks, Melanie!": drop a trailing capitalised vocative before matching.
  const bare = t.replace(/[\s,]+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?[\s.!?~]*$/, '');
  return EN_NOISE.test(t) || EN_NOISE.test(bare) || EN_TEMPORARY.test(t);
}
