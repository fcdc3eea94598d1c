-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "EscalationStatus" AS ENUM ('OPEN', 'IN_PROGRESS', 'RESOLVED', 'CLOSED');

-- CreateEnum
CREATE TYPE "Priority" AS ENUM ('LOW', 'MEDIUM', 'HIGH', 'URGENT');

-- CreateEnum
CREATE TYPE "Channel" AS ENUM ('web_chat', 'email', 'sms', 'whatsapp', 'instagram', 'messenger', 'voice');

-- CreateEnum
CREATE TYPE "IntegrationType" AS ENUM ('SLACK', 'ZENDESK', 'FRESHDESK', 'WEBHOOK');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('PENDING', 'DELIVERED', 'FAILED', 'SKIPPED');

-- CreateTable
CREATE TABLE "stores" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "secrets" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "stores_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "keyHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "escalations" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "conversationId" TEXT NOT NULL,
    "openConversationId" TEXT,
    "channel" "Channel" NOT NULL,
    "status" "EscalationStatus" NOT NULL DEFAULT 'OPEN',
    "priority" "Priority" NOT NULL,
    "triggers" TEXT[],
    "intent" TEXT NOT NULL,
    "keywords" TEXT[],
    "summary" TEXT NOT NULL,
    "reason" TEXT,
    "aiConfidence" DOUBLE PRECISION,
    "sentiment" DOUBLE PRECISION NOT NULL,
    "customerId" TEXT,
    "customerName" TEXT,
    "customerEmail" TEXT,
    "customerTier" TEXT,
    "orderNumber" TEXT,
    "orderTotal" DOUBLE PRECISION,
    "messageCount" INTEGER NOT NULL,
    "context" JSONB NOT NULL,
    "decision" JSONB NOT NULL,
    "idempotencyKey" TEXT,
    "assignedTo" TEXT,
    "assignedAt" TIMESTAMP(3),
    "resolvedAt" TIMESTAMP(3),
    "resolutionSummary" TEXT,
    "closedAt" TIMESTAMP(3),
    "firstResponseDueAt" TIMESTAMP(3) NOT NULL,
    "resolutionDueAt" TIMESTAMP(3) NOT NULL,
    "firstResponseBreachedAt" TIMESTAMP(3),
    "resolutionBreachedAt" TIMESTAMP(3),
    "searchVector" tsvector,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "escalations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "escalation_integrations" (
    "id" UUID NOT NULL,
    "escalationId" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "type" "IntegrationType" NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "externalId" TEXT,
    "externalUrl" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "escalation_integrations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "escalation_events" (
    "id" BIGSERIAL NOT NULL,
    "escalationId" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "actor" TEXT,
    "data" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "escalation_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "evaluations" (
    "id" BIGSERIAL NOT NULL,
    "storeId" UUID NOT NULL,
    "channel" "Channel" NOT NULL,
    "escalated" BOOLEAN NOT NULL,
    "dryRun" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "evaluations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_records" (
    "storeId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "statusCode" INTEGER NOT NULL,
    "response" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_records_pkey" PRIMARY KEY ("storeId","key")
);

-- CreateTable
CREATE TABLE "feedback" (
    "id" UUID NOT NULL,
    "escalationId" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "warranted" BOOLEAN NOT NULL,
    "rating" INTEGER,
    "comment" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "feedback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbound_events" (
    "id" TEXT NOT NULL,
    "storeId" UUID NOT NULL,
    "escalationId" UUID,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seq" BIGSERIAL NOT NULL,

    CONSTRAINT "outbound_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inbound_events" (
    "source" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbound_events_pkey" PRIMARY KEY ("source","externalId")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_keyHash_key" ON "api_keys"("keyHash");

-- CreateIndex
CREATE INDEX "api_keys_storeId_idx" ON "api_keys"("storeId");

-- CreateIndex
CREATE INDEX "escalations_storeId_createdAt_id_idx" ON "escalations"("storeId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "escalations_storeId_status_createdAt_idx" ON "escalations"("storeId", "status", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "escalations_storeId_priority_createdAt_idx" ON "escalations"("storeId", "priority", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "escalations_storeId_channel_createdAt_idx" ON "escalations"("storeId", "channel", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "escalations_storeId_intent_createdAt_idx" ON "escalations"("storeId", "intent", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "escalations_storeId_assignedTo_idx" ON "escalations"("storeId", "assignedTo");

-- CreateIndex
CREATE INDEX "escalations_storeId_conversationId_idx" ON "escalations"("storeId", "conversationId");

-- CreateIndex
CREATE INDEX "escalations_triggers_idx" ON "escalations" USING GIN ("triggers");

-- CreateIndex
CREATE INDEX "escalations_searchVector_idx" ON "escalations" USING GIN ("searchVector");

-- CreateIndex
CREATE UNIQUE INDEX "escalations_storeId_openConversationId_key" ON "escalations"("storeId", "openConversationId");

-- CreateIndex
CREATE INDEX "escalation_integrations_status_updatedAt_idx" ON "escalation_integrations"("status", "updatedAt");

-- CreateIndex
CREATE INDEX "escalation_integrations_type_externalId_idx" ON "escalation_integrations"("type", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "escalation_integrations_escalationId_type_key" ON "escalation_integrations"("escalationId", "type");

-- CreateIndex
CREATE INDEX "escalation_events_escalationId_id_idx" ON "escalation_events"("escalationId", "id");

-- CreateIndex
CREATE INDEX "evaluations_storeId_createdAt_idx" ON "evaluations"("storeId", "createdAt");

-- CreateIndex
CREATE INDEX "idempotency_records_createdAt_idx" ON "idempotency_records"("createdAt");

-- CreateIndex
CREATE INDEX "feedback_storeId_createdAt_idx" ON "feedback"("storeId", "createdAt");

-- CreateIndex
CREATE INDEX "outbound_events_escalationId_seq_idx" ON "outbound_events"("escalationId", "seq");

-- CreateIndex
CREATE INDEX "outbound_events_status_createdAt_idx" ON "outbound_events"("status", "createdAt");

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "stores"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "stores"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "escalation_integrations" ADD CONSTRAINT "escalation_integrations_escalationId_fkey" FOREIGN KEY ("escalationId") REFERENCES "escalations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "escalation_events" ADD CONSTRAINT "escalation_events_escalationId_fkey" FOREIGN KEY ("escalationId") REFERENCES "escalations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_escalationId_fkey" FOREIGN KEY ("escalationId") REFERENCES "escalations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
