-- The observatory's synthesis aggregates every gisement in scope: a covering index lets PostgreSQL
-- answer it with an index-only scan (a fraction of the table's size: no geometry, no GeoJSON text).
CREATE INDEX IF NOT EXISTS "gisements_synthese_idx" ON "gisements" USING btree ("commune_insee", "statut")
  INCLUDE ("epci_siren", "departement", "visibilite", "surface_m2", "capacite_logements", "capacite_lls", "outils", "operation_id");
