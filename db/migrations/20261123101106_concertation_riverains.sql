CREATE TABLE "concertations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operation_id" uuid NOT NULL,
	"modalite" text NOT NULL,
	"date" date NOT NULL,
	"riverains_rencontres" integer NOT NULL,
	"preoccupations" text,
	"reponses" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "operations" ADD COLUMN "contact_riverains" text;--> statement-breakpoint
ALTER TABLE "concertations" ADD CONSTRAINT "concertations_operation_id_operations_id_fk" FOREIGN KEY ("operation_id") REFERENCES "public"."operations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "concertations_operation_idx" ON "concertations" USING btree ("operation_id","date");