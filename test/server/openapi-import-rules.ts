/**
 * The checks Coze and Dify apply when they import an OpenAPI document as a plugin / custom tool, written out so a
 * test can hold our document to them. Each returns the list of violations (empty = would import).
 *
 * Coze Studio (backend/crossdomain/plugin/model/openapi.go, Openapi3T.Validate and Openapi3Operation): a valid
 * 3.0 document; info.title and info.description; exactly one server whose URL has a host and is at most 512
 * characters; on every operation an operationId and a summary; a request body with exactly one media type from its
 * list and an `object` schema; parameters not in `body`, typed, never `object` (and no array in the path); only a
 * "200" response (optionally with "default"), one `application/json` content with an `object` schema; and, when a
 * tool is turned into model parameters (ToEinoSchemaParameterInfo), every body schema node typed
 * string/integer/number/boolean/object/array, arrays with items.
 *
 * Dify (api/core/tools/utils/parser.py, ApiBasedToolSchemaParser): the first server's URL + path is called; the
 * operationId becomes the tool name (^[a-zA-Z0-9_-]{1,64}$); the summary or description is the tool description;
 * each top-level body property becomes one input whose type is taken only from a scalar `type`
 * (integer/number → number, boolean, string; anything else is sent as a string); a `$ref` is resolved only for the
 * whole body schema; parameter names must not repeat.
 */
type Json = Record<string, any>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const COZE_BODY_MEDIA = ['application/json', 'application/problem+json', 'application/x-www-form-urlencoded', 'application/x-yaml', 'application/yaml'];
const COZE_TYPES = new Set(['string', 'integer', 'number', 'boolean', 'object', 'array']);
const SCALARS = new Set(['string', 'integer', 'number', 'boolean']);

export function operations(doc: Json): { path: string; method: string; op: Json }[] {
  const out: { path: string; method: string; op: Json }[] = [];
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {}))
    for (const method of METHODS) if (item[method]) out.push({ path, method, op: item[method] });
  return out;
}

/** Walks a schema the way Coze's parameter conversion does, reporting untyped nodes. */
function cozeTyped(schema: Json | undefined, where: string, problems: string[]): void {
  if (!schema) return void problems.push(`${where}: no schema`);
  if (schema.$ref) return void problems.push(`${where}: $ref (keep schemas inline)`);
  if (!COZE_TYPES.has(schema.type)) return void problems.push(`${where}: type ${JSON.stringify(schema.type)} is not one Coze supports`);
  if (schema.type === 'object') for (const [k, v] of Object.entries<Json>(schema.properties ?? {})) cozeTyped(v, `${where}.${k}`, problems);
  if (schema.type === 'array') {
    if (!schema.items) problems.push(`${where}: array without items`);
    else cozeTyped(schema.items, `${where}[]`, problems);
  }
}

export function cozeProblems(doc: Json): string[] {
  const p: string[] = [];
  if (!/^3\.0\.\d+$/.test(doc.openapi ?? '')) p.push(`openapi ${doc.openapi}: Coze imports OpenAPI 3.0`);
  if (!doc.info?.title) p.push('info.title is required');
  if (!doc.info?.description) p.push('info.description is required');
  if (!Array.isArray(doc.servers) || doc.servers.length !== 1) p.push('server is required and only one server is allowed');
  else {
    const url = doc.servers[0].url as string;
    let host = '';
    try {
      host = new URL(url).host;
    } catch {
      /* reported below */
    }
    if (!host) p.push(`invalid server url '${url}'`);
    if (url.length > 512) p.push('server url is too long');
  }
  const ids = new Set<string>();
  for (const { path, method, op } of operations(doc)) {
    const at = `${method.toUpperCase()} ${path}`;
    if (!op.operationId) p.push(`${at}: operationID is required`);
    else if (ids.has(op.operationId)) p.push(`${at}: duplicate operationId ${op.operationId}`);
    ids.add(op.operationId);
    if (!op.summary) p.push(`${at}: summary is required`);
    if (op.requestBody) {
      const content = op.requestBody.content ?? {};
      const media = Object.keys(content);
      if (media.length !== 1) p.push(`${at}: request body only supports one media type`);
      const mt = COZE_BODY_MEDIA.find((m) => content[m]);
      if (!mt) p.push(`${at}: invalid request media type ${media.join(',')}`);
      else if (content[mt].schema?.type !== 'object') p.push(`${at}: request body only supports 'object' type`);
      else cozeTyped(content[mt].schema, `${at} body`, p);
    }
    for (const param of op.parameters ?? []) {
      if (!param.in) p.push(`${at}: parameter location is required`);
      if (param.in === 'body') p.push(`${at}: the location of parameter '${param.name}' cannot be 'body'`);
      const t = param.schema?.type;
      if (!t) p.push(`${at}: the type of parameter '${param.name}' is required`);
      if (t === 'object') p.push(`${at}: the type of parameter '${param.name}' cannot be 'object'`);
      if (param.in === 'path' && t === 'array') p.push(`${at}: the type of parameter '${param.name}' cannot be 'array'`);
    }
    const codes = Object.keys(op.responses ?? {});
    if (codes.length && !(codes.length === 1 || (codes.length === 2 && codes.includes('default')))) p.push(`${at}: response only supports '200' status`);
    const ok = op.responses?.['200'];
    if (codes.length && !ok) p.push(`${at}: response only supports '200' status`);
    if (ok) {
      const content = ok.content ?? {};
      if (Object.keys(content).length !== 1 || !content['application/json']) p.push(`${at}: response only supports 'application/json' media type`);
      else if (content['application/json'].schema?.type !== 'object') p.push(`${at}: response body only supports 'object' type`);
      else cozeTyped(content['application/json'].schema, `${at} response`, p);
    }
  }
  return p;
}

export function difyProblems(doc: Json): string[] {
  const p: string[] = [];
  if (!Array.isArray(doc.servers) || doc.servers.length === 0) p.push('No server found in the openapi yaml.');
  for (const { path, method, op } of operations(doc)) {
    const at = `${method.toUpperCase()} ${path}`;
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(op.operationId ?? '')) p.push(`${at}: operationId ${JSON.stringify(op.operationId)} is not a valid tool name`);
    if (!op.summary && !op.description) p.push(`${at}: no summary or description (the tool would have no description)`);
    const names: string[] = [];
    for (const param of op.parameters ?? []) {
      names.push(param.name);
      if (!SCALARS.has(param.schema?.type)) p.push(`${at}: parameter ${param.name} is not a scalar`);
    }
    const content = op.requestBody?.content ?? {};
    for (const [mt, media] of Object.entries<Json>(content)) {
      const schema = media.schema ?? {};
      if (mt !== 'application/json') p.push(`${at}: body media type ${mt}`);
      for (const [name, prop] of Object.entries<Json>(schema.properties ?? {})) {
        names.push(name);
        if (prop.$ref) p.push(`${at}: body field ${name} is a $ref (Dify does not resolve it)`);
        else if (!SCALARS.has(prop.type)) p.push(`${at}: body field ${name} has type ${JSON.stringify(prop.type)}; Dify would send it as a string`);
        if (!prop.description) p.push(`${at}: body field ${name} has no description (the model would not know what to put in it)`);
      }
      for (const r of schema.required ?? []) if (!(r in (schema.properties ?? {}))) p.push(`${at}: required ${r} is not a property`);
    }
    const dup = names.filter((n, i) => names.indexOf(n) !== i);
    if (dup.length) p.push(`${at}: duplicated parameter ${dup.join(', ')}`);
  }
  return p;
}
