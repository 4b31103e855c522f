/**
 * `bragbot nudges plan|run`: the nudge planner from the command line.
 *
 * `bragbot nudges plan [--as-of <ISO datetime>] [--group <slug>] [--json]` prints what would be
 * sent and to whom, and writes nothing. `--json` prints one object:
 *
 *   {
 *     "asOf": "2021-07-01T08:00:00.000Z",          // the planner's now (ISO, UTC)
 *     "catchUp": false,                              // true after a working day or more without a plan
 *     "groups": [{
 *       "slug": "york-ops", "name": "…", "region": "ENG",
 *       "today": "2021-07-01",                       // the London working day planned for
 *       "sendAt": "2021-07-01T08:00:00.000Z",        // when its messages go (quiet hours respected)
 *       "updateRoundFor": "2021-07-14" | null,       // meeting whose update round is open
 *       "meetings": [{ "date": "2021-07-14", "source": "cadence"|"explicit", "movedFrom"?: "…", "bankHoliday"?: "…" }],
 *       "overdue": [{ "actionId", "ref", "activity", "brag", "dueRaw", "dueDate", "workingDaysOverdue", "owners": ["name"] }],
 *       "dueSoon": [ same shape, "workingDaysOverdue": 0 ],
 *       "settingsProblems"?: ["…"]
 *     }],
 *     "messages": [{
 *       "idempotencyKey": "nudge:<personId>:2021-07-01",
 *       "kind": "overdue"|"due-soon"|"stale"|"update-round"|"thread-open"|"escalation"|"digest"|"not-mine",
 *       "to": { "type": "person", "personId", "name" } | { "type": "group-channel", "groupId", "groupName" },
 *       "platform": "slack"|"teams"|"console",
 *       "undeliverable": null | "why it cannot be delivered",
 *       "notBefore": "2021-07-01T08:00:00.000Z",
 *       "alreadyPlanned": false,                     // the key is in the outbox: a run would add nothing
 *       "actions": [{ "actionId", "ref", "group", "reasons": ["overdue", …] }],
 *       "text": "the message as plain text"
 *     }],
 *     "unrouted": [{ "group", "actionId", "ref", "reason", "problem" }]   // needs attention, nobody to tell
 *   }
 *
 * `bragbot nudges run [--as-of <ISO datetime>] [--group <slug>] [--json]` runs one cycle now:
 * plan -> outbox -> dispatch. With no chat platform configured it sends through the console
 * port (prints each message). With Slack or Teams configured it refuses, saying why: Slack and
 * Teams sends go from `bragbot serve`, and a cycle `--as-of` another moment would tell real
 * people that moment's counts (README: the CLI table).
 */
import type { Command } from 'commander';

interface NudgeOpts {
  asOf?: string;
  group?: string;
  json?: boolean;
}

export function register(program: Command): void {
  const nudges = program.command('nudges').description('Nudges, update rounds and escalations: dry-run the plan, or run one cycle now');

  nudges
    .command('plan')
    .description('Print what would be sent, to whom and when, without writing or sending anything')
    .option('--as-of <datetime>', 'plan as of this moment, with the plan as it stood then: YYYY-MM-DD (the end of that day in London) or an ISO date-time, e.g. 2021-07-01T09:00 (default: now)')
    .option('--group <slug>', 'only this group')
    .option('--json', 'machine-readable output (shape documented in src/cli/commands/nudges.ts)')
    .action(async (opts: NudgeOpts) => {
      const [{ withContext, printJson }, { planCycle }, outbox, { renderText }, { enabledPlatforms }, groups, sched, { parseAsOf }, { overdueText }, { londonMoment }] = await Promise.all([
        import('../context.js'),
        import('../../scheduling/cycle.js'),
        import('../../delivery/outbox.js'),
        import('../../delivery/render-text.js'),
        import('../../delivery/ports.js'),
        import('../../services/groups.js'),
        import('../../scheduling/scheduler.js'),
        import('../as-of.js'),
        import('../../core/overdue.js'),
        import('../../core/text.js'),
      ]);
      await withContext(async (ctx) => {
        const asOf = parseAsOf(opts.asOf, ctx.clock);
        const now = asOf.at;
        if (opts.group) await groups.getGroupBySlug(ctx.db, ctx.workspaceId, opts.group);
        const state = await ctx.db.schedulerState.findUnique({ where: { job: sched.planJob(ctx.workspaceId) } });
        const lastRunAt = state && state.lastRunAt < now ? state.lastRunAt : null;
        // --as-of a moment already past: the plan as it stood then, rebuilt from the history.
        const plan = await planCycle(ctx.db, { workspaceId: ctx.workspaceId, now, groupSlug: opts.group, lastRunAt, asOf: asOf.given && now < ctx.clock() });
        const platforms = enabledPlatforms(ctx.config);
        const reach = await outbox.loadReachability(ctx.db, plan.messages.map((m) => m.recipient));
        const already = await outbox.existingKeys(ctx.db, plan.messages.map((m) => m.idempotencyKey));
        const refOf = new Map<string, { ref: string; group: string }>();
        for (const m of plan.messages) {
          const cards = m.message.kind === 'not-mine' ? [m.message.action] : 'actions' in m.message ? m.message.actions : [];
          for (const c of cards) refOf.set(c.actionId, { ref: c.ref, group: c.groupSlug });
        }
        const card = (c: { actionId: string; ref: string; activity: string; brag: string; dueRaw: string; dueDate: string | null; daysOverdue: number; ownerNames: string[] }) => ({
          actionId: c.actionId, ref: c.ref, activity: c.activity, brag: c.brag, dueRaw: c.dueRaw, dueDate: c.dueDate, workingDaysOverdue: c.daysOverdue, owners: c.ownerNames,
        });
        const data = {
          asOf: now.toISOString(),
          catchUp: plan.catchUp,
          groups: plan.groups.map((g) => ({
            slug: g.slug,
            name: g.name,
            region: g.region,
            today: g.today,
            sendAt: g.sendAt.toISOString(),
            updateRoundFor: g.updateRoundFor,
            meetings: g.meetings.map((m) => ({ date: m.date, source: m.source, ...(m.movedFrom ? { movedFrom: m.movedFrom } : {}), ...(m.bankHoliday ? { bankHoliday: m.bankHoliday } : {}) })),
            overdue: g.overdue.map(card),
            dueSoon: g.dueSoon.map(card),
            ...(g.settingsProblems ? { settingsProblems: g.settingsProblems } : {}),
          })),
          messages: plan.messages.map((m) => {
            const choice = outbox.choosePlatform(m.recipient, reach, platforms);
            return {
              idempotencyKey: m.idempotencyKey,
              kind: m.kind,
              to: m.recipient.type === 'person'
                ? { type: 'person', personId: m.recipient.personId, name: m.recipient.name }
                : { type: 'group-channel', groupId: m.recipient.groupId, groupName: m.recipient.groupName },
              platform: choice.platform,
              undeliverable: choice.problem ?? null,
              notBefore: m.notBefore.toISOString(),
              alreadyPlanned: already.has(m.idempotencyKey),
              actions: m.actionIds.map((id) => ({ actionId: id, ref: refOf.get(id)?.ref ?? null, group: refOf.get(id)?.group ?? null, reasons: m.reasonsByAction[id] ?? [] })),
              text: renderText(m.message),
            };
          }),
          unrouted: plan.unrouted.map((u) => ({ group: u.groupSlug, actionId: u.actionId, ref: u.ref, reason: u.reason, problem: u.problem })),
        };
        if (opts.json) return printJson(ctx, data);

        ctx.out(`Nudge plan as of ${londonMoment(now)}${plan.catchUp ? ' (catch-up)' : ''}: nothing is written or sent.`);
        for (const g of data.groups) {
          ctx.out(`\n${g.name} [${g.slug}, ${g.region}] — ${g.today}, messages go at ${g.sendAt}`);
          ctx.out(`  overdue: ${g.overdue.length ? g.overdue.map((a) => `${a.ref} (${overdueText(a.workingDaysOverdue)})`).join(', ') : 'none'}`);
          if (g.dueSoon.length) ctx.out(`  due soon: ${g.dueSoon.map((a) => a.ref).join(', ')}`);
          if (g.updateRoundFor) ctx.out(`  update round open for the meeting on ${g.updateRoundFor}`);
          for (const p of g.settingsProblems ?? []) ctx.out(`  settings: ${p}`);
        }
        ctx.out(`\n${data.messages.length} message(s):`);
        for (const m of data.messages) {
          const to = m.to.type === 'person' ? m.to.name : `#${m.to.groupName}`;
          const flags = [m.alreadyPlanned ? 'already planned' : '', m.undeliverable ? `UNDELIVERABLE: ${m.undeliverable}` : ''].filter(Boolean).join('; ');
          ctx.out(`\n→ ${to} via ${m.platform}, ${m.kind}, not before ${m.notBefore}${flags ? ` (${flags})` : ''}\n${m.text}`);
        }
        if (data.unrouted.length) {
          ctx.out(`\n${data.unrouted.length} item(s) with nobody to tell:`);
          for (const u of data.unrouted) ctx.out(`  ${u.group}${u.ref ? ` ${u.ref}` : ''} (${u.reason}): ${u.problem}`);
        }
      });
    });

  nudges
    .command('run')
    .description('Run one cycle now: plan, write the outbox, send what is due (console when no chat platform is configured)')
    .option('--as-of <datetime>', 'plan as of this ISO date-time (default: now)')
    .option('--group <slug>', 'only plan for this group')
    .option('--json', 'machine-readable summary')
    .action(async (opts: NudgeOpts) => {
      const [{ withContext, printJson }, { runNudgeCycle }, { Dispatcher }, { ConsoleChatPort }, { enabledPlatforms }, { BragbotError }, groups, sched, { parseAsOf }] = await Promise.all([
        import('../context.js'),
        import('../../scheduling/cycle.js'),
        import('../../delivery/dispatcher.js'),
        import('../../delivery/console-port.js'),
        import('../../delivery/ports.js'),
        import('../../core/errors.js'),
        import('../../services/groups.js'),
        import('../../scheduling/scheduler.js'),
        import('../as-of.js'),
      ]);
      await withContext(async (ctx) => {
        const asOf = parseAsOf(opts.asOf, ctx.clock);
        const now = asOf.at;
        const platforms = enabledPlatforms(ctx.config);
        if (!platforms.includes('console')) {
          // Refused on purpose, not sent (README: the CLI table). Real people would get messages
          // planned for another day: counts, "due soon" and update rounds for that day, not today's.
          if (asOf.given) {
            throw new BragbotError('INPUT_INVALID', `\`nudges run --as-of\` sends nothing while Slack or Teams is configured: a cycle planned as of ${asOf.date} would send real people the counts and dates of that day, not today's. See what it would send with \`bragbot nudges plan --as-of ${opts.asOf ?? asOf.date}\`; \`bragbot serve\` sends today's messages on its schedule.`);
          }
          // The chat connections (and the one dispatcher that sends each message once) live in serve.
          throw new BragbotError('INPUT_INVALID', 'Slack, Teams or email is configured: their messages are sent by `bragbot serve` on its schedule, which holds the chat connections, so each message goes once. Use `bragbot nudges plan` to preview, or set SLACK_MODE=off, TEAMS_MODE=off and no SMTP_URL to print them here.');
        }
        if (opts.group) await groups.getGroupBySlug(ctx.db, ctx.workspaceId, opts.group);
        const state = await ctx.db.schedulerState.findUnique({ where: { job: sched.planJob(ctx.workspaceId) } });
        const lastRunAt = state && state.lastRunAt < now ? state.lastRunAt : null;
        const { plan, written } = await runNudgeCycle(ctx.db, { workspaceId: ctx.workspaceId, now, platforms, lastRunAt, groupSlug: opts.group });
        // In --json mode the console port's text goes to stderr, so stdout stays one JSON object.
        const port = new ConsoleChatPort(opts.json ? (t) => process.stderr.write(t) : (t) => ctx.out(t.trimEnd()));
        const dispatcher = new Dispatcher({ db: ctx.db, provider: ctx.database.provider, ports: [port], instanceId: `${ctx.config.INSTANCE_ID}:cli`, logger: ctx.logger, clock: ctx.clock });
        const sent = await dispatcher.drain({ maxWaitMs: 5_000 });
        const waiting = await ctx.db.outboxMessage.findMany({ where: { status: 'pending', platform: 'console' }, orderBy: { notBefore: 'asc' }, select: { notBefore: true } });
        const summary = {
          asOf: now.toISOString(),
          planned: plan.messages.length,
          inserted: written.inserted.length,
          alreadyPlanned: written.existing.length,
          undeliverable: written.undeliverable.length,
          sent: sent.sent,
          retried: sent.retried,
          failed: sent.failed,
          waiting: waiting.length,
          nextNotBefore: waiting[0]?.notBefore.toISOString() ?? null,
        };
        if (opts.json) return printJson(ctx, summary);
        ctx.out(
          `planned ${summary.planned} message(s): ${summary.inserted} new, ${summary.alreadyPlanned} already in the outbox, ${summary.undeliverable} undeliverable; ` +
            `sent ${summary.sent}, failed ${summary.failed}${summary.waiting ? `; ${summary.waiting} waiting (next not before ${summary.nextNotBefore})` : ''}`,
        );
      });
    });
}
