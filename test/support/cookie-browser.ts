/**
 * A browser reduced to what a sign-in through an identity provider needs: a cookie jar (host and
 * path as browsers match them, ports shared as theirs are) and redirects followed one by one, so
 * a test can read or tamper with each hop. No script runs.
 */
interface StoredCookie {
  name: string;
  value: string;
  host: string;
  path: string;
  attributes: string;
}

export class CookieBrowser {
  private readonly jar: StoredCookie[] = [];

  /** One request, redirects not followed; cookies sent and kept as a browser would. */
  async request(
    url: string,
    init: { method?: string; form?: Record<string, string>; json?: unknown; token?: string; accept?: string } = {},
  ) {
    const target = new URL(url);
    const headers: Record<string, string> = { accept: init.accept ?? (init.json === undefined ? 'text/html' : '*/*') };
    const cookie = this.cookieHeader(target);
    if (cookie) headers.cookie = cookie;
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    } else if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    const response = await fetch(target, { method: init.method ?? 'GET', headers, body, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) this.store(target, line);
    return response;
  }

  /**
   * Opens `url` and follows redirects (as GETs) until an answer that is not one, or until `stop`
   * says a location is where the test wants to step in; answers the last response and each URL asked.
   */
  async follow(url: string, stop: (next: URL) => boolean = () => false) {
    const visited: string[] = [];
    let current = url;
    for (let hop = 0; hop < 20; hop++) {
      visited.push(current);
      const response = await this.request(current);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { response, visited, url: current };
      const next = new URL(location, current);
      if (stop(next)) return { response, visited, url: current, next };
      current = next.href;
    }
    throw new Error(`more than 20 redirects from ${url}`);
  }

  /** The cookie's attributes as last set (`Path=/…; HttpOnly; SameSite=Lax`), or undefined. */
  cookie(name: string): StoredCookie | undefined {
    return this.jar.find((cookie) => cookie.name === name);
  }

  private cookieHeader(url: URL): string {
    return this.jar
      .filter((cookie) => cookie.host === url.hostname && pathMatches(url.pathname, cookie.path))
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join('; ');
  }

  private store(url: URL, line: string): void {
    const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
    const equals = pair.indexOf('=');
    const name = pair.slice(0, equals);
    const value = pair.slice(equals + 1);
    const attribute = (key: string) =>
      attributes.find((part) => part.toLowerCase().startsWith(`${key.toLowerCase()}=`))?.split('=')[1];
    const path = attribute('Path') ?? url.pathname.replace(/\/[^/]*$/, '') ?? '/';
    const index = this.jar.findIndex(
      (cookie) => cookie.name === name && cookie.host === url.hostname && cookie.path === path,
    );
    if (index >= 0) this.jar.splice(index, 1);
    const maxAge = attribute('Max-Age');
    const expires = attribute('Expires');
    const gone =
      (maxAge !== undefined && Number(maxAge) <= 0) || (expires !== undefined && Date.parse(expires) < Date.now());
    if (!gone) this.jar.push({ name, value, host: url.hostname, path: path || '/', attributes: attributes.join('; ') });
  }
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}
