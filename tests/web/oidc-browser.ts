/**
 * What a browser with no JavaScript does across two sites (bragbot and its OpenID provider):
 * follows redirects, keeps each host's cookies (as browsers do, whatever the port), and sends a
 * page's first form. `stopAt` halts before a redirect is followed, to tamper with or replay it.
 */
import { JSDOM } from 'jsdom';

export interface Visit {
  status: number;
  url: string;
  html: string;
  /** The main content's text (the body's when there is no main), whitespace collapsed. */
  text: string;
  headers: Headers;
  dom: JSDOM;
  /** The redirect not followed, when stopAt said so. */
  stoppedAt?: string;
  /** Every Set-Cookie seen on the way. */
  setCookies: string[];
}

export class Browser {
  private readonly jar = new Map<string, Map<string, string>>();

  cookie(host: string, name: string): string | undefined {
    return this.jar.get(host)?.get(name);
  }

  setCookie(host: string, name: string, value: string): void {
    if (!this.jar.has(host)) this.jar.set(host, new Map());
    this.jar.get(host)!.set(name, value);
  }

  private keep(host: string, res: Response, seen: string[]): void {
    for (const c of res.headers.getSetCookie()) {
      seen.push(c);
      const [pair, ...attrs] = c.split(';').map((s) => s.trim());
      const [k, ...v] = pair!.split('=');
      const value = v.join('=');
      const gone = attrs.some((a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.parse('2000-01-02')));
      if (!this.jar.has(host)) this.jar.set(host, new Map());
      if (gone || value === '') this.jar.get(host)!.delete(k!.trim());
      else this.jar.get(host)!.set(k!.trim(), value);
    }
  }

  private header(host: string): string {
    return [...(this.jar.get(host) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async go(url: string, init: { method?: 'GET' | 'POST'; fields?: [string, string][] } = {}, stopAt?: (next: URL) => boolean): Promise<Visit> {
    let current = new URL(url);
    let method = init.method ?? 'GET';
    let body = init.fields ? new URLSearchParams(init.fields).toString() : undefined;
    const seen: string[] = [];
    for (let hops = 0; hops < 20; hops += 1) {
      const res = await fetch(current, {
        method,
        redirect: 'manual',
        headers: { cookie: this.header(current.hostname), ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(body !== undefined ? { body } : {}),
      });
      this.keep(current.hostname, res, seen);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.arrayBuffer();
        const next = new URL(location, current);
        if (stopAt?.(next)) return { ...(await this.read(current.href, new Response('', { status: res.status, headers: res.headers }), seen)), stoppedAt: next.href };
        current = next;
        method = 'GET';
        body = undefined;
        continue;
      }
      return this.read(current.href, res, seen);
    }
    throw new Error(`too many redirects from ${url}`);
  }

  private async read(url: string, res: Response, setCookies: string[]): Promise<Visit> {
    const html = await res.text();
    const dom = new JSDOM(html, { url });
    const doc = dom.window.document;
    const text = ((doc.querySelector('main') ?? doc.body)?.textContent ?? '').replace(/\s+/g, ' ').trim();
    return { status: res.status, url, html, text, headers: res.headers, dom, setCookies };
  }

  /** Sends the page's form (the first, or the one whose action contains `actionPart`), with `values` filled in. */
  async submit(page: Visit, values: Record<string, string> = {}, opts: { actionPart?: string; index?: number; stopAt?: (next: URL) => boolean } = {}): Promise<Visit> {
    const forms = [...page.dom.window.document.querySelectorAll('form')].filter((f) => !opts.actionPart || (f.getAttribute('action') ?? '').includes(opts.actionPart));
    const form = forms[opts.index ?? 0];
    if (!form) throw new Error(`no form${opts.actionPart ? ` for ${opts.actionPart}` : ''} on ${page.url}: ${page.text.slice(0, 300)}`);
    const fields: [string, string][] = [];
    for (const el of form.querySelectorAll('input')) {
      const e = el as HTMLInputElement;
      if (!e.name || e.type === 'submit') continue;
      fields.push([e.name, e.name in values ? values[e.name]! : e.value]);
    }
    return this.go(new URL(form.getAttribute('action') ?? '', page.url).href, { method: 'POST', fields }, opts.stopAt);
  }
}
