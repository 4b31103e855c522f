/**
 * Sign-in for the web pages (issue 18 pt 5): OpenID Connect with openid-client, Microsoft Entra
 * ID in production (README, "Sign-in (OIDC / Entra ID)"). Signed links keep working without it:
 * a partner with no account opens their link as before. What signing in adds:
 *
 *   GET  /auth/login     to the provider: authorization code + PKCE (S256) + state + nonce, kept
 *                        in a sealed, HttpOnly, SameSite=Lax cookie for ten minutes
 *   GET  /auth/callback  the provider's answer checked by openid-client (state, issuer, audience,
 *                        nonce, signature, code exchanged once), mapped to a person by email
 *                        (./person.ts); no one is created; then a session cookie (./session.ts)
 *   POST /auth/logout    ends the session (CSRF-checked)
 *   GET  /me             the signed-in person's own open actions (services/interactions myActions)
 *   POST /me/act         a fresh short-lived signed link to one of them (access: action.update),
 *                        so acting goes through the same link pages and rules as a message's link
 *   POST /me/plan        the same for a group's plan page (access: report.read, as the page asks),
 *                        listed on /me for every group whose plan and papers the person may open
 *
 * and `signedInPerson`, with which src/web/index.ts refuses a link opened by someone signed in as
 * another person. Sign-ins are logged (person id, never the address or a token); the audit has no
 * kind for them, since a sign-in changes nothing in a plan.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { decideOnAction, groupsAllowed, personCaller } from '../../services/access.js';
import { myActions } from '../../services/interactions/index.js';
import { issueLink, linkUrl } from '../../services/links.js';
import { secureCookies, type WebContext } from '../context.js';
import { html } from '../html.js';
import { sendPage, type WebRoutes } from '../index.js';
import { actionSummary } from '../pages/common.js';
import { mintPlanLink } from '../pages/plan-link.js';
import { checkCsrf, CSRF_COOKIE, csrfCookie, csrfToken, formFieldsOf as fieldsOf, newNonce, readCookie } from '../security.js';
import { addressOf, personByAddress } from './person.js';
import { signInProblemPage, type SignInProblem } from './problems.js';
import { OidcProvider, SignInRefused, type OidcSettings } from './provider.js';
import { endSession, rememberSignIn, signedInPersonOf, startSession, takeSignIn, type SessionKeys } from './session.js';

export { OidcProvider, type OidcSettings } from './provider.js';
export { SESSION_COOKIE, SIGN_IN_COOKIE } from './session.js';
export { signInSentence, type SignInProblem } from './problems.js';

/** A link made on /me lasts this long: it is followed at once, not kept. */
export const ME_LINK_TTL_MS = 30 * 60_000;

export interface SignInOptions {
  db: Db;
  workspaceId: string;
  clock: Clock;
  /** PUBLIC_BASE_URL (the redirect URI is this + /auth/callback; https makes the cookies Secure). */
  publicBaseUrl: string;
  /** LINK_SECRET: the cookies' keys are derived from it. */
  secret: string;
  oidc: Omit<OidcSettings, 'redirectUri'>;
  /** OIDC_SESSION_HOURS. */
  sessionHours: number;
}

export interface SignIn {
  routes: WebRoutes;
  /** For WebContext.signedInPerson. */
  signedInPerson(req: Request): Promise<string | null>;
  provider: OidcProvider;
}

export const redirectUriOf = (publicBaseUrl: string): string => `${publicBaseUrl.replace(/\/+$/, '')}/auth/callback`;

/** The settings from the validated config, when sign-in is configured (all three OIDC_ variables). */
export function signInSettingsOf(config: { OIDC_ISSUER?: string | undefined; OIDC_CLIENT_ID?: string | undefined; OIDC_CLIENT_SECRET?: string | undefined; OIDC_SCOPES: string }): Omit<OidcSettings, 'redirectUri'> | null {
  if (!config.OIDC_ISSUER || !config.OIDC_CLIENT_ID || !config.OIDC_CLIENT_SECRET) return null;
  return { issuer: config.OIDC_ISSUER, clientId: config.OIDC_CLIENT_ID, clientSecret: config.OIDC_CLIENT_SECRET, scopes: config.OIDC_SCOPES };
}

export function createSignIn(opts: SignInOptions): SignIn {
  const provider = new OidcProvider({ ...opts.oidc, redirectUri: redirectUriOf(opts.publicBaseUrl) });
  const secure = secureCookies(opts);
  const keys: SessionKeys = { secret: opts.secret, workspaceId: opts.workspaceId, clock: opts.clock, secure };
  const signedInPerson = (req: Request) => signedInPersonOf(opts.db, req, keys);

  const routes: WebRoutes = (router: Router, ctx: WebContext) => {
    const log = ctx.logger.child({ component: 'web-sign-in' });
    const problem = (res: Response, p: SignInProblem) => sendPage(res, signInProblemPage(p, p === 'unavailable' ? html`` : html`<p><a href="/auth/login">Sign in</a></p>`));
    const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 });
    // One CSRF cookie per page (csrfCookie sets it when the browser has none), many forms on it.
    const hidden = (cookie: string, scope: string) => {
      const nonce = newNonce();
      return html`<input type="hidden" name="nonce" value="${nonce}"><input type="hidden" name="csrf" value="${csrfToken(opts.secret, cookie, scope, nonce)}">`;
    };
    const csrfOk = (req: Request, scope: string, f: Record<string, string>) => checkCsrf(opts.secret, readCookie(req, CSRF_COOKIE), scope, f.nonce, f.csrf);

    router.get('/auth/login', async (_req, res) => {
      let started: Awaited<ReturnType<OidcProvider['start']>>;
      try {
        started = await provider.start();
      } catch (e) {
        log.warn({ err: e instanceof Error ? e.message : String(e) }, 'sign-in: the OpenID provider could not be reached');
        return problem(res, 'unavailable');
      }
      rememberSignIn(res, keys, started.pending);
      res.redirect(303, started.url.href);
    });

    router.get('/auth/callback', async (req, res) => {
      const pending = takeSignIn(req, res, keys);
      if (!pending) return problem(res, 'not-started');
      // The address the provider redirected to, as registered (behind the proxy req.url is only the path).
      const search = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
      let claims;
      try {
        claims = await provider.finish(new URL(`${redirectUriOf(opts.publicBaseUrl)}${search}`), pending);
      } catch (e) {
        if (!(e instanceof SignInRefused)) {
          log.warn({ err: e instanceof Error ? e.message : String(e) }, 'sign-in: the OpenID provider could not be reached');
          return problem(res, 'unavailable');
        }
        log.warn({ why: e.why, err: e.message }, 'sign-in refused');
        return problem(res, e.why === 'provider-error' ? 'turned-down' : 'unverified');
      }
      const address = addressOf(claims);
      if (!address) {
        log.warn({ why: 'no-address' }, 'sign-in refused');
        return problem(res, 'no-address');
      }
      const person = await personByAddress(opts.db, opts.workspaceId, address);
      if (!person) {
        log.warn({ why: 'unknown-person' }, 'sign-in refused');
        return problem(res, 'unknown-person');
      }
      startSession(res, keys, person.id, opts.sessionHours);
      log.info({ personId: person.id }, 'signed in');
      res.redirect(303, '/me');
    });

    router.post('/auth/logout', form, async (req, res) => {
      const f = fieldsOf(req);
      if (!csrfOk(req, 'logout', f)) return problem(res, 'csrf');
      const who = await signedInPerson(req);
      endSession(res, keys);
      if (who) log.info({ personId: who }, 'signed out');
      sendPage(res, { title: 'You are signed out', main: html`<div class="notice" role="status"><p>You are signed out of bragbot in this browser. The links in your messages still work.</p></div><p><a href="/auth/login">Sign in again</a></p>` });
    });

    router.get('/me', async (req, res) => {
      const personId = await signedInPerson(req);
      if (!personId) return problem(res, 'signed-out');
      const now = ctx.clock();
      const list = await myActions(opts.db, { workspaceId: opts.workspaceId, caller: personCaller(personId, 'web'), channel: 'web', now });
      const { name } = await opts.db.person.findUniqueOrThrow({ where: { id: personId }, select: { name: true } });
      const cookie = csrfCookie(req, res, secure);
      const logout = html`<form method="post" action="/auth/logout">${hidden(cookie, 'logout')}<button type="submit">Sign out</button></form>`;
      // The groups whose plan page they may open (the page's own question, report.read): a board
      // viewer with no actions still gets their papers here.
      const groups = await groupsAllowed(opts.db, opts.workspaceId, personId, 'report.read');
      const plans = groups.length
        ? html`<h2>Your groups’ plans and papers</h2><ul class="plans">${groups.map((g) => html`<li><form method="post" action="/me/plan">${hidden(cookie, `me:${personId}`)}<input type="hidden" name="group" value="${g.id}"><button type="submit">Open ${g.name}’s plan and papers</button></form></li>`)}</ul>`
        : html``;
      if (list.kind !== 'list') return sendPage(res, { status: groups.length ? 200 : 403, title: 'Your actions', main: html`<div class="notice problem" role="alert"><p>${list.text}</p></div>${plans}${logout}` });
      const items = list.cards.map((c) => html`<li><h2>${c.ref ? `${c.ref}: ` : ''}${c.activity}</h2>${actionSummary(c)}${
        list.changeable.has(c.actionId)
          ? html`<form method="post" action="/me/act">${hidden(cookie, `me:${personId}`)}<input type="hidden" name="action" value="${c.actionId}"><button type="submit">Update this action</button></form>`
          : html`<p>You can read this action but not change it.</p>`
      }</li>`);
      sendPage(res, {
        title: 'Your actions',
        main: html`<p>Signed in as ${name}.</p>${list.cards.length ? html`<ul class="actions">${items}</ul>` : html`<p>You have no open actions.</p>`}${plans}${logout}`,
      });
    });

    router.post('/me/act', form, async (req, res) => {
      const personId = await signedInPerson(req);
      if (!personId) return problem(res, 'signed-out');
      const f = fieldsOf(req);
      if (!csrfOk(req, `me:${personId}`, f)) return problem(res, 'csrf');
      const now = ctx.clock();
      // The same rule a message's link is made under: someone who may update the action.
      const d = await decideOnAction(opts.db, { workspaceId: opts.workspaceId, caller: personCaller(personId, 'web'), actionId: f.action ?? '', capability: 'action.update' });
      if (!d.allowed) return sendPage(res, { status: d.code === 'NOT_FOUND' ? 404 : 403, title: 'You cannot change this action', main: html`<div class="notice problem" role="alert"><p>${d.reason}</p></div><p><a href="/me">Your actions</a></p>` });
      const { token } = await issueLink(opts.db, ctx.signer, { workspaceId: opts.workspaceId, personId, scope: { purpose: 'action', actionId: d.action.id }, now, ttlMs: ME_LINK_TTL_MS });
      res.redirect(303, linkUrl('', token));
    });

    router.post('/me/plan', form, async (req, res) => {
      const personId = await signedInPerson(req);
      if (!personId) return problem(res, 'signed-out');
      const f = fieldsOf(req);
      if (!csrfOk(req, `me:${personId}`, f)) return problem(res, 'csrf');
      const link = await mintPlanLink(
        { db: opts.db, workspaceId: opts.workspaceId, signer: ctx.signer, publicBaseUrl: '' },
        { personId, groupId: f.group ?? '', channel: 'web', now: ctx.clock(), ttlMs: ME_LINK_TTL_MS },
      );
      if (!link.ok) return sendPage(res, { status: link.denial.code === 'NOT_FOUND' ? 404 : 403, title: 'You cannot open this plan', main: html`<div class="notice problem" role="alert"><p>${link.denial.reason}</p></div><p><a href="/me">Your actions</a></p>` });
      res.redirect(303, link.url);
    });
  };

  return { routes, signedInPerson, provider };
}
