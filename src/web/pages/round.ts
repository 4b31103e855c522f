/**
 * The update-round page (purpose 'round'): a lead writes their team's section of the highlight
 * report. (Filled in below the skeleton: until then it says so.)
 */
import { html } from '../html.js';
import type { LinkPage } from '../link-page.js';

export const roundPage: LinkPage = {
  purpose: 'round',
  get: async () => ({ title: 'Your update for the meeting', main: html`<p>This page is not ready yet.</p>` }),
};
