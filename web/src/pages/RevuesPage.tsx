import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, type Epci, type ListResponse, type Revue, type RevueResume } from '../api';
import { Loading } from '../components/Loading';
import { OutcomeAlert } from '../components/OutcomeAlert';
import { STATUTS_REVUE, formatRevueDate, parisIso } from '../operations/revues';
import { useSession } from '../session';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';
import { FORM_INVALID, useFieldErrors, useSubmission } from '../useSubmission';

const DEPARTEMENT = '30';

export function StatutRevueBadge({ statut }: { statut: string }) {
  return (
    <Badge as="span" small noIcon severity={statut === 'tenue' ? 'success' : statut === 'annulee' ? 'error' : 'info'}>
      {STATUTS_REVUE[statut] ?? statut}
    </Badge>
  );
}

type FormState = { epci_siren: string; date: string; heure: string; lieu: string; participants: string };
type FieldErrors = Partial<Record<keyof FormState, string>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function PlanifierForm({ onCreated }: { onCreated: (revue: Revue) => void }) {
  const [epci] = useApi<ListResponse<Epci>>(`/api/v1/epci?departement=${DEPARTEMENT}`);
  const empty: FormState = { epci_siren: '', date: '', heure: '09:30', lieu: '', participants: '' };
  const [form, setForm] = useState<FormState>(empty);
  const { field, check } = useFieldErrors<keyof FormState>();
  const { failure, setFailure, busy, submit } = useSubmission();
  const set = (key: keyof FormState) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const emails = form.participants
      .split(/[\n,;]+/)
      .map((e) => e.trim())
      .filter(Boolean);
    const found: FieldErrors = {};
    if (!form.epci_siren) found.epci_siren = 'Choisissez l’EPCI.';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(form.date)) found.date = 'Saisissez la date de la revue.';
    if (!/^\d{2}:\d{2}$/.test(form.heure)) found.heure = 'Saisissez l’heure de la revue, par exemple 09:30.';
    const invalid = emails.filter((e) => !EMAIL.test(e));
    if (invalid.length) found.participants = `Adresse électronique invalide : ${invalid.join(', ')}.`;
    if (!check(found)) {
      setFailure(FORM_INVALID);
      return;
    }
    await submit(async () => {
      const body: Record<string, unknown> = {
        epci_siren: form.epci_siren,
        date: parisIso(form.date, form.heure),
        participants: emails.map((email) => ({ email })),
      };
      if (form.lieu.trim()) body.lieu = form.lieu.trim();
      const revue = await api.post<Revue>('/api/v1/revues', body);
      setForm(empty);
      onCreated(revue);
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="planifier-titre">
      <h2 id="planifier-titre">Planifier une revue</h2>
      <p>
        L’ordre du jour est construit à la planification : les opérations de l’EPCI en difficulté et celles qui ont des
        actions en cours. Les participants reçoivent une invitation par courriel.
      </p>
      <OutcomeAlert live="assertive" outcome={failure} />
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Select label="EPCI" {...field('epci_siren')} nativeSelectProps={{ name: 'epci_siren', value: form.epci_siren, onChange: set('epci_siren') }}>
            <option value="">— Choisir un EPCI —</option>
            {epci.status === 'ready' &&
              epci.data.results.map((e) => (
                <option key={e.siren} value={e.siren}>
                  {e.nom}
                </option>
              ))}
          </Select>
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Input label="Lieu (facultatif)" nativeInputProps={{ name: 'lieu', autoComplete: 'off', value: form.lieu, onChange: set('lieu') }} />
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Input label="Date" {...field('date')} nativeInputProps={{ name: 'date', type: 'date', value: form.date, onChange: set('date') }} />
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Input label="Heure" hintText="Heure de Paris" {...field('heure')} nativeInputProps={{ name: 'heure', type: 'time', value: form.heure, onChange: set('heure') }} />
        </div>
        <div className={fr.cx('fr-col-12')}>
          <Input
            label="Participants (facultatif)"
            hintText="Une adresse électronique par ligne"
            textArea
            {...field('participants')}
            nativeTextAreaProps={{ name: 'participants', rows: 4, value: form.participants, onChange: set('participants') }}
          />
        </div>
      </div>
      <Button type="submit" disabled={busy} className={fr.cx('fr-mt-2w')}>
        Planifier la revue
      </Button>
    </form>
  );
}

export function RevuesPage() {
  usePageTitle('Revues de projet');
  const { can } = useSession();
  const navigate = useNavigate();
  const [revues] = useApi<ListResponse<RevueResume>>('/api/v1/revues');
  return (
    <>
      <h1>Revues de projet</h1>
      <p>
        Les services de l’État réunissent chaque EPCI pour passer en revue les opérations en difficulté : situation,
        décisions, actions avec un responsable et une échéance, et si besoin arbitrage du préfet.
      </p>
      {revues.status === 'loading' && <Loading label="Chargement des revues…" />}
      {revues.status === 'error' && <Alert severity="error" small description={revues.message} />}
      {revues.status === 'ready' &&
        (revues.data.count === 0 ? (
          <p>Aucune revue de projet n’est planifiée.</p>
        ) : (
          <Table
            caption={`Revues de projet (${revues.data.count})`}
            headers={['Date', 'EPCI', 'Lieu', 'Statut', 'Points à l’ordre du jour', 'Arbitrages demandés']}
            data={revues.data.results.map((r) => [
              <Link key="d" to={`/revues/${r.id}`}>
                {formatRevueDate(r.date)}
                <span className={fr.cx('fr-sr-only')}> — {r.epci_nom}</span>
              </Link>,
              r.epci_nom,
              r.lieu ?? '—',
              <StatutRevueBadge key="s" statut={r.statut} />,
              String(r.points),
              String(r.escalades),
            ])}
          />
        ))}
      {can('revues:manage') && (
        <div className={fr.cx('fr-mt-6w')}>
          <PlanifierForm onCreated={(revue) => navigate(`/revues/${revue.id}`, { state: { created: true } })} />
        </div>
      )}
    </>
  );
}
