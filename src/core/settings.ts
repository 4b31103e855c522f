/**
 * Per-group planner settings, stored as JSON in Group.settingsJson. Every field has a default,
 * so `{}` is a valid, sensible configuration; a group only writes what it changes.
 *
 *   {
 *     "region": "ENG",                       // bank holidays: ENG | WLS | SCT | NIR
 *     "workingHours": { "start": "09:00", "end": "17:00" },  // Europe/London; outside them is quiet
 *     "overdueNudgeEveryWorkingDays": 5,     // repeat an overdue nudge at most this often
 *     "dueSoonLeadWorkingDays": 3,           // remind this many working days before a due date (0 = off)
 *     "staleAfterDays": 42,                  // calendar days without an update before "stale"
 *     "updateRoundLeadWorkingDays": 5,       // open the update round this many working days before a meeting
 *     "escalateAfterNudges": 3,              // overdue + this many unanswered nudges -> manager and chair
 *     "digestWeekday": "monday",             // manager digest day (moves to the next working day on a bank holiday)
 *     "meetingOnBankHoliday": "next-working-day", // where a cadence meeting on a bank holiday moves
 *     "retention": {                         // kept this many months after the plan closes (`groups close`)
 *       "statusUpdatesMonths": 72,           //   every status/progress update of the plan (its history)
 *       "sectionRepliesMonths": 72,          //   the leads' replies captured from update threads
 *       "reportVersionsMonths": 72           //   highlight report versions, drafts and published
 *     },
 *     "reportCutOffWorkingDays": 1           // a meeting's paper shows the plan as at the end of this many
 *                                            // working days before the meeting (0 = the meeting day itself)
 *   }
 */
import { z } from 'zod';
import { UK_REGIONS, WEEKDAYS } from './calendar.js';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:mm, e.g. 09:00');

export const GroupSettingsSchema = z.object({
  region: z.enum(UK_REGIONS).default('ENG'),
  workingHours: z
    .object({ start: hhmm.default('09:00'), end: hhmm.default('17:00') })
    .refine((h) => h.start < h.end, 'workingHours.start must be before workingHours.end')
    .prefault({}),
  overdueNudgeEveryWorkingDays: z.number().int().min(1).max(60).default(5),
  dueSoonLeadWorkingDays: z.number().int().min(0).max(30).default(3),
  staleAfterDays: z.number().int().min(1).max(365).default(42),
  updateRoundLeadWorkingDays: z.number().int().min(1).max(30).default(5),
  escalateAfterNudges: z.number().int().min(1).max(20).default(3),
  digestWeekday: z.enum(WEEKDAYS.slice(0, 5) as ['monday', 'tuesday', 'wednesday', 'thursday', 'friday']).default('monday'),
  meetingOnBankHoliday: z.enum(['next-working-day', 'previous-working-day']).default('next-working-day'),
  // Six years after closure is the usual local-authority retention for partnership records
  // (the Limitation Act's six years); a council's own schedule sets its own. At most 100 years.
  retention: z
    .object({
      statusUpdatesMonths: z.number().int().min(0).max(1200).default(72),
      sectionRepliesMonths: z.number().int().min(0).max(1200).default(72),
      reportVersionsMonths: z.number().int().min(0).max(1200).default(72),
    })
    .strict()
    .prefault({}),
  // The paper for a meeting is a record: its plan status is as at this cut-off, whenever it is
  // generated (src/core/meetings.ts meetingCutOff), not as at the day someone printed it.
  reportCutOffWorkingDays: z.number().int().min(0).max(20).default(1),
});

export type GroupSettings = z.infer<typeof GroupSettingsSchema>;
export type GroupSettingsInput = z.input<typeof GroupSettingsSchema>;

export const DEFAULT_GROUP_SETTINGS: GroupSettings = GroupSettingsSchema.parse({});

/**
 * Reads Group.settingsJson leniently: a bad field falls back to its default and is reported,
 * so one typo in one group's settings never stops the bot chasing every other action.
 */
export function parseGroupSettings(json: string | null | undefined): { settings: GroupSettings; problems: string[] } {
  const problems: string[] = [];
  let raw: unknown = {};
  if (json && json.trim() !== '') {
    try {
      raw = JSON.parse(json);
    } catch {
      problems.push('settings are not valid JSON: using the defaults');
    }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    if (json && json.trim() !== '' && problems.length === 0) problems.push('settings must be a JSON object: using the defaults');
    raw = {};
  }
  const input: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  for (let round = 0; round < 20; round += 1) {
    const parsed = GroupSettingsSchema.safeParse(input);
    if (parsed.success) return { settings: parsed.data, problems };
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '');
      problems.push(`${issue.path.join('.') || '(settings)'}: ${issue.message} (using the default)`);
      if (key in input) delete input[key];
    }
  }
  return { settings: DEFAULT_GROUP_SETTINGS, problems };
}
