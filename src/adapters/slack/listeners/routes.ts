/**
 * Which interactions the registered listeners take: recorded as they register (through
 * `recordRoutes`, a view of the App that notes each constraint and passes it on), so the
 * catch-all for everything else (unknown-interaction.ts) can never disagree with the listeners.
 */
import type { App } from '@slack/bolt';

type Pattern = string | RegExp;
export type RouteKind = 'action' | 'view' | 'command' | 'shortcut' | 'options';
interface Route {
  kind: RouteKind;
  /** action_id (actions, options), callback_id (views, shortcuts) or the command name. */
  id?: Pattern | undefined;
  block_id?: Pattern | undefined;
  /** view_submission | view_closed, for views. */
  type?: string | undefined;
}

const matches = (p: Pattern | undefined, value: unknown): boolean =>
  p === undefined || (typeof value === 'string' && (typeof p === 'string' ? p === value : new RegExp(p.source, p.flags.replace('g', '')).test(value)));
const isPattern = (v: unknown): v is Pattern => typeof v === 'string' || v instanceof RegExp;

function routeOf(kind: RouteKind, c: unknown): Route {
  const o = (isPattern(c) ? {} : ((c ?? {}) as Record<string, unknown>)) as { action_id?: Pattern; block_id?: Pattern; callback_id?: Pattern; type?: string };
  switch (kind) {
    case 'action':
    case 'options':
      return isPattern(c) ? { kind, id: c } : { kind, id: o.action_id ?? o.callback_id, block_id: o.block_id };
    case 'view':
      return isPattern(c) ? { kind, id: c, type: 'view_submission' } : { kind, id: o.callback_id, type: o.type };
    case 'shortcut':
      return { kind, id: isPattern(c) ? c : o.callback_id };
    case 'command':
      return { kind, id: isPattern(c) ? c : undefined };
  }
}

export class Routes {
  private readonly routes: Route[] = [];

  /** The App as listeners see it: registering notes the route, then registers as usual. */
  recordRoutes(app: App): App {
    const kinds = new Set<string>(['action', 'view', 'command', 'shortcut', 'options']);
    return new Proxy(app, {
      get: (target, prop, receiver) => {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof prop !== 'string' || !kinds.has(prop) || typeof value !== 'function') return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        return (...args: unknown[]) => {
          this.routes.push(routeOf(prop as RouteKind, args[0]));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }

  /** Does a registered listener take this interaction? */
  handles(kind: RouteKind, what: { id?: unknown; block_id?: unknown; type?: unknown }): boolean {
    return this.routes.some((r) => r.kind === kind && matches(r.id, what.id) && matches(r.block_id, what.block_id) && (r.type === undefined || r.type === what.type));
  }
}
