CREATE TABLE "alerts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"fingerprint" text NOT NULL,
	"status" text NOT NULL,
	"labels" jsonb NOT NULL,
	"annotations" jsonb NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"received_count" integer DEFAULT 1 NOT NULL,
	"last_received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"incident_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" text NOT NULL,
	"audit_id" bigint,
	"data" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"fingerprint" text NOT NULL,
	"title" text NOT NULL,
	"severity" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"source" text NOT NULL,
	"labels" jsonb NOT NULL,
	"target_host" text,
	"target_container" text,
	"runbook" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"alert_count" integer DEFAULT 1 NOT NULL,
	"summary" text,
	"approval_id" uuid,
	"pending_action" jsonb,
	"acknowledged_by" text,
	"acknowledged_at" timestamp with time zone,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "remediation_actions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"target" text NOT NULL,
	"tool" text NOT NULL,
	"incident_id" uuid NOT NULL,
	"audit_id" bigint,
	"automatic" boolean NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_fingerprint_idx" ON "alerts" USING btree ("source","fingerprint");--> statement-breakpoint
CREATE INDEX "incident_events_incident_idx" ON "incident_events" USING btree ("incident_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_open_fingerprint_idx" ON "incidents" USING btree ("fingerprint") WHERE "incidents"."closed_at" is null;--> statement-breakpoint
CREATE INDEX "incidents_status_idx" ON "incidents" USING btree ("status","opened_at");--> statement-breakpoint
CREATE INDEX "incidents_approval_idx" ON "incidents" USING btree ("approval_id");--> statement-breakpoint
CREATE INDEX "remediation_actions_target_idx" ON "remediation_actions" USING btree ("target","at");