-- AlterTable
ALTER TABLE "escalation_integrations" ADD COLUMN     "reconcileAfter" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "escalation_integrations_reconcileAfter_idx" ON "escalation_integrations"("reconcileAfter");
