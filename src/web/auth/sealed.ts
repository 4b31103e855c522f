/**
 * Sealed cookies: a small JSON value encrypted and authenticated (AES-256-GCM) under a key
 * derived from LINK_SECRET, so sign-in needs no server-side store and no second secret. Sealed
 * rather than only signed: the sign-in cookie carries the PKCE verifier, which must stay secret
 * even from whoever reads the browser's cookie jar in transit logs. Each kind of cookie has its
 * own key (the purpose goes into the derivation), so a sign-in cookie is never taken for a session.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export type CookiePurpose = 'sign-in' | 'session';

const keyOf = (secret: string, purpose: CookiePurpose): Buffer =>
  Buffer.from(hkdfSync('sha256', secret, 'bragbot-web-auth', `bragbot-cookie-v1:${purpose}`, 32));

export function seal(secret: string, purpose: CookiePurpose, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret, purpose), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url')).join('.');
}

/** The value, or null when the cookie was not sealed by us for this purpose (altered, truncated, another key). */
export function unseal(secret: string, purpose: CookiePurpose, sealed: string | undefined): unknown {
  if (!sealed || sealed.length > 4096) return null;
  const parts = sealed.split('.');
  if (parts.length !== 3) return null;
  const [iv, body, tag] = parts.map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer];
  if (iv.length !== 12 || tag.length !== 16) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(secret, purpose), iv);
    decipher.setAuthTag(tag);
    return JSON.parse(Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

/** A Set-Cookie value: always HttpOnly, SameSite=Lax, Path=/; Secure when the pages are served over https. */
export function cookieHeader(name: string, value: string, opts: { secure: boolean; maxAgeS: number }): string {
  return `${name}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${Math.max(0, Math.floor(opts.maxAgeS))}${opts.secure ? '; Secure' : ''}`;
}
