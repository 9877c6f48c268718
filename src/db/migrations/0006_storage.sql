CREATE TABLE "disk_samples" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"mount" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"size_bytes" bigint NOT NULL,
	"used_bytes" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "disk_samples_mount_at_idx" ON "disk_samples" USING btree ("mount","at");