-- CreateTable
CREATE TABLE "Member" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "isMember" BOOLEAN NOT NULL DEFAULT true,
    "isBoard" BOOLEAN NOT NULL DEFAULT false,
    "joinedAt" DATETIME NOT NULL,
    "leftAt" DATETIME
);

-- CreateTable
CREATE TABLE "Identity" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "platform" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "memberId" INTEGER NOT NULL,
    "linkedAt" DATETIME NOT NULL,
    CONSTRAINT "Identity_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LinkCode" (
    "code" TEXT NOT NULL PRIMARY KEY,
    "memberId" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    CONSTRAINT "LinkCode_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Service" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "provides" TEXT NOT NULL DEFAULT '',
    "principles" TEXT NOT NULL DEFAULT '',
    "level" TEXT NOT NULL,
    "levelSince" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "retiredAt" DATETIME,
    "retiredReason" TEXT
);

-- CreateTable
CREATE TABLE "ServiceMaintainer" (
    "serviceId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "addedAt" DATETIME NOT NULL,

    PRIMARY KEY ("serviceId", "memberId"),
    CONSTRAINT "ServiceMaintainer_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ServiceMaintainer_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ServiceUse" (
    "serviceId" INTEGER NOT NULL,
    "usesId" INTEGER NOT NULL,

    PRIMARY KEY ("serviceId", "usesId"),
    CONSTRAINT "ServiceUse_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ServiceUse_usesId_fkey" FOREIGN KEY ("usesId") REFERENCES "Service" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LevelChange" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "serviceId" INTEGER NOT NULL,
    "fromLevel" TEXT,
    "toLevel" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "reason" TEXT NOT NULL,
    "pollId" INTEGER,
    "meetingId" INTEGER,
    CONSTRAINT "LevelChange_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Catalogue" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "recordedAt" DATETIME NOT NULL,
    "effectiveAt" DATETIME,
    "meetingId" INTEGER
);

-- CreateTable
CREATE TABLE "Assessment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "serviceId" INTEGER NOT NULL,
    "requirementKey" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "assessedAt" DATETIME NOT NULL,
    "assessedBy" INTEGER NOT NULL,
    CONSTRAINT "Assessment_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "VerificationRequest" (
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
    CONSTRAINT "VerificationRequest_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "VerificationRequest_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Poll" (
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
    "outcome" TEXT,
    "originPlatform" TEXT NOT NULL,
    "originRoom" TEXT
);

-- CreateTable
CREATE TABLE "PollElector" (
    "pollId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,

    PRIMARY KEY ("pollId", "memberId"),
    CONSTRAINT "PollElector_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "PollElector_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Vote" (
    "pollId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "option" TEXT NOT NULL,
    "castAt" DATETIME NOT NULL,
    "platform" TEXT NOT NULL,

    PRIMARY KEY ("pollId", "memberId"),
    CONSTRAINT "Vote_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Vote_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PollMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "pollId" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "room" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    CONSTRAINT "PollMessage_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Deficiency" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "serviceId" INTEGER NOT NULL,
    "requirementKey" TEXT,
    "description" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "reportedBy" INTEGER,
    "reportedAt" DATETIME NOT NULL,
    "graceMeetingId" INTEGER,
    "resolvedAt" DATETIME,
    "resolvedBy" INTEGER,
    "resolution" TEXT,
    "lapsedAt" DATETIME,
    CONSTRAINT "Deficiency_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Deficiency_graceMeetingId_fkey" FOREIGN KEY ("graceMeetingId") REFERENCES "Meeting" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Meeting" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "status" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "reckonedAt" DATETIME
);

-- CreateTable
CREATE TABLE "AnnualUpdate" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "serviceId" INTEGER NOT NULL,
    "meetingId" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "givenBy" INTEGER NOT NULL,
    "givenAt" DATETIME NOT NULL,
    CONSTRAINT "AnnualUpdate_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "AnnualUpdate_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "claimedAt" DATETIME NOT NULL,
    "sentAt" DATETIME
);

-- CreateTable
CREATE TABLE "ProcessedEvent" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "handledAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "KeyValue" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "actor" TEXT NOT NULL,
    "memberId" INTEGER,
    "platform" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "detail" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "WriteLock" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "n" INTEGER NOT NULL
);

-- CreateIndex
CREATE INDEX "Identity_memberId_idx" ON "Identity"("memberId");

-- CreateIndex
CREATE UNIQUE INDEX "Identity_platform_externalId_key" ON "Identity"("platform", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Service_name_key" ON "Service"("name");

-- CreateIndex
CREATE INDEX "Service_level_idx" ON "Service"("level");

-- CreateIndex
CREATE INDEX "Service_kind_idx" ON "Service"("kind");

-- CreateIndex
CREATE INDEX "ServiceMaintainer_memberId_idx" ON "ServiceMaintainer"("memberId");

-- CreateIndex
CREATE INDEX "ServiceUse_usesId_idx" ON "ServiceUse"("usesId");

-- CreateIndex
CREATE INDEX "LevelChange_serviceId_at_idx" ON "LevelChange"("serviceId", "at");

-- CreateIndex
CREATE INDEX "LevelChange_at_idx" ON "LevelChange"("at");

-- CreateIndex
CREATE INDEX "Catalogue_status_idx" ON "Catalogue"("status");

-- CreateIndex
CREATE UNIQUE INDEX "Assessment_serviceId_requirementKey_key" ON "Assessment"("serviceId", "requirementKey");

-- CreateIndex
CREATE UNIQUE INDEX "VerificationRequest_pollId_key" ON "VerificationRequest"("pollId");

-- CreateIndex
CREATE INDEX "VerificationRequest_serviceId_status_idx" ON "VerificationRequest"("serviceId", "status");

-- CreateIndex
CREATE INDEX "Poll_status_closesAt_idx" ON "Poll"("status", "closesAt");

-- CreateIndex
CREATE INDEX "PollElector_memberId_idx" ON "PollElector"("memberId");

-- CreateIndex
CREATE INDEX "PollMessage_pollId_idx" ON "PollMessage"("pollId");

-- CreateIndex
CREATE UNIQUE INDEX "PollMessage_platform_room_messageId_key" ON "PollMessage"("platform", "room", "messageId");

-- CreateIndex
CREATE INDEX "Deficiency_serviceId_resolvedAt_idx" ON "Deficiency"("serviceId", "resolvedAt");

-- CreateIndex
CREATE INDEX "Deficiency_graceMeetingId_idx" ON "Deficiency"("graceMeetingId");

-- CreateIndex
CREATE INDEX "Meeting_status_at_idx" ON "Meeting"("status", "at");

-- CreateIndex
CREATE UNIQUE INDEX "AnnualUpdate_serviceId_meetingId_key" ON "AnnualUpdate"("serviceId", "meetingId");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_key_key" ON "Notification"("key");

-- CreateIndex
CREATE INDEX "AuditEvent_subjectType_subjectId_idx" ON "AuditEvent"("subjectType", "subjectId");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- The single row every write transaction touches first (see src/store/database.ts).
INSERT INTO "WriteLock" ("id", "n") VALUES (1, 0);
