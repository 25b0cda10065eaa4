/**
 * Usage figures per project, day and operation (engine/usage.ts batches them). A flush adds its counts to the
 * day's row in one transaction, latency histograms merged bucket by bucket, so concurrent processes sharing the
 * file never lose each other's counts.
 */
import type { UsageDelta } from '../types';
import { json, type Row, type SqliteDb } from './connection';
import { toUsage } from './rows';

export function recordUsage(db: SqliteDb, rows: UsageDelta[]) {
  db.tx(() => {
    for (const d of rows) {
      const old = db.q('SELECT * FROM usage_daily WHERE project_id = ? AND day = ? AND operation = ?').get(d.projectId, d.day, d.operation) as Row | undefined;
      const latency: Record<string, number> = old ? JSON.parse(old.latency) : {};
      for (const [b, n] of Object.entries(d.latency)) latency[b] = (latency[b] ?? 0) + n;
      db.q(
        `INSERT INTO usage_daily(project_id, day, operation, requests, errors, latency, llm_calls, llm_prompt_tokens, llm_completion_tokens, embedding_calls, embedding_tokens)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(project_id, day, operation) DO UPDATE SET
           requests = requests + excluded.requests, errors = errors + excluded.errors, latency = ?,
           llm_calls = llm_calls + excluded.llm_calls, llm_prompt_tokens = llm_prompt_tokens + excluded.llm_prompt_tokens,
           llm_completion_tokens = llm_completion_tokens + excluded.llm_completion_tokens,
           embedding_calls = embedding_calls + excluded.embedding_calls, embedding_tokens = embedding_tokens + excluded.embedding_tokens`,
      ).run(
        d.projectId,
        d.day,
        d.operation,
        d.requests,
        d.errors,
        json(latency),
        d.llmCalls,
        d.llmPromptTokens,
        d.llmCompletionTokens,
        d.embeddingCalls,
        d.embeddingTokens,
        json(latency),
      );
    }
  });
}

export function usageReport(db: SqliteDb, projectId: string, sinceDay: string): UsageDelta[] {
  return (db.q('SELECT * FROM usage_daily WHERE project_id = ? AND day >= ? ORDER BY day, operation').all(projectId, sinceDay) as Row[]).map(toUsage);
}
