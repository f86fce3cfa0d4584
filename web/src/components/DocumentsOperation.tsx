import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { Upload } from '@codegouvfr/react-dsfr/Upload';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState, type FormEvent } from 'react';
import { CATEGORIES_DOCUMENT, FORMATS_DOCUMENT, TAILLE_MAX_DOCUMENT } from '../../../shared/operations/referentiel';
import { api, type ListResponse, type OperationDocument } from '../api';
import { formatDate } from '../format';
import { useApi } from '../useApi';
import { FORM_INVALID, useFieldErrors, useSubmission } from '../useSubmission';
import { Loading } from './Loading';
import { OutcomeAlert } from './OutcomeAlert';


const ACCEPT = Object.keys(FORMATS_DOCUMENT).map((e) => `.${e}`).join(',');

function taille(octets: number): string {
  if (octets < 1024) return `${octets} o`;
  if (octets < 1024 * 1024) return `${Math.round(octets / 1024)} ko`;
  return `${(octets / 1024 / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
}

/** The documents of an operation: list and download for whoever sees it; add and remove for who may edit it. */
export function DocumentsOperation({ operationId, modifier }: { operationId: string; modifier: boolean }) {
  const [docs] = useApi<ListResponse<OperationDocument>>(`/api/v1/operations/${operationId}/documents`);
  const [file, setFile] = useState<File | null>(null);
  const [categorie, setCategorie] = useState('');
  const [inputKey, setInputKey] = useState(0);
  // The list of documents and the operation's history change.
  const { outcome, busy, submit, setFailure } = useSubmission(null, { invalidates: [`/api/v1/operations/${operationId}`] });
  const { field, check } = useFieldErrors<'file' | 'categorie'>();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Partial<Record<'file' | 'categorie', string>> = {};
    if (!file) found.file = 'Choisissez le fichier à joindre.';
    else if (file.size > TAILLE_MAX_DOCUMENT) found.file = `« ${file.name} » dépasse ${TAILLE_MAX_DOCUMENT / 1024 / 1024} Mo.`;
    if (!categorie) found.categorie = 'Choisissez la catégorie du document.';
    if (!check(found)) {
      setFailure(FORM_INVALID);
      return;
    }
    await submit(async () => {
      const form = new FormData();
      form.append('categorie', categorie);
      form.append('file', file!);
      const { data: d } = await api.upload<OperationDocument>(`/api/v1/operations/${operationId}/documents`, form);
      setFile(null);
      setCategorie('');
      setInputKey((k) => k + 1);
      return `Le document « ${d.nom_fichier} » a été joint.`;
    });
  }

  async function retirer(d: OperationDocument) {
    await submit(async () => {
      await api.delete(`/api/v1/operations/${operationId}/documents/${d.id}`);
      return `Le document « ${d.nom_fichier} » a été retiré.`;
    });
  }

  return (
    <>
      <OutcomeAlert outcome={outcome} live="polite" />
      {docs.status === 'loading' && <Loading label="Chargement des documents…" />}
      {docs.status === 'error' && <Alert severity="error" small description={docs.message} />}
      {docs.status === 'ready' &&
        (docs.data.count === 0 ? (
          <p>Aucun document n’est joint à cette opération.</p>
        ) : (
          <Table
            caption={`Documents de l’opération (${docs.data.count})`}
            headers={modifier ? ['Document', 'Catégorie', 'Taille', 'Déposé', 'Action'] : ['Document', 'Catégorie', 'Taille', 'Déposé']}
            data={docs.data.results.map((d) => {
              const row = [
                <a key="l" href={`/api/v1/operations/${operationId}/documents/${d.id}`} download={d.nom_fichier}>
                  {d.nom_fichier}
                </a>,
                d.categorie_libelle,
                taille(d.taille),
                `le ${formatDate(d.created_at)} par ${d.depose_par}`,
              ];
              if (modifier)
                row.push(
                  <Button key="r" priority="tertiary" size="small" disabled={busy} onClick={() => void retirer(d)} title={`Retirer « ${d.nom_fichier} »`}>
                    Retirer<span className={fr.cx('fr-sr-only')}> « {d.nom_fichier} »</span>
                  </Button>,
                );
              return row;
            })}
          />
        ))}
      {modifier && (
        <form onSubmit={onSubmit} noValidate aria-labelledby="joindre-titre" className={fr.cx('fr-mt-3w')}>
          <h3 id="joindre-titre" className={fr.cx('fr-h6')}>
            Joindre un document
          </h3>
          <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
            <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
              <Upload
                key={inputKey}
                label="Fichier"
                hint={`PDF, DOCX, XLSX, ODT, ODS, PNG ou JPEG ; ${TAILLE_MAX_DOCUMENT / 1024 / 1024} Mo au plus.`}
                {...field('file')}
                nativeInputProps={{ name: 'file', accept: ACCEPT, onChange: (e) => setFile(e.target.files?.[0] ?? null) }}
              />
            </div>
            <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
              <Select label="Catégorie" {...field('categorie')} nativeSelectProps={{ name: 'categorie', value: categorie, onChange: (e) => setCategorie(e.target.value) }}>
                <option value="">— Choisir une catégorie —</option>
                {Object.entries(CATEGORIES_DOCUMENT).map(([code, libelle]) => (
                  <option key={code} value={code}>
                    {libelle}
                  </option>
                ))}
              </Select>
            </div>
          </div>
          <Button type="submit" disabled={busy}>
            Joindre le document
          </Button>
        </form>
      )}
    </>
  );
}
