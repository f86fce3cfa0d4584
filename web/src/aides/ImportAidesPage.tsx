import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { Link } from 'react-router';
import { api, ApiError } from '../api';
import { FormulaireImport } from '../components/FormulaireImport';
import { usePageTitle } from '../usePageTitle';

/** An import changes the catalogue, its search and the review queue. */
const INVALIDE = ['/api/v1/aides'];

type Rapport = { fichier: string; aides: number; creees: number; mises_a_jour: number; dry_run: boolean };
type Erreur = { ligne: number; champ: string; valeur: unknown; message: string };
/** The import's report, or the errors of a file refused as a whole. */
type Resultat = { rapport: Rapport; erreurs: [] } | { rapport: null; erreurs: Erreur[] };

const erreursDe = (e: unknown): Erreur[] => {
  const d = e instanceof ApiError ? (e.details as { erreurs?: Erreur[] } | undefined) : undefined;
  return Array.isArray(d?.erreurs) ? d.erreurs : [];
};

async function envoyer(file: File, dryRun: boolean): Promise<Resultat> {
  let json: unknown;
  try {
    json = JSON.parse(await file.text());
  } catch (e) {
    // Checked here: the file is sent as JSON. Shown next to the file like the API's own refusals.
    throw new ApiError(400, { error: 'fichier_invalide', message: `Le fichier « ${file.name} » n’est pas du JSON valide : ${(e as Error).message}` });
  }
  try {
    return { rapport: await api.post<Rapport>(`/api/v1/aides/import?dry_run=${dryRun}&fichier=${encodeURIComponent(file.name.slice(0, 200))}`, json), erreurs: [] };
  } catch (e) {
    const erreurs = erreursDe(e);
    if (!erreurs.length) throw e;
    return { rapport: null, erreurs };
  }
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
        verifie={(r) => r.rapport?.dry_run === true}
        rendu={({ rapport, erreurs }) =>
          rapport ? (
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
              <Alert className={fr.cx('fr-mb-2w')} severity="error" title={`Le fichier contient ${erreurs.length} erreur${erreurs.length > 1 ? 's' : ''}`} description="Aucune aide n’a été importée." />
              <Table caption="Erreurs du fichier" headers={['Aide n°', 'Champ', 'Valeur', 'Message']} data={erreurs.map((e) => [String(e.ligne), e.champ, JSON.stringify(e.valeur) ?? '—', e.message])} />
            </>
          )
        }
      />
    </>
  );
}
