import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { Upload } from '@codegouvfr/react-dsfr/Upload';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, ApiError, errorMessage } from '../api';
import { usePageTitle } from '../usePageTitle';

type Rapport = { fichier: string; aides: number; creees: number; mises_a_jour: number; dry_run: boolean };
type Erreur = { ligne: number; champ: string; valeur: unknown; message: string };

const erreursDe = (e: unknown): Erreur[] => {
  const d = e instanceof ApiError ? (e.details as { erreurs?: Erreur[] } | undefined) : undefined;
  return Array.isArray(d?.erreurs) ? d.erreurs : [];
};

/**
 * The DDTM (or an administrator) loads an aides-territoires JSON export: checked in full first, then
 * imported all or nothing, updating the aids already known by their slug.
 */
export function ImportAidesPage() {
  usePageTitle('Importer des aides');
  const [file, setFile] = useState<File | null>(null);
  const [rapport, setRapport] = useState<Rapport | null>(null);
  const [echec, setEchec] = useState<{ message: string; erreurs: Erreur[] } | null>(null);
  const [busy, setBusy] = useState(false);

  async function envoyer(dryRun: boolean) {
    setRapport(null);
    setEchec(null);
    if (!file) {
      setEchec({ message: 'Choisissez un fichier JSON à importer.', erreurs: [] });
      return;
    }
    setBusy(true);
    try {
      let json: unknown;
      try {
        json = JSON.parse(await file.text());
      } catch (e) {
        setEchec({ message: `Le fichier « ${file.name} » n’est pas du JSON valide : ${(e as Error).message}`, erreurs: [] });
        return;
      }
      setRapport(await api.post<Rapport>(`/api/v1/aides/import?dry_run=${dryRun}&fichier=${encodeURIComponent(file.name.slice(0, 200))}`, json));
    } catch (e) {
      setEchec({ message: errorMessage(e), erreurs: erreursDe(e) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Breadcrumb currentPageLabel="Importer des aides" homeLinkProps={{ to: '/' }} segments={[{ label: 'Revue des aides', linkProps: { to: '/aides/revue' } }]} />
      <h1>Importer des aides</h1>
      <p>
        Fichier JSON au format d’aides-territoires (un export de son API, <code>{'{ "results": [ … ] }'}</code>, ou une liste d’aides). Le fichier est vérifié
        en entier : une seule aide en erreur et rien n’est importé. Une aide déjà connue (même <code>slug</code>) est mise à jour ; ses vues, clics et son
        financeur sont conservés. Les aides importées sont publiées.
      </p>
      <form
        onSubmit={(e: FormEvent<HTMLFormElement>) => {
          e.preventDefault();
          void envoyer(true);
        }}
        noValidate
      >
        <Upload
          label="Fichier des aides"
          hint="Format : .json (aides-territoires)."
          state={echec && !echec.erreurs.length ? 'error' : 'default'}
          stateRelatedMessage={echec && !echec.erreurs.length ? echec.message : undefined}
          nativeInputProps={{
            name: 'file',
            accept: '.json,application/json',
            onChange: (e) => {
              setFile(e.target.files?.[0] ?? null);
              setRapport(null);
              setEchec(null);
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
            <Button type="button" priority="secondary" disabled={busy} onClick={() => void envoyer(false)}>
              Importer
            </Button>
          </li>
        </ul>
      </form>
      <div aria-live="polite">
        {echec && echec.erreurs.length > 0 && (
          <>
            <Alert className={fr.cx('fr-mb-2w')} severity="error" title={`Le fichier contient ${echec.erreurs.length} erreur${echec.erreurs.length > 1 ? 's' : ''}`} description="Aucune aide n’a été importée." />
            <Table
              caption="Erreurs du fichier"
              headers={['Aide n°', 'Champ', 'Valeur', 'Message']}
              data={echec.erreurs.map((e) => [String(e.ligne), e.champ, JSON.stringify(e.valeur) ?? '—', e.message])}
            />
          </>
        )}
        {rapport && (
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
        )}
      </div>
    </>
  );
}
