/**
 * Sign-in for the web pages (issue 18 pt 5) against a real OpenID provider (oidc-provider on
 * 127.0.0.1): the whole authorization code flow as a browser makes it (redirects followed, each
 * host's cookies kept), then the signed-in page of the person's own actions, and every way a
 * sign-in must fail — tampered state, a replayed callback, a wrong nonce, another issuer's answer,
 * an expired session, an address bragbot does not know — each refused in words with nothing
 * written; signing out; and a link opened by someone signed in as another person refused.
 */
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBragbot } from '../../src/app/serve.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Db } from '../../src/db/client.js';
import { silentLogger } from '../../src/logging.js';
import { issueLink, linkUrl } from '../../src/services/links.js';
import { createSignIn, redirectUriOf, SESSION_COOKIE, SIGN_IN_COOKIE, signInSentence, signInSettingsOf } from '../../src/web/auth/index.js';
import { seal, unseal } from '../../src/web/auth/sealed.js';
import { startWeb, type WebServer } from '../../src/web/index.js';
import { problemSentence } from '../../src/web/problems.js';
import { createTestDatabase, createTestDatabaseUrl, providers, type TestDatabase } from '../support/db.js';
import { makeAction, makeGroup, makePerson, makeStandardGroup, makeWorkspace } from '../support/factories.js';
import { Browser, type Visit } from './oidc-browser.js';
import { CLIENT_ID, CLIENT_SECRET, startProvider, type TestProvider } from './oidc-provider.js';

const SECRET = 'test-link-secret-0123456789abcdef-0123456789';
const NOW = new Date('2026-12-01T10:00:00Z');
const HOST = '127.0.0.1';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, HOST, resolve));
  const { port } = s.address() as { port: number };
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Rows a refused sign-in must not add to (people, links, the audit, changes, sessions have no table). */
async function written(db: Db): Promise<Record<string, number>> {
  return {
    people: await db.person.count(),
    links: await db.signedLink.count(),
    audit: await db.auditEvent.count(),
    updates: await db.statusUpdate.count(),
    inbound: await db.inboundEvent.count(),
  };
}

for (const dbProvider of await providers()) {
  describe(`sign-in with OpenID Connect (${dbProvider})`, () => {
    let database: TestDatabase;
    let world: Awaited<ReturnType<typeof makeStandardGroup>>;
    let idp: TestProvider;
    let otherIdp: TestProvider;
    let web: WebServer;
    let app: string;
    let now = NOW;
    const logs: string[] = [];

    beforeAll(async () => {
      database = await createTestDatabase(dbProvider);
      world = await makeStandardGroup(database.db);
      const port = await freePort();
      app = `http://${HOST}:${port}`;
      // Entra writes the address as the tenant typed it: matched case-insensitively.
      idp = await startProvider(redirectUriOf(app), { 'olu-at-entra': { email: undefined, preferred_username: 'Olu@Example.gov.uk' } });
      otherIdp = await startProvider(redirectUriOf(app));
      const logger = pino({ level: 'debug' }, new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } }));
      const clock = () => now;
      const signIn = createSignIn({
        db: database.db, workspaceId: world.workspaceId, clock, publicBaseUrl: app, secret: SECRET, sessionHours: 8,
        oidc: { issuer: idp.issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, scopes: 'openid email profile' },
      });
      web = await startWeb({
        db: database.db, workspaceId: world.workspaceId, clock, logger, publicBaseUrl: app, signer: { secret: SECRET, ttlDays: 14 }, ratePerMinute: 100,
        signedInPerson: signIn.signedInPerson,
      }, HOST, port, [signIn.routes]);
    });
    afterAll(async () => {
      await web?.stop();
      await idp?.stop();
      await otherIdp?.stop();
      await database?.destroy();
    });

    const atCallback = (next: URL) => next.href.startsWith(`${app}/auth/callback`);

    /** From /auth/login through the provider's login and consent, stopping at the redirect back to bragbot. */
    async function toCallback(b: Browser, login: string): Promise<{ callback: string; signInCookie: string }> {
      let page = await b.go(`${app}/auth/login`, {}, atCallback);
      const signInCookie = b.cookie(HOST, SIGN_IN_COOKIE);
      for (let i = 0; i < 4 && !page.stoppedAt; i += 1) page = await b.submit(page, { login, password: 'any' }, { stopAt: atCallback });
      if (!page.stoppedAt) throw new Error(`the provider did not send the browser back: ${page.status} ${page.text.slice(0, 300)}`);
      expect(signInCookie).toBeTruthy();
      return { callback: page.stoppedAt, signInCookie: signInCookie! };
    }

    async function signIn(b: Browser, login: string): Promise<Visit> {
      const { callback } = await toCallback(b, login);
      return b.go(callback);
    }

    it('a person signs in through the provider and sees their own open actions, each with a way to act on it', async () => {
      const mine = await makeAction(database.db, world.group.id, { activity: 'Refresh the care leavers offer', brag: 'amber', dueDate: '2026-12-20', ownerIds: [world.owner.id] });
      const theirs = await makeAction(database.db, world.group.id, { activity: 'Audit of placement moves', brag: 'green', dueDate: '2026-12-20', ownerIds: [world.chair.id] });
      const b = new Browser();
      const login = await b.go(`${app}/auth/login`, {}, () => true);
      const to = new URL(login.stoppedAt!);
      expect(to.origin).toBe(idp.issuer);
      expect(Object.fromEntries(['response_type', 'code_challenge_method', 'client_id', 'redirect_uri'].map((k) => [k, to.searchParams.get(k)])))
        .toEqual({ response_type: 'code', code_challenge_method: 'S256', client_id: CLIENT_ID, redirect_uri: `${app}/auth/callback` });
      for (const k of ['state', 'nonce', 'code_challenge']) expect(to.searchParams.get(k)?.length).toBeGreaterThanOrEqual(22);
      const cookie = login.setCookies.find((c) => c.startsWith(`${SIGN_IN_COOKIE}=`))!;
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).toMatch(/Max-Age=600/);
      // Sealed: the PKCE verifier is not readable in it.
      expect(Buffer.from(cookie.split(';')[0]!.split('=')[1]!.replace(/\./g, ''), 'base64url').toString('latin1')).not.toMatch(/state|nonce|codeVerifier/);

      const me = await signIn(b, 'OLU@example.gov.uk');
      expect(me.url).toBe(`${app}/me`);
      expect(me.status).toBe(200);
      expect(me.text).toContain('Signed in as Olu Owner');
      expect(me.text).toContain('Refresh the care leavers offer');
      expect(me.text).not.toContain('Audit of placement moves');
      const session = me.setCookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
      expect(session).toMatch(/HttpOnly/);
      expect(session).toMatch(/SameSite=Lax/);
      expect(session).toMatch(/Max-Age=28800/);
      expect(session).not.toMatch(/Secure/); // http here; Secure on https (PUBLIC_BASE_URL)
      expect(b.cookie(HOST, SIGN_IN_COOKIE)).toBeUndefined();

      const links = await database.db.signedLink.count();
      const action = await b.submit(me, {}, { actionPart: '/me/act' });
      expect(action.status).toBe(200);
      expect(action.url).toMatch(new RegExp(`^${app}/l/`));
      expect(action.text).toContain('Refresh the care leavers offer');
      const made = await database.db.signedLink.findMany({ orderBy: { createdAt: 'desc' }, take: 1 });
      expect(await database.db.signedLink.count()).toBe(links + 1);
      expect(made[0]).toMatchObject({ personId: world.owner.id, actionId: mine.id, purpose: 'action' });
      expect(made[0]!.expiresAt.getTime()).toBe(NOW.getTime() + 30 * 60_000);

      // Someone else's action, asked for by id with a valid form: refused by the access module, no link made.
      const forged = await b.submit(me, { action: theirs.id }, { actionPart: '/me/act' });
      expect(forged.status).toBe(403);
      expect(forged.text).toMatch(/cannot|not/i);
      expect(await database.db.signedLink.count()).toBe(links + 1);
      expect(logs.join('\n')).not.toMatch(/olu@example/i);
    });

    it('/me lists the groups whose plan and papers the person may open; each opens the plan page by a fresh short link, and no other group', async () => {
      const b = new Browser();
      const me = await signIn(b, 'olu@example.gov.uk');
      expect(me.text).toContain(`Open ${world.group.name}’s plan and papers`);
      const links = await database.db.signedLink.count();
      const plan = await b.submit(me, {}, { actionPart: '/me/plan' });
      expect(plan.status).toBe(200);
      expect(plan.url).toMatch(new RegExp(`^${app}/l/`));
      expect(plan.text).toContain(`${world.group.name}: the plan and its papers`);
      const made = await database.db.signedLink.findMany({ where: { purpose: 'group' } });
      expect(made).toHaveLength(1);
      expect(made[0]).toMatchObject({ personId: world.owner.id, groupId: world.group.id, purpose: 'group' });
      expect(made[0]!.expiresAt.getTime()).toBe(now.getTime() + 30 * 60_000);
      // A group id they may not open (here: none such), with a valid form: refused in words, no link made.
      const forged = await b.submit(me, { group: 'not-a-group-of-theirs' }, { actionPart: '/me/plan' });
      expect([403, 404]).toContain(forged.status);
      expect(forged.text).toMatch(/You cannot open this plan/);
      expect(await database.db.signedLink.count()).toBe(links + 1);
    });

    it('Entra’s preferred_username is the address when there is no email claim, compared case-insensitively', async () => {
      const b = new Browser();
      const me = await signIn(b, 'olu-at-entra');
      expect(me.status).toBe(200);
      expect(me.text).toContain('Signed in as Olu Owner');
    });

    it('a tampered state is refused in words, nothing written and no session', async () => {
      const b = new Browser();
      const { callback } = await toCallback(b, 'olu@example.gov.uk');
      const before = await written(database.db);
      const u = new URL(callback);
      u.searchParams.set('state', `${u.searchParams.get('state')!.slice(0, -2)}xx`);
      const page = await b.go(u.href);
      expect(page.status).toBe(403);
      expect(page.text).toContain(signInSentence('unverified'));
      expect(b.cookie(HOST, SESSION_COOKIE)).toBeUndefined();
      expect(await written(database.db)).toEqual(before);
    });

    it('a replayed callback is refused: once the sign-in is finished, and by the provider when the code is used again', async () => {
      const b = new Browser();
      const { callback, signInCookie } = await toCallback(b, 'olu@example.gov.uk');
      expect((await b.go(callback)).status).toBe(200);
      const before = await written(database.db);
      const again = new Browser();
      const replay = await again.go(callback);
      expect(replay.status).toBe(400);
      expect(replay.text).toContain(signInSentence('not-started'));
      // With the sign-in cookie copied too, the code reaches the provider, which refuses it a second time.
      again.setCookie(HOST, SIGN_IN_COOKIE, signInCookie);
      const reused = await again.go(callback);
      expect(reused.status).toBe(403);
      expect(reused.text).toContain(signInSentence('turned-down'));
      expect(again.cookie(HOST, SESSION_COOKIE)).toBeUndefined();
      expect(await written(database.db)).toEqual(before);
    });

    it('an ID token with another nonce than the sign-in’s is refused', async () => {
      const b = new Browser();
      const { callback, signInCookie } = await toCallback(b, 'olu@example.gov.uk');
      const v = unseal(SECRET, 'sign-in', signInCookie) as Record<string, unknown>;
      expect(v.nonce).toEqual(expect.any(String));
      b.setCookie(HOST, SIGN_IN_COOKIE, seal(SECRET, 'sign-in', { ...v, nonce: 'another-nonce-0123456789abcdef' }));
      const before = await written(database.db);
      const page = await b.go(callback);
      expect(page.status).toBe(403);
      expect(page.text).toContain(signInSentence('unverified'));
      expect(b.cookie(HOST, SESSION_COOKIE)).toBeUndefined();
      expect(await written(database.db)).toEqual(before);
      expect(logs.join('\n')).toMatch(/sign-in refused.*nonce|nonce.*sign-in refused/);
    });

    it('an answer from another issuer (a mix-up: the same sign-in sent to another provider) is refused', async () => {
      const b = new Browser();
      const login = await b.go(`${app}/auth/login`, {}, () => true);
      const elsewhere = new URL(login.stoppedAt!);
      const other = new URL(otherIdp.issuer);
      elsewhere.host = other.host;
      let page = await b.go(elsewhere.href, {}, atCallback);
      for (let i = 0; i < 4 && !page.stoppedAt; i += 1) page = await b.submit(page, { login: 'olu@example.gov.uk', password: 'any' }, { stopAt: atCallback });
      expect(new URL(page.stoppedAt!).searchParams.get('iss')).toBe(otherIdp.issuer);
      const before = await written(database.db);
      const refused = await b.go(page.stoppedAt!);
      expect(refused.status).toBe(403);
      expect(refused.text).toContain(signInSentence('unverified'));
      expect(b.cookie(HOST, SESSION_COOKIE)).toBeUndefined();
      expect(await written(database.db)).toEqual(before);
    });

    it('an address bragbot does not know is refused in words: no person is made, no session', async () => {
      const b = new Browser();
      const before = await written(database.db);
      const page = await signIn(b, 'new.starter@example.gov.uk');
      expect(page.status).toBe(403);
      expect(page.text).toContain(signInSentence('unknown-person'));
      expect(b.cookie(HOST, SESSION_COOKIE)).toBeUndefined();
      expect(await written(database.db)).toEqual(before);
      expect(await database.db.person.count({ where: { email: { contains: 'new.starter' } } })).toBe(0);
    });

    it('a session expires on the deployment’s clock; signing out ends it', async () => {
      const b = new Browser();
      expect((await signIn(b, 'olu@example.gov.uk')).status).toBe(200);
      now = new Date(NOW.getTime() + 8 * 3_600_000 - 1000);
      try {
        const still = await b.go(`${app}/me`);
        expect(still.status).toBe(200);
        now = new Date(NOW.getTime() + 8 * 3_600_000 + 1000);
        const expired = await b.go(`${app}/me`);
        expect(expired.status).toBe(401);
        expect(expired.text).toContain(signInSentence('signed-out'));
      } finally {
        now = NOW;
      }
      const me = await b.go(`${app}/me`);
      expect(me.status).toBe(200);
      const out = await b.submit(me, {}, { actionPart: '/auth/logout' });
      expect(out.status).toBe(200);
      expect(out.text).toContain('You are signed out');
      expect(out.setCookies.some((c) => c.startsWith(`${SESSION_COOKIE}=;`) && /Max-Age=0/.test(c))).toBe(true);
      expect(b.cookie(HOST, SESSION_COOKIE)).toBeUndefined();
      expect((await b.go(`${app}/me`)).status).toBe(401);
      // A sign-out form without its CSRF token is refused.
      const forged = await b.go(`${app}/auth/logout`, { method: 'POST', fields: [['nonce', 'x'.repeat(22)], ['csrf', 'y'.repeat(43)]] });
      expect(forged.status).toBe(403);
    });

    it('a session cookie altered, or sealed for another purpose, is nobody', async () => {
      const b = new Browser();
      await signIn(b, 'olu@example.gov.uk');
      const good = b.cookie(HOST, SESSION_COOKIE)!;
      b.setCookie(HOST, SESSION_COOKIE, good.replace(/^(.)/, (c) => (c === 'A' ? 'B' : 'A')));
      expect((await b.go(`${app}/me`)).status).toBe(401);
      b.setCookie(HOST, SESSION_COOKIE, seal(SECRET, 'sign-in', { v: 1, w: world.workspaceId, p: world.chair.id, exp: NOW.getTime() + 3_600_000 }));
      expect((await b.go(`${app}/me`)).status).toBe(401);
    });

    it('a link opened by someone signed in as another person is refused; their own link, and any link without signing in, open', async () => {
      const a = await makeAction(database.db, world.group.id, { activity: 'Chair’s own action', brag: 'green', dueDate: '2026-12-20', ownerIds: [world.chair.id] });
      const chairs = linkUrl(app, (await issueLink(database.db, { secret: SECRET, ttlDays: 14 }, { workspaceId: world.workspaceId, personId: world.chair.id, scope: { purpose: 'action', actionId: a.id }, now: NOW })).token);
      const b = new Browser();
      await signIn(b, 'olu@example.gov.uk');
      const refused = await b.go(chairs);
      expect(refused.status).toBe(403);
      expect(refused.text).toContain(problemSentence('someone-else'));
      const partner = new Browser();
      expect((await partner.go(chairs)).status).toBe(200);
      const chair = new Browser();
      await signIn(chair, 'asha@example.gov.uk');
      expect((await chair.go(chairs)).status).toBe(200);
    });

    it('the sign-in and login cookies never reach the logs, nor any token', async () => {
      const all = logs.join('\n');
      expect(all).toContain('"msg":"signed in"');
      expect(all).not.toMatch(/bb_session=|bb_signin=|code=|id_token/);
    });
  });
}

describe('sign-in configuration', () => {
  const web = { WEB_MODE: 'on', PUBLIC_BASE_URL: 'https://bragbot.council.gov.uk', LINK_SECRET: 'x'.repeat(40) };
  const message = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return '';
    } catch (e) {
      return (e as Error).message;
    }
  };

  it('needs all three OIDC variables or none, and says which is missing', () => {
    expect(signInSettingsOf(loadConfig(web))).toBeNull();
    const m = message({ ...web, OIDC_ISSUER: 'https://login.microsoftonline.com/tenant/v2.0', OIDC_CLIENT_ID: 'abc' });
    expect(m).toMatch(/OIDC_CLIENT_SECRET: required with OIDC_ISSUER and OIDC_CLIENT_ID/);
    expect(m).not.toMatch(/OIDC_ISSUER:/);
  });

  it('wants https (http only for a provider on this machine), openid among the scopes, and the web pages on', () => {
    const all = { OIDC_ISSUER: 'http://idp.example.com', OIDC_CLIENT_ID: 'abc', OIDC_CLIENT_SECRET: 's' };
    expect(message({ ...web, ...all })).toMatch(/OIDC_ISSUER: must be an https:\/\/ address/);
    expect(message({ ...web, ...all, OIDC_ISSUER: 'http://127.0.0.1:4000' })).toBe('');
    expect(message({ ...web, ...all, OIDC_ISSUER: 'https://idp.example.com', OIDC_SCOPES: 'email profile' })).toMatch(/OIDC_SCOPES: space-separated scopes including openid/);
    expect(message({ ...all, OIDC_ISSUER: 'https://idp.example.com' })).toMatch(/WEB_MODE: must be on when OIDC_ISSUER is set/);
    const c = loadConfig({ ...web, ...all, OIDC_ISSUER: 'https://login.microsoftonline.com/tenant/v2.0' });
    expect(signInSettingsOf(c)).toEqual({ issuer: 'https://login.microsoftonline.com/tenant/v2.0', clientId: 'abc', clientSecret: 's', scopes: 'openid email profile' });
    expect(c.OIDC_SESSION_HOURS).toBe(8);
    expect(redirectUriOf('https://bragbot.council.gov.uk/')).toBe('https://bragbot.council.gov.uk/auth/callback');
  });
});

describe('`serve` with OIDC_ISSUER set', () => {
  it('mounts sign-in: the configured provider signs a person in and /me lists their actions; a link for someone else is refused', async () => {
    const { url, drop } = await createTestDatabaseUrl('sqlite');
    const seed = await openDatabase(url);
    const workspaceId = await makeWorkspace(seed.db, 'default');
    const group = await makeGroup(seed.db, workspaceId);
    const hana = await makePerson(seed.db, workspaceId, { name: 'Hana Health', email: 'hana.health@nhs.example' });
    const ian = await makePerson(seed.db, workspaceId, { name: 'Ian Other', email: 'ian@nhs.example' });
    await seed.db.groupMember.create({ data: { groupId: group.id, personId: hana.id, role: 'member' } });
    await makeAction(seed.db, group.id, { ref: '12', activity: 'CAMHS waiting times for children in care', brag: 'green', dueDate: '2026-12-20', ownerIds: [hana.id] });
    const theirs = await makeAction(seed.db, group.id, { ref: '13', activity: 'Ian’s action', brag: 'green', dueDate: '2026-12-20', ownerIds: [ian.id] });
    await seed.close();
    const port = await freePort();
    const base = `http://${HOST}:${port}`;
    const idp = await startProvider(redirectUriOf(base));
    const config = loadConfig({
      DATABASE_URL: url, SCHEDULER_ENABLED: 'false', OPS_PORT: '0', WEB_MODE: 'on', WEB_HOST: HOST, WEB_PORT: String(port), PUBLIC_BASE_URL: base, LINK_SECRET: SECRET,
      OIDC_ISSUER: idp.issuer, OIDC_CLIENT_ID: CLIENT_ID, OIDC_CLIENT_SECRET: CLIENT_SECRET,
    });
    const running = await startBragbot({ config, logger: silentLogger, clock: () => NOW, scheduling: 'deferred' });
    try {
      const b = new Browser();
      let page = await b.go(`${base}/auth/login`);
      for (let i = 0; i < 4 && new URL(page.url).origin === idp.issuer; i += 1) page = await b.submit(page, { login: 'HANA.health@nhs.example', password: 'any' });
      expect(page.url).toBe(`${base}/me`);
      expect(page.text).toContain('Signed in as Hana Health');
      expect(page.text).toContain('CAMHS waiting times for children in care');
      const { token } = await issueLink(running.database.db, { secret: SECRET, ttlDays: 14 }, { workspaceId, personId: ian.id, scope: { purpose: 'action', actionId: theirs.id }, now: NOW });
      const refused = await b.go(linkUrl(base, token));
      expect(refused.status).toBe(403);
      expect(refused.text).toContain(problemSentence('someone-else'));
    } finally {
      await running.stop();
      await idp.stop();
      await drop();
    }
  }, 60_000);
});
