/**
 * An endpoint is declared once: path, schema, handler, summary. The same declarations register the Fastify
 * routes and generate the OpenAPI document, so they cannot disagree.
 */
import type { z } from 'zod';
import type { Caller, EngineContext } from '../engine/context';

export interface Endpoint<S extends z.ZodType = z.ZodType> {
  /** Path under the API prefix, e.g. "/search/memory". */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  schema: S;
  handler: (ctx: EngineContext, caller: Caller, body: z.output<S>) => Promise<unknown> | unknown;
  /** Reply without the {code, data, message} envelope (only /rerank, contract §1.3). */
  raw?: boolean;
  /** Larger body limit than the default, in MB. */
  bodyLimitMb?: number;
}

export const endpoint = <S extends z.ZodType>(e: Endpoint<S>): Endpoint => e as unknown as Endpoint;
