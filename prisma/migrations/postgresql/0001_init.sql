-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Workspace" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Workspace_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Group" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "cadence" TEXT NOT NULL DEFAULT 'none',
    "cadenceAnchor" TEXT,
    "reportsToId" TEXT,
    "settingsJson" TEXT NOT NULL DEFAULT '{}',
    "layoutJson" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Group_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GroupMember" (
    "id" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "role" TEXT NOT NULL,

    CONSTRAINT "GroupMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GroupChannel" (
    "id" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "teamId" TEXT,
    "serviceUrl" TEXT,

    CONSTRAINT "GroupChannel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Meeting" (
    "id" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "time" TEXT,
    "title" TEXT,
    "cancelled" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "Meeting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UpdateThread" (
    "id" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "threadId" TEXT NOT NULL,
    "openedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UpdateThread_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SectionUpdate" (
    "id" TEXT NOT NULL,
    "threadId" TEXT NOT NULL,
    "personId" TEXT,
    "authorName" TEXT NOT NULL,
    "section" TEXT NOT NULL,
    "platformMessageId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "postedAt" TIMESTAMP(3) NOT NULL,
    "editedAt" TIMESTAMP(3),
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "SectionUpdate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Objective" (
    "id" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "code" TEXT,
    "title" TEXT NOT NULL,
    "description" TEXT,

    CONSTRAINT "Objective_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Action" (
    "id" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "objectiveId" TEXT,
    "ref" TEXT NOT NULL,
    "rowKey" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "activity" TEXT NOT NULL,
    "progress" TEXT NOT NULL DEFAULT '',
    "evidence" TEXT NOT NULL DEFAULT '',
    "leadAgency" TEXT NOT NULL DEFAULT '',
    "leadOfficer" TEXT NOT NULL DEFAULT '',
    "dueKind" TEXT NOT NULL DEFAULT 'unknown',
    "dueDate" TEXT,
    "dueRaw" TEXT NOT NULL DEFAULT '',
    "brag" TEXT NOT NULL DEFAULT 'unrated',
    "extraJson" TEXT NOT NULL DEFAULT '{}',
    "archivedAt" TIMESTAMP(3),
    "lastUpdatedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Action_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActionOwner" (
    "id" TEXT NOT NULL,
    "actionId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,

    CONSTRAINT "ActionOwner_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Person" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "team" TEXT,
    "role" TEXT,
    "slackUserId" TEXT,
    "teamsUserId" TEXT,
    "managerId" TEXT,
    "isAdmin" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StatusUpdate" (
    "id" TEXT NOT NULL,
    "actionId" TEXT NOT NULL,
    "personId" TEXT,
    "actorName" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'update',
    "fromBrag" TEXT NOT NULL,
    "toBrag" TEXT NOT NULL,
    "fromProgress" TEXT,
    "toProgress" TEXT,
    "note" TEXT,
    "evidence" TEXT,
    "fromDueRaw" TEXT,
    "revisedDueRaw" TEXT,
    "revisedDueDate" TEXT,
    "channel" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,

    CONSTRAINT "StatusUpdate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Snooze" (
    "id" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "actionId" TEXT NOT NULL,
    "until" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Snooze_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConversationRef" (
    "id" TEXT NOT NULL,
    "personId" TEXT,
    "platform" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "serviceUrl" TEXT,
    "tenantId" TEXT,
    "referenceJson" TEXT NOT NULL DEFAULT '{}',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ConversationRef_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportRun" (
    "id" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "layout" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "created" INTEGER NOT NULL,
    "updated" INTEGER NOT NULL,
    "unchanged" INTEGER NOT NULL,
    "archived" INTEGER NOT NULL,
    "warningsJson" TEXT NOT NULL DEFAULT '[]',

    CONSTRAINT "ImportRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "groupId" TEXT,
    "personId" TEXT,
    "platform" TEXT NOT NULL,
    "payloadJson" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "notBefore" TIMESTAMP(3) NOT NULL,
    "claimedBy" TEXT,
    "claimedUntil" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),
    "providerMessageId" TEXT,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxItem" (
    "id" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "actionId" TEXT NOT NULL,

    CONSTRAINT "OutboxItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboundEvent" (
    "key" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InboundEvent_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "SchedulerState" (
    "job" TEXT NOT NULL,
    "lastRunAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SchedulerState_pkey" PRIMARY KEY ("job")
);

-- CreateTable
CREATE TABLE "HighlightReport" (
    "id" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "meetingId" TEXT,
    "meetingDate" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "requestedBy" TEXT NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL,
    "publishedAt" TIMESTAMP(3),
    "publishedBy" TEXT,
    "inputsHash" TEXT NOT NULL,
    "contentJson" TEXT NOT NULL,

    CONSTRAINT "HighlightReport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Workspace_slug_key" ON "Workspace"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Group_workspaceId_slug_key" ON "Group"("workspaceId", "slug");

-- CreateIndex
CREATE INDEX "GroupMember_personId_idx" ON "GroupMember"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "GroupMember_groupId_personId_role_key" ON "GroupMember"("groupId", "personId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "GroupChannel_groupId_platform_key" ON "GroupChannel"("groupId", "platform");

-- CreateIndex
CREATE UNIQUE INDEX "Meeting_groupId_date_key" ON "Meeting"("groupId", "date");

-- CreateIndex
CREATE UNIQUE INDEX "UpdateThread_platform_conversationId_threadId_key" ON "UpdateThread"("platform", "conversationId", "threadId");

-- CreateIndex
CREATE UNIQUE INDEX "UpdateThread_meetingId_platform_key" ON "UpdateThread"("meetingId", "platform");

-- CreateIndex
CREATE UNIQUE INDEX "SectionUpdate_threadId_platformMessageId_key" ON "SectionUpdate"("threadId", "platformMessageId");

-- CreateIndex
CREATE UNIQUE INDEX "Objective_groupId_position_key" ON "Objective"("groupId", "position");

-- CreateIndex
CREATE INDEX "Action_groupId_brag_idx" ON "Action"("groupId", "brag");

-- CreateIndex
CREATE INDEX "Action_groupId_dueDate_idx" ON "Action"("groupId", "dueDate");

-- CreateIndex
CREATE UNIQUE INDEX "Action_groupId_rowKey_key" ON "Action"("groupId", "rowKey");

-- CreateIndex
CREATE INDEX "ActionOwner_personId_idx" ON "ActionOwner"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "ActionOwner_actionId_personId_key" ON "ActionOwner"("actionId", "personId");

-- CreateIndex
CREATE UNIQUE INDEX "Person_workspaceId_email_key" ON "Person"("workspaceId", "email");

-- CreateIndex
CREATE UNIQUE INDEX "Person_workspaceId_slackUserId_key" ON "Person"("workspaceId", "slackUserId");

-- CreateIndex
CREATE UNIQUE INDEX "Person_workspaceId_teamsUserId_key" ON "Person"("workspaceId", "teamsUserId");

-- CreateIndex
CREATE UNIQUE INDEX "Person_workspaceId_name_key" ON "Person"("workspaceId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "StatusUpdate_idempotencyKey_key" ON "StatusUpdate"("idempotencyKey");

-- CreateIndex
CREATE INDEX "StatusUpdate_actionId_at_idx" ON "StatusUpdate"("actionId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "Snooze_personId_actionId_key" ON "Snooze"("personId", "actionId");

-- CreateIndex
CREATE INDEX "ConversationRef_personId_idx" ON "ConversationRef"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "ConversationRef_platform_conversationId_key" ON "ConversationRef"("platform", "conversationId");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxMessage_idempotencyKey_key" ON "OutboxMessage"("idempotencyKey");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_notBefore_idx" ON "OutboxMessage"("status", "notBefore");

-- CreateIndex
CREATE INDEX "OutboxItem_actionId_idx" ON "OutboxItem"("actionId");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxItem_messageId_actionId_key" ON "OutboxItem"("messageId", "actionId");

-- CreateIndex
CREATE UNIQUE INDEX "HighlightReport_groupId_meetingDate_version_key" ON "HighlightReport"("groupId", "meetingDate", "version");

-- AddForeignKey
ALTER TABLE "Group" ADD CONSTRAINT "Group_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Group" ADD CONSTRAINT "Group_reportsToId_fkey" FOREIGN KEY ("reportsToId") REFERENCES "Group"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupMember" ADD CONSTRAINT "GroupMember_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupMember" ADD CONSTRAINT "GroupMember_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupChannel" ADD CONSTRAINT "GroupChannel_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpdateThread" ADD CONSTRAINT "UpdateThread_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SectionUpdate" ADD CONSTRAINT "SectionUpdate_threadId_fkey" FOREIGN KEY ("threadId") REFERENCES "UpdateThread"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SectionUpdate" ADD CONSTRAINT "SectionUpdate_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Objective" ADD CONSTRAINT "Objective_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Action" ADD CONSTRAINT "Action_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Action" ADD CONSTRAINT "Action_objectiveId_fkey" FOREIGN KEY ("objectiveId") REFERENCES "Objective"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionOwner" ADD CONSTRAINT "ActionOwner_actionId_fkey" FOREIGN KEY ("actionId") REFERENCES "Action"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionOwner" ADD CONSTRAINT "ActionOwner_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Person" ADD CONSTRAINT "Person_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Person" ADD CONSTRAINT "Person_managerId_fkey" FOREIGN KEY ("managerId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StatusUpdate" ADD CONSTRAINT "StatusUpdate_actionId_fkey" FOREIGN KEY ("actionId") REFERENCES "Action"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StatusUpdate" ADD CONSTRAINT "StatusUpdate_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Snooze" ADD CONSTRAINT "Snooze_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Snooze" ADD CONSTRAINT "Snooze_actionId_fkey" FOREIGN KEY ("actionId") REFERENCES "Action"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConversationRef" ADD CONSTRAINT "ConversationRef_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportRun" ADD CONSTRAINT "ImportRun_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboxItem" ADD CONSTRAINT "OutboxItem_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "OutboxMessage"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboxItem" ADD CONSTRAINT "OutboxItem_actionId_fkey" FOREIGN KEY ("actionId") REFERENCES "Action"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HighlightReport" ADD CONSTRAINT "HighlightReport_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HighlightReport" ADD CONSTRAINT "HighlightReport_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE SET NULL ON UPDATE CASCADE;

