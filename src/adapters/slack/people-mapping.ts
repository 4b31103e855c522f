/**
 * Mapping people to Slack accounts by email (users.lookupByEmail). The CLI calls this and
 * prints both lists: what matched, and what did not with the reason, so a chair can fix
 * the rest (add the email, or set the Slack member id by hand).
 */
import type { WebClient } from '@slack/web-api';
import { BragbotError } from '../../core/errors.js';
import type { Db } from '../../db/client.js';
import { peopleToMap, personWithSlackId, setSlackUserId } from './data.js';
import { slackErrorCode } from './errors.js';

export interface SlackMatch {
  personId: string;
  name: string;
  email: string;
  slackUserId: string;
  /** false when the person already had this Slack id. */
  changed: boolean;
}

export interface SlackMiss {
  personId: string;
  name: string;
  email: string | null;
  reason: string;
}

export interface SlackMappingResult {
  matched: SlackMatch[];
  unmatched: SlackMiss[];
}

export async function mapSlackUsersByEmail(db: Db, client: WebClient, workspaceId: string): Promise<SlackMappingResult> {
  const result: SlackMappingResult = { matched: [], unmatched: [] };
  for (const p of await peopleToMap(db, workspaceId)) {
    if (!p.email) {
      result.unmatched.push({ personId: p.id, name: p.name, email: null, reason: 'no email in bragbot: add one (or set their Slack member id)' });
      continue;
    }
    let user: { id?: string; deleted?: boolean; is_bot?: boolean } | undefined;
    try {
      user = (await client.users.lookupByEmail({ email: p.email })).user;
    } catch (e) {
      const code = slackErrorCode(e);
      if (code === 'users_not_found') {
        result.unmatched.push({ personId: p.id, name: p.name, email: p.email, reason: 'no Slack account with this email in the workspace' });
        continue;
      }
      if (code === 'missing_scope' || code === 'not_allowed_token_type' || code === 'invalid_auth') {
        throw new BragbotError('CONFIG_INVALID', `Slack refused users.lookupByEmail (${code}): the app needs the users:read and users:read.email scopes (manifests/slack/manifest.yml) and a valid SLACK_BOT_TOKEN.`);
      }
      throw e;
    }
    if (!user?.id || user.deleted || user.is_bot) {
      result.unmatched.push({ personId: p.id, name: p.name, email: p.email, reason: user?.deleted ? 'the Slack account is deactivated' : 'no usable Slack account' });
      continue;
    }
    if (p.slackUserId === user.id) {
      result.matched.push({ personId: p.id, name: p.name, email: p.email, slackUserId: user.id, changed: false });
      continue;
    }
    const holder = await personWithSlackId(db, workspaceId, user.id);
    if (holder && holder.id !== p.id) {
      result.unmatched.push({ personId: p.id, name: p.name, email: p.email, reason: `Slack account ${user.id} is already mapped to ${holder.name}` });
      continue;
    }
    await setSlackUserId(db, p.id, user.id);
    result.matched.push({ personId: p.id, name: p.name, email: p.email, slackUserId: user.id, changed: true });
  }
  return result;
}
