import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { fr } from '@codegouvfr/react-dsfr/fr';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { TYPES_BLOCAGE } from '../../../shared/operations/referentiel';
import { api, type Referentiel, type Revue, type RevueAction, type RevuePoint } from '../api';
import { OriginePointBadge, StatutActionBadge } from '../components/badges';
import { OutcomeAlert } from '../components/OutcomeAlert';
import { formatDate, today } from '../format';
import { libelleEtape } from '../operations/referentiel';
import { useSubmission } from '../useSubmission';
import { ActionForm } from './ActionForm';
import { CompteRenduForm } from './CompteRenduForm';
import { INVALIDE_REVUE } from './revues';
import { TextForm } from './TextForm';

function Texte({ label, value }: { label: string; value: string | null }) {
  return (
    <>
      <dt className={fr.cx('fr-text--bold')}>{label}</dt>
      <dd className="atelier-texte">{value ?? 'non renseignée'}</dd>
    </>
  );
}

/** The escalation of an agenda item to the préfet: asked, then the arbitration recorded. */
function Escalade({ revue, point, onDone }: { revue: Revue; point: RevuePoint; onDone: (text: string) => void }) {
  const { gerer } = revue.policies;
  if (!point.escalade) {
    if (!gerer) return null;
    return (
      <TextForm
        id={`escalade-${point.id}`}
        title="Arbitrage du préfet"
        fields={[{ name: 'motif', label: 'Motif de la demande d’arbitrage', required: 'Motivez la demande d’arbitrage.' }]}
        submit="Soumettre à l’arbitrage du préfet"
        onSubmit={async (v) => {
          await api.post<Revue>(`/api/v1/revues/${revue.id}/points/${point.id}/escalade`, { motif: v.motif });
        }}
        onDone={() => onDone('Le point a été soumis à l’arbitrage du préfet.')}
      />
    );
  }
  const { escalade } = point;
  return (
    <div className={fr.cx('fr-mt-3w')}>
      <Alert
        severity="warning"
        small
        title="Soumis à l’arbitrage du préfet"
        description={
          <>
            {escalade.le ? `Le ${formatDate(escalade.le)} : ` : ''}
            {escalade.motif}
            {escalade.arbitrage && (
              <>
                <br />
                <strong>Arbitrage rendu{escalade.arbitrage_le ? ` le ${formatDate(escalade.arbitrage_le)}` : ''} :</strong> {escalade.arbitrage}
              </>
            )}
          </>
        }
      />
      {gerer && !escalade.arbitrage && (
        <TextForm
          id={`arbitrage-${point.id}`}
          title="Consigner l’arbitrage"
          fields={[
            { name: 'decision', label: 'Arbitrage rendu par le préfet', required: 'Indiquez l’arbitrage rendu.' },
            { name: 'date', label: 'Date de l’arbitrage', type: 'date', initial: today(), required: 'Indiquez la date de l’arbitrage.' },
          ]}
          submit="Consigner l’arbitrage"
          onSubmit={async (v) => {
            await api.post<Revue>(`/api/v1/revues/${revue.id}/points/${point.id}/arbitrage`, { decision: v.decision, date: v.date });
          }}
          onDone={() => onDone('L’arbitrage du préfet a été consigné.')}
        />
      )}
    </div>
  );
}

/** One agenda item: the operation, its open blockers, the record, the actions, the escalation. */
export function PointRevue({ revue, point, referentiel }: { revue: Revue; point: RevuePoint; referentiel: Referentiel | undefined }) {
  const { outcome, succeed: say, submit } = useSubmission(null, { invalidates: INVALIDE_REVUE });
  const { gerer, contribuer } = revue.policies;
  const titleId = `point-${point.id}`;

  function toggleAction(a: RevueAction) {
    return submit(async () => {
      await api.patch<RevueAction>(`/api/v1/revues/actions/${a.id}`, { statut: a.statut === 'close' ? 'ouverte' : 'close' });
      return a.statut === 'close' ? `L’action « ${a.libelle} » a été rouverte.` : `L’action « ${a.libelle} » a été close.`;
    });
  }

  const actionHeaders = ['Action', 'Responsable', 'Échéance', 'Statut'];
  if (contribuer) actionHeaders.push('Suivi');

  return (
    <section className="atelier-point" aria-labelledby={titleId}>
      <h3 id={titleId} className={fr.cx('fr-h5')}>
        {point.ordre}. <Link to={`/operations/${point.operation.id}`}>{point.operation.nom}</Link>
      </h3>
      <p className={fr.cx('fr-mb-2w')}>
        {point.operation.commune} · {point.operation.bailleur} · {libelleEtape(referentiel, point.operation.etape)} <OriginePointBadge origine={point.origine} />
      </p>
      <OutcomeAlert live="polite" outcome={outcome} spacing="fr-mb-2w" />
      <h4 className={fr.cx('fr-h6')}>Blocages ouverts</h4>
      {point.blocages_ouverts.length === 0 ? (
        <p>Aucun blocage ouvert.</p>
      ) : (
        <ul>
          {point.blocages_ouverts.map((b, i) => (
            <li key={i}>
              <strong>{TYPES_BLOCAGE[b.type as keyof typeof TYPES_BLOCAGE] ?? b.type}</strong> (depuis le {formatDate(b.depuis)}) : {b.description}
            </li>
          ))}
        </ul>
      )}
      {gerer ? (
        <CompteRenduForm revue={revue} point={point} onSaved={say} />
      ) : (
        <>
          <h4 className={fr.cx('fr-h6')}>Compte rendu</h4>
          <dl>
            <Texte label="Situation" value={point.situation} />
            <Texte label="Décisions" value={point.decisions} />
          </dl>
        </>
      )}
      <h4 className={fr.cx('fr-h6', 'fr-mt-3w')}>Actions</h4>
      {point.actions.length === 0 ? (
        <p>Aucune action décidée.</p>
      ) : (
        <Table
          noCaption
          caption={`Actions sur « ${point.operation.nom} »`}
          headers={actionHeaders}
          data={point.actions.map((a) => {
            const row: ReactNode[] = [a.libelle, a.responsable, formatDate(a.echeance), <StatutActionBadge key="s" statut={a.statut} enRetard={a.en_retard} closeLe={a.close_le} />];
            if (contribuer)
              row.push(
                <Button key="c" type="button" size="small" priority="tertiary" onClick={() => void toggleAction(a)}>
                  {a.statut === 'close' ? 'Rouvrir' : 'Clore'}
                  <span className={fr.cx('fr-sr-only')}> l’action « {a.libelle} »</span>
                </Button>,
              );
            return row;
          })}
        />
      )}
      {gerer && <ActionForm revue={revue} point={point} onAdded={say} />}
      <Escalade revue={revue} point={point} onDone={say} />
    </section>
  );
}
