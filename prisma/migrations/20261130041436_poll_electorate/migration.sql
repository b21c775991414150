-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Poll" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "options" TEXT NOT NULL,
    "createdBy" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "closesAt" DATETIME NOT NULL,
    "closedAt" DATETIME,
    "status" TEXT NOT NULL,
    "secret" BOOLEAN NOT NULL,
    "quorum" INTEGER NOT NULL,
    "electorate" INTEGER NOT NULL DEFAULT 0,
    "outcome" TEXT,
    "originPlatform" TEXT NOT NULL,
    "originRoom" TEXT
);
-- Each poll keeps the size of its electorate, counted once here for the polls made before.
INSERT INTO "new_Poll" ("closedAt", "closesAt", "createdAt", "createdBy", "id", "kind", "options", "originPlatform", "originRoom", "outcome", "question", "quorum", "secret", "status", "electorate") SELECT "closedAt", "closesAt", "createdAt", "createdBy", "id", "kind", "options", "originPlatform", "originRoom", "outcome", "question", "quorum", "secret", "status", (SELECT COUNT(*) FROM "PollElector" WHERE "PollElector"."pollId" = "Poll"."id") FROM "Poll";
DROP TABLE "Poll";
ALTER TABLE "new_Poll" RENAME TO "Poll";
CREATE INDEX "Poll_status_closesAt_idx" ON "Poll"("status", "closesAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
