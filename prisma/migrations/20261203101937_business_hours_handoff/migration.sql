-- AlterTable
ALTER TABLE "escalations" ADD COLUMN     "expectedFirstResponseAt" TIMESTAMP(3),
ADD COLUMN     "firstResponseWarnAt" TIMESTAMP(3),
ADD COLUMN     "resolutionWarnAt" TIMESTAMP(3),
ADD COLUMN     "slaTimeZone" TEXT;

-- CreateTable
CREATE TABLE "sla_breach_actions" (
    "escalationId" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "policy" INTEGER NOT NULL,
    "actions" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sla_breach_actions_pkey" PRIMARY KEY ("escalationId","kind","policy")
);

-- CreateIndex
CREATE INDEX "sla_breach_actions_storeId_createdAt_idx" ON "sla_breach_actions"("storeId", "createdAt");

-- CreateIndex
CREATE INDEX "escalations_storeId_priority_assignedAt_idx" ON "escalations"("storeId", "priority", "assignedAt" DESC);

-- AddForeignKey
ALTER TABLE "sla_breach_actions" ADD CONSTRAINT "sla_breach_actions_escalationId_fkey" FOREIGN KEY ("escalationId") REFERENCES "escalations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
