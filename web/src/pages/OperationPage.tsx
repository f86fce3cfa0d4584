import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState, type FormEvent } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { api, type Blocage, type Concertations, type Evenement, type Operation, type Referentiel } from '../api';
import { Loading } from '../components/Loading';
import { OutcomeAlert } from '../components/OutcomeAlert';
import { formatDate, formatDateTime, formatInteger } from '../format';
import { PlanFinancement } from '../operations/PlanFinancement';
import { DocumentsOperation } from '../components/DocumentsOperation';
import { ListeCorrespondances, type Correspondances } from '../aides/Correspondances';
import { LIBELLES_CHAMPS, dateEtape, dateOf } from '../operations/referentiel';
import { useReferentiel } from '../operations/referentiel';
import { useSession } from '../session';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';
import { FORM_INVALID, useFieldErrors, useSubmission } from '../useSubmission';
import { NotFoundPage } from './NotFoundPage';
import { EnDifficulteBadge } from './OperationsPage';

const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });

const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });

function Fiche({ operation }: { operation: Operation }) {
  return (
    <dl className="atelier-fiche">
      <dt className={fr.cx('fr-text--bold')}>Commune</dt>
      <dd>
        <Link to={`/communes/${operation.commune.code_insee}`}>{operation.commune.nom}</Link> ({operation.commune.code_insee})
      </dd>
      <dt className={fr.cx('fr-text--bold')}>EPCI</dt>
      <dd>{operation.epci ? <Link to={`/epci/${operation.epci.siren}`}>{operation.epci.nom}</Link> : 'aucun'}</dd>
      <dt className={fr.cx('fr-text--bold')}>Bailleur</dt>
      <dd>{operation.bailleur.nom}</dd>
      <dt className={fr.cx('fr-text--bold')}>Type d’opération</dt>
      <dd>{operation.type_libelle}</dd>
      <dt className={fr.cx('fr-text--bold')}>Étape</dt>
      <dd>{operation.etape_libelle}</dd>
      <dt className={fr.cx('fr-text--bold')}>N° SIAP</dt>
      <dd>{operation.numero_siap ?? '—'}</dd>
      <dt className={fr.cx('fr-text--bold')}>Année de programmation</dt>
      <dd>{operation.annee_programmation ?? '—'}</dd>
      <dt className={fr.cx('fr-text--bold')}>Adresse</dt>
      <dd>{operation.adresse ?? '—'}</dd>
      <dt className={fr.cx('fr-text--bold')}>Prix de revient</dt>
      <dd>{operation.cout_total === null ? '—' : euros.format(operation.cout_total)}</dd>
      {operation.motif_abandon && (
        <>
          <dt className={fr.cx('fr-text--bold')}>Motif d’abandon</dt>
          <dd>{operation.motif_abandon}</dd>
        </>
      )}
    </dl>
  );
}

function Timeline({ operation, referentiel }: { operation: Operation; referentiel: Referentiel }) {
  const etapes = referentiel.etapes.filter((e) => !e.finale || e.code === operation.etape || !e.suivantes.length);
  return (
    <ol className="atelier-etapes">
      {etapes.map((e) => {
        const current = e.code === operation.etape;
        const champ = dateEtape(e);
        const date = champ ? dateOf(operation, champ) : null;
        return (
          <li key={e.code} aria-current={current ? 'step' : undefined} className={current ? 'atelier-etapes__actuelle' : undefined}>
            <span className={current ? fr.cx('fr-text--bold') : undefined}>{e.libelle}</span>
            {date && <span className={fr.cx('fr-text--sm')}> — {formatDate(date)}</span>}
            {current && (
              <>
                {' '}
                <Badge as="span" small noIcon severity="info">
                  Étape actuelle
                </Badge>
              </>
            )}
          </li>
        );
      })}
    </ol>
  );
}

/** The fields a target stage requires that the form asks for (dates, year, reason for abandon). */
function champsDemandes(referentiel: Referentiel, cible: string): string[] {
  const etape = referentiel.etapes.find((e) => e.code === cible);
  return etape ? etape.requis.filter((c) => c in LIBELLES_CHAMPS) : [];
}

function ChangerEtapeForm({
  operation,
  referentiel,
  onChanged,
}: {
  operation: Operation;
  referentiel: Referentiel;
  onChanged: (operation: Operation) => void;
}) {
  const suivantes = referentiel.etapes.find((e) => e.code === operation.etape)?.suivantes ?? [];
  const [cible, setCible] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const { failure, setFailure, busy, submit } = useSubmission();
  if (suivantes.length === 0) return <p>Cette étape est finale : l’opération ne peut plus changer d’étape.</p>;
  const champs = cible ? champsDemandes(referentiel, cible) : [];
  const valueOf = (c: string) => values[c] ?? (c === 'annee_programmation' ? String(operation.annee_programmation ?? '') : c === 'motif_abandon' ? (operation.motif_abandon ?? '') : (dateOf(operation, c) ?? ''));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!cible) {
      setFailure('Choisissez la nouvelle étape.');
      return;
    }
    await submit(async () => {
      const body: Record<string, unknown> = { etape: cible };
      for (const c of champs) {
        const v = valueOf(c).trim();
        if (!v) continue;
        body[c] = c === 'annee_programmation' ? Number(v) : v;
      }
      const updated = await api.patch<Operation>(`/api/v1/operations/${operation.id}`, body);
      setCible('');
      setValues({});
      onChanged(updated);
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="etape-titre" className={fr.cx('fr-mt-3w')}>
      <h3 id="etape-titre" className={fr.cx('fr-h5')}>
        Changer d’étape
      </h3>
      <OutcomeAlert live="assertive" outcome={failure} />
      <Select label="Nouvelle étape" nativeSelectProps={{ name: 'etape', value: cible, onChange: (e) => setCible(e.target.value) }}>
        <option value="">— Choisir une étape —</option>
        {suivantes.map((code) => (
          <option key={code} value={code}>
            {referentiel.etapes.find((e) => e.code === code)?.libelle ?? code}
          </option>
        ))}
      </Select>
      {champs.map((c) =>
        c === 'motif_abandon' ? (
          <Input
            key={c}
            label={LIBELLES_CHAMPS[c]}
            textArea
            nativeTextAreaProps={{ name: c, value: valueOf(c), onChange: (e) => setValues((v) => ({ ...v, [c]: e.target.value })) }}
          />
        ) : (
          <Input
            key={c}
            label={LIBELLES_CHAMPS[c]}
            nativeInputProps={{
              name: c,
              type: c === 'annee_programmation' ? 'number' : 'date',
              value: valueOf(c),
              onChange: (e) => setValues((v) => ({ ...v, [c]: e.target.value })),
            }}
          />
        ),
      )}
      <Button type="submit" disabled={busy}>
        Changer d’étape
      </Button>
    </form>
  );
}

function Blocages({
  operation,
  referentiel,
  onChanged,
}: {
  operation: Operation;
  referentiel: Referentiel;
  onChanged: (text: string) => void;
}) {
  const { outcome, submit } = useSubmission();
  const modifier = operation.policies.modifier;

  function lever(b: Blocage, statut: 'leve' | 'en_cours' = 'leve') {
    return submit(async () => {
      await api.patch<Blocage>(`/api/v1/operations/${operation.id}/blocages/${b.id}`, { statut });
      onChanged(statut === 'leve' ? `Le blocage « ${b.type_libelle} » a été levé.` : `Le blocage « ${b.type_libelle} » est passé en cours de traitement.`);
    });
  }

  const headers = ['Type', 'Description', 'Depuis', 'Acteur attendu', 'Statut'];
  if (modifier) headers.push('Action');
  return (
    <>
      <OutcomeAlert live="polite" outcome={outcome} />
      {operation.blocages.length === 0 ? (
        <p>Aucun blocage déclaré.</p>
      ) : (
        <Table
          noCaption
          caption={`Blocages (${operation.blocages.length})`}
          headers={headers}
          data={operation.blocages.map((b) => {
            const row = [
              b.type_libelle,
              b.description,
              formatDate(b.depuis),
              b.acteur_attendu ?? '—',
              <Badge key="s" as="span" small noIcon severity={b.statut === 'leve' ? 'success' : 'warning'}>
                {referentiel.statuts_blocage[b.statut] ?? b.statut}
                {b.statut === 'leve' && b.leve_le ? ` le ${formatDate(b.leve_le)}` : ''}
              </Badge>,
            ];
            if (modifier)
              row.push(
                b.statut === 'leve' ? (
                  '—'
                ) : (
                  <div key="l" className="atelier-actions">
                    <Button type="button" size="small" priority="secondary" onClick={() => void lever(b)}>
                      Lever<span className={fr.cx('fr-sr-only')}> le blocage « {b.type_libelle} »</span>
                    </Button>
                    {b.statut !== 'en_cours' && (
                      <Button type="button" size="small" priority="tertiary" className={fr.cx('fr-ml-1w')} onClick={() => void lever(b, 'en_cours')}>
                        Passer en cours<span className={fr.cx('fr-sr-only')}> le blocage « {b.type_libelle} »</span>
                      </Button>
                    )}
                  </div>
                ),
              );
            return row;
          })}
        />
      )}
      {modifier && <DeclarerBlocageForm operation={operation} referentiel={referentiel} onDeclared={onChanged} />}
    </>
  );
}

function DeclarerBlocageForm({
  operation,
  referentiel,
  onDeclared,
}: {
  operation: Operation;
  referentiel: Referentiel;
  onDeclared: (text: string) => void;
}) {
  const empty = { type: '', description: '', depuis: today(), acteur_attendu: '' };
  const [form, setForm] = useState(empty);
  const { field, check } = useFieldErrors<'type' | 'description'>();
  const { failure, setFailure, busy, submit } = useSubmission();
  const set = (key: keyof typeof empty) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: { type?: string; description?: string } = {};
    if (!form.type) found.type = 'Choisissez le type de blocage.';
    if (!form.description.trim()) found.description = 'Décrivez le blocage.';
    if (!check(found)) {
      setFailure(FORM_INVALID);
      return;
    }
    await submit(async () => {
      const body: Record<string, string> = { type: form.type, description: form.description.trim() };
      if (form.depuis) body.depuis = form.depuis;
      if (form.acteur_attendu.trim()) body.acteur_attendu = form.acteur_attendu.trim();
      const b = await api.post<Blocage>(`/api/v1/operations/${operation.id}/blocages`, body);
      setForm(empty);
      onDeclared(`Le blocage « ${b.type_libelle} » a été déclaré.`);
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="blocage-titre" className={fr.cx('fr-mt-3w')}>
      <h3 id="blocage-titre" className={fr.cx('fr-h5')}>
        Déclarer un blocage
      </h3>
      <OutcomeAlert live="assertive" outcome={failure} />
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Select
            label="Type de blocage"
            {...field('type')}
            nativeSelectProps={{ name: 'type', value: form.type, onChange: set('type') }}
          >
            <option value="">— Choisir un type —</option>
            {Object.entries(referentiel.types_blocage).map(([code, libelle]) => (
              <option key={code} value={code}>
                {libelle}
              </option>
            ))}
          </Select>
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Input label="Bloquée depuis le" nativeInputProps={{ name: 'depuis', type: 'date', max: today(), value: form.depuis, onChange: set('depuis') }} />
        </div>
        <div className={fr.cx('fr-col-12')}>
          <Input
            label="Description du blocage"
            textArea
            {...field('description')}
            nativeTextAreaProps={{ name: 'description', value: form.description, onChange: set('description') }}
          />
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Input
            label="Acteur attendu (facultatif)"
            hintText="Qui doit agir pour lever le blocage"
            nativeInputProps={{ name: 'acteur_attendu', autoComplete: 'off', value: form.acteur_attendu, onChange: set('acteur_attendu') }}
          />
        </div>
      </div>
      <Button type="submit" disabled={busy} className={fr.cx('fr-mt-2w')}>
        Déclarer le blocage
      </Button>
    </form>
  );
}

const PRODUITS_FORM = ['plai', 'plai_adapte', 'plus', 'pls', 'psla', 'brs'] as const;
const DATES_PREVUES = ['date_agrement_prevue', 'date_ordre_service_prevue', 'date_livraison_prevue'] as const;

/** The editable fields of an operation, as strings for the form. */
function valeursOf(operation: Operation): Record<string, string> {
  const out: Record<string, string> = {
    nom: operation.nom,
    adresse: operation.adresse ?? '',
    numero_siap: operation.numero_siap ?? '',
    annee_programmation: operation.annee_programmation === null ? '' : String(operation.annee_programmation),
    cout_total: operation.cout_total === null ? '' : String(operation.cout_total),
    contact_riverains: operation.contact_riverains ?? '',
  };
  for (const p of PRODUITS_FORM) out[p] = String(operation.logements[p] ?? 0);
  for (const d of DATES_PREVUES) out[d] = dateOf(operation, d) ?? '';
  return out;
}

function ModifierOperationForm({
  operation,
  referentiel,
  onChanged,
}: {
  operation: Operation;
  referentiel: Referentiel;
  onChanged: (text: string) => void;
}) {
  const initial = valeursOf(operation);
  const [values, setValues] = useState<Record<string, string>>(initial);
  const { field, check } = useFieldErrors();
  const { failure, setFailure, busy, submit } = useSubmission();
  const set = (key: string) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: e.target.value }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!values.nom?.trim()) found.nom = 'Saisissez le nom de l’opération.';
    if (values.annee_programmation && !/^\d{4}$/.test(values.annee_programmation.trim())) found.annee_programmation = 'Indiquez une année sur quatre chiffres.';
    if (values.cout_total && !(Number(values.cout_total) >= 0)) found.cout_total = 'Indiquez un montant positif, en euros.';
    for (const p of PRODUITS_FORM) if (!/^\d+$/.test(values[p]?.trim() ?? '')) found[p] = 'Indiquez un nombre entier de logements.';
    if (!check(found)) {
      setFailure(FORM_INVALID);
      return;
    }
    const body: Record<string, unknown> = {};
    for (const key of ['nom', 'adresse', 'numero_siap', 'contact_riverains', ...DATES_PREVUES]) {
      const v = values[key]!.trim();
      if (v !== initial[key]) body[key] = v === '' ? null : v;
    }
    for (const key of ['annee_programmation', 'cout_total']) {
      const v = values[key]!.trim();
      if (v !== initial[key]) body[key] = v === '' ? null : Number(v);
    }
    const logements: Record<string, number> = {};
    for (const p of PRODUITS_FORM) if (values[p]!.trim() !== initial[p]) logements[p] = Number(values[p]);
    if (Object.keys(logements).length > 0) body.logements = logements;
    if (Object.keys(body).length === 0) {
      setFailure('Aucune modification à enregistrer.');
      return;
    }
    await submit(async () => {
      await api.patch<Operation>(`/api/v1/operations/${operation.id}`, body);
      onChanged('L’opération a été modifiée.');
    });
  }

  const text = (key: string, label: string, extra: Record<string, unknown> = {}) => (
    <Input label={label} {...field(key)} nativeInputProps={{ name: key, autoComplete: 'off', value: values[key] ?? '', onChange: set(key), ...extra }} />
  );

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="modifier-titre">
      <h2 id="modifier-titre">Modifier l’opération</h2>
      <OutcomeAlert live="assertive" outcome={failure} />
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>{text('nom', 'Nom de l’opération')}</div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>{text('adresse', 'Adresse')}</div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>{text('numero_siap', 'N° SIAP')}</div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>{text('annee_programmation', LIBELLES_CHAMPS.annee_programmation!, { type: 'number', inputMode: 'numeric' })}</div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>{text('cout_total', 'Prix de revient (€)', { type: 'number', min: 0, inputMode: 'numeric' })}</div>
      </div>
      <fieldset className={fr.cx('fr-fieldset', 'fr-mt-2w')}>
        <legend className={fr.cx('fr-fieldset__legend')}>Logements par produit</legend>
        {PRODUITS_FORM.map((p) => (
          <div key={p} className={fr.cx('fr-fieldset__element', 'fr-fieldset__element--inline')}>
            {text(p, `Logements ${referentiel.produits[p] ?? p}`, { type: 'number', min: 0, inputMode: 'numeric' })}
          </div>
        ))}
      </fieldset>
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        {DATES_PREVUES.map((d) => (
          <div key={d} className={fr.cx('fr-col-12', 'fr-col-md-4')}>
            {text(d, LIBELLES_CHAMPS[d] ?? d, { type: 'date' })}
          </div>
        ))}
        <div className={fr.cx('fr-col-12')}>
          <Input
            label="Contact pour les riverains"
            {...field('contact_riverains')}
            nativeTextAreaProps={{ name: 'contact_riverains', rows: 2, value: values.contact_riverains ?? '', onChange: set('contact_riverains') }}
            textArea
          />
        </div>
      </div>
      <Button type="submit" disabled={busy}>
        Enregistrer les modifications
      </Button>
    </form>
  );
}

const MODALITES: Record<string, string> = {
  reunion_publique: 'Réunion publique',
  porte_a_porte: 'Porte-à-porte',
  permanence: 'Permanence',
  autre: 'Autre',
};

function Concertation({ operation }: { operation: Operation }) {
  const [state, reload] = useApi<Concertations>(`/api/v1/operations/${operation.id}/concertations`);
  const empty = { modalite: '', date: today(), riverains_rencontres: '', preoccupations: '', reponses: '' };
  const [form, setForm] = useState(empty);
  const { field, check } = useFieldErrors<keyof typeof empty>();
  const { outcome, setFailure, busy, submit } = useSubmission();
  const set = (key: keyof typeof empty) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Partial<typeof empty> = {};
    if (!form.modalite) found.modalite = 'Choisissez la modalité.';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(form.date)) found.date = 'Indiquez la date.';
    else if (form.date > today()) found.date = 'La date ne peut pas être dans le futur.';
    if (!/^\d+$/.test(form.riverains_rencontres.trim())) found.riverains_rencontres = 'Indiquez un nombre entier de riverains.';
    if (!check(found)) {
      setFailure(FORM_INVALID);
      return;
    }
    await submit(async () => {
      const body: Record<string, unknown> = { modalite: form.modalite, date: form.date, riverains_rencontres: Number(form.riverains_rencontres) };
      if (form.preoccupations.trim()) body.preoccupations = form.preoccupations.trim();
      if (form.reponses.trim()) body.reponses = form.reponses.trim();
      await api.post(`/api/v1/operations/${operation.id}/concertations`, body);
      setForm(empty);
      reload();
      return 'La concertation a été enregistrée.';
    });
  }

  return (
    <>
      {state.status === 'loading' && <Loading label="Chargement des concertations…" />}
      {state.status === 'error' && <Alert severity="error" small description={state.message} />}
      {state.status === 'ready' && (
        <>
          <p>
            Contact pour les riverains : {state.data.contact_riverains ?? 'non renseigné'}
            <br />
            <strong data-testid="total-riverains">Total des riverains rencontrés : {formatInteger(state.data.total_riverains)}</strong>
          </p>
          {state.data.results.length === 0 ? (
            <p>Aucune concertation enregistrée.</p>
          ) : (
            <Table
              noCaption
              caption={`Concertations (${state.data.results.length})`}
              headers={['Date', 'Modalité', 'Riverains rencontrés', 'Préoccupations', 'Réponses apportées']}
              data={state.data.results.map((c) => [
                formatDate(c.date),
                c.modalite_libelle,
                formatInteger(c.riverains_rencontres),
                c.preoccupations ?? '—',
                c.reponses ?? '—',
              ])}
            />
          )}
        </>
      )}
      {operation.policies.modifier && (
        <form onSubmit={onSubmit} noValidate aria-labelledby="concertation-titre" className={fr.cx('fr-mt-3w')}>
          <h3 id="concertation-titre" className={fr.cx('fr-h5')}>
            Enregistrer une concertation
          </h3>
          <OutcomeAlert live="polite" outcome={outcome} />
          <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
            <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
              <Select label="Modalité" {...field('modalite')} nativeSelectProps={{ name: 'modalite', value: form.modalite, onChange: set('modalite') }}>
                <option value="">— Choisir une modalité —</option>
                {Object.entries(MODALITES).map(([code, libelle]) => (
                  <option key={code} value={code}>
                    {libelle}
                  </option>
                ))}
              </Select>
            </div>
            <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
              <Input label="Date de la concertation" {...field('date')} nativeInputProps={{ name: 'date', type: 'date', max: today(), value: form.date, onChange: set('date') }} />
            </div>
            <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
              <Input
                label="Riverains rencontrés"
                {...field('riverains_rencontres')}
                nativeInputProps={{ name: 'riverains_rencontres', type: 'number', min: 0, inputMode: 'numeric', value: form.riverains_rencontres, onChange: set('riverains_rencontres') }}
              />
            </div>
            <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
              <Input label="Préoccupations exprimées (facultatif)" textArea nativeTextAreaProps={{ name: 'preoccupations', rows: 3, value: form.preoccupations, onChange: set('preoccupations') }} />
            </div>
            <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
              <Input label="Réponses apportées (facultatif)" textArea nativeTextAreaProps={{ name: 'reponses', rows: 3, value: form.reponses, onChange: set('reponses') }} />
            </div>
          </div>
          <Button type="submit" disabled={busy} className={fr.cx('fr-mt-2w')}>
            Enregistrer la concertation
          </Button>
        </form>
      )}
    </>
  );
}

function Historique({ id }: { id: string }) {
  const [evenements] = useApi<{ results: Evenement[] }>(`/api/v1/operations/${id}/evenements`);
  if (evenements.status === 'loading') return <Loading label="Chargement de l’historique…" />;
  if (evenements.status === 'error') return <Alert severity="error" small description={evenements.message} />;
  if (evenements.data.results.length === 0) return <p>Aucun événement.</p>;
  return (
    <ul className="atelier-historique">
      {evenements.data.results.map((e) => (
        <li key={String(e.id)}>
          <span className={fr.cx('fr-text--sm', 'fr-text--bold')}>{formatDateTime(e.at)}</span> — {e.resume}
          {e.auteur && <span className={fr.cx('fr-text--sm')}> ({e.auteur})</span>}
        </li>
      ))}
    </ul>
  );
}

export function OperationPage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const [state, reload] = useApi<Operation>(`/api/v1/operations/${encodeURIComponent(id)}`);
  const referentiel = useReferentiel();
  const { outcome: message, succeed } = useSubmission(
    (location.state as { created?: boolean } | null)?.created ? { severity: 'success', text: 'L’opération a été déclarée.' } : null,
  );
  const [generation, setGeneration] = useState(0);
  const nom = state.status === 'ready' ? state.data.nom : 'Opération';
  usePageTitle(state.status === 'ready' ? `${nom} — opération` : 'Opération');

  if (state.status === 'error' && (state.httpStatus === 404 || state.httpStatus === 400)) return <NotFoundPage />;

  function changed(text: string) {
    succeed(text);
    reload();
    setGeneration((g) => g + 1);
  }

  const ref = referentiel.status === 'ready' ? referentiel.data : undefined;
  return (
    <>
      <Breadcrumb currentPageLabel={nom} homeLinkProps={{ to: '/' }} segments={[{ label: 'Opérations', linkProps: { to: '/operations' } }]} />
      {state.status === 'loading' && <Loading label="Chargement de l’opération…" />}
      {state.status === 'error' && <Alert severity="error" title="Opération indisponible" description={state.message} />}
      {state.status === 'ready' && (
        <>
          <h1>{state.data.nom}</h1>
          {state.data.en_difficulte && (
            <p>
              <EnDifficulteBadge />
            </p>
          )}
          <OutcomeAlert live="polite" outcome={message} />
          <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
            <section className={fr.cx('fr-col-12', 'fr-col-md-7')} aria-labelledby="donnees-titre">
              <h2 id="donnees-titre">Données clés</h2>
              <Fiche operation={state.data} />
            </section>
            <section className={fr.cx('fr-col-12', 'fr-col-md-5')} aria-labelledby="logements-titre">
              <h2 id="logements-titre">Logements</h2>
              <Table
                noCaption
                caption="Logements par produit"
                headers={['Produit', 'Logements']}
                data={[
                  ...Object.entries(ref?.produits ?? {}).map(([code, libelle]) => [libelle, formatInteger(state.data.logements[code] ?? 0)]),
                  [<strong key="t">Total</strong>, <strong key="n">{formatInteger(state.data.logements.total)}</strong>],
                ]}
              />
            </section>
          </div>
          <section aria-labelledby="financement-titre" className={fr.cx('fr-mt-4w')}>
            <h2 id="financement-titre">Plan de financement</h2>
            <PlanFinancement key={state.data.updated_at} operation={state.data} onSaved={changed} />
          </section>
          {ref && (
            <section aria-labelledby="etapes-titre" className={fr.cx('fr-mt-4w')}>
              <h2 id="etapes-titre">Étapes</h2>
              <Timeline operation={state.data} referentiel={ref} />
              {state.data.policies.modifier && (
                <ChangerEtapeForm
                  operation={state.data}
                  referentiel={ref}
                  onChanged={(o) => changed(`L’opération est passée à l’étape « ${o.etape_libelle} ».`)}
                />
              )}
            </section>
          )}
          {ref && state.data.policies.modifier && (
            <section className={fr.cx('fr-mt-4w')} aria-label="Modification de l’opération">
              <ModifierOperationForm key={state.data.updated_at} operation={state.data} referentiel={ref} onChanged={changed} />
            </section>
          )}
          {ref && (
            <section aria-labelledby="blocages-titre" className={fr.cx('fr-mt-4w')}>
              <h2 id="blocages-titre">Blocages</h2>
              <Blocages operation={state.data} referentiel={ref} onChanged={changed} />
            </section>
          )}
          <section aria-labelledby="concertation-section-titre" className={fr.cx('fr-mt-4w')}>
            <h2 id="concertation-section-titre">Concertation des riverains</h2>
            <Concertation key={generation} operation={state.data} />
          </section>
          <section aria-labelledby="foncier-aides-titre" className={fr.cx('fr-mt-4w')}>
            <h2 id="foncier-aides-titre">Foncier et aides</h2>
            <FoncierEtAides operation={state.data} />
          </section>
          <section aria-labelledby="documents-titre" className={fr.cx('fr-mt-4w')}>
            <h2 id="documents-titre">Documents</h2>
            <DocumentsOperation operationId={state.data.id} modifier={state.data.policies.modifier} />
          </section>
          <section aria-labelledby="historique-titre" className={fr.cx('fr-mt-4w')}>
            <h2 id="historique-titre">Historique</h2>
            <Historique key={generation} id={state.data.id} />
          </section>
        </>
      )}
    </>
  );
}

/** The gisement(s) the operation stands on (land observatory) and the aids it is eligible for. */
function FoncierEtAides({ operation }: { operation: Operation }) {
  const { can } = useSession();
  const [aides] = useApi<Correspondances>(`/api/v1/operations/${operation.id}/aides`);
  return (
    <>
      <h3 className={fr.cx('fr-h6')}>Gisement foncier</h3>
      {operation.gisements.length === 0 ? (
        <p>Aucun gisement foncier de l’observatoire n’est rattaché à cette opération{can('foncier:read') ? ' (ou vous ne pouvez pas le consulter)' : ''}.</p>
      ) : (
        <ul>
          {operation.gisements.map((g) => (
            <li key={g.id}>
              {can('foncier:read') ? <Link to={`/foncier/gisements/${g.id}`}>{g.nom}</Link> : g.nom} — {g.statut_libelle}
            </li>
          ))}
        </ul>
      )}
      {aides.status === 'loading' && <Loading label="Recherche des aides mobilisables…" />}
      {aides.status === 'error' && <Alert severity="error" small description={aides.message} />}
      {aides.status === 'ready' && (
        <>
          <ListeCorrespondances titre="Aides mobilisables" items={aides.data.eligibles} niveau={3} />
          {aides.data.partielles.length > 0 && (
            <p>
              {aides.data.partielles.length} autre(s) aide(s) partiellement adaptée(s) : voir <Link to="/aides/eligibilite">les aides d’un projet</Link>.
            </p>
          )}
        </>
      )}
    </>
  );
}
