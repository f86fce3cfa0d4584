-- Replaced by gisements_synthese_idx (previous migration), which leads with the same columns.
DROP INDEX IF EXISTS "gisements_commune_idx";
