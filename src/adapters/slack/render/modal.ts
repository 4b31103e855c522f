/** The "Update progress…" modal: status, where are we now, evidence, revised date, a note. */
import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { Brag } from '../../../core/brag.js';
import type { ProgressFormOutcome } from '../../../services/interactions/index.js';
import { CALLBACK_IDS } from '../ids.js';
import { dueText, actionTitle } from './action-blocks.js';
import { SLACK_LIMITS } from './limits.js';
import { bragPlain, clamp } from './text.js';

/** Block and action ids of the modal's inputs: the submission handler reads them back. */
export const PROGRESS_FIELDS = {
  status: { block: 'status', action: 'brag' },
  progress: { block: 'progress', action: 'text' },
  evidence: { block: 'evidence', action: 'text' },
  revisedDue: { block: 'revised_due', action: 'text' },
  note: { block: 'note', action: 'text' },
} as const;

const BRAG_CHOICES: readonly Brag[] = ['green', 'amber', 'red', 'blue'];
const option = (b: Brag): PlainTextOption => ({ text: { type: 'plain_text', text: bragPlain(b) }, value: b });

/** The most characters Slack pre-fills in (and accepts from) a plain_text_input. */
export const SLACK_INPUT_MAX = 3000;

type Form = Extract<ProgressFormOutcome, { kind: 'form' }>;

/** A text input's hint: what the field is for, and, when it was too long to pre-fill, where to edit it in full. */
function hintFor(form: Form, field: 'progress' | 'evidence', usual?: string) {
  const omitted = form.omitted.find((o) => o.field === field)?.text;
  const text = omitted ?? usual;
  return text ? { hint: { type: 'plain_text' as const, text: clamp(text, 2000) } } : {};
}

/**
 * The form as the interactions service allows it: a field is pre-filled only when Slack can
 * show it whole (issue 10 pt 4); one that is too long is left empty, with a hint saying it is
 * kept and where to edit it in full.
 */
export function progressModal(form: Form, privateMetadata: string): ModalView {
  const card = form.action;
  const max = (n: number) => Math.min(n, SLACK_INPUT_MAX);
  const current = card.brag === 'unrated' ? undefined : option(card.brag);
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: clamp(`${actionTitle(card, 600)}\nDue ${dueText(card)}`, SLACK_LIMITS.sectionText) } },
    {
      type: 'input',
      block_id: PROGRESS_FIELDS.status.block,
      label: { type: 'plain_text', text: 'Status' },
      element: { type: 'static_select', action_id: PROGRESS_FIELDS.status.action, options: BRAG_CHOICES.map(option), ...(current ? { initial_option: current } : {}) },
    },
    {
      type: 'input',
      block_id: PROGRESS_FIELDS.progress.block,
      optional: true,
      label: { type: 'plain_text', text: 'Where are we now?' },
      ...hintFor(form, 'progress'),
      element: { type: 'plain_text_input', action_id: PROGRESS_FIELDS.progress.action, multiline: true, max_length: max(form.limits.progress), ...(form.prefill.progress ? { initial_value: form.prefill.progress } : {}) },
    },
    {
      type: 'input',
      block_id: PROGRESS_FIELDS.evidence.block,
      optional: true,
      label: { type: 'plain_text', text: 'Evidence' },
      ...hintFor(form, 'evidence', 'Figures, documents, links: what shows the progress.'),
      element: { type: 'plain_text_input', action_id: PROGRESS_FIELDS.evidence.action, multiline: true, max_length: max(form.limits.evidence), ...(form.prefill.evidence ? { initial_value: form.prefill.evidence } : {}) },
    },
    {
      type: 'input',
      block_id: PROGRESS_FIELDS.revisedDue.block,
      optional: true,
      label: { type: 'plain_text', text: 'Revised date' },
      hint: { type: 'plain_text', text: 'Only if the date changes: day/month/year (31/03/2027), a month (Mar-27) or Ongoing.' },
      element: { type: 'plain_text_input', action_id: PROGRESS_FIELDS.revisedDue.action, max_length: max(form.limits.revisedDue), placeholder: { type: 'plain_text', text: 'e.g. 31/03/2027' } },
    },
    {
      type: 'input',
      block_id: PROGRESS_FIELDS.note.block,
      optional: true,
      label: { type: 'plain_text', text: 'Note for the chair' },
      element: { type: 'plain_text_input', action_id: PROGRESS_FIELDS.note.action, multiline: true, max_length: max(form.limits.note) },
    },
  ];
  return {
    type: 'modal',
    callback_id: CALLBACK_IDS.progressModal,
    title: { type: 'plain_text', text: clamp(`Update ${card.ref || 'action'}`, SLACK_LIMITS.modalTitle) },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: privateMetadata,
    blocks,
  };
}
