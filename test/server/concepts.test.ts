/**
 * The concept lexicon and advice intent on their own (no server): what a query word brings in, at what weight,
 * and the bound on words per search. The recalled-text behaviour is in recall-meaning.test.ts.
 */
import { CURATED_WEIGHT, KIND_WEIGHT, relatedTerms, SYNONYM_WEIGHT } from '../../server/src/engine/concepts';
import { adviceRelated, asksForAdvice } from '../../server/src/engine/intent';
import { wordSense } from '../../server/src/engine/lexicon/wordnet';
import { boundedRelated, MAX_MATCH_TERMS } from '../../server/src/engine/recall';
import { queryTerms } from '../../server/src/engine/text';

const related = (q: string) => {
  const terms = queryTerms(q);
  return { terms, map: relatedTerms(terms) };
};
const words = (rs: Array<{ term: string }> | undefined) => (rs ?? []).map((r) => r.term);

test('related words weigh less than a query word, curated more than WordNet, synonyms more than kinds', () => {
  expect(1).toBeGreaterThan(CURATED_WEIGHT);
  expect(CURATED_WEIGHT).toBeGreaterThan(SYNONYM_WEIGHT);
  expect(SYNONYM_WEIGHT).toBeGreaterThan(KIND_WEIGHT);
  const { map } = related('What is Joanna allergic to?');
  const allergic = map.get('allerg')!;
  expect(allergic.find((r) => r.term === 'allergi')?.weight).toBe(CURATED_WEIGHT);
  expect(allergic.every((r) => r.weight < 1)).toBe(true);
});

test('a two-word phrase WordNet knows speaks for both words, instead of what each means alone', () => {
  const { terms, map } = related('What martial arts has John done?');
  expect(terms).toEqual(expect.arrayContaining(['martial', 'art']));
  for (const t of ['martial', 'art']) {
    expect(words(map.get(t))).toEqual(expect.arrayContaining(['judo', 'karat', 'taekwondo']));
    expect(words(map.get(t))).not.toContain('paint');
  }
  expect(map.get('art')!.find((r) => r.term === 'taekwondo')!.weight).toBe(KIND_WEIGHT);
});

test('WordNet: instances of a category, derived forms, and only the main senses', () => {
  expect(wordSense('european countri')!.kinds).toEqual(expect.arrayContaining(['spain', 'ireland', 'itali']));
  expect(wordSense('allerg')!.same).toContain('allergi');
  // "dog" the animal, not "to dog" (follow) nor "dogged"
  expect(wordSense('dog')!.kinds).toContain('puppi');
  expect(wordSense('dog')!.same).not.toContain('chase');
  // too general for its kinds to say anything
  expect(wordSense('event')?.kinds ?? []).toHaveLength(0);
  expect(wordSense('no-such-word')).toBeUndefined();
});

test('advice intent: recognised in English and Chinese, not in a factual question', () => {
  for (const q of ['Can you recommend a restaurant for me?', 'What should I buy my dog?', 'Any tips for my trip?', '推荐一家适合我的餐厅', '我应该给我的狗买点什么？'])
    expect(asksForAdvice(q)).toBe(true);
  for (const q of ['Where do I work?', 'What is the name of my dog?', '我的电脑是什么牌子？', 'When did I go to the restaurant?']) expect(asksForAdvice(q)).toBe(false);
});

test("advice brings the named domain's constraints, keyed by the word that named it", () => {
  const q = 'Can you recommend a restaurant for me?';
  const out = adviceRelated(q, queryTerms(q));
  expect([...out.keys()]).toEqual(['restaur']);
  expect(words(out.get('restaur'))).toEqual(expect.arrayContaining(['vegetarian', 'allergi', 'budget', 'spici']));
  expect(words(out.get('restaur'))).not.toContain('breed');
  // A Chinese cue inside a longer segmented word, and two domains in one question.
  const zh = '我应该给我的狗买点什么？';
  const zhOut = adviceRelated(zh, queryTerms(zh));
  expect([...zhOut.values()].flat().map((r) => r.term)).toEqual(expect.arrayContaining(['品种', '尺码']));
  // A factual question about the same domain brings nothing.
  expect(adviceRelated('When did I go to the restaurant?', queryTerms('When did I go to the restaurant?')).size).toBe(0);
});

test(`at most ${MAX_MATCH_TERMS} words per search, every query word keeping some of its related words`, () => {
  const q = 'hobbies food fruit pets clothes weather travel hotel budget computer family work';
  const terms = queryTerms(q);
  const bounded = boundedRelated(terms, relatedTerms(terms));
  const all = new Set([...terms, ...[...bounded.values()].flat().map((r) => r.term)]);
  expect(all.size).toBeLessThanOrEqual(MAX_MATCH_TERMS);
  expect(all.size).toBeGreaterThan(MAX_MATCH_TERMS - 5);
  for (const t of terms) expect(bounded.get(t)!.length).toBeGreaterThan(0);
  // A short query keeps everything its words relate to.
  const one = queryTerms('What are my hobbies?');
  const full = relatedTerms(one);
  expect(boundedRelated(one, full).get('hobbi')!.length).toBe(Math.min(full.get('hobbi')!.length, MAX_MATCH_TERMS - 1));
});
