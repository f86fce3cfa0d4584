-- The map's bbox query concatenates one stored Feature text per gisement: no JSON is built per
-- request. This BEFORE trigger keeps it in step with the geometry and the contract's properties
-- (id, nom, commune, capacite_logements, capacite_lls, statut, outils, demo).
CREATE OR REPLACE FUNCTION gisements_feature_maj() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.feature := '{"type":"Feature","id":"' || NEW.id || '","geometry":' || NEW.geojson || ',"properties":' ||
    json_build_object('id', NEW.id, 'nom', NEW.nom, 'commune', NEW.commune_insee, 'capacite_logements', NEW.capacite_logements,
                      'capacite_lls', NEW.capacite_lls, 'statut', NEW.statut, 'outils', NEW.outils, 'demo', NEW.demo)::text || '}';
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER gisements_feature_trg BEFORE INSERT OR UPDATE ON gisements
  FOR EACH ROW EXECUTE FUNCTION gisements_feature_maj();
--> statement-breakpoint
UPDATE gisements SET feature = NULL WHERE feature IS NULL;
