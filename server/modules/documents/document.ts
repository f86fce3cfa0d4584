/**
 * One small document model — titles, paragraphs, lists, tables, bar charts — rendered to HTML, PDF
 * (pdfkit) and DOCX (docx). Review agendas, minutes and the annual CDHH report are built as such
 * documents, so the three formats always say the same thing.
 */
import { AlignmentType, Document as DocxDocument, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import PDFDocument from 'pdfkit';

export type Bloc =
  | { type: 'titre'; texte: string; niveau: 1 | 2 | 3 }
  | { type: 'paragraphe'; texte: string }
  | { type: 'liste'; items: string[] }
  | { type: 'tableau'; colonnes: string[]; lignes: (string | number | null)[][] }
  | { type: 'barres'; titre: string; series: { libelle: string; valeur: number }[] };

export interface DocumentAtelier {
  titre: string;
  sousTitre?: string;
  blocs: Bloc[];
  pied: string;
}

const cell = (v: string | number | null) => (v === null || v === undefined ? '—' : typeof v === 'number' ? v.toLocaleString('fr-FR') : v);

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function svgBarres(b: Extract<Bloc, { type: 'barres' }>): string {
  const max = Math.max(1, ...b.series.map((s) => s.valeur));
  const rowH = 26;
  const width = 560;
  const labelW = 170;
  const bars = b.series
    .map((s, i) => {
      const w = Math.round(((width - labelW - 60) * s.valeur) / max);
      const y = i * rowH;
      return `<text x="0" y="${y + 17}" font-size="13">${escapeHtml(s.libelle)}</text><rect x="${labelW}" y="${y + 4}" width="${w}" height="16" fill="#000091"/><text x="${labelW + w + 6}" y="${y + 17}" font-size="13">${cell(s.valeur)}</text>`;
    })
    .join('');
  const h = b.series.length * rowH + 4;
  return `<figure><svg role="img" aria-label="${escapeHtml(b.titre)}" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}" xmlns="http://www.w3.org/2000/svg">${bars}</svg><figcaption>${escapeHtml(b.titre)}</figcaption></figure>`;
}

/** A standalone, printable HTML page (no script: it passes the strict CSP). */
export function toHtml(d: DocumentAtelier): string {
  const body = d.blocs
    .map((b) => {
      switch (b.type) {
        case 'titre':
          return `<h${b.niveau + 1}>${escapeHtml(b.texte)}</h${b.niveau + 1}>`;
        case 'paragraphe':
          return `<p>${escapeHtml(b.texte)}</p>`;
        case 'liste':
          return `<ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
        case 'tableau':
          return `<table><thead><tr>${b.colonnes.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>${b.lignes
            .map((l) => `<tr>${l.map((v) => `<td>${escapeHtml(String(cell(v)))}</td>`).join('')}</tr>`)
            .join('')}</tbody></table>`;
        case 'barres':
          return svgBarres(b);
      }
    })
    .join('\n');
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${escapeHtml(d.titre)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:Marianne,Arial,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#161616;line-height:1.5}
h1{font-size:1.8rem}h2{font-size:1.4rem;margin-top:2rem;border-bottom:2px solid #000091}h3{font-size:1.15rem}
table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border:1px solid #929292;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#eeeeee}figure{margin:1rem 0}figcaption{font-size:.9rem;color:#3a3a3a}footer{margin-top:3rem;font-size:.85rem;color:#3a3a3a}
@media print{body{margin:0}h2{break-after:avoid}table,figure{break-inside:avoid}}</style></head>
<body><main><h1>${escapeHtml(d.titre)}</h1>${d.sousTitre ? `<p><strong>${escapeHtml(d.sousTitre)}</strong></p>` : ''}
${body}</main><footer>${escapeHtml(d.pied)}</footer></body></html>`;
}

export function toPdf(d: DocumentAtelier): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pdf = new PDFDocument({ size: 'A4', margin: 50, info: { Title: d.titre, Author: 'Atelier', Creator: 'Atelier' }, lang: 'fr-FR' });
    const chunks: Buffer[] = [];
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
    const width = pdf.page.width - 100;
    const ensure = (h: number) => {
      if (pdf.y + h > pdf.page.height - 60) pdf.addPage();
    };
    pdf.font('Helvetica-Bold').fontSize(18).text(d.titre);
    if (d.sousTitre) pdf.moveDown(0.3).font('Helvetica').fontSize(11).text(d.sousTitre);
    pdf.moveDown();
    for (const b of d.blocs) {
      switch (b.type) {
        case 'titre':
          ensure(40);
          pdf.moveDown(0.6).font('Helvetica-Bold').fontSize(b.niveau === 1 ? 14 : 12).text(b.texte).moveDown(0.3);
          break;
        case 'paragraphe':
          pdf.font('Helvetica').fontSize(10).text(b.texte).moveDown(0.4);
          break;
        case 'liste':
          pdf.font('Helvetica').fontSize(10);
          for (const i of b.items) pdf.text(`•  ${i}`, { indent: 8 });
          pdf.moveDown(0.4);
          break;
        case 'tableau': {
          const colW = width / b.colonnes.length;
          const row = (vals: string[], bold: boolean) => {
            pdf.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8.5);
            const h = Math.max(...vals.map((v) => pdf.heightOfString(v, { width: colW - 6 }))) + 6;
            ensure(h);
            const y = pdf.y;
            vals.forEach((v, i) => {
              pdf.rect(50 + i * colW, y, colW, h).stroke('#929292');
              pdf.fillColor('#161616').text(v, 53 + i * colW, y + 3, { width: colW - 6 });
            });
            pdf.x = 50;
            pdf.y = y + h;
          };
          row(b.colonnes, true);
          for (const l of b.lignes) row(l.map((v) => String(cell(v))), false);
          pdf.moveDown(0.6);
          break;
        }
        case 'barres': {
          const max = Math.max(1, ...b.series.map((s) => s.valeur));
          ensure(b.series.length * 16 + 30);
          pdf.font('Helvetica-Bold').fontSize(9.5).text(b.titre).moveDown(0.2);
          for (const s of b.series) {
            const y = pdf.y;
            pdf.font('Helvetica').fontSize(9).fillColor('#161616').text(s.libelle, 50, y, { width: 140 });
            const w = ((width - 200) * s.valeur) / max;
            if (w > 0) pdf.rect(195, y, w, 10).fill('#000091');
            pdf.fillColor('#161616').text(String(cell(s.valeur)), 200 + w, y);
            pdf.x = 50;
            pdf.y = y + 15;
          }
          pdf.moveDown(0.6);
          break;
        }
      }
    }
    pdf.moveDown().font('Helvetica').fontSize(8).fillColor('#3a3a3a').text(d.pied);
    pdf.end();
  });
}

export async function toDocx(d: DocumentAtelier): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [new Paragraph({ text: d.titre, heading: HeadingLevel.TITLE })];
  if (d.sousTitre) children.push(new Paragraph({ children: [new TextRun({ text: d.sousTitre, bold: true })] }));
  for (const b of d.blocs) {
    switch (b.type) {
      case 'titre':
        children.push(new Paragraph({ text: b.texte, heading: b.niveau === 1 ? HeadingLevel.HEADING_1 : b.niveau === 2 ? HeadingLevel.HEADING_2 : HeadingLevel.HEADING_3 }));
        break;
      case 'paragraphe':
        children.push(new Paragraph({ text: b.texte }));
        break;
      case 'liste':
        for (const i of b.items) children.push(new Paragraph({ text: i, bullet: { level: 0 } }));
        break;
      case 'tableau':
        children.push(
          new Table({
            width: { size: 100, type: WidthType.PERCENTAGE },
            rows: [
              new TableRow({ tableHeader: true, children: b.colonnes.map((c) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: c, bold: true })] })] })) }),
              ...b.lignes.map((l) => new TableRow({ children: l.map((v) => new TableCell({ children: [new Paragraph({ text: String(cell(v)) })] })) })),
            ],
          }),
        );
        break;
      case 'barres': {
        // Word has no portable native chart here: the figures as a table, with a text bar.
        const max = Math.max(1, ...b.series.map((s) => s.valeur));
        children.push(new Paragraph({ children: [new TextRun({ text: b.titre, bold: true })] }));
        for (const s of b.series) {
          children.push(new Paragraph({ children: [new TextRun(`${s.libelle} : `), new TextRun({ text: '█'.repeat(Math.round((20 * s.valeur) / max)), color: '000091' }), new TextRun(` ${cell(s.valeur)}`)] }));
        }
        break;
      }
    }
  }
  children.push(new Paragraph({ alignment: AlignmentType.LEFT, children: [new TextRun({ text: d.pied, size: 16, color: '3A3A3A' })] }));
  const doc = new DocxDocument({ creator: 'Atelier', title: d.titre, sections: [{ children }] });
  return Buffer.from(await Packer.toBuffer(doc));
}

export const FORMATS = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  html: 'text/html; charset=utf-8',
} as const;
export type Format = keyof typeof FORMATS;

export async function render(d: DocumentAtelier, format: Format): Promise<Buffer | string> {
  return format === 'pdf' ? toPdf(d) : format === 'docx' ? toDocx(d) : toHtml(d);
}
