import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, multipartBody, signInMany, type Client, type TestContext } from './helpers.js';

let t: TestContext;
let bailleur: Client;
let bailleur2: Client;
let commune: Client;
let epci: Client;
let financeur: Client;
let admin: Client;
let operationId: string;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

beforeAll(async () => {
  t = await createTestApp();
  [bailleur, bailleur2, commune, epci, financeur, admin] = await signInMany(t.app, [DEMO.bailleur, DEMO.bailleur2, DEMO.commune, DEMO.agentEpci, DEMO.financeur, DEMO.admin]);
  operationId = (await bailleur.post('/api/v1/operations', { nom: 'Les Amandiers', commune_insee: '30060', type: 'vefa' })).json().id;
});
afterAll(async () => t?.close());

function upload(c: Client, file: Buffer, filename: string, categorie?: string, id = operationId) {
  const m = multipartBody(file, filename, categorie ? { categorie } : {});
  return t.app.inject({ method: 'POST', url: `/api/v1/operations/${id}/documents`, payload: m.body, headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': m.contentType } });
}

describe('documents of an operation', () => {
  let pdfId: string;

  it('the landlord attaches a PDF and a DOCX; whoever sees the operation lists and downloads them byte for byte', async () => {
    const res = await upload(bailleur, PDF, 'Permis de construire — Amandiers.pdf', 'permis');
    expect(res.statusCode).toBe(201);
    const doc = res.json();
    pdfId = doc.id;
    expect(doc).toMatchObject({ categorie: 'permis', categorie_libelle: 'Permis de construire', nom_fichier: 'Permis de construire — Amandiers.pdf', type_mime: 'application/pdf', taille: PDF.length, depose_par: DEMO.bailleur });
    const zip = new JSZip();
    zip.file('word/document.xml', '<w:document/>');
    const docx = await zip.generateAsync({ type: 'nodebuffer' });
    expect((await upload(bailleur, docx, 'délibération.docx', 'deliberation')).statusCode).toBe(201);

    const list = (await commune.get(`/api/v1/operations/${operationId}/documents`)).json();
    expect(list.count).toBe(2);
    expect(list.results[0]).not.toHaveProperty('contenu');
    const dl = await epci.get(`/api/v1/operations/${operationId}/documents/${pdfId}`);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['content-disposition']).toBe(`attachment; filename="Permis de construire _ Amandiers.pdf"; filename*=UTF-8''${encodeURIComponent('Permis de construire — Amandiers.pdf')}`);
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(dl.rawPayload, PDF)).toBe(0);
  });

  it('records the additions on the timeline and in the audit log (without the content)', async () => {
    const events = (await commune.get(`/api/v1/operations/${operationId}/evenements`)).json().results;
    expect(events.filter((e: { type: string }) => e.type === 'document').map((e: { resume: string }) => e.resume)).toEqual(
      expect.arrayContaining(['Document ajouté : Permis de construire — Amandiers.pdf (Permis de construire)', 'Document ajouté : délibération.docx (Délibération)']),
    );
    const audit = (await admin.get('/api/v1/audit?limit=20')).json().results.find((e: { entity_id: string }) => e.entity_id === pdfId);
    expect(audit).toMatchObject({ action: 'creation', entity_type: 'operation_document' });
    expect(JSON.stringify(audit.after)).not.toContain('PDF-1.4');
  });

  it('refuses bad files with a French message naming the file, and writes nothing', async () => {
    const renamed = await upload(bailleur, Buffer.from('MZ this is an executable'), 'plan.pdf', 'plan');
    expect(renamed.statusCode).toBe(422);
    expect(renamed.json().message).toMatch(/« plan\.pdf » : le contenu ne correspond pas à un fichier \.pdf/);
    const exe = await upload(bailleur, Buffer.from('MZ'), 'outil.exe');
    expect(exe.statusCode).toBe(422);
    expect(exe.json().message).toMatch(/outil\.exe.*format non accepté/);
    expect((await upload(bailleur, Buffer.alloc(0), 'vide.pdf')).json().message).toMatch(/vide\.pdf.*vide/);
    const cat = await upload(bailleur, PDF, 'x.pdf', 'facture');
    expect(cat.statusCode).toBe(422);
    expect(cat.json().message).toMatch(/categorie : « facture » inconnue/);
    expect((await bailleur.get(`/api/v1/operations/${operationId}/documents`)).json().count).toBe(2);
  });

  it('keeps documents within the operation’s scope: another landlord gets 404, a financer 403, anonymous 401', async () => {
    expect((await bailleur2.get(`/api/v1/operations/${operationId}/documents`)).statusCode).toBe(404);
    expect((await bailleur2.get(`/api/v1/operations/${operationId}/documents/${pdfId}`)).statusCode).toBe(404);
    expect((await upload(bailleur2, PDF, 'intrus.pdf', 'autre')).statusCode).toBe(404);
    expect((await financeur.get(`/api/v1/operations/${operationId}/documents`)).statusCode).toBe(403);
    expect((await t.app.inject(`/api/v1/operations/${operationId}/documents/${pdfId}`)).statusCode).toBe(401);
    // A document id of another operation does not exist here.
    const other = (await bailleur.post('/api/v1/operations', { nom: 'Autre', commune_insee: '30060', type: 'vefa' })).json().id;
    expect((await bailleur.get(`/api/v1/operations/${other}/documents/${pdfId}`)).statusCode).toBe(404);
  });

  it('removes a document; it is gone for everyone, and the removal is recorded', async () => {
    expect((await bailleur2.delete(`/api/v1/operations/${operationId}/documents/${pdfId}`)).statusCode).toBe(404);
    expect((await bailleur.delete(`/api/v1/operations/${operationId}/documents/${pdfId}`)).statusCode).toBe(204);
    expect((await commune.get(`/api/v1/operations/${operationId}/documents/${pdfId}`)).statusCode).toBe(404);
    const events = (await commune.get(`/api/v1/operations/${operationId}/evenements`)).json().results;
    expect(events.some((e: { resume: string }) => e.resume === 'Document retiré : Permis de construire — Amandiers.pdf')).toBe(true);
  });
});
