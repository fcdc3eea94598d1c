-- A delivery row is updated about three times before it is DELIVERED (the claim, the progress marks
-- before each helpdesk request, the outcome). Every update set "updatedAt", a column of the (status,
-- updatedAt) index, so none was a HOT update: each wrote a new entry in all five indexes (50 index
-- entries per case of three deliveries). Only the outbox sweeper used "updatedAt" there, and it finds
-- the few PENDING rows by status alone. Now the claim and the marks change no indexed column, and the
-- table leaves room in each page for their new versions (fillfactor), so they can be HOT.
-- DropIndex
DROP INDEX "escalation_integrations_status_updatedAt_idx";

-- CreateIndex
CREATE INDEX "escalation_integrations_status_idx" ON "escalation_integrations"("status");

ALTER TABLE "escalation_integrations" SET (fillfactor = 70);
