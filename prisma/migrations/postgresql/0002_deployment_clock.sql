-- CreateTable
CREATE TABLE "DeploymentClock" (
    "id" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "realStartedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DeploymentClock_pkey" PRIMARY KEY ("id")
);

