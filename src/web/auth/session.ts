/**
 * The signed-in session: a sealed cookie (./sealed.ts) holding the person, the workspace and an
 * expiry on the deployment's clock. No server-side store: nothing to purge, nothing to replicate
 * between replicas, and erasure ends a session at once because every request re-reads the person
 * (an erased or removed person is nobody). The price is that a session cannot be revoked before it
 * expires except by signing out in that browser, or by changing LINK_SECRET (which ends them all):
 * OIDC_SESSION_HOURS keeps that window short.
 */
import type { Request, Response } from 'express';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { readCookie } from '../security.js';
import type { PendingSignIn } from './provider.js';
import { cookieHeader, seal, unseal } from './sealed.js';

export const SESSION_COOKIE = 'bb_session';
export const SIGN_IN_COOKIE = 'bb_signin';
/** A sign-in must come back from the provider within this long (the login cookie's life). */
export const SIGN_IN_WINDOW_MS = 10 * 60_000;

interface SessionValue { v: 1; w: string; p: string; exp: number }
interface SignInValue extends PendingSignIn { v: 1; w: string; exp: number }

export interface SessionKeys {
  /** LINK_SECRET: the cookies' keys are derived from it. */
  secret: string;
  workspaceId: string;
  clock: Clock;
  /** Secure cookies (the pages are on https). */
  secure: boolean;
}

export function startSession(res: Response, k: SessionKeys, personId: string, hours: number): void {
  const exp = k.clock().getTime() + hours * 3_600_000;
  const value: SessionValue = { v: 1, w: k.workspaceId, p: personId, exp };
  res.append('set-cookie', cookieHeader(SESSION_COOKIE, seal(k.secret, 'session', value), { secure: k.secure, maxAgeS: hours * 3600 }));
}

export function endSession(res: Response, k: Pick<SessionKeys, 'secure'>): void {
  res.append('set-cookie', cookieHeader(SESSION_COOKIE, '', { secure: k.secure, maxAgeS: 0 }));
}

/** The session's person id when its cookie is ours, for this workspace and unexpired (the person is not checked here). */
export function sessionPersonId(req: Request, k: SessionKeys): string | null {
  const v = unseal(k.secret, 'session', readCookie(req, SESSION_COOKIE)) as Partial<SessionValue> | null;
  if (!v || v.v !== 1 || v.w !== k.workspaceId || typeof v.p !== 'string' || typeof v.exp !== 'number') return null;
  return v.exp > k.clock().getTime() ? v.p : null;
}

/** Who is signed in: the session's person, while they are still a person of the workspace (not erased, not removed). */
export async function signedInPersonOf(db: Db, req: Request, k: SessionKeys): Promise<string | null> {
  const id = sessionPersonId(req, k);
  if (!id) return null;
  const person = await db.person.findFirst({ where: { id, workspaceId: k.workspaceId, erasedAt: null }, select: { id: true } });
  return person?.id ?? null;
}

export function rememberSignIn(res: Response, k: SessionKeys, pending: PendingSignIn): void {
  const value: SignInValue = { v: 1, w: k.workspaceId, exp: k.clock().getTime() + SIGN_IN_WINDOW_MS, ...pending };
  res.append('set-cookie', cookieHeader(SIGN_IN_COOKIE, seal(k.secret, 'sign-in', value), { secure: k.secure, maxAgeS: SIGN_IN_WINDOW_MS / 1000 }));
}

/** The sign-in this browser started (ours, this workspace's, in time), and the cookie cleared: a callback is answered once per login. */
export function takeSignIn(req: Request, res: Response, k: SessionKeys): PendingSignIn | null {
  const raw = readCookie(req, SIGN_IN_COOKIE);
  if (raw !== undefined) res.append('set-cookie', cookieHeader(SIGN_IN_COOKIE, '', { secure: k.secure, maxAgeS: 0 }));
  const v = unseal(k.secret, 'sign-in', raw) as Partial<SignInValue> | null;
  if (!v || v.v !== 1 || v.w !== k.workspaceId || typeof v.exp !== 'number' || v.exp <= k.clock().getTime()) return null;
  if (typeof v.state !== 'string' || typeof v.nonce !== 'string' || typeof v.codeVerifier !== 'string') return null;
  return { state: v.state, nonce: v.nonce, codeVerifier: v.codeVerifier };
}
