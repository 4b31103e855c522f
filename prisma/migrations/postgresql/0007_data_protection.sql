-- AlterTable
ALTER TABLE "Group" ADD COLUMN     "closedAt" TIMESTAMP(3),
ADD COLUMN     "legalHoldAt" TIMESTAMP(3),
ADD COLUMN     "legalHoldBy" TEXT,
ADD COLUMN     "legalHoldReason" TEXT;

-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "erasedAt" TIMESTAMP(3),
ADD COLUMN     "formerNumber" INTEGER;

-- CreateTable
CREATE TABLE "DeletionLog" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "rule" TEXT NOT NULL,
    "groupId" TEXT,
    "groupSlug" TEXT,

    CONSTRAINT "DeletionLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DeletionLog_workspaceId_at_idx" ON "DeletionLog"("workspaceId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "Person_workspaceId_formerNumber_key" ON "Person"("workspaceId", "formerNumber");

