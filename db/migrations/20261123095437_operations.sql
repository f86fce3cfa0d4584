CREATE TABLE "blocages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operation_id" uuid NOT NULL,
	"type" text NOT NULL,
	"description" text NOT NULL,
	"depuis" date NOT NULL,
	"acteur_attendu" text,
	"statut" text NOT NULL,
	"leve_le" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "operation_evenements" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"operation_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_label" text NOT NULL,
	"kind" text NOT NULL,
	"resume" text NOT NULL,
	"details" jsonb
);
--> statement-breakpoint
CREATE TABLE "operations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"nom" text NOT NULL,
	"commune_insee" text NOT NULL,
	"epci_siren" text,
	"departement" text NOT NULL,
	"adresse" text,
	"localisation" geometry(Point,4326),
	"bailleur_id" uuid NOT NULL,
	"numero_siap" text,
	"type" text NOT NULL,
	"plai" integer DEFAULT 0 NOT NULL,
	"plai_adapte" integer DEFAULT 0 NOT NULL,
	"plus" integer DEFAULT 0 NOT NULL,
	"pls" integer DEFAULT 0 NOT NULL,
	"psla" integer DEFAULT 0 NOT NULL,
	"brs" integer DEFAULT 0 NOT NULL,
	"annee_programmation" integer,
	"etape" text NOT NULL,
	"motif_abandon" text,
	"date_foncier_maitrise" date,
	"date_depot_permis" date,
	"date_obtention_permis" date,
	"date_recours" date,
	"date_agrement" date,
	"date_appel_offres" date,
	"date_ordre_service" date,
	"date_livraison" date,
	"date_agrement_prevue" date,
	"date_ordre_service_prevue" date,
	"date_livraison_prevue" date,
	"cout_total" numeric(14, 2),
	"plan_financement" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"nb_blocages_ouverts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "blocages" ADD CONSTRAINT "blocages_operation_id_operations_id_fk" FOREIGN KEY ("operation_id") REFERENCES "public"."operations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operation_evenements" ADD CONSTRAINT "operation_evenements_operation_id_operations_id_fk" FOREIGN KEY ("operation_id") REFERENCES "public"."operations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operations" ADD CONSTRAINT "operations_commune_insee_communes_code_insee_fk" FOREIGN KEY ("commune_insee") REFERENCES "public"."communes"("code_insee") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operations" ADD CONSTRAINT "operations_epci_siren_epci_siren_fk" FOREIGN KEY ("epci_siren") REFERENCES "public"."epci"("siren") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operations" ADD CONSTRAINT "operations_departement_departements_code_fk" FOREIGN KEY ("departement") REFERENCES "public"."departements"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operations" ADD CONSTRAINT "operations_bailleur_id_organisations_id_fk" FOREIGN KEY ("bailleur_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "blocages_operation_idx" ON "blocages" USING btree ("operation_id");--> statement-breakpoint
CREATE INDEX "blocages_type_statut_idx" ON "blocages" USING btree ("type","statut");--> statement-breakpoint
CREATE INDEX "operation_evenements_operation_idx" ON "operation_evenements" USING btree ("operation_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "operations_numero_siap_key" ON "operations" USING btree ("numero_siap");--> statement-breakpoint
CREATE INDEX "operations_epci_idx" ON "operations" USING btree ("epci_siren","etape");--> statement-breakpoint
CREATE INDEX "operations_commune_idx" ON "operations" USING btree ("commune_insee");--> statement-breakpoint
CREATE INDEX "operations_bailleur_idx" ON "operations" USING btree ("bailleur_id");--> statement-breakpoint
CREATE INDEX "operations_departement_idx" ON "operations" USING btree ("departement","etape");--> statement-breakpoint
CREATE INDEX "operations_localisation_idx" ON "operations" USING gist ("localisation");