import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import type { Principal } from './principal.js';

declare module 'fastify' {
  interface FastifyInstance {
    database: Database;
    config: Config;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** Set to false on the rare writes that must work without a CSRF token (login). */
    csrf?: boolean;
  }
}
