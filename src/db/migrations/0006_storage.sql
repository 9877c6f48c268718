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
CREATE TABLE "disk_samples" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"mount" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"size_bytes" bigint NOT NULL,
	"used_bytes" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"iv" text NOT NULL,
	"tag" text NOT NULL,
	"ciphertext" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "backup_runs_job_idx" ON "backup_runs" USING btree ("job","started_at");--> statement-breakpoint
CREATE INDEX "disk_samples_mount_at_idx" ON "disk_samples" USING btree ("mount","at");