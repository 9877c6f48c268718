CREATE TABLE "instances" (
	"id" text PRIMARY KEY NOT NULL,
	"role" text NOT NULL,
	"host" text NOT NULL,
	"pid" integer NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit" ADD COLUMN "owner" text;--> statement-breakpoint
ALTER TABLE "backup_runs" ADD COLUMN "owner" text;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "owner" text;--> statement-breakpoint
CREATE INDEX "audit_running_idx" ON "audit" USING btree ("owner") WHERE outcome = 'running';--> statement-breakpoint
CREATE INDEX "backup_runs_running_idx" ON "backup_runs" USING btree ("owner") WHERE status = 'running';--> statement-breakpoint
CREATE INDEX "runs_running_idx" ON "runs" USING btree ("owner") WHERE status = 'running';