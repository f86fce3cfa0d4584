import { Select } from '@codegouvfr/react-dsfr/Select';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState } from 'react';
import { today } from '../format';
import { usePageTitle } from '../usePageTitle';

const currentYear = () => Number(today().slice(0, 4));

/** The yearly report to the CDHH (comité départemental de l’habitat et de l’hébergement), in three formats. */
export function RapportCdhhPage() {
  usePageTitle('Rapport CDHH');
  const thisYear = currentYear();
  const years = Array.from({ length: 6 }, (_, i) => thisYear - i);
  const [annee, setAnnee] = useState(String(thisYear));
  const base = `/api/v1/rapports/cdhh/${annee}`;
  return (
    <>
      <h1>Rapport annuel au CDHH</h1>
      <p>
        Le rapport annuel au comité départemental de l’habitat et de l’hébergement : production de logement social, revues de projet et
        arbitrages de l’année.
      </p>
      <div className={fr.cx('fr-grid-row')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
          <Select label="Année du rapport" nativeSelectProps={{ name: 'annee', value: annee, onChange: (e) => setAnnee(e.target.value) }}>
            {years.map((y) => (
              <option key={y} value={String(y)}>
                {y}
              </option>
            ))}
          </Select>
        </div>
      </div>
      <h2 className={fr.cx('fr-h4')}>Rapport {annee}</h2>
      <ul>
        <li>
          <a href={`${base}.html`} target="_blank" rel="noopener" title={`Rapport ${annee} (HTML) — nouvelle fenêtre`}>
            Rapport {annee} (HTML)
          </a>
        </li>
        <li>
          <a href={`${base}.pdf`}>Rapport {annee} (PDF)</a>
        </li>
        <li>
          <a href={`${base}.docx`}>Rapport {annee} (DOCX)</a>
        </li>
      </ul>
    </>
  );
}
