-- Sync of the aids catalogue from aides-territoires (docs/decisions/0014). Each aid written by the
-- sync keeps its aides-territoires id, the URL of its page there and the upstream `date_updated`
-- (what makes a run incremental: an aid whose date did not move is not written again).
ALTER TABLE "aides" ADD COLUMN "at_id" text;--> statement-breakpoint
ALTER TABLE "aides" ADD COLUMN "at_url" text;--> statement-breakpoint
ALTER TABLE "aides" ADD COLUMN "at_date_updated" timestamptz;--> statement-breakpoint
CREATE UNIQUE INDEX "aides_at_id_key" ON "aides" ("at_id") WHERE "at_id" IS NOT NULL;--> statement-breakpoint
-- One row per run: when, how it ended, what it changed. A run claims its row under an advisory
-- lock (one running run across instances); a row left `en_cours` by a process that died is taken
-- over once its lease has passed.
CREATE TABLE "aides_synchronisations" (
  "id" bigserial PRIMARY KEY,
  "debut" timestamptz NOT NULL DEFAULT now(),
  "fin" timestamptz,
  "bail" timestamptz NOT NULL,
  "statut" text NOT NULL DEFAULT 'en_cours' CHECK ("statut" IN ('en_cours', 'reussie', 'echouee')),
  "mode" text NOT NULL CHECK ("mode" IN ('complete', 'incrementale')),
  "declencheur" text NOT NULL,
  "pages" integer NOT NULL DEFAULT 0,
  "lues" integer NOT NULL DEFAULT 0,
  "creees" integer NOT NULL DEFAULT 0,
  "mises_a_jour" integer NOT NULL DEFAULT 0,
  "retirees" integer NOT NULL DEFAULT 0,
  "inchangees" integer NOT NULL DEFAULT 0,
  "ignorees" integer NOT NULL DEFAULT 0,
  -- Up to 50 upstream aids left out, with the reason (French).
  "details" jsonb NOT NULL DEFAULT '[]'::jsonb,
  "erreur" text
);--> statement-breakpoint
CREATE INDEX "aides_synchronisations_debut_idx" ON "aides_synchronisations" ("debut");
