-- AlterTable
ALTER TABLE "Notification" ADD COLUMN "abandonedAt" DATETIME;

-- CreateIndex
CREATE INDEX "Notification_sentAt_abandonedAt_idx" ON "Notification"("sentAt", "abandonedAt");
