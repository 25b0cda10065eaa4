/**
 * Feedback analysis with a language model (contract §4.7 steps 1-3): is the feedback a global replacement,
 * a correction (and which of the user's memories does it make outdated), or unrelated to anything?
 * The rules in engine/feedback.ts only recognise a few phrasings; a model reads any. On any model failure
 * the analyzer answers undefined and the rules decide, so feedback is never lost to the model.
 */
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { FeedbackAnalysis, FeedbackAnalyzer } from '../engine/ports';
import type { LanguageModel } from './llm';
import { parseModelJson } from './model-json';

const SYSTEM = `You analyse a user's feedback about what an assistant remembers.

Return only a JSON object, no prose:
{"kind": "replace" | "correct" | "irrelevant", "from": string | null, "to": string | null, "wrong_value": string | null, "outdated_ids": [string]}

- replace: the user asks to replace a word or name everywhere (e.g. "Replace User 1 with User 2 everywhere"). Give "from" and "to" exactly as written.
- correct: the feedback corrects or updates a fact, preference or policy. "wrong_value": the value being corrected away, exactly as it appears in the memories (e.g. "800"), or null.
  "outdated_ids": ids of the listed memories that the feedback makes wrong or outdated (only those; none if unsure).
- irrelevant: the feedback states nothing new and corrects nothing.`;

const reply = z.object({
  kind: z.enum(['replace', 'correct', 'irrelevant']),
  from: z.string().nullish(),
  to: z.string().nullish(),
  wrong_value: z.string().nullish(),
  outdated_ids: z.array(z.string()).nullish(),
});

export function makeLlmFeedbackAnalyzer(model: LanguageModel, log: FastifyBaseLogger): FeedbackAnalyzer {
  return async (content, related) => {
    const memories = related.map((m) => `[${m.id}] ${m.value.slice(0, 500)}`).join('\n') || '(none)';
    try {
      const text = await model.complete(
        [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: `Feedback: ${content}\n\nMemories:\n${memories}` },
        ],
        { temperature: 0, maxTokens: 1024 },
      );
      const r = reply.parse(parseModelJson(text));
      let analysis: FeedbackAnalysis;
      if (r.kind === 'replace') {
        const from = r.from?.trim();
        const to = r.to?.trim();
        // A replacement without both sides cannot be applied; let the rules read the feedback instead.
        if (!from || !to || from === to) return undefined;
        analysis = { kind: 'replace', from, to };
      } else if (r.kind === 'correct') {
        analysis = { kind: 'correct', ...(r.wrong_value?.trim() ? { wrongValue: r.wrong_value.trim() } : {}), outdatedIds: r.outdated_ids ?? [] };
      } else analysis = { kind: 'irrelevant' };
      return analysis;
    } catch (err) {
      log.warn({ err: (err as Error).message, reason: (err as { reason?: string }).reason }, 'model feedback analysis failed; using the rules');
      return undefined;
    }
  };
}
