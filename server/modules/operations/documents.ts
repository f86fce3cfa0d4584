/**
 * Documents attached to an operation (permit, council decision, financing plan…). Kept in the
 * database, so that every app instance serves them and backups hold them; listed without their
 * content; downloaded as attachments only. Who may see the operation may download them; who may
 * edit it may add and remove them. Every change is in the audit log and on the timeline.
 */
import { createHash } from 'node:crypto';
import { CATEGORIES_DOCUMENT, FORMATS_DOCUMENT, TAILLE_MAX_DOCUMENT, type CategorieDocument } from '../../../shared/operations/referentiel.js';
import type { Executor } from '../../db/client.js';
import { recordAudit } from '../../lib/audit.js';
import { notFound, ReferenceInconnue, RegleMetier } from '../../lib/errors.js';
import type { Principal } from '../../lib/principal.js';
import { deleteDocument, documentsOf, documentWithContent, insertDocument, type DocumentMeta } from './documents.repository.js';
import type { OperationRow } from './operations.repository.js';
import { addEvent } from './operations.service.js';

const present = (d: DocumentMeta) => ({
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

/** The documents of an operation the caller sees (loaded through the policy), without their content. */
export async function listDocuments(db: Executor, o: OperationRow) {
  const r = await documentsOf(db, o.id);
  return { count: r.length, results: r.map(present) };
}

/** Attaches a file to an operation the caller may edit: known category, not empty, not too large, format checked by signature. */
export async function addDocument(tx: Executor, p: Principal, o: OperationRow, input: { categorie: string; filename: string; content: Buffer }, requestId?: string) {
  if (!(input.categorie in CATEGORIES_DOCUMENT)) {
    throw new ReferenceInconnue(`categorie : « ${input.categorie} » inconnue (${Object.keys(CATEGORIES_DOCUMENT).join(', ')}).`, { champ: 'categorie' });
  }
  if (input.content.length === 0) throw new RegleMetier(`file : « ${input.filename} » est vide.`, { champ: 'file' });
  if (input.content.length > TAILLE_MAX_DOCUMENT) {
    throw new RegleMetier(`file : « ${input.filename} » dépasse ${TAILLE_MAX_DOCUMENT / 1024 / 1024} Mo.`, { champ: 'file' });
  }
  const format = formatOf(input.filename, input.content);
  if ('erreur' in format) throw new RegleMetier(`file : ${format.erreur}`, { champ: 'file' });
  const nomFichier = input.filename.replace(/[\\/\u0000-\u001f]/g, '_').slice(-200);
  const doc = present(
    await insertDocument(tx, {
      operationId: o.id,
      categorie: input.categorie,
      nomFichier,
      typeMime: format.mime,
      taille: input.content.length,
      sha256: createHash('sha256').update(input.content).digest('hex'),
      contenu: input.content,
      deposePar: p.email,
    }),
  );
  await addEvent(tx, o.id, { kind: 'user', principal: p }, 'document', `Document ajouté : ${doc.nom_fichier} (${doc.categorie_libelle})`, { document_id: doc.id });
  await recordAudit(tx, { kind: 'user', principal: p }, { action: 'creation', entityType: 'operation_document', entityId: doc.id, departement: o.departement, after: doc }, requestId);
  return doc;
}

/** A document of an operation the caller sees, with its content. */
export async function readDocument(db: Executor, o: OperationRow, documentId: string) {
  const d = await documentWithContent(db, o.id, documentId);
  if (!d) throw notFound('Document introuvable.');
  return { ...present(d), contenu: Buffer.from(d.contenu) };
}

/** Removes a document from an operation the caller may edit. */
export async function removeDocument(tx: Executor, p: Principal, o: OperationRow, documentId: string, requestId?: string) {
  const d = await deleteDocument(tx, o.id, documentId);
  if (!d) throw notFound('Document introuvable.');
  const doc = present(d);
  await addEvent(tx, o.id, { kind: 'user', principal: p }, 'document', `Document retiré : ${doc.nom_fichier}`, { document_id: doc.id });
  await recordAudit(tx, { kind: 'user', principal: p }, { action: 'suppression', entityType: 'operation_document', entityId: doc.id, departement: o.departement, before: doc }, requestId);
}

/** `attachment; filename=…` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(filename: string): string {
  const ascii = filename.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
