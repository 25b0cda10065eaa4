/**
 * The engine's replaceable strategies. Rules implement them offline; providers/ implements them with a language
 * model. They live here, apart from the modules that use them, so that the engine context can name them
 * without importing the write path, refinement or feedback.
 */
import type { MemoryRecord } from '../store/types';
import type { Extraction } from '../extract/types';
import type { NormalizedMessage } from './messages';

/** One message as refinement and extraction see it (frozen into task payloads, so only plain fields). */
export type RefineMessage = Pick<NormalizedMessage, 'index' | 'role' | 'text' | 'time' | 'toolCalls' | 'toolCallId' | 'chatTime'>;

/** Extraction strategy: rules offline; a language model when one is configured (providers/). */
export type Extractor = (messages: RefineMessage[], opts: { timezone: string }) => Promise<Extraction>;

/** What a feedback asks for (contract §4.7 step 2), as a model reads it. */
export type FeedbackAnalysis =
  | { kind: 'replace'; from: string; to: string }
  | { kind: 'correct'; wrongValue?: string; outdatedIds: string[] }
  | { kind: 'irrelevant' };

/** Model-based analysis of a feedback against the memories it may concern; undefined = let the rules decide. */
export type FeedbackAnalyzer = (content: string, related: MemoryRecord[]) => Promise<FeedbackAnalysis | undefined>;
