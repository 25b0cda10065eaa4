/** Translates a parsed filter (contract §4.4) and a recall scope into parameterised SQL conditions over the `memories` table `m`. */
import { both, COLUMN_FIELDS, type FilterNode } from '../filter';
import type { MemoryKind, RecallScope } from '../types';
import { placeholders } from './connection';

export interface SqlPart {
  sql: string;
  params: unknown[];
}

const TIME_SQL = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

export function filterToSql(node: FilterNode): SqlPart {
  switch (node.op) {
    case 'and':
    case 'or': {
      const parts = node.children.map(filterToSql);
      return { sql: '(' + parts.map((p) => p.sql).join(node.op === 'and' ? ' AND ' : ' OR ') + ')', params: parts.flatMap((p) => p.params) };
    }
    case 'eq':
      if (COLUMN_FIELDS.has(node.field)) return { sql: `m.${node.field} = ?`, params: [node.value] };
      // Info values may have been written as numbers or booleans; ->> compares their text form.
      return { sql: `m.info ->> ?::text = ?`, params: [node.field, node.value] };
    case 'tagContains':
      return { sql: `m.tags @> jsonb_build_array(?::text)`, params: [node.tag] };
    case 'time':
      return { sql: `m.${node.field} ${TIME_SQL[node.cmp]} ?`, params: [node.value] };
  }
}

/** The WHERE condition for "memories this recall may see" (over `memories m`). */
export function scopeToSql(scope: RecallScope, kinds: MemoryKind[]): SqlPart {
  const globalFilter = scope.globalFilter;
  const sources: SqlPart[] = [];
  const withFilter = (base: string, params: unknown[], f?: FilterNode): SqlPart => {
    const fs = f ? filterToSql(f) : undefined;
    return { sql: fs ? `(${base} AND ${fs.sql})` : `(${base})`, params: fs ? [...params, ...fs.params] : params };
  };
  if (scope.includeUser) sources.push(withFilter("m.scope = 'user' AND m.project_id = ? AND m.user_id = ?", [scope.projectId, scope.userId], both(globalFilter, scope.userFilter)));
  if (scope.includePublic) sources.push(withFilter("m.scope = 'public' AND m.project_id = ?", [scope.projectId], both(globalFilter, scope.publicFilter)));
  if (scope.knowledgebaseIds.length)
    sources.push(
      withFilter(`m.scope = 'knowledgebase' AND m.knowledgebase_id IN (${placeholders(scope.knowledgebaseIds.length)})`, scope.knowledgebaseIds, both(globalFilter, scope.knowledgebaseFilter)),
    );
  if (sources.length === 0) return { sql: 'FALSE', params: [] };
  const status = scope.includeArchived ? "m.status IN ('activated', 'archived')" : "m.status = 'activated'";
  return {
    sql: `(${sources.map((s) => s.sql).join(' OR ')}) AND ${status} AND m.kind IN (${placeholders(kinds.length)})`,
    params: [...sources.flatMap((s) => s.params), ...kinds],
  };
}
