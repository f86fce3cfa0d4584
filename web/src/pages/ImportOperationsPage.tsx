import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { Link } from 'react-router';
import { api, isImportRefuse, type ImportResult } from '../api';
import { FormulaireImport } from '../components/FormulaireImport';
import { formatValeur } from '../format';
import { usePageTitle } from '../usePageTitle';
import { INVALIDE_OPERATION } from '../operations/referentiel';

const INVALIDE = INVALIDE_OPERATION;

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
          data={result.errors.map((e) => [String(e.ligne), e.colonne, formatValeur(e.valeur), e.message])}
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
  async function envoyer(file: File, dryRun: boolean): Promise<ImportResult> {
    const form = new FormData();
    form.append('file', file, file.name);
    const { data } = await api.upload<ImportResult>(`/api/v1/operations/import?dry_run=${dryRun ? 'true' : 'false'}`, form, (status, body) => status === 422 && isImportRefuse(body));
    return data;
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
      <FormulaireImport
        invalide={INVALIDE}
        titre="Fichier à importer"
        label="Fichier des opérations"
        hint="Formats acceptés : .xlsx, .csv. Une ligne d’en-tête, puis une opération par ligne."
        accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        envoyer={envoyer}
        verifie={(r) => r.dry_run === true && r.errors.length === 0}
        rendu={(r) => <Resultat result={r} />}
      />
    </>
  );
}
