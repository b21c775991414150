-- CreateTable
CREATE TABLE "Member" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "isMember" BOOLEAN NOT NULL DEFAULT true,
    "isBoard" BOOLEAN NOT NULL DEFAULT false,
    "joinedAt" TIMESTAMP(3) NOT NULL,
    "leftAt" TIMESTAMP(3),

    CONSTRAINT "Member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Watch" (
    "memberId" INTEGER NOT NULL,
    "serviceId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Watch_pkey" PRIMARY KEY ("memberId","serviceId")
);

-- CreateTable
CREATE TABLE "Identity" (
    "id" SERIAL NOT NULL,
    "platform" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "memberId" INTEGER NOT NULL,
    "linkedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Identity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LinkCode" (
    "code" TEXT NOT NULL,
    "memberId" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "LinkCode_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Service" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "provides" TEXT NOT NULL DEFAULT '',
    "principles" TEXT NOT NULL DEFAULT '',
    "level" TEXT NOT NULL,
    "levelSince" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "retiredAt" TIMESTAMP(3),
    "retiredReason" TEXT,

    CONSTRAINT "Service_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServiceMaintainer" (
    "serviceId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "addedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ServiceMaintainer_pkey" PRIMARY KEY ("serviceId","memberId")
);

-- CreateTable
CREATE TABLE "ServiceUse" (
    "serviceId" INTEGER NOT NULL,
    "usesId" INTEGER NOT NULL,

    CONSTRAINT "ServiceUse_pkey" PRIMARY KEY ("serviceId","usesId")
);

-- CreateTable
CREATE TABLE "LevelChange" (
    "id" SERIAL NOT NULL,
    "serviceId" INTEGER NOT NULL,
    "fromLevel" TEXT,
    "toLevel" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "pollId" INTEGER,
    "meetingId" INTEGER,

    CONSTRAINT "LevelChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Catalogue" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL,
    "effectiveAt" TIMESTAMP(3),
    "meetingId" INTEGER,
    "pollId" INTEGER,

    CONSTRAINT "Catalogue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Assessment" (
    "id" SERIAL NOT NULL,
    "serviceId" INTEGER NOT NULL,
    "requirementKey" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "assessedAt" TIMESTAMP(3) NOT NULL,
    "assessedBy" INTEGER,
    "agreedPollId" INTEGER,
    "confirmedAt" TIMESTAMP(3),
    "confirmedBy" INTEGER,

    CONSTRAINT "Assessment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VerificationRequest" (
    "id" SERIAL NOT NULL,
    "serviceId" INTEGER NOT NULL,
    "fromLevel" TEXT NOT NULL,
    "targetLevel" TEXT NOT NULL,
    "evidence" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL,
    "requestedBy" INTEGER NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),
    "pollId" INTEGER,
    "requirements" TEXT NOT NULL DEFAULT '[]',

    CONSTRAINT "VerificationRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Poll" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "options" TEXT NOT NULL,
    "createdBy" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "closesAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),
    "status" TEXT NOT NULL,
    "secret" BOOLEAN NOT NULL,
    "quorum" INTEGER NOT NULL,
    "electorate" INTEGER NOT NULL DEFAULT 0,
    "outcome" TEXT,
    "originPlatform" TEXT NOT NULL,
    "originRoom" TEXT,

    CONSTRAINT "Poll_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PollElector" (
    "pollId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,

    CONSTRAINT "PollElector_pkey" PRIMARY KEY ("pollId","memberId")
);

-- CreateTable
CREATE TABLE "Vote" (
    "pollId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "option" TEXT NOT NULL,
    "castAt" TIMESTAMP(3) NOT NULL,
    "platform" TEXT NOT NULL,

    CONSTRAINT "Vote_pkey" PRIMARY KEY ("pollId","memberId")
);

-- CreateTable
CREATE TABLE "PollMessage" (
    "id" SERIAL NOT NULL,
    "pollId" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "room" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,

    CONSTRAINT "PollMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Deficiency" (
    "id" SERIAL NOT NULL,
    "serviceId" INTEGER NOT NULL,
    "requirementKey" TEXT,
    "description" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "reportedBy" INTEGER,
    "reportedAt" TIMESTAMP(3) NOT NULL,
    "graceMeetingId" INTEGER,
    "graceReason" TEXT,
    "resolvedAt" TIMESTAMP(3),
    "resolvedBy" INTEGER,
    "resolution" TEXT,
    "lapsedAt" TIMESTAMP(3),

    CONSTRAINT "Deficiency_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Meeting" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "reckonedAt" TIMESTAMP(3),

    CONSTRAINT "Meeting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AnnualUpdate" (
    "id" SERIAL NOT NULL,
    "serviceId" INTEGER NOT NULL,
    "meetingId" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "givenBy" INTEGER NOT NULL,
    "givenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AnnualUpdate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "claimedAt" TIMESTAMP(3) NOT NULL,
    "claimedBy" TEXT,
    "sentAt" TIMESTAMP(3),
    "abandonedAt" TIMESTAMP(3),

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BotCopy" (
    "name" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "seenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BotCopy_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "Outbox" (
    "id" SERIAL NOT NULL,
    "platform" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "createdBy" TEXT NOT NULL,
    "takenAt" TIMESTAMP(3),

    CONSTRAINT "Outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcessedEvent" (
    "key" TEXT NOT NULL,
    "handledAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProcessedEvent_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "KeyValue" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "KeyValue_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "memberId" INTEGER,
    "platform" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "detail" TEXT NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WriteLock" (
    "id" INTEGER NOT NULL,
    "n" INTEGER NOT NULL,

    CONSTRAINT "WriteLock_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Attempt" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Attempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Watch_serviceId_idx" ON "Watch"("serviceId");

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
CREATE INDEX "Notification_sentAt_abandonedAt_idx" ON "Notification"("sentAt", "abandonedAt");

-- CreateIndex
CREATE INDEX "Outbox_platform_takenAt_idx" ON "Outbox"("platform", "takenAt");

-- CreateIndex
CREATE INDEX "AuditEvent_subjectType_subjectId_idx" ON "AuditEvent"("subjectType", "subjectId");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE INDEX "Attempt_key_at_idx" ON "Attempt"("key", "at");

-- AddForeignKey
ALTER TABLE "Watch" ADD CONSTRAINT "Watch_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Watch" ADD CONSTRAINT "Watch_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Identity" ADD CONSTRAINT "Identity_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LinkCode" ADD CONSTRAINT "LinkCode_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceMaintainer" ADD CONSTRAINT "ServiceMaintainer_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceMaintainer" ADD CONSTRAINT "ServiceMaintainer_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceUse" ADD CONSTRAINT "ServiceUse_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceUse" ADD CONSTRAINT "ServiceUse_usesId_fkey" FOREIGN KEY ("usesId") REFERENCES "Service"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LevelChange" ADD CONSTRAINT "LevelChange_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Assessment" ADD CONSTRAINT "Assessment_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VerificationRequest" ADD CONSTRAINT "VerificationRequest_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VerificationRequest" ADD CONSTRAINT "VerificationRequest_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PollElector" ADD CONSTRAINT "PollElector_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PollElector" ADD CONSTRAINT "PollElector_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Vote" ADD CONSTRAINT "Vote_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Vote" ADD CONSTRAINT "Vote_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PollMessage" ADD CONSTRAINT "PollMessage_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deficiency" ADD CONSTRAINT "Deficiency_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deficiency" ADD CONSTRAINT "Deficiency_graceMeetingId_fkey" FOREIGN KEY ("graceMeetingId") REFERENCES "Meeting"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AnnualUpdate" ADD CONSTRAINT "AnnualUpdate_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AnnualUpdate" ADD CONSTRAINT "AnnualUpdate_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The single row every write transaction touches first (see src/store/prisma-store.ts).
INSERT INTO "WriteLock" ("id", "n") VALUES (1, 0);
