import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { Link } from 'react-router';
import { api, isImportRefuse } from '../api';
import { FormulaireImport } from '../components/FormulaireImport';
import type { ImportResultFoncier } from '../foncier/types';
import { usePageTitle } from '../usePageTitle';
import { INVALIDE_GISEMENT } from '../foncier/types';

const INVALIDE = INVALIDE_GISEMENT;

export function ImportFoncierPage() {
  usePageTitle('Importer des gisements');
  async function envoyer(file: File, dryRun: boolean): Promise<ImportResultFoncier> {
    const form = new FormData();
    form.append('file', file, file.name);
    const { data } = await api.upload<ImportResultFoncier>(`/api/v1/foncier/gisements/import?dry_run=${dryRun}`, form, (status, body) => status === 422 && isImportRefuse(body));
    return data;
  }

  return (
    <>
      <Breadcrumb currentPageLabel="Importer des gisements" homeLinkProps={{ to: '/' }} segments={[{ label: 'Foncier', linkProps: { to: '/foncier' } }]} />
      <h1>Importer des gisements</h1>
      <p>
        Formats acceptés : GeoJSON (coordonnées WGS84 ou Lambert-93, reprojetées), CSV avec une colonne <code>wkt</code> (polygone) ou des colonnes
        <code> lon</code>, <code>lat</code> et <code>surface_m2</code> (emprise approchée), et Excel (.xlsx) avec les mêmes colonnes. Propriétés :
        <code> nom</code>, <code>identifiant</code> (clé de réimport), <code>commune</code> (facultative, déduite de la géométrie), <code>capacite_logements</code>,
        <code> capacite_lls</code>, <code>statut</code>, <code>outils</code>. Le fichier est vérifié en entier : une seule entité en erreur et rien n’est enregistré.
        Réimporter met à jour (clé : identifiant, sinon la géométrie).
      </p>
      <FormulaireImport
        invalide={INVALIDE}
        label="Fichier des gisements"
        hint="Formats : .geojson, .json, .csv, .xlsx."
        accept=".geojson,.json,.csv,.xlsx"
        envoyer={envoyer}
        verifie={(r) => r.dry_run && r.errors.length === 0}
        rendu={(result) =>
          result.errors.length > 0 ? (
            <>
              <Alert className={fr.cx('fr-mb-2w')} severity="error" title={`Le fichier contient ${result.errors.length} erreur${result.errors.length > 1 ? 's' : ''}`} description="Aucun gisement n’a été enregistré." />
              <Table caption="Erreurs du fichier" headers={['Entité (index ou ligne)', 'Propriété', 'Message']} data={result.errors.map((e) => [e.feature < 0 ? 'fichier' : String(e.feature), e.propriete || '—', e.message])} />
            </>
          ) : (
            <Alert
              severity={result.dry_run ? 'info' : 'success'}
              title={result.dry_run ? 'Fichier vérifié : aucune erreur' : 'Import terminé'}
              description={
                <>
                  {result.created} gisement(s) {result.dry_run ? 'à créer' : 'créé(s)'}, {result.updated} {result.dry_run ? 'à mettre à jour' : 'mis à jour'}. <Link to="/foncier">Voir la carte</Link>
                </>
              }
            />
          )
        }
      />
    </>
  );
}
