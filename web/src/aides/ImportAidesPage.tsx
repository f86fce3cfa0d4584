import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { Link } from 'react-router';
import { api, ApiError, isImportRefuse } from '../api';
import { FormulaireImport } from '../components/FormulaireImport';
import { formatValeur } from '../format';
import { usePageTitle } from '../usePageTitle';
import type { ImportAides } from './types';
import { libelleChampAide } from '../../../shared/aides/champs';
import { SynchronisationAides } from './SynchronisationAides';

/** An import changes the catalogue, its search and the review queue. */
const INVALIDE = ['/api/v1/aides'];

/** The common result of every import (a refused file's 422 included: its `erreurs` are listed). */
type Resultat = ImportAides;

/** The field an error names, with its French label when the dictionary knows it: « name (Nom de l’aide) ». */
function champ(chemin: string): string {
  const libelle = libelleChampAide(chemin);
  return libelle ? `${chemin} (${libelle})` : chemin || '—';
}

async function envoyer(file: File, dryRun: boolean): Promise<Resultat> {
  let json: unknown;
  try {
    json = JSON.parse(await file.text());
  } catch (e) {
    // Checked here: the file is sent as JSON. Shown next to the file like the API's own refusals.
    throw new ApiError(400, { error: 'fichier_invalide', message: `Le fichier « ${file.name} » n’est pas du JSON valide : ${(e as Error).message}` });
  }
  const { data } = await api.postResultat<Resultat>(`/api/v1/aides/import?dry_run=${dryRun}&fichier=${encodeURIComponent(file.name.slice(0, 200))}`, json, (status, body) => status === 422 && isImportRefuse(body));
  return data;
}

/**
 * The DDTM (or an administrator) loads an aides-territoires JSON export: checked in full first, then
 * imported all or nothing, updating the aids already known by their slug.
 */
export function ImportAidesPage() {
  usePageTitle('Importer des aides');
  return (
    <>
      <Breadcrumb currentPageLabel="Importer des aides" homeLinkProps={{ to: '/' }} segments={[{ label: 'Revue des aides', linkProps: { to: '/aides/revue' } }]} />
      <h1>Importer des aides</h1>
      <SynchronisationAides />
      <h2>Importer un fichier</h2>
      <p>
        Fichier JSON au format d’aides-territoires (un export de son API, <code>{'{ "results": [ … ] }'}</code>, ou une liste d’aides). Le fichier est vérifié
        en entier : une seule aide en erreur et rien n’est importé. Une aide déjà connue (même <code>slug</code>) est mise à jour ; ses vues, clics et son
        financeur sont conservés. Les aides importées sont publiées.
      </p>
      <FormulaireImport
        invalide={INVALIDE}
        label="Fichier des aides"
        hint="Format : .json (aides-territoires)."
        accept=".json,application/json"
        envoyer={envoyer}
        verifie={(r) => r.dry_run && r.erreurs.length === 0}
        rendu={(rapport) =>
          rapport.erreurs.length === 0 ? (
            <Alert
              severity={rapport.dry_run ? 'info' : 'success'}
              title={rapport.dry_run ? 'Fichier vérifié : aucune erreur' : 'Import terminé'}
              description={
                <>
                  {rapport.aides} aide(s) lue(s) : {rapport.creees} {rapport.dry_run ? 'à créer' : 'créée(s)'}, {rapport.mises_a_jour}{' '}
                  {rapport.dry_run ? 'à mettre à jour' : 'mise(s) à jour'}. <Link to="/aides">Chercher dans le catalogue</Link>
                </>
              }
            />
          ) : (
            <>
              <Alert className={fr.cx('fr-mb-2w')} severity="error" title={`Le fichier contient ${rapport.erreurs.length} erreur${rapport.erreurs.length > 1 ? 's' : ''}`} description="Aucune aide n’a été importée." />
              <Table caption="Erreurs du fichier" headers={['Aide n°', 'Champ', 'Valeur', 'Message']} data={rapport.erreurs.map((e) => [String(e.ligne), champ(e.champ), formatValeur(e.valeur), e.message])} />
            </>
          )
        }
      />
    </>
  );
}
