/**
 * The backup file: a fixed 4 KiB header, then the payload (a gzip tar of the PGlite data dir, or a
 * pg_dump archive in custom format). The header starts with a magic line and holds, in JSON, the
 * format version, the database kind, the schema version (applied migrations), the payload's size and
 * its SHA-256. A file is only restored once all of these are checked: a truncated, altered or
 * foreign file is refused before anything is touched.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { z } from 'zod';

export const MAGIC = 'ATELIER-SAUVEGARDE\n';
export const HEADER_SIZE = 4096;
export const FORMAT_VERSION = 1;

const enteteSchema = z.object({
  format: z.number().int(),
  base: z.enum(['embarquee', 'postgres']),
  /** What produced the payload: PGlite's tar (gzip) or pg_dump's custom format. */
  contenu: z.enum(['pglite-tar-gzip', 'pg_dump-custom']),
  /** Applied migrations: how many, and the tag of the last one (db/migrations/meta/_journal.json). */
  migrations: z.object({ nombre: z.number().int().min(0), derniere: z.string().nullable() }),
  /** PostgreSQL version of the database that was saved. */
  serveur: z.string(),
  cree_le: z.string(),
  taille: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type Entete = z.infer<typeof enteteSchema>;

/** A backup file that cannot be restored; the message says why, in French. */
export class SauvegardeInvalide extends Error {}

export function encodeEntete(e: Entete): Buffer {
  const json = JSON.stringify(e);
  const head = Buffer.from(`${MAGIC}${json}\n`, 'utf8');
  if (head.length > HEADER_SIZE) throw new Error('backup header too large');
  const buf = Buffer.alloc(HEADER_SIZE, 0x20);
  head.copy(buf);
  return buf;
}

/** Parses a header region; throws SauvegardeInvalide with the reason. */
export function decodeEntete(buf: Buffer, file: string): Entete {
  if (buf.length < MAGIC.length || buf.subarray(0, MAGIC.length).toString('latin1') !== MAGIC) {
    throw new SauvegardeInvalide(`${file} n’est pas une sauvegarde Atelier (signature « ATELIER-SAUVEGARDE » absente en tête du fichier).`);
  }
  if (buf.length < HEADER_SIZE) throw new SauvegardeInvalide(`${file} est tronqué : l’en-tête de la sauvegarde est incomplet (${buf.length} octets sur ${HEADER_SIZE}).`);
  const line = buf.subarray(MAGIC.length, HEADER_SIZE).toString('utf8');
  const end = line.indexOf('\n');
  let json: unknown;
  try {
    json = JSON.parse(end < 0 ? line : line.slice(0, end));
  } catch {
    throw new SauvegardeInvalide(`${file} : l’en-tête de la sauvegarde est illisible (JSON invalide).`);
  }
  const format = (json as { format?: unknown })?.format;
  if (typeof format === 'number' && format > FORMAT_VERSION) {
    throw new SauvegardeInvalide(`${file} : format de sauvegarde ${format}, plus récent que celui que cette version d’Atelier sait lire (${FORMAT_VERSION}). Mettez Atelier à jour.`);
  }
  const parsed = enteteSchema.safeParse(json);
  if (!parsed.success) throw new SauvegardeInvalide(`${file} : en-tête de sauvegarde incomplet (${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}).`);
  return parsed.data;
}

/**
 * Reads and checks a backup file: header, size, checksum. Reads the whole payload once (streamed);
 * returns the header when everything matches.
 */
export async function verifierFichier(file: string): Promise<Entete> {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw new SauvegardeInvalide(`Lecture de ${file} impossible : ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'fichier introuvable' : (err as Error).message}.`);
  }
  let entete: Entete;
  let size: number;
  try {
    const head = Buffer.alloc(HEADER_SIZE);
    const n = readSync(fd, head, 0, HEADER_SIZE, 0);
    entete = decodeEntete(head.subarray(0, n), file);
    size = fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
  const attendu = HEADER_SIZE + entete.taille;
  if (size < attendu) {
    throw new SauvegardeInvalide(`${file} est tronqué : ${size} octets au lieu de ${attendu} annoncés par son en-tête. Rien n’a été restauré.`);
  }
  if (size > attendu) throw new SauvegardeInvalide(`${file} : ${size - attendu} octets en trop après la sauvegarde annoncée par son en-tête. Rien n’a été restauré.`);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { start: HEADER_SIZE })) hash.update(chunk as Buffer);
  if (hash.digest('hex') !== entete.sha256) {
    throw new SauvegardeInvalide(`${file} est altéré : la somme de contrôle SHA-256 du contenu ne correspond pas à celle de l’en-tête. Rien n’a été restauré.`);
  }
  return entete;
}
