import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState, type FormEvent } from 'react';
import { seanceCreateSchema } from '../../../shared/attributions/caleol.contract';
import { api } from '../api';
import { OutcomeAlert } from '../components/OutcomeAlert';
import { parisIso } from '../revues/revues';
import { FORM_INVALID, useFieldErrors, useSubmission } from '../useSubmission';
import { INVALIDE_SEANCES, type Seance } from './attributions';

type Champs = { date: string; debut: string; fin: string; commission: string; lieu: string; lien_visio: string; communes: string; ordre_du_jour: string };
const VIDE: Champs = { date: '', debut: '09:30', fin: '11:30', commission: '', lieu: '', lien_visio: '', communes: '', ordre_du_jour: '' };

/** A landlord declares a sitting of its CALEOL; the referents of the communes concerned are told. */
export function SeanceForm() {
  const [form, setForm] = useState<Champs>(VIDE);
  const { field, check, validate, fromApi } = useFieldErrors<keyof Champs>();
  const { outcome, setFailure, busy, submit } = useSubmission(null, { invalidates: INVALIDE_SEANCES });
  const set = (k: keyof Champs) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Partial<Record<keyof Champs, string>> = {};
    if (!/^\d{4}-\d{2}-\d{2}$/.test(form.date)) found.date = 'Saisissez la date de la séance.';
    if (!/^\d{2}:\d{2}$/.test(form.debut)) found.debut = 'Saisissez l’heure de début, par exemple 09:30.';
    if (!/^\d{2}:\d{2}$/.test(form.fin)) found.fin = 'Saisissez l’heure de fin, par exemple 11:30.';
    if (!check(found)) return setFailure(FORM_INVALID);
    const body = {
      debut: parisIso(form.date, form.debut),
      fin: parisIso(form.date, form.fin),
      communes: form.communes.split(/[\s,;]+/).filter(Boolean),
      ...(form.commission.trim() && { commission: form.commission.trim() }),
      ...(form.lieu.trim() && { lieu: form.lieu.trim() }),
      ...(form.lien_visio.trim() && { lien_visio: form.lien_visio.trim() }),
      ...(form.ordre_du_jour.trim() && { ordre_du_jour: form.ordre_du_jour.trim() }),
    };
    if (!validate(seanceCreateSchema, body)) return setFailure(FORM_INVALID);
    await submit(
      async () => {
        const s = await api.post<Seance>('/api/v1/caleol/seances', body);
        setForm(VIDE);
        return `Séance publiée : ${s.communes.map((c) => c.nom).join(', ')} ${s.communes.length > 1 ? 'sont prévenues' : 'est prévenue'} par courriel.`;
      },
      (e) => fromApi(e, ['communes', 'fin']),
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="seance-titre" className={fr.cx('fr-mb-6w')}>
      <h2 id="seance-titre">Publier une séance de CALEOL</h2>
      <p>Les référents des communes concernées sont prévenus par courriel ; les agendas abonnés se mettent à jour.</p>
      <OutcomeAlert live="assertive" outcome={outcome} />
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
          <Input label="Date" {...field('date')} nativeInputProps={{ type: 'date', name: 'date', value: form.date, onChange: set('date') }} />
        </div>
        <div className={fr.cx('fr-col-6', 'fr-col-md-4')}>
          <Input label="Début" {...field('debut')} nativeInputProps={{ type: 'time', name: 'debut', value: form.debut, onChange: set('debut') }} />
        </div>
        <div className={fr.cx('fr-col-6', 'fr-col-md-4')}>
          <Input label="Fin" {...field('fin')} nativeInputProps={{ type: 'time', name: 'fin', value: form.fin, onChange: set('fin') }} />
        </div>
      </div>
      <Input
        label="Communes concernées"
        hintText="Codes INSEE séparés par des virgules, par exemple 30189, 30007"
        {...field('communes')}
        nativeInputProps={{ name: 'communes', value: form.communes, onChange: set('communes') }}
      />
      <Input label="Commission (facultatif)" hintText="Si vous en avez plusieurs, par exemple « CALEOL Gard Est »" {...field('commission')} nativeInputProps={{ name: 'commission', value: form.commission, onChange: set('commission') }} />
      <Input label="Lieu (facultatif)" {...field('lieu')} nativeInputProps={{ name: 'lieu', value: form.lieu, onChange: set('lieu') }} />
      <Input label="Lien de visioconférence (facultatif)" hintText="Adresse https" {...field('lien_visio')} nativeInputProps={{ type: 'url', name: 'lien_visio', value: form.lien_visio, onChange: set('lien_visio') }} />
      <Input
        label="Ordre du jour (facultatif)"
        hintText="Nombre de logements examinés, programmes… jamais le nom d’un demandeur"
        textArea
        {...field('ordre_du_jour')}
        nativeTextAreaProps={{ name: 'ordre_du_jour', value: form.ordre_du_jour, onChange: set('ordre_du_jour'), rows: 3 }}
      />
      <Button type="submit" disabled={busy}>
        Publier la séance
      </Button>
    </form>
  );
}
