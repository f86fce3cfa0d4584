CREATE TABLE "calendrier_abonnements" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"nonce" text NOT NULL,
	"jeton_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"dernier_acces" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "caleol_presences" (
	"seance_id" uuid NOT NULL,
	"commune_insee" text NOT NULL,
	"presence" text NOT NULL,
	"enregistre_le" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "caleol_presences_seance_id_commune_insee_pk" PRIMARY KEY("seance_id","commune_insee")
);
--> statement-breakpoint
CREATE TABLE "caleol_seances" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bailleur_id" uuid NOT NULL,
	"commission" text NOT NULL,
	"debut" timestamp with time zone NOT NULL,
	"fin" timestamp with time zone NOT NULL,
	"lieu" text,
	"lien_visio" text,
	"ordre_du_jour" text,
	"communes" text[] NOT NULL,
	"epcis" text[] DEFAULT '{}'::text[] NOT NULL,
	"departements" text[] NOT NULL,
	"statut" text DEFAULT 'planifiee' NOT NULL,
	"motif_annulation" text,
	"sequence" integer DEFAULT 0 NOT NULL,
	"modifications" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "livraisons_avis" (
	"operation_id" uuid PRIMARY KEY NOT NULL,
	"date_livraison_prevue" date NOT NULL,
	"envoye_le" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "logements_liberes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bailleur_id" uuid NOT NULL,
	"commune_insee" text NOT NULL,
	"epci_siren" text,
	"departement" text NOT NULL,
	"reference" text,
	"residence" text,
	"adresse" text,
	"typologie" text NOT NULL,
	"surface_m2" numeric(7, 2),
	"produit" text NOT NULL,
	"loyer_mensuel" numeric(9, 2),
	"disponible_le" date NOT NULL,
	"reservataire" text NOT NULL,
	"accessible" boolean,
	"seance_id" uuid,
	"statut" text DEFAULT 'declare' NOT NULL,
	"attribue_le" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "operation_contingents" (
	"operation_id" uuid NOT NULL,
	"reservataire" text NOT NULL,
	"logements" integer NOT NULL,
	CONSTRAINT "operation_contingents_operation_id_reservataire_pk" PRIMARY KEY("operation_id","reservataire")
);
--> statement-breakpoint
ALTER TABLE "calendrier_abonnements" ADD CONSTRAINT "calendrier_abonnements_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "caleol_presences" ADD CONSTRAINT "caleol_presences_seance_id_caleol_seances_id_fk" FOREIGN KEY ("seance_id") REFERENCES "public"."caleol_seances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "caleol_presences" ADD CONSTRAINT "caleol_presences_commune_insee_communes_code_insee_fk" FOREIGN KEY ("commune_insee") REFERENCES "public"."communes"("code_insee") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "caleol_seances" ADD CONSTRAINT "caleol_seances_bailleur_id_organisations_id_fk" FOREIGN KEY ("bailleur_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "livraisons_avis" ADD CONSTRAINT "livraisons_avis_operation_id_operations_id_fk" FOREIGN KEY ("operation_id") REFERENCES "public"."operations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "logements_liberes" ADD CONSTRAINT "logements_liberes_bailleur_id_organisations_id_fk" FOREIGN KEY ("bailleur_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "logements_liberes" ADD CONSTRAINT "logements_liberes_commune_insee_communes_code_insee_fk" FOREIGN KEY ("commune_insee") REFERENCES "public"."communes"("code_insee") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "logements_liberes" ADD CONSTRAINT "logements_liberes_epci_siren_epci_siren_fk" FOREIGN KEY ("epci_siren") REFERENCES "public"."epci"("siren") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "logements_liberes" ADD CONSTRAINT "logements_liberes_departement_departements_code_fk" FOREIGN KEY ("departement") REFERENCES "public"."departements"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "logements_liberes" ADD CONSTRAINT "logements_liberes_seance_id_caleol_seances_id_fk" FOREIGN KEY ("seance_id") REFERENCES "public"."caleol_seances"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operation_contingents" ADD CONSTRAINT "operation_contingents_operation_id_operations_id_fk" FOREIGN KEY ("operation_id") REFERENCES "public"."operations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "calendrier_abonnements_jeton_key" ON "calendrier_abonnements" USING btree ("jeton_hash");--> statement-breakpoint
CREATE INDEX "caleol_seances_bailleur_idx" ON "caleol_seances" USING btree ("bailleur_id","debut");--> statement-breakpoint
CREATE INDEX "caleol_seances_communes_idx" ON "caleol_seances" USING gin ("communes");--> statement-breakpoint
CREATE INDEX "caleol_seances_epcis_idx" ON "caleol_seances" USING gin ("epcis");--> statement-breakpoint
CREATE INDEX "caleol_seances_departements_idx" ON "caleol_seances" USING gin ("departements");--> statement-breakpoint
CREATE UNIQUE INDEX "logements_liberes_reference_key" ON "logements_liberes" USING btree ("bailleur_id","reference");--> statement-breakpoint
CREATE INDEX "logements_liberes_commune_idx" ON "logements_liberes" USING btree ("commune_insee","disponible_le");--> statement-breakpoint
CREATE INDEX "logements_liberes_epci_idx" ON "logements_liberes" USING btree ("epci_siren","disponible_le");--> statement-breakpoint
CREATE INDEX "logements_liberes_departement_idx" ON "logements_liberes" USING btree ("departement","disponible_le");--> statement-breakpoint
CREATE INDEX "logements_liberes_bailleur_idx" ON "logements_liberes" USING btree ("bailleur_id","disponible_le");