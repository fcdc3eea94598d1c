-- POST /escalate writes every index of escalations for each new case. These two served no query:
-- the assignee filter compares lower("assignedTo") (src/escalations/search.ts), which a plain index
-- on the column cannot answer, and no query looks a case up by its conversation id alone (the open
-- case of a conversation is found through the unique (storeId, openConversationId) index).
-- DropIndex
DROP INDEX "escalations_storeId_assignedTo_idx";

-- DropIndex
DROP INDEX "escalations_storeId_conversationId_idx";

-- A new case's row is about 3 KB (its context and decision as jsonb): past 2 KB Postgres compresses
-- the largest values with pglz before storing, which gained about 15% of their size and cost about
-- an eighth of the INSERT's CPU. Rows up to the page's limit are now stored as they are; a longer
-- conversation is still compressed and moved out of line.
ALTER TABLE "escalations" SET (toast_tuple_target = 8160);
