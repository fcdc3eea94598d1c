-- CreateIndex
CREATE INDEX "escalation_events_createdAt_idx" ON "escalation_events"("createdAt");
