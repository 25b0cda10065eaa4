/**
 * A request body's JSON text → its value, with the checks every JSON body gets: a depth check on the text first
 * (parsing four million nested '[' takes seconds and deep values overflow later stringification), then
 * secure-json-parse, refusing `__proto__` keys, with the codes and messages the HTTP parser gives (http/json-body.ts
 * and app.ts's error handler). The upload worker reads an upload's body with it, off the request thread.
 */
import sjson from 'secure-json-parse';
import { ApiError, ErrorCode } from '../errors';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from './limits';

export function parseJsonText(text: string): unknown {
  if (text.length === 0) throw new ApiError(ErrorCode.RequiredEmpty, 'the request body is empty; send a JSON object');
  if (jsonDepthExceeds(text) !== undefined)
    throw new ApiError(ErrorCode.InvalidParams, `the request body is nested more than ${MAX_JSON_DEPTH} levels deep; flatten it`);
  try {
    return sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'ignore' });
  } catch (err) {
    throw new ApiError(ErrorCode.InvalidParams, `the request body is not valid JSON: ${(err as Error).message}`);
  }
}
