-- DropIndex
DROP INDEX "Service_level_idx";

-- CreateIndex
CREATE INDEX "Service_level_name_idx" ON "Service"("level", "name");
