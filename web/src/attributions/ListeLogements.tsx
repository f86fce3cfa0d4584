import { Select } from '@codegouvfr/react-dsfr/Select';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState } from 'react';
import { RESERVATAIRES, STATUTS_LOGEMENT_LIBERE, TYPOLOGIES, type Reservataire, type StatutLogementLibere } from '../../../shared/attributions/referentiel';
import { Loading } from '../components/Loading';
import { OutcomeAlert } from '../components/OutcomeAlert';
import { useApi } from '../useApi';
import { jourFr, type LogementsLiberes } from './attributions';

/** The vacated dwellings of the caller's scope, filterable, exportable as CSV. */
export function ListeLogements() {
  const [statut, setStatut] = useState('');
  const [typologie, setTypologie] = useState('');
  const q = new URLSearchParams({ ...(statut && { statut }), ...(typologie && { typologie }) }).toString();
  const [liste] = useApi<LogementsLiberes>(`/api/v1/logements-liberes${q ? `?${q}` : ''}`, { keepPrevious: true });
  return (
    <section aria-labelledby="logements-titre">
      <h2 id="logements-titre">Logements libérés{liste.status === 'ready' ? ` (${liste.data.count})` : ''}</h2>
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
          <Select label="Statut" nativeSelectProps={{ value: statut, onChange: (e) => setStatut(e.target.value) }}>
            <option value="">Tous</option>
            {Object.entries(STATUTS_LOGEMENT_LIBERE).map(([k, v]) => <option key={k} value={k}>{v.libelle}</option>)}
          </Select>
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
          <Select label="Typologie" nativeSelectProps={{ value: typologie, onChange: (e) => setTypologie(e.target.value) }}>
            <option value="">Toutes</option>
            {TYPOLOGIES.map((t) => <option key={t} value={t}>{t}</option>)}
          </Select>
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
          <a className={fr.cx('fr-btn', 'fr-btn--secondary', 'fr-mt-4w')} href={`/api/v1/logements-liberes/export.csv${q ? `?${q}` : ''}`} download>
            Exporter en CSV
          </a>
        </div>
      </div>
      {liste.status === 'loading' && <Loading />}
      {liste.status === 'error' && <OutcomeAlert outcome={liste.message} />}
      {liste.status === 'ready' && liste.data.count === 0 && <p>Aucun logement libéré déclaré pour votre territoire avec ces critères.</p>}
      {liste.status === 'ready' && liste.data.count > 0 && (
          <Table
            caption="Logements libérés"
            headers={['Commune', 'Logement', 'Disponible le', 'Contingent', 'Bailleur', 'Statut']}
            data={liste.data.results.map((l) => [
              l.commune.nom,
              `${l.typologie} ${l.produit}${l.surface_m2 ? `, ${l.surface_m2.toLocaleString('fr-FR')} m²` : ''}${l.loyer_mensuel !== null ? `, ${l.loyer_mensuel.toLocaleString('fr-FR')} €/mois` : ''}${l.residence ? ` — ${l.residence}` : ''}`,
              jourFr(l.disponible_le),
              RESERVATAIRES[l.reservataire as Reservataire] ?? l.reservataire,
              l.bailleur.nom,
              `${STATUTS_LOGEMENT_LIBERE[l.statut as StatutLogementLibere]?.libelle ?? l.statut}${l.attribue_le ? ` le ${jourFr(l.attribue_le)}` : ''}`,
            ])}
          />
      )}
    </section>
  );
}
