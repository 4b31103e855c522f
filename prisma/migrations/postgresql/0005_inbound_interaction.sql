-- CreateTable
CREATE TABLE "InboundInteraction" (
    "key" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "personId" TEXT,
    "inputJson" TEXT NOT NULL,
    "replyJson" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "claimedBy" TEXT,
    "claimedUntil" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "outcome" TEXT,
    "doneAt" TIMESTAMP(3),
    "lastError" TEXT,

    CONSTRAINT "InboundInteraction_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "InboundInteraction_doneAt_claimedUntil_idx" ON "InboundInteraction"("doneAt", "claimedUntil");

