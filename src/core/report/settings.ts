/**
 * The report's part of a group's settings (Group.settingsJson, key "report"):
 *
 *   { "report": { "purpose": "The purpose of the report is to …",
 *                 "title": "… – Highlight Report",
 *                 "signOff": "Simon Fisher" } }
 *
 * signOff names the convening manager (a person's id, email or name); without it the group's
 * chair signs. Read leniently: a malformed report block must not stop a chair getting a paper,
 * so bad values fall back to the defaults (GroupSettings validates the whole object on save).
 */
import { z } from 'zod';
import type { ReportSettings } from './types.js';

const ReportBlock = z.object({
  purpose: z.string().trim().min(1).optional().catch(undefined),
  title: z.string().trim().min(1).optional().catch(undefined),
  signOff: z.string().trim().min(1).optional().catch(undefined),
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
  return result.success ? result.data : {};
}
