/**
 * Documents attached to an operation (permit, council decision, financing plan…). Kept in the
 * database, so that every app instance serves them and backups hold them; listed without their
 * content; downloaded as attachments only. Who may see the operation may download them; who may
 * edit it may add and remove them. Every change is in the audit log and on the timeline.
 */
import { createHash } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { operationDocuments } from '../../../db/schema.js';
import { CATEGORIES_DOCUMENT, FORMATS_DOCUMENT, TAILLE_MAX_DOCUMENT, type CategorieDocument } from '../../../shared/operations/referentiel.js';
import type { Db, Executor } from '../../db/client.js';
import { recordAudit } from '../../lib/audit.js';
import { notFound, unprocessable } from '../../lib/errors.js';
import type { Principal } from '../../lib/principal.js';
import { addEvent, loadEditable, loadVisible } from './operations.service.js';

const META = {
  id: operationDocuments.id,
  categorie: operationDocuments.categorie,
  nomFichier: operationDocuments.nomFichier,
  typeMime: operationDocuments.typeMime,
  taille: operationDocuments.taille,
  sha256: operationDocuments.sha256,
  deposePar: operationDocuments.deposePar,
  createdAt: operationDocuments.createdAt,
};
type Meta = { [K in keyof typeof META]: (typeof operationDocuments.$inferSelect)[K] };

const present = (d: Meta) => ({
  id: d.id,
  categorie: d.categorie,
  categorie_libelle: CATEGORIES_DOCUMENT[d.categorie as CategorieDocument] ?? d.categorie,
  nom_fichier: d.nomFichier,
  type_mime: d.typeMime,
  taille: d.taille,
  sha256: d.sha256,
  depose_par: d.deposePar,
  created_at: new Date(d.createdAt).toISOString(),
});

/** The format of a file, from its extension, if its first bytes agree; otherwise a French reason. */
export function formatOf(filename: string, content: Buffer): { mime: string } | { erreur: string } {
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase() ?? '';
  const mime = FORMATS_DOCUMENT[ext as keyof typeof FORMATS_DOCUMENT];
  const acceptes = Object.keys(FORMATS_DOCUMENT).join(', ');
  if (!mime) return { erreur: `« ${filename} » : format non accepté (extensions acceptées : ${acceptes}).` };
  const starts = (sig: number[]) => sig.every((b, i) => content[i] === b);
  const ok =
    ext === 'pdf' ? starts([0x25, 0x50, 0x44, 0x46]) // %PDF
    : ext === 'png' ? starts([0x89, 0x50, 0x4e, 0x47])
    : ext === 'jpg' || ext === 'jpeg' ? starts([0xff, 0xd8, 0xff])
    : starts([0x50, 0x4b, 0x03, 0x04]); // office documents are zip archives
  if (!ok) return { erreur: `« ${filename} » : le contenu ne correspond pas à un fichier .${ext} (fichier endommagé ou renommé ?).` };
  return { mime };
}

export async function listDocuments(db: Executor, p: Principal, configured: string[], operationId: string) {
  const o = await loadVisible(db, p, configured, operationId);
  const r = await db.select(META).from(operationDocuments).where(eq(operationDocuments.operationId, o.id)).orderBy(desc(operationDocuments.createdAt));
  return { count: r.length, results: r.map(present) };
}

export async function addDocument(
  db: Db,
  p: Principal,
  configured: string[],
  operationId: string,
  input: { categorie: string; filename: string; content: Buffer },
  requestId?: string,
) {
  if (!(input.categorie in CATEGORIES_DOCUMENT)) {
    throw unprocessable(`categorie : « ${input.categorie} » inconnue (${Object.keys(CATEGORIES_DOCUMENT).join(', ')}).`, { champ: 'categorie' });
  }
  if (input.content.length === 0) throw unprocessable(`file : « ${input.filename} » est vide.`, { champ: 'file' });
  if (input.content.length > TAILLE_MAX_DOCUMENT) {
    throw unprocessable(`file : « ${input.filename} » dépasse ${TAILLE_MAX_DOCUMENT / 1024 / 1024} Mo.`, { champ: 'file' });
  }
  const format = formatOf(input.filename, input.content);
  if ('erreur' in format) throw unprocessable(`file : ${format.erreur}`, { champ: 'file' });
  const nomFichier = input.filename.replace(/[\\/\u0000-\u001f]/g, '_').slice(-200);
  return db.transaction(async (tx) => {
    const o = await loadEditable(tx, p, configured, operationId);
    const [d] = await tx
      .insert(operationDocuments)
      .values({
        operationId: o.id,
        categorie: input.categorie,
        nomFichier,
        typeMime: format.mime,
        taille: input.content.length,
        sha256: createHash('sha256').update(input.content).digest('hex'),
        contenu: input.content,
        deposePar: p.email,
      })
      .returning(META);
    const doc = present(d!);
    await addEvent(tx, o.id, { kind: 'user', principal: p }, 'document', `Document ajouté : ${doc.nom_fichier} (${doc.categorie_libelle})`, { document_id: doc.id });
    await recordAudit(tx, { kind: 'user', principal: p }, { action: 'creation', entityType: 'operation_document', entityId: doc.id, departement: o.departement, after: doc }, requestId);
    return doc;
  });
}

export async function readDocument(db: Executor, p: Principal, configured: string[], operationId: string, documentId: string) {
  const o = await loadVisible(db, p, configured, operationId);
  const [d] = await db
    .select({ ...META, contenu: operationDocuments.contenu })
    .from(operationDocuments)
    .where(and(eq(operationDocuments.id, documentId), eq(operationDocuments.operationId, o.id)));
  if (!d) throw notFound('Document introuvable.');
  return { ...present(d), contenu: Buffer.from(d.contenu) };
}

export async function removeDocument(db: Db, p: Principal, configured: string[], operationId: string, documentId: string, requestId?: string) {
  await db.transaction(async (tx) => {
    const o = await loadEditable(tx, p, configured, operationId);
    const [d] = await tx.delete(operationDocuments).where(and(eq(operationDocuments.id, documentId), eq(operationDocuments.operationId, o.id))).returning(META);
    if (!d) throw notFound('Document introuvable.');
    const doc = present(d);
    await addEvent(tx, o.id, { kind: 'user', principal: p }, 'document', `Document retiré : ${doc.nom_fichier}`, { document_id: doc.id });
    await recordAudit(tx, { kind: 'user', principal: p }, { action: 'suppression', entityType: 'operation_document', entityId: doc.id, departement: o.departement, before: doc }, requestId);
  });
}

/** `attachment; filename=…` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(filename: string): string {
  const ascii = filename.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
