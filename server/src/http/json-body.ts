/**
 * The JSON body parser: Fastify's own (prototype-poisoning checks included), after a depth check on the raw
 * text. A body nested deeper than MAX_JSON_DEPTH is refused before JSON.parse sees it, because parsing four
 * million nested '[' (8 MB) blocks the process for seconds and deep values overflow later stringification.
 */
import type { FastifyInstance } from 'fastify';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../api/limits';
import { ApiError, ErrorCode } from '../errors';

export function registerJsonParser(app: FastifyInstance) {
  const parse = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    if (jsonDepthExceeds(text) !== undefined)
      return done(new ApiError(ErrorCode.InvalidParams, `the request body is nested more than ${MAX_JSON_DEPTH} levels deep; flatten it`), undefined);
    return parse(req, text, done);
  });
}
