import { Button } from '@codegouvfr/react-dsfr/Button';
import { Upload } from '@codegouvfr/react-dsfr/Upload';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useInvalidate, type Invalidation } from '../useApi';
import { useSubmission } from '../useSubmission';
import { Loading } from './Loading';

/**
 * The form of every file import (operations, gisements, aids): a file, « Vérifier » (the server
 * checks the whole file and writes nothing), then « Importer », offered once the same file was
 * verified without error. `envoyer` resolves to the result to show (a file whose errors are listed
 * included) and rejects with the error to show next to the file; `rendu` shows a result.
 */
export function FormulaireImport<R>({
  titre,
  label,
  hint,
  accept,
  envoyer,
  verifie,
  rendu,
  invalide = [],
}: {
  titre?: string;
  label: string;
  hint: string;
  accept: string;
  envoyer: (file: File, dryRun: boolean) => Promise<R>;
  /** Whether a result is a verification without error (then « Importer » is offered). */
  verifie: (r: R) => boolean;
  rendu: (r: R) => ReactNode;
  /** The resources an import (not a verification) changes, refreshed once it is done. */
  invalide?: Invalidation[];
}) {
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<R | null>(null);
  const [mode, setMode] = useState<'verification' | 'import'>('verification');
  const { failure, setFailure, busy, submit } = useSubmission();
  const invalidate = useInvalidate();

  async function send(dryRun: boolean) {
    if (!file) {
      setFailure('Choisissez un fichier à importer.');
      return;
    }
    setResult(null);
    setMode(dryRun ? 'verification' : 'import');
    await submit(async () => {
      setResult(await envoyer(file, dryRun));
      if (!dryRun) await invalidate(...invalide);
    });
  }

  return (
    <>
      <form
        onSubmit={(e: FormEvent<HTMLFormElement>) => {
          e.preventDefault();
          void send(true);
        }}
        noValidate
        aria-labelledby={titre ? 'fichier-titre' : undefined}
      >
        {titre && (
          <h2 id="fichier-titre" className={fr.cx('fr-h4')}>
            {titre}
          </h2>
        )}
        <Upload
          label={label}
          hint={hint}
          state={failure ? 'error' : 'default'}
          stateRelatedMessage={failure ?? undefined}
          nativeInputProps={{
            name: 'file',
            accept,
            onChange: (e) => {
              setFile(e.target.files?.[0] ?? null);
              setResult(null);
              setFailure(null);
            },
          }}
        />
        <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-md', 'fr-mt-3w')}>
          <li>
            <Button type="submit" disabled={busy}>
              Vérifier
            </Button>
          </li>
          <li>
            <Button type="button" priority="secondary" disabled={busy || result === null || !verifie(result)} onClick={() => void send(false)}>
              Importer
            </Button>
          </li>
        </ul>
      </form>
      <div aria-live="polite" className={fr.cx('fr-mt-3w')}>
        {busy && <Loading label={mode === 'verification' ? 'Vérification du fichier…' : 'Import en cours…'} />}
        {result !== null && rendu(result)}
      </div>
    </>
  );
}
