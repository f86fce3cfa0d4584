CREATE TABLE "emails_sortants" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"destinataire" text NOT NULL,
	"sujet" text NOT NULL,
	"texte" text NOT NULL,
	"ics" text,
	"statut" text DEFAULT 'a_envoyer' NOT NULL,
	"tentatives" integer DEFAULT 0 NOT NULL,
	"prochain_essai" timestamp with time zone DEFAULT now() NOT NULL,
	"derniere_erreur" text,
	"envoye_le" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "revue_actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"point_id" uuid NOT NULL,
	"operation_id" uuid NOT NULL,
	"libelle" text NOT NULL,
	"responsable" text NOT NULL,
	"echeance" date NOT NULL,
	"statut" text DEFAULT 'ouverte' NOT NULL,
	"close_le" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "revue_participants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"revue_id" uuid NOT NULL,
	"email" text NOT NULL,
	"nom" text,
	"organisation" text,
	"invite_le" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "revue_points" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"revue_id" uuid NOT NULL,
	"operation_id" uuid NOT NULL,
	"origine" text NOT NULL,
	"ordre" integer NOT NULL,
	"situation" text,
	"decisions" text,
	"escalade" boolean DEFAULT false NOT NULL,
	"escalade_motif" text,
	"escalade_le" timestamp with time zone,
	"arbitrage" text,
	"arbitrage_le" date,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "revues" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"epci_siren" text NOT NULL,
	"departement" text NOT NULL,
	"date" timestamp with time zone NOT NULL,
	"lieu" text,
	"statut" text DEFAULT 'planifiee' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "revue_actions" ADD CONSTRAINT "revue_actions_point_id_revue_points_id_fk" FOREIGN KEY ("point_id") REFERENCES "public"."revue_points"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revue_actions" ADD CONSTRAINT "revue_actions_operation_id_operations_id_fk" FOREIGN KEY ("operation_id") REFERENCES "public"."operations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revue_participants" ADD CONSTRAINT "revue_participants_revue_id_revues_id_fk" FOREIGN KEY ("revue_id") REFERENCES "public"."revues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revue_points" ADD CONSTRAINT "revue_points_revue_id_revues_id_fk" FOREIGN KEY ("revue_id") REFERENCES "public"."revues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revue_points" ADD CONSTRAINT "revue_points_operation_id_operations_id_fk" FOREIGN KEY ("operation_id") REFERENCES "public"."operations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revues" ADD CONSTRAINT "revues_epci_siren_epci_siren_fk" FOREIGN KEY ("epci_siren") REFERENCES "public"."epci"("siren") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revues" ADD CONSTRAINT "revues_departement_departements_code_fk" FOREIGN KEY ("departement") REFERENCES "public"."departements"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "emails_sortants_file_idx" ON "emails_sortants" USING btree ("statut","prochain_essai");--> statement-breakpoint
CREATE INDEX "revue_actions_operation_idx" ON "revue_actions" USING btree ("operation_id","statut");--> statement-breakpoint
CREATE UNIQUE INDEX "revue_participants_key" ON "revue_participants" USING btree ("revue_id","email");--> statement-breakpoint
CREATE UNIQUE INDEX "revue_points_key" ON "revue_points" USING btree ("revue_id","operation_id");--> statement-breakpoint
CREATE INDEX "revue_points_operation_idx" ON "revue_points" USING btree ("operation_id");--> statement-breakpoint
CREATE INDEX "revues_epci_date_idx" ON "revues" USING btree ("epci_siren","date");--> statement-breakpoint
CREATE INDEX "revues_departement_date_idx" ON "revues" USING btree ("departement","date");