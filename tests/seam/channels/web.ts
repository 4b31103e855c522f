/**
 * The web for the shared suites: the real express app (src/web), a link per nudge as the email
 * carries one, the action page as the browser shows it, and its "set the status in one click"
 * form posted back, cookie, nonce and CSRF token included. What the person sees is the page that
 * comes back. Someone other than the owner clicks through a link made out to them (a chair's,
 * a stranger's, or one for a person bragbot no longer knows); when their page offers no form
 * (it says they cannot update the action), the form is sent anyway, as a forged request would
 * be: the server must refuse it in the interactions service, not rely on the page.
 */
import { tokenHash } from '../../../src/services/links.js';
import { csrfToken, CSRF_COOKIE } from '../../../src/web/security.js';
import { Client, SECRET, startWebHarness, type Page } from '../../web/support.js';
import { plainWords, type ChannelRun, type Delivery, type SeamChannel, type Surface, type Who } from './types.js';

interface WebSurface extends Surface {
  /** The owner's page as it was shown (its version is the one the buttons carry). */
  page: Page;
  client: Client;
  version: string;
  /** The action the owner's link is for (a forged surface names another). */
  shownActionId: string;
}

export const webChannel: SeamChannel = {
  name: 'web',
  async start(provider): Promise<ChannelRun> {
    const h = await startWebHarness(provider);
    const world = { ...h.world, db: h.database.db };
    const personOf = (who: Who): string => (who === 'unknown' ? 'clnosuchperson00000000000' : world[who === 'owner' ? 'owner' : who === 'chair' ? 'chair' : 'stranger'].id);

    /** The brag form of `page`, or one made by hand for its link when the page shows none. */
    async function bragForm(client: Client, url: string, page: Page, brag: string, version: string) {
      const shown = page.dom.window.document.querySelector('input[name="verb"][value="brag"]');
      if (shown) return client.form(page, 'brag', { version }, ['brag', brag]);
      const token = new URL(url).pathname.split('/').at(-1)!;
      const link = await world.db.signedLink.findUniqueOrThrow({ where: { tokenHash: tokenHash(token) } });
      const cookie = client.cookie(CSRF_COOKIE) ?? '';
      const nonce = 'forgedformnonce0000000';
      return { url, fields: [['nonce', nonce], ['csrf', csrfToken(SECRET, cookie, link.id, nonce)], ['verb', 'brag'], ['version', version], ['brag', brag]] as [string, string][] };
    }

    return {
      world,
      async present(actionId) {
        const client = new Client();
        const url = await h.link(world.owner.id, { purpose: 'action', actionId }, { route: 'email' });
        const page = await client.open(url);
        const version = (page.dom.window.document.querySelector('input[name="version"]') as HTMLInputElement | null)?.value ?? '';
        return { actionId, shownActionId: actionId, page, client, version } as WebSurface;
      },
      forge(surface, actionId) {
        return { ...(surface as WebSurface), actionId };
      },
      async click(surface, brag, who): Promise<Delivery> {
        const s = surface as WebSurface;
        let client = s.client;
        let page = s.page;
        let url = page.url;
        if (who !== 'owner' || s.actionId !== s.shownActionId) {
          // Their own link to the action the button names (the owner's link cannot name another action).
          client = new Client();
          url = await h.link(personOf(who), { purpose: 'action', actionId: s.actionId });
          page = await client.open(url);
        }
        const form = await bragForm(client, url, page, brag, s.version);
        const deliver = async () => {
          const res = await client.submit(form);
          if (res.status >= 500) throw new Error(`web answered ${res.status}: ${res.text} ${h.logs.filter((l) => l.includes('web page failed')).at(-1) ?? ''}`);
          return plainWords(res.text);
        };
        return { seen: await deliver(), replay: deliver };
      },
      stop: () => h.stop(),
    };
  },
};

