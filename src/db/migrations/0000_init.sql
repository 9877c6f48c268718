CREATE EXTENSION IF NOT EXISTS vector;
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"scopes" text[] DEFAULT '{}'::text[] NOT NULL,
	"prefix" text NOT NULL,
	"hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_hash_unique" UNIQUE("hash")
);
--> statement-breakpoint
CREATE TABLE "approvals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"tool" text NOT NULL,
	"args" jsonb NOT NULL,
	"args_hash" text NOT NULL,
	"target" text,
	"risk" text NOT NULL,
	"source" text NOT NULL,
	"requester" text NOT NULL,
	"reason" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"decision_reason" text,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"source" text NOT NULL,
	"principal" text NOT NULL,
	"tool" text NOT NULL,
	"target" text,
	"risk" text,
	"args" jsonb NOT NULL,
	"args_hash" text,
	"decision" text NOT NULL,
	"approval_id" uuid,
	"outcome" text NOT NULL,
	"error_code" text,
	"error_message" text,
	"duration_ms" integer,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "policy_grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tool" text NOT NULL,
	"target" text,
	"source" text,
	"granted_by" text NOT NULL,
	"approval_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "approvals_status_idx" ON "approvals" USING btree ("status","expires_at");--> statement-breakpoint
CREATE INDEX "audit_at_idx" ON "audit" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_tool_idx" ON "audit" USING btree ("tool","at");--> statement-breakpoint
CREATE FUNCTION audit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'audit rows are append-only';
  END IF;
  IF OLD.outcome <> 'running' THEN
    RAISE EXCEPTION 'audit row % is finished and cannot change', OLD.id;
  END IF;
  IF NEW.id <> OLD.id OR NEW.at <> OLD.at OR NEW.tool <> OLD.tool OR NEW.principal <> OLD.principal
     OR NEW.source <> OLD.source OR NEW.args <> OLD.args THEN
    RAISE EXCEPTION 'audit row % may only be finished, not rewritten', OLD.id;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_guard();
