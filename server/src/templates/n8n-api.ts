/**
 * The few calls of n8n's public REST API (`/api/v1`, header X-N8N-API-KEY) the template installer needs. Errors
 * are turned into sentences that say what to fix, because the person reading them is setting n8n up.
 */
export class N8nError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'N8nError';
  }
}

export interface N8nCredential {
  id: string;
  name: string;
  type: string;
}

export interface N8nWorkflow {
  id: string;
  name: string;
  active?: boolean;
  nodes?: unknown[];
}

/** What the public API accepts when creating or replacing a workflow. */
export interface WorkflowPayload {
  name: string;
  nodes: unknown[];
  connections: Record<string, unknown>;
  settings: Record<string, unknown>;
}

export class N8nApi {
  private readonly base: string;

  constructor(
    url: string,
    private readonly apiKey: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.base = url.replace(/\/+$/, '').replace(/\/api\/v1$/, '') + '/api/v1';
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await this.fetchImpl(this.base + path, {
        method,
        headers: { 'x-n8n-api-key': this.apiKey, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch (err) {
      throw new N8nError(`cannot reach n8n at ${this.base}: ${(err as Error).cause ? String((err as { cause: Error }).cause.message) : (err as Error).message}`);
    }
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      json = { message: text.slice(0, 200) };
    }
    if (res.ok) return json as T;
    const detail = json?.message ?? res.statusText;
    if (res.status === 401) throw new N8nError(`n8n rejected the API key (${detail}); create one under Settings > n8n API`, 401);
    if (res.status === 404 && path === '/workflows?limit=1') throw new N8nError(`${this.base} is not an n8n public API (HTTP 404); pass the n8n base URL, e.g. http://localhost:5678`, 404);
    throw new N8nError(`n8n ${method} ${path} failed (HTTP ${res.status}): ${detail}`, res.status);
  }

  /** Fails early with a clear message when the URL or key is wrong. */
  async check(): Promise<void> {
    await this.call('GET', '/workflows?limit=1');
  }

  /** All credentials (needs the credential:list scope); undefined when the key may not list them. */
  async listCredentials(): Promise<N8nCredential[] | undefined> {
    const out: N8nCredential[] = [];
    let cursor: string | undefined;
    try {
      do {
        const page = await this.call<{ data: N8nCredential[]; nextCursor?: string | null }>('GET', `/credentials?limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        out.push(...page.data);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    } catch (err) {
      if (err instanceof N8nError && (err.status === 403 || err.status === 404 || err.status === 405)) return undefined;
      throw err;
    }
    return out;
  }

  createCredential(name: string, type: string, data: Record<string, unknown>) {
    return this.call<N8nCredential>('POST', '/credentials', { name, type, data });
  }

  updateCredential(id: string, data: Record<string, unknown>) {
    return this.call<N8nCredential>('PATCH', `/credentials/${encodeURIComponent(id)}`, { data });
  }

  async findWorkflows(name: string): Promise<N8nWorkflow[]> {
    const page = await this.call<{ data: N8nWorkflow[] }>('GET', `/workflows?name=${encodeURIComponent(name)}&limit=50`);
    return page.data.filter((w) => w.name === name);
  }

  createWorkflow(w: WorkflowPayload) {
    return this.call<N8nWorkflow>('POST', '/workflows', w);
  }

  updateWorkflow(id: string, w: WorkflowPayload) {
    return this.call<N8nWorkflow>('PUT', `/workflows/${encodeURIComponent(id)}`, w);
  }

  activate(id: string) {
    return this.call<N8nWorkflow>('POST', `/workflows/${encodeURIComponent(id)}/activate`);
  }
}
