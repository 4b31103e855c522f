/**
 * How the Teams endpoint authenticates. Production: the Bot Framework JWT on every request is
 * validated by the SDK (issuer, audience = TEAMS_CLIENT_ID, signing keys, service URL), and
 * proactive messages use a token for TEAMS_CLIENT_ID/SECRET (single tenant: TEAMS_TENANT_ID).
 * Without an app id, only the explicit local demo mode runs: no JWT validation at all, which
 * is what the M365 Agents Playground needs (it sends activities with no Authorization header).
 */
import type { Config } from '../../config.js';
import { BragbotError } from '../../core/errors.js';
import type { Logger } from '../../logging.js';

export interface TeamsAuth {
  mode: 'production' | 'local-demo';
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  tenantId?: string | undefined;
  /** JWT validation off: local demo only. */
  skipAuth: boolean;
}

export const UNAUTHENTICATED_WARNING =
  '!!! TEAMS_DANGEROUSLY_ALLOW_UNAUTHENTICATED=true: the Teams endpoint accepts activities WITHOUT authentication. ' +
  'Anyone who can reach it can act as any user and change any action. This is for the local M365 Agents Playground demo only: ' +
  'never expose it, never use it in production. Unset it and set TEAMS_CLIENT_ID and TEAMS_CLIENT_SECRET for a real tenant. !!!';

export function resolveAuth(config: Pick<Config, 'TEAMS_CLIENT_ID' | 'TEAMS_CLIENT_SECRET' | 'TEAMS_TENANT_ID' | 'TEAMS_DANGEROUSLY_ALLOW_UNAUTHENTICATED'>, log: Logger): TeamsAuth {
  if (config.TEAMS_DANGEROUSLY_ALLOW_UNAUTHENTICATED) {
    log.warn({ security: 'teams-unauthenticated' }, UNAUTHENTICATED_WARNING);
    // Credentials, if given, still sign outbound calls (e.g. a tunnel to a real tenant while debugging).
    return { mode: 'local-demo', clientId: config.TEAMS_CLIENT_ID, clientSecret: config.TEAMS_CLIENT_SECRET, tenantId: config.TEAMS_TENANT_ID, skipAuth: true };
  }
  if (!config.TEAMS_CLIENT_ID || !config.TEAMS_CLIENT_SECRET) {
    throw new BragbotError(
      'CONFIG_INVALID',
      'Teams needs TEAMS_CLIENT_ID and TEAMS_CLIENT_SECRET (the Azure Bot registration’s app id and a client secret; see manifests/teams/README.md), ' +
        'or TEAMS_DANGEROUSLY_ALLOW_UNAUTHENTICATED=true for the local Playground demo.',
    );
  }
  return { mode: 'production', clientId: config.TEAMS_CLIENT_ID, clientSecret: config.TEAMS_CLIENT_SECRET, tenantId: config.TEAMS_TENANT_ID, skipAuth: false };
}
