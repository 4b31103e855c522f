-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "routes" TEXT;

-- AlterTable
ALTER TABLE "StatusUpdate" ADD COLUMN     "route" TEXT;

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "fallbacksJson" TEXT,
ADD COLUMN     "route" TEXT;

-- CreateTable
CREATE TABLE "SignedLink" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "actionId" TEXT,
    "meetingId" TEXT,
    "groupId" TEXT,
    "outboxKey" TEXT,
    "route" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "usedKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SignedLink_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SignedLink_tokenHash_key" ON "SignedLink"("tokenHash");

-- CreateIndex
CREATE INDEX "SignedLink_personId_idx" ON "SignedLink"("personId");

