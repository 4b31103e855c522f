-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "slackTeamId" TEXT,
ADD COLUMN     "teamsTenantId" TEXT;

-- CreateTable
CREATE TABLE "GroupPartner" (
    "id" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "name" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GroupPartner_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PartnerTrustChange" (
    "id" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "change" TEXT NOT NULL,
    "by" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PartnerTrustChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "GroupPartner_groupId_platform_orgId_key" ON "GroupPartner"("groupId", "platform", "orgId");

-- CreateIndex
CREATE INDEX "PartnerTrustChange_groupId_at_idx" ON "PartnerTrustChange"("groupId", "at");

-- AddForeignKey
ALTER TABLE "GroupPartner" ADD CONSTRAINT "GroupPartner_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartnerTrustChange" ADD CONSTRAINT "PartnerTrustChange_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

