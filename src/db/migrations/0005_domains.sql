CREATE TABLE "domain_checks" (
	"domain" text PRIMARY KEY NOT NULL,
	"checked_at" timestamp with time zone NOT NULL,
	"result" jsonb NOT NULL,
	"dns_baseline" jsonb,
	"dns_baseline_at" timestamp with time zone
);
