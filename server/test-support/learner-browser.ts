/**
 * Test support, not used in production code: fetch as one browser would, keeping the cookies the
 * server sets and sending them back (one site, by name; attributes are the tests' business).
 */
export class LearnerBrowser {
  private readonly cookies = new Map<string, string>();

  /** `baseUrl` may change: the same browser visiting a restarted server on another port. */
  constructor(public baseUrl: string) {}

  /** The Cookie header this browser sends, or undefined before it has any. */
  get cookieHeader(): string | undefined {
    return this.cookies.size === 0 ? undefined : [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  async fetch(method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
    if (this.cookieHeader) headers.cookie = this.cookieHeader;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(this.baseUrl + path, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      if (at > 0) this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    return response;
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.fetch(method, path, { body });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }
}
