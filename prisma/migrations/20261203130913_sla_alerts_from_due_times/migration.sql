-- AlterTable
ALTER TABLE "escalations" ADD COLUMN     "firstResponseWarnedAt" TIMESTAMP(3),
ADD COLUMN     "resolutionWarnedAt" TIMESTAMP(3),
ADD COLUMN     "slaNextAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "escalations_slaNextAt_idx" ON "escalations"("slaNextAt");

-- SLA alerts move from delayed BullMQ jobs to these columns. Warnings already sent are marked, and
-- every open case is looked at once by the SLA worker, which sets its next alert time.
UPDATE "escalations" e SET "firstResponseWarnedAt" = w."createdAt"
FROM (SELECT "escalationId", min("createdAt") AS "createdAt" FROM "escalation_events"
      WHERE type = 'sla_warning' AND data->>'kind' = 'firstResponse' GROUP BY "escalationId") w
WHERE w."escalationId" = e.id;

UPDATE "escalations" e SET "resolutionWarnedAt" = w."createdAt"
FROM (SELECT "escalationId", min("createdAt") AS "createdAt" FROM "escalation_events"
      WHERE type = 'sla_warning' AND data->>'kind' = 'resolution' GROUP BY "escalationId") w
WHERE w."escalationId" = e.id;

UPDATE "escalations" SET "slaNextAt" = "createdAt" WHERE status IN ('OPEN', 'IN_PROGRESS');
