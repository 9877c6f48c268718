CREATE TABLE "backup_stored_jobs" (
	"name" text PRIMARY KEY NOT NULL,
	"job" jsonb NOT NULL,
	"database" jsonb,
	"origin" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
