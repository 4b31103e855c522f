/**
 * The OpenID provider, as openid-client (v6) speaks to it: discovery once (retried on the next
 * sign-in if the provider was unreachable), then the authorization code flow with PKCE, state
 * and nonce. openid-client checks the response's state and issuer, exchanges the code, and
 * validates the ID token (signature against the provider's keys, iss, aud, exp/iat, nonce);
 * bragbot only maps the validated claims to a person (./person.ts).
 *
 * ID-token times (iat, exp) are checked by openid-client against the machine's clock, as the
 * provider issues them by its own: they are the provider's instants, not bragbot's. The session
 * bragbot then grants is timed by the deployment's clock (./session.ts).
 */
import * as client from 'openid-client';
import { isSecureOrLoopback } from '../../config.js';

export interface OidcSettings {
  /** OIDC_ISSUER: discovery reads <issuer>/.well-known/openid-configuration, and its issuer must equal this. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** OIDC_SCOPES, space-separated. */
  scopes: string;
  /** PUBLIC_BASE_URL + /auth/callback: the one redirect URI registered at the provider. */
  redirectUri: string;
}

/** What a sign-in in progress must remember between /auth/login and /auth/callback. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export type VerifiedClaims = Record<string, unknown> & { sub: string; iss: string };

/** Why a callback was refused (nothing is written for any of them). */
export class SignInRefused extends Error {
  constructor(readonly why: 'provider-error' | 'unverified', message: string) {
    super(message);
  }
}

/**
 * Which check failed, for the log: the error's kind and code, the provider's OAuth error, the
 * claim or parameter concerned — never a value (a claim's value can be an address or a token).
 */
function whatFailed(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const parts: string[] = [`${e.name}: ${e.message}`];
  // openid-client wraps oauth4webapi's error, whose cause names the claim or parameter.
  let at: unknown = e;
  for (let depth = 0; depth < 4 && typeof at === 'object' && at !== null; depth += 1) {
    const x = at as { code?: unknown; error?: unknown; claim?: unknown; parameter?: unknown; cause?: unknown };
    for (const [label, v] of [['', x.code], ['', x.error], ['claim ', x.claim], ['parameter ', x.parameter]] as const) {
      if (typeof v === 'string' && v !== '' && !parts.includes(`${label}${v}`)) parts.push(`${label}${v}`);
    }
    at = x.cause;
  }
  return parts.join('; ');
}

export class OidcProvider {
  private config: Promise<client.Configuration> | undefined;

  constructor(readonly settings: OidcSettings) {}

  private configuration(): Promise<client.Configuration> {
    this.config ??= client
      .discovery(new URL(this.settings.issuer), this.settings.clientId, { client_secret: this.settings.clientSecret }, client.ClientSecretPost(this.settings.clientSecret), {
        // Plain http is accepted by the config only for a provider on this machine (tests, a local demo).
        ...(new URL(this.settings.issuer).protocol === 'http:' && isSecureOrLoopback(this.settings.issuer) ? { execute: [client.allowInsecureRequests] } : {}),
        timeout: 10,
      })
      .catch((e: unknown) => {
        this.config = undefined;
        throw e;
      });
    return this.config;
  }

  /** Where to send the browser, and what the callback will need to check the answer. */
  async start(): Promise<{ url: URL; pending: PendingSignIn }> {
    const config = await this.configuration();
    const pending: PendingSignIn = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes,
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url, pending };
  }

  /**
   * The provider's answer at /auth/callback (`callbackUrl`: the request as it arrived, on
   * PUBLIC_BASE_URL), checked against the sign-in it started: the ID token's claims, or a refusal.
   */
  async finish(callbackUrl: URL, pending: PendingSignIn): Promise<VerifiedClaims> {
    const config = await this.configuration();
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true,
      });
    } catch (e) {
      // The provider said no (access_denied, invalid_grant for a code used twice), or a check failed
      // (state, issuer, audience, nonce, signature): said in one sentence, the detail goes to the log.
      const code = e instanceof client.AuthorizationResponseError || e instanceof client.ResponseBodyError ? 'provider-error' : 'unverified';
      throw new SignInRefused(code, whatFailed(e));
    }
    const claims = tokens.claims();
    if (!claims) throw new SignInRefused('unverified', 'no ID token in the token response');
    return claims as VerifiedClaims;
  }
}
