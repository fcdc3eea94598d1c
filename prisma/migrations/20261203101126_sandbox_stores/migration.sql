-- AlterTable
ALTER TABLE "stores" ADD COLUMN     "demo" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "sandbox" BOOLEAN NOT NULL DEFAULT false;

-- Demo stores made by earlier versions (one per fresh start) only ever talked to the sandbox, with
-- made-up credentials: keep them sandbox stores rather than send those credentials to real helpdesks.
UPDATE "stores" SET "sandbox" = true
WHERE "name" = 'Demo Store'
  AND "config" -> 'zendesk' ->> 'subdomain' = 'demo'
  AND "config" -> 'freshdesk' ->> 'domain' = 'demo.freshdesk.com';
