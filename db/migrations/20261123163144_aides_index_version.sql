-- The aids search runs on an index that each application instance holds in memory
-- (server/modules/aides/aides.index.ts), a cache of this table. To keep every instance exact:
-- a version of the searchable catalogue, bumped once by each transaction that changes what the
-- search reads, and the aids each version changed. An instance reads the version (once per
-- event-loop turn); when it moved, it reads the changed aids and applies them, or rebuilds when
-- too many changed or the changes it missed were purged. As for registre_version, the bump runs in
-- a deferred constraint trigger, i.e. at commit, so versions follow the order of commits.
CREATE TABLE "aides_index_version" (
  "id" smallint PRIMARY KEY DEFAULT 1 CHECK ("id" = 1),
  "version" bigint NOT NULL DEFAULT 0,
  -- Changes up to this version may have been purged from aides_changements.
  "purge" bigint NOT NULL DEFAULT 0
);--> statement-breakpoint
INSERT INTO "aides_index_version" ("id", "version", "purge") VALUES (1, 0, 0);--> statement-breakpoint
CREATE TABLE "aides_changements" (
  "version" bigint NOT NULL,
  "aide_id" uuid NOT NULL,
  "le" timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY ("version", "aide_id")
);--> statement-breakpoint
-- The version of the committing transaction: bumped once per transaction, however many aids it changed.
CREATE FUNCTION "aides_index_version_txn"() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  etat text := current_setting('atelier.aides_index', true);
  v bigint;
BEGIN
  IF etat IS NULL OR etat = '' OR split_part(etat, ':', 1) <> txid_current()::text THEN
    UPDATE aides_index_version SET version = version + 1 WHERE id = 1 RETURNING version INTO v;
    PERFORM set_config('atelier.aides_index', txid_current()::text || ':' || v::text, true);
    RETURN v;
  END IF;
  RETURN split_part(etat, ':', 2)::bigint;
END $$;--> statement-breakpoint
CREATE FUNCTION "aides_index_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO aides_changements (version, aide_id) VALUES (aides_index_version_txn(), CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END)
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
-- The search also shows the financer organisation's name.
CREATE FUNCTION "aides_index_organisation_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO aides_changements (version, aide_id) SELECT aides_index_version_txn(), id FROM aides WHERE organisation_id = NEW.id
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "aides_index_insert" AFTER INSERT OR DELETE ON "aides"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "aides_index_changed"();--> statement-breakpoint
-- The counters (views, clicks) and the reminders' bookkeeping do not move the index: everything
-- else the search reads or shows does.
CREATE CONSTRAINT TRIGGER "aides_index_update" AFTER UPDATE ON "aides"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN ((to_jsonb(OLD) - 'vues' - 'clics' - 'derniere_relance') IS DISTINCT FROM (to_jsonb(NEW) - 'vues' - 'clics' - 'derniere_relance'))
  EXECUTE FUNCTION "aides_index_changed"();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "organisations_aides_index" AFTER UPDATE ON "organisations"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (OLD.nom IS DISTINCT FROM NEW.nom)
  EXECUTE FUNCTION "aides_index_organisation_changed"();
