/**
 * The local control channel of a running embedded platform: the CLI cannot open a data dir that the
 * platform holds (one process per PGlite data dir), so it asks the platform itself.
 *
 * A unix socket `atelier.sock` in the data dir, mode 0600 (only the account that runs the platform
 * can connect), and a secret regenerated at each start in `controle.secret` (0600) that every
 * request must carry: reading the data dir is already needed to ask anything. Nothing listens on
 * the network. One request per connection: a JSON line, answered by a JSON line, then for a backup
 * the file's bytes.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import type { Database } from '../../db/client.js';
import type { LockContent } from '../../db/lock.js';
import { safeEqual } from '../../lib/crypto.js';
import { sauvegardeEmbarquee, versionSchema } from './sauvegarde.service.js';

export const SOCKET = 'atelier.sock';
export const SECRET = 'controle.secret';
/** Unix socket paths are limited to 108 bytes on Linux (sun_path). */
const MAX_SOCKET_PATH = 100;

export type Commande = 'sauvegarde' | 'statut';

export interface Statut {
  pid: number;
  since: string;
  port?: number;
  base: 'embarquee';
  migrations: { nombre: number; derniere: string | null };
}

export interface Reponse {
  ok: boolean;
  message?: string;
  statut?: Statut;
  /** Bytes that follow the line (a backup file). */
  taille?: number;
}

export function socketPath(dataDir: string): string {
  return join(dataDir, SOCKET);
}

/** Starts the channel; returns the function that stops it. Logs and does nothing when the path is too long. */
export async function startControle(
  database: Database,
  dataDir: string,
  info: () => Pick<LockContent, 'pid' | 'since' | 'port'>,
  log: { warn(o: object, msg: string): void; info?(o: object, msg: string): void },
): Promise<() => Promise<void>> {
  const path = socketPath(dataDir);
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
    log.warn({ path }, 'control socket path too long: `npm run cli -- backup` cannot reach this process (use a shorter ATELIER_DATA_DIR)');
    return async () => {};
  }
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(join(dataDir, SECRET), `${secret}\n`, { mode: 0o600 });
  // We hold the data dir's lock: a socket file left here is a dead process's.
  rmSync(path, { force: true });
  let file = Promise.resolve();
  const server = net.createServer((socket) => {
    socket.setTimeout(60_000, () => socket.destroy());
    socket.on('error', () => {});
    let buffered = '';
    const onData = (d: Buffer) => {
      buffered += d.toString('utf8');
      if (buffered.length > 4096) return socket.destroy();
      const nl = buffered.indexOf('\n');
      if (nl < 0) return;
      socket.off('data', onData);
      const answer = (r: Reponse, payload?: Buffer) => {
        socket.write(`${JSON.stringify(r)}\n`);
        if (payload) socket.write(payload);
        socket.end();
      };
      let req: { commande?: string; secret?: string };
      try {
        req = JSON.parse(buffered.slice(0, nl)) as typeof req;
      } catch {
        return answer({ ok: false, message: 'Requête illisible.' });
      }
      if (typeof req.secret !== 'string' || !safeEqual(req.secret, secret)) return answer({ ok: false, message: 'Secret du canal de contrôle invalide.' });
      if (req.commande === 'statut') {
        void versionSchema(database.db).then(
          (migrations) => answer({ ok: true, statut: { ...info(), base: 'embarquee', migrations } }),
          (err: Error) => answer({ ok: false, message: err.message }),
        );
        return;
      }
      if (req.commande === 'sauvegarde') {
        // One backup at a time: each holds the database between two transactions while it copies.
        const run = file.then(() => sauvegardeEmbarquee(database));
        file = run.then(() => undefined, () => undefined);
        void run.then(
          (content) => answer({ ok: true, taille: content.length }, content),
          (err: Error) => {
            log.warn({ err }, 'backup through the control channel failed');
            answer({ ok: false, message: `Sauvegarde impossible : ${err.message}` });
          },
        );
        return;
      }
      answer({ ok: false, message: `Commande inconnue du canal de contrôle « ${String(req.commande)} ».` });
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, 0o600);
  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(path, { force: true });
    rmSync(join(dataDir, SECRET), { force: true });
  };
}

export class ControleInjoignable extends Error {}

/** Asks the platform that holds `dataDir`. Returns its answer and the bytes that follow it. */
export async function demander(dataDir: string, commande: Commande, timeoutMs = 600_000): Promise<{ reponse: Reponse; payload: Buffer }> {
  const path = socketPath(dataDir);
  const secretFile = join(dataDir, SECRET);
  if (!existsSync(path) || !existsSync(secretFile)) {
    throw new ControleInjoignable(`le canal de contrôle ${path} n’existe pas (plateforme trop ancienne, ou dossier de données au chemin trop long)`);
  }
  let secret: string;
  try {
    secret = readFileSync(secretFile, 'utf8').trim();
  } catch (err) {
    throw new ControleInjoignable(`lecture de ${secretFile} impossible (${(err as NodeJS.ErrnoException).code}) : lancez la commande avec le compte qui exécute la plateforme`);
  }
  return new Promise((resolve, reject) => {
    const socket = net.connect(path);
    const chunks: Buffer[] = [];
    let size = 0;
    socket.setTimeout(timeoutMs, () => socket.destroy(new ControleInjoignable('la plateforme ne répond pas')));
    socket.on('connect', () => socket.write(`${JSON.stringify({ commande, secret })}\n`));
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      size += d.length;
    });
    socket.on('error', (err: NodeJS.ErrnoException) =>
      reject(err instanceof ControleInjoignable ? err : new ControleInjoignable(`connexion à ${path} impossible (${err.code ?? err.message})`)),
    );
    socket.on('end', () => {
      const all = Buffer.concat(chunks, size);
      const nl = all.indexOf(0x0a);
      if (nl < 0) return reject(new ControleInjoignable('réponse incomplète de la plateforme'));
      const reponse = JSON.parse(all.subarray(0, nl).toString('utf8')) as Reponse;
      const payload = all.subarray(nl + 1);
      if (reponse.ok && reponse.taille !== undefined && payload.length !== reponse.taille) {
        return reject(new ControleInjoignable(`réponse tronquée : ${payload.length} octets reçus sur ${reponse.taille}`));
      }
      resolve({ reponse, payload });
    });
  });
}
