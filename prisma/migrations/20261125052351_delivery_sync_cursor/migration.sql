-- AlterTable
ALTER TABLE "escalation_integrations" ADD COLUMN     "syncedEventId" BIGINT NOT NULL DEFAULT 0;
