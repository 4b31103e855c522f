import type { Command } from 'commander';

interface PersonOpts { name?: string; email?: string; team?: string; role?: string; slack?: string; slackTeam?: string; teams?: string; teamsTenant?: string; manager?: string; admin?: boolean; routes?: string; json?: boolean }

export function register(program: Command): void {
  const people = program.command('people').description('Owners, chairs and managers, and how Slack and Teams know them');
  const lazy = async () => {
    const [ctx, svc] = await Promise.all([import('../context.js'), import('../../services/people.js')]);
    return { ...ctx, ...svc };
  };

  people.command('list').option('--json', 'machine-readable output').action(async (opts: { json?: boolean }) => {
    const { withContext, printJson } = await lazy();
    await withContext(async (ctx) => {
      const rows = await ctx.db.person.findMany({
        where: { workspaceId: ctx.workspaceId },
        orderBy: { name: 'asc' },
        include: { manager: { select: { name: true } }, _count: { select: { ownerships: true } } },
      });
      const data = rows.map((p) => ({
        name: p.name, email: p.email, team: p.team, role: p.role, slackUserId: p.slackUserId, teamsUserId: p.teamsUserId,
        slackTeamId: p.slackTeamId, teamsTenantId: p.teamsTenantId,
        routes: p.routes ? p.routes.split(',') : null, manager: p.manager?.name ?? null, isAdmin: p.isAdmin, actionsOwned: p._count.ownerships,
      }));
      if (opts.json) return printJson(ctx, data);
      for (const p of data) {
        const ids = [p.email, p.slackUserId && `slack ${p.slackUserId}${p.slackTeamId ? ` of partner workspace ${p.slackTeamId}` : ''}`, p.teamsUserId && `teams ${p.teamsUserId}${p.teamsTenantId ? ` of partner tenant ${p.teamsTenantId}` : ''}`].filter(Boolean).join(', ');
        ctx.out(`${p.name}${p.role ? `, ${p.role}` : ''}${p.team ? ` (${p.team})` : ''} — ${ids || 'not mapped to chat yet'}; owns ${p.actionsOwned}${p.routes ? `; routes ${p.routes.join(' → ')}` : ''}${p.manager ? `; manager ${p.manager}` : ''}${p.isAdmin ? '; admin' : ''}`);
      }
    });
  });

  const withPersonOptions = (c: Command) =>
    c
      .option('--name <name>', 'full name (set: rename)')
      .option('--email <email>', 'work email (used to find them in Slack)')
      .option('--team <team>', 'team or service they lead: their section heading in highlight reports')
      .option('--role <role>', 'job title, e.g. "Group Manager – Achieving Permanence"')
      .option('--slack <id>', 'Slack member id (U…)')
      .option('--slack-team <id>', "a partner's Slack account: the workspace it belongs to (T…, Slack Connect); \"\" for ours")
      .option('--teams <id>', 'Teams user id (AAD object id)')
      .option('--teams-tenant <guid>', "a partner's Teams account: the Entra tenant it belongs to (shared channel); \"\" for ours")
      .option('--manager <person>', 'their line manager (name or email), who hears about escalations')
      .option('--routes <routes>', 'how to reach them, preferred first: teams-chat, slack-dm, email (e.g. email,teams-chat); "default" = every route they have, Teams, Slack, then email')
      .option('--admin', 'may update any action in the workspace');

  withPersonOptions(people.command('add <name>').description('Add a person (or update one with the same email/name)')).action(async (name: string, opts: PersonOpts) => {
    const { withContext, upsertPerson } = await lazy();
    await withContext(async (ctx) => {
      const routes = await routesValue(opts.routes);
      const p = await upsertPerson(ctx.db, ctx.workspaceId, { ...personInput(opts), name }, { by: ctx.operator, at: ctx.clock() });
      if (routes !== undefined) await ctx.db.person.update({ where: { id: p.id }, data: { routes } });
      ctx.out(`saved ${p.name}`);
    });
  });

  withPersonOptions(people.command('set <person>').description('Change a person found by name, email or chat id')).action(async (key: string, opts: PersonOpts) => {
    const { withContext, findPerson, upsertPerson, renamePerson } = await lazy();
    const { BragbotError } = await import('../../core/errors.js');
    await withContext(async (ctx) => {
      const current = await findPerson(ctx.db, ctx.workspaceId, key);
      if (!current) throw new BragbotError('NOT_FOUND', `no person "${key}"`);
      const change = { by: ctx.operator, at: ctx.clock() };
      const routes = await routesValue(opts.routes);
      if (opts.name && opts.name !== current.name) await renamePerson(ctx.db, current.id, opts.name, change);
      const p = await upsertPerson(ctx.db, ctx.workspaceId, { ...personInput(opts), name: opts.name ?? current.name, ...(current.email && !opts.email ? { email: current.email } : {}) }, change);
      if (routes !== undefined) await ctx.db.person.update({ where: { id: p.id }, data: { routes } });
      ctx.out(`updated ${p.name}${opts.routes ? `; routes: ${opts.routes === 'default' ? 'default (Teams chat, Slack DM, email: those they have)' : opts.routes}` : ''}`);
    });
  });

  people
    .command('export <person>')
    .description('Everything bragbot holds about a person (a subject access request): a zip of readable files (Markdown, CSV) and JSON, with a README')
    .requiredOption('--out <file.zip>', 'where to write the zip')
    .action(async (key: string, opts: { out: string }) => {
      const [{ withContext }, { exportSubjectAccess }, { writeFile }] = await Promise.all([import('../context.js'), import('../../services/subject-access.js'), import('node:fs/promises')]);
      await withContext(async (ctx) => {
        const r = await exportSubjectAccess(ctx.db, { workspaceId: ctx.workspaceId, person: key, now: ctx.clock() });
        await writeFile(opts.out, r.zip);
        ctx.out(`wrote ${opts.out}: what is held about ${r.person.name} (${Object.entries(r.counts).map(([k, v]) => `${v} ${k}`).join(', ')})`);
      });
    });

  people
    .command('erase <person>')
    .description("Anonymise someone who has left: \"Former officer N\" in every history, report and message, contact details and chat ids removed, their current actions handed to the group's chair; refused under a legal hold")
    .option('--confirm', 'yes, erase them (it cannot be undone)')
    .action(async (key: string, opts: { confirm?: boolean }) => {
      const [{ withContext }, { erasePerson }, { BragbotError }, { userInfo }] = await Promise.all([import('../context.js'), import('../../services/erasure.js'), import('../../core/errors.js'), import('node:os')]);
      await withContext(async (ctx) => {
        if (!opts.confirm) throw new BragbotError('INPUT_INVALID', `erasing "${key}" cannot be undone: export what is held first if it is asked for (bragbot people export), then run again with --confirm`);
        const r = await erasePerson(ctx.db, { workspaceId: ctx.workspaceId, person: key, now: ctx.clock(), by: { personId: null, name: `cli:${userInfo().username}`, channel: 'cli' } });
        if (r.alreadyErased) return ctx.out(`already erased: ${r.pseudonym}`);
        ctx.out(`erased: now ${r.pseudonym} in the record (${Object.entries(r.counts).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ')})`);
        for (const h of r.handed) ctx.out(`  ${h.groupSlug} ${h.ref} handed to ${h.to.join(' and ')}`);
        for (const u of r.unowned) ctx.out(`  ${u.groupSlug} ${u.ref} has no owner now (the group has no chair): bragbot people own`);
      });
    });

  people
    .command('map-slack')
    .description("Find each person's Slack member id by their email (users.lookupByEmail); lists who did not match so you can fix them with `people set --slack`")
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const { withContext, printJson } = await lazy();
      const { BragbotError } = await import('../../core/errors.js');
      const { createSlackWebClient, mapSlackUsersByEmail } = await import('../../adapters/slack/index.js');
      await withContext(async (ctx) => {
        if (!ctx.config.SLACK_BOT_TOKEN) throw new BragbotError('CONFIG_INVALID', 'SLACK_BOT_TOKEN is needed to look people up in Slack (see .env.example)');
        const result = await mapSlackUsersByEmail(ctx.db, createSlackWebClient(ctx.config, ctx.logger, 'interactive'), ctx.workspaceId);
        if (opts.json) return printJson(ctx, result);
        for (const m of result.matched) ctx.out(`matched ${m.name} <${m.email}> → ${m.slackUserId}${m.changed ? '' : ' (unchanged)'}`);
        for (const u of result.unmatched) ctx.out(`NOT matched ${u.name}${u.email ? ` <${u.email}>` : ''}: ${u.reason}`);
      });
    });

  people
    .command('own <person>')
    .description('Make a person an owner of an action (they get its nudges); --remove to stop')
    .requiredOption('--group <slug>', 'the group')
    .requiredOption('--ref <ref>', 'the action ref; a repeated ref is told apart as 34#2')
    .option('--remove', 'stop owning it')
    .action(async (key: string, opts: { group: string; ref: string; remove?: boolean }) => {
      const { withContext, findPerson, setOwnership } = await lazy();
      const { getGroupBySlug } = await import('../../services/groups.js');
      const { BragbotError } = await import('../../core/errors.js');
      await withContext(async (ctx) => {
        const person = await findPerson(ctx.db, ctx.workspaceId, key);
        if (!person) throw new BragbotError('NOT_FOUND', `no person "${key}"`);
        const group = await getGroupBySlug(ctx.db, ctx.workspaceId, opts.group);
        const matches = await ctx.db.action.findMany({ where: { groupId: group.id, archivedAt: null, OR: [{ rowKey: opts.ref }, { ref: opts.ref }] } });
        const exact = matches.find((m) => m.rowKey === opts.ref);
        const action = exact ?? (matches.length === 1 ? matches[0] : undefined);
        if (!action) {
          throw new BragbotError('NOT_FOUND', matches.length > 1 ? `ref ${opts.ref} is used ${matches.length} times: say which with ${matches.map((m) => m.rowKey).join(' or ')}` : `no action ${opts.ref} in ${group.slug}`);
        }
        await setOwnership(ctx.db, { actionId: action.id, personId: person.id, owns: !opts.remove, change: { by: ctx.operator, at: ctx.clock() } });
        ctx.out(`${person.name} ${opts.remove ? 'no longer owns' : 'owns'} ${group.slug} ${action.rowKey}`);
      });
    });
}

/** --routes as stored, checked against the known routes before anything is written; "default" clears it; undefined: not given. */
async function routesValue(routes: string | undefined): Promise<string | null | undefined> {
  if (routes === undefined) return undefined;
  if (routes.trim() === 'default') return null;
  const { parseRoutes } = await import('../../delivery/routes.js');
  return parseRoutes(routes).join(',');
}

function personInput(o: PersonOpts) {
  return {
    ...(o.email ? { email: o.email } : {}),
    ...(o.team ? { team: o.team } : {}),
    ...(o.role ? { role: o.role } : {}),
    ...(o.slack ? { slackUserId: o.slack } : {}),
    ...(o.teams ? { teamsUserId: o.teams } : {}),
    ...(o.slackTeam !== undefined ? { slackTeamId: o.slackTeam } : {}),
    ...(o.teamsTenant !== undefined ? { teamsTenantId: o.teamsTenant } : {}),
    ...(o.manager ? { manager: o.manager } : {}),
    ...(o.admin ? { isAdmin: true } : {}),
  };
}
