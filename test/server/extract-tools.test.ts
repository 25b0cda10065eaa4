/** Tool memories (contract §2.4, §4.13): schemas from system prompts, trajectories from tool calls and results. */
import { extractWithRules } from '../../server/src/extract/rules';
import { extractToolMemories } from '../../server/src/extract/tools';
import type { ExtractMessage } from '../../server/src/extract/types';

const weatherSchema = {
  name: 'get_weather',
  description: 'Get current weather information for a given location',
  parameters: { type: 'object', properties: { location: { type: 'string', description: 'City name, e.g. Beijing' } }, required: ['location'] },
};

/** The contract's weather example (§8.11): system prompt with the schema, question, call, result, answer. */
function weatherConversation(args = JSON.stringify({ location: 'Beijing' }), result = JSON.stringify({ location: 'Beijing', temperature: '7°C', condition: 'Cloudy' })): ExtractMessage[] {
  return [
    { index: 0, role: 'system', time: 1000, text: `You are an assistant that can call tools. When a user's request can be fulfilled by a tool, you MUST call the appropriate tool.\n${JSON.stringify([weatherSchema], null, 2)}\n` },
    { index: 1, role: 'user', time: 2000, text: "What's the weather like in Beijing right now?" },
    { index: 2, role: 'assistant', time: 3000, text: '', toolCalls: [{ id: 'call_123', name: 'get_weather', arguments: args }] },
    { index: 3, role: 'tool', time: 4000, text: result, toolCallId: 'call_123' },
    { index: 4, role: 'assistant', time: 5000, text: 'It is 7°C and cloudy in Beijing.' },
  ];
}

describe('tool schema memories', () => {
  it('one ToolSchemaMemory per tool, value = {name, description, parameters}', () => {
    const [schema] = extractToolMemories(weatherConversation(), { timezone: 'UTC' });
    expect(schema).toEqual({
      type: 'ToolSchemaMemory',
      key: 'get_weather',
      value: weatherSchema,
      tags: ['tool', 'schema', 'get_weather'],
      sourceIndexes: [0],
      time: 1000,
    });
  });

  it('reads OpenAI-style and bare definitions inside prose, and skips broken JSON', () => {
    const text =
      'Tools: {"type":"function","function":{"name":"search_flights","description":"Search flights","parameters":{"type":"object","properties":{"from":{"type":"string"}}}}} ' +
      'and {"name":"book_hotel","description":"Book a room"} then a broken one {"name": "oops", ';
    const tools = extractToolMemories([{ index: 0, role: 'system', time: 1, text }], { timezone: 'UTC' });
    expect(tools.map((t) => t.key)).toEqual(['search_flights', 'book_hotel']);
    expect(tools[1].value).toEqual({ name: 'book_hotel', description: 'Book a room', parameters: { type: 'object', properties: {} } });
  });

  it('deduplicates by name, the later definition winning', () => {
    const v2 = { ...weatherSchema, description: 'Weather v2' };
    const tools = extractToolMemories(
      [
        { index: 0, role: 'system', time: 1, text: JSON.stringify(weatherSchema) },
        { index: 1, role: 'system', time: 2, text: JSON.stringify({ tools: [v2] }) },
      ],
      { timezone: 'UTC' },
    );
    expect(tools).toHaveLength(1);
    expect(tools[0]).toMatchObject({ value: { description: 'Weather v2' }, sourceIndexes: [0, 1], time: 2 });
  });

  it('ignores JSON in system prompts that is not a tool', () => {
    expect(extractToolMemories([{ index: 0, role: 'system', time: 1, text: 'Config: {"temperature": 0.2, "name": 5}' }], { timezone: 'UTC' })).toEqual([]);
  });
});

describe('tool trajectory memories', () => {
  it('narrates question -> call -> result, with status and experience', () => {
    const trajectory = extractToolMemories(weatherConversation(), { timezone: 'UTC' })[1];
    expect(trajectory).toMatchObject({
      type: 'ToolTrajectoryMemory',
      key: 'Tool trajectory: get_weather',
      value:
        "User asked: What's the weather like in Beijing right now? -> Tool 'get_weather' called with location=Beijing -> returned temperature 7°C, condition Cloudy -> Assistant answered: It is 7°C and cloudy in Beijing.",
      experience: "When the user asks about weather, call 'get_weather' with the correct location.",
      sourceIndexes: [1, 2, 3, 4],
      time: 3000,
    });
    expect(trajectory.toolUsedStatus).toEqual([
      {
        used_tool: 'get_weather',
        error_type: '',
        success_rate: 1,
        tool_experience: "The 'get_weather' tool requires a valid location (e.g. location=Beijing) and returns temperature, condition; it is for: Get current weather information for a given location.",
      },
    ]);
  });

  it('marks an error result as a failure', () => {
    const t = extractToolMemories(weatherConversation(undefined, '{"error": "city not found"}'), { timezone: 'UTC' })[1];
    expect(t.value).toContain('failed: error: city not found');
    expect(t.toolUsedStatus![0]).toMatchObject({ success_rate: 0, error_type: 'error in result' });
    expect(t.experience).toContain('failed here (error in result)');
  });

  it('does not throw on malformed arguments and reports them', () => {
    const run = () => extractToolMemories(weatherConversation('{location: Beijing'), { timezone: 'UTC' });
    expect(run).not.toThrow();
    const t = run()[1];
    expect(t.value).toContain('unparsed arguments {location: Beijing');
    expect(t.toolUsedStatus![0]).toMatchObject({ success_rate: 0, error_type: 'invalid arguments' });
    expect(t.toolUsedStatus![0].tool_experience).toContain('not valid JSON');
  });

  it('reports a call that never got a result', () => {
    const msgs = weatherConversation().slice(0, 3);
    const t = extractToolMemories(msgs, { timezone: 'UTC' })[1];
    expect(t.toolUsedStatus![0]).toMatchObject({ success_rate: 0, error_type: 'no result returned' });
  });

  it('one trajectory per user turn, several tools in order, rates per tool', () => {
    const msgs: ExtractMessage[] = [
      { index: 0, role: 'user', time: 1, text: 'Book me a flight to Tokyo and a hotel.' },
      { index: 1, role: 'assistant', time: 2, text: '', toolCalls: [{ id: 'a', name: 'search_flights', arguments: '{"to":"Tokyo"}' }] },
      { index: 2, role: 'tool', time: 3, text: '[{"flight":"NH920","price":"$420"}]', toolCallId: 'a' },
      { index: 3, role: 'assistant', time: 4, text: '', toolCalls: [{ id: 'b', name: 'book_hotel', arguments: '{"city":"Tokyo"}' }, { id: 'c', name: 'book_hotel', arguments: '{"city":"Tokyo","stars":5}' }] },
      { index: 4, role: 'tool', time: 5, text: 'Error: no rooms available', toolCallId: 'b' },
      { index: 5, role: 'tool', time: 6, text: '{"booking":"H-77"}', toolCallId: 'c' },
    ];
    const [t] = extractToolMemories(msgs, { timezone: 'UTC' });
    expect(t.key).toBe('Tool trajectory: search_flights -> book_hotel');
    expect(t.value).toContain("Tool 'search_flights' called with to=Tokyo -> returned 1 item(s), first: flight NH920, price $420");
    expect(t.toolUsedStatus!.map((s) => [s.used_tool, s.success_rate])).toEqual([['search_flights', 1], ['book_hotel', 0.5]]);
    expect(t.experience).toMatch(/call 'search_flights' then 'book_hotel' in that order/);
    expect(t.sourceIndexes).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('writes the narrative in Chinese for a Chinese question', () => {
    const msgs = weatherConversation();
    msgs[1] = { ...msgs[1], text: '北京现在天气怎么样？' };
    const t = extractToolMemories(msgs, { timezone: 'UTC' })[1];
    expect(t.key).toBe('工具调用：get_weather');
    expect(t.value).toMatch(/^用户提问：北京现在天气怎么样？ -> 调用工具 'get_weather'，参数 location=Beijing -> 返回/);
  });

  it('extractWithRules fills Extraction.tools and keeps tool chatter out of facts', () => {
    const x = extractWithRules(weatherConversation(), { timezone: 'Asia/Shanghai' });
    expect(x.tools.map((t) => t.type)).toEqual(['ToolSchemaMemory', 'ToolTrajectoryMemory']);
    expect(x.facts).toEqual([]);
    expect(x.preferences).toEqual([]);
  });
});
