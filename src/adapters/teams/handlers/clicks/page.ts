/** ◀ Previous / Next ▶ on "my actions". */
import { VERBS } from '../../ids.js';
import { actionListCard, type ClickHandler } from './click.js';

export const verb = VERBS.page;

export const handle: ClickHandler = async (c) => ({ card: await actionListCard(c.deps, c.who.person, c.now, c.click.data.p ?? 0), outcome: 'shown' });
