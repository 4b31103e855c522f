/** "Cancel" / "◀ Back" / "Keep it": the card the click came from, re-rendered. */
import { VERBS } from '../../ids.js';
import type { ClickHandler } from './click.js';

export const verb = VERBS.back;

export const handle: ClickHandler = async (c) => ({ card: await c.rerender(), outcome: 'shown' });
