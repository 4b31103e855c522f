/**
 * Structured logs (pino). Child loggers per request/job carry ids, never tokens or
 * message bodies: updates can hold personal data.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = 'info'): Logger {
  return pino({
    level,
    base: { app: 'bragbot' },
    // A signed link's token opens a page: never logged, wherever it turns up (src/web logs paths without it).
    redact: { paths: ['token', 'link', '*.token', '*.link', '*.linkUrl', 'linkUrl', '*.botToken', '*.password', '*.secret', '*.text', '*.note', 'headers.authorization'], censor: '[redacted]' },
  });
}

/** For tests and one-shot CLI commands that must print nothing but their result. */
export const silentLogger: Logger = pino({ level: 'silent' });
