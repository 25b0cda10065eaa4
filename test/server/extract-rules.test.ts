/** Offline rule extractor, English: the contract's §8 scenarios plus noise and negation checks. */
import { extractWithRules } from '../../server/src/extract/rules';
import type { ExtractMessage, Extraction, Role } from '../../server/src/extract/types';

type Turn = [Role, string] | [Role, string, string];

/** Messages from [role, text, chat_time?] tuples; chat_time is read as Asia/Shanghai wall time. */
function conv(turns: Turn[]): ExtractMessage[] {
  return turns.map(([role, text, at], index) => ({ index, role, text, time: Date.parse(`${at ?? '2025-06-10T10:00:00'}+08:00`) }));
}

function run(turns: Turn[]): Extraction {
  return extractWithRules(conv(turns), { timezone: 'Asia/Shanghai' });
}

const values = (x: Extraction) => x.facts.map((f) => f.value);
const texts = (x: Extraction) => x.preferences.map((p) => p.text);
const factWith = (x: Extraction, re: RegExp) => x.facts.find((f) => re.test(f.value));
const prefWith = (x: Extraction, re: RegExp) => x.preferences.find((p) => re.test(p.text));

describe('§8.1 travel: choice among offered hotels', () => {
  const x = run([
    ['user', 'I have booked a summer trip to Guangzhou. Which hotel chains are available?'],
    ['assistant', 'You can consider 7 Days Inn, Ji Hotel, Hilton, and others.'],
    ['user', 'I will choose 7 Days Inn.'],
    ['assistant', 'Got it. Feel free to ask if you have other questions.'],
  ]);

  it('records the trip as an event that keeps the city', () => {
    const trip = factWith(x, /summer trip to Guangzhou/);
    expect(trip).toMatchObject({ memoryType: 'LongTermMemory', event: true, sourceIndexes: [0] });
    expect(trip!.tags).toContain('travel');
    expect(trip!.stateKey).toBeUndefined();
  });

  it('records the choice with the trip it belongs to, citing the offer', () => {
    const choice = factWith(x, /chose 7 Days Inn/);
    expect(choice!.value).toBe('The user chose 7 Days Inn as the hotel for the summer trip to Guangzhou (options offered: 7 Days Inn, Ji Hotel, Hilton).');
    expect(choice!.sourceIndexes).toEqual([0, 1, 2]);
  });

  it('infers the cost-effective hotel preference with reasoning', () => {
    const pref = prefWith(x, /cost-effective/);
    expect(pref).toMatchObject({ type: 'implicit_preference', text: 'The user may prefer cost-effective (budget) hotels.', stateKey: 'hotel:tier' });
    expect(pref!.reasoning).toContain('7 Days Inn, Ji Hotel and Hilton');
    expect(pref!.reasoning).toContain('most affordable');
  });

  it('does not store the choice a second time as a plan, nor the question', () => {
    expect(values(x).some((v) => /Plan|will choose/i.test(v))).toBe(false);
    expect(values(x).some((v) => /Which hotel/i.test(v))).toBe(false);
  });

  it('falls back to a plain "prefers X over Y" when no price tier is known', () => {
    const y = run([
      ['assistant', 'Options: Blue Fin, Red Lantern or Green Garden.'],
      ['user', "Let's go with Red Lantern."],
    ]);
    expect(texts(y)).toContain('The user may prefer Red Lantern over Blue Fin and Green Garden when choosing options.');
  });

  it('reads ordinal picks from a numbered list', () => {
    const y = run([
      ['user', 'Find me a hotel in Paris.'],
      ['assistant', '1. Hilton Paris Opera - $320/night\n2. Ibis Paris Centre - $95/night\n3. Novotel Paris - $180/night'],
      ['user', 'The second one, please.'],
    ]);
    expect(factWith(y, /chose Ibis Paris Centre/)).toBeDefined();
    expect(prefWith(y, /cost-effective \(budget\) hotels/)).toBeDefined();
  });
});

describe('§8.2 time awareness: states supersede, events stay apart', () => {
  const x = run([
    ['user', 'I live in Beijing.', '2025-01-10T10:00:00'],
    ['user', 'I moved to Shanghai.', '2025-06-01T10:00:00'],
    ['user', "I traveled to Xi'an during last year's National Day holiday.", '2025-10-08T10:00:00'],
    ['user', "I traveled to Hangzhou during this year's May Day holiday.", '2026-05-02T10:00:00'],
  ]);

  it('gives both residences the same stateKey, the second saying the user moved', () => {
    const [first, second] = x.facts.filter((f) => f.stateKey === 'residence');
    expect(first.value).toBe('The user lives in Beijing.');
    expect(second.value).toContain('moved to Shanghai');
    expect(second.value).toContain('lives in Shanghai');
    expect(second.time).toBeGreaterThan(first.time);
  });

  it('keeps trips as separate events with the holiday resolved to a date', () => {
    const xian = factWith(x, /Xi'an/)!;
    const hangzhou = factWith(x, /Hangzhou/)!;
    expect(xian.value).toBe("The user traveled to Xi'an during last year's National Day holiday (October 2024).");
    expect(hangzhou.value).toContain('(May 2026)');
    for (const trip of [xian, hangzhou]) {
      expect(trip).toMatchObject({ event: true, memoryType: 'LongTermMemory' });
      expect(trip.stateKey).toBeUndefined();
      expect(trip.tags).toContain('travel');
    }
    expect(xian.sourceIndexes).toEqual([2]);
    expect(hangzhou.time).toBe(Date.parse('2026-05-02T10:00:00+08:00'));
  });

  it('reads "last National Day" said in October as the one just past', () => {
    const y = run([['user', "I went to Xi'an last National Day.", '2025-10-08T10:00:00']]);
    expect(values(y)).toContain("The user went to Xi'an last National Day (October 2025).");
  });

  it('supersedes "likes spicy" with "can\'t eat spicy now, prefers lighter" and keeps "lighter"', () => {
    const y = run([
      ['user', 'I like spicy food.', '2025-09-12T08:00:00'],
      ['user', "I can't eat very oily or spicy food now, and I prefer something lighter.", '2025-09-25T12:00:00'],
    ]);
    expect(y.preferences).toHaveLength(2);
    const [before, after] = y.preferences;
    expect(before).toMatchObject({ type: 'explicit_preference', text: 'The user likes spicy food.', stateKey: 'food:spicy' });
    expect(after.stateKey).toBe('food:spicy');
    expect(after.text).toMatch(/cannot eat very oily or spicy food now/);
    expect(after.text).toMatch(/lighter/);
  });

  it('treats "no longer" as a change of the same like', () => {
    const y = run([['user', 'I like apples.'], ['user', "I don't like apples anymore."]]);
    expect(y.preferences.map((p) => p.stateKey)).toEqual(['fruit:like', 'fruit:like']);
    expect(y.preferences[1].text).toBe('The user does not like apples anymore.');
  });

  it('gives a job change the same stateKey as the old job', () => {
    const y = run([['user', 'I work as a nurse at Ruijin Hospital.'], ['user', 'I just got a new job as a product manager at Alibaba.']]);
    expect(y.facts.map((f) => f.stateKey)).toEqual(['job', 'job']);
    expect(y.facts[1].value).toContain('product manager at Alibaba');
  });
});

describe('§8.3 shopping customer service: the puppy', () => {
  const x = run([
    ['user', 'I have a three-month-old Golden Retriever. Which dog food is better? By the way, it does not eat chicken flavor.', '2025-06-01T10:00:00'],
    ['assistant', 'Lamb puppy food A is a good choice.', '2025-06-01T10:01:00'],
    ['user', 'I bought lamb puppy food A. It weighs about 12 catties.', '2025-06-01T10:05:00'],
    ['user', 'The dog has diarrhea eating this dog food. I want to change to another one.', '2025-06-10T10:00:00'],
  ]);

  it('keeps breed and age as a pet profile', () => {
    const pet = factWith(x, /Golden Retriever/)!;
    expect(pet.value).toBe('The user has a three-month-old Golden Retriever (a dog).');
    expect(pet).toMatchObject({ memoryType: 'UserMemory', stateKey: 'pet:dog' });
    expect(pet.tags).toEqual(expect.arrayContaining(['pet', 'age']));
  });

  it('resolves "it" to the dog for the diet fact', () => {
    const diet = factWith(x, /chicken/)!;
    expect(diet).toMatchObject({ value: "The user's dog does not eat chicken flavor.", stateKey: 'pet:dog:diet' });
    expect(diet.tags).toEqual(['pet', 'diet']);
  });

  it('records the purchase as an event and the weight as its own state', () => {
    expect(factWith(x, /bought lamb puppy food A/)).toMatchObject({ event: true, tags: ['purchase'], sourceIndexes: [2] });
    expect(factWith(x, /12 catties/)).toMatchObject({ stateKey: 'pet:dog:weight' });
  });

  it('records the diarrhea as pet health', () => {
    expect(factWith(x, /diarrhea/)).toMatchObject({ stateKey: 'pet:dog:health', memoryType: 'LongTermMemory' });
  });

  it('never takes "puppy food" for a pet', () => {
    expect(x.facts.filter((f) => f.stateKey === 'pet:dog')).toHaveLength(1);
  });

  it('supersedes the pet diet with "my dog won\'t eat chicken"', () => {
    const y = run([['user', "My dog won't eat chicken."]]);
    expect(y.facts[0]).toMatchObject({ value: "The user's dog will not eat chicken.", stateKey: 'pet:dog:diet' });
  });
});

describe('§8.5 enterprise IT: the device', () => {
  it('keeps the full device description, Intel included', () => {
    const x = run([['user', 'My computer is a MacBook Pro 13-inch, Intel chip. How do I install the company intranet proxy?']]);
    expect(x.facts).toHaveLength(1);
    expect(x.facts[0]).toMatchObject({ value: "The user's computer is a MacBook Pro 13-inch, Intel chip.", stateKey: 'device:laptop', tags: ['device'] });
  });

  it('picks the device out of a question too', () => {
    const x = run([['user', 'How do I reinstall the proxy on my 13-inch Intel MacBook Pro?']]);
    expect(values(x)).toEqual(['The user has a 13-inch Intel MacBook Pro.']);
  });
});

describe('§8.7 shopping agent: size, material, budget', () => {
  const x = run([['user', 'I usually wear size M.'], ['user', 'No polyester please, and my budget is under $30.']]);

  it('stores all three as explicit preferences with their own stateKeys', () => {
    expect(x.preferences.map((p) => [p.text, p.stateKey])).toEqual([
      ['The user wears size M (clothing).', 'size:clothing'],
      ['The user does not want polyester (avoids polyester materials).', 'material:polyester'],
      ["The user's budget is under $30.", 'budget'],
    ]);
    expect(x.preferences.every((p) => p.type === 'explicit_preference' && p.tags.includes('shopping'))).toBe(true);
  });

  it('reads a budget out of a question', () => {
    const y = run([['user', 'Any summer dresses under $30?']]);
    expect(y.preferences[0]).toMatchObject({ stateKey: 'budget', text: "The user's budget is under $30 (price limit)." });
  });
});

describe('§8.8 financial assistant: behaviour and stated risk', () => {
  const x = run([
    ['user', "Clicked 'Retirement Finance' ad to enter app"],
    ['user', 'Browsed and bookmarked low-risk funds'],
    ['user', "I don't want to take too much risk."],
  ]);

  it('records behaviour logs as events with the implied subject', () => {
    expect(values(x)).toEqual(["The user clicked 'Retirement Finance' ad to enter app.", 'The user browsed and bookmarked low-risk funds.']);
    expect(x.facts.every((f) => f.event && f.tags.includes('behavior'))).toBe(true);
  });

  it('infers interest and a conservative risk preference', () => {
    expect(prefWith(x, /interested in Retirement Finance/)).toMatchObject({ type: 'implicit_preference' });
    expect(prefWith(x, /low-risk, conservative investments/)).toMatchObject({ type: 'implicit_preference', stateKey: 'risk' });
  });

  it('keeps the stated risk aversion as explicit, under the same stateKey', () => {
    expect(prefWith(x, /too much risk/)).toMatchObject({
      type: 'explicit_preference',
      text: 'The user does not want to take too much risk (low risk tolerance, conservative).',
      stateKey: 'risk',
    });
  });
});

describe('§8.9 writing assistant: role and style', () => {
  const x = run([
    ['user', "I work in the marketing department at an internet company. Keep the tone light when writing emails, and start with 'Dear XX'."],
    ['user', 'When writing summaries, I prefer to list three bullet points first.'],
  ]);

  it('stores the role with employer and department tags', () => {
    expect(x.facts[0]).toMatchObject({ value: 'The user works in the marketing department at an internet company.', stateKey: 'job', memoryType: 'UserMemory' });
    expect(x.facts[0].tags).toEqual(['job', 'employer', 'department']);
  });

  it('keeps the email instruction whole, greeting included', () => {
    expect(prefWith(x, /emails/)).toMatchObject({
      text: "The user wants the assistant to keep the tone light when writing emails, and start with 'Dear XX'.",
      stateKey: 'style:email',
    });
  });

  it('keeps the summary format', () => {
    expect(prefWith(x, /summaries/)).toMatchObject({ text: 'When writing summaries, the user prefers to list three bullet points first.', stateKey: 'style:summary' });
  });

  it('understands the same instructions phrased as rules about the artifact', () => {
    const y = run([['user', "Emails should be light in tone and start with 'Dear XX'."], ['user', 'Summaries start with 3 bullet points.']]);
    expect(texts(y)).toEqual(["The user wants emails to be light in tone and start with 'Dear XX'.", 'The user wants summaries to start with 3 bullet points.']);
  });

  it('does not take a one-off writing task for a preference', () => {
    expect(run([['user', 'Write a short poem about autumn.']]).preferences).toEqual([]);
  });
});

describe('§8.10 home assistant: plan, format, family', () => {
  const x = run([
    ['user', 'Take the kids to the zoo on Saturday, please remember it.', '2025-06-10T10:00:00'],
    ['user', 'For future reminders or plans, please first list three key points, then add one short suggestion.'],
    ['user', 'My wife is Xiaoyun, the child is 6 years old.'],
  ]);

  it('turns the to-do into a dated plan', () => {
    expect(factWith(x, /zoo/)).toMatchObject({ value: 'The user plans to take the kids to the zoo on Saturday (14 June 2025).', event: true });
  });

  it('keeps the 3+1 reminder format', () => {
    expect(prefWith(x, /key points/)).toMatchObject({
      text: 'For future reminders or plans, the user wants the assistant to first list three key points, then add one short suggestion.',
      stateKey: 'style:reminder',
    });
  });

  it('stores the wife and the child age as family states', () => {
    expect(factWith(x, /Xiaoyun/)).toMatchObject({ value: "The user's wife is Xiaoyun.", stateKey: 'family:wife:name', tags: ['family'] });
    expect(factWith(x, /6 years/)).toMatchObject({ value: "The user's child is 6 years old.", stateKey: 'family:child:age' });
  });

  it('reads "going to the zoo with the kids on Saturday" as a plan', () => {
    const y = run([['user', "We're going to the zoo with the kids on Saturday."]]);
    expect(y.facts[0].value).toBe('The user and family are going to the zoo with the kids on Saturday (14 June 2025).');
    expect(y.facts[0].tags).toContain('plan');
  });
});

describe('§8.11 small fixtures', () => {
  it('agent isolation: exercise event and sore knee', () => {
    const x = run([['user', 'I ran 5 km today, and my knee feels a little sore.']]);
    expect(factWith(x, /ran 5 km/)).toMatchObject({ value: 'The user ran 5 km today (10 June 2025).', event: true, tags: ['exercise', 'health'] });
    expect(factWith(x, /knee/)).toMatchObject({ value: "The user's knee feels a little sore.", stateKey: 'health:knee' });
  });

  it('scheduler demo: dog Max, peanut butter treats, nut allergy', () => {
    const x = run([
      ['user', 'I just adopted a golden retriever puppy named Max.'],
      ['assistant', "That's exciting! Max is a great name."],
      ['user', 'He loves peanut butter treats but I am allergic to nuts.'],
      ['assistant', 'Noted. Peanut butter for Max, no nuts for you.'],
    ]);
    expect(factWith(x, /named Max/)).toMatchObject({ stateKey: 'pet:dog', value: 'The user just adopted a golden retriever puppy named Max (a dog).' });
    expect(factWith(x, /peanut butter/)).toMatchObject({ value: "The user's dog Max loves peanut butter treats.", stateKey: 'pet:dog:likes' });
    expect(factWith(x, /allergic/)).toMatchObject({ value: 'The user is allergic to nuts.', stateKey: 'allergy:nut', memoryType: 'UserMemory' });
    expect(x.facts).toHaveLength(3);
  });

  it('extraction: profile facts and the short-replies preference', () => {
    const x = run([
      ['system', 'Extract key memories from the dialogue.'],
      ['user', "I'm Alex, 28, backend dev in Hangzhou, I play badminton."],
      ['assistant', 'Hi Alex!'],
      ['user', 'Keep replies short, not too wordy.'],
    ]);
    expect(x.facts.map((f) => [f.stateKey, f.value])).toEqual([
      ['name', "The user's name is Alex."],
      ['age', 'The user is 28 years old.'],
      ['job', 'The user works as a backend dev in Hangzhou.'],
      ['residence', 'The user is based in Hangzhou.'],
      ['hobby:badminton', 'The user plays badminton.'],
    ]);
    expect(x.facts.every((f) => f.memoryType === 'UserMemory' && f.sourceIndexes[0] === 1)).toBe(true);
    expect(x.preferences).toEqual([
      expect.objectContaining({ type: 'explicit_preference', text: 'The user wants the assistant to keep replies short, not too wordy.', stateKey: 'style:reply', sourceIndexes: [3] }),
    ]);
    expect(x.preferences[0].reasoning).toContain('Keep replies short');
  });

  it('feedback: apples/bananas, then mangosteens replaces the liked fruit only', () => {
    const x = run([['user', 'I like apples, dislike bananas.'], ['user', 'Wrong, actually I like mangosteens.']]);
    expect(x.preferences.map((p) => [p.text, p.stateKey])).toEqual([
      ['The user likes apples.', 'fruit:like'],
      ['The user dislikes bananas.', 'fruit:dislike'],
      ['The user likes mangosteens.', 'fruit:like'],
    ]);
  });

  it('rerank fixture: a drinking preference and a refusal', () => {
    const x = run([['user', 'I prefer Jiangxiang baijiu, especially Moutai.'], ['user', "I don't drink."]]);
    expect(texts(x)).toEqual(['The user prefers Jiangxiang baijiu, especially Moutai.', 'The user does not drink.']);
  });
});

describe('explicit preferences across phrasings', () => {
  it.each([
    ["I don't eat chicken.", 'The user does not eat chicken.', 'diet:chicken'],
    ['I prefer concise answers.', 'The user prefers concise answers.', 'style:reply'],
    ['Avoid backtracking.', 'The user wants to avoid backtracking.', 'avoid:backtracking'],
    ['Culture, not malls.', 'The user prefers culture, not malls.', 'like:culture'],
    ["I'm vegetarian.", 'The user is vegetarian.', 'diet:vegetarian'],
    ['My favorite color is green.', "The user's favorite color is green.", 'favorite:color'],
    ['Always answer in English.', 'The user wants the assistant to always answer in English.', 'style:reply'],
    ['Could you use bullet points from now on?', 'The user wants the assistant to use bullet points from now on.', 'style:format'],
  ])('%s', (input, text, stateKey) => {
    const x = run([['user', input]]);
    expect(x.preferences).toEqual([expect.objectContaining({ type: 'explicit_preference', text, stateKey })]);
    expect(x.preferences[0].reasoning).toMatch(/^The user stated it directly/);
  });

  it('distinguishes "I don\'t like X" (dislike) from "I no longer like X" (change)', () => {
    expect(run([['user', "I don't like jazz."]]).preferences[0]).toMatchObject({ text: 'The user does not like jazz.', stateKey: 'like:jazz', tags: ['preference', 'dislike'] });
    expect(run([['user', 'I no longer like jazz.']]).preferences[0]).toMatchObject({ text: 'The user no longer likes jazz.', stateKey: 'like:jazz' });
    expect(run([['user', 'I like jazz.']]).preferences[0]).toMatchObject({ text: 'The user likes jazz.', stateKey: 'like:jazz' });
  });

  it('infers implicit preferences from complaints', () => {
    expect(run([['user', 'That hotel is too expensive.']]).preferences[0]).toMatchObject({ type: 'implicit_preference', stateKey: 'price:sensitivity' });
  });
});

describe('profile and events in unseen phrasings', () => {
  it('job, employer and department', () => {
    expect(values(run([['user', "I'm a designer in the Creative Platform Department."]]))).toEqual(['The user is a designer in the Creative Platform Department.']);
  });

  it('hometown is not residence', () => {
    expect(run([['user', "I'm originally from Chengdu."]]).facts[0]).toMatchObject({ stateKey: 'hometown' });
  });

  it('purchases and plans are events without stateKeys', () => {
    const x = run([['user', 'I ordered a standing desk yesterday.'], ['user', "I'm planning to visit my parents next weekend."]]);
    expect(x.facts[0]).toMatchObject({ value: 'The user ordered a standing desk yesterday (9 June 2025).', event: true, tags: ['purchase'] });
    expect(x.facts[1].value).toContain('visit the user\'s parents next weekend');
    expect(x.facts.every((f) => f.stateKey === undefined)).toBe(true);
  });

  it('hobbies get a stateKey per activity', () => {
    expect(run([['user', 'I love hiking on weekends.']]).facts[0]).toMatchObject({ value: 'The user loves hiking on weekends.', stateKey: 'hobby:hiking' });
  });

  it('structured profile lines become one item each', () => {
    const x = run([['user', 'Favorite movie genres: sci-fi, action, comedy\nPreferred chat style: humorous, warm, casual\nOccupation: nurse']]);
    expect(texts(x)).toEqual(["The user's favorite movie genres: sci-fi, action, comedy.", "The user's preferred chat style: humorous, warm, casual."]);
    expect(x.facts[0]).toMatchObject({ value: "The user's occupation: nurse.", stateKey: 'job' });
  });

  it('family members\' attributes are their own states', () => {
    const x = run([['user', 'My son is allergic to peanuts.'], ['user', 'My husband Tom is a teacher.']]);
    expect(x.facts.map((f) => [f.value, f.stateKey])).toEqual([
      ["The user's son is allergic to peanuts.", 'family:son:allergy:peanut'],
      ["The user's husband Tom is a teacher.", 'family:husband:name'],
    ]);
  });

  it('named attributes ("my birthday is ...") are states; dated ones are events', () => {
    const x = run([['user', 'My birthday is March 3rd.'], ['user', 'My old neighbourhood was hit by a flood last week.']]);
    expect(x.facts[0]).toMatchObject({ value: "The user's birthday is March 3rd.", stateKey: 'my:birthday', memoryType: 'UserMemory' });
    expect(x.facts[1]).toMatchObject({ event: true });
    expect(x.facts[1].stateKey).toBeUndefined();
  });

  it('devices from "drive" and "switched to"', () => {
    const x = run([['user', 'I drive a Tesla Model 3.'], ['user', 'I just switched from Android to an iPhone 15 Pro.']]);
    expect(x.facts.map((f) => f.stateKey)).toEqual(['device:car', 'device:phone']);
  });

  it('a purchase inside a relative clause is not a purchase; the intent is kept', () => {
    const x = run([['user', 'I want to return the headphones I bought 3 days ago.']]);
    expect(x.facts).toHaveLength(1);
    expect(x.facts[0]).toMatchObject({ value: 'The user wants to return the headphones the user bought 3 days ago (7 June 2025).', tags: ['plan', 'intent'] });
  });

  it('a correction says so in its reasoning', () => {
    const x = run([['user', 'Actually, I prefer tea.']]);
    expect(x.preferences[0].reasoning).toContain('corrects something the user said earlier');
  });

  it('a month name resolves against the message date', () => {
    expect(values(run([['user', 'I got married last June.']]))).toEqual(['The user got married last June (June 2024).']);
  });

  it('keeps the user\'s own statements about their life (generic fallback)', () => {
    const x = run([['user', 'I went to a LGBTQ support group yesterday and it was so powerful.', '2023-05-08T13:56:00']]);
    expect(x.facts[0]).toMatchObject({ value: 'The user went to a LGBTQ support group yesterday (7 May 2023).', event: true });
  });
});

describe('noise and negation', () => {
  it.each([
    ['Hi there!'],
    ['Thanks, Melanie!'],
    ['Ok, got it.'],
    ['Wait a second.'],
    ['Hold on, let me think.'],
    ["What's the weather like in Beijing right now?"],
    ['Can you recommend a good restaurant?'],
    ['How are you?'],
    ["I'm so proud of you!"],
    ['I totally agree, Mel.'],
  ])('%s produces nothing', (input) => {
    const x = run([['user', input]]);
    expect(x.facts).toEqual([]);
    expect(x.preferences).toEqual([]);
  });

  it('"I\'m not from Beijing" never says the user lives in Beijing', () => {
    const x = run([['user', "I'm not from Beijing."]]);
    expect(values(x).some((v) => /lives in Beijing/.test(v))).toBe(false);
    expect(x.facts.some((f) => f.stateKey === 'residence' || f.stateKey === 'hometown')).toBe(false);
  });

  it('"I don\'t live in Beijing anymore" updates the residence', () => {
    expect(run([['user', "I don't live in Beijing anymore."]]).facts[0]).toMatchObject({ value: 'The user no longer lives in Beijing.', stateKey: 'residence' });
  });

  it('ignores assistant and system text as a source of user facts', () => {
    const x = run([['system', 'The user lives in Paris.'], ['assistant', 'I love spicy food and I live in Rome.']]);
    expect(x).toEqual({ facts: [], preferences: [], tools: [] });
  });

  it('does not take "this is Max" for the user\'s name', () => {
    expect(run([['user', 'This is Max, my dog.']]).facts.some((f) => f.stateKey === 'name')).toBe(false);
  });

  it('does not read a like out of a relative clause', () => {
    expect(run([['user', 'I found a job at a tech company I like.']]).preferences).toEqual([]);
  });
});
