-- Keeps gisements_agregats (running totals per territory, status, tools, visibility) in step with
-- gisements, in the same transaction as each write. Bulk loads may disable the trigger and call
-- gisements_agregats_reconstruire() afterwards.
CREATE OR REPLACE FUNCTION gisements_agregats_maj() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE gisements_agregats a
       SET nb = a.nb - 1,
           surface_m2 = a.surface_m2 - OLD.surface_m2,
           capacite_logements = a.capacite_logements - COALESCE(OLD.capacite_logements, 0),
           capacite_lls = a.capacite_lls - COALESCE(OLD.capacite_lls, 0)
     WHERE a.commune_insee = OLD.commune_insee AND a.epci_siren = COALESCE(OLD.epci_siren, '') AND a.departement = OLD.departement
       AND a.statut = OLD.statut AND a.outils = OLD.outils AND a.visibilite = OLD.visibilite;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO gisements_agregats AS a (commune_insee, epci_siren, departement, statut, outils, visibilite, nb, surface_m2, capacite_logements, capacite_lls)
    VALUES (NEW.commune_insee, COALESCE(NEW.epci_siren, ''), NEW.departement, NEW.statut, NEW.outils, NEW.visibilite, 1, NEW.surface_m2,
            COALESCE(NEW.capacite_logements, 0), COALESCE(NEW.capacite_lls, 0))
    ON CONFLICT (commune_insee, epci_siren, departement, statut, outils, visibilite) DO UPDATE
       SET nb = a.nb + 1,
           surface_m2 = a.surface_m2 + EXCLUDED.surface_m2,
           capacite_logements = a.capacite_logements + EXCLUDED.capacite_logements,
           capacite_lls = a.capacite_lls + EXCLUDED.capacite_lls;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER gisements_agregats_trg AFTER INSERT OR UPDATE OR DELETE ON gisements
  FOR EACH ROW EXECUTE FUNCTION gisements_agregats_maj();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION gisements_agregats_reconstruire() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM gisements_agregats;
  INSERT INTO gisements_agregats (commune_insee, epci_siren, departement, statut, outils, visibilite, nb, surface_m2, capacite_logements, capacite_lls)
  SELECT commune_insee, COALESCE(epci_siren, ''), departement, statut, outils, visibilite, count(*)::int, sum(surface_m2),
         sum(COALESCE(capacite_logements, 0)), sum(COALESCE(capacite_lls, 0))
  FROM gisements GROUP BY 1, 2, 3, 4, 5, 6;
END
$$;
--> statement-breakpoint
SELECT gisements_agregats_reconstruire();
