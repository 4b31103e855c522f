/**
 * bragbot's web pages (issue 14): server-rendered HTML for people who are not in Slack or Teams,
 * opened from the signed links in their messages. `serve` (and the demo) mounts this on WEB_PORT
 * when WEB_MODE=on; PUBLIC_BASE_URL is where browsers reach it (behind your HTTPS proxy).
 *
 *   GET  /l/<token>        the page the link is for (by its purpose: action, round, group)
 *   GET  /l/<token>/report/<id>.<docx|pdf>   a report version, from a page that offers it (group)
 *   POST /l/<token>        a form on that page (CSRF-checked; a write uses the link up)
 *   GET  /assets/bragbot.css
 *   GET  /mailbox          only under `bragbot demo`: the mail its in-memory mailbox holds (./pages/mailbox.ts)
 *
 * Before any page runs, for every request: the security headers (no caching, no Referer, a
 * strict CSP), the per-link rate limit, the token's signature, its expiry and workspace, and for
 * a POST the CSRF check and the single-use claim. Tokens never reach a log: requests are logged
 * with `/l/[token <hash tag>]` (src/web/security.ts). No personal data is ever put in a URL.
 *
 * HOW TO ADD A PAGE
 * - A page a link opens: write src/web/pages/<name>.ts exporting a `LinkPage` (./link-page.ts)
 *   for a purpose in src/services/links.ts (add the purpose there if it is new), and list it in
 *   LINK_PAGES below. Its get/post receive the opened link (who it is for and its scope) and
 *   return { title, main } where main is built with html`…` (./html.ts escapes every value);
 *   the layout (./layout.ts) adds the landmarks, skip link and styles. Decisions go through
 *   src/services/interactions with channel 'web', never in the page. Put `${r.formFields()}`
 *   in each <form method="post" action="${r.action}">.
 * - Any other route (a sign-in callback, say): add a `WebRoutes` function to EXTRA_ROUTES (or
 *   pass it to startWeb / ServeOptions.webRoutes); it gets the express Router and the context,
 *   and should render with `sendPage`.
 * - Add the page to tests/web/accessibility.browser.test.ts so axe-core checks it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { BragbotError } from '../core/errors.js';
import { trackRequests } from '../http/graceful.js';
import { stopwatch } from '../clock.js';
import { claimLink, openLink, releaseLink, tokenTag, verifySignature } from '../services/links.js';
import type { WebContext } from './context.js';
import { secureCookies } from './context.js';
import { html } from './html.js';
import { layout, STYLESHEET, type PageContent } from './layout.js';
import type { LinkPage, LinkRequest } from './link-page.js';
import { problemPage, type Problem } from './problems.js';
import { checkCsrf, CSRF_COOKIE, csrfCookie, csrfToken, formFieldsOf, loggablePath, newNonce, RateLimiter, readCookie, securityHeaders } from './security.js';
import { actionPage } from './pages/action.js';
import { roundPage } from './pages/round.js';
import { planPage } from './pages/plan.js';

export type { WebContext } from './context.js';
export type { LinkDownload, LinkPage, LinkPost, LinkRequest } from './link-page.js';

/** The pages links open, by purpose. */
export const LINK_PAGES: LinkPage[] = [actionPage, roundPage, planPage];

export type WebRoutes = (router: Router, ctx: WebContext) => void;
/** Routes that are not a link's page (sign-in, …). */
export const EXTRA_ROUTES: WebRoutes[] = [];

export function sendPage(res: Response, content: PageContent): void {
  res.status(content.status ?? 200).type('html').send(layout(content));
}

const sendProblem = (res: Response, problem: Problem, retryAfterS?: number): void => {
  if (retryAfterS) res.set('retry-after', String(retryAfterS));
  sendPage(res, problemPage(problem));
};

export function createWebApp(ctx: WebContext, routes: readonly WebRoutes[] = []): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  const log = ctx.logger.child({ component: 'web' });
  const limiter = new RateLimiter(ctx.ratePerMinute, () => ctx.clock().getTime());
  const pages = new Map(LINK_PAGES.map((p) => [p.purpose, p]));

  app.use((req, res, next) => {
    const took = stopwatch();
    res.on('finish', () => log.info({ method: req.method, path: loggablePath(req.path, tokenTag), status: res.statusCode, ms: Math.round(took()) }, 'web request'));
    next();
  });
  app.use(securityHeaders);
  app.get('/assets/bragbot.css', (_req, res) => {
    res.set('cache-control', 'public, max-age=3600').type('css').send(STYLESHEET);
  });
  // With sign-in configured (ctx.signedInPerson is set only then), the home page offers it: a person with a work account need not wait for a link.
  app.get('/', (_req, res) => sendPage(res, {
    title: 'bragbot',
    main: html`<p>Open the link in the message bragbot sent you. Each link opens the page for one action, one update round or one group's plan.</p>${
      ctx.signedInPerson ? html`<p><a href="/auth/login">Sign in with your work account</a> to see your actions and your groups' plans.</p>` : html``
    }`,
  }));

  const router = express.Router();
  router.use('/l/:token', express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 }));

  const open = async (req: Request, res: Response): Promise<LinkRequest | null> => {
    const token = String(req.params.token ?? '');
    // Only a token we signed gets a rate-limit window: made-up tokens (answered 'tampered' below,
    // with no database read) would otherwise grow the limiter's map without bound within a minute.
    const gate = verifySignature(ctx.signer.secret, token) ? limiter.take(tokenTag(token)) : ({ ok: true } as const);
    if (!gate.ok) {
      sendProblem(res, 'rate-limited', gate.retryAfterS);
      return null;
    }
    const now = ctx.clock();
    const opened = await openLink(ctx.db, ctx.signer.secret, token, now);
    if (!opened.ok) {
      sendProblem(res, opened.problem);
      return null;
    }
    const { link } = opened;
    if (link.workspaceId !== ctx.workspaceId) {
      sendProblem(res, 'foreign');
      return null;
    }
    if (ctx.signedInPerson) {
      const signedIn = await ctx.signedInPerson(req);
      if (signedIn && signedIn !== link.personId) {
        sendProblem(res, 'someone-else');
        return null;
      }
    }
    const cookie = csrfCookie(req, res, secureCookies(ctx));
    const action = `/l/${token}`;
    return {
      ctx, req, link, now, action,
      formFields: () => {
        const nonce = newNonce();
        return html`<input type="hidden" name="nonce" value="${nonce}"><input type="hidden" name="csrf" value="${csrfToken(ctx.signer.secret, cookie, link.id, nonce)}">`;
      },
    };
  };

  router.get('/l/:token', async (req, res) => {
    const r = await open(req, res);
    if (!r) return;
    const page = pages.get(r.link.purpose);
    if (!page) return sendProblem(res, 'not-a-page');
    // A link that has recorded its change says so at once, rather than offering forms it cannot send.
    if (r.link.usedAt && page.post) return sendProblem(res, 'used');
    sendPage(res, await page.get(r));
  });

  // A file a page offers under its link (the plan page's report versions). Same checks as the
  // page itself (signature, expiry, workspace, rate limit, who is signed in); never uses the link up.
  router.get('/l/:token/report/:file', async (req, res) => {
    const r = await open(req, res);
    if (!r) return;
    const page = pages.get(r.link.purpose);
    if (!page?.download) return sendProblem(res, 'not-a-page');
    const out = await page.download(r, String(req.params.file ?? ''));
    if (!('body' in out)) return sendPage(res, out);
    const ascii = out.filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
    res.status(200).set({
      'content-type': out.mimeType,
      'content-length': String(out.body.length),
      'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(out.filename)}`,
    }).end(out.body);
  });

  router.post('/l/:token', async (req, res) => {
    const r = await open(req, res);
    if (!r) return;
    const page = pages.get(r.link.purpose);
    if (!page?.post) return sendProblem(res, 'not-a-page');
    const form = formFieldsOf(req);
    if (!checkCsrf(ctx.signer.secret, readCookie(req, CSRF_COOKIE), r.link.id, form.nonce, form.csrf)) return sendProblem(res, 'csrf');
    const key = `web:${r.link.id}:${form.nonce}`;
    const claim = await claimLink(ctx.db, r.link.id, key, r.now);
    if (claim === 'used') return sendProblem(res, 'used');
    let out: (PageContent & { wrote: boolean }) | undefined;
    try {
      out = await page.post({ ...r, form, key });
    } finally {
      // Nothing recorded (or a failure): the link still works. A replay of the write that used it keeps it used.
      if (claim === 'claimed' && !out?.wrote) await releaseLink(ctx.db, r.link.id, key);
    }
    sendPage(res, out);
  });

  for (const add of [...EXTRA_ROUTES, ...routes]) add(router, ctx);
  app.use(router);
  app.use((_req, res) => sendProblem(res, 'not-found'));
  // Express's error handler would print the stack (and the path, token included) to the page.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large' || type === 'parameters.too.many') return sendProblem(res, 'too-large');
    log.error({ err: err instanceof Error ? { name: err.name, message: err.message } : String(err) }, 'web page failed');
    if (!res.headersSent) sendPage(res, { status: 500, title: 'Something went wrong', main: html`<div class="notice problem" role="alert"><p>bragbot could not show this page. If you sent a form, it may not have been recorded: open the link again to check.</p></div>` });
  });
  return app;
}

export interface WebServer {
  url: string;
  server: Server;
  stop(): Promise<void>;
}

export async function startWeb(ctx: WebContext, host: string, port: number, routes: readonly WebRoutes[] = []): Promise<WebServer> {
  const app = createWebApp(ctx, routes);
  const server = createServer(app);
  const requests = trackRequests(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new BragbotError('CONFIG_INVALID', `cannot listen on ${host}:${port} for the web pages (${e.message}): set WEB_PORT to a free port.`)));
    server.listen(port, host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  const url = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${bound}`;
  ctx.logger.info({ port: bound, host }, 'web pages listening');
  return { url, server, stop: async () => void (await requests.close(5_000)) };
}
