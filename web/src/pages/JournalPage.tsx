import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useCallback, useEffect, useState } from 'react';
import { api, errorMessage, type AuditEntry, type AuditPage } from '../api';
import { Loading } from '../components/Loading';
import { formatDateTime } from '../format';
import { usePageTitle } from '../usePageTitle';

const PAGE_SIZE = 50;

function json(value: unknown): string {
  return value === null || value === undefined ? '—' : JSON.stringify(value, null, 2);
}

function Details({ entry }: { entry: AuditEntry }) {
  if ((entry.before === null || entry.before === undefined) && (entry.after === null || entry.after === undefined))
    return <>—</>;
  return (
    <details>
      <summary>
        Voir le détail<span className={fr.cx('fr-sr-only')}> de l’action {entry.action} n° {String(entry.id)}</span>
      </summary>
      <p className={fr.cx('fr-text--sm', 'fr-text--bold', 'fr-mb-1v', 'fr-mt-2v')}>Avant</p>
      <pre className="atelier-json">{json(entry.before)}</pre>
      <p className={fr.cx('fr-text--sm', 'fr-text--bold', 'fr-mb-1v')}>Après</p>
      <pre className="atelier-json">{json(entry.after)}</pre>
    </details>
  );
}

export function JournalPage() {
  usePageTitle('Journal d’audit');
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<string | number | null>(null);
  const [status, setStatus] = useState<'loading' | 'ready' | 'more'>('loading');
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (before: string | number | null) => {
    setStatus(before === null ? 'loading' : 'more');
    setError(null);
    try {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (before !== null) query.set('before', String(before));
      const page = await api.get<AuditPage>(`/api/v1/audit?${query.toString()}`);
      setEntries((current) => (before === null ? page.results : [...current, ...page.results]));
      setNext(page.next_before);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setStatus('ready');
    }
  }, []);

  useEffect(() => {
    void load(null);
  }, [load]);

  return (
    <>
      <h1>Journal d’audit</h1>
      <p>
        Chaque création, modification ou suppression est enregistrée avec son auteur et l’état des données avant et
        après. Le journal ne peut être ni modifié ni effacé. Les entrées les plus récentes sont en premier.
      </p>
      {error && <Alert className={fr.cx('fr-mb-3w')} severity="error" small description={error} />}
      {status === 'loading' ? (
        <Loading label="Chargement du journal…" />
      ) : entries.length === 0 && !error ? (
        <p>Le journal est vide.</p>
      ) : (
        <Table
          caption={`Journal d’audit (${entries.length} entrées affichées)`}
          headers={['Date', 'Auteur', 'Action', 'Type', 'Identifiant', 'Détails']}
          data={entries.map((e) => [
            formatDateTime(e.at),
            e.actor_label ?? 'système',
            <code key="a">{e.action}</code>,
            e.entity_type,
            e.entity_id ?? '—',
            <Details key="d" entry={e} />,
          ])}
        />
      )}
      <div aria-live="polite">{status === 'more' && <Loading label="Chargement des entrées suivantes…" />}</div>
      {next !== null && status !== 'loading' && (
        <Button type="button" priority="secondary" disabled={status === 'more'} onClick={() => void load(next)}>
          Charger plus
        </Button>
      )}
    </>
  );
}
