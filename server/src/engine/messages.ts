/** Normalises request messages: text of content parts, timestamps, tool calls. */
import type { MessageInput } from '../api/schemas';
import { parseChatTime } from './time';
import type { ExtractMessage } from '../extract/types';

export interface NormalizedMessage extends ExtractMessage {
  chatTime: string | null;
  /** True when the message carries image or file parts (forces async processing). */
  multimodal: boolean;
  raw: Record<string, unknown>;
}

export function contentText(content: MessageInput['content']): { text: string; multimodal: boolean } {
  if (content === undefined || content === null) return { text: '', multimodal: false };
  if (typeof content === 'string') return { text: content, multimodal: false };
  let multimodal = false;
  const parts: string[] = [];
  for (const p of content) {
    if (p.type === 'text') parts.push(p.text);
    else if (p.type === 'image_url') {
      multimodal = true;
      parts.push(`[image: ${p.image_url.url.startsWith('data:') ? 'inline image' : p.image_url.url}]`);
    } else {
      multimodal = true;
      parts.push(`[file: ${p.file.filename ?? (p.file.file_data.startsWith('data:') ? 'inline file' : p.file.file_data)}]`);
    }
  }
  return { text: parts.join('\n'), multimodal };
}

export function normalizeMessages(messages: MessageInput[], timezone: string, now = Date.now()): NormalizedMessage[] {
  return messages.map((m, index) => {
    const { text, multimodal } = contentText(m.content);
    const chatTime = m.chat_time === undefined ? null : String(m.chat_time);
    const time = parseChatTime(m.chat_time, timezone, now) ?? now;
    return {
      index,
      role: m.role,
      text,
      time,
      chatTime,
      multimodal,
      toolCalls: m.tool_calls?.map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments })),
      toolCallId: m.tool_call_id,
      raw: m as unknown as Record<string, unknown>,
    };
  });
}
