/**
 * Reads a request body the way MemOS clients write it, guided by the endpoint's schema, before validation:
 *
 * - `null` on an optional field means "not given": the official Python SDK sends every keyword argument, with
 *   null for the ones left unset, and the default must then apply. A field whose schema is explicitly nullable
 *   keeps its null; a required field keeps it too, so it still fails as required (40002).
 * - A number or boolean that arrives as its text ("6", "true") reads as that number or boolean where the schema
 *   has one: low-code platforms (the Coze store plugin declares memory_limit_number as a string) send numbers as
 *   text. Any other text is left alone and fails validation as before (40000).
 *
 * It walks objects, arrays and unions at every depth, so one rule covers every endpoint. The schema itself is
 * not changed: the published OpenAPI document keeps the contract's types.
 */
import type { z } from 'zod';

type Def = { type: string; [k: string]: any };
const defOf = (s: z.ZodType): Def => (s as any)._zod.def as Def;

/** Wrappers that do not change what a value looks like. */
const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional']);

/** The schema under optional/default/nullable/pipe wrappers, and whether one of them accepts null. */
function unwrap(schema: z.ZodType): { inner: z.ZodType; nullable: boolean } {
  let s = schema;
  let nullable = false;
  for (let i = 0; i < 20; i++) {
    const d = defOf(s);
    if (d.type === 'nullable') nullable = true;
    if (WRAPPERS.has(d.type)) s = d.innerType;
    // A preprocess/transform pipe: the value is first read by `in` unless that is a bare transform.
    else if (d.type === 'pipe') s = defOf(d.in).type === 'transform' ? d.out : d.in;
    else if (d.type === 'lazy') s = d.getter();
    else break;
  }
  return { inner: s, nullable };
}

// zod marks optional fields "optional" and fields with a default "defaulted"; required ones carry no mark.
const isOptional = (s: z.ZodType) => (s as any)._zod.optin !== undefined;
const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const NUMERIC = /^\s*-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;

function coerceScalar(inner: z.ZodType, v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = defOf(inner).type;
  if (t === 'number' && NUMERIC.test(v)) return Number(v);
  if (t === 'boolean') {
    const s = v.trim().toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
  }
  return v;
}

/** The union member a value should be read with: the discriminator's match, else the first of its kind. */
function unionMember(options: z.ZodType[], discriminator: string | undefined, v: unknown): z.ZodType | undefined {
  const members = options.map((o) => unwrap(o).inner);
  if (Array.isArray(v)) return members.find((m) => defOf(m).type === 'array');
  if (!isPlainObject(v)) return undefined;
  const objects = members.filter((m) => defOf(m).type === 'object');
  if (discriminator) {
    const match = objects.find((m) => {
      const field = defOf(m).shape?.[discriminator];
      const values: unknown[] | undefined = field ? defOf(unwrap(field).inner).values : undefined;
      return values?.includes(v[discriminator]);
    });
    if (match) return match;
  }
  return objects[0];
}

export function normalizeBody(schema: z.ZodType, value: unknown, depth = 0): unknown {
  if (depth > 32 || value === null || value === undefined) return value;
  const { inner } = unwrap(schema);
  const d = defOf(inner);
  switch (d.type) {
    case 'object': {
      if (!isPlainObject(value)) return value;
      const shape = d.shape as Record<string, z.ZodType>;
      let out: Record<string, unknown> | undefined;
      for (const [key, v] of Object.entries(value)) {
        // Own keys only: "constructor" or "__proto__" in a body must not find Object.prototype members.
        const field = Object.hasOwn(shape, key) ? shape[key] : undefined;
        if (!field) continue;
        if (v === null) {
          if (!isOptional(field) || unwrap(field).nullable) continue;
          out ??= { ...value };
          delete out[key];
          continue;
        }
        const next = normalizeBody(field, coerceScalar(unwrap(field).inner, v), depth + 1);
        if (next !== v) (out ??= { ...value })[key] = next;
      }
      return out ?? value;
    }
    case 'array': {
      if (!Array.isArray(value)) return value;
      let changed = false;
      const items = value.map((item) => {
        const next = normalizeBody(d.element, coerceScalar(unwrap(d.element).inner, item), depth + 1);
        if (next !== item) changed = true;
        return next;
      });
      return changed ? items : value;
    }
    case 'union': {
      const member = unionMember(d.options, d.discriminator, value);
      return member ? normalizeBody(member, value, depth + 1) : value;
    }
    default:
      return value;
  }
}
