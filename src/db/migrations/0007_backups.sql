CREATE TABLE "backup_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"job" text NOT NULL,
	"trigger" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"status" text NOT NULL,
	"snapshot_id" text,
	"summary" jsonb,
	"error" text
);
--> statement-breakpoint
CREATE INDEX "backup_runs_job_idx" ON "backup_runs" USING btree ("job","started_at");