/** SQL of the documents attached to an operation (listed without their content). */
import { and, desc, eq } from 'drizzle-orm';
import { operationDocuments } from '../../../db/schema.js';
import type { Executor } from '../../db/client.js';

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
/** A document without its content. */
export type DocumentMeta = { [K in keyof typeof META]: (typeof operationDocuments.$inferSelect)[K] };

export async function documentsOf(db: Executor, operationId: string): Promise<DocumentMeta[]> {
  return db.select(META).from(operationDocuments).where(eq(operationDocuments.operationId, operationId)).orderBy(desc(operationDocuments.createdAt));
}

export async function insertDocument(tx: Executor, values: typeof operationDocuments.$inferInsert): Promise<DocumentMeta> {
  const [d] = await tx.insert(operationDocuments).values(values).returning(META);
  return d!;
}

/** The document with its content, if it belongs to the operation. */
export async function documentWithContent(db: Executor, operationId: string, documentId: string) {
  const [d] = await db
    .select({ ...META, contenu: operationDocuments.contenu })
    .from(operationDocuments)
    .where(and(eq(operationDocuments.id, documentId), eq(operationDocuments.operationId, operationId)));
  return d;
}

/** Deletes the document if it belongs to the operation; returns what was deleted. */
export async function deleteDocument(tx: Executor, operationId: string, documentId: string): Promise<DocumentMeta | undefined> {
  const [d] = await tx.delete(operationDocuments).where(and(eq(operationDocuments.id, documentId), eq(operationDocuments.operationId, operationId))).returning(META);
  return d;
}
