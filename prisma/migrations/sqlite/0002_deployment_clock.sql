-- CreateTable
CREATE TABLE "DeploymentClock" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "startsAt" DATETIME NOT NULL,
    "realStartedAt" DATETIME NOT NULL
);

