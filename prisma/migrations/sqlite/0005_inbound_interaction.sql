-- CreateTable
CREATE TABLE "InboundInteraction" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "platform" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "personId" TEXT,
    "inputJson" TEXT NOT NULL,
    "replyJson" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL,
    "claimedBy" TEXT,
    "claimedUntil" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "outcome" TEXT,
    "doneAt" DATETIME,
    "lastError" TEXT
);

-- CreateIndex
CREATE INDEX "InboundInteraction_doneAt_claimedUntil_idx" ON "InboundInteraction"("doneAt", "claimedUntil");

