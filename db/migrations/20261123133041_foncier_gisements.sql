CREATE TABLE "gisements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"identifiant" text,
	"nom" text NOT NULL,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	"geojson" text NOT NULL,
	"surface_m2" double precision NOT NULL,
	"commune_insee" text NOT NULL,
	"epci_siren" text,
	"departement" text NOT NULL,
	"references_cadastrales" text[] DEFAULT '{}'::text[] NOT NULL,
	"usage_actuel" text,
	"proprietaire" text,
	"capacite_logements" integer,
	"capacite_lls" integer,
	"outils" text[] DEFAULT '{}'::text[] NOT NULL,
	"taux_sms" numeric(5, 2),
	"contraintes" text[] DEFAULT '{}'::text[] NOT NULL,
	"epf_convention" text,
	"epf_date_acquisition" date,
	"epf_date_revente_prevue" date,
	"epf_prix" numeric(14, 2),
	"statut" text NOT NULL,
	"operation_id" uuid,
	"visibilite" text DEFAULT 'prive' NOT NULL,
	"organisations" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"source" text,
	"commentaire" text,
	"demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "gisements" ADD CONSTRAINT "gisements_commune_insee_communes_code_insee_fk" FOREIGN KEY ("commune_insee") REFERENCES "public"."communes"("code_insee") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gisements" ADD CONSTRAINT "gisements_epci_siren_epci_siren_fk" FOREIGN KEY ("epci_siren") REFERENCES "public"."epci"("siren") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gisements" ADD CONSTRAINT "gisements_departement_departements_code_fk" FOREIGN KEY ("departement") REFERENCES "public"."departements"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gisements" ADD CONSTRAINT "gisements_operation_id_operations_id_fk" FOREIGN KEY ("operation_id") REFERENCES "public"."operations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "gisements_identifiant_key" ON "gisements" USING btree ("identifiant");--> statement-breakpoint
CREATE INDEX "gisements_geom_idx" ON "gisements" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "gisements_commune_idx" ON "gisements" USING btree ("commune_insee","statut");--> statement-breakpoint
CREATE INDEX "gisements_epci_idx" ON "gisements" USING btree ("epci_siren","statut");--> statement-breakpoint
CREATE INDEX "gisements_departement_idx" ON "gisements" USING btree ("departement");--> statement-breakpoint
CREATE INDEX "gisements_outils_idx" ON "gisements" USING gin ("outils");