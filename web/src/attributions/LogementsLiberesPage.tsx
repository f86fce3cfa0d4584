import { Table } from '@codegouvfr/react-dsfr/Table';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { Link } from 'react-router';
import type { importLogementsSchema } from '../../../shared/attributions/logements-liberes.contract';
import type { Reponse } from '../../../shared/contract';
import { api, isImportRefuse } from '../api';
import { FormulaireImport } from '../components/FormulaireImport';
import { useSession } from '../session';
import { usePageTitle } from '../usePageTitle';
import { INVALIDE_LOGEMENTS } from './attributions';
import { ListeLogements } from './ListeLogements';
import { LogementForm } from './LogementForm';

type ResultatImport = Reponse<typeof importLogementsSchema>;

function Resultat({ r }: { r: ResultatImport }) {
  if (r.erreurs.length)
    return (
      <>
        <Alert className={fr.cx('fr-mb-3w')} severity="error" title={`Le fichier contient ${r.erreurs.length} erreur${r.erreurs.length > 1 ? 's' : ''}`} description="Aucun logement n’a été enregistré." />
        <Table caption="Erreurs du fichier" headers={['Ligne', 'Colonne', 'Valeur', 'Message']} data={r.erreurs.map((e) => [String(e.ligne), e.colonne, String(e.valeur ?? '') || '—', e.message])} />
      </>
    );
  return (
    <Alert
      className={fr.cx('fr-mb-3w')}
      severity="success"
      small
      description={r.dry_run ? `Fichier vérifié : ${r.lignes} logement${r.lignes > 1 ? 's' : ''}, aucune erreur. Vous pouvez l’importer.` : `${r.creees} logement(s) déclaré(s), ${r.mises_a_jour} mis à jour.`}
    />
  );
}

/** Vacated dwellings (seed 000, solution 11): landlords declare, communes and réservataires follow. */
export function LogementsLiberesPage() {
  usePageTitle('Logements libérés');
  const { can } = useSession();
  async function envoyer(file: File, dryRun: boolean) {
    const form = new FormData();
    form.append('file', file, file.name);
    return (await api.upload<ResultatImport>(`/api/v1/logements-liberes/import?dry_run=${dryRun}`, form, (status, body) => status === 422 && isImportRefuse(body))).data;
  }
  return (
    <>
      <h1>Logements libérés</h1>
      <p className={fr.cx('fr-text--lead')}>
        Les logements libérés dans le parc existant de votre territoire, déclarés par les bailleurs, et leur passage en CALEOL.{' '}
        <Link to="/attributions/calendrier">Calendrier des CALEOL</Link>
      </p>
      {can('attributions:declare') && (
        <>
          <LogementForm />
          <section aria-labelledby="import-titre" className={fr.cx('fr-mb-6w')}>
            <h2 id="import-titre">Importer depuis votre outil</h2>
            <FormulaireImport
              label="Fichier des logements libérés"
              hint="Formats .csv ou .xlsx. Colonnes : commune, typologie, produit, disponible_le, reservataire ; facultatives : reference, residence, adresse, surface, loyer, accessible. Un fichier qui contient une colonne sur les personnes (nom, date de naissance, revenus, numéro unique…) est refusé."
              accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              envoyer={envoyer}
              verifie={(r) => r.dry_run && r.erreurs.length === 0}
              rendu={(r) => <Resultat r={r} />}
              invalide={INVALIDE_LOGEMENTS}
            />
          </section>
        </>
      )}
      <ListeLogements />
    </>
  );
}
