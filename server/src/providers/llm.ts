/**
 * A language model behind any OpenAI-compatible chat endpoint (OpenAI, DeepSeek, Qwen/DashScope, Ollama,
 * vLLM...), through the `openai` package.
 *
 * Every caller has an offline path to fall back to, so this client never retries and never waits long: one
 * attempt, one deadline (MEMOS_LLM_TIMEOUT_MS; for a stream, until the first token and then between tokens),
 * and every failure surfaces as an LlmError saying which kind it was (timeout, rate limit, HTTP status,
 * connection, unusable reply), for the caller to log and fall back.
 *
 * The `openai` package is loaded only when a model is configured: an offline server never needs it.
 */
import type { FastifyBaseLogger } from 'fastify';
import type OpenAI from 'openai';
import type { Config } from '../config';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface GenerateOptions {
  /** A name from the configured list; anything else means the default model. */
  model?: string;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  signal?: AbortSignal;
}

export type LlmFailure = 'timeout' | 'rate_limited' | 'http' | 'connection' | 'bad_response' | 'aborted';

export class LlmError extends Error {
  constructor(
    readonly reason: LlmFailure,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'LlmError';
  }
}

export interface LanguageModel {
  /** Configured model names; the first is the default. */
  readonly models: string[];
  /** The model a request will use. */
  pick(name?: string): string;
  complete(messages: ChatMessage[], opts?: GenerateOptions): Promise<string>;
  /**
   * Resolves once the first piece of the answer has arrived, so a caller can still fall back before it has
   * shown anything; the iterable then yields that piece and the rest.
   */
  stream(messages: ChatMessage[], opts?: GenerateOptions): Promise<AsyncIterable<string>>;
}

type OpenAIModule = typeof import('openai');

/** Reasoning models served without a separate reasoning field put their thinking inline, first. */
const THINK_BLOCK = /^\s*<think>[\s\S]*?<\/think>\s*/;

export function stripThinking(text: string): string {
  return text.replace(THINK_BLOCK, '');
}

/** A model, when MEMOS_LLM_BASE_URL and MEMOS_LLM_MODEL are both set. */
/** Tokens a provider reported for one call (for the usage figures); 0 when it reported none. */
export type UsageListener = (u: { kind: 'llm' | 'embedding'; promptTokens: number; completionTokens: number }) => void;

export function createLanguageModel(config: Config, log: FastifyBaseLogger, onUsage?: UsageListener): LanguageModel | undefined {
  if (!config.llmBaseUrl || !config.llmModel) {
    if (config.llmBaseUrl || config.llmModel) log.warn('MEMOS_LLM_BASE_URL and MEMOS_LLM_MODEL must both be set to use a language model; running offline');
    return undefined;
  }
  const models = config.llmModel
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  if (models.length === 0) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('openai') as OpenAIModule;
  const client = new sdk.OpenAI({
    baseURL: config.llmBaseUrl,
    // Local servers (Ollama, vLLM) take no key, but the client insists on one.
    apiKey: config.llmApiKey || 'not-needed',
    timeout: config.llmTimeoutMs,
    maxRetries: 0,
  });
  return new OpenAICompatibleModel(client, sdk, models, config.llmTimeoutMs, onUsage);
}

class OpenAICompatibleModel implements LanguageModel {
  constructor(
    private readonly client: OpenAI,
    private readonly sdk: OpenAIModule,
    readonly models: string[],
    private readonly timeoutMs: number,
    private readonly onUsage?: UsageListener,
  ) {}

  pick(name?: string): string {
    return name && this.models.includes(name) ? name : this.models[0];
  }

  private params(messages: ChatMessage[], opts: GenerateOptions) {
    return {
      model: this.pick(opts.model),
      messages,
      ...(opts.maxTokens !== undefined ? { max_tokens: opts.maxTokens } : {}),
      ...(opts.temperature !== undefined ? { temperature: opts.temperature } : {}),
      ...(opts.topP !== undefined ? { top_p: opts.topP } : {}),
    };
  }

  async complete(messages: ChatMessage[], opts: GenerateOptions = {}): Promise<string> {
    let res: OpenAI.Chat.Completions.ChatCompletion;
    try {
      res = await this.client.chat.completions.create({ ...this.params(messages, opts), stream: false }, { signal: opts.signal, timeout: this.timeoutMs });
    } catch (err) {
      throw this.classify(err, opts.signal);
    }
    this.onUsage?.({ kind: 'llm', promptTokens: res?.usage?.prompt_tokens ?? 0, completionTokens: res?.usage?.completion_tokens ?? 0 });
    const content = res?.choices?.[0]?.message?.content;
    if (typeof content !== 'string') throw new LlmError('bad_response', 'the model reply has no message content');
    const text = stripThinking(content).trim();
    if (!text) throw new LlmError('bad_response', 'the model replied with an empty message');
    return text;
  }

  async stream(messages: ChatMessage[], opts: GenerateOptions = {}): Promise<AsyncIterable<string>> {
    // Our own deadline, re-armed on every chunk: the client's timeout covers only the wait for the headers.
    const idle = new AbortController();
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        idle.abort();
      }, this.timeoutMs);
    };
    const signal = opts.signal ? AbortSignal.any([opts.signal, idle.signal]) : idle.signal;
    const fail = (err: unknown) => {
      clearTimeout(timer);
      if (timedOut) return new LlmError('timeout', `no token from the model for ${this.timeoutMs} ms`);
      return this.classify(err, opts.signal);
    };

    arm();
    let chunks: AsyncIterator<OpenAI.Chat.Completions.ChatCompletionChunk>;
    try {
      const stream = await this.client.chat.completions.create({ ...this.params(messages, opts), stream: true }, { signal, timeout: this.timeoutMs });
      chunks = stream[Symbol.asyncIterator]();
    } catch (err) {
      throw fail(err);
    }

    // Thinking text is held back until it is known whether the answer starts with a <think> block.
    let pending = '';
    let thinking: boolean | undefined;
    let usage: OpenAI.CompletionUsage | undefined | null;
    const onUsage = this.onUsage;
    const next = async (): Promise<string | undefined> => {
      for (;;) {
        let r: IteratorResult<OpenAI.Chat.Completions.ChatCompletionChunk>;
        try {
          r = await chunks.next();
        } catch (err) {
          throw fail(err);
        }
        if (r.done) {
          clearTimeout(timer);
          onUsage?.({ kind: 'llm', promptTokens: usage?.prompt_tokens ?? 0, completionTokens: usage?.completion_tokens ?? 0 });
          const rest = thinking === false || thinking === undefined ? pending : '';
          pending = '';
          return rest || undefined;
        }
        arm();
        // Servers that report a stream's usage do so in a chunk of their own, usually the last.
        if (r.value?.usage) usage = r.value.usage;
        const delta = r.value?.choices?.[0]?.delta?.content;
        if (typeof delta !== 'string' || delta === '') continue;
        if (thinking === false) return delta;
        pending += delta;
        if (thinking === undefined) {
          const head = pending.trimStart();
          if (head.length < 7 && '<think>'.startsWith(head)) continue;
          thinking = head.startsWith('<think>');
        }
        if (thinking) {
          const end = pending.indexOf('</think>');
          if (end === -1) continue;
          pending = pending.slice(end + '</think>'.length).trimStart();
          thinking = false;
          if (!pending) continue;
        }
        thinking = false;
        const out = pending;
        pending = '';
        return out;
      }
    };

    const first = await next();
    if (first === undefined) throw new LlmError('bad_response', 'the model streamed no answer');
    return (async function* () {
      yield first;
      for (let piece = await next(); piece !== undefined; piece = await next()) yield piece;
    })();
  }

  private classify(err: unknown, callerSignal?: AbortSignal): LlmError {
    const { sdk } = this;
    if (err instanceof LlmError) return err;
    if (callerSignal?.aborted) return new LlmError('aborted', 'the request was cancelled');
    if (err instanceof sdk.APIConnectionTimeoutError) return new LlmError('timeout', `the model did not answer within ${this.timeoutMs} ms`);
    if (err instanceof sdk.APIUserAbortError) return new LlmError('timeout', `the model did not answer within ${this.timeoutMs} ms`);
    if (err instanceof sdk.APIConnectionError) return new LlmError('connection', `cannot reach the model endpoint: ${causeOf(err)}`);
    if (err instanceof sdk.APIError && typeof err.status === 'number') {
      const reason = err.status === 429 ? 'rate_limited' : 'http';
      return new LlmError(reason, `the model endpoint answered HTTP ${err.status}: ${err.message.slice(0, 300)}`, err.status);
    }
    return new LlmError('bad_response', `unusable reply from the model endpoint: ${(err as Error)?.message ?? String(err)}`.slice(0, 400));
  }
}

function causeOf(err: unknown): string {
  const parts: string[] = [];
  let e = err as { message?: string; code?: string; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 4; depth++) {
    const text = e.code && !(e.message ?? '').includes(e.code) ? `${e.code} ${e.message ?? ''}`.trim() : e.message;
    if (text && !/^(Connection error\.|fetch failed)$/.test(text)) parts.push(text);
    e = e.cause as typeof e;
  }
  return parts.join(': ') || 'connection error';
}
