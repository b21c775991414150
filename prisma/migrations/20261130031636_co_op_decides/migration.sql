-- AlterTable
ALTER TABLE "Catalogue" ADD COLUMN "pollId" INTEGER;

-- AlterTable
ALTER TABLE "Assessment" ADD COLUMN "agreedPollId" INTEGER;
ALTER TABLE "Assessment" ADD COLUMN "confirmedAt" DATETIME;
ALTER TABLE "Assessment" ADD COLUMN "confirmedBy" INTEGER;

-- AlterTable
ALTER TABLE "Deficiency" ADD COLUMN "graceReason" TEXT;

-- CreateTable
CREATE TABLE "Watch" (
    "memberId" INTEGER NOT NULL,
    "serviceId" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL,

    PRIMARY KEY ("memberId", "serviceId"),
    CONSTRAINT "Watch_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Watch_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_VerificationRequest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "serviceId" INTEGER NOT NULL,
    "fromLevel" TEXT NOT NULL,
    "targetLevel" TEXT NOT NULL,
    "evidence" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL,
    "requestedBy" INTEGER NOT NULL,
    "requestedAt" DATETIME NOT NULL,
    "closedAt" DATETIME,
    "pollId" INTEGER,
    "requirements" TEXT NOT NULL DEFAULT '[]',
    CONSTRAINT "VerificationRequest_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "VerificationRequest_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_VerificationRequest" ("closedAt", "evidence", "fromLevel", "id", "pollId", "requestedAt", "requestedBy", "serviceId", "status", "targetLevel") SELECT "closedAt", "evidence", "fromLevel", "id", "pollId", "requestedAt", "requestedBy", "serviceId", "status", "targetLevel" FROM "VerificationRequest";
DROP TABLE "VerificationRequest";
ALTER TABLE "new_VerificationRequest" RENAME TO "VerificationRequest";
CREATE UNIQUE INDEX "VerificationRequest_pollId_key" ON "VerificationRequest"("pollId");
CREATE INDEX "VerificationRequest_serviceId_status_idx" ON "VerificationRequest"("serviceId", "status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Watch_serviceId_idx" ON "Watch"("serviceId");
