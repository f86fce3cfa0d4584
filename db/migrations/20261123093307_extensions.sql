-- Extensions used by the platform. Both the embedded PGlite (PG 18 / PostGIS 3.6) and the server
-- (PG 15 / PostGIS 3.3) provide them; on the embedded side the app passes them in `extensions`.
CREATE EXTENSION IF NOT EXISTS postgis;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS unaccent;
