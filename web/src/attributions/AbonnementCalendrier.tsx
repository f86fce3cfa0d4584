import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState } from 'react';
import { api } from '../api';
import { OutcomeAlert } from '../components/OutcomeAlert';
import { useSubmission } from '../useSubmission';
import type { Calendrier } from './attributions';

/**
 * The user's calendar subscription: the secret address to paste in Outlook, Thunderbird or a phone,
 * and the button that changes it (the previous address stops working at once).
 */
export function AbonnementCalendrier() {
  const [adresse, setAdresse] = useState<Calendrier | null>(null);
  const { outcome, busy, submit } = useSubmission();

  const afficher = () => submit(async () => setAdresse(await api.get<Calendrier>('/api/v1/me/calendrier')));
  const renouveler = () =>
    submit(async () => {
      setAdresse(await api.post<Calendrier>('/api/v1/me/calendrier/renouveler'));
      return 'Nouvelle adresse créée : l’ancienne ne fonctionne plus. Abonnez de nouveau votre agenda.';
    });

  return (
    <section aria-labelledby="abonnement-titre" className={fr.cx('fr-mb-6w')}>
      <h2 id="abonnement-titre">S’abonner au calendrier</h2>
      <p>
        Votre agenda (Outlook, Thunderbird, téléphone) peut s’abonner aux séances de CALEOL qui concernent votre territoire et aux
        réunions où vous êtes invité (revues de projet) : les changements et les annulations s’y reportent d’eux-mêmes.
        L’adresse est personnelle et secrète : ne la partagez pas ; changez-la si elle a circulé.
      </p>
      <OutcomeAlert live="polite" outcome={outcome} />
      {adresse ? (
        <>
          <Input
            label="Adresse de votre calendrier"
            hintText="Dans votre agenda : « Ajouter un calendrier » puis « À partir d’Internet » (ou « S’abonner »), et collez cette adresse."
            nativeInputProps={{ value: adresse.url, readOnly: true, onFocus: (e) => e.currentTarget.select() }}
          />
          <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-md')}>
            <li>
              <a className={fr.cx('fr-btn', 'fr-btn--secondary')} href={adresse.webcal}>
                Ouvrir dans mon agenda
              </a>
            </li>
            <li>
              <a className={fr.cx('fr-btn', 'fr-btn--tertiary')} href={adresse.url} download="atelier.ics">
                Télécharger le fichier .ics
              </a>
            </li>
            <li>
              <Button priority="tertiary" iconId="fr-icon-refresh-line" disabled={busy} onClick={() => void renouveler()}>
                Changer l’adresse
              </Button>
            </li>
          </ul>
        </>
      ) : (
        <Button iconId="fr-icon-calendar-line" disabled={busy} onClick={() => void afficher()}>
          Afficher l’adresse de mon calendrier
        </Button>
      )}
    </section>
  );
}
