/**
 * Small builders for Adaptive Card JSON (schema 1.5, what Teams renders), typed with the SDK's
 * card interfaces. Plain objects, not the SDK's builder classes: what is rendered is exactly
 * what is sent, tested and validated by the official parser (tests/teams/cards.test.ts).
 */
import type {
  CardElement,
  IActionSet,
  IAdaptiveCard,
  IChoiceSetInput,
  IContainer,
  IDateInput,
  IExecuteAction,
  ISubmitAction,
  ITextBlock,
  ITextInput,
} from '@microsoft/teams.cards';
import { CardData, INPUTS, type CardScope, type Verb } from '../ids.js';

export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const CARD_VERSION = '1.5';

export type Element = CardElement;
type ButtonData = Omit<CardData, 'bb' | 'verb'>;

export function card(body: Element[], o: { speak?: string | undefined } = {}): IAdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    // Full width: action titles and plan text are long; the default bubble wraps them badly.
    msteams: { width: 'full' },
    ...(o.speak ? { speak: o.speak } : {}),
    body: body as IAdaptiveCard['body'],
  };
}

export function text(value: string, o: Partial<Omit<ITextBlock, 'type' | 'text'>> = {}): ITextBlock {
  return { type: 'TextBlock', text: value, wrap: true, ...o };
}

export function heading(value: string): ITextBlock {
  return text(value, { size: 'Medium', weight: 'Bolder', style: 'heading' } as Partial<ITextBlock>);
}

export function container(items: Element[], o: Partial<Omit<IContainer, 'type' | 'items'>> = {}): IContainer {
  return { type: 'Container', items: items as IContainer['items'], ...o };
}

/**
 * A button that records something: Action.Execute (Universal Actions: the bot answers with
 * the refreshed card, shown in place to whoever clicked) with an Action.Submit fallback for
 * hosts without Universal Actions (the bot then edits the message; see card-submit handler).
 */
export function button(title: string, verb: Verb, data: ButtonData, o: { style?: 'positive' | 'destructive'; tooltip?: string } = {}): IExecuteAction {
  const payload = { bb: 1 as const, ...stripUndefined(data) };
  const fallback: ISubmitAction = { type: 'Action.Submit', title, data: { ...payload, verb } };
  return {
    type: 'Action.Execute',
    title,
    verb,
    data: payload,
    ...(o.style ? { style: o.style } : {}),
    ...(o.tooltip ? { tooltip: o.tooltip } : {}),
    fallback,
  };
}

export function actionSet(actions: IExecuteAction[], o: Partial<Omit<IActionSet, 'type' | 'actions'>> = {}): IActionSet {
  return { type: 'ActionSet', actions, ...o };
}

export function textInput(id: string, label: string, o: { value?: string; multiline?: boolean; maxLength?: number; placeholder?: string } = {}): ITextInput {
  return {
    type: 'Input.Text',
    id,
    label,
    isMultiline: o.multiline ?? false,
    ...(o.maxLength ? { maxLength: o.maxLength } : {}),
    ...(o.value ? { value: o.value } : {}),
    ...(o.placeholder ? { placeholder: o.placeholder } : {}),
  };
}

export function dateInput(id: string, label: string): IDateInput {
  return { type: 'Input.Date', id, label };
}

export function choiceInput(id: string, label: string, choices: { title: string; value: string }[], value?: string): IChoiceSetInput {
  return { type: 'Input.ChoiceSet', id, label, style: 'compact', choices, ...(value ? { value } : {}) } as IChoiceSetInput;
}

/**
 * The card's scope as an invisible input: Action.Execute gathers every input of the card, so
 * each click brings it back and the bot can re-render the whole card (see ids.ts, CardScope).
 */
export function scopeInput(scope: CardScope): ITextInput {
  return { type: 'Input.Text', id: INPUTS.scope, isVisible: false, value: JSON.stringify(scope) };
}

function stripUndefined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Bytes of the card as sent (UTF-8 JSON). */
export const cardBytes = (c: IAdaptiveCard): number => Buffer.byteLength(JSON.stringify(c), 'utf8');
