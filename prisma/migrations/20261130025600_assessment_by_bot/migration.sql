-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Assessment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "serviceId" INTEGER NOT NULL,
    "requirementKey" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "assessedAt" DATETIME NOT NULL,
    "assessedBy" INTEGER,
    CONSTRAINT "Assessment_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Assessment" ("assessedAt", "assessedBy", "id", "note", "requirementKey", "serviceId", "status") SELECT "assessedAt", "assessedBy", "id", "note", "requirementKey", "serviceId", "status" FROM "Assessment";
DROP TABLE "Assessment";
ALTER TABLE "new_Assessment" RENAME TO "Assessment";
CREATE UNIQUE INDEX "Assessment_serviceId_requirementKey_key" ON "Assessment"("serviceId", "requirementKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
