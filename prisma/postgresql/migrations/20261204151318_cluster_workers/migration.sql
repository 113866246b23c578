-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "workerId" TEXT;

-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "tag" TEXT NOT NULL DEFAULT 'default';

-- CreateTable
CREATE TABLE "Worker" (
    "id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "tags" JSONB NOT NULL,
    "concurrency" INTEGER NOT NULL,
    "runningRunIds" JSONB NOT NULL DEFAULT '[]',
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stoppedAt" TIMESTAMP(3),

    CONSTRAINT "Worker_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Worker_heartbeatAt_idx" ON "Worker"("heartbeatAt");
