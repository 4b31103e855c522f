/**
 * All configuration, read once, validated with zod. Every variable is documented in
 * .env.example; a wrong one fails start-up with a message naming it and saying what to put.
 * The environment is a parameter so tests never touch process.env.
 */
import { hostname } from 'node:os';
import { z } from 'zod';
import { BragbotError } from './core/errors.js';
import { PLANNER_HISTORY_DAYS } from './core/retention.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const Env = z
  .object({
    DATABASE_URL: z
      .string()
      .regex(/^(file:|postgres(ql)?:\/\/)/, 'use file:./data/bragbot.db (SQLite) or postgresql://user@host:5432/db')
      .default('file:./data/bragbot.db'),
    /**
     * SQLite only: full (default) fsyncs every commit, so an acknowledged click survives a power cut;
     * normal leaves the last commits to the OS cache (safe from a crash of the process, not of the
     * machine) for about half the wall time per click (src/db/sqlite-driver.ts, docs/benchmarks.md).
     */
    SQLITE_SYNCHRONOUS: z.enum(['full', 'normal']).default('full'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    BRAGBOT_WORKSPACE: z.string().regex(/^[a-z0-9-]+$/, 'a slug: lower-case letters, digits and dashes').default('default'),
    BRAGBOT_WORKSPACE_NAME: z.string().default('Partnership'),
    /** Base URL links in messages point to (e.g. an intranet page); optional. */
    BRAGBOT_PUBLIC_URL: z.string().url().optional(),
    INSTANCE_ID: z.string().default(`${hostname()}:${process.pid}`),

    SCHEDULER_ENABLED: bool.default(true),
    /** node-cron expression (Europe/London) for planning nudges. */
    SCHEDULER_CRON: z.string().default('*/15 * * * *'),
    /** node-cron expression (Europe/London) for the daily retention purge (docs/data-protection.md); one replica runs it. */
    PURGE_CRON: z.string().default('30 2 * * *'),
    /** Sent or failed outbox messages are deleted after this many days; the planner reads 400 days of them. */
    OUTBOX_RETENTION_DAYS: z.coerce.number().int().min(PLANNER_HISTORY_DAYS, `at least ${PLANNER_HISTORY_DAYS}: the planner reads that much of what it already said`).default(PLANNER_HISTORY_DAYS),
    /** Inbound idempotency keys and finished inbox rows are deleted after this many days (Slack and Teams retry for minutes). */
    INBOUND_KEYS_RETENTION_DAYS: z.coerce.number().int().min(1, 'at least 1 day: platforms retry for minutes').max(3650).default(30),
    DISPATCH_INTERVAL_MS: z.coerce.number().int().min(100).default(2000),
    /** How long a click in the inbox is held by the process that took it before another may finish it. */
    INBOX_LEASE_MS: z.coerce.number().int().min(1000).default(30_000),
    /** Clicks queued or being worked per process; beyond it a click is turned away as "busy, try again". */
    INBOX_MAX_QUEUED: z.coerce.number().int().min(1).default(500),
    /** Clicks worked at once per process (each waits on the database and its platform's API). */
    INBOX_CONCURRENCY: z.coerce.number().int().min(1).default(16),

    SLACK_MODE: z.enum(['socket', 'http', 'off']).default('off'),
    SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'a bot token starts with xoxb- (OAuth & Permissions page)').optional(),
    SLACK_SIGNING_SECRET: z.string().min(8, 'the Signing Secret from the app\'s Basic Information page').optional(),
    SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'an app-level token starts with xapp- (Basic Information → App-Level Tokens, scope connections:write)').optional(),
    /** Base URL of the Slack Web API: for tests (a local fake) and corporate proxies. */
    SLACK_API_URL: z.string().url().optional(),
    SLACK_PORT: z.coerce.number().int().min(1).max(65535).default(3000),

    TEAMS_MODE: z.enum(['on', 'off']).default('off'),
    TEAMS_CLIENT_ID: z.string().uuid('the Microsoft App ID (a GUID) of the bot registration').optional(),
    TEAMS_CLIENT_SECRET: z.string().optional(),
    TEAMS_TENANT_ID: z.string().optional(),
    TEAMS_PORT: z.coerce.number().int().min(1).max(65535).default(3978),
    /** Local demo only: accept Teams activities without JWT validation. Never in production. */
    TEAMS_DANGEROUSLY_ALLOW_UNAUTHENTICATED: bool.default(false),

    /**
     * The web pages (src/web): the pages signed links in messages open (email's actions, the
     * update round's section). Served by `serve` on WEB_PORT behind your HTTPS proxy.
     */
    WEB_MODE: z.enum(['on', 'off']).default('off'),
    WEB_PORT: z.coerce.number().int().min(0, 'a TCP port (0 = any free port)').max(65535).default(8080),
    WEB_HOST: z.string().min(1).default('0.0.0.0'),
    /** Where people's browsers reach the web pages: links in messages start with it (https in production). */
    PUBLIC_BASE_URL: z.string().url('the address people open links at, e.g. https://bragbot.council.gov.uk').regex(/^https?:\/\//, 'an http:// or https:// address').optional(),
    /** Signs the links (HMAC-SHA256). Long and random: `openssl rand -base64 48`. Changing it voids every link sent. */
    LINK_SECRET: z.string().min(32, 'at least 32 characters of random text: openssl rand -base64 48').optional(),
    /** How long a link in a message works, in days. */
    LINK_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(14),
    /** Requests one link may make per minute before it is told to wait (the page answers 429). */
    LINK_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(30),

    /**
     * Sign-in for the web pages (issue 18 pt 5): OpenID Connect, Microsoft Entra ID in production.
     * All three or none; the redirect URI to register is PUBLIC_BASE_URL + /auth/callback.
     */
    OIDC_ISSUER: z.string().url('the OpenID provider\'s issuer, e.g. https://login.microsoftonline.com/<tenant id>/v2.0').optional(),
    OIDC_CLIENT_ID: z.string().min(1, 'the Application (client) ID of the app registration').optional(),
    OIDC_CLIENT_SECRET: z.string().min(1, 'a client secret of the app registration (Certificates & secrets)').optional(),
    /** Space-separated; must include openid. Entra needs email or profile for the claims a person is matched by. */
    OIDC_SCOPES: z.string().regex(/(^|\s)openid(\s|$)/, 'space-separated scopes including openid, e.g. "openid email profile"').default('openid email profile'),
    /** How long a sign-in lasts before the person signs in again, in hours. */
    OIDC_SESSION_HOURS: z.coerce.number().int().min(1).max(24 * 7, 'at most 168 hours (a week)').default(8),

    /** Email by SMTP (nodemailer): smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465. */
    SMTP_URL: z.string().regex(/^smtps?:\/\/[^\s]+$/, 'smtp://user:password@host:587 or smtps://user:password@host:465').optional(),
    /** The sender of bragbot's mail: "bragbot <bragbot@council.gov.uk>" or an address. */
    SMTP_FROM: z.string().regex(/^([^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, 'an address, or a name and an address: bragbot <bragbot@council.gov.uk>').optional(),

    /** `serve`: /healthz, /readyz and /metrics (Prometheus) on their own port, for probes and scrapers, never the public proxy. */
    OPS_PORT: z.coerce.number().int().min(0, 'a TCP port (0 = any free port)').max(65535).default(9464),
    OPS_HOST: z.string().min(1).default('0.0.0.0'),
  })
  .superRefine((env, ctx) => {
    if (env.SLACK_MODE !== 'off') {
      if (!env.SLACK_BOT_TOKEN) ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: `required when SLACK_MODE=${env.SLACK_MODE}: the Bot User OAuth Token (xoxb-…)` });
      if (!env.SLACK_SIGNING_SECRET) ctx.addIssue({ code: 'custom', path: ['SLACK_SIGNING_SECRET'], message: `required when SLACK_MODE=${env.SLACK_MODE}: the Signing Secret` });
    }
    if (env.SLACK_MODE === 'socket' && !env.SLACK_APP_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_APP_TOKEN'], message: 'required when SLACK_MODE=socket: an app-level token (xapp-…) with connections:write' });
    }
    if (env.TEAMS_MODE === 'on' && !env.TEAMS_DANGEROUSLY_ALLOW_UNAUTHENTICATED && (!env.TEAMS_CLIENT_ID || !env.TEAMS_CLIENT_SECRET)) {
      ctx.addIssue({ code: 'custom', path: ['TEAMS_CLIENT_ID'], message: 'TEAMS_CLIENT_ID and TEAMS_CLIENT_SECRET are required when TEAMS_MODE=on (or set TEAMS_DANGEROUSLY_ALLOW_UNAUTHENTICATED=true for a local demo)' });
    }
    if (env.WEB_MODE === 'on') {
      if (!env.PUBLIC_BASE_URL) ctx.addIssue({ code: 'custom', path: ['PUBLIC_BASE_URL'], message: 'required when WEB_MODE=on: the address people open links at, e.g. https://bragbot.council.gov.uk' });
      if (!env.LINK_SECRET) ctx.addIssue({ code: 'custom', path: ['LINK_SECRET'], message: 'required when WEB_MODE=on: at least 32 random characters (openssl rand -base64 48)' });
    }
    const oidc = { OIDC_ISSUER: env.OIDC_ISSUER, OIDC_CLIENT_ID: env.OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: env.OIDC_CLIENT_SECRET };
    const oidcSet = Object.entries(oidc).filter(([, v]) => v !== undefined);
    if (oidcSet.length > 0 && oidcSet.length < 3) {
      for (const [k, v] of Object.entries(oidc)) {
        if (v === undefined) ctx.addIssue({ code: 'custom', path: [k], message: `required with ${oidcSet.map(([n]) => n).join(' and ')}: sign-in needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together (or none of them, for signed links only)` });
      }
    }
    if (oidcSet.length === 3) {
      if (env.WEB_MODE !== 'on') ctx.addIssue({ code: 'custom', path: ['WEB_MODE'], message: 'must be on when OIDC_ISSUER is set: sign-in is for the web pages (set WEB_MODE=on, PUBLIC_BASE_URL and LINK_SECRET)' });
      // An identity provider spoken to in clear text could be impersonated; plain http only for one on this machine (tests, a local demo).
      if (env.OIDC_ISSUER && !isSecureOrLoopback(env.OIDC_ISSUER)) ctx.addIssue({ code: 'custom', path: ['OIDC_ISSUER'], message: 'must be an https:// address (http:// only for a provider on localhost / 127.0.0.1)' });
    }
    if (env.SMTP_URL) {
      if (!env.SMTP_FROM) ctx.addIssue({ code: 'custom', path: ['SMTP_FROM'], message: 'required when SMTP_URL is set: the sender, e.g. bragbot <bragbot@council.gov.uk>' });
      // Every action in a mail carries its link; without the pages a mail would ask for what it cannot offer.
      if (env.WEB_MODE !== 'on') ctx.addIssue({ code: 'custom', path: ['WEB_MODE'], message: 'must be on when SMTP_URL is set: each email links to the web pages (set WEB_MODE=on, PUBLIC_BASE_URL and LINK_SECRET)' });
    }
  });

/** https, or http to this machine (a provider started by the tests or a local demo). */
export function isSecureOrLoopback(url: string): boolean {
  const u = new URL(url);
  return u.protocol === 'https:' || (u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname));
}

export type Config = z.infer<typeof Env> & { databaseProvider: 'sqlite' | 'postgresql' };

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Blank lines in .env files arrive as empty strings: treat them as unset, so defaults apply.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = Env.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(config)'}: ${i.message}`);
    throw new BragbotError('CONFIG_INVALID', `Configuration is not valid (see .env.example):\n${lines.join('\n')}`, parsed.error.issues);
  }
  const databaseProvider = parsed.data.DATABASE_URL.startsWith('file:') ? 'sqlite' : 'postgresql';
  return { ...parsed.data, databaseProvider };
}
