/**
 * The limits Slack enforces on Block Kit, held by code. Slack rejects a whole message
 * (invalid_blocks) when one is exceeded, so a plan of 200 actions or a 5,000-character
 * progress cell must never reach chat.postMessage as is. Renderers stay inside these by
 * construction; `fitBlocks` is the last guard and `blockKitViolations` is what tests check.
 */
import type { KnownBlock } from '@slack/types';
import { clamp } from './text.js';

export const SLACK_LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  optionText: 75,
  selectOptions: 100,
  modalTitle: 24,
  privateMetadata: 3000,
  /** The top-level text is the notification and accessibility fallback; Slack truncates at 40k. */
  messageText: 3000,
} as const;

/** Every way a list of blocks breaks Slack's rules; empty when Slack would accept it. */
export function blockKitViolations(blocks: readonly KnownBlock[], surface: 'message' | 'modal' = 'message'): string[] {
  const out: string[] = [];
  const maxBlocks = surface === 'modal' ? SLACK_LIMITS.modalBlocks : SLACK_LIMITS.messageBlocks;
  if (blocks.length > maxBlocks) out.push(`${blocks.length} blocks > ${maxBlocks}`);
  const blockIds = new Set<string>();
  blocks.forEach((b, i) => {
    const where = `block ${i} (${b.type})`;
    if (b.block_id !== undefined) {
      if (b.block_id.length > SLACK_LIMITS.blockId) out.push(`${where}: block_id too long`);
      if (blockIds.has(b.block_id)) out.push(`${where}: duplicate block_id ${b.block_id}`);
      blockIds.add(b.block_id);
    }
    if (b.type === 'section') {
      if (b.text && b.text.text.length > SLACK_LIMITS.sectionText) out.push(`${where}: text ${b.text.text.length} > ${SLACK_LIMITS.sectionText}`);
      if (b.text && b.text.text.length === 0) out.push(`${where}: empty text`);
      if (b.fields && b.fields.length > SLACK_LIMITS.sectionFields) out.push(`${where}: too many fields`);
      for (const f of b.fields ?? []) if (f.text.length > SLACK_LIMITS.sectionFieldText) out.push(`${where}: field too long`);
      if (b.accessory?.type === 'button') out.push(...buttonViolations(b.accessory, where));
    }
    if (b.type === 'header' && b.text.text.length > SLACK_LIMITS.headerText) out.push(`${where}: header > ${SLACK_LIMITS.headerText}`);
    if (b.type === 'context' && b.elements.length > SLACK_LIMITS.contextElements) out.push(`${where}: > ${SLACK_LIMITS.contextElements} elements`);
    if (b.type === 'context') {
      for (const e of b.elements) if ('text' in e && typeof e.text === 'string' && e.text.length > SLACK_LIMITS.sectionText) out.push(`${where}: context text too long`);
    }
    if (b.type === 'actions') {
      if (b.elements.length > SLACK_LIMITS.actionsElements) out.push(`${where}: > ${SLACK_LIMITS.actionsElements} elements`);
      const actionIds = new Set<string>();
      for (const e of b.elements) {
        if ('action_id' in e && e.action_id !== undefined) {
          if (actionIds.has(e.action_id)) out.push(`${where}: duplicate action_id ${e.action_id}`);
          actionIds.add(e.action_id);
        }
        if (e.type === 'button') out.push(...buttonViolations(e, where));
      }
    }
    if (b.type === 'input' && b.element.type === 'static_select') {
      const opts = b.element.options ?? [];
      if (opts.length > SLACK_LIMITS.selectOptions) out.push(`${where}: too many options`);
      for (const o of opts) if (o.text.text.length > SLACK_LIMITS.optionText) out.push(`${where}: option text too long`);
    }
  });
  return out;
}

function buttonViolations(b: { text: { text: string }; value?: string; action_id?: string }, where: string): string[] {
  const out: string[] = [];
  if (b.text.text.length > SLACK_LIMITS.buttonText) out.push(`${where}: button text > ${SLACK_LIMITS.buttonText}`);
  if (b.value !== undefined && b.value.length > SLACK_LIMITS.buttonValue) out.push(`${where}: button value > ${SLACK_LIMITS.buttonValue}`);
  if (b.action_id !== undefined && b.action_id.length > SLACK_LIMITS.actionId) out.push(`${where}: action_id too long`);
  return out;
}

/**
 * The last guard before sending: at most `max` blocks (the tail is replaced by a note, never
 * silently dropped) and no section text over the limit.
 */
export function fitBlocks(blocks: KnownBlock[], max: number = SLACK_LIMITS.messageBlocks): KnownBlock[] {
  const clamped = blocks.map((b): KnownBlock => {
    if (b.type === 'section' && b.text && b.text.text.length > SLACK_LIMITS.sectionText) {
      return { ...b, text: { ...b.text, text: clamp(b.text.text, SLACK_LIMITS.sectionText) } };
    }
    return b;
  });
  if (clamped.length <= max) return clamped;
  const kept = clamped.slice(0, max - 1);
  kept.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…${clamped.length - kept.length} more parts not shown (Slack shows at most ${max} per message).` }] });
  return kept;
}

/** Long text as consecutive sections, each within the section limit, split at line breaks where possible. */
export function textSections(text: string, maxSections: number): KnownBlock[] {
  const limit = SLACK_LIMITS.sectionText;
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > 0 && chunks.length < maxSections) {
    if (rest.length <= limit) {
      chunks.push(rest);
      rest = '';
      break;
    }
    const cut = rest.lastIndexOf('\n', limit - 1);
    const at = cut > limit / 2 ? cut : limit - 1;
    chunks.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^\n/, '');
  }
  // Out of room: say so rather than cut mid-sentence without a mark.
  if (rest.length > 0 && chunks.length > 0) chunks[chunks.length - 1] = `${clamp(chunks[chunks.length - 1]!, limit - 2)} …`;
  return chunks.filter((c) => c.trim() !== '').map((c) => ({ type: 'section', text: { type: 'mrkdwn', text: c } }));
}
