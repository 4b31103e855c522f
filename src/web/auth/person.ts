/**
 * Who a verified ID token is, in this workspace: the person whose email is the token's, compared
 * case-insensitively (Entra writes UPNs as typed; plans and the CLI write them as typed too).
 * The address is the `email` claim, or Entra's `preferred_username` / `upn` when there is none
 * (Entra sends `email` only when the account has a mail attribute and the optional claim is
 * configured). No one is ever created here: an address bragbot does not know is refused.
 */
import type { Db } from '../../db/client.js';
import { sqlOf } from '../../db/sql.js';
import type { VerifiedClaims } from './provider.js';

const ADDRESS = /^[^\s@]+@[^\s@]+$/;

/** The address the token vouches for, lower-cased; null when it names none. */
export function addressOf(claims: VerifiedClaims): string | null {
  // A provider that says the address is unverified (anyone could have typed it) is not believed.
  const email = typeof claims.email === 'string' && claims.email_verified !== false ? claims.email : undefined;
  for (const v of [email, claims.preferred_username, claims.upn]) {
    if (typeof v === 'string' && ADDRESS.test(v.trim())) return v.trim().toLowerCase();
  }
  return null;
}

/** The person of the workspace with that address (never an erased one: their email is gone anyway). */
export async function personByAddress(db: Db, workspaceId: string, address: string): Promise<{ id: string; name: string } | null> {
  const sql = sqlOf(db);
  if (!sql) throw new Error('sign-in needs a database opened with openDatabase (src/db/client.ts)');
  const rows = await sql.rows<{ id: string; name: string }>(
    'SELECT "id", "name" FROM "Person" WHERE "workspaceId" = $1 AND lower("email") = $2 AND "erasedAt" IS NULL ORDER BY "id" LIMIT 2',
    [workspaceId, address],
  );
  // Two people whose addresses differ only in case: which one signed in cannot be told, so neither is.
  return rows.length === 1 ? rows[0]! : null;
}
