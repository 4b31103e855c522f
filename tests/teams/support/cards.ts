/** Reading cards in tests: every Action.Execute, every input, the scope, all the text. */
import type { ActionCard } from '../../../src/core/chat.js';

export interface FoundAction {
  type: string;
  title?: string;
  verb?: string;
  data?: Record<string, unknown>;
  fallback?: { type: string; title?: string; data?: Record<string, unknown> };
}

export function walk(node: unknown, visit: (n: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  visit(o);
  for (const v of Object.values(o)) walk(v, visit);
}

export function actionsOf(card: unknown): FoundAction[] {
  const out: FoundAction[] = [];
  walk(card, (n) => {
    if (n.type === 'Action.Execute') out.push(n as unknown as FoundAction);
  });
  return out;
}

export function inputsOf(card: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  walk(card, (n) => {
    if (typeof n.type === 'string' && n.type.startsWith('Input.')) out.push(n);
  });
  return out;
}

export function textOf(card: unknown): string {
  const out: string[] = [];
  walk(card, (n) => {
    if (n.type === 'TextBlock' && typeof n.text === 'string') out.push(n.text);
  });
  return out.join('\n');
}

export function scopeOf(card: unknown): Record<string, unknown> | null {
  const input = inputsOf(card).find((i) => i.id === 'bb_scope');
  return input ? (JSON.parse(String(input.value)) as Record<string, unknown>) : null;
}

let n = 0;
export function sampleCard(over: Partial<ActionCard> = {}): ActionCard {
  n += 1;
  return {
    actionId: `cltestaction${String(n).padStart(12, '0')}`,
    groupSlug: 'cic-partnership',
    groupName: 'Children in Care and Care Leavers Strategic Partnership',
    ref: String(n),
    activity: 'Increase the number of care leavers in education, employment or training',
    progress: '12 of 40 care leavers are in EET; a new apprenticeship scheme starts in September.',
    dueKind: 'date',
    dueDate: '2021-06-30',
    dueRaw: '30/06/21',
    brag: 'amber',
    daysOverdue: 20,
    leadAgency: 'Children’s Social Care',
    leadOfficer: 'Rose Howley',
    ownerNames: ['Jo Demo'],
    latestNote: 'Recruitment slipped: two posts vacant.',
    ...over,
  };
}
