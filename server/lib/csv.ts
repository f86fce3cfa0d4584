/** Minimal RFC 4180 reader (quotes, doubled quotes, CRLF) for the small reference files we ship. */
export function parseCsv(text: string, delimiter = ','): Record<string, string>[] {
  return parseCsvLignes(text, delimiter).map((r) => r.valeurs);
}

/**
 * The same, with the line of the file where each record starts (1 = the header's line), for error
 * messages: blank lines are skipped and a quoted field may span lines.
 */
export function parseCsvLignes(text: string, delimiter = ','): { ligne: number; valeurs: Record<string, string> }[] {
  const records: { ligne: number; champs: string[] }[] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let ligne = 1;
  let debut = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') ligne++;
        field += ch;
      }
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      field = '';
      if (record.some((f) => f !== '')) records.push({ ligne: debut, champs: record });
      record = [];
      ligne++;
      debut = ligne;
    } else field += ch;
  }
  record.push(field);
  if (record.some((f) => f !== '')) records.push({ ligne: debut, champs: record });
  const [header, ...body] = records;
  if (!header) return [];
  const noms = header.champs.map((h) => h.replace(/^\uFEFF/, ''));
  return body.map((r) => ({ ligne: r.ligne - header.ligne + 1, valeurs: Object.fromEntries(noms.map((h, i) => [h, r.champs[i] ?? ''])) }));
}
