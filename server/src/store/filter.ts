/**
 * The filter tree (contract §4.4) every store translates into its own query language. The engine parses the
 * request's JSON into it (engine/filter.ts); the store only ever sees this tree, never the raw JSON.
 */
export type TimeField = 'create_time' | 'update_time';
export type TimeOp = 'gt' | 'gte' | 'lt' | 'lte';

export type FilterNode =
  | { op: 'and' | 'or'; children: FilterNode[] }
  | { op: 'eq'; field: string; value: string }
  | { op: 'tagContains'; tag: string }
  | { op: 'time'; field: TimeField; cmp: TimeOp; value: number };

/** Columns that exist on every memory; any other equality key is looked up in `info`. */
export const COLUMN_FIELDS = new Set(['agent_id', 'app_id']);

/** Combine a global filter with a per-source one (both apply). */
export function both(a?: FilterNode, b?: FilterNode): FilterNode | undefined {
  if (!a) return b;
  if (!b) return a;
  return { op: 'and', children: [a, b] };
}
