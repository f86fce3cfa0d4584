import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { Upload } from '@codegouvfr/react-dsfr/Upload';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, type ImportResult } from '../api';
import { Loading } from '../components/Loading';
import { usePageTitle } from '../usePageTitle';
import { useSubmission } from '../useSubmission';

function isImportResult(body: unknown): body is ImportResult {
  return typeof body === 'object' && body !== null && Array.isArray((body as { errors?: unknown }).errors);
}

function pluriel(n: number, un: string, plusieurs: string): string {
  return `${n} ${n > 1 ? plusieurs : un}`;
}

function Resultat({ result }: { result: ImportResult }) {
  if (result.errors.length > 0)
    return (
      <>
        <Alert
          className={fr.cx('fr-mb-3w')}
          severity="error"
          title={`Le fichier contient ${pluriel(result.errors.length, 'erreur', 'erreurs')}`}
          description="Aucune opération n’a été enregistrée. Corrigez les lignes signalées puis vérifiez à nouveau le fichier."
        />
        <Table
          caption="Erreurs du fichier"
          headers={['Ligne', 'Colonne', 'Valeur', 'Message']}
          data={result.errors.map((e) => [String(e.ligne), e.colonne, e.valeur || '—', e.message])}
        />
      </>
    );
  const bilan = `${pluriel(result.created, 'opération', 'opérations')} ${result.dry_run ? (result.created > 1 ? 'seraient créées' : 'serait créée') : result.created > 1 ? 'créées' : 'créée'}, ${pluriel(result.updated, 'opération', 'opérations')} ${result.dry_run ? (result.updated > 1 ? 'seraient mises à jour' : 'serait mise à jour') : result.updated > 1 ? 'mises à jour' : 'mise à jour'}.`;
  return result.dry_run ? (
    <Alert severity="info" title="Fichier vérifié : aucune erreur" description={`${bilan} Rien n’a encore été enregistré : cliquez sur « Importer » pour enregistrer.`} />
  ) : (
    <Alert
      severity="success"
      title="Import terminé"
      description={
        <>
          {bilan} <Link to="/operations">Voir le registre des opérations</Link>
        </>
      }
    />
  );
}

export function ImportOperationsPage() {
  usePageTitle('Importer des opérations');
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const { failure, setFailure, busy, submit } = useSubmission();
  const [mode, setMode] = useState<'verification' | 'import'>('verification');

  async function send(dryRun: boolean) {
    if (!file) {
      setFailure('Choisissez un fichier à importer.');
      return;
    }
    setResult(null);
    setMode(dryRun ? 'verification' : 'import');
    await submit(async () => {
      const form = new FormData();
      form.append('file', file, file.name);
      const { data } = await api.upload<ImportResult>(
        `/api/v1/operations/import?dry_run=${dryRun ? 'true' : 'false'}`,
        form,
        (status, body) => status === 422 && isImportResult(body),
      );
      setResult({ ...data, dry_run: data.dry_run ?? dryRun });
    });
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void send(true);
  }

  return (
    <>
      <Breadcrumb
        currentPageLabel="Importer des opérations"
        homeLinkProps={{ to: '/' }}
        segments={[{ label: 'Opérations', linkProps: { to: '/operations' } }]}
      />
      <h1>Importer des opérations</h1>
      <p>
        Importez vos opérations depuis un tableur (Excel .xlsx ou CSV séparé par des points-virgules). Le fichier est
        d’abord vérifié en entier : si une seule ligne est en erreur, rien n’est enregistré. Une opération déjà connue
        (même n° SIAP, ou même bailleur, commune et nom) est mise à jour.
      </p>
      <p>
        <a
          className={fr.cx('fr-link', 'fr-icon-download-line', 'fr-link--icon-left')}
          href="/api/v1/operations/import/template.xlsx"
          download
        >
          Télécharger le modèle de fichier (Excel)
        </a>
      </p>
      <form onSubmit={onSubmit} noValidate aria-labelledby="fichier-titre">
        <h2 id="fichier-titre" className={fr.cx('fr-h4')}>
          Fichier à importer
        </h2>
        <Upload
          label="Fichier des opérations"
          hint="Formats acceptés : .xlsx, .csv. Une ligne d’en-tête, puis une opération par ligne."
          state={failure ? 'error' : 'default'}
          stateRelatedMessage={failure ?? undefined}
          nativeInputProps={{
            name: 'file',
            accept: '.xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            onChange: (e) => {
              setFile(e.target.files?.[0] ?? null);
              setResult(null);
              setFailure(null);
            },
          }}
        />
        <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-md', 'fr-mt-3w')}>
          <li>
            <Button type="submit" disabled={busy}>
              Vérifier
            </Button>
          </li>
          <li>
            <Button
              type="button"
              priority="secondary"
              disabled={busy || !result || result.errors.length > 0 || !result.dry_run}
              onClick={() => void send(false)}
            >
              Importer
            </Button>
          </li>
        </ul>
      </form>
      <div aria-live="polite" className={fr.cx('fr-mt-3w')}>
        {busy && <Loading label={mode === 'verification' ? 'Vérification du fichier…' : 'Import en cours…'} />}
        {result && <Resultat result={result} />}
      </div>
    </>
  );
}
