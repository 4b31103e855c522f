-- AlterTable
ALTER TABLE "Group" ADD COLUMN "closedAt" DATETIME;
ALTER TABLE "Group" ADD COLUMN "legalHoldAt" DATETIME;
ALTER TABLE "Group" ADD COLUMN "legalHoldBy" TEXT;
ALTER TABLE "Group" ADD COLUMN "legalHoldReason" TEXT;

-- AlterTable
ALTER TABLE "Person" ADD COLUMN "erasedAt" DATETIME;
ALTER TABLE "Person" ADD COLUMN "formerNumber" INTEGER;

-- CreateTable
CREATE TABLE "DeletionLog" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "kind" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "rule" TEXT NOT NULL,
    "groupId" TEXT,
    "groupSlug" TEXT
);

-- CreateIndex
CREATE INDEX "DeletionLog_workspaceId_at_idx" ON "DeletionLog"("workspaceId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "Person_workspaceId_formerNumber_key" ON "Person"("workspaceId", "formerNumber");

