/** Hand-made planned messages for outbox and dispatcher tests. */
import type { PlannedMessage } from '../../src/core/planner/types.js';

export function plannedNudge(key: string, person: { id: string; name: string }, options: { actionIds?: string[]; notBefore?: Date; groupId?: string | null } = {}): PlannedMessage {
  return {
    idempotencyKey: key,
    kind: 'overdue',
    recipient: { type: 'person', personId: person.id, name: person.name },
    groupId: options.groupId ?? null,
    notBefore: options.notBefore ?? new Date('2021-07-01T08:00:00Z'),
    message: { kind: 'nudge', reasons: ['overdue'], recipientName: person.name, actions: [] },
    actionIds: options.actionIds ?? [],
    reasonsByAction: Object.fromEntries((options.actionIds ?? []).map((id) => [id, ['overdue']])),
    mentions: (options.actionIds ?? []).map((actionId) => ({ personId: person.id, actionId, reason: 'overdue' as const, window: '2021-07-01', on: '2021-07-01' })),
  };
}
