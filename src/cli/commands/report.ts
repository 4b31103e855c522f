import type { Command } from 'commander';

interface ReportOptions {
  group: string;
  meeting?: string;
  format?: string;
  out?: string;
  by?: string;
  publish?: boolean;
  json?: boolean;
  coverNote?: string;
  asOf?: string;
}

const TEXT_FORMATS = new Set(['md', 'html', 'json']);

export function register(program: Command): void {
  program
    .command('report')
    .description('Generate the highlight report for a group\'s meeting (stored as a new version when anything changed) and write it')
    .requiredOption('--group <slug>', 'the group')
    .option('--meeting <date>', 'meeting date YYYY-MM-DD (default: the next meeting after the clock, else the most recent)')
    .option('--as-of <date>', "the plan status as at the end of this day in London (YYYY-MM-DD; default: the meeting's cut-off, the end of the working day before it)")
    .option('--format <format>', 'md | html | docx | pdf | png (the chart) | json (default: from --out, else md)')
    .option('--out <file>', 'write the paper here (required for docx, pdf and png; md, html and json go to stdout without it)')
    .option('--by <name>', 'who asks, as recorded on the version (default: cli:<your user name>)')
    .option('--publish', 'publish (freeze) the version after writing it')
    .option('--cover-note <file>', "also write the chair's cover note (Markdown): who replied, who has not, who could not be asked in chat; never part of the paper")
    .option('--json', 'print the version record as JSON: asOfDate, BRAG counts, the overdue list (with --out: also the file)')
    .action(async (opts: ReportOptions) => {
      const [{ withContext, printJson }, reports, { isReportFormat, REPORT_FORMATS }, { BragbotError }, { writeFile }, { extname }, { userInfo }] = await Promise.all([
        import('../context.js'),
        import('../../services/reports.js'),
        import('../../render/index.js'),
        import('../../core/errors.js'),
        import('node:fs/promises'),
        import('node:path'),
        import('node:os'),
      ]);
      const { parseAsOf } = await import('../as-of.js');
      const format = opts.format ?? (opts.out ? extname(opts.out).slice(1).toLowerCase() : 'md');
      if (!isReportFormat(format)) {
        throw new BragbotError('INPUT_INVALID', `--format "${format}": use one of ${REPORT_FORMATS.join(', ')}`);
      }
      if (!opts.out && !TEXT_FORMATS.has(format)) throw new BragbotError('INPUT_INVALID', `--format ${format} is a binary file: give --out FILE`);
      await withContext(async (ctx) => {
        const now = ctx.clock();
        const asOf = opts.asOf === undefined ? undefined : parseAsOf(opts.asOf, ctx.clock).at;
        const by = opts.by ?? `cli:${userInfo().username}`;
        const { report, outcome } = await reports.generateReport(ctx.db, { workspaceId: ctx.workspaceId, groupSlug: opts.group, meetingDate: opts.meeting, requestedBy: by, now, asOf, channel: 'cli' });
        const final = opts.publish ? await reports.publish(ctx.db, report.id, by, now, { ...ctx.operator, name: by }) : report;
        const file = await reports.renderReport(final, format);
        if (opts.coverNote) await writeFile(opts.coverNote, reports.reportCoverNote(final).body);
        const plan = final.content.plan;
        const record = {
          id: final.id, group: opts.group, meetingDate: final.meetingDate, version: final.version, status: final.status, outcome,
          asOf: final.content.asOf, asOfDate: final.content.asOfDate,
          total: plan.total, counts: plan.counts,
          overdue: plan.overdue.map((a) => ({ ref: a.ref, activity: a.activity, brag: a.brag, dueRaw: a.dueRaw, dueDate: a.dueDate, workingDaysOverdue: a.daysOverdue })),
          ...(opts.out ? { file: opts.out, format } : {}),
          ...(opts.coverNote ? { coverNote: opts.coverNote } : {}),
        };
        if (!opts.out) {
          if (opts.json) printJson(ctx, record);
          else ctx.out(typeof file.body === 'string' ? file.body.trimEnd() : file.body.toString('utf8'));
          return;
        }
        await writeFile(opts.out, file.body);
        if (opts.json) printJson(ctx, record);
        else {
          ctx.out(`wrote ${opts.out}: highlight report for ${final.meetingDate}, version ${final.version} (${final.status}${outcome === 'reused' ? ', unchanged since it was generated' : ''})`);
          if (opts.coverNote) ctx.out(`wrote ${opts.coverNote}: the chair's cover note (${final.content.sections.length} updates received, ${final.content.notReplied.length} not yet replied, ${(final.content.notAsked ?? []).length} could not be asked in chat)`);
        }
      });
    });
}
