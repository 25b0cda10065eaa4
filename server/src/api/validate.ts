/**
 * Request validation with the contract's error codes: missing or empty required fields are 40002, an empty
 * supplied list 40003, over-long ids 40010/40011, a bad relativity 40012, unknown part/file/extraction types
 * 40006, anything else about types or shape 40000. Messages name the field path.
 */
import type { z } from 'zod';
import { ApiError, ErrorCode, type ErrorCodeValue } from '../errors';
import { EMPTY_LIST_FIELDS, FIELD_CODES } from './schemas';
import { normalizeBody } from './normalize';

type Issue = z.core.$ZodIssue & { input?: unknown; params?: { code?: number }; minimum?: number | bigint; origin?: string };

function formatPath(path: PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || 'body';
}

function codeFor(issue: Issue): { code: number; message: string } {
  const path = formatPath(issue.path);
  const top = String(issue.path[0] ?? '');
  const last = String(issue.path[issue.path.length - 1] ?? '');
  if (issue.code === 'custom' && issue.params?.code) return { code: issue.params.code, message: `${path}: ${issue.message}` };
  if (issue.code === 'custom') return { code: ErrorCode.InvalidParams, message: issue.path.length ? `${path}: ${issue.message}` : issue.message };
  if (top === 'relativity') return { code: ErrorCode.InvalidRelativity, message: 'relativity must be a number between 0 and 1' };
  if (issue.code === 'invalid_type' && issue.input === undefined) return { code: ErrorCode.RequiredEmpty, message: `${path} is required` };
  // A required field sent as null (optional ones were dropped by normalizeBody) is as missing as an absent one.
  if (issue.code === 'invalid_type' && issue.input === null && typeof issue.path[issue.path.length - 1] === 'string')
    return { code: ErrorCode.RequiredEmpty, message: `${path} is required (got null)` };
  if (issue.code === 'too_small' && Number(issue.minimum) === 1 && (issue.origin === 'string' || issue.origin === 'array')) {
    if (issue.origin === 'array' && EMPTY_LIST_FIELDS.has(last)) return { code: ErrorCode.FieldEmpty, message: `${path} must not be empty` };
    return { code: ErrorCode.RequiredEmpty, message: `${path} must not be empty` };
  }
  if (issue.code === 'too_big' && issue.origin === 'array')
    return { code: ErrorCode.InvalidParams, message: `${path} holds ${Array.isArray(issue.input) ? issue.input.length : 'too many'} items; at most ${String((issue as { maximum?: number }).maximum)} are accepted in one call` };
  if (issue.code === 'too_big' && issue.path.length === 1 && FIELD_CODES[top])
    return { code: FIELD_CODES[top], message: `${path} is longer than ${String((issue as { maximum?: number }).maximum)} characters` };
  if (last === 'type' || top === 'extraction_types' || (issue.code === 'invalid_union' && /content/.test(path)))
    return { code: ErrorCode.UnsupportedType, message: `${path}: unsupported type${issue.input !== undefined ? ` ${JSON.stringify(issue.input)}` : ''}` };
  return { code: ErrorCode.InvalidParams, message: `${path}: ${issue.message}` };
}

export function validate<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body))
    throw new ApiError(ErrorCode.InvalidParams, 'the request body must be a JSON object');
  const result = schema.safeParse(normalizeBody(schema, body), { reportInput: true });
  if (result.success) return result.data;
  // Report the most actionable problem first: a missing field before a type error deeper down.
  const issues = result.error.issues as Issue[];
  const ranked = [...issues].sort((a, b) => a.path.length - b.path.length);
  const { code, message } = codeFor(ranked[0]);
  throw new ApiError(code as ErrorCodeValue, message);
}
