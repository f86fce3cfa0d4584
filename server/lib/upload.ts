/**
 * Reads a multipart/form-data request carrying one file in the field `file` and text fields: the
 * file's bytes and name, and the text fields by name. Any other file part is drained and ignored.
 * French 400s name what is missing.
 */
import type { FastifyRequest } from 'fastify';
import { badRequest } from './errors.js';

export interface Upload {
  buffer: Buffer;
  filename: string;
  fields: Record<string, string>;
}

export async function readUpload(req: FastifyRequest, expected = 'le fichier'): Promise<Upload> {
  if (!req.isMultipart()) throw badRequest(`Envoyez ${expected} en multipart/form-data, dans le champ « file ».`);
  let file: { buffer: Buffer; filename: string } | undefined;
  const fields: Record<string, string> = {};
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      const buffer = await part.toBuffer();
      if (part.fieldname === 'file') file = { buffer, filename: part.filename };
    } else fields[part.fieldname] = String(part.value);
  }
  if (!file) throw badRequest('Aucun fichier reçu : joignez-le dans le champ « file ».');
  if (file.buffer.length === 0) throw badRequest(`Le fichier « ${file.filename} » est vide.`);
  return { ...file, fields };
}
