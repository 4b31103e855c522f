/**
 * Coded errors. Every failure a user can cause carries a code and a message that says
 * what to fix; the CLI and the chat adapters turn them into exit codes / ephemeral replies
 * in one place each, and anything that is not a BragbotError is a bug.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'IMPORT_UNREADABLE'
  | 'IMPORT_INVALID'
  | 'INPUT_INVALID'
  | 'CONFLICT'
  | 'REPORT_FROZEN';

export class BragbotError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra structured detail (row errors of an import, which variable was wrong …). */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'BragbotError';
  }
}

export const isBragbotError = (e: unknown): e is BragbotError => e instanceof BragbotError;
