ALTER TABLE "aides_lexemes" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
DROP TABLE "aides_lexemes" CASCADE;--> statement-breakpoint
DROP INDEX "aides_search_idx";