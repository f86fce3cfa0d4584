import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from '../api';
import { Loading } from '../components/Loading';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';
import { useSubmission } from '../useSubmission';
import { OutcomeAlert } from '../components/OutcomeAlert';
import type { GroupeVocabulaire as Groupe } from './types';

/** The DDTM edits the search vocabulary (acronyms, synonyms) without code; every change is audited. */
export function VocabulairePage() {
  usePageTitle('Vocabulaire de la recherche');
  const [groupes] = useApi<{ groupes: Groupe[] }>('/api/v1/aides/vocabulaire');
  const [termes, setTermes] = useState('');
  const [note, setNote] = useState('');
  const [edition, setEdition] = useState<{ id: number; termes: string; note: string } | null>(null);
  const titreEdition = useRef<HTMLHeadingElement>(null);
  // The vocabulary changes how every search is understood: the groups and any cached search.
  const { outcome, submit } = useSubmission(null, { invalidates: ['/api/v1/aides'] });
  // The edit form opens below the table: focus goes to its heading.
  const ouverte = edition?.id;
  useEffect(() => {
    if (ouverte !== undefined) titreEdition.current?.focus();
  }, [ouverte]);
  /** Runs a write, then refreshes the groups and reports `ok` (or the French error). */
  const act = (fn: () => Promise<unknown>, ok: string) =>
    submit(async () => {
      await fn();
      return ok;
    });
  function add(e: FormEvent) {
    e.preventDefault();
    void act(async () => {
      await api.post('/api/v1/aides/vocabulaire', { termes: termes.split(';').map((t) => t.trim()).filter(Boolean), note: note || null });
      setTermes('');
      setNote('');
    }, 'Groupe ajouté : la recherche l’utilise dès maintenant.');
  }
  function enregistrer(e: FormEvent) {
    e.preventDefault();
    if (!edition) return;
    void act(async () => {
      await api.patch(`/api/v1/aides/vocabulaire/${edition.id}`, { termes: edition.termes.split(';').map((t) => t.trim()).filter(Boolean), note: edition.note || null });
      setEdition(null);
    }, 'Groupe modifié : la recherche l’utilise dès maintenant.');
  }
  return (
    <>
      <h1>Vocabulaire de la recherche</h1>
      <p>Chaque groupe réunit des expressions équivalentes : une recherche qui contient l’une d’elles trouve aussi les autres.</p>
      <OutcomeAlert outcome={outcome} live="polite" spacing="fr-mb-2w" />
      <form onSubmit={add} aria-labelledby="ajout-groupe" className={fr.cx('fr-mb-4w')}>
        <h2 id="ajout-groupe">Ajouter un groupe</h2>
        <Input label="Expressions équivalentes" hintText="Séparées par des points-virgules, par exemple : OFS ; organisme de foncier solidaire" nativeInputProps={{ name: 'termes', required: true, value: termes, onChange: (e) => setTermes(e.target.value) }} />
        <Input label="Note" hintText="Facultative" nativeInputProps={{ name: 'note', value: note, onChange: (e) => setNote(e.target.value) }} />
        <Button type="submit">Ajouter le groupe</Button>
      </form>
      {groupes.status === 'loading' && <Loading />}
      {groupes.status === 'error' && <Alert severity="error" small description={groupes.message} />}
      {groupes.status === 'ready' && (
        <Table
          caption={`Groupes d’expressions (${groupes.data.groupes.length})`}
          headers={['Expressions', 'Note', 'Actions']}
          data={groupes.data.groupes.map((g) => [
            g.termes.join(' ; '),
            g.note ?? '',
            <ul key="a" className={fr.cx('fr-btns-group', 'fr-btns-group--inline', 'fr-btns-group--sm')}>
              <li>
                <Button size="small" priority="secondary" onClick={() => setEdition({ id: g.id, termes: g.termes.join(' ; '), note: g.note ?? '' })} nativeButtonProps={{ 'aria-label': `Modifier le groupe ${g.termes[0]}` }}>
                  Modifier
                </Button>
              </li>
              <li>
                <Button size="small" priority="tertiary" onClick={() => act(() => api.delete(`/api/v1/aides/vocabulaire/${g.id}`), 'Groupe supprimé.')} nativeButtonProps={{ 'aria-label': `Supprimer le groupe ${g.termes[0]}` }}>
                  Supprimer
                </Button>
              </li>
            </ul>,
          ])}
        />
      )}
      {edition && (
        <form onSubmit={enregistrer} aria-labelledby="edition-groupe" className={fr.cx('fr-mt-4w')}>
          <h2 id="edition-groupe" ref={titreEdition} tabIndex={-1}>
            Modifier le groupe
          </h2>
          <Input label="Expressions équivalentes" hintText="Séparées par des points-virgules" nativeInputProps={{ name: 'termes-edition', required: true, value: edition.termes, onChange: (e) => setEdition({ ...edition, termes: e.target.value }) }} />
          <Input label="Note" hintText="Facultative" nativeInputProps={{ name: 'note-edition', value: edition.note, onChange: (e) => setEdition({ ...edition, note: e.target.value }) }} />
          <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline')}>
            <li>
              <Button type="submit">Enregistrer</Button>
            </li>
            <li>
              <Button type="button" priority="secondary" onClick={() => setEdition(null)}>
                Annuler
              </Button>
            </li>
          </ul>
        </form>
      )}
    </>
  );
}
