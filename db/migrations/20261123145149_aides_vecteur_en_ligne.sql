-- The search reads each candidate's vector several times: keep it in the row (STORAGE MAIN: the
-- long texts go to TOAST first), and rewrite the existing vectors so that they move back in line.
ALTER TABLE "aides" ALTER COLUMN "search_vector" SET STORAGE MAIN;
--> statement-breakpoint
UPDATE "aides" SET "search_vector" = "search_vector" || ''::tsvector WHERE "search_vector" IS NOT NULL;
--> statement-breakpoint
-- Document frequency of the search lexemes of the published catalogue (kept up to date on import
-- and publication by the application).
INSERT INTO "aides_lexemes" ("lexeme", "nb_aides")
SELECT word, ndoc FROM ts_stat($q$SELECT search_vector FROM aides WHERE statut = 'publiee' AND search_vector IS NOT NULL$q$)
ON CONFLICT ("lexeme") DO NOTHING;
