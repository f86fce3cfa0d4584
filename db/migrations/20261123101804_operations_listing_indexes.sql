DROP INDEX "operations_epci_idx";--> statement-breakpoint
DROP INDEX "operations_commune_idx";--> statement-breakpoint
DROP INDEX "operations_bailleur_idx";--> statement-breakpoint
DROP INDEX "operations_departement_idx";--> statement-breakpoint
CREATE INDEX "operations_epci_idx" ON "operations" USING btree ("epci_siren","updated_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "operations_commune_idx" ON "operations" USING btree ("commune_insee","updated_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "operations_bailleur_idx" ON "operations" USING btree ("bailleur_id","updated_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "operations_departement_idx" ON "operations" USING btree ("departement","updated_at" DESC NULLS LAST,"id");