import type { Command } from 'commander';

interface GroupOpts { name?: string; cadence?: string; anchor?: string; reportsTo?: string; json?: boolean }

export function register(program: Command): void {
  const groups = program.command('groups').description('Partnership and operational groups: cadence, reporting line, members, channels, meetings');
  const lazy = async () => {
    const [ctx, svc] = await Promise.all([import('../context.js'), import('../../services/groups.js')]);
    return { ...ctx, ...svc };
  };

  groups.command('list').option('--json', 'machine-readable output').action(async (opts: { json?: boolean }) => {
    const { withContext, printJson } = await lazy();
    await withContext(async (ctx) => {
      const rows = await ctx.db.group.findMany({
        where: { workspaceId: ctx.workspaceId },
        orderBy: { slug: 'asc' },
        include: {
          reportsTo: { select: { slug: true } },
          members: { include: { person: { select: { name: true } } } },
          channels: true,
          _count: { select: { actions: { where: { archivedAt: null } } } },
        },
      });
      const data = rows.map((g) => ({
        slug: g.slug, name: g.name, cadence: g.cadence, cadenceAnchor: g.cadenceAnchor, reportsTo: g.reportsTo?.slug ?? null,
        actions: g._count.actions,
        members: g.members.map((m) => ({ name: m.person.name, role: m.role })),
        channels: g.channels.map((c) => ({ platform: c.platform, conversationId: c.conversationId })),
      }));
      if (opts.json) return printJson(ctx, data);
      if (data.length === 0) ctx.out('No groups yet: `bragbot groups add <slug> --name "…"` or `bragbot import <file> --group <slug>`.');
      for (const g of data) {
        ctx.out(`${g.slug}: ${g.name} — ${g.cadence}${g.reportsTo ? `, reports to ${g.reportsTo}` : ''}, ${g.actions} actions`);
        for (const m of g.members) ctx.out(`    ${m.role}: ${m.name}`);
        for (const c of g.channels) ctx.out(`    ${c.platform} channel: ${c.conversationId}`);
      }
    });
  });

  for (const verb of ['add', 'set'] as const) {
    groups
      .command(`${verb} <slug>`)
      .description(verb === 'add' ? 'Create a group' : "Change a group's name, cadence or reporting line")
      .option('--name <name>', 'full name, e.g. "Children in Care and Care Leavers Strategic Partnership"')
      .option('--cadence <cadence>', 'monthly | bimonthly | quarterly | none')
      .option('--anchor <date>', 'a meeting date (YYYY-MM-DD) the cadence repeats from, same weekday of the month')
      .option('--reports-to <slug>', 'the group this one reports to')
      .action(async (slug: string, opts: GroupOpts) => {
        const { withContext, upsertGroup, getGroupBySlug } = await lazy();
        await withContext(async (ctx) => {
          const current = verb === 'set' ? await getGroupBySlug(ctx.db, ctx.workspaceId, slug) : null;
          const g = await upsertGroup(ctx.db, ctx.workspaceId, {
            slug,
            name: opts.name ?? current?.name ?? slug,
            cadence: (opts.cadence ?? current?.cadence ?? 'none') as 'none',
            ...(opts.anchor ? { cadenceAnchor: opts.anchor } : {}),
            ...(opts.reportsTo ? { reportsTo: opts.reportsTo } : {}),
          }, { by: ctx.operator, at: ctx.clock() });
          ctx.out(`${verb === 'add' ? 'saved' : 'updated'} group ${g.slug}: ${g.name} (${g.cadence})`);
        });
      });
  }

  groups
    .command('member <slug> <person>')
    .description('Give a person a role in a group (chair, manager, member, board-viewer, auditor, admin: docs/access.md); --remove to take it away')
    .requiredOption('--role <role>', 'chair | manager | member | board-viewer | auditor | admin')
    .option('--remove', 'remove the role')
    .action(async (slug: string, personKey: string, opts: { role: string; remove?: boolean }) => {
      const { withContext, getGroupBySlug, addMember, removeMember, GROUP_ROLES } = await lazy();
      const { isGroupRole } = await import('../../core/access.js');
      const { findPerson } = await import('../../services/people.js');
      const { BragbotError } = await import('../../core/errors.js');
      await withContext(async (ctx) => {
        if (!isGroupRole(opts.role)) throw new BragbotError('INPUT_INVALID', `--role must be one of ${GROUP_ROLES.join(', ')} (what each may do: docs/access.md)`);
        const role = opts.role;
        const group = await getGroupBySlug(ctx.db, ctx.workspaceId, slug);
        const person = await findPerson(ctx.db, ctx.workspaceId, personKey);
        if (!person) throw new BragbotError('NOT_FOUND', `no person "${personKey}": add them with \`bragbot people add\``);
        const change = { by: ctx.operator, at: ctx.clock() };
        if (opts.remove) {
          await removeMember(ctx.db, group.id, person.id, role, change);
          ctx.out(`${person.name} is no longer ${role} of ${group.slug}`);
        } else {
          await addMember(ctx.db, group.id, person.id, role, change);
          ctx.out(`${person.name} is ${role} of ${group.slug}`);
        }
      });
    });

  groups
    .command('close <slug>')
    .description("Record that a group's plan has closed (retention periods run from this date: docs/data-protection.md); --reopen to undo")
    .option('--date <YYYY-MM-DD>', 'the day it closed (London); default today')
    .option('--reopen', 'the plan is open again: nothing is purged')
    .action(async (slug: string, opts: { date?: string; reopen?: boolean }) => {
      const [{ withContext }, { closeGroup }, { londonDate, londonInstant }, { BragbotError }, { userInfo }] = await Promise.all([
        import('../context.js'), import('../../services/retention.js'), import('../../core/calendar.js'), import('../../core/errors.js'), import('node:os'),
      ]);
      await withContext(async (ctx) => {
        if (opts.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.date)) throw new BragbotError('INPUT_INVALID', `--date "${opts.date}": use YYYY-MM-DD`);
        const closedAt = opts.reopen ? null : londonInstant(opts.date ?? londonDate(ctx.clock()), '00:00');
        const g = await closeGroup(ctx.db, { workspaceId: ctx.workspaceId, slug, closedAt, now: ctx.clock(), by: { personId: null, name: `cli:${userInfo().username}`, channel: 'cli' } });
        ctx.out(g.closedAt ? `${g.slug}: plan closed on ${londonDate(g.closedAt)}; its history is kept for the group's retention periods from then (groups settings ${g.slug})` : `${g.slug}: plan open; nothing of it is purged`);
        if (g.legalHoldAt) ctx.out(`${g.slug} is under a legal hold: nothing of it is purged until it is lifted`);
      });
    });

  groups
    .command('hold <slug>')
    .description('Set (--on) or lift (--off) a legal hold: while it is set the purge deletes nothing of the group')
    .option('--on', 'set the hold')
    .option('--off', 'lift the hold')
    .option('--reason <text>', 'why (the request, claim or inquiry it is for): required with --on')
    .option('--by <name>', 'who is setting it (default cli:<your user name>)')
    .action(async (slug: string, opts: { on?: boolean; off?: boolean; reason?: string; by?: string }) => {
      const [{ withContext }, { setLegalHold }, { BragbotError }, { userInfo }, { londonMoment }] = await Promise.all([
        import('../context.js'), import('../../services/retention.js'), import('../../core/errors.js'), import('node:os'), import('../../core/text.js'),
      ]);
      await withContext(async (ctx) => {
        if (Boolean(opts.on) === Boolean(opts.off)) throw new BragbotError('INPUT_INVALID', 'say --on or --off');
        const r = await setLegalHold(ctx.db, { workspaceId: ctx.workspaceId, slug, on: Boolean(opts.on), by: opts.by ?? `cli:${userInfo().username}`, reason: opts.reason, now: ctx.clock() });
        const g = r.group;
        ctx.out(g.legalHoldAt ? `${g.slug}: legal hold on since ${londonMoment(g.legalHoldAt)} (${g.legalHoldReason}); nothing of it is purged` : `${g.slug}: no legal hold; retention applies`);
        if (!r.changed) ctx.out('(it was already so)');
      });
    });

  groups
    .command('partner <slug>')
    .description("Trust a partner organisation's Slack workspace or Teams tenant for this group (Slack Connect, Teams shared channels: docs/access.md); --remove to stop; with neither, list the partners and every change")
    .option('--slack-team <id>', "the partner's Slack team id (T…)")
    .option('--teams-tenant <guid>', "the partner's Entra tenant id")
    .option('--name <name>', 'what the group calls them, e.g. "North Yorkshire Police"')
    .option('--remove', 'stop trusting it')
    .option('--json', 'machine-readable output')
    .action(async (slug: string, opts: { slackTeam?: string; teamsTenant?: string; name?: string; remove?: boolean; json?: boolean }) => {
      const { withContext, getGroupBySlug, printJson } = await lazy();
      const { trustPartner, removePartner, listPartners } = await import('../../services/partners.js');
      const { BragbotError } = await import('../../core/errors.js');
      const { userInfo } = await import('node:os');
      const { londonMoment } = await import('../../core/text.js');
      await withContext(async (ctx) => {
        const group = await getGroupBySlug(ctx.db, ctx.workspaceId, slug);
        if (opts.slackTeam !== undefined && opts.teamsTenant !== undefined) throw new BragbotError('INPUT_INVALID', 'give one of --slack-team or --teams-tenant at a time');
        const org = opts.slackTeam !== undefined ? { platform: 'slack' as const, orgId: opts.slackTeam } : opts.teamsTenant !== undefined ? { platform: 'teams' as const, orgId: opts.teamsTenant } : null;
        if (!org) {
          if (opts.remove) throw new BragbotError('INPUT_INVALID', '--remove needs --slack-team <id> or --teams-tenant <guid>: which partner to stop trusting');
          const listed = await listPartners(ctx.db, group.id);
          if (opts.json) return printJson(ctx, { group: group.slug, ...listed });
          if (listed.partners.length === 0) ctx.out(`${group.slug} trusts no partner organisation: only people of this workspace and tenant act on its plan.`);
          for (const p of listed.partners) ctx.out(`${group.slug} trusts ${p.platform === 'slack' ? 'Slack workspace' : 'Teams tenant'} ${p.orgId}${p.name ? ` (${p.name})` : ''}`);
          for (const h of listed.history) ctx.out(`    ${londonMoment(h.at)} ${h.by}: ${h.change} ${h.platform} ${h.orgId}`);
          return;
        }
        // Who made the change, for the record: the operator's own account on this machine.
        const by = `cli:${userInfo().username}`;
        const change = opts.remove ? await removePartner(ctx.db, group.id, org, by, ctx.clock()) : await trustPartner(ctx.db, group.id, { ...org, name: opts.name }, by, ctx.clock());
        if (opts.json) return printJson(ctx, { group: group.slug, ...change });
        const what = `${change.platform === 'slack' ? 'Slack workspace' : 'Teams tenant'} ${change.orgId}`;
        ctx.out(
          change.outcome === 'trusted' ? `${group.slug} now trusts ${what}: its people added with \`people add … --${change.platform === 'slack' ? 'slack-team' : 'teams-tenant'} ${change.orgId}\` act with the roles this group gives them`
            : change.outcome === 'removed' ? `${group.slug} no longer trusts ${what}: its people's clicks and replies for this group are refused`
              : `${group.slug} ${opts.remove ? 'did not trust' : 'already trusts'} ${what}: nothing changed`,
        );
      });
    });

  groups
    .command('link <slug>')
    .description("Print a signed link to the group's plan page for one person (the plan, its history and the report versions to download; read-only, for members and the board: docs/access.md)")
    .requiredOption('--person <ref>', 'who it is for: a name, email, or Slack/Teams id')
    .option('--json', 'machine-readable output')
    .action(async (slug: string, opts: { person: string; json?: boolean }) => {
      const { withContext, getGroupBySlug, printJson } = await lazy();
      const [{ findPerson }, { mintPlanLink }, { BragbotError }, { londonMoment }] = await Promise.all([
        import('../../services/people.js'), import('../../web/pages/plan-link.js'), import('../../core/errors.js'), import('../../core/text.js'),
      ]);
      await withContext(async (ctx) => {
        const { PUBLIC_BASE_URL, LINK_SECRET, LINK_TTL_DAYS } = ctx.config;
        if (!PUBLIC_BASE_URL || !LINK_SECRET) {
          throw new BragbotError('CONFIG_INVALID', 'a link needs the web pages: set PUBLIC_BASE_URL (where people open links) and LINK_SECRET (openssl rand -base64 48), the same as `serve` runs with WEB_MODE=on');
        }
        const group = await getGroupBySlug(ctx.db, ctx.workspaceId, slug);
        const person = await findPerson(ctx.db, ctx.workspaceId, opts.person);
        if (!person) throw new BragbotError('NOT_FOUND', `no person "${opts.person}": add them with \`bragbot people add\``);
        const link = await mintPlanLink(
          { db: ctx.db, workspaceId: ctx.workspaceId, signer: { secret: LINK_SECRET, ttlDays: LINK_TTL_DAYS }, publicBaseUrl: PUBLIC_BASE_URL },
          { personId: person.id, groupId: group.id, channel: 'cli', now: ctx.clock() },
        );
        if (!link.ok) throw new BragbotError('FORBIDDEN', `no link made: ${person.name} cannot open ${group.slug}'s plan page. ${link.denial.reason} (\`bragbot groups member ${group.slug} "${person.name}" --role member\` or --role board-viewer)`);
        const { url, expiresAt } = link;
        if (opts.json) return printJson(ctx, { group: group.slug, person: person.name, url, expiresAt: expiresAt.toISOString() });
        ctx.out(url);
        ctx.out(`for ${person.name}: ${group.slug}'s plan and its papers, read-only; works until ${londonMoment(expiresAt)} (LINK_TTL_DAYS=${LINK_TTL_DAYS} days) and only while they are a member or board viewer of the group`);
      });
    });

  groups
    .command('channel <slug>')
    .description("Set the group's channel on a platform (where update rounds open their thread)")
    .requiredOption('--platform <platform>', 'slack | teams')
    .requiredOption('--id <conversationId>', 'Slack channel id (C…) or Teams channel conversation id (19:…@thread.tacv2)')
    .option('--team <id>', 'Teams team id / Slack workspace id')
    .option('--service-url <url>', 'Teams service URL (filled in automatically when the bot is added to the team)')
    .action(async (slug: string, opts: { platform: string; id: string; team?: string; serviceUrl?: string }) => {
      const { withContext, getGroupBySlug, setGroupChannel } = await lazy();
      const { BragbotError } = await import('../../core/errors.js');
      await withContext(async (ctx) => {
        if (opts.platform !== 'slack' && opts.platform !== 'teams') throw new BragbotError('INPUT_INVALID', '--platform must be slack or teams');
        const group = await getGroupBySlug(ctx.db, ctx.workspaceId, slug);
        await setGroupChannel(ctx.db, group.id, { platform: opts.platform, conversationId: opts.id, ...(opts.team ? { teamId: opts.team } : {}), ...(opts.serviceUrl ? { serviceUrl: opts.serviceUrl } : {}) }, { by: ctx.operator, at: ctx.clock() });
        ctx.out(`${group.slug}: ${opts.platform} channel set to ${opts.id}`);
      });
    });

  groups
    .command('settings <slug>')
    .description("Show or change a group's planner and report settings (README: Nudges); --set key=value, repeatable")
    .option('--set <key=value>', 'e.g. region=SCT, overdueNudgeEveryWorkingDays=10, workingHours.start=08:30, report.signOff="Sam Patel", report.sections="Leaving Care Service; Court Team; Fostering Panel", report.coverageLine=false', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--json', 'print the effective settings as JSON')
    .action(async (slug: string, opts: { set: string[]; json?: boolean }) => {
      const { withContext, getGroupBySlug, printJson, saveGroupSettings } = await lazy();
      const { GroupSettingsSchema, parseGroupSettings } = await import('../../core/settings.js');
      const { ReportSettingsSchema, reportSettingsFrom } = await import('../../core/report/settings.js');
      const { BragbotError } = await import('../../core/errors.js');
      await withContext(async (ctx) => {
        const group = await getGroupBySlug(ctx.db, ctx.workspaceId, slug);
        // Keep every key already stored (the report block lives beside the planner's keys).
        const raw = JSON.parse(group.settingsJson || '{}') as Record<string, unknown>;
        for (const pair of opts.set) {
          const eq = pair.indexOf('=');
          if (eq < 1) throw new BragbotError('INPUT_INVALID', `--set "${pair}": use key=value`);
          const path = pair.slice(0, eq).split('.');
          const text = pair.slice(eq + 1);
          let value: unknown = text;
          try {
            value = JSON.parse(text);
          } catch {
            // a bare word: keep it as text
          }
          let node = raw;
          for (const k of path.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
          node[path[path.length - 1]!] = value;
        }
        if (opts.set.length > 0) {
          // Strict when a person changes settings (say what is wrong now), lenient when the bot reads them.
          const { report, ...plannerKeys } = raw;
          const checked = GroupSettingsSchema.strict().safeParse(plannerKeys);
          const reportChecked = ReportSettingsSchema.safeParse(report ?? {});
          const issues = [
            ...(checked.success ? [] : checked.error.issues.map((i) => `${i.path.join('.') || '(settings)'}: ${i.message}`)),
            ...(reportChecked.success ? [] : reportChecked.error.issues.map((i) => `report.${i.path.join('.')}: ${i.message}${i.code === 'unrecognized_keys' ? ' (report settings: purpose, title, signOff, sections, coverageLine)' : ''}`)),
          ];
          if (issues.length > 0) throw new BragbotError('INPUT_INVALID', `settings not saved: ${issues.join('; ')}`);
          // Stored as read back: the section order as a list, an empty one removed.
          if (reportChecked.success && report !== undefined) {
            const cleaned = Object.fromEntries(Object.entries(reportChecked.data).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)));
            if (Object.keys(cleaned).length > 0) raw.report = cleaned;
            else delete raw.report;
          }
          await saveGroupSettings(ctx.db, group.id, JSON.stringify(raw), { by: ctx.operator, at: ctx.clock() });
        }
        const { settings, problems } = parseGroupSettings(JSON.stringify(raw));
        const effective = { ...settings, ...(raw.report !== undefined ? { report: raw.report } : {}) };
        if (opts.json) return printJson(ctx, { group: group.slug, settings: effective, problems });
        ctx.out(`${group.slug} settings${opts.set.length ? ' (saved)' : ''}:`);
        ctx.out(JSON.stringify(effective, null, 2));
        // The section order as a chair reads it, and how to change it without writing JSON.
        const order = reportSettingsFrom(JSON.stringify(raw)).sections ?? [];
        if (order.length > 0) {
          ctx.out('Highlight report sections, in this order (replies land in their team\'s place; sections not listed follow in the order posted):');
          order.forEach((name, i) => ctx.out(`  ${i + 1}. ${name}`));
        } else {
          ctx.out('Highlight report sections: in the order they are first posted (no order set).');
        }
        ctx.out(`  change with: bragbot groups settings ${group.slug} --set report.sections="First section; Second section; …"`);
        for (const p of problems) ctx.out(`problem: ${p}`);
      });
    });

  groups
    .command('meeting <slug> <date>')
    .description('Add a meeting on a date (YYYY-MM-DD), besides those the cadence gives')
    .option('--title <title>', 'e.g. "Strategic Partnership, January"')
    .action(async (slug: string, date: string, opts: { title?: string }) => {
      const { withContext, getGroupBySlug, addMeeting } = await lazy();
      await withContext(async (ctx) => {
        const group = await getGroupBySlug(ctx.db, ctx.workspaceId, slug);
        const m = await addMeeting(ctx.db, group.id, date, opts.title, { by: ctx.operator, at: ctx.clock() });
        ctx.out(`${group.slug}: meeting on ${m.date}${m.title ? ` (${m.title})` : ''}`);
      });
    });
}
