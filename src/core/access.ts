/**
 * Who may do what: one matrix of roles × capabilities, the same for every channel (Slack,
 * Teams, CLI and the web forms to come). Pure: src/services/access.ts works out which roles a
 * person holds on an action or a group (from the database) and asks this matrix. The matrix is
 * printed in docs/access.md, and tests/access/matrix.test.ts checks the two agree.
 *
 * Roles are held on something:
 *  - owner:        owns the action (ActionOwner). On a group: owns one of its current actions,
 *                  which is who an update round asks for an update.
 *  - chair, manager, member, board-viewer, auditor, admin: GroupMember.role in the action's group.
 *  - admin also:   Person.isAdmin (the whole workspace).
 *  - manager also: the line manager of one of the action's owners (escalations go to them), for
 *                  that action only.
 */

export const ROLES = ['owner', 'chair', 'manager', 'member', 'board-viewer', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Roles stored in GroupMember.role (owner is derived from ActionOwner). */
export const GROUP_ROLES = ['chair', 'manager', 'member', 'board-viewer', 'auditor', 'admin'] as const;
export type GroupRole = (typeof GROUP_ROLES)[number];

export const CAPABILITIES = [
  'action.update',
  'action.snooze',
  'action.not-mine',
  'action.read',
  'plan.read',
  'report.read',
  'report.generate',
  'report.publish',
  'audit.read',
  'section.write',
  'group.manage',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** What each capability means, in the words docs/access.md uses. */
export const CAPABILITY_MEANING: Record<Capability, string> = {
  'action.update': 'change an action’s status (BRAG), progress, evidence or date',
  'action.snooze': 'snooze reminders about an action (to themselves)',
  'action.not-mine': 'say an action is not theirs (hand it back to the chair)',
  'action.read': 'read an action and its history (Details)',
  'plan.read': 'read the group’s whole action plan',
  'report.read': 'read the group’s highlight reports (download a version)',
  'report.generate': 'preview / generate a highlight report (stores a draft version)',
  'report.publish': 'publish (freeze) a highlight report and post it to the group’s channel',
  'audit.read': 'read the audit of every change',
  'section.write': 'write a section of the board paper (a reply in the update thread)',
  'group.manage': 'manage the group: its channel, members and settings',
};

/** The matrix: which roles hold each capability. Nothing else grants anything. */
export const MATRIX: Record<Capability, readonly Role[]> = {
  'action.update': ['owner', 'chair', 'admin'],
  'action.snooze': ['owner', 'chair', 'admin'],
  'action.not-mine': ['owner'],
  'action.read': ['owner', 'chair', 'manager', 'member', 'auditor', 'admin'],
  'plan.read': ['chair', 'manager', 'member', 'auditor', 'admin'],
  'report.read': ['chair', 'manager', 'member', 'board-viewer', 'auditor', 'admin'],
  'report.generate': ['chair', 'manager', 'member', 'admin'],
  'report.publish': ['chair', 'manager', 'admin'],
  'audit.read': ['auditor', 'admin'],
  'section.write': ['owner', 'chair', 'manager', 'member', 'admin'],
  'group.manage': ['chair', 'admin'],
};

/** Capabilities that change something: refused on an archived action (it is history). */
export const WRITES: ReadonlySet<Capability> = new Set(['action.update', 'action.snooze', 'action.not-mine']);

/** The role among `held` that grants `capability`, strongest first; null when none does. */
export function grantingRole(held: Iterable<Role>, capability: Capability): Role | null {
  const have = new Set(held);
  // The most specific first: "owner" reads better in a log than "admin" for someone's own action.
  for (const r of ['owner', 'chair', 'manager', 'member', 'board-viewer', 'auditor', 'admin'] as const) {
    if (have.has(r) && MATRIX[capability].includes(r)) return r;
  }
  return null;
}

export const isGroupRole = (r: unknown): r is GroupRole => typeof r === 'string' && (GROUP_ROLES as readonly string[]).includes(r);

/**
 * The sentence a refusal says, by capability: what is needed and what to do. `group` is the
 * group's name when known.
 */
export function refusalSentence(capability: Capability, group?: string): string {
  const g = group ? ` of ${group}` : '';
  switch (capability) {
    case 'action.update':
      return `Only the action’s owners, the group’s chair or an admin can update it. If it should be yours, ask the chair${g} to make you an owner.`;
    case 'action.snooze':
      return `Only the action’s owners, the group’s chair or an admin can snooze it. If it should be yours, ask the chair${g} to make you an owner.`;
    case 'action.not-mine':
      return 'You are not an owner of this action, so there is nothing to hand back.';
    case 'action.read':
      return `Only the action’s owners, members of its group, their managers and admins can see it. Ask the chair${g} if you need to.`;
    case 'plan.read':
      return `Only members of the group can see its action plan. Ask the chair${g} to add you.`;
    case 'report.read':
      return `Only members of the group and its board can see its highlight reports. Ask the chair${g} to add you.`;
    case 'report.generate':
      return `Only members of the group can see its highlight report. Ask the chair${g} to add you.`;
    case 'report.publish':
      return 'Only the group’s chair, a manager or an admin can publish its highlight report. Ask one of them to publish it.';
    case 'audit.read':
      return 'Only auditors and admins can read the audit. Ask an admin.';
    case 'section.write':
      return `Only members${g || ' of the group'} and the people asked for an update can add a section to its highlight report, so your reply was not saved. Ask the chair to add you to the group if you should report.`;
    case 'group.manage':
      return `Only the chair${g || ' of the group'} or an admin can choose its channel or change its members and settings. Ask the chair if it needs changing.`;
  }
}
