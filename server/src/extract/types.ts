/**
 * Input and output of memory extraction. The offline extractor (rules) and the language-model extractor
 * produce the same shapes, so the write path does not care which one ran.
 */
export type Role = 'user' | 'assistant' | 'system' | 'tool';

export interface ToolCall {
  id: string;
  name: string;
  /** JSON string, as the OpenAI format sends it. */
  arguments: string;
}

export interface ExtractMessage {
  /** Position in the request's messages array; extracted items cite it in sourceIndexes. */
  index: number;
  role: Role;
  /** Plain text of the message (content parts joined). */
  text: string;
  /** When it was said, epoch ms (from chat_time or ingestion time). */
  time: number;
  toolCalls?: ToolCall[];
  toolCallId?: string;
}

export interface ExtractedFact {
  /** Short title, e.g. "Residence". */
  key: string;
  /** Third-person statement, e.g. "The user lives in Shanghai." */
  value: string;
  memoryType: 'UserMemory' | 'LongTermMemory';
  /** Identity of a mutable state ("residence", "pet:dog:diet"): a newer fact with the same key supersedes older ones. */
  stateKey?: string;
  /** One-time events (trips, purchases) never supersede each other. */
  event?: boolean;
  tags: string[];
  sourceIndexes: number[];
  time: number;
}

export interface ExtractedPreference {
  type: 'explicit_preference' | 'implicit_preference';
  /** e.g. "The user does not eat spicy food now and prefers lighter food." */
  text: string;
  reasoning: string;
  stateKey?: string;
  tags: string[];
  sourceIndexes: number[];
  time: number;
}

export interface ExtractedTool {
  type: 'ToolSchemaMemory' | 'ToolTrajectoryMemory';
  /** Tool name (schema) or a short title (trajectory). */
  key: string;
  /** Schema: {name, description, parameters}. Trajectory: narrative string. */
  value: Record<string, unknown> | string;
  /** Trajectory only. */
  toolUsedStatus?: Array<{ used_tool: string; error_type: string; success_rate: number; tool_experience: string }>;
  experience?: string;
  tags: string[];
  sourceIndexes: number[];
  time: number;
}

export interface Extraction {
  facts: ExtractedFact[];
  preferences: ExtractedPreference[];
  tools: ExtractedTool[];
}
