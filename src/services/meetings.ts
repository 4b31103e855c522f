/**
 * Is there a meeting of this group on this date? Its cadence (src/core/meetings.ts) and the
 * meetings recorded explicitly both count; a cancelled one does not. A highlight report is for a
 * meeting, so a date with none is answered in words and no report version is stored.
 */
import { addDays, calendarFor, formatDate } from '../core/calendar.js';
import { BragbotError } from '../core/errors.js';
import { meetingsBetween } from '../core/meetings.js';
import { parseGroupSettings } from '../core/settings.js';
import type { Db, Tx } from '../db/client.js';

/** Meetings within this many days either side are offered instead. */
const NEARBY_DAYS = 120;

export async function meetingsAround(db: Db | Tx, groupId: string, date: string): Promise<{ group: { name: string }; on: boolean; nearby: string[] }> {
  const group = await db.group.findUniqueOrThrow({
    where: { id: groupId },
    select: { name: true, cadence: true, cadenceAnchor: true, settingsJson: true, meetings: { select: { date: true, time: true, title: true, cancelled: true } } },
  });
  const { settings } = parseGroupSettings(group.settingsJson);
  const schedule = { cadence: group.cadence, cadenceAnchor: group.cadenceAnchor, meetings: group.meetings };
  const around = meetingsBetween(schedule, addDays(date, -NEARBY_DAYS), addDays(date, NEARBY_DAYS), calendarFor(settings.region), settings.meetingOnBankHoliday).map((m) => m.date);
  const nearby = [...new Set(around)].filter((d) => d !== date).sort((a, b) => Math.abs(Date.parse(a) - Date.parse(date)) - Math.abs(Date.parse(b) - Date.parse(date))).slice(0, 3).sort();
  return { group: { name: group.name }, on: around.includes(date), nearby };
}

/** Throws NOT_FOUND, saying which meetings there are, when the group does not meet on `date`. */
export async function requireMeetingOn(db: Db | Tx, groupId: string, date: string): Promise<void> {
  const { group, on, nearby } = await meetingsAround(db, groupId, date);
  if (on) return;
  const offer = nearby.length ? ` Its meetings nearest that date: ${nearby.map(formatDate).join(', ')}.` : ' It has no meetings near that date.';
  throw new BragbotError('NOT_FOUND', `${group.name} has no meeting on ${formatDate(date)}, so there is no highlight report for it.${offer} Give one of those dates, or ask the chair to add the meeting (\`bragbot groups meeting\`).`);
}
