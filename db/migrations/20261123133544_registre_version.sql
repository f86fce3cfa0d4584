-- A version number of the operations register, bumped once by every transaction that changes what
-- a listing shows (operations, blockers, landlords' and territories' names). Listing answers are
-- cached per app instance under the version they were read with, and served only while the
-- version is unchanged: correct across instances and read replicas, no cross-process state.
-- The bump runs in a deferred constraint trigger, i.e. at commit: the version row is locked only
-- while the writing transaction commits, and its new value becomes visible with the changes.
CREATE TABLE "registre_version" (
  "id" smallint PRIMARY KEY DEFAULT 1 CHECK ("id" = 1),
  "version" bigint NOT NULL DEFAULT 0
);--> statement-breakpoint
INSERT INTO "registre_version" ("id", "version") VALUES (1, 0);--> statement-breakpoint
CREATE FUNCTION "registre_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Once per transaction, however many rows it changed.
  IF current_setting('atelier.registre_bumped', true) IS DISTINCT FROM txid_current()::text THEN
    PERFORM set_config('atelier.registre_bumped', txid_current()::text, true);
    UPDATE registre_version SET version = version + 1 WHERE id = 1;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "operations_registre_changed" AFTER INSERT OR UPDATE OR DELETE ON "operations"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "registre_changed"();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "blocages_registre_changed" AFTER INSERT OR UPDATE OR DELETE ON "blocages"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "registre_changed"();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "organisations_registre_changed" AFTER INSERT OR UPDATE OR DELETE ON "organisations"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "registre_changed"();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "communes_registre_changed" AFTER INSERT OR UPDATE OR DELETE ON "communes"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "registre_changed"();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "epci_registre_changed" AFTER INSERT OR UPDATE OR DELETE ON "epci"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "registre_changed"();
