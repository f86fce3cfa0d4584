import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { api, type OperationPage, type Referentiel, type Revue, type RevueAction, type RevuePoint } from '../api';
import { Loading } from '../components/Loading';
import { OutcomeAlert } from '../components/OutcomeAlert';
import { formatDate } from '../format';
import { libelleEtape, useReferentiel } from '../operations/referentiel';
import { ORIGINES_POINT, formatRevueDate } from '../operations/revues';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';
import { useFieldErrors, useSubmission } from '../useSubmission';
import { NotFoundPage } from './NotFoundPage';
import { StatutRevueBadge } from './RevuesPage';

const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });

function CompteRenduForm({ revue, point, onSaved }: { revue: Revue; point: RevuePoint; onSaved: (r: Revue, text: string) => void }) {
  const [situation, setSituation] = useState(point.situation ?? '');
  const [decisions, setDecisions] = useState(point.decisions ?? '');
  const { failure, busy, submit } = useSubmission();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void submit(async () => {
      const r = await api.patch<Revue>(`/api/v1/revues/${revue.id}/points/${point.id}`, {
        situation: situation.trim() || null,
        decisions: decisions.trim() || null,
      });
      onSaved(r, 'Le compte rendu a été enregistré.');
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby={`cr-${point.id}`}>
      <h4 id={`cr-${point.id}`} className={fr.cx('fr-h6')}>
        Compte rendu
      </h4>
      <OutcomeAlert outcome={failure} spacing="fr-mb-2w" />
      <Input label="Situation" textArea nativeTextAreaProps={{ name: 'situation', rows: 3, value: situation, onChange: (e) => setSituation(e.target.value) }} />
      <Input label="Décisions" textArea nativeTextAreaProps={{ name: 'decisions', rows: 3, value: decisions, onChange: (e) => setDecisions(e.target.value) }} />
      <Button type="submit" size="small" disabled={busy}>
        Enregistrer le compte rendu
      </Button>
    </form>
  );
}

function ActionForm({ revue, point, onAdded }: { revue: Revue; point: RevuePoint; onAdded: (text: string) => void }) {
  const empty = { libelle: '', responsable: '', echeance: '' };
  const [form, setForm] = useState(empty);
  const { field, check } = useFieldErrors<keyof typeof empty>();
  const { failure, busy, submit } = useSubmission();
  const set = (key: keyof typeof empty) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Partial<typeof empty> = {};
    if (!form.libelle.trim()) found.libelle = 'Décrivez l’action.';
    if (!form.responsable.trim()) found.responsable = 'Indiquez le responsable.';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(form.echeance)) found.echeance = 'Indiquez l’échéance.';
    if (!check(found)) return;
    void submit(async () => {
      await api.post<RevueAction>(`/api/v1/revues/${revue.id}/points/${point.id}/actions`, {
        libelle: form.libelle.trim(),
        responsable: form.responsable.trim(),
        echeance: form.echeance,
      });
      setForm(empty);
      onAdded(`L’action « ${form.libelle.trim()} » a été ajoutée.`);
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby={`action-${point.id}`} className={fr.cx('fr-mt-2w')}>
      <h5 id={`action-${point.id}`} className={fr.cx('fr-text--md', 'fr-text--bold', 'fr-mb-1w')}>
        Ajouter une action
      </h5>
      <OutcomeAlert outcome={failure} spacing="fr-mb-2w" />
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-5')}>
          <Input label="Libellé de l’action" {...field('libelle')} nativeInputProps={{ name: 'libelle', autoComplete: 'off', value: form.libelle, onChange: set('libelle') }} />
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
          <Input label="Responsable" {...field('responsable')} nativeInputProps={{ name: 'responsable', autoComplete: 'off', value: form.responsable, onChange: set('responsable') }} />
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-3')}>
          <Input label="Échéance" {...field('echeance')} nativeInputProps={{ name: 'echeance', type: 'date', value: form.echeance, onChange: set('echeance') }} />
        </div>
      </div>
      <Button type="submit" size="small" priority="secondary" disabled={busy} className={fr.cx('fr-mt-2w')}>
        Ajouter l’action
      </Button>
    </form>
  );
}

function TextForm({
  id,
  title,
  fields,
  submit,
  onSubmit,
}: {
  id: string;
  title: string;
  fields: { name: string; label: string; type?: 'date'; initial?: string; required: string }[];
  submit: string;
  onSubmit: (values: Record<string, string>) => Promise<void>;
}) {
  const [values, setValues] = useState<Record<string, string>>(Object.fromEntries(fields.map((f) => [f.name, f.initial ?? ''])));
  const { field, check } = useFieldErrors();
  const { failure, busy, submit: run } = useSubmission();

  async function handle(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Record<string, string> = {};
    for (const f of fields) if (!values[f.name]?.trim()) found[f.name] = f.required;
    if (!check(found)) return;
    await run(() => onSubmit(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.trim()]))));
  }

  return (
    <form onSubmit={handle} noValidate aria-labelledby={id} className={fr.cx('fr-mt-3w')}>
      <h4 id={id} className={fr.cx('fr-h6')}>
        {title}
      </h4>
      <OutcomeAlert outcome={failure} spacing="fr-mb-2w" />
      {fields.map((f) => (
        <Input
          key={f.name}
          label={f.label}
          {...field(f.name)}
          {...(f.type === 'date'
            ? { nativeInputProps: { name: f.name, type: 'date', value: values[f.name] ?? '', onChange: (e) => setValues((v) => ({ ...v, [f.name]: e.target.value })) } }
            : {
                textArea: true as const,
                nativeTextAreaProps: { name: f.name, rows: 3, value: values[f.name] ?? '', onChange: (e) => setValues((v) => ({ ...v, [f.name]: e.target.value })) },
              })}
        />
      ))}
      <Button type="submit" size="small" priority="secondary" disabled={busy}>
        {submit}
      </Button>
    </form>
  );
}

function Texte({ label, value }: { label: string; value: string | null }) {
  return (
    <>
      <dt className={fr.cx('fr-text--bold')}>{label}</dt>
      <dd className="atelier-texte">{value ?? 'non renseignée'}</dd>
    </>
  );
}

function Point({
  revue,
  point,
  referentiel,
  onRevue,
  onReload,
}: {
  revue: Revue;
  point: RevuePoint;
  referentiel: Referentiel | undefined;
  onRevue: (r: Revue) => void;
  onReload: () => Promise<void>;
}) {
  const { outcome, succeed: say, submit } = useSubmission();
  const { gerer, contribuer } = revue.policies;
  const titleId = `point-${point.id}`;

  function toggleAction(a: RevueAction) {
    return submit(async () => {
      await api.patch<RevueAction>(`/api/v1/revues/actions/${a.id}`, { statut: a.statut === 'close' ? 'ouverte' : 'close' });
      await onReload();
      return a.statut === 'close' ? `L’action « ${a.libelle} » a été rouverte.` : `L’action « ${a.libelle} » a été close.`;
    });
  }

  const actionHeaders = ['Action', 'Responsable', 'Échéance', 'Statut'];
  if (contribuer) actionHeaders.push('Suivi');

  let escalade: ReactNode = null;
  if (point.escalade) {
    escalade = (
      <div className={fr.cx('fr-mt-3w')}>
        <Alert
          severity="warning"
          small
          title="Soumis à l’arbitrage du préfet"
          description={
            <>
              {point.escalade.le ? `Le ${formatDate(point.escalade.le)} : ` : ''}
              {point.escalade.motif}
              {point.escalade.arbitrage && (
                <>
                  <br />
                  <strong>Arbitrage rendu{point.escalade.arbitrage_le ? ` le ${formatDate(point.escalade.arbitrage_le)}` : ''} :</strong>{' '}
                  {point.escalade.arbitrage}
                </>
              )}
            </>
          }
        />
        {gerer && !point.escalade.arbitrage && (
          <TextForm
            id={`arbitrage-${point.id}`}
            title="Consigner l’arbitrage"
            fields={[
              { name: 'decision', label: 'Arbitrage rendu par le préfet', required: 'Indiquez l’arbitrage rendu.' },
              { name: 'date', label: 'Date de l’arbitrage', type: 'date', initial: today(), required: 'Indiquez la date de l’arbitrage.' },
            ]}
            submit="Consigner l’arbitrage"
            onSubmit={async (v) => {
              onRevue(await api.post<Revue>(`/api/v1/revues/${revue.id}/points/${point.id}/arbitrage`, { decision: v.decision, date: v.date }));
              say('L’arbitrage du préfet a été consigné.');
            }}
          />
        )}
      </div>
    );
  } else if (gerer) {
    escalade = (
      <TextForm
        id={`escalade-${point.id}`}
        title="Arbitrage du préfet"
        fields={[{ name: 'motif', label: 'Motif de la demande d’arbitrage', required: 'Motivez la demande d’arbitrage.' }]}
        submit="Soumettre à l’arbitrage du préfet"
        onSubmit={async (v) => {
          onRevue(await api.post<Revue>(`/api/v1/revues/${revue.id}/points/${point.id}/escalade`, { motif: v.motif }));
          say('Le point a été soumis à l’arbitrage du préfet.');
        }}
      />
    );
  }

  return (
    <section className="atelier-point" aria-labelledby={titleId}>
      <h3 id={titleId} className={fr.cx('fr-h5')}>
        {point.ordre}. <Link to={`/operations/${point.operation.id}`}>{point.operation.nom}</Link>
      </h3>
      <p className={fr.cx('fr-mb-2w')}>
        {point.operation.commune} · {point.operation.bailleur} · {libelleEtape(referentiel, point.operation.etape)}{' '}
        <Badge as="span" small noIcon severity={point.origine === 'en_difficulte' ? 'warning' : 'info'}>
          {ORIGINES_POINT[point.origine] ?? point.origine}
        </Badge>
      </p>
      <OutcomeAlert live="polite" outcome={outcome} spacing="fr-mb-2w" />
      <h4 className={fr.cx('fr-h6')}>Blocages ouverts</h4>
      {point.blocages_ouverts.length === 0 ? (
        <p>Aucun blocage ouvert.</p>
      ) : (
        <ul>
          {point.blocages_ouverts.map((b, i) => (
            <li key={i}>
              <strong>{referentiel?.types_blocage[b.type] ?? b.type}</strong> (depuis le {formatDate(b.depuis)}) : {b.description}
            </li>
          ))}
        </ul>
      )}
      {gerer ? (
        <CompteRenduForm
          revue={revue}
          point={point}
          onSaved={(r, text) => {
            onRevue(r);
            say(text);
          }}
        />
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
            const row: ReactNode[] = [
              a.libelle,
              a.responsable,
              formatDate(a.echeance),
              <Badge key="s" as="span" small noIcon severity={a.statut === 'close' ? 'success' : a.en_retard ? 'warning' : 'info'}>
                {a.statut === 'close' ? `Close${a.close_le ? ` le ${formatDate(a.close_le)}` : ''}` : a.en_retard ? 'En retard' : 'Ouverte'}
              </Badge>,
            ];
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
      {gerer && (
        <ActionForm
          revue={revue}
          point={point}
          onAdded={(text) => {
            void onReload().then(() => say(text));
          }}
        />
      )}
      {escalade}
    </section>
  );
}

function AjouterOperation({ revue, onAdded }: { revue: Revue; onAdded: (r: Revue, nom: string) => void }) {
  const [operations] = useApi<OperationPage>(`/api/v1/operations?epci=${revue.epci.siren}&limit=500`);
  const [choice, setChoice] = useState('');
  const { failure, setFailure, busy, submit } = useSubmission();
  const onAgenda = new Set(revue.points.map((p) => p.operation.id));
  const offered = operations.status === 'ready' ? operations.data.results.filter((o) => !onAgenda.has(o.id)) : [];

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!choice) {
      setFailure('Choisissez une opération.');
      return;
    }
    await submit(async () => {
      const r = await api.post<Revue>(`/api/v1/revues/${revue.id}/points`, { operation_id: choice });
      const nom = offered.find((o) => o.id === choice)?.nom ?? '';
      setChoice('');
      onAdded(r, nom);
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="ajouter-titre" className={fr.cx('fr-mt-4w')}>
      <h2 id="ajouter-titre" className={fr.cx('fr-h4')}>
        Ajouter une opération
      </h2>
      {operations.status === 'error' && <Alert severity="error" small description={operations.message} />}
      <Select
        label="Opération de l’EPCI"
        state={failure ? 'error' : 'default'}
        stateRelatedMessage={failure ?? undefined}
        nativeSelectProps={{ name: 'operation_id', value: choice, onChange: (e) => setChoice(e.target.value) }}
      >
        <option value="">— Choisir une opération —</option>
        {offered.map((o) => (
          <option key={o.id} value={o.id}>
            {o.nom} ({o.commune.nom})
          </option>
        ))}
      </Select>
      <Button type="submit" disabled={busy}>
        Ajouter à l’ordre du jour
      </Button>
    </form>
  );
}

function InviterForm({ revue, onInvited }: { revue: Revue; onInvited: (r: Revue, n: number) => void }) {
  const [emails, setEmails] = useState('');
  const { field, setErrors } = useFieldErrors<'participants'>();
  const { failure, busy, submit } = useSubmission();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const list = emails
      .split(/\r?\n/)
      .map((e) => e.trim())
      .filter(Boolean);
    const invalid = list.find((e) => !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e));
    if (list.length === 0) setErrors({ participants: 'Saisissez au moins une adresse électronique.' });
    else if (invalid) setErrors({ participants: `Adresse électronique invalide : ${invalid}` });
    else setErrors({});
    if (list.length === 0 || invalid) return;
    await submit(async () => {
      await api.post(`/api/v1/revues/${revue.id}/participants`, { participants: list.map((email) => ({ email })) });
      const r = await api.get<Revue>(`/api/v1/revues/${revue.id}`);
      setEmails('');
      onInvited(r, list.length);
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="inviter-titre" className={fr.cx('fr-mt-3w')}>
      <h2 id="inviter-titre" className={fr.cx('fr-h4')}>
        Inviter des participants
      </h2>
      <OutcomeAlert outcome={failure} spacing="fr-mb-2w" />
      <Input
        label="Adresses électroniques à inviter"
        hintText="Une adresse par ligne"
        textArea
        {...field('participants')}
        nativeTextAreaProps={{ name: 'participants', rows: 3, value: emails, onChange: (e) => setEmails(e.target.value) }}
      />
      <Button type="submit" priority="secondary" disabled={busy}>
        Inviter
      </Button>
    </form>
  );
}

function Documents({ revue }: { revue: Revue }) {
  const base = `/api/v1/revues/${revue.id}`;
  return (
    <section aria-labelledby="documents-titre" className={fr.cx('fr-mt-4w')}>
      <h2 id="documents-titre" className={fr.cx('fr-h4')}>
        Documents
      </h2>
      <ul>
        <li>
          <a href={`${base}/ordre-du-jour.pdf`}>Ordre du jour (PDF)</a>
        </li>
        <li>
          <a href={`${base}/ordre-du-jour.docx`}>Ordre du jour (DOCX)</a>
        </li>
        <li>
          <a href={`${base}/compte-rendu.pdf`}>Compte rendu (PDF)</a>
        </li>
        <li>
          <a href={`${base}/compte-rendu.docx`}>Compte rendu (DOCX)</a>
        </li>
      </ul>
    </section>
  );
}

export function RevuePage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const [state] = useApi<Revue>(`/api/v1/revues/${encodeURIComponent(id)}`);
  const referentiel = useReferentiel();
  const [updated, setUpdated] = useState<Revue | null>(null);
  const { outcome: message, succeed, submit } = useSubmission(
    (location.state as { created?: boolean } | null)?.created ? { severity: 'success', text: 'La revue de projet a été planifiée.' } : null,
  );
  const revue = updated ?? (state.status === 'ready' ? state.data : null);
  const titre = revue ? `Revue de projet — ${revue.epci.nom ?? revue.epci.siren}` : 'Revue de projet';
  usePageTitle(titre);

  if (state.status === 'error' && (state.httpStatus === 404 || state.httpStatus === 400)) return <NotFoundPage />;

  async function reload() {
    setUpdated(await api.get<Revue>(`/api/v1/revues/${encodeURIComponent(id)}`));
  }

  function marquerTenue() {
    return submit(async () => {
      setUpdated(await api.patch<Revue>(`/api/v1/revues/${encodeURIComponent(id)}`, { statut: 'tenue' }));
      return 'La revue est marquée comme tenue.';
    });
  }

  function actualiser() {
    return submit(async () => {
      const { ajoutes } = await api.post<{ ajoutes: number }>(`/api/v1/revues/${encodeURIComponent(id)}/ordre-du-jour/actualiser`);
      await reload();
      return `${ajoutes} opération(s) ajoutée(s) à l’ordre du jour.`;
    });
  }

  const ref = referentiel.status === 'ready' ? referentiel.data : undefined;
  return (
    <>
      <Breadcrumb currentPageLabel={titre} homeLinkProps={{ to: '/' }} segments={[{ label: 'Revues de projet', linkProps: { to: '/revues' } }]} />
      {state.status === 'loading' && !revue && <Loading label="Chargement de la revue…" />}
      {state.status === 'error' && <Alert severity="error" title="Revue indisponible" description={state.message} />}
      {revue && (
        <>
          <h1>{titre}</h1>
          <OutcomeAlert live="polite" outcome={message} />
          <dl className="atelier-fiche">
            <dt className={fr.cx('fr-text--bold')}>Date</dt>
            <dd>{formatRevueDate(revue.date)}</dd>
            <dt className={fr.cx('fr-text--bold')}>Lieu</dt>
            <dd>{revue.lieu ?? '—'}</dd>
            <dt className={fr.cx('fr-text--bold')}>Statut</dt>
            <dd>
              <StatutRevueBadge statut={revue.statut} />
            </dd>
            <dt className={fr.cx('fr-text--bold')}>Participants invités</dt>
            <dd>
              {revue.participants.length === 0 ? (
                'aucun'
              ) : (
                <ul className="atelier-participants">
                  {revue.participants.map((p) => (
                    <li key={p.email}>
                      {p.nom ? `${p.nom} (${p.email})` : p.email}
                      {p.organisation ? ` — ${p.organisation}` : ''}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </dl>
          {revue.statut === 'planifiee' && (revue.policies.gerer || revue.policies.contribuer) && (
            <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-md', 'fr-mt-2w')}>
              {revue.policies.gerer && (
                <li>
                  <Button type="button" priority="secondary" onClick={() => void marquerTenue()}>
                    Marquer comme tenue
                  </Button>
                </li>
              )}
              {revue.policies.contribuer && (
                <li>
                  <Button type="button" priority="secondary" onClick={() => void actualiser()}>
                    Actualiser l’ordre du jour
                  </Button>
                </li>
              )}
            </ul>
          )}
          {revue.policies.gerer && (
            <InviterForm
              revue={revue}
              onInvited={(r, n) => {
                setUpdated(r);
                succeed(`${n} participant(s) invité(s).`);
              }}
            />
          )}
          <Documents revue={revue} />
          <h2 className={fr.cx('fr-mt-4w')}>Ordre du jour</h2>
          {revue.points.length === 0 ? (
            <p>Aucune opération à l’ordre du jour.</p>
          ) : (
            revue.points.map((p) => <Point key={p.id} revue={revue} point={p} referentiel={ref} onRevue={setUpdated} onReload={reload} />)
          )}
          {revue.policies.contribuer && revue.statut === 'planifiee' && (
            <AjouterOperation
              revue={revue}
              onAdded={(r, nom) => {
                setUpdated(r);
                succeed(`L’opération « ${nom} » a été ajoutée à l’ordre du jour.`);
              }}
            />
          )}
        </>
      )}
    </>
  );
}
