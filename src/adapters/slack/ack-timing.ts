/**
 * How long each Slack request waits for its acknowledgement (Slack gives 3 s, and a click's
 * person sees nothing until then): a Receiver decorator that times from the moment the receiver
 * hands the request to the app to the moment a listener (or Bolt, for events) acks it. Socket
 * Mode and HTTP alike; the receiver's own transport is untouched (Bolt's Receiver is
 * init/start/stop, and receivers call nothing on the app but processEvent).
 */
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { stopwatch } from '../../clock.js';

/** What kind of request this is: block_actions, view_submission, slash_command, event_callback… */
export function requestKind(body: Record<string, unknown>): string {
  if (typeof body.command === 'string') return 'slash_command';
  return typeof body.type === 'string' ? body.type : 'unknown';
}

export function timingAcks(inner: Receiver, onAck: (kind: string, seconds: number) => void): Receiver {
  const timed = (app: App, event: ReceiverEvent) => {
    const elapsed = stopwatch();
    const kind = requestKind(event.body);
    let told = false;
    const ack: ReceiverEvent['ack'] = async (response) => {
      try {
        await event.ack(response);
      } finally {
        if (!told) onAck(kind, elapsed() / 1000);
        told = true;
      }
    };
    return app.processEvent({ ...event, ack });
  };
  return {
    init: (app) =>
      inner.init(
        new Proxy(app, {
          get: (target, prop) => (prop === 'processEvent' ? (event: ReceiverEvent) => timed(target, event) : Reflect.get(target, prop, target)),
        }),
      ),
    start: (...args) => inner.start(...args),
    stop: (...args) => inner.stop(...args),
  };
}
