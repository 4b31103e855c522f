/** "Update progress…": the form the interactions service allows (refused before a form the person could not save). */
import { openProgressForm } from '../../../../services/interactions/index.js';
import { renderProgressForm, TEAMS_PREFILL_MAX } from '../../cards/interactive.js';
import { VERBS } from '../../ids.js';
import { need, refusedCard, type ClickHandler } from './click.js';

export const verb = VERBS.progressOpen;

export const handle: ClickHandler = async (c) => {
  const actionId = need(c.click.data.a, 'action');
  const form = await openProgressForm(c.deps.db, { workspaceId: c.deps.workspaceId, caller: c.caller, channel: 'teams', now: c.now, actionId, prefillMax: TEAMS_PREFILL_MAX });
  if (form.kind === 'refused') return refusedCard(c, form, false);
  return { card: renderProgressForm(form, c.click.scope), outcome: 'shown' };
};
