/** The pieces of /chat that need no server: prompt layout, the offline answer's passage cutting, model JSON. */
import { buildMemory } from '../../server/src/engine/records';
import { chatMessages, memoryBlock, type PromptInput } from '../../server/src/engine/prompt';
import { bestSentences, offlineAnswer } from '../../server/src/engine/offline-answer';
import { parseModelJson } from '../../server/src/providers/model-json';
import { stripThinking } from '../../server/src/providers/llm';
import { toExtraction } from '../../server/src/providers/llm-extractor';

const T = Date.UTC(2025, 2, 1, 1, 0); // 2025-03-01 09:00 in Asia/Shanghai
const mem = (init: Partial<Parameters<typeof buildMemory>[0]> & { value: string }) =>
  buildMemory({ projectId: 'p', kind: 'fact', subtype: 'LongTermMemory', key: 'k', conversationId: 'c', eventTime: T, ...init });

const base = (over: Partial<PromptInput> = {}): PromptInput => ({
  query: 'Which installer?',
  now: T,
  timezone: 'Asia/Shanghai',
  facts: [],
  preferences: [],
  knowledge: [],
  skills: [],
  history: [],
  knowledgebase: false,
  ...over,
});

describe('prompt', () => {
  test('memory lines follow the template: time stamps, preference labels, assistant view, KB source', () => {
    const block = memoryBlock(
      base({
        facts: [
          mem({ value: 'user: [09:00 AM on 1 March, 2025 Asia/Shanghai]: I use an Intel MacBook.', tags: ['mode:fast'], sources: [{ role: 'user' }] }),
          mem({ value: 'assistant: [09:00 AM on 1 March, 2025 Asia/Shanghai]: You probably need the x64 build.', tags: ['mode:fast'], sources: [{ role: 'assistant' }] }),
        ],
        preferences: [mem({ kind: 'preference', subtype: 'implicit_preference', value: 'The user may prefer short answers.' })],
        knowledge: [mem({ scope: 'knowledgebase', value: 'Intel Macs use\nProxyClient-x64.pkg.', data: { file_name: 'it.md', heading_path: ['IT', 'Proxy'] } })],
      }),
    );
    expect(block).toBe(
      [
        '## Facts',
        '-[2025-03-01 09:00] I use an Intel MacBook.',
        '-[2025-03-01 09:00] [assistant view] You probably need the x64 build.',
        '## Preferences',
        '-[2025-03-01 09:00] [Implicit Preference] The user may prefer short answers.',
        '## Knowledge base',
        '-[it.md > IT > Proxy] Intel Macs use ProxyClient-x64.pkg.',
        "Items marked [assistant view] are what an assistant said earlier: inferences, not the user's own words.",
      ].join('\n'),
    );
  });

  test('messages: system, history, then the query', () => {
    const msgs = chatMessages(base({ history: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] }));
    expect(msgs.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(msgs[0].content).toMatch(/# Memory data\n\(nothing relevant is remembered\)/);
    expect(msgs[0].content).not.toMatch(/knowledge base/);
    expect(chatMessages(base({ knowledgebase: true }))[0].content).toMatch(/When the knowledge base covers the question/);
  });
});

describe('offline answer', () => {
  const passage =
    'The intranet proxy client is required for every internal site. Apple silicon Macs use ProxyClient-arm64.pkg. ' +
    'Intel Macs use ProxyClient-x64.pkg; the arm64 build does not start on them. Windows laptops use ProxyClient-setup.exe. ' +
    'If the client does not open, uninstall it, restart, and reinstall the build that matches your processor. Printers are on floor 3.';

  test('a long passage is cut to the sentences that match the question, and what is known about the user', () => {
    const plain = bestSentences(passage, "The proxy won't open, what should I reinstall?", new Set(), 200);
    expect(plain).toMatch(/reinstall the build/);
    expect(plain).not.toMatch(/Printers/);
    const withContext = bestSentences(passage, "The proxy won't open, what should I reinstall?", new Set(['intel']), 300);
    expect(withContext).toMatch(/Intel Macs use ProxyClient-x64\.pkg/);
    expect(withContext.indexOf('Intel')).toBeLessThan(withContext.indexOf('reinstall'));
  });

  test('the answer is labelled, and a model failure is said to be one', () => {
    const r = { facts: [mem({ value: 'The user lives in Lyon.' })], preferences: [], knowledge: [], skills: [] };
    expect(offlineAnswer('Where do I live?', r, 'UTC')).toBe(
      '(No language model is configured, so this answer quotes what was recalled for your question instead of composing a reply.)\n\nFrom what you told me:\n- (2025-03-01): The user lives in Lyon.',
    );
    expect(offlineAnswer('Where do I live?', r, 'UTC', { modelFailed: true })).toMatch(/^\(The language model could not answer just now/);
  });
});

describe('model replies', () => {
  test.each([
    ['bare JSON', '{"a": 1}'],
    ['in a code fence', 'Sure!\n```json\n{"a": 1}\n```'],
    ['after thinking', '<think>hmm {not json}</think>\n{"a": 1}'],
    ['with trailing prose', '{"a": 1} Hope this helps {:'],
    ['braces inside strings', '{"a": 1, "s": "} {"}'],
  ])('JSON is found: %s', (_n, reply) => {
    expect(parseModelJson(reply)).toMatchObject({ a: 1 });
  });

  test.each(['no json here', '{"a": ', ''])('no usable JSON is a bad_response: %j', (reply) => {
    expect(() => parseModelJson(reply)).toThrow(expect.objectContaining({ reason: 'bad_response' }));
  });

  test('thinking blocks are stripped only at the start', () => {
    expect(stripThinking('<think>x</think>  Answer <think>kept</think>')).toBe('Answer <think>kept</think>');
  });

  test('extraction items are validated one by one; bad sources fall back to the user messages', () => {
    const msgs = [
      { index: 0, role: 'user' as const, text: 'I moved to Oslo.', time: 1000, chatTime: null },
      { index: 1, role: 'assistant' as const, text: 'Nice!', time: 2000, chatTime: null },
    ];
    const ex = toExtraction(
      {
        facts: [
          { key: 'Residence', value: 'The user lives in Oslo.', memory_type: 'UserMemory', state_key: 'Residence', source_indexes: [0, 7] },
          { key: 'Mood', value: 'Happy.', memory_type: 'Feeling', source_indexes: 'zero' },
          { value: 'no key' },
        ],
        preferences: [{ type: 'explicit_preference', text: 'Prefers trains.', source_indexes: [] }, { type: 'sometimes', text: 'x' }],
      },
      msgs,
    );
    expect(ex.facts).toEqual([
      { key: 'Residence', value: 'The user lives in Oslo.', memoryType: 'UserMemory', stateKey: 'residence', tags: [], sourceIndexes: [0], time: 1000 },
      { key: 'Mood', value: 'Happy.', memoryType: 'LongTermMemory', tags: [], sourceIndexes: [0], time: 1000 },
    ]);
    expect(ex.preferences).toEqual([{ type: 'explicit_preference', text: 'Prefers trains.', reasoning: '', tags: [], sourceIndexes: [0], time: 1000 }]);
  });
});
