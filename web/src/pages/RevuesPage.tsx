import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, type Epci, type ListResponse, type Me, type Revue, type RevueResume } from '../api';
import { Loading } from '../components/Loading';
import { OutcomeAlert } from '../components/OutcomeAlert';
import { INVALIDE_REVUE, STATUTS_REVUE, formatRevueDate, parisIso } from '../revues/revues';
import { useSession } from '../session';
import { StatutRevueBadge } from '../components/badges';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';
import { FORM_INVALID, useFieldErrors, useSubmission } from '../useSubmission';

type Mode = 'une' | 'cycle';
type FormState = {
  mode: Mode;
  epci_siren: string;
  date: string;
  date_2: string;
  date_3: string;
  heure: string;
  lieu: string;
  participants: string;
};
type Cle = Exclude<keyof FormState, 'mode'>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The date fields of each mode, with their labels and the message when one is missing. */
const CHAMPS_DATES: Record<Mode, { key: 'date' | 'date_2' | 'date_3'; label: string; requis: string }[]> = {
  une: [{ key: 'date', label: 'Date', requis: 'Saisissez la date de la revue.' }],
  cycle: [
    { key: 'date', label: 'Date de la première revue', requis: 'Saisissez la date de la première revue.' },
    { key: 'date_2', label: 'Date de la deuxième revue', requis: 'Saisissez la date de la deuxième revue.' },
    { key: 'date_3', label: 'Date de la troisième revue', requis: 'Saisissez la date de la troisième revue.' },
  ],
};

/** The EPCI a review can be planned for: those of the user's département, or all the instance serves. */
function useEpciOfferts(me: Me | null | undefined) {
  const departement = me?.scope.type === 'departement' ? me.scope.code : undefined;
  return useApi<ListResponse<Epci>>(departement ? `/api/v1/epci?departement=${encodeURIComponent(departement)}` : '/api/v1/epci')[0];
}

function CycleCree({ revues }: { revues: Revue[] }) {
  return (
    <Alert
      className={fr.cx('fr-mb-3w')}
      severity="success"
      small
      title={`${revues.length} revues de projet planifiées pour ${revues[0]?.epci.nom ?? 'l’EPCI'}`}
      description={
        <ul>
          {revues.map((r) => (
            <li key={r.id}>
              <Link to={`/revues/${r.id}`}>{formatRevueDate(r.date)}</Link>
            </li>
          ))}
        </ul>
      }
    />
  );
}

function PlanifierForm({ onCreated }: { onCreated: (revue: Revue) => void }) {
  const { me } = useSession();
  const epci = useEpciOfferts(me);
  const empty: FormState = { mode: 'une', epci_siren: '', date: '', date_2: '', date_3: '', heure: '09:30', lieu: '', participants: '' };
  const [form, setForm] = useState<FormState>(empty);
  const [cycle, setCycle] = useState<Revue[] | null>(null);
  const { field, check } = useFieldErrors<Cle>();
  const { failure, setFailure, busy, submit } = useSubmission(null, { invalidates: INVALIDE_REVUE });
  const set = (key: Cle) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  const dates = CHAMPS_DATES[form.mode];

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setCycle(null);
    const emails = form.participants
      .split(/[\n,;]+/)
      .map((e) => e.trim())
      .filter(Boolean);
    const found: Partial<Record<Cle, string>> = {};
    if (!form.epci_siren) found.epci_siren = 'Choisissez l’EPCI.';
    const vues = new Set<string>();
    for (const d of dates) {
      const v = form[d.key];
      if (!DATE.test(v)) found[d.key] = d.requis;
      else if (vues.has(v)) found[d.key] = 'Cette date est déjà celle d’une autre revue du cycle.';
      vues.add(v);
    }
    if (!/^\d{2}:\d{2}$/.test(form.heure)) found.heure = 'Saisissez l’heure de la revue, par exemple 09:30.';
    const invalid = emails.filter((e) => !EMAIL.test(e));
    if (invalid.length) found.participants = `Adresse électronique invalide : ${invalid.join(', ')}.`;
    if (!check(found)) {
      setFailure(FORM_INVALID);
      return;
    }
    await submit(async () => {
      const body: Record<string, unknown> = { epci_siren: form.epci_siren, participants: emails.map((email) => ({ email })) };
      if (form.lieu.trim()) body.lieu = form.lieu.trim();
      if (form.mode === 'une') {
        const revue = await api.post<Revue>('/api/v1/revues', { ...body, date: parisIso(form.date, form.heure) });
        setForm(empty);
        onCreated(revue);
        return;
      }
      body.dates = dates.map((d) => parisIso(form[d.key], form.heure));
      const created = await api.post<ListResponse<Revue>>('/api/v1/revues/cycle', body);
      setForm({ ...empty, mode: 'cycle' });
      setCycle(created.results);
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="planifier-titre">
      <h2 id="planifier-titre">Planifier une revue ou le cycle de l’année</h2>
      <p>
        L’ordre du jour est construit à la planification : les opérations de l’EPCI en difficulté et celles qui ont des
        actions en cours. Les participants reçoivent une invitation par courriel.
      </p>
      <OutcomeAlert live="assertive" outcome={failure} />
      <div aria-live="polite">{cycle && <CycleCree revues={cycle} />}</div>
      <RadioButtons
        legend="Que planifier ?"
        orientation="horizontal"
        name="mode"
        options={[
          { label: 'Une revue', nativeInputProps: { value: 'une', checked: form.mode === 'une', onChange: () => setForm((f) => ({ ...f, mode: 'une' })) } },
          {
            label: 'Le cycle de l’année (trois revues)',
            hintText: 'Trois dates planifiées en une fois, au même horaire',
            nativeInputProps: { value: 'cycle', checked: form.mode === 'cycle', onChange: () => setForm((f) => ({ ...f, mode: 'cycle' })) },
          },
        ]}
      />
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
          {epci.status === 'error' && <Alert severity="error" small description={epci.message} />}
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Input label="Lieu (facultatif)" nativeInputProps={{ name: 'lieu', autoComplete: 'off', value: form.lieu, onChange: set('lieu') }} />
        </div>
        {dates.map((d) => (
          <div key={d.key} className={fr.cx('fr-col-12', form.mode === 'une' ? 'fr-col-md-6' : 'fr-col-md-3')}>
            <Input label={d.label} {...field(d.key)} nativeInputProps={{ name: d.key, type: 'date', value: form[d.key], onChange: set(d.key) }} />
          </div>
        ))}
        <div className={fr.cx('fr-col-12', form.mode === 'une' ? 'fr-col-md-6' : 'fr-col-md-3')}>
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
        {form.mode === 'une' ? 'Planifier la revue' : 'Planifier les trois revues'}
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
