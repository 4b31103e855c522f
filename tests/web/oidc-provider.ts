/**
 * A real OpenID provider for the sign-in tests: oidc-provider on 127.0.0.1 (a random port), with
 * bragbot registered as a confidential web client, the dev login form (any login, no password) and
 * the ID token carrying the email claim as Entra's does. An account's id is what is typed at login;
 * its email is that, unless `accounts` says otherwise.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
// @ts-expect-error oidc-provider ships no types; the tests use only its constructor and callback.
import Provider from 'oidc-provider';

export const CLIENT_ID = 'bragbot-test';
export const CLIENT_SECRET = 'test-client-secret-0123456789abcdef';

export interface TestProvider {
  issuer: string;
  stop(): Promise<void>;
}

interface ProviderInstance { callback(): (req: unknown, res: unknown) => void }
type ProviderClass = new (issuer: string, config: Record<string, unknown>) => ProviderInstance;

export async function startProvider(redirectUri: string, accounts: Record<string, Record<string, unknown>> = {}): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new (Provider as ProviderClass)(issuer, {
    clients: [{ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [redirectUri], response_types: ['code'], grant_types: ['authorization_code'], token_endpoint_auth_method: 'client_secret_post' }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
    // Entra puts the claims in the ID token itself; bragbot reads them there.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['test-provider-cookie-key-0123456789'] },
    // Set, so the provider does not print a notice per default it uses.
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    findAccount: (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: () => ({ sub: id, email: id, email_verified: true, ...accounts[id] }),
    }),
  });
  server.on('request', provider.callback());
  return {
    issuer,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
