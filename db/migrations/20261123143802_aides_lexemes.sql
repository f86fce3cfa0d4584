CREATE TABLE "aides_lexemes" (
	"lexeme" text PRIMARY KEY NOT NULL,
	"nb_aides" integer NOT NULL
);
