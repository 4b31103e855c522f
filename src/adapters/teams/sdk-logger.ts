/**
 * The Teams SDK's logger interface over pino. The SDK logs whole activities at debug level
 * ("Handling activity", body): messages can carry personal data, so only strings and error
 * messages go through, objects become their type, and SDK debug goes to pino's trace.
 */
import type { AppOptions } from '@microsoft/teams.apps';
import type { Logger } from '../../logging.js';

export type SdkLogger = NonNullable<AppOptions<never>['logger']>;
type Level = 'error' | 'warn' | 'info' | 'debug' | 'trace';

function describe(args: unknown[]): { msg: string; err?: Error } {
  let err: Error | undefined;
  const parts = args.map((a) => {
    if (typeof a === 'string') return a;
    if (typeof a === 'number' || typeof a === 'boolean') return String(a);
    if (a instanceof Error) {
      err ??= a;
      return a.message;
    }
    return a === null || a === undefined ? String(a) : `[${Array.isArray(a) ? 'array' : 'object'}]`;
  });
  return { msg: parts.join(' '), ...(err ? { err } : {}) };
}

export function sdkLogger(log: Logger, name = 'sdk'): SdkLogger {
  const child = log.child({ sdk: name });
  const emit = (level: Level, args: unknown[]) => {
    const { msg, err } = describe(args);
    const fields = err ? { err: { message: err.message, name: err.name } } : {};
    if (level === 'error') child.error(fields, msg);
    else if (level === 'warn') child.warn(fields, msg);
    else if (level === 'info') child.debug(fields, msg); // the SDK's info is chatty ("listening…")
    else child.trace(fields, msg);
  };
  return {
    error: (...a: unknown[]) => emit('error', a),
    warn: (...a: unknown[]) => emit('warn', a),
    info: (...a: unknown[]) => emit('info', a),
    debug: (...a: unknown[]) => emit('debug', a),
    trace: (...a: unknown[]) => emit('trace', a),
    log: (level: Level, ...a: unknown[]) => emit(level, a),
    child: (childName: string) => sdkLogger(log, `${name}/${childName}`),
  };
}
