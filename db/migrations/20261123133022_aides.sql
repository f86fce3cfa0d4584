-- French full-text search without accents, for the aids catalogue (both PGlite and server PG).
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'fr_unaccent') THEN
    -- French stemming without the stop-word list: acronyms such as PLUS must stay searchable; the
    -- application drops stop words from queries itself.
    CREATE TEXT SEARCH DICTIONARY fr_stem_nostop (TEMPLATE = snowball, Language = french);
    CREATE TEXT SEARCH CONFIGURATION fr_unaccent (COPY = french);
    ALTER TEXT SEARCH CONFIGURATION fr_unaccent
      ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, hword, hword_part, word WITH unaccent, fr_stem_nostop;
  END IF;
END $$;--> statement-breakpoint
CREATE TABLE "aides" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"source_id" text,
	"name" text NOT NULL,
	"short_title" text,
	"financers" text[] DEFAULT '{}'::text[] NOT NULL,
	"instructors" text[] DEFAULT '{}'::text[] NOT NULL,
	"programs" text[] DEFAULT '{}'::text[] NOT NULL,
	"aid_types" text[] DEFAULT '{}'::text[] NOT NULL,
	"targeted_audiences" text[] DEFAULT '{}'::text[] NOT NULL,
	"perimeter_scale" text NOT NULL,
	"perimeter_code" text NOT NULL,
	"perimeter_name" text NOT NULL,
	"categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"eligibility" text DEFAULT '' NOT NULL,
	"mobilization_steps" text[] DEFAULT '{}'::text[] NOT NULL,
	"recurrence" text,
	"is_call_for_project" boolean DEFAULT false NOT NULL,
	"start_date" date,
	"submission_deadline" date,
	"subvention_rate_lower_bound" numeric,
	"subvention_rate_upper_bound" numeric,
	"loan_amount" numeric,
	"origin_url" text,
	"application_url" text,
	"logement_social" boolean DEFAULT false NOT NULL,
	"operation_types" text[] DEFAULT '{}'::text[] NOT NULL,
	"produits" text[] DEFAULT '{}'::text[] NOT NULL,
	"conditions_territoriales" text[] DEFAULT '{}'::text[] NOT NULL,
	"confidence" text,
	"statut" text DEFAULT 'brouillon' NOT NULL,
	"organisation_id" uuid,
	"confirmee_le" timestamp with time zone,
	"publiee_le" timestamp with time zone,
	"motif_renvoi" text,
	"derniere_relance" timestamp with time zone,
	"vues" integer DEFAULT 0 NOT NULL,
	"clics" integer DEFAULT 0 NOT NULL,
	"search_vector" "tsvector",
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "aides_alertes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"recherche" jsonb NOT NULL,
	"frequence" text NOT NULL,
	"jeton_hash" text NOT NULL,
	"confirmee_le" timestamp with time zone,
	"dernier_envoi" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "aides_financeurs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"nom" text NOT NULL,
	"slug" text NOT NULL,
	"organisation_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "aides_recherches" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"texte" text,
	"filtres" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"audience" text,
	"nb_resultats" integer NOT NULL,
	"source" text NOT NULL,
	"clics" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "aides_termes" (
	"mot" text PRIMARY KEY NOT NULL,
	"nb_aides" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "aides_vocabulaire" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"termes" text[] NOT NULL,
	"note" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "aides" ADD CONSTRAINT "aides_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aides_financeurs" ADD CONSTRAINT "aides_financeurs_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "aides_slug_key" ON "aides" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "aides_statut_idx" ON "aides" USING btree ("statut");--> statement-breakpoint
CREATE INDEX "aides_organisation_idx" ON "aides" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "aides_search_idx" ON "aides" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "aides_perimeter_idx" ON "aides" USING btree ("perimeter_code");--> statement-breakpoint
CREATE UNIQUE INDEX "aides_alertes_jeton_key" ON "aides_alertes" USING btree ("jeton_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "aides_financeurs_slug_key" ON "aides_financeurs" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "aides_recherches_at_idx" ON "aides_recherches" USING btree ("at");--> statement-breakpoint
CREATE INDEX "aides_termes_trgm_idx" ON "aides_termes" USING gin ("mot" gin_trgm_ops);