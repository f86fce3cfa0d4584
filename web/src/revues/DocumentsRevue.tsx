import { fr } from '@codegouvfr/react-dsfr/fr';
import type { Revue } from '../api';

/** The review's agenda and record as PDF and DOCX documents. */
export function DocumentsRevue({ revue }: { revue: Revue }) {
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
