/**
 * Usage figures per project, day and operation (engine/usage.ts batches them). A flush adds its counts to the
 * day's row in one transaction, latency histograms merged bucket by bucket in SQL, so replicas never lose each
 * other's counts.
 */
import type { UsageDelta } from '../types';
import { all, json, run, type Queryable } from './connection';
import { toUsage } from './rows';

/** Needs a transaction. */
export async function recordUsage(db: Queryable, rows: UsageDelta[]) {
  for (const d of rows)
    await run(
      db,
      `INSERT INTO usage_daily AS u (project_id, day, operation, requests, errors, latency, llm_calls, llm_prompt_tokens, llm_completion_tokens, embedding_calls, embedding_tokens)
       VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)
       ON CONFLICT (project_id, day, operation) DO UPDATE SET
         requests = u.requests + excluded.requests, errors = u.errors + excluded.errors,
         latency = (SELECT COALESCE(jsonb_object_agg(k, n), '{}'::jsonb) FROM (
           SELECT k, SUM(v::bigint) AS n FROM (SELECT * FROM jsonb_each_text(u.latency) UNION ALL SELECT * FROM jsonb_each_text(excluded.latency)) e(k, v) GROUP BY k) s),
         llm_calls = u.llm_calls + excluded.llm_calls, llm_prompt_tokens = u.llm_prompt_tokens + excluded.llm_prompt_tokens,
         llm_completion_tokens = u.llm_completion_tokens + excluded.llm_completion_tokens,
         embedding_calls = u.embedding_calls + excluded.embedding_calls, embedding_tokens = u.embedding_tokens + excluded.embedding_tokens`,
      [d.projectId, d.day, d.operation, d.requests, d.errors, json(d.latency), d.llmCalls, d.llmPromptTokens, d.llmCompletionTokens, d.embeddingCalls, d.embeddingTokens],
    );
}

export async function usageReport(db: Queryable, projectId: string, sinceDay: string): Promise<UsageDelta[]> {
  return (await all(db, 'SELECT * FROM usage_daily WHERE project_id = ? AND day >= ? ORDER BY day, operation', [projectId, sinceDay])).map(toUsage);
}
