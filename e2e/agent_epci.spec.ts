import { describeCommonRole } from './helpers';

describeCommonRole('agent_epci', 'agent d’EPCI', { operations: true, foncier: true, revues: true, attributions: true });
