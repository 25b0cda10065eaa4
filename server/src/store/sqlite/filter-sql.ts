/** Translates a parsed filter (contract §4.4) into a parameterised SQL condition over the `memories` table `m`. */
import { COLUMN_FIELDS, type FilterNode } from '../../engine/filter';

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
      // Info values may have been written as numbers or booleans; compare their text form.
      return { sql: `CAST(json_extract(m.info, ?) AS TEXT) = ?`, params: [`$."${node.field.replace(/"/g, '')}"`, node.value] };
    case 'tagContains':
      return { sql: `EXISTS (SELECT 1 FROM json_each(m.tags) WHERE json_each.value = ?)`, params: [node.tag] };
    case 'time':
      return { sql: `m.${node.field} ${TIME_SQL[node.cmp]} ?`, params: [node.value] };
  }
}
