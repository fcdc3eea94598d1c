-- AlterTable
ALTER TABLE "escalations" ADD COLUMN     "firstResponseWarnedAt" TIMESTAMP(3),
ADD COLUMN     "resolutionWarnedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "sla_timers" (
    "escalationId" UUID NOT NULL,
    "nextAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "sla_timers_pkey" PRIMARY KEY ("escalationId")
);

-- CreateIndex
CREATE INDEX "sla_timers_nextAt_idx" ON "sla_timers"("nextAt");

-- AddForeignKey
ALTER TABLE "sla_timers" ADD CONSTRAINT "sla_timers_escalationId_fkey" FOREIGN KEY ("escalationId") REFERENCES "escalations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- SLA alerts move from delayed BullMQ jobs to sla_timers. Warnings already sent are marked, and
-- every open case gets a timer due now: the SLA worker looks at it once and sets its next alert.
UPDATE "escalations" e SET "firstResponseWarnedAt" = w."createdAt"
FROM (SELECT "escalationId", min("createdAt") AS "createdAt" FROM "escalation_events"
      WHERE type = 'sla_warning' AND data->>'kind' = 'firstResponse' GROUP BY "escalationId") w
WHERE w."escalationId" = e.id;

UPDATE "escalations" e SET "resolutionWarnedAt" = w."createdAt"
FROM (SELECT "escalationId", min("createdAt") AS "createdAt" FROM "escalation_events"
      WHERE type = 'sla_warning' AND data->>'kind' = 'resolution' GROUP BY "escalationId") w
WHERE w."escalationId" = e.id;

INSERT INTO "sla_timers" ("escalationId", "nextAt")
SELECT id, "createdAt" FROM "escalations" WHERE status IN ('OPEN', 'IN_PROGRESS');
