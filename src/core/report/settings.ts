/**
 * The report's part of a group's settings (Group.settingsJson, key "report"):
 *
 *   { "report": { "purpose": "The purpose of the report is to …",
 *                 "title": "… – Highlight Report",
 *                 "signOff": "Simon Fisher",
 *                 "sections": ["Leaving Care Service Update", "Court Team", …],
 *                 "coverageLine": false } }
 *
 * signOff names the convening manager (a person's id, email or name); without it the group's
 * chair signs. sections is the partnership's order of sections (names or teams); a chair sets
 * it as one line, `--set report.sections="Leaving Care; Court Team; Fostering Panel"`.
 * coverageLine turns the generated "This report covers …" sentence on (true) or off (false);
 * unset, it appears only when the chair wrote no introduction.
 *
 * Read leniently: a malformed report block must not stop a chair getting a paper, so bad values
 * fall back to the defaults. `ReportSettingsSchema` is the strict check when a person saves them.
 */
import { z } from 'zod';
import type { ReportSettings } from './types.js';

/** "A; B; C" (or one per line) or a JSON list, as a list of trimmed, non-empty, distinct names. */
export function sectionList(value: unknown): string[] | undefined {
  const items = typeof value === 'string' ? value.split(/[;\n]/) : Array.isArray(value) ? value : undefined;
  if (!items || !items.every((i) => typeof i === 'string')) return undefined;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of items as string[]) {
    const name = raw.replace(/\s+/g, ' ').trim();
    if (name === '' || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    out.push(name);
  }
  return out;
}

const text = z.string().trim().min(1);
const sections = z.unknown().transform((v, ctx) => {
  const list = sectionList(v);
  if (list === undefined) {
    ctx.addIssue({ code: 'custom', message: 'a list of section names or teams, e.g. "Leaving Care Service; Court Team; Fostering Panel"' });
    return z.NEVER;
  }
  return list;
});
const flag = z.union([z.boolean(), z.enum(['true', 'false', 'on', 'off', 'yes', 'no']).transform((v) => v === 'true' || v === 'on' || v === 'yes')]);

/** Strict: what `groups settings --set report.…` accepts. Unknown keys are refused (a typo must not pass silently). */
export const ReportSettingsSchema = z.strictObject({
  purpose: text.optional(),
  title: text.optional(),
  signOff: text.optional(),
  sections: sections.optional(),
  coverageLine: flag.optional(),
});

const ReportBlock = z.object({
  purpose: text.optional().catch(undefined),
  title: text.optional().catch(undefined),
  signOff: text.optional().catch(undefined),
  sections: sections.optional().catch(undefined),
  coverageLine: flag.optional().catch(undefined),
});

export interface GroupReportSettings extends ReportSettings {
  signOff?: string | undefined;
}

export function reportSettingsFrom(settingsJson: string | null | undefined): GroupReportSettings {
  let parsed: unknown;
  try {
    parsed = JSON.parse(settingsJson || '{}');
  } catch {
    return {};
  }
  const block = typeof parsed === 'object' && parsed !== null ? (parsed as { report?: unknown }).report : undefined;
  const result = ReportBlock.safeParse(block ?? {});
  if (!result.success) return {};
  // Only the keys that are set, so `{}` stays `{}`.
  return Object.fromEntries(Object.entries(result.data).filter(([, v]) => v !== undefined)) as GroupReportSettings;
}
