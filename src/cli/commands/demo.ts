import type { Command } from 'commander';

/**
 * The demo's clock starts on a working morning in the York plan's life, so "overdue" reads as it
 * did then, and runs in real time from there: cards, snooze, reports, "my actions" and the CLI on
 * the demo's database all tell the same time (stored with the data, src/services/deployment-clock.ts).
 */
export const DEMO_AS_OF = '2021-07-01T09:00:00+01:00';

export function register(program: Command): void {
  program
    .command('demo')
    .description("The bot on the embedded database with York's plan and Microsoft's M365 Agents Playground (a local Teams client): no tenant needed")
    .option('--as-of <iso>', "a new demo database's clock starts at this moment and runs in real time from it", DEMO_AS_OF)
    .option('--no-playground', 'do not start the Playground (e.g. when Slack is configured instead)')
    .option('--playground-port <port>', 'Playground UI port', '56150')
    .option('--web-port <port>', 'port of the web pages and the demo mailbox (on 127.0.0.1)', '56160')
    .action(async (opts: { asOf: string; playground: boolean; playgroundPort: string; webPort: string }) => {
      const [{ loadConfig }, { createLogger }, { startBragbot }, { untilSignal, surviveStrayRejections }, { parseAsOf }, { realClock }, { storedClockStart }, { DemoMailbox }, { mailboxRoutes, MAILBOX_PATH }, { DEMO_EMAIL_OWNER }, { randomBytes }, { londonMoment: when }] = await Promise.all([
        import('../../config.js'),
        import('../../logging.js'),
        import('../../app/serve.js'),
        import('./serve.js'),
        import('../as-of.js'),
        import('../../clock.js'),
        import('../../services/deployment-clock.js'),
        import('../../adapters/email/mailbox.js'),
        import('../../web/pages/mailbox.js'),
        import('../../services/demo.js'),
        import('node:crypto'),
        import('../../core/text.js'),
      ]);
      const startsAt = parseAsOf(opts.asOf, realClock).at;
      // A real Teams app configured in .env means the Playground (unauthenticated) is not wanted.
      const usePlayground = opts.playground && !loadConfig(process.env).TEAMS_CLIENT_ID;
      // The demo's defaults; anything set in the environment (.env) wins.
      const config = loadConfig({
        TEAMS_MODE: usePlayground ? 'on' : 'off',
        TEAMS_DANGEROUSLY_ALLOW_UNAUTHENTICATED: usePlayground ? 'true' : 'false',
        SCHEDULER_CRON: '* * * * *',
        DISPATCH_INTERVAL_MS: '1000',
        // The web pages on this machine only, with a secret of this run's (the mailbox forgets its mail at exit too).
        WEB_MODE: 'on',
        WEB_HOST: '127.0.0.1',
        WEB_PORT: opts.webPort,
        PUBLIC_BASE_URL: `http://127.0.0.1:${opts.webPort}`,
        LINK_SECRET: randomBytes(32).toString('base64url'),
        ...process.env,
      });
      // With no SMTP_URL in the environment, mail goes to the demo's mailbox page instead of a server.
      const mailbox = config.WEB_MODE === 'on' && !config.SMTP_URL ? new DemoMailbox() : null;
      const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
      surviveStrayRejections(logger);
      const out = (line: string) => process.stdout.write(`${line}\n`);
      const running = await startBragbot({
        config,
        logger,
        demo: { startsAt },
        scheduling: usePlayground ? 'deferred' : 'now',
        emailTransport: mailbox?.transport,
        webRoutes: mailbox ? [mailboxRoutes(mailbox)] : [],
      });
      mailbox?.useClock(running.clock);
      let stopPlayground: (() => Promise<void>) | undefined;
      try {
        const stored = await storedClockStart(running.database.db);
        out(
          stored
            ? `bragbot demo: database ${config.DATABASE_URL}; its clock started at ${when(stored.startsAt)} and now says ${when(running.clock())} (York's plan, 2021; delete the database to start again)`
            : `bragbot demo: database ${config.DATABASE_URL} already held plans, so it keeps the machine's clock (${when(running.clock())})`,
        );
        if (mailbox && running.webUrl) {
          out('');
          out(`  Email: ${DEMO_EMAIL_OWNER.name} (the NHS trust's nurse) has no chat account, so bragbot emails her nudges.`);
          out(`  They land in the demo mailbox: open ${running.webUrl}${MAILBOX_PATH} and follow a link to the form she gets.`);
        } else if (config.SMTP_URL) {
          out(`  Email: mail goes out through SMTP_URL (${DEMO_EMAIL_OWNER.name} is ${DEMO_EMAIL_OWNER.email}).`);
        }
        if (usePlayground && running.teamsUrl) {
          const { startPlayground, PLAYGROUND_DEMO_PEOPLE } = await import('../../adapters/teams/playground.js');
          const playground = await startPlayground({ botEndpoint: `${running.teamsUrl}/api/messages`, port: Number(opts.playgroundPort) });
          stopPlayground = () => playground.stop();
          out('');
          out(`  Open ${playground.url} in your browser: you are ${PLAYGROUND_DEMO_PEOPLE.owner.name}, an action owner.`);
          out('  Your overdue nudge arrives as a card; click Amber (or Update progress…) and watch it update in place.');
          out('  Type "help", "my actions" or "highlight-report" in the chat.');
          out('');
          out('  Waiting for the Playground to say hello (it does when the page opens)…');
          // Nudges go where people can be reached: plan only once the demo owner's Teams chat exists.
          const owner = await running.database.db.person.findFirstOrThrow({ where: { workspaceId: running.workspaceId, email: PLAYGROUND_DEMO_PEOPLE.owner.email } });
          const signal = untilSignal();
          let stopped = false;
          void signal.then(() => (stopped = true));
          while (!stopped && (await running.database.db.conversationRef.count({ where: { personId: owner.id, platform: 'teams' } })) === 0) {
            await new Promise((r) => setTimeout(r, 1000));
          }
          if (!stopped) {
            running.startScheduling();
            out(`  Connected: planning nudges now. Ctrl-C to stop.`);
          }
          await signal;
        } else {
          out('  No Playground: messages go to Slack if configured, else they are printed here. Ctrl-C to stop.');
          await untilSignal();
        }
      } finally {
        await stopPlayground?.();
        await running.stop();
      }
    });
}
