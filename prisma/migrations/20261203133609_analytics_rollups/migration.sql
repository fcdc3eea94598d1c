-- CreateTable
CREATE TABLE "analytics_days" (
    "storeId" UUID NOT NULL,
    "day" TIMESTAMP(3) NOT NULL,
    "escalated" INTEGER NOT NULL,
    "evaluated" INTEGER NOT NULL,
    "counts" JSONB NOT NULL,
    "histogram" BYTEA NOT NULL,
    "pendingFirstResponse" BYTEA NOT NULL,
    "pendingResolution" BYTEA NOT NULL,
    "foldedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "analytics_days_pkey" PRIMARY KEY ("storeId","day")
);

-- CreateTable
CREATE TABLE "analytics_months" (
    "storeId" UUID NOT NULL,
    "month" TIMESTAMP(3) NOT NULL,
    "dayEscalated" INTEGER[],
    "dayEvaluated" INTEGER[],
    "counts" JSONB NOT NULL,
    "histogram" BYTEA NOT NULL,
    "pendingFirstResponse" BYTEA NOT NULL,
    "pendingResolution" BYTEA NOT NULL,
    "foldedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "analytics_months_pkey" PRIMARY KEY ("storeId","month")
);

-- CreateTable
CREATE TABLE "analytics_dirty_days" (
    "id" BIGSERIAL NOT NULL,
    "storeId" UUID NOT NULL,
    "day" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "analytics_dirty_days_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "analytics_dirty_days_storeId_day_idx" ON "analytics_dirty_days"("storeId", "day");

-- CreateIndex
CREATE INDEX "feedback_escalationId_createdAt_idx" ON "feedback"("escalationId", "createdAt");

-- AddForeignKey
ALTER TABLE "analytics_days" ADD CONSTRAINT "analytics_days_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "stores"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "analytics_months" ADD CONSTRAINT "analytics_months_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "stores"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Rollups of finished days (analytics_days) stay true when a case, its feedback or breach actions,
-- or an evaluation changes after its day was folded: these triggers list the days touched. Only days before today (UTC) can have been folded, so
-- changes to today's cases write nothing. INSERTs of cases and evaluations (the accept path) have no
-- trigger: they are created now, in a day that is not folded yet (the job waits an hour past midnight).
CREATE FUNCTION analytics_mark_days(touched_store UUID[], touched_at TIMESTAMP[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO analytics_dirty_days ("storeId", day)
  SELECT DISTINCT s, date_trunc('day', t) FROM unnest(touched_store, touched_at) AS u(s, t)
  WHERE t < date_trunc('day', now() AT TIME ZONE 'UTC');
$$;

-- Cases: a row trigger whose WHEN is checked without calling any function, so the UPDATEs of
-- today's cases (the lifecycle, the SLA worker, a follow-up message) cost nothing more; only a change
-- of a column analytics reads, on a case of an earlier day, marks its day (and its new day if moved).
CREATE FUNCTION analytics_escalation_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM analytics_mark_days(ARRAY[OLD."storeId", NEW."storeId"], ARRAY[OLD."createdAt", NEW."createdAt"]);
  RETURN NULL;
END $$;

CREATE TRIGGER analytics_escalations_updated AFTER UPDATE ON escalations FOR EACH ROW
  WHEN ((OLD."createdAt" < date_trunc('day', now() AT TIME ZONE 'UTC') OR NEW."createdAt" < date_trunc('day', now() AT TIME ZONE 'UTC'))
    AND (OLD."storeId", OLD."createdAt", OLD.status, OLD.priority, OLD.channel, OLD.intent, OLD.triggers, OLD.keywords, OLD."assignedAt", OLD."resolvedAt",
         OLD."firstResponseDueAt", OLD."resolutionDueAt", OLD."firstResponseBreachedAt", OLD."resolutionBreachedAt", OLD."slaTimeZone", OLD."expectedFirstResponseAt")
      IS DISTINCT FROM
        (NEW."storeId", NEW."createdAt", NEW.status, NEW.priority, NEW.channel, NEW.intent, NEW.triggers, NEW.keywords, NEW."assignedAt", NEW."resolvedAt",
         NEW."firstResponseDueAt", NEW."resolutionDueAt", NEW."firstResponseBreachedAt", NEW."resolutionBreachedAt", NEW."slaTimeZone", NEW."expectedFirstResponseAt"))
  EXECUTE FUNCTION analytics_escalation_changed();

CREATE FUNCTION analytics_escalations_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM analytics_mark_days(array_agg(o."storeId"), array_agg(o."createdAt")) FROM old_rows o;
  RETURN NULL;
END $$;

CREATE TRIGGER analytics_escalations_deleted AFTER DELETE ON escalations
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_escalations_deleted();

-- Feedback and breach actions count on their case's creation day.
CREATE FUNCTION analytics_case_rows_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM analytics_mark_days(array_agg(e."storeId"), array_agg(e."createdAt")) FROM new_rows r JOIN escalations e ON e.id = r."escalationId";
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM analytics_mark_days(array_agg(e."storeId"), array_agg(e."createdAt"))
    FROM (SELECT "escalationId" FROM new_rows UNION SELECT "escalationId" FROM old_rows) r JOIN escalations e ON e.id = r."escalationId";
  ELSE
    -- A case deleted with its rows is marked by the escalations trigger.
    PERFORM analytics_mark_days(array_agg(e."storeId"), array_agg(e."createdAt")) FROM old_rows r JOIN escalations e ON e.id = r."escalationId";
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER analytics_feedback_inserted AFTER INSERT ON feedback
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_case_rows_changed();
CREATE TRIGGER analytics_feedback_updated AFTER UPDATE ON feedback
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_case_rows_changed();
CREATE TRIGGER analytics_feedback_deleted AFTER DELETE ON feedback
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_case_rows_changed();
CREATE TRIGGER analytics_breach_actions_inserted AFTER INSERT ON sla_breach_actions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_case_rows_changed();
CREATE TRIGGER analytics_breach_actions_updated AFTER UPDATE ON sla_breach_actions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_case_rows_changed();
CREATE TRIGGER analytics_breach_actions_deleted AFTER DELETE ON sla_breach_actions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_case_rows_changed();

-- Evaluations count on their own day.
CREATE FUNCTION analytics_evaluations_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    PERFORM analytics_mark_days(array_agg(x.s), array_agg(x.t)) FROM (
      SELECT "storeId" AS s, "createdAt" AS t FROM old_rows UNION ALL SELECT "storeId", "createdAt" FROM new_rows) x;
  ELSE
    PERFORM analytics_mark_days(array_agg(o."storeId"), array_agg(o."createdAt")) FROM old_rows o;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER analytics_evaluations_updated AFTER UPDATE ON evaluations
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_evaluations_changed();
CREATE TRIGGER analytics_evaluations_deleted AFTER DELETE ON evaluations
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_evaluations_changed();
