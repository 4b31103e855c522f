/**
 * What every web page relies on: security headers, CSRF protection for forms, a per-link rate
 * limit, and a request path that can be logged (the token taken out).
 *
 * CSRF: a form's hidden `csrf` field is an HMAC (under LINK_SECRET) of the link, the form's
 * nonce and a random value in an HttpOnly, SameSite=Lax cookie set with the page. A POST must
 * bring both, matching: another site can neither read the cookie nor make the browser send it
 * with a cross-site POST. The token in the path already makes a forged request hard; this is
 * the second lock the brief asks for (and what OIDC sessions will rely on).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export const CSRF_COOKIE = 'bb_csrf';

export const newNonce = (): string => randomBytes(16).toString('base64url');

export function csrfToken(secret: string, cookie: string, scope: string, nonce: string): string {
  return createHmac('sha256', secret).update(`bragbot-csrf-v1:${scope}:${nonce}:${cookie}`).digest('base64url');
}

export function checkCsrf(secret: string, cookie: string | undefined, scope: string, nonce: string | undefined, given: string | undefined): boolean {
  if (!cookie || !nonce || !given || !/^[A-Za-z0-9_-]{16,64}$/.test(cookie) || !/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) return false;
  const expected = Buffer.from(csrfToken(secret, cookie, scope, nonce));
  const got = Buffer.from(given);
  return expected.length === got.length && timingSafeEqual(expected, got);
}

/** A urlencoded form as one string per field: a repeated field counts as its last value, a missing body as no fields. */
export function formFieldsOf(req: Request): Record<string, string> {
  return Object.fromEntries(Object.entries((req.body ?? {}) as Record<string, unknown>).map(([k, v]) => [k, Array.isArray(v) ? String(v.at(-1) ?? '') : String(v ?? '')]));
}

export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** The page's CSRF cookie: the one the browser sent, else a new one set on this response. */
export function csrfCookie(req: Request, res: Response, secure: boolean): string {
  const existing = readCookie(req, CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{16,64}$/.test(existing)) return existing;
  const value = randomBytes(18).toString('base64url');
  res.append('set-cookie', `${CSRF_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`);
  return value;
}

/**
 * No page is cached or framed, no link leaks in a Referer, nothing runs but our own stylesheet.
 * The token in the path must not travel on to any other site.
 */
export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.set({
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  });
  next();
}

/** A request's path as logs may show it: a link's token replaced by a short hash tag. */
export function loggablePath(path: string, tag: (token: string) => string): string {
  return path.replace(/^\/l\/([^/?#]+)/, (_m, token: string) => `/l/[token ${tag(token)}]`).replace(/\?.*$/, '');
}

/**
 * A fixed window per key (a link), on the deployment's clock: LINK_RATE_PER_MINUTE requests a
 * minute, then 429 until the window ends. Per process: with several replicas behind a balancer a
 * link gets that many per replica (stated in docs/security.md). Old windows are swept as it goes.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly perMinute: number, private readonly now: () => number) {}

  /** True when the request may go ahead; false: over the limit, with seconds until it may retry. */
  take(key: string): { ok: true } | { ok: false; retryAfterS: number } {
    const t = this.now();
    if (this.windows.size > 10_000) for (const [k, w] of this.windows) if (t - w.start >= 60_000) this.windows.delete(k);
    const w = this.windows.get(key);
    if (!w || t - w.start >= 60_000) {
      this.windows.set(key, { start: t, count: 1 });
      return { ok: true };
    }
    w.count += 1;
    if (w.count <= this.perMinute) return { ok: true };
    return { ok: false, retryAfterS: Math.max(1, Math.ceil((w.start + 60_000 - t) / 1000)) };
  }
}
