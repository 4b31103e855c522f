-- AlterTable
ALTER TABLE "Person" ADD COLUMN "slackTeamId" TEXT;
ALTER TABLE "Person" ADD COLUMN "teamsTenantId" TEXT;

-- CreateTable
CREATE TABLE "GroupPartner" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "groupId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "name" TEXT,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "GroupPartner_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PartnerTrustChange" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "groupId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "change" TEXT NOT NULL,
    "by" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    CONSTRAINT "PartnerTrustChange_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "GroupPartner_groupId_platform_orgId_key" ON "GroupPartner"("groupId", "platform", "orgId");

-- CreateIndex
CREATE INDEX "PartnerTrustChange_groupId_at_idx" ON "PartnerTrustChange"("groupId", "at");

