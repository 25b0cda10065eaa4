/**
 * JSON out of a model reply. Models asked for "only JSON" still wrap it in code fences, put a sentence before
 * it, or think aloud first; the object is taken from the first "{" to its matching "}". A reply with no
 * parseable object is an LlmError('bad_response'), which callers treat like any other model failure.
 */
import { LlmError, stripThinking } from './llm';

export function parseModelJson(reply: string): unknown {
  const text = stripThinking(reply).trim();
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  const body = fenced ? fenced[1] : text;
  const start = body.indexOf('{');
  if (start === -1) throw new LlmError('bad_response', `the model reply holds no JSON object: ${JSON.stringify(text.slice(0, 120))}`);
  const end = matchingBrace(body, start);
  try {
    return JSON.parse(body.slice(start, end === -1 ? undefined : end + 1));
  } catch (err) {
    throw new LlmError('bad_response', `the model reply is not valid JSON (${(err as Error).message}): ${JSON.stringify(text.slice(0, 120))}`);
  }
}

/** Index of the "}" closing the "{" at `start`, skipping braces inside strings; -1 when unbalanced. */
function matchingBrace(s: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}
