-- AlterTable
ALTER TABLE "escalation_integrations" ADD COLUMN     "leaseUntil" TIMESTAMP(3);
