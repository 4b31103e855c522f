-- AlterTable
ALTER TABLE "Person" ADD COLUMN "routes" TEXT;

-- AlterTable
ALTER TABLE "StatusUpdate" ADD COLUMN "route" TEXT;

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN "fallbacksJson" TEXT;
ALTER TABLE "OutboxMessage" ADD COLUMN "route" TEXT;

-- CreateTable
CREATE TABLE "SignedLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "actionId" TEXT,
    "meetingId" TEXT,
    "groupId" TEXT,
    "outboxKey" TEXT,
    "route" TEXT,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "usedKey" TEXT,
    "createdAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "SignedLink_tokenHash_key" ON "SignedLink"("tokenHash");

-- CreateIndex
CREATE INDEX "SignedLink_personId_idx" ON "SignedLink"("personId");

