-- AlterTable
ALTER TABLE "Notification" ADD COLUMN "claimedBy" TEXT;

-- CreateTable
CREATE TABLE "BotCopy" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "host" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "seenAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Outbox" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "platform" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "createdBy" TEXT NOT NULL,
    "takenAt" DATETIME
);

-- CreateIndex
CREATE INDEX "Outbox_platform_takenAt_idx" ON "Outbox"("platform", "takenAt");
