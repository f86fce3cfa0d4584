CREATE TABLE "gisements_agregats" (
	"commune_insee" text NOT NULL,
	"epci_siren" text DEFAULT '' NOT NULL,
	"departement" text NOT NULL,
	"statut" text NOT NULL,
	"outils" text[] NOT NULL,
	"visibilite" text NOT NULL,
	"nb" integer NOT NULL,
	"surface_m2" double precision NOT NULL,
	"capacite_logements" bigint NOT NULL,
	"capacite_lls" bigint NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "gisements_agregats_key" ON "gisements_agregats" USING btree ("commune_insee","epci_siren","departement","statut","outils","visibilite");--> statement-breakpoint
CREATE INDEX "gisements_operation_idx" ON "gisements" USING btree ("operation_id") WHERE operation_id IS NOT NULL;