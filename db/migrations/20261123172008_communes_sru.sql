CREATE TABLE "communes_sru" (
	"code_insee" text NOT NULL,
	"millesime" integer NOT NULL,
	"population" integer,
	"taux_sru" numeric(7, 5),
	"taux_cible" numeric(7, 5),
	"deficitaire" boolean,
	"carencee" boolean,
	"exemptee" boolean,
	"nb_lls" integer,
	"prelevement" numeric(14, 2),
	"fichier" text NOT NULL,
	"importe_le" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "communes_sru_code_insee_millesime_pk" PRIMARY KEY("code_insee","millesime")
);
--> statement-breakpoint
ALTER TABLE "communes_sru" ADD CONSTRAINT "communes_sru_code_insee_communes_code_insee_fk" FOREIGN KEY ("code_insee") REFERENCES "public"."communes"("code_insee") ON DELETE no action ON UPDATE no action;